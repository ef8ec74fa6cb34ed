"""Check: a self-evaluation's 项目资金 block as a finance reviewer reads it (../shared/CYCLE.md).

执行率 = 全年执行数 / 全年预算数 (the scoring profile may say 年初预算数), the budget score w_b × 执行率,
the funding rows adding up to 年度资金总额 in every column, and the reasons a low rate or a changed
budget needs. Every hint gives the computed value and how it was reached.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from builder.base.diagnostics import Pos, Report
from builder.base.messages import msg
from builder.base.money import format_money
from builder.base.numbers import plain_number
from builder.check.stage_rows import stated
from builder.check.wording import BLANK, Word, compose, joined
from builder.content.fields import Values
from builder.content.scalars import Amount
from builder.content.scoring import Profile, cents
from builder.content.stage_model import RATE_TOLERANCE, Evaluation, FundingRow

COLUMNS = (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"))


def check_money(values: Values, evaluation: Evaluation, profiles: Mapping[str, Profile], report: Report) -> None:
    money = values.get("money")
    check_rate(money, evaluation, report)
    stated(evaluation.budget_score, money, "score", "预算执行得分", report)
    check_budget_weight(money, evaluation, profiles, report)
    check_funding(money, evaluation, report)
    check_execution(money, evaluation, report)


def check_rate(money: Values, evaluation: Evaluation, report: Report) -> None:
    """执行率 as stated against E / B; named when it was taken over the other budget."""
    figure, total = evaluation.rate, evaluation.funding[0]
    if not figure.differs or figure.stated is None or figure.computed is None:
        return
    adjusted_basis = evaluation.profile.budget_basis == "adjusted"
    other = total.initial if adjusted_basis else total.adjusted
    used, unused = ("全年预算数", "年初预算数") if adjusted_basis else ("年初预算数", "全年预算数")
    executed = total.executed.value
    if executed is not None and other.value:
        over_other = cents(executed / other.value * 100)
        if abs(over_other - figure.stated) <= RATE_TOLERANCE:
            report.error(money.where("rate"), msg("evaluation_money.rate_other_basis", rate=plain_number(figure.stated),
                                                  unused=unused, used=used, executed=plain_number(executed),
                                                  other=plain_number(other.value),
                                                  computed=plain_number(figure.computed), how=figure.how,
                                                  profile=evaluation.profile.id))
            return
    stated(figure, money, "rate", "执行率", report, unit="%")


def check_budget_weight(money: Values, evaluation: Evaluation, profiles: Mapping[str, Profile],
                        report: Report) -> None:
    figure, profile = evaluation.budget_weight, evaluation.profile
    if figure.stated is None or figure.stated == profile.budget_weight:
        return
    others = [p for p in profiles.values() if p.budget_weight == figure.stated]
    weight = plain_number(profile.budget_weight)
    hint = (msg("evaluation_money.other_profile", other=others[0].id, title=others[0].title, weight=weight) if others
            else msg("evaluation_money.no_profile", stated=plain_number(figure.stated), weight=weight))
    report.error(money.where("weight"), msg("evaluation_money.budget_weight", stated=plain_number(figure.stated),
                                            weight=weight, profile=profile.id), hint)


def check_funding(money: Values, evaluation: Evaluation, report: Report) -> None:
    """当年财政拨款 + 上年结转资金 + 其他资金 = 年度资金总额, column by column."""
    total, parts = evaluation.funding[0], evaluation.funding[1:]
    unit = evaluation.money_unit
    total_values = money.get("total")
    for column, label in COLUMNS:
        amounts = [getattr(row, column) for row in parts]
        if not parts or all(a.is_blank for a in amounts):
            continue
        whole = getattr(total, column)
        added = sum((a.or_zero() for a in amounts), Decimal(0))
        if whole.value == added:
            continue
        terms = joined(([f"{short(row)} ", amount_text(getattr(row, column), unit)] for row in parts), " + ")
        report.error(total_values.where(column) if total_values.ok(column) else total_values.at,
                     msg("evaluation_money.funding_total", label=label, total=compose([amount_text(whole, unit)]),
                         terms=terms, added=format_money(added, unit)))


def check_execution(money: Values, evaluation: Evaluation, report: Report) -> None:
    """A rate above 100 %, a low rate without a reason, a changed budget without one."""
    total, profile, unit = evaluation.funding[0], evaluation.profile, evaluation.money_unit
    rate = evaluation.rate.computed
    total_values = money.get("total")
    executed_at = total_values.where("executed")
    if rate is not None and rate > 100:
        basis, label = ((total.initial, "年初预算数") if profile.budget_basis == "initial" or total.adjusted.is_blank
                        else (total.adjusted, "全年预算数"))
        report.warning(executed_at, msg("evaluation_money.rate_above_100", rate=plain_number(rate),
                                        executed=compose([amount_text(total.executed, unit)]), label=label,
                                        basis=compose([amount_text(basis, unit)]),
                                        weight=plain_number(profile.budget_weight)))
    if rate is not None and rate < profile.explain_below and not money.ok("deviation"):
        pos: Pos = money.where("rate") if money.ok("rate") else executed_at
        report.error(pos, msg("evaluation_money.rate_low", rate=plain_number(rate),
                              floor=plain_number(profile.explain_below)))
    initial, adjusted = total.initial.value, total.adjusted.value
    if initial is not None and adjusted is not None and initial != adjusted and not money.ok("adjustment_reason"):
        report.warning(total_values.where("adjusted"), msg("evaluation_money.budget_changed",
                                                           adjusted=format_money(adjusted, unit),
                                                           initial=format_money(initial, unit)))


def short(row: FundingRow) -> str:
    return row.label.removeprefix("其中：")


def amount_text(amount: Amount, unit: str) -> str | Word:
    """An amount as a message says it, a blank one as the word for it (wording.compose)."""
    return format_money(amount.value, unit) if amount.value is not None else BLANK


__all__ = ["check_money"]
