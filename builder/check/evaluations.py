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
from builder.base.messages import msg
from builder.base.numbers import plain_number
from builder.base.suggest import closest
from builder.check.evaluation_money import check_money
from builder.check.evaluation_totals import check_totals
from builder.check.stage_rows import Approved, check_identity, check_reported, placeholder, stated
from builder.check.wording import Word, joined
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
            report.warning(row.where("name"), msg("evaluations.row_empty", name=row.get("name")))
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
        tiers = joined(([b.label, Word("evaluations.tier_also", (("aliases", ", ".join(b.aliases)),))] if b.aliases
                        else [b.label] for b in profile.bands), "; ")
        close = closest(wording, [w for b in profile.bands for w in (b.label, *b.aliases)])
        report.error(row.where("band"), msg("evaluations.unknown_tier", wording=wording, profile=profile.id),
                     msg("evaluations.tiers_suggested", close=close, tiers=tiers) if close else
                     msg("evaluations.tiers", tiers=tiers))
    if score is None or indicator.not_applicable:
        return
    figure = indicator.score
    if indicator.status == MISSED and indicator.band is None and score >= weight and indicator.actual is not None \
            and indicator.target is not None:
        report.error(row.where("score"), msg("evaluations.full_marks_missed", score=plain_number(score),
                                             actual=indicator.actual.raw, target=indicator.target.raw),
                     msg("evaluations.missed_scores_less_computed", weight=plain_number(weight),
                         computed=plain_number(figure.computed), how=figure.how) if figure.computed is not None else
                     msg("evaluations.missed_scores_less", weight=plain_number(weight)))
        return
    if score > weight or score < 0:
        report.error(row.where("score"), msg("evaluations.score_above", score=plain_number(score),
                                             weight=plain_number(weight)) if score > weight
                     else msg("evaluations.score_below_zero", score=plain_number(score)),
                     msg("evaluations.score_range", weight=plain_number(weight)))
        return
    band = next((b for b in profile.bands if b.label == indicator.band), None)
    if band is not None and not in_band(band, score, weight):
        top = "]" if band.high == 1 else ")"
        report.error(row.where("score"), msg("evaluations.outside_tier", score=plain_number(score), band=band.label,
                                             low=plain_number(band.low * weight), high=plain_number(band.high * weight),
                                             top=top, weight=plain_number(weight)))
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
        report.error(pos, msg("evaluations.missed_no_reason", what=what, target=target.raw))
    elif indicator.over_achieved and target is not None and indicator.actual is not None:
        parsed = indicator.actual.parsed
        value = comparable(target, parsed) if parsed is not None else None
        hint = msg("evaluations.over_hint", profile=profile.id, factor=plain_number(profile.over_achievement or ZERO))
        if value is not None and target.value:
            report.warning(row.where("actual"), msg("evaluations.over_times", actual=indicator.actual.raw,
                                                    times=plain_number(cents(value / target.value)),
                                                    target=target.raw), hint)
        else:
            report.warning(row.where("actual"), msg("evaluations.over_far", actual=indicator.actual.raw,
                                                    target=target.raw), hint)


def check_goal(values: Values, evaluation: Evaluation, report: Report) -> None:
    goal = values.get("goal")
    actual = goal.get("actual") if goal.ok("actual") else None
    if actual is None:
        return
    if key(actual) in _EMPTY:
        report.warning(goal.where("actual"), msg("evaluations.goal_empty", actual=actual))
    elif evaluation.goal_expected and key(actual) == key(evaluation.goal_expected):
        report.warning(goal.where("actual"), msg("evaluations.goal_repeated"))


def check_all_full(rows: list[Values], evaluation: Evaluation, report: Report) -> None:
    """Every score full marks while a row explains a deviation: the scores were not really given."""
    scored = [(row, i) for row, i in zip(rows, evaluation.indicators, strict=True) if not i.not_applicable]
    if not scored or any(not row.ok("score") or row.get("score") < i.weight_used for row, i in scored):
        return
    # A row far above its target explains the over-achievement the profile asks about, not a shortfall.
    explained = next((row for row, i in scored if row.ok("deviation") and not i.over_achieved), None)
    if explained is not None:
        report.warning(explained.where("deviation"), msg("evaluations.all_full_marks"))


__all__ = ["check_evaluation"]
