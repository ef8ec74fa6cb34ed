"""A flat sheet: one row per indicator for many projects -> one project record each.

Recognised by its header: the indicator columns (labels.HEADER_SYNONYMS: 一级/二级/三级指标, 指标值 …) beside
project columns (labels.FLAT_PROJECT_COLUMNS: 项目编码, 项目名称, 年度资金总额 …), in one row or over two
(资金情况（万元） over 年度资金总额 | 财政资金 | 其他资金). A project's cells stand on its first row; a row whose
project cells are blank (or merged) continues the project above, and one that states a project cell
differently is a warning at that cell, the first row's value kept. Each project's rows are then read as
its indicator table (indicator_table.read_indicators); a merged 一级/二级 that runs on from the project above is
carried onto the project's first row. The department is the unit a `单位名称：` line or the title names,
else the 主管部门 column's; the money unit is the sheet's (单位：万元, or 年度资金总额（万元） in a label),
one for the whole sheet. A column no field holds is a warning at its header. The projects and their
records are made in flat_records.py.
"""

from __future__ import annotations

import re

from builder.base.messages import msg
from builder.importers import labels
from builder.importers.cells import after, label_key, which
from builder.importers.flat_records import FlatSheet, group_projects, project_record, sheet_department
from builder.importers.form_identity import MoneyUnit, unkept_columns
from builder.importers.imported import Imported, ImportError_, Note
from builder.importers.indicator_table import header_columns
from builder.importers.sources import Block, Cell, Para, Row

_IDS = {"code": labels.FLAT_PROJECT_COLUMNS["code"], "name": labels.FLAT_PROJECT_COLUMNS["name"]}
_OTHER = {"breakdown": labels.FLAT_BREAKDOWN, "group": labels.FLAT_GROUPS, "number": labels.ROW_NUMBERS}


def flat_header(row: Row, below: Row | None) -> Row | None:
    """The indicator header of a flat sheet whose header starts at `row` (`below` the row under it), or None."""
    if not any(which(cell.text, _IDS) for cell in row.cells):
        return None
    if header_columns(row) is not None:
        return row
    return below if below is not None and header_columns(below) is not None else None


def _header_at(rows: list[Row], index: int) -> Row | None:
    return flat_header(rows[index], rows[index + 1] if index + 1 < len(rows) else None)


def is_flat_sheet(blocks: list[Block]) -> bool:
    rows = [b for b in blocks if isinstance(b, Row)]
    return any(_header_at(rows, i) is not None for i in range(len(rows)))


def read_flat(blocks: list[Block], result: Imported) -> None:
    rows = [b for b in blocks if isinstance(b, Row)]
    start = next(i for i in range(len(rows)) if _header_at(rows, i) is not None)
    indicator_header = _header_at(rows, start)
    assert indicator_header is not None  # is_flat_sheet chose the source by it
    header_rows = [rows[start]] + ([rows[start + 1]] if indicator_header is not rows[start] or
                                   _second_header(rows, start) else [])
    sheet = FlatSheet(result, MoneyUnit(msg("form_identity.flat_sheet")))
    title, unit_cell = _before(blocks[:blocks.index(rows[start])], sheet)
    for header in header_rows:
        _columns(sheet, header)
    data = blocks[blocks.index(header_rows[-1]) + 1:]
    projects = group_projects(data, sheet, header_columns(indicator_header) or {})
    if not projects:
        raise ImportError_(header_rows[-1].where, msg("flat_sheets.no_rows"))
    unit = sheet.units.chosen(result, "department", rows[start].where)
    sheet_department(title, unit_cell, projects, sheet, unit)
    for project in projects:
        result.projects.append(project_record(project, sheet, indicator_header, title, unit))
    known = set(sheet.columns.values()) | set(sheet.breakdown) | sheet.skipped | \
        set((header_columns(indicator_header) or {}).values())
    unkept_columns(_labels_row(header_rows), [r for p in projects for r in p.rows], known, result, "department")


def _second_header(rows: list[Row], start: int) -> bool:
    """Whether the row under the header is a second header row: labels only, of project columns."""
    if start + 1 >= len(rows):
        return False
    filled = [cell for cell in rows[start + 1].cells if cell.text]
    return bool(filled) and all(which(c.text, {**labels.FLAT_PROJECT_COLUMNS, **_OTHER}) for c in filled)


def _columns(sheet: FlatSheet, header: Row) -> None:
    for index, cell in enumerate(header.cells):
        if not cell.text:
            continue
        sheet.units.read(cell.text, cell.where)
        key = which(cell.text, labels.FLAT_PROJECT_COLUMNS)
        if key is not None and key not in sheet.columns:
            sheet.columns[key], sheet.labels[key] = index, cell
        elif which(cell.text, {"breakdown": labels.FLAT_BREAKDOWN}):
            sheet.breakdown[index] = label_key(cell.text)
        elif which(cell.text, {"number": labels.ROW_NUMBERS}):
            sheet.skipped.add(index)  # the rows' order, which the files keep


def _labels_row(header_rows: list[Row]) -> Row:
    """The header as one row: each column's lowest label (a second row's label under a group's)."""
    cells = list(header_rows[0].cells)
    for row in header_rows[1:]:
        for index, cell in enumerate(row.cells):
            if cell.text and index < len(cells):
                cells[index] = cell
    return Row(tuple(cells), header_rows[0].where)


def _before(blocks: list[Block], sheet: FlatSheet) -> tuple[Para | None, Cell | None]:
    """The sheet's title and the cell naming its unit (`单位名称：…`), from the lines above its header."""
    title: Para | None = None
    unit: Cell | None = None
    for block in blocks:
        if isinstance(block, Row):
            stated = sheet.units.read_row(block)
            found = _unit_cell(block)
            unit = unit or found
            if found is None and not stated:
                text = " | ".join(c.text for c in block.filled())
                sheet.result.notes.append(Note("department", msg("flat_sheets.row_above", text=text), block.where,
                                               level="warning"))
            continue
        if sheet.units.read(block.text, block.where):
            continue
        head, sep, rest = re.sub(r"[：:]", "：", block.text, count=1).partition("：")
        if sep and which(head, labels.DEPARTMENT_CELLS) and rest.strip():
            unit = unit or Cell(rest.strip(), block.where)
        elif title is None:
            title = block
        else:
            sheet.result.notes.append(Note("department", msg("imported.text_not_placed", text=block.text),
                                           block.where, level="warning"))
    return title, unit


def _unit_cell(row: Row) -> Cell | None:
    for key in ("unit", "department"):
        cell = after(row, labels.DEPARTMENT_CELLS, key)
        if cell is not None and cell.text:
            return cell
    return None

