"""Check: one project's stages against each other (../shared/CYCLE.md, "Across stages").

The money of the targets, the monitoring round and the self-evaluation is in one unit (the
department's `money_unit`): an amount about 10000 times another is 元 written as 万元, or the
reverse. The year's budget is one figure in both later stages unless an adjustment is recorded,
and the year's spending does not fall below what the monitoring round had already spent. An
indicator the monitoring round renamed or re-targeted keeps that change in the self-evaluation.
"""

from __future__ import annotations

from decimal import Decimal

from builder.base.diagnostics import Report
from builder.base.messages import Message, msg
from builder.base.money import format_money
from builder.check.stage_rows import Approved
from builder.content.fields import Values
from builder.content.stage_model import Adjustment, Evaluation, Monitoring
from builder.content.stage_rows import key

# An amount this many times another (either way, give or take half) is one unit off: 元 vs 万元.
_UNIT_STEP = Decimal(10000)


def renamed_in(monitoring: Monitoring, approved: Approved) -> dict[str, str]:
    """The new names the monitoring round recorded (as compared, stage_rows.key) → the approved names."""
    return {key(i.adjustment.name): approved.project.indicators[i.approved].name for i in monitoring.indicators
            if i.adjustment is not None and i.adjustment.name and i.approved is not None}


def unit_off(amount: Decimal | None, reference: Decimal | None) -> Message | None:
    """"about 10000 times" or "about 1/10000 of" when `amount` looks one money unit off `reference`."""
    if not amount or not reference:
        return None
    ratio = amount / reference
    if _UNIT_STEP / 2 <= ratio <= _UNIT_STEP * 2:
        return msg("across_stages.times_10000")
    if _UNIT_STEP / 2 <= 1 / ratio <= _UNIT_STEP * 2:
        return msg("across_stages.one_10000th")
    return None


def check_monitoring_money(values: Values, monitoring: Monitoring, approved: Approved, report: Report) -> None:
    """The monitoring round's budget in the targets' money unit."""
    project, unit = approved.project, monitoring.money_unit
    off = unit_off(monitoring.budget.value, project.budget.total.value)
    if off is not None and monitoring.budget.value is not None:
        report.warning(values.get("money").where("budget"), msg("across_stages.budget_unit_off",
                                                                budget=format_money(monitoring.budget.value, unit),
                                                                off=off, approved=format_money(project.budget.total.value,
                                                                                               unit), unit=unit),
                       unit_hint(unit))


def check_evaluation_money(values: Values, evaluation: Evaluation, approved: Approved, report: Report) -> None:
    """The self-evaluation's 年初预算数: the budget approved with the targets, in their unit."""
    project, unit = approved.project, evaluation.money_unit
    initial, budget = evaluation.funding[0].initial.value, project.budget.total.value
    if initial is None or budget is None or initial == budget:
        return
    pos = values.get("money").get("total").where("initial")
    off = unit_off(initial, budget)
    if off is not None:
        report.warning(pos, msg("across_stages.initial_unit_off", initial=format_money(initial, unit), off=off,
                                approved=format_money(budget, unit), unit=unit), unit_hint(unit))
    else:
        report.warning(pos, msg("across_stages.initial_differs", initial=format_money(initial, unit),
                                approved=format_money(budget, unit), source=project.source))


def check_between(monitored: Values, monitoring: Monitoring, evaluated: Values, evaluation: Evaluation,
                  approved: Approved, report: Report) -> None:
    """The monitoring round against the self-evaluation of the same project and year."""
    unit = evaluation.money_unit
    total = evaluation.funding[0]
    adjusted = total.adjusted.value if not total.adjusted.is_blank else total.initial.value
    budget, budget_at = monitoring.budget.value, monitored.get("money").where("budget")
    off = unit_off(budget, adjusted)
    if off is not None and budget is not None and adjusted is not None:
        report.warning(budget_at, msg("across_stages.evaluation_unit_off", budget=format_money(budget, unit), off=off,
                                      adjusted=format_money(adjusted, unit), unit=unit), unit_hint(unit))
    elif budget is not None and adjusted is not None and budget != adjusted and total.initial.value == adjusted:
        report.warning(budget_at, msg("across_stages.evaluation_budget_differs", budget=format_money(budget, unit),
                                      adjusted=format_money(adjusted, unit), source=evaluation.source))
    spent, executed = monitoring.executed.value, total.executed.value
    if spent is not None and executed is not None and executed < spent and off is None:
        report.warning(evaluated.get("money").get("total").where("executed"),
                       msg("across_stages.spending_fell", executed=format_money(executed, unit),
                           spent=format_money(spent, unit), period=monitoring.period))
    check_changes_kept(monitored, monitoring, evaluated, evaluation, approved, report)


def check_changes_kept(monitored: Values, monitoring: Monitoring, evaluated: Values, evaluation: Evaluation,
                       approved: Approved, report: Report) -> None:
    """A rename or a changed target the monitoring round recorded, dropped by the self-evaluation."""
    earlier: dict[int, tuple[Values, Adjustment]] = {
        i.approved: (row, i.adjustment) for row, i in zip(monitored.get("indicators"), monitoring.indicators, strict=True)
        if i.approved is not None and i.adjustment is not None}
    for row, indicator in zip(evaluated.get("indicators"), evaluation.indicators, strict=True):
        if indicator.approved is None or indicator.approved not in earlier:
            continue
        before_row, before = earlier[indicator.approved]
        where = f"{monitoring.source}:{before_row.where('name').line}"
        now = indicator.adjustment
        target = approved.project.indicators[indicator.approved]
        if before.name and (now is None or not now.name):
            report.error(row.where("name"), msg("across_stages.rename_dropped", name=target.name,
                                                renamed=before.name, where=where))
        if before.target is not None and (now is None or now.target is None):
            report.warning(row.where("name"), msg("across_stages.retarget_dropped", name=target.name,
                                                  adjusted=before.target.raw, where=where, target=target.target.raw))


def unit_hint(unit: str) -> Message:
    return msg("across_stages.unit_hint", unit=unit)


__all__ = ["check_between", "check_evaluation_money", "check_monitoring_money", "renamed_in", "unit_off"]
