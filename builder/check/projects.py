"""Check: the rules within one project (budget, spending plan, indicator categories, targets).

The optional columns of an indicator table and its duplicate rows are checked in
indicator_columns.py, for a project's table and the department-wide one alike.

Each rule skips values that already failed validation (they were reported there). The department's
rules and those across files are in rules.py, which runs these for each project it links.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from builder.base.diagnostics import Pos, Report
from builder.base.messages import Message, msg
from builder.base.money import format_money
from builder.base.suggest import closest
from builder.check.indicator_columns import check_columns
from builder.check.wording import BLANK, compose
from builder.content.fields import Values
from builder.content.frameworks import Framework, Match, Row, resolve_rows
from builder.content.target_cells import combined_target
from builder.content.targets import MONEY_FACTORS, in_unit


def check_project(project: Values, department: Values, framework: Framework | None, report: Report) -> None:
    """Rules within one project; without a known framework the categories cannot be checked."""
    unit = project.get("money_unit") or department.get("money_unit") or "元"
    check_budget(project, unit, report)
    check_spending_plan(project, report)
    check_indicator_table(project, department, framework, unit, report)


def check_whole(department: Values, framework: Framework | None, report: Report) -> None:
    """The 部门整体支出绩效目标表's indicator table, under the rules of a project's."""
    if not department.ok("whole") or not department.get("whole"):
        return
    whole = department.get("whole")
    check_indicator_table(whole, department, framework, whole.get("money_unit") or department.get("money_unit") or "元",
                          report)


def check_indicator_table(owner: Values, department: Values, framework: Framework | None, unit: str,
                          report: Report) -> None:
    """The indicator table of a project (or of the department as a whole): categories and targets."""
    if not owner.ok("indicators"):
        return
    rows = [v if v else None for v in owner.get("indicators")]
    resolved: list[Row | None] = resolve_rows(rows, framework) if framework else [None] * len(rows)
    if framework:
        check_categories(rows, resolved, framework, report)
    check_columns(owner, rows, resolved, report)
    for values, row in zip(rows, resolved, strict=True):
        if values is not None and values.ok("target"):
            check_target(values, row, owner, department, unit, report)


def check_budget(project: Values, unit: str, report: Report) -> None:
    if not project.ok("budget"):
        return
    budget = project.get("budget")
    if not budget.ok("total") or any(k in budget.data and not budget.ok(k) for k in ("fiscal", "other")):
        return
    total = budget.get("total")
    if total.is_blank:
        report.error(budget.where("total"), msg("projects.total_blank"))
        return
    fiscal, other = budget.get("fiscal"), budget.get("other")
    parts = [a for a in (fiscal, other) if a is not None]
    if all(a.is_blank for a in parts):
        return  # a form that states only the total; nothing to add up
    added = sum((a.or_zero() for a in parts), Decimal(0))
    if added != total.value:
        said = {name: format_money(a.value, unit) if not a.is_blank else compose([BLANK])
                for name, a in (("fiscal", fiscal), ("other", other)) if a is not None}
        terms = msg({"fiscal": "projects.terms_fiscal", "other": "projects.terms_other"}.get(
            "".join(said), "projects.terms_fiscal_other"), **said)
        report.error(budget.where("total"), msg("projects.total_mismatch", total=format_money(total.value, unit),
                                                terms=terms, added=format_money(added, unit)))


def check_spending_plan(project: Values, report: Report) -> None:
    if not project.ok("spending_plan"):
        return
    previous: Decimal | None = None
    labels: dict[str, Pos] = {}
    last = None
    for milestone in project.get("spending_plan"):
        if not milestone or not milestone.ok("milestone", "percent"):
            return
        label, percent, pos = milestone.get("milestone"), milestone.get("percent"), milestone.where("percent")
        if label in labels:
            report.error(milestone.where("milestone"),
                         msg("projects.milestone_twice", label=label, line=labels[label].line))
        labels[label] = milestone.where("milestone")
        if percent > 100:
            report.error(pos, msg("projects.plan_over_100", percent=percent, label=label))
        elif previous is not None and percent < previous:
            report.error(pos, msg("projects.plan_goes_down", previous=previous, percent=percent, label=label))
        previous, last = percent, (percent, pos, label)
    if last is not None and last[0] < 100:
        report.error(last[1], msg("projects.plan_short", percent=last[0], label=last[2]))


def check_categories(rows: list, resolved: list[Row | None], framework: Framework, report: Report) -> None:
    for index, (values, row) in enumerate(zip(rows, resolved, strict=True)):
        if values is None or row is None:  # row is None exactly when values is
            continue
        if row.level1 is None:
            if index == 0 and "level1" not in values.data:  # written but invalid: reported where it is
                report.error(values.at, msg("projects.first_without_level1"))
            continue
        if not row.level1_continues:
            report_match(values.where("level1"), "level1", "一级指标", row.level1, row.level1_match,
                         [c.name for c in framework.categories], framework, report)
            if row.level2_continues:
                report.error(values.at, msg("projects.level1_without_level2", level1=row.level1))
                continue
        if row.level2 is None or row.level1_match.category is None:  # not .found: mypy then knows the category
            continue
        if not row.level2_continues:
            parent = row.level1_match.category
            elsewhere = [c.name for c in framework.categories if c.child(row.level2).found]
            choices = [c.name for c in parent.children]
            hint_extra = (msg("projects.belongs_elsewhere", framework=framework.id, level2=row.level2,
                              parents="/".join(elsewhere)) if elsewhere else "")
            report_match(values.where("level2"), "level2", "二级指标", row.level2, row.level2_match,
                         choices, framework, report, parent=parent.name, extra=hint_extra)


def report_match(pos: Pos, key: str, title: str, label: str, match: Match, choices: list[str], framework: Framework,
                 report: Report, parent: str | None = None, extra: Message | str = "") -> None:
    if match.category is None:  # not found
        close = closest(label, choices)
        valid = ", ".join(choices)
        hint = (msg("projects.valid_here_suggested", close=close, choices=valid, elsewhere=extra) if close else
                msg("projects.valid_here", choices=valid, elsewhere=extra))
        report.error(pos, msg("projects.not_under_parent", label=label, title=title, parent=parent,
                              framework=framework.id) if parent else
                     msg("projects.not_in_framework", label=label, title=title, framework=framework.id), hint)
    elif match.how != "exact":
        report.warning(pos, msg("projects.read_as", title=title, label=label, name=match.category.name))


def check_target(indicator: Values, row: Row | None, project: Values, department: Values, unit: str,
                 report: Report) -> None:
    # The target as its 指标性质 and 度量单位 cells complete it (`90` + `≥` + `%`), when the form has them.
    target = combined_target(indicator.get("target"), indicator.get("nature"), indicator.get("unit"))
    pos = indicator.where("target")
    name = indicator.get("name") or ""
    if target.unit_kind == "percent" and target.value is not None and not _is_growth(name):
        top = target.upper if target.upper is not None else target.value
        if top > 100 or (top == 100 and target.comparator == ">"):
            report.warning(pos, msg("projects.rate_above_100", target=target.raw))
        elif top == 100 and target.comparator == "≥":
            report.warning(pos, msg("projects.rate_exactly_100", target=target.raw))
    if target.kind == "number" and target.unit is None and target.value is not None:
        hint = None
        if target.value == target.value.to_integral() and 20000 <= target.value <= 80000:
            day = date(1899, 12, 30) + timedelta(days=int(target.value))
            hint = msg("projects.no_unit_excel_date", value=target.value, day=day.isoformat())
        report.warning(pos, msg("projects.no_unit", target=target.raw), hint)
    if target.kind == "deadline" and target.deadline and department.ok("year") \
            and target.deadline.year != department.get("year"):
        report.warning(pos, msg("projects.deadline_outside_year", target=target.raw, year=department.get("year")))
    cost = row is not None and ((row.level1_match.category is not None and row.level1_match.category.cost) or (
        row.level2_match.category is not None and row.level2_match.category.cost))
    if cost and target.unit in MONEY_FACTORS and target.value is not None and target.comparator in ("≤", "<", "=", None) and project.ok("budget"):
        budget = project.get("budget")
        if budget.ok("total") and not budget.get("total").is_blank:
            ceiling = in_unit(target.value, target.unit, unit)
            total = budget.get("total").value
            if ceiling > total:
                report.warning(pos, msg("projects.cost_above_budget", target=target.raw,
                                        ceiling=format_money(ceiling, unit), budget=format_money(total, unit)))


def _is_growth(name: str) -> bool:
    # Growth rates (增长率 150%) may exceed 100%; shares and completion rates may not.
    return any(word in name for word in ("增长", "增速", "增幅", "同比", "环比"))
