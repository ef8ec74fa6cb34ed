"""Stage forms -> the monitoring and self-evaluation files of the content folder's projects.

`interpret_stages` reads each form of a source (stage_forms.py), finds its project
(stage_match.py) and makes the file's keys in the schema of content/stage_schema.py: the money in
the project's money unit (a form in 万元 for a project in 元 is converted exactly, with a note),
the goal, the indicator rows (stage_indicators.py) and the conclusion. Every figure the form
states (执行率, 分值, 得分, 总分, 等级) is written as it states it; `check` compares it with the one
it computes. A form of a layout only one province uses (Sichuan's 指标性质/度量单位 columns, a
budget weight of 20 as in Hubei) names its scoring profile when the department's is another.
"""

from __future__ import annotations

from decimal import Decimal

from builder.base.numbers import NumberError, parse_decimal
from builder.content.scalars import BLANK_AMOUNTS
from builder.content.stage_rows import key
from builder.content.targets import in_unit
from builder.importers import labels
from builder.importers.errors import ImportProblem
from builder.importers.existing import Candidate
from builder.importers.imported import Imported, ImportError_, Note, StageFile
from builder.importers.sources import Block, Cell
from builder.importers.stage_forms import StageForm, read_form, split_forms
from builder.importers.stage_indicators import stage_rows
from builder.importers.stage_match import find_project

_FUNDING_COLUMNS = ("initial", "adjusted", "executed")


def is_stage_source(blocks: list[Block]) -> bool:
    return bool(split_forms(blocks))


def interpret_stages(blocks: list[Block], candidates: list[Candidate], year: int | None, source: str) -> Imported:
    result = Imported(source=source)
    for kind, title, body in split_forms(blocks):
        if kind == "department":
            result.notes.append(Note("source", f"`{title.text}` was left out: import reads the forms of projects, "
                                     "not the department-wide ones", title.where, level="warning",
                                     hint="write the department's evaluation.yaml by hand (docs/content.md)"))
            continue
        form = read_form(kind, title, body)
        stage_key = f"stage:{len(result.stages)}"
        for note in form.notes:
            note.key = stage_key
        try:
            project = find_project(form, candidates, year, form.notes, stage_key)
        except ImportProblem as problem:
            result.problems.append(problem)
            for note in form.notes:
                note.key = "unmatched"  # said on the command line; there is no file to hold it
            result.notes += [n for n in form.notes if n.level == "warning"]
            continue
        result.notes += form.notes
        name_cell = form.cells.get("project") or form.cells.get("code")
        result.sources[(stage_key, "project")] = name_cell.where if name_cell is not None else form.title.where
        fields: dict = {"project": project.code}
        chosen = _profile(form)
        if chosen is not None and chosen != project.profile:
            fields["scoring"] = chosen
            result.notes.append(Note(stage_key, f"scoring profile `{chosen}` chosen for its layout (the department "
                                     f"scores with `{project.profile}`)", form.title.where))
        if kind == "evaluation":
            fields["money"] = _evaluation_money(form, project, result, stage_key)
            fields["goal"] = _goal(form, project, result, stage_key)
        else:
            if form.period is None:
                result.notes.append(Note(stage_key, "no period (1-N月) found in the form", form.title.where,
                                         level="warning", hint="add `period:` to the file, e.g. 1-7月"))
            else:
                fields["period"] = form.period[0]
                result.sources[(stage_key, "period")] = form.period[1]
            fields["money"] = _monitoring_money(form, project, result, stage_key)
        fields["indicators"] = stage_rows(form, project, result, stage_key)
        if kind == "evaluation":
            for name in ("total", "grade", "conclusion", "problems", "measures"):
                cell = form.conclusion.get(name)
                if cell is not None and cell.text not in BLANK_AMOUNTS:
                    fields[name] = cell.text
                    result.sources[(stage_key, name)] = cell.where
        result.stages.append(StageFile(kind, project.folder, project.code, fields, form.title.text,
                                       project.money_unit))
    if not result.stages and not result.problems:
        raise ImportError_(source, "no monitoring or self-evaluation form of a project found",
                           "a form starts with its title, e.g. 项目支出绩效自评表 or 绩效目标执行监控表")
    return result


def _profile(form: StageForm) -> str | None:
    weight = form.money.get("total", {}).get("weight") or form.budget_points
    for layout in labels.LAYOUT_PROFILES:
        columns = layout.get("columns")
        if columns and set(columns) <= form.columns:
            return str(layout["profile"])
        budget_weight = layout.get("budget_weight")
        if budget_weight and weight is not None and _number(weight.text) == Decimal(str(budget_weight)):
            return str(layout["profile"])
    return None


def _evaluation_money(form: StageForm, project: Candidate, result: Imported, stage_key: str) -> dict:
    unit = _money_unit(form, project, result, stage_key)
    money: dict = {}
    for row_key in labels.FUNDING_ROWS:
        cells = form.money.get(row_key, {})
        amounts = {column: amount for column in _FUNDING_COLUMNS
                   if (amount := _amount(cells.get(column), unit, project.money_unit)) is not None}
        if amounts or row_key == "total":
            money[row_key] = amounts
            where = next((cells[c].where for c in _FUNDING_COLUMNS if c in cells), form.money_where)
            result.sources[(stage_key, f"money.{row_key}")] = where
    stated = _stated(form.money)
    if "weight" not in stated and form.budget_points is not None:
        stated["weight"] = form.budget_points
        result.notes.append(Note(stage_key, f"分值 {form.budget_points.text} taken from the label of the money block",
                                 form.budget_points.where))
    for name in ("weight", "rate", "score", "deviation"):
        if name in stated:
            money[name] = stated[name].text
            result.sources[(stage_key, f"money.{name}")] = stated[name].where
    if not form.money:
        result.notes.append(Note(stage_key, "no 项目资金 block (年初预算数 / 全年预算数 / 全年执行数) found",
                                 form.title.where, level="warning", hint="fill in `money` by hand"))
    return money


def _monitoring_money(form: StageForm, project: Candidate, result: Imported, stage_key: str) -> dict:
    unit = _money_unit(form, project, result, stage_key)
    cells = form.money.get("total", {})
    money: dict = {}
    for name in ("budget", "executed", "rate", "forecast", "reason"):
        cell = cells.get(name)
        value = _amount(cell, unit, project.money_unit) if name in ("budget", "executed", "forecast") else \
            (cell.text if cell is not None and cell.text not in BLANK_AMOUNTS else None)
        if value is not None and cell is not None:
            money[name] = value
            result.sources[(stage_key, f"money.{name}")] = cell.where
    if not cells:
        result.notes.append(Note(stage_key, "no money block (年度预算数 / 1-N月执行数) found", form.title.where,
                                 level="warning", hint="fill in `money` by hand"))
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


def _money_unit(form: StageForm, project: Candidate, result: Imported, stage_key: str) -> str:
    if form.money_unit is None:
        if form.money:
            result.notes.append(Note(stage_key, f"the form states no money unit; its amounts are read in the "
                                     f"project's {project.money_unit}", form.money_where or form.title.where,
                                     level="warning", hint="check the amounts against the targets' budget"))
        return project.money_unit
    unit, where = form.money_unit
    if unit != project.money_unit:
        result.notes.append(Note(stage_key, f"amounts converted from the form's {unit} to the project's "
                                 f"{project.money_unit}", where))
    return unit


def _amount(cell: Cell | None, unit: str, project_unit: str) -> str | None:
    """An amount in the project's unit: as written when the units agree, else converted exactly."""
    if cell is None or cell.text.strip() in BLANK_AMOUNTS:
        return None
    text = cell.text.strip()
    value = _number(text)
    if unit == project_unit or value is None:
        return text  # a text that is no amount goes through as written: check says what is wrong with it
    converted = in_unit(value, unit, project_unit)
    cents = converted.quantize(Decimal("0.01"))
    return format(cents if cents == converted else converted.normalize(), "f")


def _number(text: str) -> Decimal | None:
    try:
        return parse_decimal(text.strip())
    except NumberError:
        return None


def _goal(form: StageForm, project: Candidate, result: Imported, stage_key: str) -> dict:
    goal: dict = {}
    for name in ("expected", "actual"):
        cells = [c for c in form.goal.get(name, []) if c.text not in BLANK_AMOUNTS]
        if len(cells) > 1:
            result.notes.append(Note(stage_key, f"{len(cells)} 年度绩效目标 blocks: their {name} texts are "
                                     "written one under the other", cells[1].where))
        if cells:
            text = "\n".join(c.text for c in cells)
            if name == "expected" and key(text) == key("".join(project.goals)):
                continue  # the approved goals, which a self-evaluation repeats by default
            goal[name] = text
            result.sources[(stage_key, f"goal.{name}")] = cells[0].where
    if "actual" not in goal:
        result.notes.append(Note(stage_key, "no 实际完成情况 of the 年度总体目标 found", form.title.where,
                                 level="warning", hint="fill in `goal.actual`"))
    return goal
