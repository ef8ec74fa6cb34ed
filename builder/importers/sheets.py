"""An `.xlsx` file -> paragraphs and rows: merged ranges keep their value in the top-left cell only,
numbers read as the sheet shows them (a share formatted as a percent, money with its decimals, a date
as forms write dates).
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from builder.base.messages import msg
from builder.importers.blocks import Block, Cell, Para, Row, clean
from builder.importers.errors import SourceError

# Cells a sheet may span (rows x columns) before openpyxl is asked to walk it: one
# value in XFD1048576 would otherwise make it visit 17 billion empty cells.
MAX_SHEET_CELLS = 2_000_000
# The text of a workbook's cells, all told: a 5 MB file of forms holds far less. Shared strings let a
# small file repeat one long text in every cell, which would otherwise be read and cleaned each time.
MAX_WORKBOOK_TEXT = 5_000_000
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')


def read_xlsx(path: Path, data: bytes) -> list[Block]:
    try:
        import openpyxl
        from openpyxl.utils import get_column_letter
    except ImportError:  # pragma: no cover
        raise SourceError(path.name, msg("sheets.needs_openpyxl")) from None
    _bound_merges(path, data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:
        raise SourceError(path.name, msg("sheets.unreadable", reason=type(exc).__name__)) from None
    blocks: list[Block] = []
    read = 0  # characters of cell text so far
    for sheet in workbook.worksheets:
        if sheet.max_row * sheet.max_column > MAX_SHEET_CELLS:
            raise SourceError(f"{path.name} {sheet.title}!{sheet.dimensions}",
                              msg("sheets.too_big", rows=sheet.max_row, columns=sheet.max_column,
                                  most=MAX_SHEET_CELLS))
        for r, row in enumerate(sheet.iter_rows(), start=1):
            cells = []
            for c, cell in enumerate(row, start=1):
                value = cell.value
                text = "" if value is None else _excel_text(value, cell.number_format)
                read += len(text)
                if read > MAX_WORKBOOK_TEXT:
                    raise SourceError(f"{path.name} {sheet.title}!{get_column_letter(c)}{r}",
                                      msg("sheets.too_much_text", most=MAX_WORKBOOK_TEXT))
                cells.append(Cell(clean(text), f"{path.name} {sheet.title}!{get_column_letter(c)}{r}"))
            filled = [cell for cell in cells if cell.text]
            if not filled:
                continue
            if len(filled) == 1 and filled[0] is cells[0]:  # text on its own in column A: a paragraph
                blocks.append(Para(filled[0].text, filled[0].where))
            else:
                blocks.append(Row(tuple(cells), f"{path.name} {sheet.title}!{r}"))
    return blocks


def _excel_text(value: object, number_format: str) -> str:
    """A cell as the reader sees it: 0.25 formatted as a percent reads 25% (0.8 as 0.00% reads 80.00%),
    100000 as money 100000.00, a date as 2023年12月15日 (as forms write dates, and the targets' grammar
    reads them)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, (int, float)):
        if "%" in number_format:
            return _percent(value, number_format)
        if "0.00" in number_format:
            return f"{value:.2f}"
        return f"{value:g}" if isinstance(value, float) else str(value)
    return str(value)


def _percent(value: float, number_format: str) -> str:
    """A share as its format shows it (80.00% under 0.00%), but never rounded: 95.5% under 0% stays 95.5%."""
    shown = re.search(r"0\.(0+)%", number_format)
    places = len(shown.group(1)) if shown else 0
    percent = Decimal(repr(value)) * 100
    if percent == percent.quantize(Decimal(1).scaleb(-places)):
        return f"{percent:.{places}f}%"
    return f"{percent.normalize():f}%"


def _bound_merges(path: Path, data: bytes) -> None:
    """Refuse merged ranges covering more cells than a sheet may span, before openpyxl sees them: it
    makes an object for every cell a merged range covers while loading (A1:XFD1048576 is 17 billion).
    The archive was checked first (archives.py): its members are few and bounded in size."""
    covered = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            for first_column, first_row, last_column, last_row in _MERGE.findall(archive.read(name)):
                covered += (abs(_column_number(last_column) - _column_number(first_column)) + 1) * \
                    (abs(int(last_row) - int(first_row)) + 1)
                if covered > MAX_SHEET_CELLS:
                    last = (first_column + first_row + b':' + last_column + last_row).decode()
                    raise SourceError(path.name, msg("sheets.merged", most=MAX_SHEET_CELLS, last=last, member=name))


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
