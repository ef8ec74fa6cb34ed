"""A self-evaluation's or monitoring round's money, goal and conclusion, in its owner's terms.

The owner is the project a form reports on or, for a 部门整体支出绩效自评表, the department: its
money unit is the unit every amount is written in (a form in 万元 for an owner in 元 is converted
exactly, with a note), and a 预期目标 that repeats its approved goals is not written again. Every
figure the form states (执行率, 分值, 得分, 总分, 等级) is written as it states it; `check` compares
it with the one it computes.
"""

from __future__ import annotations

from decimal import Decimal

from builder.base.messages import msg
from builder.base.numbers import NumberError, parse_decimal
from builder.content.scalars import BLANK_AMOUNTS
from builder.content.stage_rows import key
from builder.content.targets import in_unit
from builder.importers import labels
from builder.importers.imported import Imported, Note
from builder.importers.sources import Cell
from builder.importers.stage_forms import StageForm

_FUNDING_COLUMNS = ("initial", "adjusted", "executed")
_CONCLUSION = ("total", "grade", "conclusion", "problems", "measures")
_OWNER = {"project": msg("stage_money.project"), "department": msg("stage_money.department")}


def evaluation_money(form: StageForm, money_unit: str, owner: str, result: Imported, stage_key: str) -> dict:
    """The funding rows (年初预算数, 全年预算数, 全年执行数) and the figures stated beside them."""
    unit = _money_unit(form, money_unit, owner, result, stage_key)
    money: dict = {}
    for row_key in labels.FUNDING_ROWS:
        cells = form.money.get(row_key, {})
        amounts = {column: value for column in _FUNDING_COLUMNS
                   if (value := amount(cells.get(column), unit, money_unit)) is not None}
        if amounts or row_key == "total":
            money[row_key] = amounts
            where = next((cells[c].where for c in _FUNDING_COLUMNS if c in cells), form.money_where)
            result.sources[(stage_key, f"money.{row_key}")] = where
    stated = _stated(form.money)
    if "weight" not in stated and form.budget_points is not None:
        stated["weight"] = form.budget_points
        result.notes.append(Note(stage_key, msg("stage_money.points_from_label", points=form.budget_points.text),
                                 form.budget_points.where))
    for name in ("weight", "rate", "score", "deviation"):
        if name in stated:
            money[name] = stated[name].text
            result.sources[(stage_key, f"money.{name}")] = stated[name].where
    if not form.money:
        block = "项目资金" if owner == "project" else "部门预算资金"
        result.notes.append(Note(stage_key, msg("stage_money.no_money_block", block=block), form.title.where,
                                 level="warning"))
    return money


def monitoring_money(form: StageForm, money_unit: str, result: Imported, stage_key: str) -> dict:
    unit = _money_unit(form, money_unit, "project", result, stage_key)
    cells = form.money.get("total", {})
    money: dict = {}
    for name in ("budget", "executed", "rate", "forecast", "reason"):
        cell = cells.get(name)
        value = amount(cell, unit, money_unit) if name in ("budget", "executed", "forecast") else \
            (cell.text if cell is not None and cell.text not in BLANK_AMOUNTS else None)
        if value is not None and cell is not None:
            money[name] = value
            result.sources[(stage_key, f"money.{name}")] = cell.where
    if not cells:
        result.notes.append(Note(stage_key, msg("stage_money.no_monitoring_money"), form.title.where,
                                 level="warning"))
    return money


def _stated(money: dict[str, dict[str, Cell]]) -> dict[str, Cell]:
    """分值, 执行率, 得分 and 原因: on the total row, else on the first row that states them."""
    stated: dict[str, Cell] = {}
    for row_key in labels.FUNDING_ROWS:
        for name in ("weight", "rate", "score", "deviation"):
            cell = money.get(row_key, {}).get(name)
            if cell is not None and cell.text and cell.text not in BLANK_AMOUNTS and name not in stated:
                stated[name] = cell
    return stated


def _money_unit(form: StageForm, money_unit: str, owner: str, result: Imported, stage_key: str) -> str:
    if form.money_unit is None:
        if form.money:
            result.notes.append(Note(stage_key, msg("stage_money.owner_unit", owner=_OWNER[owner], unit=money_unit),
                                     form.money_where or form.title.where, level="warning"))
        return money_unit
    unit, where = form.money_unit
    if unit != money_unit:
        result.notes.append(Note(stage_key, msg("stage_money.converted", unit=unit, owner=_OWNER[owner],
                                                owner_unit=money_unit), where))
    return unit


def amount(cell: Cell | None, unit: str, owner_unit: str) -> str | None:
    """An amount in its owner's unit: as written when the units agree, else converted exactly."""
    if cell is None or cell.text.strip() in BLANK_AMOUNTS:
        return None
    text = cell.text.strip()
    value = number(text)
    if unit == owner_unit or value is None:
        return text  # a text that is no amount goes through as written: check says what is wrong with it
    converted = in_unit(value, unit, owner_unit)
    cents = converted.quantize(Decimal("0.01"))
    return format(cents if cents == converted else converted.normalize(), "f")


def number(text: str) -> Decimal | None:
    try:
        return parse_decimal(text.strip())
    except NumberError:
        return None


def stated_goal(form: StageForm, approved: tuple[str, ...], result: Imported, stage_key: str) -> dict:
    """年度总体目标: 预期目标 (unless it repeats the `approved` goals) and 实际完成情况."""
    goal: dict = {}
    for name in ("expected", "actual"):
        cells = [c for c in form.goal.get(name, []) if c.text not in BLANK_AMOUNTS]
        if len(cells) > 1:
            result.notes.append(Note(stage_key, msg("stage_money.goal_blocks", count=len(cells), name=name),
                                     cells[1].where))
        if cells:
            text = "\n".join(c.text for c in cells)
            if name == "expected" and approved and key(text) == key("".join(approved)):
                continue  # the approved goals, which a self-evaluation repeats by default
            goal[name] = text
            result.sources[(stage_key, f"goal.{name}")] = cells[0].where
    if "actual" not in goal:
        result.notes.append(Note(stage_key, msg("stage_money.no_actual_goal"), form.title.where, level="warning"))
    return goal


def conclusion(form: StageForm, fields: dict, result: Imported, stage_key: str) -> None:
    """总分, 评价等级, 评价结论, 存在问题 and 改进措施, as the form states them, into `fields`."""
    for name in _CONCLUSION:
        cell = form.conclusion.get(name)
        if cell is not None and cell.text not in BLANK_AMOUNTS:
            fields[name] = cell.text
            result.sources[(stage_key, name)] = cell.where
