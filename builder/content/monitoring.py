"""The mid-year monitoring (绩效目标执行监控) of a project: progress, forecast and a status per indicator.

`monitor` joins a monitoring file's rows to the approved targets (stage_rows.py) and decides each
indicator's status from the forecast and the stated likelihood: on track (the forecast meets the
target, or completion is 确定能), at risk (有可能, or no forecast to judge by), off track (完全不可能,
or a forecast that misses the target). The status is a word and a sign on the page, never a colour
alone.
"""

from __future__ import annotations

import re
from decimal import Decimal

from builder.base.numbers import plain_number
from builder.content.attainment import MET, MISSED, status
from builder.content.fields import Values
from builder.content.frameworks import Framework
from builder.content.model import Indicator, Project
from builder.content.scalars import Actual, Amount
from builder.content.scoring import cents
from builder.content.stage_model import (
    AT_RISK,
    NOT_APPLICABLE,
    OFF_TRACK,
    ON_TRACK,
    RATE_TOLERANCE,
    Figure,
    MonitoredIndicator,
    Monitoring,
)
from builder.content.stage_rows import adjustment_of, key, match_rows, shown_name, target_in_force

# What a forecast cell says when the indicator does not apply this year.
NOT_REPORTED = ("不适用", "本年度不适用", "无", "/", "—")


def cutoff_month(period: str) -> int:
    """The last month a period covers: 1-7月 → 7."""
    months = re.findall(r"\d+", period)
    return int(months[-1])


def monitor(values: Values, project: Project, framework: Framework | None, money_unit: str,
            source: str) -> Monitoring:
    money = values.get("money")
    budget, executed = money.get("budget"), money.get("executed")
    rate = None if executed.value is None or not budget.value else cents(executed.value / budget.value * 100)
    rows = list(values.get("indicators"))
    matches, missing = match_rows(project.indicators, rows, framework)
    return Monitoring(
        subject=project.code, example=values.get("example"), period=values.get("period"),
        month=cutoff_month(values.get("period")), money_unit=money_unit, budget=budget, executed=executed,
        forecast=money.get("forecast") or Amount(raw="", value=None),
        rate=Figure(rate, money.get("rate"), f"{_plain(executed.value)} / {_plain(budget.value)} × 100%",
                    RATE_TOLERANCE),
        reason=money.get("reason"),
        indicators=tuple(_indicator(row, match, project.indicators[match] if match is not None else None)
                         for row, match in zip(rows, matches, strict=True)),
        missing=tuple(missing), source=source)


def _plain(value: Decimal | None) -> str:
    return "—" if value is None else plain_number(value)


def _indicator(row: Values, index: int | None, approved: Indicator | None) -> MonitoredIndicator:
    target = target_in_force(approved, row)
    forecast: Actual | None = row.get("forecast")
    likelihood = row.get("likelihood")
    judged = status(target, forecast.parsed) if forecast is not None else None
    if forecast is not None and key(forecast.raw) in NOT_REPORTED and likelihood != "完全不可能":
        state = NOT_APPLICABLE  # 不适用 this year: neither on track nor at risk
    elif likelihood == "完全不可能" or judged == MISSED:
        state = OFF_TRACK
    elif likelihood == "有可能" or forecast is None or (judged != MET and likelihood != "确定能"):
        state = AT_RISK
    else:
        state = ON_TRACK
    adjustment = adjustment_of(row)
    return MonitoredIndicator(
        approved=index,
        level1=approved.level1.canonical if approved else row.get("level1") or "",
        level2=approved.level2.canonical if approved else row.get("level2") or "",
        name=shown_name(approved, row), target=target,
        initial_target=approved.target if approved and adjustment and adjustment.target else None,
        adjustment=adjustment, added=row.get("added"),
        progress=row.get("progress"), forecast=forecast, status=state, reason_category=row.get("reason_category"),
        reason=row.get("reason"), action=row.get("action"), likelihood=likelihood)


__all__ = ["cutoff_month", "monitor"]
