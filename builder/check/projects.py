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
from builder.base.money import format_money
from builder.base.suggest import did_you_mean
from builder.check.indicator_columns import check_columns
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
        report.error(budget.where("total"), "预算数 (total) is blank", "write the project's total budget")
        return
    fiscal, other = budget.get("fiscal"), budget.get("other")
    parts = [a for a in (fiscal, other) if a is not None]
    if all(a.is_blank for a in parts):
        return  # a form that states only the total; nothing to add up
    added = sum((a.or_zero() for a in parts), Decimal(0))
    if added != total.value:
        shown = " + ".join(f"{label} {format_money(a.value, unit) if not a.is_blank else '(blank)'}"
                           for label, a in (("财政资金", fiscal), ("其他资金", other)) if a is not None)
        report.error(budget.where("total"),
                     f"预算数 {format_money(total.value, unit)} does not equal {shown} = {format_money(added, unit)}",
                     "预算数 must equal 财政资金 + 其他资金 exactly; a blank counts as 0")


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
                         f"milestone `{label}` appears twice (first at line {labels[label].line})")
        labels[label] = milestone.where("milestone")
        if percent > 100:
            report.error(pos, f"spending plan reaches {percent}% at {label}; it cannot exceed 100%")
        elif previous is not None and percent < previous:
            report.error(pos, f"spending plan goes down from {previous}% to {percent}% at {label}",
                         "the plan is cumulative: each milestone states the share spent so far")
        previous, last = percent, (percent, pos, label)
    if last is not None and last[0] < 100:
        report.error(last[1], f"spending plan ends at {last[0]}% at {last[2]}; it must end at 100%",
                     "the last milestone is when all the money has been spent")


def check_categories(rows: list, resolved: list[Row | None], framework: Framework, report: Report) -> None:
    for index, (values, row) in enumerate(zip(rows, resolved, strict=True)):
        if values is None or row is None:  # row is None exactly when values is
            continue
        if row.level1 is None:
            if index == 0 and "level1" not in values.data:  # written but invalid: reported where it is
                report.error(values.at, "the first indicator has no `level1` (一级指标)",
                             "only later rows may leave level1 out to continue the merged cell above")
            continue
        if not row.level1_continues:
            report_match(values.where("level1"), "level1", "一级指标", row.level1, row.level1_match,
                         [c.name for c in framework.categories], framework, report)
            if row.level2_continues:
                report.error(values.at, f"a new 一级指标 `{row.level1}` starts here without `level2` (二级指标)",
                             "write level2 on the first row of each 一级指标 block")
                continue
        if row.level2 is None or row.level1_match.category is None:  # not .found: mypy then knows the category
            continue
        if not row.level2_continues:
            parent = row.level1_match.category
            elsewhere = [c.name for c in framework.categories if c.child(row.level2).found]
            choices = [c.name for c in parent.children]
            hint_extra = (f"; in framework `{framework.id}` `{row.level2}` belongs under {'/'.join(elsewhere)}"
                          if elsewhere else "")
            report_match(values.where("level2"), "level2", "二级指标", row.level2, row.level2_match,
                         choices, framework, report, parent=parent.name, extra=hint_extra)


def report_match(pos: Pos, key: str, title: str, label: str, match: Match, choices: list[str], framework: Framework,
                 report: Report, parent: str | None = None, extra: str = "") -> None:
    where = f"under `{parent}` " if parent else ""
    if match.category is None:  # not found
        close = did_you_mean(label, choices)
        hint = (f"{close} " if close else "") + f"valid here: {', '.join(choices)}{extra}"
        report.error(pos, f"`{label}` is not a {title} {where}in framework `{framework.id}`", hint)
    elif match.how != "exact":
        report.warning(pos, f"{title} `{label}` is read as `{match.category.name}`",
                       "the label is kept as written; write the canonical name to silence this")


def check_target(indicator: Values, row: Row | None, project: Values, department: Values, unit: str,
                 report: Report) -> None:
    # The target as its 指标性质 and 度量单位 cells complete it (`90` + `≥` + `%`), when the form has them.
    target = combined_target(indicator.get("target"), indicator.get("nature"), indicator.get("unit"))
    pos = indicator.where("target")
    name = indicator.get("name") or ""
    if target.unit_kind == "percent" and target.value is not None and not _is_growth(name):
        top = target.upper if target.upper is not None else target.value
        if top > 100 or (top == 100 and target.comparator == ">"):
            report.warning(pos, f"rate target {target.raw} is above 100%",
                           "a rate cannot exceed 100%; if this is a growth rate, say so in the indicator name")
        elif top == 100 and target.comparator == "≥":
            report.warning(pos, f"rate target {target.raw} can only be met at exactly 100%",
                           "write 100% (or =100%); ≥100% on a rate usually means the template was not adapted")
    if target.kind == "number" and target.unit is None and target.value is not None:
        hint = "add the unit (次, 个, %, 万元…)"
        if target.value == target.value.to_integral() and 20000 <= target.value <= 80000:
            day = date(1899, 12, 30) + timedelta(days=int(target.value))
            hint = f"{target.value} looks like an Excel date serial for {day.isoformat()}; " + hint
        report.warning(pos, f"target {target.raw} has no unit", hint)
    if target.kind == "deadline" and target.deadline and department.ok("year") \
            and target.deadline.year != department.get("year"):
        report.warning(pos, f"deadline {target.raw} is outside the budget year {department.get('year')}")
    cost = row is not None and ((row.level1_match.category is not None and row.level1_match.category.cost) or (
        row.level2_match.category is not None and row.level2_match.category.cost))
    if cost and target.unit in MONEY_FACTORS and target.value is not None and target.comparator in ("≤", "<", "=", None) and project.ok("budget"):
        budget = project.get("budget")
        if budget.ok("total") and not budget.get("total").is_blank:
            ceiling = in_unit(target.value, target.unit, unit)
            total = budget.get("total").value
            if ceiling > total:
                report.warning(pos, f"成本指标 ceiling {target.raw} ({format_money(ceiling, unit)}) is above "
                               f"the project's budget {format_money(total, unit)}",
                               "a cost ceiling above the budget constrains nothing; check the target or its unit")


def _is_growth(name: str) -> bool:
    # Growth rates (增长率 150%) may exceed 100%; shares and completion rates may not.
    return any(word in name for word in ("增长", "增速", "增幅", "同比", "环比"))
