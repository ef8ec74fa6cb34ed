"""The department page's figures: the summary strip at its top (预算合计, 财政资金, 项目数, 指标数)
and the projects table's rows with their 占比 and 合计, each amount in the department's money unit.

Worked out here, exactly (Decimal), so that the template only prints them: a share or a sum made
in a template would go through floats.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from builder.content.model import Department, Project
from builder.content.scalars import Amount
from builder.content.targets import in_unit

# 占比 to one decimal place, half-up like every displayed figure (base/money.py).
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class ProjectMoney:
    """One row of the projects table. An amount is None where the project's form leaves it blank."""

    project: Project
    total: Decimal | None  # 预算数
    fiscal: Decimal | None  # 财政资金
    other: Decimal | None  # 其他资金
    share: Decimal | None  # 占比 of the department's 预算合计, in percent; None when that is 0


@dataclass(frozen=True)
class DepartmentFigures:
    budget: Decimal  # 预算合计: the projects' 预算数
    fiscal: Decimal | None  # the projects' 财政资金; None where every project leaves it blank
    other: Decimal | None  # the projects' 其他资金, likewise
    share: Decimal | None  # the 合计 row's 占比: 100.0, None when the 预算合计 is 0
    project_count: int
    indicator_count: int
    projects: tuple[ProjectMoney, ...]


def department_figures(department: Department) -> DepartmentFigures:
    unit = department.money_unit

    def converted(amount: Amount, project: Project) -> Decimal | None:
        return None if amount.value is None else in_unit(amount.value, project.money_unit, unit)

    budget = department.total
    rows = []
    for project in department.projects:
        total = converted(project.budget.total, project)
        share = None if total is None or not budget else (total / budget * 100).quantize(TENTH, ROUND_HALF_UP)
        rows.append(ProjectMoney(project, total, converted(project.budget.fiscal, project),
                                 converted(project.budget.other, project), share))
    return DepartmentFigures(
        budget=budget, fiscal=column_total(r.fiscal for r in rows), other=column_total(r.other for r in rows),
        share=Decimal("100.0") if budget else None, project_count=len(department.projects),
        indicator_count=department.indicator_count, projects=tuple(rows))


def column_total(amounts: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of a column's stated amounts; None (blank) where it states none, as a blank is not 0."""
    stated = [a for a in amounts if a is not None]
    return sum(stated, Decimal(0)) if stated else None
