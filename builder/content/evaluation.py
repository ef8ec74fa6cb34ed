"""The self-evaluation (绩效自评) of a project or a whole department, scored from its data.

`evaluate` joins a self-evaluation file's rows to the approved targets (stage_rows.py) and computes
every figure the form states (执行率, the budget score, each indicator's score, the totals by 一级,
总分, the grade) with the scoring profile in force (scoring.py). Each figure keeps both values: the
one computed and the one the form states (`Figure`), so check can report where they differ and a
page can show both, never silently one of them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from builder.base.messages import msg
from builder.base.numbers import plain_number
from builder.content.attainment import MET, MISSED, NOT_APPLICABLE, UNKNOWN, computed_score, status
from builder.content.fields import Values
from builder.content.frameworks import Framework, normalize_label
from builder.content.model import Indicator, Project
from builder.content.scalars import Actual, Amount
from builder.content.scoring import ONE, ZERO, Profile, band_of, budget_score, cents, grade, over_achieved, rescaled
from builder.content.stage_model import (
    RATE_TOLERANCE,
    EvaluatedIndicator,
    Evaluation,
    Figure,
    FundingRow,
    Level1Total,
)
from builder.content.stage_rows import adjustment_of, match_rows, shown_name, target_in_force

_BLANK = Amount(raw="", value=None)
_LABEL_WEIGHT = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]")


_FUNDING = (("total", "年度资金总额"), ("current", "其中：当年财政拨款"), ("carried_over", "上年结转资金"),
            ("other", "其他资金"))
# The form's 项目资金 rows, in its order: a form prints all four, stated or not.
FUNDING_LABELS = tuple(label for _, label in _FUNDING)


def evaluate(values: Values, profile: Profile, project: Project | None, framework: Framework | None,
             money_unit: str, source: str) -> Evaluation:
    """A validated self-evaluation file (project: its approved `project`; None for the department's)."""
    money = values.get("money")
    funding = tuple(FundingRow(label, *(money.get(key).get(col, _BLANK) for col in ("initial", "adjusted", "executed")))
                    for key, label in _FUNDING if money.ok(key))
    total = funding[0]
    basis = total.initial if profile.budget_basis == "initial" or total.adjusted.is_blank else total.adjusted
    executed = total.executed.value
    rate_value = None if executed is None or not basis.value else executed / basis.value * 100
    rate = Figure(None if rate_value is None else cents(rate_value), money.get("rate"),
                  f"{_fmt(executed)} / {_fmt(basis.value)} × 100%" if rate_value is not None else "",
                  RATE_TOLERANCE)
    budget = Figure(None if executed is None or basis.value is None else budget_score(profile, executed, basis.value),
                    money.get("score"), f"{_fmt(profile.budget_weight)} × min({_fmt(rate.computed)}%, 100%)")
    weight = Figure(profile.budget_weight, money.get("weight"), msg("evaluation.profile", id=profile.id), ZERO)

    rows = list(values.get("indicators"))
    approved = project.indicators if project is not None else ()
    matches, missing = match_rows(approved, rows, framework) if project is not None else ([None] * len(rows), [])
    weights = [r.get("weight") for r in rows]
    used = rescaled(profile, weights, [not r.ok("not_applicable") for r in rows])
    if not any(r.ok("not_applicable") for r in rows):
        used = weights  # nothing dropped: the weights stand as written, whatever they add up to
    indicators = _continued(tuple(_indicator(profile, row, match, approved[match] if match is not None else None,
                                             w, u, project is None)
                                  for row, match, w, u in zip(rows, matches, weights, used, strict=True)))
    level1 = _level1_totals(rows, indicators)
    score_sum = sum((i.score.shown or ZERO for i in indicators), ZERO)
    computed_total = cents((budget.shown or ZERO) + score_sum)
    total_figure = Figure(computed_total, values.get("total"),
                          f"{_fmt(budget.shown or ZERO)} + {_fmt(score_sum)}")
    goal = values.get("goal")
    return Evaluation(
        subject=project.code if project is not None else "department", example=values.get("example"),
        profile=profile, money_unit=money_unit, funding=funding, budget_weight=weight, rate=rate,
        budget_score=budget, adjustment_reason=money.get("adjustment_reason"),
        execution_deviation=money.get("deviation"),
        goal_expected=goal.get("expected") or ("\n".join(g.raw for g in project.goals) if project else None),
        goal_actual=goal.get("actual"), indicators=indicators, missing=tuple(missing), level1=level1,
        total=total_figure, grade=grade(profile, computed_total), grade_stated=values.get("grade"),
        conclusion=values.get("conclusion"), problems=values.get("problems"), measures=values.get("measures"),
        source=source)


def _indicator(profile: Profile, row: Values, index: int | None, approved: Indicator | None, weight: Decimal,
               used: Decimal, flat: bool) -> EvaluatedIndicator:
    adjustment = adjustment_of(row)
    target = target_in_force(approved, row)
    actual: Actual | None = row.get("actual")
    band_text = row.get("band")
    band = band_of(profile, band_text) if band_text else None
    stated = row.get("score")
    if row.ok("not_applicable"):
        figure, state = Figure(ZERO if profile.not_applicable == "zero" else None, stated, msg("evaluation.not_applicable")), NOT_APPLICABLE
    else:
        parsed = actual.parsed if actual is not None else None
        state = status(target, parsed)
        if band is not None and state == UNKNOWN:
            state = MET if band.high == ONE else MISSED
        score, how = computed_score(profile, target, parsed, used)
        if score is None and target is not None and target.kind == "deadline" and state == MET:
            score, how = cents(used), msg("evaluation.deadline_met")
        figure = Figure(score, stated, how)
    parsed_actual = actual.parsed if actual is not None else None
    return EvaluatedIndicator(
        approved=index,
        level1=approved.level1.canonical if approved else normalize_label(row.get("level1") or ""),
        level2=approved.level2.canonical if approved else normalize_label(row.get("level2") or ""),
        name=shown_name(approved, row) if not flat else row.get("name"),
        target=target, initial_target=approved.target if approved and adjustment and adjustment.target else None,
        adjustment=adjustment, added=row.get("added"), actual=actual, weight=weight,
        weight_used=used, score=figure, status=state, band=band.label if band else None, band_stated=band_text,
        over_achieved=bool(target is not None and parsed_actual is not None and target.value is not None
                           and parsed_actual.value is not None and target.comparator in ("≥", ">")
                           and over_achieved(profile, target.comparator, target.value, parsed_actual.value)),
        deviation=row.get("deviation"), improvement=row.get("improvement"), not_applicable=row.get("not_applicable"))


def _continued(indicators: tuple[EvaluatedIndicator, ...]) -> tuple[EvaluatedIndicator, ...]:
    """Rows that name no category of their own (a department's flat rows, an added row) continue
    the row above, as a merged cell of the form does: 产出指标（40分） covers the rows below it."""
    rows: list[EvaluatedIndicator] = []
    for indicator in indicators:
        if rows and indicator.approved is None and not indicator.level1:
            above = rows[-1]
            indicator = replace(indicator, level1=above.level1, level2=indicator.level2 or above.level2)
        rows.append(indicator)
    return tuple(rows)


def _level1_totals(rows: list[Values], indicators: tuple[EvaluatedIndicator, ...]) -> tuple[Level1Total, ...]:
    """Weights and scores summed by 一级, with the weight the form's label states (产出指标（50分）)."""
    order: list[str] = []
    stated: dict[str, Decimal] = {}
    weights: dict[str, Decimal] = {}
    scores: dict[str, Decimal] = {}
    for row, indicator in zip(rows, indicators, strict=True):
        name = indicator.level1
        if name not in order:
            order.append(name)
        written = label_weight(row.get("level1"))
        if written is not None:
            stated[name] = written
        weights[name] = weights.get(name, ZERO) + indicator.weight
        scores[name] = scores.get(name, ZERO) + (indicator.score.shown or ZERO)
    return tuple(Level1Total(n, stated.get(n), weights[n], scores[n]) for n in order)


def label_weight(label: str | None) -> Decimal | None:
    """The weight a category label states: 产出指标（50分） → 50; None when it states none."""
    found = _LABEL_WEIGHT.search(label) if label else None
    return Decimal(found.group(1)) if found else None


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else plain_number(value)


__all__ = ["FUNDING_LABELS", "MET", "MISSED", "UNKNOWN", "evaluate", "label_weight"]
