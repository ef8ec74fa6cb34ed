"""Check: a self-evaluation (绩效自评表) as a finance reviewer reads it (../shared/CYCLE.md).

Every figure the form states is compared with the one computed from its data and the scoring
profile (content/evaluation.py); the hint gives the computed value and how it was reached, so
the publisher can correct the form: `得分 15 ≠ 13.88 = 740 / 800 × 15`.
"""

from __future__ import annotations

from decimal import Decimal

from builder.base.diagnostics import Report
from builder.content.fields import Values
from builder.content.model import Project
from builder.content.stage_model import Evaluation, Figure


def check_evaluation(values: Values, evaluation: Evaluation, project: Project | None, report: Report) -> None:
    """Every reviewer check of one self-evaluation; `project` is None for the department's own."""
    money = values.get("money")
    stated(evaluation.rate, money, "rate", "执行率", report, unit="%")
    stated(evaluation.budget_score, money, "score", "预算执行得分", report)
    for row, indicator in zip(values.get("indicators"), evaluation.indicators, strict=True):
        stated(indicator.score, row, "score", "得分", report)
    stated(evaluation.total, values, "total", "总分", report)


def stated(figure: Figure, values: Values, key: str, label: str, report: Report, unit: str = "") -> None:
    """An error where the form states a figure that differs from the computed one."""
    if figure.differs and figure.computed is not None and figure.stated is not None:
        report.error(values.where(key), f"{label} {plain(figure.stated)}{unit} ≠ {plain(figure.computed)}{unit} = "
                     f"{figure.how}", f"correct {label} to {plain(figure.computed)}{unit}, or the figures it is "
                     "computed from; the page shows both")


def plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
