"""A stage form (项目支出绩效自评表, 绩效目标执行监控表, 部门整体支出绩效自评表) in a source: cells by label.

`split_forms` finds each form by its title (labels.STAGE_TITLES); `read_form` finds, by the
labels of its kind (labels.FORM_TABLES) and never by position, the header cells (项目名称, 实施单位,
单位名称, also as a `label：value` line), the money block (its columns
and funding rows), 年度总体目标, the indicator table (one or two header rows: a 偏差原因分析 or
完成目标可能性 header may be split into a ticked column per category) and the conclusion rows.
Nothing is interpreted against the targets here (stage_records.py does that); a row that is not
part of the form is kept as a note, and a placeholder row (`指标2`, an empty row) as a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.base.messages import msg
from builder.importers import labels
from builder.importers.cells import (
    after,
    at,
    columns,
    first_label,
    is_placeholder,
    money_unit_of,
    month_of,
    points_of,
    tick_columns,
    title_kind,
    which,
)
from builder.importers.imported import Note
from builder.importers.labels import MARKS
from builder.importers.sources import Block, Cell, Para, Row


@dataclass
class FormRow:
    where: str
    cells: dict[str, Cell]  # column key -> this row's cell
    ticked: dict[str, list[str]] = field(default_factory=dict)  # reason_category/likelihood -> ticked values


@dataclass
class StageForm:
    kind: str  # "evaluation", "monitoring" or "department-evaluation"
    title: Para
    year: int | None = None
    cells: dict[str, Cell] = field(default_factory=dict)  # header cell key (FORM_TABLES) -> the cell after its label
    money_unit: tuple[str, str] | None = None  # (元 or 万元, where it is stated)
    money: dict[str, dict[str, Cell]] = field(default_factory=dict)  # funding row -> column -> cell
    money_where: str = ""
    budget_points: Cell | None = None  # 预算执行情况（10分）: a weight the block's label states
    period: tuple[str, str] | None = None  # (1-7月, where)
    goal: dict[str, list[Cell]] = field(default_factory=dict)
    columns: set[str] = field(default_factory=set)  # the indicator table's column keys
    rows: list[FormRow] = field(default_factory=list)
    conclusion: dict[str, Cell] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    pending_level1: Cell | None = None  # a 一级 label on a row that was left out
    unkept: dict[tuple[str, str], int] = field(default_factory=dict)  # (column header, where) -> rows with text


def split_forms(blocks: list[Block]) -> list[tuple[str, Para, list[Block]]]:
    """Each form's kind, title and the blocks after it (up to the next title)."""
    forms: list[tuple[str, Para, list[Block]]] = []
    for block in blocks:
        kind = title_kind(block)
        if kind is not None:
            title = block if isinstance(block, Para) else Para(next(c.text for c in block.cells if c.text), block.where)
            forms.append((kind, title, []))
        elif forms:
            forms[-1][2].append(block)
    return forms


def read_form(kind: str, title: Para, blocks: list[Block]) -> StageForm:
    form = StageForm(kind, title)
    _year(form, [title] + [b for b in blocks[:2] if isinstance(b, Para)])
    money_table, columns_table = labels.FORM_TABLES[kind]["money"], labels.FORM_TABLES[kind]["columns"]
    state = "form"
    money_columns: dict[str, int] = {}
    table: dict[str, int] = {}
    ticks: dict[int, tuple[str, str]] = {}
    header_row: Row | None = None
    goal_columns: dict[str, int] = {}
    for block in blocks:
        if isinstance(block, Para):
            _paragraph(form, block)
            continue
        header = columns(block, columns_table)
        if "name" in header and ({"actual", "progress", "forecast"} & set(header)):
            table, ticks, header_row, state = header, {}, block, "header"
            form.columns |= set(header)
            _period(form, block, ("progress",), header)
            continue
        if state == "header" and header_row is not None:
            state = "indicators"
            found = tick_columns(block, header_row, table, columns_table)
            if found:
                ticks = found
                continue
        found_goal = columns(block, labels.GOAL_LABELS)
        if "actual" in found_goal:  # Hubei: a second 年度绩效目标 block after the first one's indicators
            goal_columns, state = found_goal, "goal"
            continue
        conclusion = first_label(block, labels.CONCLUSION_LABELS) if state in ("indicators", "end") else None
        if conclusion is not None:
            _conclusion(form, block, conclusion[0], table)
            state = "end"  # 总分, 评价结论 …: the indicator table is over
            continue
        if state == "indicators":
            _indicator_row(form, block, table, ticks, header_row)
            continue
        found_money = columns(block, money_table)
        if len(set(found_money) - {"weight", "score"}) >= 2:
            money_columns, state = found_money, "money"
            form.money_where = block.where
            _unit_and_points(form, block)
            _period(form, block, ("executed", "rate"), found_money)
            continue
        if state == "goal":
            _goal_row(form, block, goal_columns)
            state = "form"
            continue
        if state == "money" and _money_row(form, block, money_columns, kind):
            continue
        state = "form"
        if _header_cells(form, block):
            continue
        if any(c.text for c in block.cells):
            text = " | ".join(c.text for c in block.cells if c.text)
            form.notes.append(Note("form", msg("stage_forms.row_left_out", text=text), block.where))
    for (label, where), count in form.unkept.items():
        form.notes.append(Note("form", msg("stage_forms.column_not_kept", label=label, count=count), where,
                               level="warning"))
    if not form.rows:
        form.notes.append(Note("form", msg("stage_forms.no_indicators"), title.where, level="warning"))
    return form


def _year(form: StageForm, paras: list[Para]) -> None:
    years = [int(found.group(1)) for para in paras if (found := re.search(r"(20\d\d)\s*年", para.text))]
    form.year = years[0] if years else None


def _paragraph(form: StageForm, para: Para) -> None:
    unit = money_unit_of(para.text)
    if unit and form.money_unit is None:
        form.money_unit = (unit, para.where)
        return
    if re.fullmatch(r"[(（]?\s*(20\d\d)\s*年度?\s*[)）]?", para.text.strip()):
        return  # the year line under the title, read by _year
    head, sep, rest = re.sub(r"[：:]", "：", para.text, count=1).partition("：")
    cells_table = labels.FORM_TABLES[form.kind]["cells"]
    for table, found in ((labels.CONCLUSION_LABELS, form.conclusion), (cells_table, form.cells)):
        key = which(head, table) if sep else None
        if key is not None and rest.strip():
            found.setdefault(key, Cell(rest.strip(), para.where))  # 评价结论：…, 填报单位：…
            return
    month = month_of(para.text) if re.search(r"监控|1\s*[-–—~～至到]\s*\d", para.text) else None
    if form.kind == "monitoring" and month and form.period is None:
        form.period = (f"1-{month}月", para.where)
        return
    form.notes.append(Note("form", msg("imported.text_not_placed", text=para.text), para.where))


def _period(form: StageForm, row: Row, keys: tuple[str, ...], found: dict[str, int]) -> None:
    """The months a monitoring round covers, from a label like 1-7月执行数."""
    for key in keys:
        cell = at(row, found.get(key))
        month = month_of(cell.text) if cell is not None else None
        if month and form.kind == "monitoring" and form.period is None:
            form.period = (f"1-{month}月", cell.where if cell is not None else row.where)


def _indicator_row(form: StageForm, row: Row, table: dict[str, int], ticks: dict[int, tuple[str, str]],
                   header: Row | None) -> None:
    cells = {key: cell for key, index in table.items() if (cell := at(row, index)) is not None}
    known = set(table.values()) | set(ticks) | {min(table.values(), default=0) - 1}  # and 绩效指标, left of 一级
    for index, cell in enumerate(row.cells):
        label = at(header, index) if header is not None else None
        if cell.text and index not in known and label is not None and label.text:
            form.unkept[(label.text, label.where)] = form.unkept.get((label.text, label.where), 0) + 1
    name = cells.get("name")
    level1 = cells.get("level1")
    if name is None or not name.text or is_placeholder(name.text):
        text = " | ".join(c.text for c in row.cells if c.text)
        said = msg("stage_forms.placeholder_row", name=name.text, text=text) if name is not None and name.text else \
            msg("stage_forms.row_without_name", text=text) if text else msg("stage_forms.empty_row")
        form.notes.append(Note("form", said, row.where, level="warning"))
        if level1 is not None and level1.text:
            form.pending_level1 = level1  # the block's label stays with the block's first real row
        return
    if form.pending_level1 is not None:
        if level1 is None or not level1.text:
            cells["level1"] = form.pending_level1
        form.pending_level1 = None
    ticked: dict[str, list[str]] = {}
    for index, (key, value) in ticks.items():
        cell = at(row, index)
        if cell is not None and cell.text in MARKS:
            ticked.setdefault(key, []).append(value)
    form.rows.append(FormRow(row.where, cells, ticked))


def _conclusion(form: StageForm, row: Row, key: str, table: dict[str, int]) -> None:
    if key == "total":
        score = at(row, table.get("score"))
        filled = [c for c in row.cells if c.text and which(c.text, labels.CONCLUSION_LABELS) is None]
        numbers = [c for c in filled if re.fullmatch(r"\d+(\.\d+)?\s*分?", c.text)]
        cell = score if score is not None and score.text else (numbers[-1] if numbers else None)
        if cell is not None:
            form.conclusion.setdefault("total", cell)
        return
    cell = after(row, labels.CONCLUSION_LABELS, key)
    if cell is not None and cell.text:
        form.conclusion.setdefault(key, cell)


def _unit_and_points(form: StageForm, row: Row) -> None:
    for cell in row.cells:
        unit = money_unit_of(cell.text)
        if unit and form.money_unit is None:
            form.money_unit = (unit, cell.where)
        if points_of(cell.text) and form.budget_points is None:
            form.budget_points = Cell(points_of(cell.text) or "", cell.where)


def _money_row(form: StageForm, row: Row, columns: dict[str, int], kind: str) -> bool:
    """A funding row of the money block; False when the row is none (the block has ended)."""
    found = next(((key, i) for i, c in enumerate(row.cells) if (key := which(c.text, labels.FUNDING_ROWS))), None)
    _unit_and_points(form, row)
    if found is None:
        values = [at(row, i) for i in columns.values()]
        if kind == "monitoring" and not form.money and any(c is not None and re.match(r"\d", c.text)
                                                           for c in values):
            found = ("total", -1)  # a monitoring form's one row of figures under its header
        else:
            return False
    key, label_index = found
    if key in form.money:
        form.notes.append(Note("form", msg("stage_forms.second_money_row", row=key), row.where))
        return True
    form.money[key] = {column: cell for column, index in columns.items()
                       if index != label_index and (cell := at(row, index)) is not None}
    if kind == "monitoring" and key != "total":
        form.notes.append(Note("form", msg("stage_forms.monitoring_total_only", label=row.cells[label_index].text),
                               row.where))
    else:
        form.money_where = form.money_where or row.where
    return True


def _goal_row(form: StageForm, row: Row, columns: dict[str, int]) -> None:
    ordered = sorted(columns.items(), key=lambda item: item[1])
    for position, (key, index) in enumerate(ordered):
        end = ordered[position + 1][1] if position + 1 < len(ordered) else len(row.cells)
        cell = next((c for c in row.cells[index:end] if c.text), None)
        if cell is not None:
            form.goal.setdefault(key, []).append(cell)


def _header_cells(form: StageForm, row: Row) -> bool:
    """The labelled cells of the form's head (项目名称, 实施单位 …); False when the row has none."""
    table = labels.FORM_TABLES[form.kind]["cells"]
    found = [(key, cell) for key in table if (cell := after(row, table, key)) is not None]
    for key, cell in found:
        if cell.text:
            form.cells.setdefault(key, cell)
    unit = form.money_unit
    _unit_and_points(form, row)
    return bool(found) or form.money_unit != unit
