"""The short blocks above a project's indicator table, and a department's summaries of its stages.

A project page shows its self-evaluation (money per funding row, 执行率, the scores by 一级, 总分 and
grade, each computed figure beside a differing stated one) and its monitoring round (执行率 against
the time elapsed, the indicators' statuses and why those behind are behind). A department page
ranks its evaluated projects by score, adds up their budgets, execution and points by 一级, shows
its department-wide self-evaluation, and each monitored project's execution and statuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from builder.content.attainment import MET, MISSED, UNKNOWN
from builder.content.model import Department, Project
from builder.content.scoring import ZERO, cents
from builder.content.stage_model import AT_RISK, OFF_TRACK, Evaluation, Figure, MonitoredIndicator, Monitoring
from builder.render.stage_rows import (
    MONITORING_STATUSES,
    Shown,
    StageTable,
    department_table,
    examples_of,
    percent,
    points,
    shown,
    stage_table,
)

RESULTS = (MET, MISSED, UNKNOWN, "n/a")


@dataclass(frozen=True)
class ScoreLine:
    label: str | None  # the 一级; None for budget execution (预算执行)
    weight: Shown  # its points; the form's label may state others (产出指标（50分）)
    score: str


@dataclass(frozen=True)
class EvaluationSummary:
    evaluation: Evaluation
    rate: Shown  # 执行率
    lines: tuple[ScoreLine, ...]  # budget execution, then each 一级
    total: Shown
    total_weight: str
    grade_stated: str | None  # the form's grade, only where it is not the one the total earns
    results: tuple[tuple[str, int], ...]  # met, missed, ...: how many indicators, those there are
    rescaled: bool  # not-applicable rows' points were shared out among the others

    def count(self, result: str) -> int:
        return dict(self.results).get(result, 0)


def summarize_evaluation(evaluation: Evaluation) -> EvaluationSummary:
    """Each 一级's points are those its rows are scored out of, after not-applicable rows' points
    were shared out; the form's label (产出指标（50分）) is shown beside them where it does not
    add up to its rows' stated points."""
    budget_weight = evaluation.budget_weight.shown or ZERO
    used = weights_used(evaluation)
    lines = [ScoreLine(None, shown(evaluation.budget_weight), points(evaluation.budget_score.shown or ZERO))]
    lines += [ScoreLine(total.name, Shown(points(used.get(total.name, ZERO)),
                                          shown(Figure(total.weight, total.stated_weight, "")).stated),
                        points(total.score))
              for total in evaluation.level1]
    weight = budget_weight + sum(used.values(), ZERO)
    results = [(result, sum(1 for i in evaluation.indicators if i.status == result)) for result in RESULTS]
    stated = evaluation.grade_stated
    return EvaluationSummary(evaluation, shown(evaluation.rate, percent), tuple(lines), shown(evaluation.total),
                             points(weight), stated if stated and stated != evaluation.grade else None,
                             tuple((result, count) for result, count in results if count),
                             any(i.weight != i.weight_used for i in evaluation.indicators))


def weights_used(evaluation: Evaluation) -> dict[str, Decimal]:
    """The points each 一级's rows are scored out of, by 一级."""
    used: dict[str, Decimal] = {}
    for indicator in evaluation.indicators:
        used[indicator.level1] = used.get(indicator.level1, ZERO) + indicator.weight_used
    return used


@dataclass(frozen=True)
class MonitoringSummary:
    monitoring: Monitoring
    rate: Shown  # 执行率 to the cut-off
    elapsed: str  # the share of the year gone by
    behind: str | None  # percentage points the rate is behind the time elapsed, when it is
    statuses: tuple[tuple[str, int], ...]  # every status with its count, zeros too
    concerns: tuple[MonitoredIndicator, ...]  # the indicators not on track


def summarize_monitoring(monitoring: Monitoring) -> MonitoringSummary:
    rate = monitoring.rate.shown
    gap = monitoring.elapsed - rate if rate is not None else None
    statuses = tuple((s, sum(1 for i in monitoring.indicators if i.status == s)) for s in MONITORING_STATUSES)
    return MonitoringSummary(monitoring, shown(monitoring.rate, percent), percent(monitoring.elapsed),
                             points(gap) if gap is not None and gap > 0 else None, statuses,
                             tuple(i for i in monitoring.indicators if i.status in (AT_RISK, OFF_TRACK)))


@dataclass(frozen=True)
class ProjectStages:
    """What a project page shows of its later stages."""

    table: StageTable
    evaluation: EvaluationSummary | None
    monitoring: MonitoringSummary | None


def project_stages(project: Project) -> ProjectStages | None:
    table = stage_table(project)
    if table is None:
        return None
    return ProjectStages(table, summarize_evaluation(project.evaluation) if project.evaluation else None,
                         summarize_monitoring(project.monitoring) if project.monitoring else None)


@dataclass(frozen=True)
class RankedProject:
    rank: int  # 1 for the highest 总分; equal totals share a rank
    project: Project
    summary: EvaluationSummary


@dataclass(frozen=True)
class Level1Share:
    label: str | None  # None for budget execution
    weight: str  # the points of every evaluated project together
    score: str
    share: str  # score / weight


@dataclass(frozen=True)
class DepartmentStages:
    """What a department page shows of its projects' later stages and its own self-evaluation."""

    ranked: tuple[RankedProject, ...]  # the evaluated projects, highest 总分 first
    evaluated_budget: Decimal | None  # 全年预算数 of the evaluated projects, in the department's unit
    evaluated_executed: Decimal | None
    evaluated_rate: str | None
    shares: tuple[Level1Share, ...]
    grades: tuple[tuple[str, int], ...]  # each grade the projects earned, with how many
    department: EvaluationSummary | None
    department_table: StageTable | None
    monitored: tuple[tuple[Project, MonitoringSummary], ...]
    evaluation_examples: tuple[str, ...]  # what the stages say of example figures, each once
    monitoring_examples: tuple[str, ...]


def department_stages(department: Department) -> DepartmentStages | None:
    evaluated = [p for p in department.projects if p.evaluation is not None]
    monitored = [p for p in department.projects if p.monitoring is not None]
    own = department.evaluation
    if not evaluated and not monitored and own is None:
        return None
    summaries = {p.code: summarize_evaluation(p.evaluation) for p in evaluated if p.evaluation is not None}
    order = sorted(evaluated, key=lambda p: (-summaries[p.code].evaluation.scored_total, p.number))
    ranked: list[RankedProject] = []
    for place, project in enumerate(order, start=1):
        total = summaries[project.code].evaluation.scored_total
        tied = ranked and ranked[-1].summary.evaluation.scored_total == total
        ranked.append(RankedProject(ranked[-1].rank if tied else place, project, summaries[project.code]))
    budget, executed = _money(department, [s.evaluation for s in summaries.values()])
    grades: dict[str, int] = {}
    for entry in ranked:
        grades[entry.summary.evaluation.grade] = grades.get(entry.summary.evaluation.grade, 0) + 1
    return DepartmentStages(
        ranked=tuple(ranked), evaluated_budget=budget, evaluated_executed=executed,
        evaluated_rate=percent(cents(executed / budget * 100)) if budget and executed is not None else None,
        shares=_shares([s.evaluation for s in summaries.values()]),
        grades=tuple(sorted(grades.items(), key=lambda g: _grade_order(evaluated[0].evaluation, g[0])))
        if evaluated else (),
        department=summarize_evaluation(own) if own is not None else None,
        department_table=department_table(own) if own is not None else None,
        monitored=tuple((p, summarize_monitoring(p.monitoring)) for p in monitored if p.monitoring is not None),
        evaluation_examples=examples_of(*(p.evaluation for p in evaluated), own),
        monitoring_examples=examples_of(*(p.monitoring for p in monitored)))


def _money(department: Department, evaluations: list[Evaluation]) -> tuple[Decimal | None, Decimal | None]:
    """The evaluated projects' 全年预算数 (年初 where it is blank) and 执行数 together; None where a
    project states another money unit than the department's or leaves the cell blank."""
    budget, executed = ZERO, ZERO
    for evaluation in evaluations:
        total = evaluation.funding[0]
        basis = total.initial if total.adjusted.is_blank else total.adjusted
        if evaluation.money_unit != department.money_unit or basis.value is None or total.executed.value is None:
            return None, None
        budget += basis.value
        executed += total.executed.value
    return (budget, executed) if evaluations else (None, None)


def _shares(evaluations: list[Evaluation]) -> tuple[Level1Share, ...]:
    weights: dict[str | None, Decimal] = {None: ZERO}
    scores: dict[str | None, Decimal] = {None: ZERO}
    for evaluation in evaluations:
        weights[None] += evaluation.budget_weight.shown or ZERO
        scores[None] += evaluation.budget_score.shown or ZERO
        for name, used in weights_used(evaluation).items():
            weights[name] = weights.get(name, ZERO) + used
        for total in evaluation.level1:
            scores[total.name] = scores.get(total.name, ZERO) + total.score
    if not evaluations:
        return ()
    return tuple(Level1Share(label, points(weights[label]), points(scores.get(label, ZERO)),
                             percent(cents(scores.get(label, ZERO) / weights[label] * 100)) if weights[label] else "")
                 for label in weights)


def _grade_order(evaluation: Evaluation | None, grade: str) -> int:
    names = [name for name, _ in evaluation.profile.grades] if evaluation is not None else []
    return names.index(grade) if grade in names else len(names)


__all__ = ["DepartmentStages", "EvaluationSummary", "Level1Share", "MonitoringSummary", "ProjectStages",
           "RankedProject", "ScoreLine", "department_stages", "project_stages", "summarize_evaluation",
           "summarize_monitoring", "weights_used"]
