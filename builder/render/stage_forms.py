"""The later stages' official forms as rows: the 项目支出绩效自评表 and the 绩效目标执行监控表.

The print templates lay the forms out (print/stage_forms.html); this module gives them what a
template cannot say simply: which 一级/二级 cells merge (consecutive rows of one category, as
the forms print them), each 一级 cell's weight as the form writes it (产出指标（50分）), and the
four funding rows of the form whether the file states each or not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from builder.content.evaluation import FUNDING_LABELS
from builder.content.model import Department, Project
from builder.content.stage_model import (
    EvaluatedIndicator,
    Evaluation,
    FundingRow,
    Level1Total,
    MonitoredIndicator,
    Monitoring,
)


@dataclass(frozen=True)
class StageRow:
    indicator: EvaluatedIndicator | MonitoredIndicator
    level1_rowspan: int  # 0: the cell is merged into the one above; do not emit it
    level2_rowspan: int
    level1: Level1Total | None  # a self-evaluation's weight and score of this row's 一级 category


@dataclass(frozen=True)
class FundingLine:
    label: str
    row: FundingRow | None  # None: the file does not state this row; the form prints it empty
    total: bool  # the 年度资金总额 row, the one that carries 分值, 执行率 and 得分


@dataclass(frozen=True)
class EvaluationForm:
    """One 自评表 as print/stage_forms.html's `evaluation_form` takes it."""

    project: Project | None  # None: the department-wide 部门整体支出绩效自评表
    evaluation: Evaluation
    rows: list[StageRow]
    funding: list[FundingLine]
    weight_total: Decimal  # the 分值 of the 总分 row


@dataclass(frozen=True)
class MonitoringForm:
    project: Project
    monitoring: Monitoring
    rows: list[StageRow]


def evaluation_form(project: Project | None, evaluation: Evaluation) -> EvaluationForm:
    return EvaluationForm(project, evaluation, stage_rows(evaluation.indicators, evaluation.level1),
                          funding_lines(evaluation), weight_total(evaluation))


def monitoring_form(project: Project, monitoring: Monitoring) -> MonitoringForm:
    return MonitoringForm(project, monitoring, stage_rows(monitoring.indicators))


def stage_form(project: Project, kind: str) -> EvaluationForm | MonitoringForm:
    """The project's form of one stage ("evaluation" or "monitoring"), which it must have."""
    if kind == "evaluation" and project.evaluation is not None:
        return evaluation_form(project, project.evaluation)
    if kind == "monitoring" and project.monitoring is not None:
        return monitoring_form(project, project.monitoring)
    raise ValueError(f"project {project.code} has no {kind} form")


def evaluation_forms(department: Department) -> list[EvaluationForm]:
    """The volume's self-evaluation part: the department-wide form first, then each project's."""
    forms = [evaluation_form(None, department.evaluation)] if department.evaluation is not None else []
    return forms + [evaluation_form(p, p.evaluation) for p in department.projects if p.evaluation is not None]


def stage_rows(indicators: Sequence[EvaluatedIndicator | MonitoredIndicator],
               level1: tuple[Level1Total, ...] = ()) -> list[StageRow]:
    """The indicator rows, a 一级 cell merged over the consecutive rows of its category and a 二级
    cell over those of its own within it."""
    totals = {total.name: total for total in level1}
    keys1 = [i.level1 for i in indicators]
    keys2 = [(i.level1, i.level2) for i in indicators]
    return [StageRow(i, s1, s2, totals.get(i.level1))
            for i, s1, s2 in zip(indicators, _runs(keys1), _runs(keys2), strict=True)]


def _runs(keys: list) -> list[int]:
    """For each row, the length of the run of equal keys it starts, or 0 inside a run."""
    spans = [0] * len(keys)
    start = 0
    for i, key in enumerate(keys):
        if i == 0 or key != keys[start]:
            start = i
        spans[start] += 1
    return spans


def funding_lines(evaluation: Evaluation) -> list[FundingLine]:
    stated = {row.label: row for row in evaluation.funding}
    return [FundingLine(label, stated.get(label), label == FUNDING_LABELS[0]) for label in FUNDING_LABELS]


def weight_total(evaluation: Evaluation) -> Decimal:
    """The 分值 of the 总分 row: the budget's weight and every indicator's, as used for scoring."""
    weights = [i.weight_used for i in evaluation.indicators if i.not_applicable is None]
    return (evaluation.budget_weight.shown or Decimal(0)) + sum(weights, Decimal(0))


__all__ = ["EvaluationForm", "FundingLine", "MonitoringForm", "StageRow", "evaluation_form",
           "evaluation_forms", "funding_lines", "monitoring_form", "stage_form", "stage_rows", "weight_total"]
