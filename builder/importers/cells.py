"""Cells of a stage form read by their labels (labels.py): which label a cell is, what it states.

A label is compared as labels.py describes (no whitespace, NFKC, no bracketed unit or weight, no
leading 其中：), so `其中：当年财政拨款`, `年初预算数（万元）` and `1—7月实际完成值` are found under
the labels 当年财政拨款, 年初预算数 and 1-N月实际完成值. What a bracket states is read apart
(`（万元）` a money unit, `（10分）` a weight), and a month label its month. Also here: which
title starts a form, a second header row of ticked columns, which 三级指标 is a template's
placeholder, and Excel's date serials.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Mapping

from builder.base.messages import msg
from builder.content.frameworks import squeeze
from builder.importers import labels
from builder.importers.imported import Imported, Note
from builder.importers.sources import Block, Cell, Para, Row

_BRACKET = re.compile(r"\(([^()]*)\)")
_DASH = "[-–—~至到]"


def label_key(text: str) -> str:
    """A cell's text as labels are compared."""
    bare = squeeze(unicodedata.normalize("NFKC", text))
    bare = _BRACKET.sub("", bare).rstrip(":")
    return re.sub(r"^其中[:、]?", "", bare)


@functools.lru_cache(maxsize=None)
def _pattern(label: str) -> re.Pattern[str]:
    """A label of labels.py as a regular expression: `N` a month, `1-` any dash after the 1."""
    text = re.escape(label_key(label)).replace("1\\-", f"1{_DASH}").replace("N", r"(?P<month>\d{1,2})")
    return re.compile(f"^{text}$")


def which(text: str, table: Mapping[str, tuple[str, ...]]) -> str | None:
    """The key of `table` whose labels include the cell's text, or None."""
    if not text:
        return None
    bare = label_key(text)
    if not bare:
        return None
    for key, spellings in table.items():
        if any(_pattern(label).match(bare) for label in spellings):
            return key
    return None


def month_of(text: str) -> int | None:
    """The month a label like 1-7月执行数 names (7), or None."""
    found = re.search(rf"(?:1\s*{_DASH}\s*)?(\d{{1,2}})\s*月", unicodedata.normalize("NFKC", text))
    return int(found.group(1)) if found and 1 <= int(found.group(1)) <= 12 else None


def money_unit_of(text: str) -> str | None:
    """The money unit a label or a unit line states: 项目资金（万元）, 单位：元, 金额单位：万元."""
    bare = squeeze(unicodedata.normalize("NFKC", text))
    found = re.search(r"\((万元|元)\)|单位:(万元|元)$", bare)
    return (found.group(1) or found.group(2)) if found else None


def points_of(text: str) -> str | None:
    """The weight a label states: 预算执行情况(10分) -> 10."""
    found = re.search(r"\((\d+(?:\.\d+)?)分\)", squeeze(unicodedata.normalize("NFKC", text)))
    return found.group(1) if found else None


def columns(row: Row, table: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """Each key of `table` whose label heads a column of `row`, and that column (the first)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row.cells):
        key = which(cell.text, table)
        if key is not None and key not in found:
            found[key] = index
    return found


def at(row: Row, index: int | None) -> Cell | None:
    if index is None or index >= len(row.cells):
        return None
    return row.cells[index]


def after(row: Row, table: Mapping[str, tuple[str, ...]], key: str) -> Cell | None:
    """The first filled cell after the cell labelled `key` in `row` (blank when none is)."""
    cells = list(row.cells)
    for i, cell in enumerate(cells):
        if which(cell.text, {key: table[key]}):
            for later in cells[i + 1:]:
                if later.text and which(later.text, table) is None:
                    return later
            return Cell("", cell.where)
    return None


def first_label(row: Row, table: Mapping[str, tuple[str, ...]]) -> tuple[str, int] | None:
    """The key of the first filled cell of `row` when it is a label of `table`, and its column."""
    for index, cell in enumerate(row.cells):
        if cell.text:
            key = which(cell.text, table)
            return (key, index) if key is not None else None
    return None


def tick_columns(row: Row, header: Row, table: dict[str, int],
                 columns_table: Mapping[str, tuple[str, ...]]) -> dict[int, tuple[str, str]]:
    """A second header row that splits 偏差原因分析 or 完成目标可能性 into one column per value, each
    ticked (√) or not; the split header's own column then holds ticks, so its text (原因说明) is
    looked for in a column of its own."""
    found: dict[int, tuple[str, str]] = {}
    for index, cell in enumerate(row.cells):
        if not cell.text:
            continue
        for key, values in (("reason_category", labels.REASON_CATEGORIES), ("likelihood", labels.LIKELIHOODS)):
            value = which(cell.text, values)
            if value is not None:
                found[index] = (key, value)
                break
        else:
            return {}
    for key, index in list(table.items()):
        if index in found:
            del table[key]
            other = next((i for i, c in enumerate(header.cells)
                          if i not in found and i != index and which(c.text, columns_table) == key), None)
            if other is not None:
                table[key] = other
    return found


def title_kind(block: Block) -> str | None:
    """The kind of form a block's title starts (a key of labels.STAGE_TITLES), or None."""
    if isinstance(block, Para):
        text = block.text
    else:
        filled = {c.text for c in block.cells if c.text}
        if len(filled) != 1:
            return None
        text = filled.pop()
    bare = label_key(text.split("\n")[0])
    if len(bare) > 60:
        return None  # a sentence that names the form, not its title
    for kind, titles in labels.STAGE_TITLES.items():  # a 部门整体 title first: it ends like a project's
        if any(bare.endswith(label_key(title)) for title in titles):
            return kind
    return None


def is_placeholder(name: str) -> bool:
    bare = label_key(name)
    return any(re.fullmatch(pattern, bare) for pattern in labels.PLACEHOLDER_NAMES)


# Excel counts days from 1899-12-30 (its 1900 leap-year bug included); a serial in these years
# is a date typed into a cell formatted as a number, not a count.
EXCEL_EPOCH = datetime.date(1899, 12, 30)
SERIAL_YEARS = (2000, 2099)


def excel_date(text: str) -> datetime.date | None:
    """The date an Excel serial (45275) stands for, when the text is one in SERIAL_YEARS."""
    if not re.fullmatch(r"\d{5}(\.0+)?", text.strip()):
        return None
    day = EXCEL_EPOCH + datetime.timedelta(days=int(float(text)))
    return day if SERIAL_YEARS[0] <= day.year <= SERIAL_YEARS[1] else None


def chinese_date(day: datetime.date) -> str:
    """A date as a form writes it and the targets' grammar reads it: 2023年12月15日."""
    return f"{day.year}年{day.month}月{day.day}日"


def serial_note(text: str, day: datetime.date, label: str, cell: Cell, result: Imported, note_key: str) -> str:
    written = chinese_date(day)
    result.notes.append(Note(note_key, msg("cells.date_serial", text=text, label=label, day=day, written=written),
                             cell.where, level="warning"))
    return written
