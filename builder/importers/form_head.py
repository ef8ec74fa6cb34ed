"""The head of a 项目支出绩效目标申报表/批复表 (everything above its indicator table), read by label.

Three kinds of labelled cells (labels.py): the header cells (项目名称, 主管部门, 项目负责人 …, each
followed by its value), the 资金情况 block (PROJECT_MONEY) and the goals (PROJECT_GOALS). The
blocks come in the shapes forms use, all read the same way:

- a label followed in its row by its value: `年度资金总额 | 300.00`, `年度绩效目标 | 1.…`;
- a row of labels with no values is the block's column header, and the rows under it hold the
  values in those columns: `| 实施期资金总额 | 年度资金总额` over `其中：财政拨款 | 800.00 | 260.00`,
  `总体目标 | 实施期目标 | 年度目标` over the two goal texts. A money row's label and its column's
  label together say what an amount is (实施期 × 财政拨款); a money label naming a source only
  (其他资金) in a row of its own belongs to the period the last label named (年度 by default).

The money unit is stated per form: `（万元）` in a label, or a `单位：万元` line or cell. A year
line (`（2024年度）`) is kept as evidence of the budget year. Anything else is a note, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.base.messages import msg
from builder.base.patterns import Short
from builder.content.frameworks import squeeze
from builder.importers import labels
from builder.importers.cells import at, money_unit_of, which
from builder.importers.imported import Note
from builder.importers.sources import Block, Cell, Para, Row

_KINDS = (("cell", labels.PROJECT_CELLS), ("money", labels.PROJECT_MONEY), ("goal", labels.PROJECT_GOALS),
          ("block", {"money": labels.MONEY_BLOCK, "goal": labels.GOAL_BLOCK}))
YEAR_LINE = re.compile(r"^[（(]?\s*20\d\d\s*年度?\s*[)）]?$")
# A Hebei-style unit line above a form (304001测试县交通运输局本级): a unit code of six digits or more, then
# the name; what a project code or an amount in a line of its own never reads as.
UNIT_TEXT = Short(r"^(\d{6,})\s*[-—－]?\s*([\u4e00-\u9fff].*?)\s*(本级|机关本级|机关|本部)?$", 200)


@dataclass
class Head:
    key: str  # the project's key in Imported (project:N), for its notes
    cells: dict[str, Cell] = field(default_factory=dict)  # PROJECT_CELLS key -> the cell after its label
    money: dict[str, dict[str, Cell]] = field(default_factory=dict)  # "period"/"year" -> total/fiscal/other -> cell
    breakdown: dict[str, list[tuple[str, Cell]]] = field(default_factory=dict)  # period -> (row label, amount)
    goals: dict[str, list[Cell]] = field(default_factory=dict)  # long_term_goals/goals -> their cells
    money_unit: tuple[str, str] | None = None  # (元 or 万元, where stated)
    years: list[Para] = field(default_factory=list)  # year lines: the budget year's evidence
    unit_line: Cell | None = None  # a unit line above the form (UNIT_TEXT)
    notes: list[Note] = field(default_factory=list)
    block: str = ""  # the block being read: "money" or "goal" (or "" outside both)
    grid: dict[int, str] = field(default_factory=dict)  # the block's column header: column -> label key
    period: str = "year"  # the money period the last money label named


def read_head(key: str, blocks: list[Block]) -> Head:
    head = Head(key)
    for block in blocks:
        if isinstance(block, Para):
            _paragraph(head, block)
        else:
            _row(head, block)
    return head


def label_of(text: str) -> tuple[str, str] | None:
    """(kind, key) of a label of the form's head: ("cell", "manager"), ("money", "year.total") …"""
    for kind, table in _KINDS:
        key = which(text, table)
        if key is not None:
            return kind, key
    return None


def is_form_line(text: str) -> bool:
    """A line that belongs to the form below it: its money unit, its year, its unit line."""
    return bool(_unit_text(text) or YEAR_LINE.match(squeeze(text)) or UNIT_TEXT.match(text))


def _unit_text(text: str) -> str | None:
    """The money unit a cell or line of its own states (单位：万元, （单位：元）), else None."""
    unit = money_unit_of(text)
    return unit if unit and re.fullmatch(r"[(（]?(金额)?单位[:：](万元|元)[)）]?", squeeze(text)) else None


def _paragraph(head: Head, para: Para) -> None:
    unit = _unit_text(para.text)
    if unit:
        _unit(head, unit, para.where)
    elif YEAR_LINE.match(squeeze(para.text)):
        head.years.append(para)
    elif UNIT_TEXT.match(para.text) and head.unit_line is None:
        head.unit_line = Cell(para.text, para.where)
    else:
        label, sep, rest = re.sub(r"[：:]", "：", para.text, count=1).partition("：")
        found = label_of(label) if sep and rest.strip() else None
        if found is not None and found[0] == "cell":
            head.cells.setdefault(found[1], Cell(rest.strip(), para.where))  # 项目负责人：张三
        else:
            head.notes.append(Note(head.key, msg("imported.text_not_placed", text=para.text), para.where))


def _unit(head: Head, unit: str, where: str) -> None:
    if head.money_unit is None:
        head.money_unit = (unit, where)
    elif head.money_unit[0] != unit:
        head.notes.append(Note(head.key, msg("form_head.second_unit", unit=unit, first=head.money_unit[0],
                                             where=head.money_unit[1]), where, level="warning"))


def _row(head: Head, row: Row) -> None:
    filled = [(i, c) for i, c in enumerate(row.cells) if c.text]
    if len(filled) == 1 and YEAR_LINE.match(squeeze(filled[0][1].text)):
        head.years.append(Para(filled[0][1].text, filled[0][1].where))
        return
    labelled: list[tuple[int, Cell, tuple[str, str]]] = []
    values: list[tuple[int, Cell]] = []
    for index, cell in filled:
        found = label_of(cell.text)
        unit = money_unit_of(cell.text) if found is not None and found[0] in ("money", "block") else _unit_text(cell.text)
        if unit:
            _unit(head, unit, cell.where)
        if found is not None:
            labelled.append((index, cell, found))
        elif not unit:
            values.append((index, cell))
    if not labelled:
        _unlabelled(head, row, values)
    elif head.block == "money" and head.grid and len(labelled) == 1 and labelled[0][2][0] == "money" and \
            labelled[0][0] < min(head.grid) and values:
        _money_row(head, row, labelled[0][1], labelled[0][2][1], values)
    else:
        _labelled(head, labelled, values)


def _unlabelled(head: Head, row: Row, values: list[tuple[int, Cell]]) -> None:
    """A row of values only: under a block's column header, or text that is not part of the form."""
    if not values:
        return
    if head.block == "money" and head.grid:
        first, cell = values[0]
        if first < min(head.grid) and len(values) > 1:  # a row label no table knows: a further funding row
            head.notes.append(Note(head.key, msg("form_head.breakdown_row", label=cell.text), cell.where))
            _money_row(head, row, cell, "breakdown", values[1:])
        else:
            _money_row(head, row, None, None, values)
        return
    if head.block == "goal" and head.grid:
        for key, cell in _under_grid(head.grid, values):
            head.goals.setdefault(key, []).append(cell)
        return
    unit = next((cell for _, cell in values if UNIT_TEXT.match(cell.text)), None)
    if unit is not None and head.unit_line is None:
        head.unit_line = unit
        values = [(i, cell) for i, cell in values if cell is not unit]
        if not values:
            return
    text = " | ".join(c.text for _, c in values)
    head.notes.append(Note(head.key, msg("form_head.row_left_out", text=text), row.cells[0].where,
                           level="warning"))


def _labelled(head: Head, labelled: list[tuple[int, Cell, tuple[str, str]]], values: list[tuple[int, Cell]]) -> None:
    """A row with labels: each label takes the first value after it (before the next label)."""
    head.block, head.grid = "", {}
    pairs: list[tuple[int, Cell, tuple[str, str], Cell | None]] = []
    for position, (index, cell, found) in enumerate(labelled):
        end = labelled[position + 1][0] if position + 1 < len(labelled) else None
        after = [v for v in values if v[0] > index and (end is None or v[0] < end)]
        pairs.append((index, cell, found, after[0][1] if after else None))
        for _, extra in after[1:]:
            head.notes.append(Note(head.key, msg("form_head.text_after_label", label=cell.text, text=extra.text),
                                   extra.where, level="warning"))
    for kind in ("money", "goal"):
        mine = [p for p in pairs if p[2][0] == kind]
        blocks = [p for p in pairs if p[2] == ("block", kind)]
        if mine and all(value is None for *_, value in mine):  # the block's column header
            head.block, head.grid = kind, {index: found[1] for index, _, found, _ in mine}
        elif mine:
            head.block = kind
            for _, cell, found, value in mine:
                _assign(head, kind, cell, found[1], value or Cell("", cell.where))
        elif blocks:
            head.block = kind
            _, cell, _, value = blocks[0]
            if kind == "goal" and value is not None:  # 总体目标 | its text, with no 实施期/年度 split
                head.goals.setdefault("goals", []).append(value)
                head.notes.append(Note(head.key, msg("form_head.year_goals", label=cell.text), cell.where))
    for _, cell, found, value in pairs:
        if found[0] == "cell":
            head.cells.setdefault(found[1], value or Cell("", cell.where))


def _assign(head: Head, kind: str, label: Cell, key: str, value: Cell) -> None:
    if kind == "goal":
        head.goals.setdefault(key, []).append(value)
        return
    period, source = _halves(key)
    if period:
        head.period = period
    _store(head, period or head.period, source or "total", label, value)


def _money_row(head: Head, row: Row, label: Cell | None, key: str | None, values: list[tuple[int, Cell]]) -> None:
    """A row of the 资金情况 block under its column header: each amount in its column's money (a blank
    amount where the column has none in this row)."""
    row_period, row_source = _halves(key) if key else (None, None)
    for column_key, cell in _under_grid(head.grid, values, row):
        column_period, column_source = _halves(column_key)
        _store(head, row_period or column_period or head.period, row_source or column_source or "total",
               label or cell, cell)


def _store(head: Head, period: str, source: str, label: Cell, value: Cell) -> None:
    if source == "breakdown":
        name = re.sub(r"^\s*其中\s*[:：、]?\s*|\s*[:：]\s*$", "", label.text)
        head.breakdown.setdefault(period, []).append((name, value))
        return
    money = head.money.setdefault(period, {})
    if source in money and money[source].text and value.text:
        head.notes.append(Note(head.key, msg("form_head.second_amount", label=label.text, text=value.text),
                               value.where, level="warning"))
    elif source not in money or not money[source].text:
        money[source] = value


def _halves(key: str) -> tuple[str | None, str | None]:
    """`period.total` -> (period, total); `fiscal` -> (None, fiscal); `year` -> (year, None)."""
    first, _, second = key.partition(".")
    if second:
        return first, second
    return (first, None) if first in ("period", "year") else (None, first)


def _under_grid(grid: dict[int, str], values: list[tuple[int, Cell]], row: Row | None = None) -> list[tuple[str, Cell]]:
    """Each column of the header with the first value between it and the next column (merged cells put
    the text in a merge's first grid column, which need not be the header's); with `row`, its blank
    cell where the column has no value."""
    columns = sorted(grid.items())
    found = []
    for position, (index, key) in enumerate(columns):
        end = columns[position + 1][0] if position + 1 < len(columns) else None
        inside = [cell for i, cell in values if i >= index and (end is None or i < end)]
        if inside:
            found.append((key, inside[0]))
        elif row is not None and (blank := at(row, index)) is not None:
            found.append((key, blank))
    return found

