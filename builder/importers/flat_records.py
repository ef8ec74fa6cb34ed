"""A flat sheet's rows -> its projects, their records, and the department they belong to.

`group_projects` walks the rows under the header (flat_sheets.py): a filled 项目编码 starts a project, a row
whose project cells are blank (or merged) continues the one above, and a project cell a later row states
differently is a warning at that cell (the first row's value kept). `project_record` makes each project's
record (its cells, its money in the sheet's unit, its goals as numbered items, its rows read as an
indicator table by indicator_table.read_indicators); `sheet_department` the department's code, name and scope from
a `单位名称：` line, the title (`CODE-名称2024年…`) or the 主管部门 column, in that order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.base.messages import msg
from builder.base.patterns import Short
from builder.content.frameworks import squeeze
from builder.importers.cells import at, label_key
from builder.importers.form_identity import MoneyUnit, unit_identity
from builder.importers.forms import split_numbered
from builder.importers.imported import Imported, ImportError_, Note
from builder.importers.indicator_table import header_columns, read_indicators
from builder.importers.sources import Block, Cell, Para, Row

_TEXT = ("supervisor", "implementer", "manager", "phone", "kind", "attribute", "period")
_MONEY = ("total", "fiscal", "other")
_TITLE_UNIT = Short(r"^[\[【(（]?(\d{3,})[\]】)）]?\s*[-—－]?\s*(.+?)\s*(20\d\d)\s*年", 300)


@dataclass
class FlatProject:
    code: str
    cells: dict[str, Cell]  # each project column as the project first states it
    number: int
    rows: list[Row] = field(default_factory=list)


@dataclass
class FlatSheet:
    result: Imported
    units: MoneyUnit
    columns: dict[str, int] = field(default_factory=dict)  # project column -> its index
    breakdown: dict[int, str] = field(default_factory=dict)  # index -> the funding source it holds
    skipped: set[int] = field(default_factory=set)  # row numbers (序号)
    labels: dict[str, Cell] = field(default_factory=dict)  # project column -> its header cell


def group_projects(data: list[Block], sheet: FlatSheet, indicator_columns: dict[str, int]) -> list[FlatProject]:
    projects: list[FlatProject] = []
    current: FlatProject | None = None
    merged: dict[str, Cell] = {}  # level1/level2 -> the cell the rows above last stated
    for block in data:
        if isinstance(block, Para):
            sheet.result.notes.append(Note("department", msg("imported.text_not_placed", text=block.text),
                                           block.where, level="warning"))
            continue
        if not block.filled() or header_columns(block) is not None:
            continue  # an empty row, or the header repeated on a new page
        stated = {key: cell for key, index in sheet.columns.items() if (cell := at(block, index)) and cell.text}
        code = stated.pop("code", None)
        if code is not None:
            code_text = _code(code, sheet.result, len(projects) + 1)
            if current is None or code_text != current.code:
                current = next((p for p in projects if p.code == code_text), None)
                if current is not None:
                    sheet.result.notes.append(Note(f"project:{current.number}",
                                                   msg("flat_records.rows_apart", code=code_text), code.where,
                                                   level="warning"))
                else:
                    current = FlatProject(code_text, {"code": code}, len(projects) + 1)
                    projects.append(current)
                    block = _carry(block, indicator_columns, merged, sheet.result, current.number)
        elif current is None and not stated:
            text = " | ".join(c.text for c in block.filled())
            sheet.result.notes.append(Note("department", msg("flat_records.row_before_projects", text=text),
                                           block.where, level="warning"))
            continue
        elif current is None or _new_name(stated, current):
            what = next(iter(stated.values()))
            raise ImportError_(what.where, msg("flat_records.no_code", text=what.text))
        for key, cell in stated.items():
            _state(current, key, cell, sheet)
        for index in sheet.breakdown:
            cell = at(block, index)
            if cell is not None and cell.text:
                _state(current, f"breakdown:{index}", cell, sheet)
        for level in ("level1", "level2"):
            cell = at(block, indicator_columns.get(level))
            if cell is not None and cell.text:
                merged[level] = cell
        current.rows.append(block)
    return projects


def _code(cell: Cell, result: Imported, number: int) -> str:
    glued = re.match(r"^([0-9A-Za-z_]+)\s*[-—－]\s*([^\x00-\x7f].*)$", cell.text)  # P001-名称, not 2024-001
    if glued:
        result.notes.append(Note(f"project:{number}", msg("forms.glued_code", text=cell.text), cell.where))
        return glued.group(1)
    return squeeze(cell.text)


def _new_name(stated: dict[str, Cell], current: FlatProject) -> bool:
    name, known = stated.get("name"), current.cells.get("name")
    return name is not None and known is not None and squeeze(name.text) != squeeze(known.text)


def _carry(row: Row, columns: dict[str, int], merged: dict[str, Cell], result: Imported, number: int) -> Row:
    """A project's first row with the 一级/二级 a merged cell above runs on with."""
    cells = list(row.cells)
    for level in ("level1", "level2"):
        index = columns.get(level)
        if index is not None and index < len(cells) and not cells[index].text and level in merged:
            cells[index] = Cell(merged[level].text, cells[index].where)
            result.notes.append(Note(f"project:{number}", msg("flat_records.runs_on",
                                                              level="一级指标" if level == "level1" else "二级指标",
                                                              text=merged[level].text, where=merged[level].where),
                                     cells[index].where))
    return Row(tuple(cells), row.where)


def _state(project: FlatProject, key: str, cell: Cell, sheet: FlatSheet) -> None:
    """A project cell: the first statement is kept; a different one later is a warning at it."""
    first = project.cells.get(key)
    if first is None:
        project.cells[key] = cell
        if project.rows:
            sheet.result.notes.append(Note(f"project:{project.number}", msg("flat_records.later_row", text=cell.text),
                                           cell.where))
        return
    money = key in _MONEY or key.startswith("breakdown:")
    if (squeeze(first.text) if not money else re.sub(r"[\s,]", "", first.text)) == \
            (squeeze(cell.text) if not money else re.sub(r"[\s,]", "", cell.text)):
        return
    label = _label(key, sheet)
    sheet.result.notes.append(Note(f"project:{project.number}", msg("flat_records.differs", label=label,
                                                                    code=project.code, text=cell.text,
                                                                    first=first.text, where=first.where),
                                   cell.where, level="warning"))


def _label(key: str, sheet: FlatSheet) -> str:
    if key.startswith("breakdown:"):
        return sheet.breakdown[int(key.split(":")[1])]
    cell = sheet.labels.get(key)
    return label_key(cell.text) if cell is not None else key


def sheet_department(title: Para | None, unit_cell: Cell | None, projects: list[FlatProject], sheet: FlatSheet,
                unit: str) -> None:
    department, result = sheet.result.department, sheet.result
    titled = _TITLE_UNIT.match(title.text) if title is not None and unit_cell is None else None
    if titled is not None and title is not None:
        unit_cell = Cell(f"{titled.group(1)}-{titled.group(2)}", title.where)
    supervisor = next((p.cells["supervisor"] for p in projects if "supervisor" in p.cells), None)
    cell = unit_cell or supervisor
    if cell is None:
        raise ImportError_(result.source, msg("flat_records.no_unit"))
    code, name, scope = unit_identity(cell.text)
    if code is None:
        raise ImportError_(cell.where, msg("flat_records.unit_without_code", text=cell.text))
    department.update(code=code, name=name, scope=scope or "本级", money_unit=unit)
    result.sources[("department", "code")] = cell.where
    if scope is None:
        result.notes.append(Note("department", msg("whole_forms.no_scope"), cell.where))
    for project in projects:
        other = project.cells.get("supervisor")
        if other is not None and unit_identity(other.text)[0] not in (code, None):
            result.notes.append(Note(f"project:{project.number}", msg("flat_records.other_supervisor",
                                                                      text=other.text, code=code),
                                     other.where, level="warning"))


def project_record(project: FlatProject, sheet: FlatSheet, indicator_header: Row, title: Para | None, unit: str) -> dict:
    key, cells, result = f"project:{project.number}", project.cells, sheet.result
    record: dict = {"code": project.code, "number": project.number, "money_unit": unit,
                    "comment": f"{title.text if title else '项目绩效目标表'}，第{project.number}个项目"}
    result.sources[(key, "code")] = cells["code"].where
    name = cells.get("name")
    record["name"] = name.text if name is not None else "（原文未填写）"
    if name is None:
        result.notes.append(Note(key, msg("flat_records.no_name"), cells["code"].where, level="warning"))
    for field_name in _TEXT:
        if field_name in cells:
            record[field_name] = cells[field_name].text
            result.sources[(key, field_name)] = cells[field_name].where
    budget: dict = {}
    for field_name in _MONEY:
        if field_name in sheet.columns:  # a blank cell is a blank amount, not a zero
            cell = cells.get(field_name)
            budget[field_name] = re.sub(r"\s", "", cell.text) if cell is not None else ""
            if cell is not None:
                result.sources[(key, f"budget.{field_name}")] = cell.where
    if not budget.get("total"):
        raise ImportError_(cells["code"].where, msg("flat_records.no_total", code=project.code))
    if sheet.breakdown:
        budget["breakdown"] = [{"name": label, "amount": re.sub(r"\s", "", cells[f"breakdown:{i}"].text)
                                if f"breakdown:{i}" in cells else ""} for i, label in sheet.breakdown.items()]
    record["budget"] = budget
    if "purpose" in cells:
        record["purpose"] = cells["purpose"].text
        result.sources[(key, "purpose")] = cells["purpose"].where
    for field_name in ("long_term_goals", "goals"):
        if field_name in cells:
            record[field_name] = split_numbered(cells[field_name].text)
            result.sources[(key, field_name)] = cells[field_name].where
    if "goals" not in record:
        record["goals"] = ["（原文未填写）"]
        result.notes.append(Note(key, msg("flat_records.no_goals"), cells["code"].where, level="warning"))
    record["indicators"] = read_indicators([indicator_header, *project.rows], result, key, report_unkept=False)
    if not record["indicators"]:
        result.notes.append(Note(key, msg("flat_records.no_indicators"), cells["code"].where, level="warning"))
    return record
