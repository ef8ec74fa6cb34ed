"""A small XLSX writer: sheets of text and numbers, a bold frozen header, money as #,##0.00.

openpyxl builds a cell object per value and took ~40 ms for a one-project
workbook: 90 s for the data of 2,000 projects. The exports need four plain
sheets, which are a handful of XML parts in a zip, written here directly
(ECMA-376 SpreadsheetML, the parts Excel, WPS and LibreOffice require).
Strings are inline (no shared-string table to keep in step); numbers are
written from their exact decimal text. Fixed zip times and properties keep
the bytes the same from one build to the next.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from xml.sax.saxutils import escape

from builder.publish.spreadsheet import FORMULA_STARTS

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEADER, _MONEY = 1, 2  # style indexes in STYLES' cellXfs

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{_MAIN}">
<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>
"""


@dataclass(frozen=True)
class Sheet:
    title: str
    header: list[str]
    rows: str | Iterable[str]  # <row> elements from row_xml(), joined, or pieces of them in order


def row_xml(values: list, money: frozenset[int] = frozenset()) -> str:
    """One row; `values` are str, int, Decimal or None (an empty cell), `money` the columns shown as #,##0.00.

    Rows and cells carry no `r` reference (it is optional in SpreadsheetML), so a
    project's rows are the same text wherever they land in a sheet.
    """
    return row_writer(len(values), money)(values)


@lru_cache(maxsize=64)
def row_writer(count: int, money: frozenset[int] = frozenset()) -> Callable[[list], str]:
    """row_xml for rows of `count` cells, with each column's tags worked out once: a site's data
    has a million cells, and deciding a cell's style and tags for each was a third of the data's CPU."""
    number = [f'<c s="{_MONEY}"><v>' if i in money else "<c><v>" for i in range(count)]
    text = [f'<c s="{_MONEY}" t="inlineStr"><is><t xml:space="preserve">' if i in money else _TEXT
            for i in range(count)]

    def write(values: list) -> str:
        cells = ["<row>"]
        for i, value in enumerate(values):
            kind = type(value)
            if value is None or value == "":
                cells.append("<c/>")
            elif kind is str:
                cells += (text[i], _text(value), "</t></is></c>")
            elif kind is Decimal or kind is int:
                cells += (number[i], str(value), "</v></c>")
            else:
                cells.append(_cell(value, _MONEY if i in money else 0))
        cells.append("</row>")
        return "".join(cells)
    return write


_TEXT = '<c t="inlineStr"><is><t xml:space="preserve">'


def _text(value: str) -> str:
    # An inline string is text in the file, but a reader who edits the cell or saves the sheet as
    # CSV gets a formula back: quoted as the CSV is (spreadsheet.py).
    if value[:1] in FORMULA_STARTS:
        value = "'" + value
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    return value


def _cell(value: object, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, (int, Decimal)):
        return f"<c{s}><v>{value}</v></c>"
    return f'<c{s} t="inlineStr"><is><t xml:space="preserve">{_text(str(value))}</t></is></c>'


def sheet_xml(sheet: Sheet) -> Iterator[str]:
    header = "<row>" + "".join(_cell(v, _HEADER) for v in sheet.header) + "</row>"
    yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
           '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
           f'state="frozen"/></sheetView></sheetViews><sheetData>{header}')
    if isinstance(sheet.rows, str):
        yield sheet.rows
    else:
        yield from sheet.rows
    yield "</sheetData></worksheet>"


def workbook(sheets: list[Sheet], date: datetime, creator: str = "gongkai") -> bytes:
    stamp = date.strftime("%Y-%m-%dT%H:%M:%SZ")
    n = len(sheets)
    parts: dict[str, str | Iterator[str]] = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, n + 1))
            + '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/></Relationships>'),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:creator>{escape(creator)}</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            "<sheets>" + "".join(f'<sheet name="{escape(s.title)}" sheetId="{i}" r:id="rId{i}"/>'
                                 for i, s in enumerate(sheets, start=1)) + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, n + 1))
            + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": STYLES,
    }
    for i, sheet in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(sheet)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            # The fixed parts are a few hundred bytes: stored, they cost no compressor per workbook.
            info.compress_type = zipfile.ZIP_DEFLATED if name.startswith("xl/worksheets/") else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            # Sheets are written as they are read: a province's sheet need not be in memory whole.
            with archive.open(info, "w", force_zip64=True) as part:
                for piece in [text] if isinstance(text, str) else text:
                    part.write(piece.encode("utf-8"))
    return out.getvalue()
