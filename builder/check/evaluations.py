"""Check: a self-evaluation (绩效自评表) as a finance reviewer reads it (../shared/CYCLE.md).

Every figure the form states is compared with the one computed from its data and the scoring
profile (content/evaluation.py); the hint gives the computed value and how it was reached, so
the publisher can correct the form: `得分 15 ≠ 13.88 = 740 / 800 × 15`. The money block is
evaluation_money.py's, the weights and totals evaluation_totals.py's, the rows' identity and
reported values stage_rows.py's (shared with monitoring); the indicators' scores and reasons here.
"""

from __future__ import annotations

from collections.abc import Mapping

from builder.base.diagnostics import Report
from builder.base.numbers import plain_number
from builder.base.suggest import did_you_mean
from builder.check.evaluation_money import check_money
from builder.check.evaluation_totals import check_totals
from builder.check.stage_rows import Approved, check_identity, check_reported, placeholder, stated
from builder.content.attainment import MISSED, comparable
from builder.content.fields import Values
from builder.content.scoring import ZERO, Profile, cents, in_band
from builder.content.stage_model import EvaluatedIndicator, Evaluation
from builder.content.stage_rows import key

# How a form says 实际完成情况 was left empty.
_EMPTY = {"", "无", "/", "-", "—", "——", "暂无", "略"}


def check_evaluation(values: Values, evaluation: Evaluation, approved: Approved | None, report: Report,
                     profiles: Mapping[str, Profile] | None = None, renamed: Mapping[str, str] | None = None) -> None:
    """Every reviewer check of one self-evaluation; `approved` is None for the department's own.
    `profiles`: the site's scoring profiles (a hint names the one a form follows); `renamed`: the
    new names the monitoring round recorded (check_identity)."""
    check_money(values, evaluation, profiles or {}, report)
    rows = list(values.get("indicators"))
    for row, indicator in zip(rows, evaluation.indicators, strict=True):
        check_score(row, indicator, evaluation.profile, report)
        check_reasons(row, indicator, evaluation.profile, report)
        check_reported(row, "actual", "实际完成值", indicator.target, report)
        if approved is None or indicator.approved is not None:
            placeholder(row, report)
        if not row.ok("actual") and not row.ok("score") and not row.ok("band") and not row.ok("not_applicable"):
            report.warning(row.where("name"), f"the row `{row.get('name')}` is empty: no 实际完成值, no 得分",
                           "fill in what was achieved and its score, or `not_applicable:` why it does not apply")
    if approved is not None:
        check_identity(values, [i.approved for i in evaluation.indicators], evaluation.missing, approved, "自评",
                       report, renamed)
    check_totals(values, evaluation, report)
    check_goal(values, evaluation, report)
    check_all_full(rows, evaluation, report)


def check_score(row: Values, indicator: EvaluatedIndicator, profile: Profile, report: Report) -> None:
    """The stated 得分: full marks for a missed target, beyond its weight, outside its tier, or
    other than the formula gives; one finding per score."""
    score = row.get("score") if row.ok("score") else None
    weight = indicator.weight_used
    if row.ok("band") and indicator.band is None:
        wording = row.get("band")
        tiers = "; ".join(f"{b.label}" + (f" (also {', '.join(b.aliases)})" if b.aliases else "") for b in profile.bands)
        report.error(row.where("band"), f"完成档次 `{wording}` is not a tier of scoring profile `{profile.id}`",
                     (did_you_mean(wording, [w for b in profile.bands for w in (b.label, *b.aliases)]) or "") +
                     f" the tiers: {tiers}")
    if score is None or indicator.not_applicable:
        return
    figure = indicator.score
    if indicator.status == MISSED and indicator.band is None and score >= weight and indicator.actual is not None \
            and indicator.target is not None:
        how = f": {plain_number(figure.computed)} = {figure.how}" if figure.computed is not None else ""
        report.error(row.where("score"), f"得分 {plain_number(score)} is full marks for a missed target: 实际完成值 "
                     f"{indicator.actual.raw} does not reach 年度指标值 {indicator.target.raw}",
                     f"a missed target scores less than its 分值 {plain_number(weight)}{how}")
        return
    if score > weight or score < 0:
        report.error(row.where("score"), f"得分 {plain_number(score)} is above its 分值 {plain_number(weight)}" if score > weight
                     else f"得分 {plain_number(score)} is below 0", f"a score lies from 0 to the indicator's 分值 {plain_number(weight)}")
        return
    band = next((b for b in profile.bands if b.label == indicator.band), None)
    if band is not None and not in_band(band, score, weight):
        top = "]" if band.high == 1 else ")"
        report.error(row.where("score"), f"得分 {plain_number(score)} is outside the tier {band.label}: "
                     f"[{plain_number(band.low * weight)}, {plain_number(band.high * weight)}{top} of 分值 {plain_number(weight)}",
                     "correct 得分 to lie in the tier, or 完成档次 to the tier the score belongs to")
        return
    stated(figure, row, "score", "得分", report)


def check_reasons(row: Values, indicator: EvaluatedIndicator, profile: Profile, report: Report) -> None:
    """A missed target needs 偏差原因分析; one far exceeded wants it (a warning)."""
    if row.ok("deviation") or indicator.not_applicable:
        return
    target = indicator.target
    if indicator.status == MISSED and target is not None:
        what, pos = ((f"实际完成值 {indicator.actual.raw}", row.where("actual")) if indicator.actual is not None
                     else (f"完成档次 {indicator.band_stated}", row.where("band")))
        report.error(pos, f"{what} misses 年度指标值 {target.raw} and 偏差原因分析 is empty",
                     "add `deviation:` why the target was missed, and `improvement:` what will be done")
    elif indicator.over_achieved and target is not None and indicator.actual is not None:
        parsed = indicator.actual.parsed
        value = comparable(target, parsed) if parsed is not None else None
        times = f"{plain_number(cents(value / target.value))} ×" if value is not None and target.value else "far above"
        report.warning(row.where("actual"), f"实际完成值 {indicator.actual.raw} is {times} 年度指标值 "
                       f"{target.raw} and 偏差原因分析 does not explain it",
                       f"scoring profile `{profile.id}` wants a reason from {plain_number(profile.over_achievement or ZERO)} "
                       "× the target: add `deviation:` why it was exceeded (was the target set too low?)")


def check_goal(values: Values, evaluation: Evaluation, report: Report) -> None:
    goal = values.get("goal")
    actual = goal.get("actual") if goal.ok("actual") else None
    if actual is None:
        return
    if key(actual) in _EMPTY:
        report.warning(goal.where("actual"), f"实际完成情况 `{actual}` says nothing",
                       "say what was achieved against the year's goal, with its figures")
    elif evaluation.goal_expected and key(actual) == key(evaluation.goal_expected):
        report.warning(goal.where("actual"), "实际完成情况 repeats 预期目标 word for word",
                       "say what was achieved against the goal, with its figures, not the goal again")


def check_all_full(rows: list[Values], evaluation: Evaluation, report: Report) -> None:
    """Every score full marks while a row explains a deviation: the scores were not really given."""
    scored = [(row, i) for row, i in zip(rows, evaluation.indicators, strict=True) if not i.not_applicable]
    if not scored or any(not row.ok("score") or row.get("score") < i.weight_used for row, i in scored):
        return
    # A row far above its target explains the over-achievement the profile asks about, not a shortfall.
    explained = next((row for row, i in scored if row.ok("deviation") and not i.over_achieved), None)
    if explained is not None:
        report.warning(explained.where("deviation"), "every indicator is scored full marks, yet 偏差原因分析 "
                       "explains a deviation here", "a target missed scores less than full marks: check this "
                       "row's 实际完成值 and 得分")


__all__ = ["check_evaluation"]
