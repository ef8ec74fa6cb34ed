"""The rows of the open data's tables (tables.py), from the model: a project's, and a department's own.

A project gives a row of projects, its funding sources (年度 and 实施期), its milestones, its goals
(年度, then 实施期) and its indicator rows, each with the later stages' cells (stage_data.py). A
department's 部门整体支出绩效目标表 gives its goals and indicators, marked 部门整体 and without a
project code, and the rows of its 收入构成 and 支出构成. Every value is the model's: text as written,
money and numbers as Decimal (data.py writes them as exact text); a cell a form does not have is left
out of the row and so written empty.
"""

from __future__ import annotations

from builder.content.model import Budget, Composition, Department, Indicator, Numbered, Project
from builder.publish.stage_data import indicator_cells, project_cells, target_cells
from builder.publish.tables import OF_DEPARTMENT, OF_PROJECT, TABLES

Tables = dict[str, list[dict]]
ANNUAL, PERIOD = "年度", "实施期"  # the term of a goal, and which budget a funding source is of
INCOME, EXPENDITURE = "收入构成", "支出构成"


def rows(departments: list[tuple[Department, list[Project]]], whole: bool = False) -> Tables:
    """The tables for some projects of some departments, each row a dict of text (or Decimal) values;
    with `whole`, each department's own target first."""
    tables: Tables = {name: [] for name in TABLES}
    for department, projects in departments:
        if whole:
            add_whole(tables, department)
        for project in projects:
            add_project(tables, department, project)
    return tables


def add_project(tables: Tables, department: Department, p: Project) -> None:
    base = {"year": department.year, "department_code": department.code}
    b, period = p.budget, p.period_budget
    tables["projects"].append({
        **base, "department_name": department.name, "project_code": p.code, "project_name": p.name,
        "money_unit": p.money_unit, "budget_total": b.total.value, "budget_fiscal": b.fiscal.value,
        "budget_other": b.other.value, "purpose": p.purpose, "supervisor": p.supervisor,
        "implementer": p.implementer, "manager": p.manager, "phone": p.phone, "kind": p.kind,
        "attribute": p.attribute, "period": p.period,
        "period_budget_total": period.total.value if period else None,
        "period_budget_fiscal": period.fiscal.value if period else None,
        "period_budget_other": period.other.value if period else None,
        "indicator_count": len(p.indicators), **project_cells(p)})
    own = {**base, "project_code": p.code}
    for term, budget in ((ANNUAL, b), (PERIOD, period)):
        tables["funding"].extend(_funding(budget, {**own, "money_unit": p.money_unit, "budget": term}))
    for m in p.spending_plan:
        tables["spending_plan"].append({**own, "milestone": m.label, "cumulative_percent": m.percent})
    goals = {**base, "target_of": OF_PROJECT, "project_code": p.code}
    tables["goals"].extend(_goals(goals, p.goals, p.long_term_goals))
    stages, added = indicator_cells(p)
    for n, (i, cells) in enumerate(zip(p.indicators, stages, strict=True), start=1):
        tables["indicators"].append({**goals, "row": n, **indicator_row(i), **cells})
    for n, cells in enumerate(added, start=len(p.indicators) + 1):  # rows a stage added, after the approved
        tables["indicators"].append({**goals, "row": n, **cells})


def add_whole(tables: Tables, department: Department) -> None:
    """The department-wide target's rows (none where the department has no such table)."""
    whole = department.whole
    if whole is None:
        return
    base = {"year": department.year, "department_code": department.code}
    own = {**base, "target_of": OF_DEPARTMENT}
    tables["goals"].extend(_goals(own, whole.goals, whole.long_term_goals))
    for n, i in enumerate(whole.indicators, start=1):
        tables["indicators"].append({**own, "row": n, **indicator_row(i)})
    for name, composition in ((INCOME, whole.income), (EXPENDITURE, whole.expenditure)):
        tables["compositions"].extend(_composition(composition, {**base, "money_unit": whole.money_unit,
                                                                  "composition": name}))


def indicator_row(i: Indicator) -> dict[str, object]:
    """An indicator's cells of the targets form: categories, the target as read and parsed, and the
    optional columns each as written."""
    return {"level1": i.level1.raw, "level2": i.level2.raw, "level1_canonical": i.level1.canonical,
            "level2_canonical": i.level2.canonical, "name": i.name, "description": i.description,
            **target_cells(i.target), "basis": i.basis, "value_cell": i.value_cell, "nature": i.nature,
            "measure_unit": i.unit, "previous": i.previous, "weight": i.weight, "direction": i.direction,
            "formula": i.formula, "note": i.note}


def _goals(base: dict, goals: tuple[Numbered, ...], long_term: tuple[Numbered, ...]) -> list[dict]:
    return [{**base, "term": term, "number": n, "goal": g.raw}
            for term, items in ((ANNUAL, goals), (PERIOD, long_term)) for n, g in enumerate(items, start=1)]


def _funding(budget: Budget | None, base: dict) -> list[dict]:
    return [{**base, "row": n, "name": s.name, "amount": s.amount.value}
            for n, s in enumerate(budget.breakdown if budget else (), start=1)]


def _composition(composition: Composition | None, base: dict) -> list[dict]:
    if composition is None:
        return []
    total = {"total": composition.total.value, "total_share": composition.total_share}
    return [{**base, "row": n, "name": r.name, "amount": r.amount.value, "share": r.share, **total}
            for n, r in enumerate(composition.rows, start=1)]


__all__ = ["ANNUAL", "EXPENDITURE", "INCOME", "PERIOD", "Tables", "add_project", "add_whole", "indicator_row", "rows"]
