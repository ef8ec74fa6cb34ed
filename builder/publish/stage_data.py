"""Open data of the later stages: the 监控 and 自评 cells of the projects and indicators tables.

A row of the indicators table is an approved target row; its stage cells come from the
monitoring round's and the self-evaluation's rows that report on it (matched by identity,
content/stage_rows.py). A row a stage adds (`added`) follows the approved rows with its reason in
新增原因, so nothing published is left out of the data. Every figure is the model's Decimal: a
score as computed beside the score as stated, never one for the other (tables.py names them).
"""

from __future__ import annotations

from builder.content.attainment import ATTAINMENT_WORDS
from builder.content.model import Project
from builder.content.stage_model import STATUS_WORDS, EvaluatedIndicator, MonitoredIndicator
from builder.content.stage_rows import key
from builder.content.targets import Target


def project_cells(project: Project) -> dict[str, object]:
    """The projects table's stage cells of one project (absent keys are empty cells)."""
    cells: dict[str, object] = {}
    m = project.monitoring
    if m is not None:
        cells.update(monitoring_period=m.period, monitoring_budget=m.budget.value, monitoring_executed=m.executed.value,
                     monitoring_rate=m.rate.computed, monitoring_rate_stated=m.rate.stated,
                     monitoring_forecast=m.forecast.value, monitoring_reason=m.reason, monitoring_example=m.example)
    e = project.evaluation
    if e is not None:
        total = e.funding[0] if e.funding else None
        cells.update(
            evaluation_profile=e.profile.id,
            evaluation_initial=total.initial.value if total else None,
            evaluation_adjusted=total.adjusted.value if total else None,
            evaluation_executed=total.executed.value if total else None,
            evaluation_rate=e.rate.computed, evaluation_rate_stated=e.rate.stated,
            evaluation_budget_weight=e.budget_weight.shown,
            evaluation_budget_score=e.budget_score.computed, evaluation_budget_score_stated=e.budget_score.stated,
            evaluation_total=e.total.computed, evaluation_total_stated=e.total.stated,
            evaluation_grade=e.grade, evaluation_grade_stated=e.grade_stated,
            evaluation_goal_actual=e.goal_actual, evaluation_example=e.example)
    return cells


def indicator_cells(project: Project) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The stage cells of each approved indicator row (in their order), and the rows the stages
    added, each with the target columns of its own `target`."""
    approved: list[dict[str, object]] = [{} for _ in project.indicators]
    added: dict[str, dict[str, object]] = {}  # by name, so a row both stages add is one row
    example = "；".join(dict.fromkeys(s.example for s in (project.monitoring, project.evaluation) if s and s.example))
    m, e = project.monitoring, project.evaluation
    for mi in m.indicators if m is not None else ():
        cells = _row(approved, added, mi.approved, mi, example)
        cells.update(monitoring_period=m.period if m else None, monitoring_progress=_raw(mi.progress),
                     monitoring_forecast=_raw(mi.forecast), monitoring_status=STATUS_WORDS[mi.status],
                     monitoring_reason_category=mi.reason_category, monitoring_reason=mi.reason,
                     monitoring_action=mi.action, monitoring_likelihood=mi.likelihood)
    for ei in e.indicators if e is not None else ():
        cells = _row(approved, added, ei.approved, ei, example)
        cells.update(evaluation_actual=_raw(ei.actual), evaluation_status=ATTAINMENT_WORDS.get(ei.status, ei.status),
                     evaluation_band=ei.band_stated, evaluation_weight=ei.weight,
                     evaluation_score=ei.score.computed, evaluation_score_stated=ei.score.stated,
                     evaluation_deviation=ei.deviation, evaluation_improvement=ei.improvement,
                     evaluation_not_applicable=ei.not_applicable)
    return approved, list(added.values())


def _row(approved: list[dict[str, object]], added: dict[str, dict[str, object]], index: int | None,
         row: MonitoredIndicator | EvaluatedIndicator, example: str) -> dict[str, object]:
    """The cells one stage row writes into: its approved row's, or an added row's (made on first sight)."""
    if index is not None:
        cells = approved[index]
    else:
        cells = added.setdefault(key(row.name), {
            "level1": row.level1, "level2": row.level2, "level1_canonical": row.level1,
            "level2_canonical": row.level2, "name": row.name, **target_cells(row.target)})
        cells["added_reason"] = row.added
    cells["stage_example"] = example or None
    if row.adjustment is not None:  # the self-evaluation's, read after the monitoring's, is the last word
        cells.update(adjusted_name=row.adjustment.name,
                     adjusted_target=row.adjustment.target.raw if row.adjustment.target else None,
                     adjustment_reason=row.adjustment.reason)
    return cells


def target_cells(target: Target | None) -> dict[str, object]:
    """A target's columns: as written, and parsed."""
    if target is None:
        return {}
    return {"target": target.raw, "target_kind": target.kind, "comparator": target.comparator, "value": target.value,
            "upper": target.upper, "unit": target.unit}


def _raw(value: object) -> str | None:
    return getattr(value, "raw", None)


__all__ = ["indicator_cells", "project_cells", "target_cells"]
