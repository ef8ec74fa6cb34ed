"""A project page's indicator table with the year's later stages beside its targets.

Each approved target row is shown with what the monitoring round (1–N月完成值, 全年预计, its status)
and the self-evaluation (实际完成值, 得分/分值, 偏差原因) say about it. A stage row points at its approved
row by index (content/stage_model.py); a row a stage added is shown among its category's rows, and
an approved row a stage leaves out is shown as not reported, never dropped. Figures are made text
here (`Shown`), so that a template prints a computed score and a differing stated one side by side
and never silently one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from builder.content.frameworks import normalize_label
from builder.content.model import Indicator, Project
from builder.content.stage_model import (
    AT_RISK,
    OFF_TRACK,
    ON_TRACK,
    EvaluatedIndicator,
    Evaluation,
    Figure,
    MonitoredIndicator,
    Monitoring,
)
from builder.content.stage_rows import key
from builder.content.targets import Target

CENT = Decimal("0.01")
MONITORING_STATUSES = (ON_TRACK, AT_RISK, OFF_TRACK)


def points(value: Decimal) -> str:
    """A score or a weight as forms write it: at most two decimals, no trailing zeros (7.4, 10)."""
    return format(value.quantize(CENT).normalize(), "f")


def percent(value: Decimal) -> str:
    return points(value) + "%"


@dataclass(frozen=True)
class Shown:
    """A figure as a page shows it. `value`: the computed one (the stated one where nothing could be
    computed; None when there is neither); `stated`: the form's own, only where it differs."""

    value: str | None
    stated: str | None = None


def shown(figure: Figure, text: Callable[[Decimal], str] = points) -> Shown:
    value = figure.shown
    return Shown(None if value is None else text(value),
                 text(figure.stated) if figure.disagrees and figure.stated is not None else None)


def merged_spans(continues: Sequence[bool]) -> list[int]:
    """Rowspans of merged cells: the first row of a run gets the run's length, the others 0."""
    spans = [0] * len(continues)
    start = 0
    for i, cont in enumerate(continues):
        if not cont or i == 0:
            start = i
        spans[start] += 1
    return spans


@dataclass(frozen=True)
class StageRow:
    level1: str  # as the targets write it; for an added row, as the stage's form does
    level2: str
    level1_rowspan: int  # 0: merged into the cell above
    level2_rowspan: int
    name: str  # in force (adjusted, else approved)
    former_name: str | None  # the approved name, when an adjustment renamed the indicator
    description: str | None  # only when it says more than the name
    basis: str | None
    target: Target | None  # in force
    initial_target: Target | None  # the approved (年初) target, when it was adjusted
    adjustment: str | None  # why it was adjusted
    added: str | None  # for a row the approved targets do not have: why a stage added it
    monitored: MonitoredIndicator | None
    evaluated: EvaluatedIndicator | None
    not_monitored: bool  # an approved row the monitoring round does not report on
    not_evaluated: bool
    score: Shown | None  # None for an indicator no self-evaluation row reports on
    weight: str | None  # the points it is scored out of (after not-applicable rows were shared out)
    weight_stated: str | None  # the form's points, where sharing out changed them
    approved: Indicator | None = None  # the approved row, for the columns of its form (上年实际值, 权重 …)


@dataclass(frozen=True)
class StageTable:
    monitoring: Monitoring | None
    evaluation: Evaluation | None
    rows: tuple[StageRow, ...]
    examples: tuple[str, ...]  # what the stages say of example figures, each once

    @property
    def rescaled(self) -> bool:
        """Whether not-applicable rows' points were shared out among the others."""
        return any(r.weight_stated is not None for r in self.rows)

    @property
    def levels(self) -> bool:
        """Whether the rows have 一级/二级 categories (a department-wide form may have none)."""
        return any(r.level1 or r.level2 for r in self.rows)


def examples_of(*stages: Monitoring | Evaluation | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.example for s in stages if s is not None and s.example))


def stage_table(project: Project) -> StageTable | None:
    """The project's targets with its monitoring and self-evaluation rows; None without either."""
    monitoring, evaluation = project.monitoring, project.evaluation
    if monitoring is None and evaluation is None:
        return None
    monitored = {m.approved: m for m in monitoring.indicators if m.approved is not None} if monitoring else {}
    evaluated = {e.approved: e for e in evaluation.indicators if e.approved is not None} if evaluation else {}
    lines: list[_Line] = []
    for index, indicator in enumerate(project.indicators):
        lines.append(_Line((indicator.level1.canonical, indicator.level2.canonical), indicator.level1.raw,
                           indicator.level2.raw, index, monitored.get(index), evaluated.get(index),
                           indicator.level1_continues, indicator.level2_continues))
    for line in _added(monitoring, evaluation):
        _insert(lines, line)
    spans1 = merged_spans([line.continues1 for line in lines])
    spans2 = merged_spans([line.continues1 and line.continues2 for line in lines])
    rows = tuple(_row(project, line, s1, s2, monitoring is not None, evaluation is not None)
                 for line, s1, s2 in zip(lines, spans1, spans2, strict=True))
    return StageTable(monitoring, evaluation, rows, examples_of(monitoring, evaluation))


def department_table(evaluation: Evaluation) -> StageTable:
    """A department-wide self-evaluation's indicators, which no approved rows precede: its own
    categories (departments' forms may have none), cells merged where a category repeats."""
    indicators = evaluation.indicators
    continues1 = [i > 0 and e.level1 == indicators[i - 1].level1 for i, e in enumerate(indicators)]
    continues2 = [c and e.level2 == indicators[i - 1].level2
                  for i, (e, c) in enumerate(zip(indicators, continues1, strict=True))]
    spans1 = merged_spans(continues1)
    spans2 = merged_spans([a and b for a, b in zip(continues1, continues2, strict=True)])
    rows = tuple(_department_row(e, s1, s2) for e, s1, s2 in zip(indicators, spans1, spans2, strict=True))
    return StageTable(None, evaluation, rows, examples_of(evaluation))


def _department_row(e: EvaluatedIndicator, span1: int, span2: int) -> StageRow:
    score, weight, weight_stated = _scored(e)
    return StageRow(
        level1=e.level1, level2=e.level2, level1_rowspan=span1, level2_rowspan=span2, name=e.name, former_name=None,
        description=None, basis=None, target=e.target, initial_target=e.initial_target,
        adjustment=e.adjustment.reason if e.adjustment is not None else None, added=None, monitored=None,
        evaluated=e, not_monitored=False, not_evaluated=False, score=score, weight=weight,
        weight_stated=weight_stated)


@dataclass
class _Line:
    category: tuple[str, str]
    level1: str
    level2: str
    approved: int | None
    monitored: MonitoredIndicator | None
    evaluated: EvaluatedIndicator | None
    continues1: bool = False
    continues2: bool = False


def _added(monitoring: Monitoring | None, evaluation: Evaluation | None) -> list[_Line]:
    """Rows the stages added, one line per indicator: an added row of both stages with the same
    name is one indicator, reported on twice."""
    lines: list[_Line] = []
    by_name: dict[str, _Line] = {}
    for m in monitoring.indicators if monitoring else ():
        if m.approved is None:
            line = _Line((normalize_label(m.level1), normalize_label(m.level2)), m.level1, m.level2, None, m, None)
            lines.append(line)
            by_name.setdefault(key(m.name), line)
    for e in evaluation.indicators if evaluation else ():
        if e.approved is None:
            twin = by_name.get(key(e.name))
            if twin is not None and twin.evaluated is None:
                twin.evaluated = e
            else:
                lines.append(_Line((normalize_label(e.level1), normalize_label(e.level2)), e.level1, e.level2,
                                   None, None, e))
    return lines


def _insert(lines: list[_Line], line: _Line) -> None:
    """After the last row of its category (so its 一级/二级 cells merge with theirs), else at the end."""
    at = next((i + 1 for i in range(len(lines) - 1, -1, -1) if lines[i].category == line.category), len(lines))
    before = lines[at - 1] if at > 0 else None
    line.continues1 = before is not None and before.category[0] == line.category[0]
    line.continues2 = line.continues1 and before is not None and before.category[1] == line.category[1]
    lines.insert(at, line)
    if at + 1 < len(lines):
        after = lines[at + 1]
        after.continues1 = after.continues1 and after.category[0] == line.category[0]
        after.continues2 = after.continues2 and after.category == line.category


def _row(project: Project, line: _Line, span1: int, span2: int, has_monitoring: bool,
         has_evaluation: bool) -> StageRow:
    approved = project.indicators[line.approved] if line.approved is not None else None
    evaluated, monitored = line.evaluated, line.monitored
    # The name and target in force come from the stage that records an adjustment, the later
    # stage first; else from either stage, which then repeat the approved row.
    adjusted = [s for s in (evaluated, monitored) if s is not None and s.adjustment is not None]
    stage = adjusted[0] if adjusted else evaluated or monitored
    name = stage.name if stage is not None else approved.name if approved is not None else ""
    description = approved.description if approved is not None else None
    score, weight, weight_stated = _scored(evaluated)
    return StageRow(
        level1=line.level1, level2=line.level2, level1_rowspan=span1, level2_rowspan=span2, name=name,
        former_name=approved.name if approved is not None and approved.name != name else None,
        description=description if description and key(description) != key(name) else None,
        basis=approved.basis if approved is not None else None,
        target=stage.target if stage is not None else approved.target if approved is not None else None,
        initial_target=stage.initial_target if stage is not None else None,
        adjustment=stage.adjustment.reason if stage is not None and stage.adjustment is not None else None,
        added=(stage.added or "") if stage is not None and approved is None else None,
        monitored=monitored, evaluated=evaluated,
        not_monitored=has_monitoring and monitored is None,
        not_evaluated=has_evaluation and evaluated is None,
        score=score, weight=weight, weight_stated=weight_stated, approved=approved)


def _scored(evaluated: EvaluatedIndicator | None) -> tuple[Shown | None, str | None, str | None]:
    """A row's score, the points it is out of, and the form's points where sharing out changed them."""
    if evaluated is None:
        return None, None, None
    return (shown(evaluated.score), points(evaluated.weight_used),
            points(evaluated.weight) if evaluated.weight != evaluated.weight_used else None)


__all__ = ["MONITORING_STATUSES", "Shown", "StageRow", "StageTable", "department_table", "examples_of", "merged_spans", "percent",
           "points", "shown", "stage_table"]
