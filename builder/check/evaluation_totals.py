"""Check: a self-evaluation's weights and totals (../shared/CYCLE.md, "What a reviewer checks").

The indicators' 分值 roll up: the rows of a 一级 (or 二级) add up to the weight its label states
(`产出指标（50分）`) and, on a project's form, to the weight the scoring profile gives it; all rows
add up to the profile's indicator total (90 beside a budget of 10); 总分 is the budget score plus
the indicators' scores, and the grade is the one the profile gives that 总分.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from builder.base.diagnostics import Report
from builder.base.messages import msg
from builder.base.numbers import plain_number
from builder.check.stage_rows import stated
from builder.content.evaluation import label_weight
from builder.content.fields import Values
from builder.content.scoring import ZERO, grade
from builder.content.stage_model import EvaluatedIndicator, Evaluation


def check_totals(values: Values, evaluation: Evaluation, report: Report) -> None:
    rows = list(values.get("indicators"))
    check_labels(rows, evaluation, "level1", lambda i: i.level1, report)
    check_labels(rows, evaluation, "level2", lambda i: (i.level1, i.level2), report)
    if evaluation.subject != "department":  # the profile's 一级 split is a project form's (CYCLE.md)
        check_level1_weights(rows, evaluation, report)
    profile = evaluation.profile
    weights = sum((i.weight for i in evaluation.indicators), ZERO)
    if weights != profile.indicator_total:
        report.error(values.where("indicators"), msg("evaluation_totals.indicator_total", weights=plain_number(weights),
                                                     total=plain_number(profile.indicator_total), profile=profile.id,
                                                     budget=plain_number(profile.budget_weight)))
    stated(evaluation.total, values, "total", "总分", report)
    check_grade(values, evaluation, report)


def check_labels(rows: list[Values], evaluation: Evaluation, level: str,
                 group_of: Callable[[EvaluatedIndicator], object], report: Report) -> None:
    """A category label's weight (`产出指标（50分）`, `数量指标（20分）`) against the sum of its rows."""
    labelled: dict[object, Values] = {}
    weights: dict[object, list[Decimal]] = {}
    for row, indicator in zip(rows, evaluation.indicators, strict=True):
        group = group_of(indicator)
        weights.setdefault(group, []).append(indicator.weight)
        if label_weight(row.get(level)) is not None:
            labelled.setdefault(group, row)
    for group, row in labelled.items():
        written = label_weight(row.get(level))
        total = sum(weights[group], ZERO)
        if written is not None and written != total:
            report.error(row.where(level), msg("evaluation_totals.label_weight",
                                               level="一级" if level == "level1" else "二级", label=row.get(level),
                                               written=plain_number(written), total=plain_number(total),
                                               terms=" + ".join(plain_number(w) for w in weights[group])))


def check_level1_weights(rows: list[Values], evaluation: Evaluation, report: Report) -> None:
    """Each 一级's rows against the weight the scoring profile gives it (产出 50, 效益 30, 满意度 10),
    unless its label states a weight of its own that its rows already contradict (check_labels)."""
    profile = evaluation.profile
    first: dict[str, Values] = {}  # where a 一级 is named: the first row that writes it, else its first row
    for row, indicator in zip(rows, evaluation.indicators, strict=True):
        current = first.get(indicator.level1)
        if current is None or (not current.ok("level1") and row.ok("level1")):
            first[indicator.level1] = row
    for group in evaluation.level1:
        expected = profile.level1_weights.get(group.name)
        if expected is None or expected == group.weight:
            continue
        if group.stated_weight is not None and group.stated_weight != group.weight:
            continue  # the label is contradicted already; one finding for one fault
        row = first[group.name]
        terms = " + ".join(plain_number(i.weight) for i in evaluation.indicators if i.level1 == group.name)
        report.error(row.where("level1") if row.ok("level1") else row.where("name"),
                     msg("evaluation_totals.level1_weight", name=group.name, weight=plain_number(group.weight),
                         profile=profile.id, expected=plain_number(expected), terms=terms))


def check_grade(values: Values, evaluation: Evaluation, report: Report) -> None:
    if not values.ok("grade"):
        return
    profile, written = evaluation.profile, values.get("grade")
    grades = ", ".join(f"{name} ≥ {plain_number(minimum)}" for name, minimum in profile.grades)
    if written not in {name for name, _ in profile.grades}:
        report.error(values.where("grade"), msg("evaluation_totals.unknown_grade", grade=written, profile=profile.id,
                                                grades=grades))
        return
    total = evaluation.total.stated if evaluation.total.stated is not None else evaluation.total.computed
    if total is None:
        return
    expected = grade(profile, total)
    if written != expected:
        report.error(values.where("grade"), msg("evaluation_totals.grade_contradicts", grade=written,
                                                total=plain_number(total), profile=profile.id, expected=expected,
                                                grades=grades))


__all__ = ["check_totals"]
