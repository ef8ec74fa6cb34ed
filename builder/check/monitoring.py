"""Check: a monitoring round (绩效目标执行监控表) as a finance reviewer reads it (../shared/CYCLE.md).

Money: 执行率 = executed / budget, spending far behind the share of the year gone by (the
threshold is the scoring profile's `monitoring.behind`) or behind the project's own spending plan
without a reason, a forecast above the budget or below what is already spent. Indicators: each
with its progress and forecast, a reason where the year's target looks out of reach, a
纠偏措施 where it is out of reach, and the rows' identity (stage_rows.py, shared with 自评).
"""

from __future__ import annotations

import re

from builder.base.diagnostics import Report
from builder.base.messages import msg
from builder.base.money import format_money
from builder.base.numbers import plain_number
from builder.check.stage_rows import Approved, check_identity, check_reported, placeholder, stated
from builder.content.attainment import MISSED, status
from builder.content.fields import Values
from builder.content.model import Milestone
from builder.content.scoring import Profile, cents
from builder.content.stage_model import MonitoredIndicator, Monitoring

_MONTH = re.compile(r"(\d{1,2})\s*月")


def check_monitoring(values: Values, monitoring: Monitoring, approved: Approved, profile: Profile | None,
                     report: Report) -> None:
    """Every reviewer check of one monitoring round; `profile`: the department's scoring profile,
    for its threshold of spending behind time (None after an unknown one was reported)."""
    money = values.get("money")
    stated(monitoring.rate, money, "rate", "执行率", report, unit="%")
    check_pace(money, monitoring, approved, profile, report)
    check_forecast(money, monitoring, report)
    period = f"1–{monitoring.month}月"
    for row, indicator in zip(values.get("indicators"), monitoring.indicators, strict=True):
        check_row(row, indicator, period, report)
        check_reported(row, "progress", f"{period}实际完成值", indicator.target, report, numeric=False)
        check_reported(row, "forecast", "全年预计完成值", indicator.target, report)
        if indicator.approved is not None:
            placeholder(row, report)
    check_identity(values, [i.approved for i in monitoring.indicators], monitoring.missing, approved, "监控", report)


def check_pace(money: Values, monitoring: Monitoring, approved: Approved, profile: Profile | None,
               report: Report) -> None:
    """Spending far behind the time gone by, or behind the spending plan, with no reason given."""
    rate = monitoring.rate.computed
    if rate is None or money.ok("reason"):
        return
    pos = money.where("rate") if money.ok("rate") else money.where("executed")
    floor = cents(monitoring.elapsed * profile.behind) if profile is not None else None
    if profile is not None and floor is not None and rate < floor:
        report.warning(pos, msg("monitoring.behind_time", rate=plain_number(rate), period=monitoring.period,
                                elapsed=plain_number(monitoring.elapsed), profile=profile.id,
                                behind=plain_number(profile.behind), floor=plain_number(floor)))
        return
    planned = planned_by(approved.project.spending_plan, monitoring.month)
    if planned is not None and rate < planned.percent:
        report.warning(pos, msg("monitoring.behind_plan", rate=plain_number(rate), period=monitoring.period,
                                planned=plain_number(planned.percent), label=planned.label))


def planned_by(plan: tuple[Milestone, ...], month: int) -> Milestone | None:
    """The last milestone of a spending plan at or before a cut-off month (3月底, 6月底 → 6月底 for 1-7月)."""
    reached = None
    for milestone in plan:
        found = _MONTH.search(milestone.label)
        if found and int(found.group(1)) <= month:
            reached = milestone
    return reached


def check_forecast(money: Values, monitoring: Monitoring, report: Report) -> None:
    budget, executed, forecast = monitoring.budget.value, monitoring.executed.value, monitoring.forecast.value
    unit = monitoring.money_unit
    if budget is not None and executed is not None and executed > budget:
        report.warning(money.where("executed"), msg("monitoring.executed_above_budget", period=monitoring.period,
                                                    executed=format_money(executed, unit),
                                                    budget=format_money(budget, unit)))
    if forecast is None:
        return
    if budget is not None and forecast > budget:
        report.error(money.where("forecast"), msg("monitoring.forecast_above_budget",
                                                  forecast=format_money(forecast, unit),
                                                  budget=format_money(budget, unit)))
    elif executed is not None and forecast < executed:
        report.error(money.where("forecast"), msg("monitoring.forecast_below_spent",
                                                  forecast=format_money(forecast, unit),
                                                  executed=format_money(executed, unit), period=monitoring.period))


def check_row(row: Values, indicator: MonitoredIndicator, period: str, report: Report) -> None:
    lacking = "_".join(field for field in ("progress", "forecast") if not row.ok(field))
    if lacking:
        said = {"progress": "monitoring.no_progress", "forecast": "monitoring.no_forecast"}.get(
            lacking, "monitoring.no_progress_forecast")
        report.error(row.where("name"), msg(said, name=indicator.name, period=period), msg("monitoring.fill_in_row"))
    target, forecast, likelihood = indicator.target, indicator.forecast, indicator.likelihood
    misses = target is not None and forecast is not None and forecast.parsed is not None \
        and status(target, forecast.parsed) == MISSED
    if not row.ok("reason"):
        if misses and target is not None and forecast is not None:
            report.error(row.where("forecast"), msg("monitoring.forecast_misses", forecast=forecast.raw,
                                                    target=target.raw))
        elif likelihood is not None and likelihood != "确定能":
            report.error(row.where("likelihood"), msg("monitoring.likely_short", likelihood=likelihood))
    if likelihood == "完全不可能" and not row.ok("action"):
        report.error(row.where("likelihood"), msg("monitoring.impossible_without_action"))
    if likelihood == "确定能" and misses and target is not None and forecast is not None:
        report.warning(row.where("likelihood"), msg("monitoring.certain_but_misses", forecast=forecast.raw,
                                                    target=target.raw))


__all__ = ["check_monitoring"]
