"""A project's indicator table (一级/二级/三级指标, 指标值 …) -> its indicator rows, each column by its header.

The same reader serves the Hebei 绩效目标表 and the 申报表/批复表 family: the header row is the one
naming 一级指标, 二级指标, 三级指标 and a 指标值 column under any of their labels
(labels.HEADER_SYNONYMS, whose keys are the indicator fields of the project schema), and each later
row is one indicator, its cells kept verbatim under those keys. A blank 一级 or 二级 cell continues
the merged cell above, so the key is left out, as the content schema reads it. A header repeated on
a new page is read again.

Nothing is dropped silently: a column whose header names no field is reported once, at its header,
with the number of rows that have text in it; text in a column with no header at all is reported
at its cell; a row that is not an indicator is kept as a note.
"""

from __future__ import annotations

import re

from builder.base.messages import msg
from builder.importers import labels
from builder.importers.cells import at, columns, excel_date, serial_note, which
from builder.importers.imported import Imported, Note
from builder.importers.sources import Cell, Row

# The order the project schema lists an indicator's fields in, which is the order they are written.
FIELDS = ("level1", "level2", "name", "description", "target", "period_target", "basis", "nature", "unit",
          "previous", "weight", "direction", "formula", "note")
_REQUIRED = {"level1", "level2", "name", "target"}


def header_columns(row: Row) -> dict[str, int] | None:
    """Each field's column when `row` is an indicator table's header, else None."""
    found = columns(row, labels.HEADER_SYNONYMS)
    return found if _REQUIRED <= set(found) else None


def read_indicators(table: list[Row], result: Imported, key: str, report_unkept: bool = True) -> list[dict]:
    """The rows under `table[0]`, the header row, as indicator records. `report_unkept`: warn of the text in
    columns no field takes; False when the caller's table has columns of its own (a flat sheet's project
    columns) and reports the rest itself."""
    header = table[0]
    fields = header_columns(header) or {}
    indicators: list[dict] = []
    unkept: dict[tuple[str, str], int] = {}  # (header text, where) -> rows with text in that column
    level2 = ""  # the 二级 a row has, written or carried down from a merged cell above
    for row in table[1:]:
        if again := header_columns(row):  # the header repeated on a new page
            header, fields = row, again
            continue
        if not any(c.text for c in row.cells):
            continue
        level3, target = at(row, fields.get("name")), at(row, fields.get("target"))
        if level3 is None or not level3.text or target is None:
            text = " | ".join(c.text for c in row.cells if c.text)
            result.notes.append(Note(key, msg("indicator_table.not_an_indicator", text=text), row.where))
            continue
        if report_unkept:
            _unkept_cells(row, header, fields, unkept, result, key)
        indicator: dict = {}
        for field_name in FIELDS:
            cell = at(row, fields.get(field_name))
            if field_name == "target":
                indicator["target"] = target.text or "（原文未填写）"
                if not target.text:
                    result.notes.append(Note(key, msg("indicator_table.no_target", name=level3.text), target.where))
                elif (day := excel_date(target.text)) is not None and _is_timely(level2, level3.text):
                    indicator["target"] = serial_note(target.text, day, "指标值", target, result, key)
            elif cell is not None and cell.text:
                indicator[field_name] = _direction(cell, result, key) if field_name == "direction" else cell.text
                level2 = cell.text if field_name == "level2" else level2
        result.sources[(key, f"indicators.{len(indicators)}")] = row.where
        result.sources[(key, f"indicators.{len(indicators)}.target")] = target.where
        indicators.append(indicator)
    for (label, where), count in unkept.items():
        result.notes.append(Note(key, msg("indicator_table.column_not_kept", label=label, count=count), where,
                                 level="warning"))
    return indicators


def _unkept_cells(row: Row, header: Row, fields: dict[str, int], unkept: dict[tuple[str, str], int],
                  result: Imported, key: str) -> None:
    """Count the text of this row that no field takes: under an unknown header, or under none."""
    kept = set(fields.values())
    for index, cell in enumerate(row.cells):
        if not cell.text or index in kept or which(cell.text, {"block": labels.INDICATOR_BLOCK}):
            continue
        label = at(header, index)
        if label is not None and label.text:
            if which(label.text, {"block": labels.INDICATOR_BLOCK}) is None:
                unkept[(label.text, label.where)] = unkept.get((label.text, label.where), 0) + 1
        else:
            result.notes.append(Note(key, msg("indicator_table.headless_text", text=cell.text), cell.where,
                                     level="warning"))


def _is_timely(level2: str, name: str) -> bool:
    """A row whose 指标值 is a date: a 时效指标, or one named for a time (完成时间, 验收日期, 时限). There a
    five-digit number is an Excel date serial (45657 is 2024-12-31); elsewhere it may be a count."""
    return "时效" in level2 or bool(re.search(r"时间|日期|时限|期限|时点", name))


def _direction(cell: Cell, result: Imported, key: str) -> str:
    """指标方向 as the schema writes it (正向, 反向); another spelling is read with a note, an unknown
    one kept as written (check then says what it may be)."""
    direction = which(cell.text, labels.DIRECTIONS)
    if direction is None or direction == cell.text:
        return cell.text
    result.notes.append(Note(key, msg("indicator_table.direction", text=cell.text, direction=direction), cell.where))
    return direction
