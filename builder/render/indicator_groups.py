"""The all-indicators page's groups: every indicator of the site under its 一级 › 二级 category,
with the department and project it belongs to (and, where a later stage reported on it, its status)."""

from __future__ import annotations

from dataclasses import dataclass

from builder.content.model import Department, Indicator, Project, Site
from builder.content.stage_model import EvaluatedIndicator, MonitoredIndicator


@dataclass(frozen=True)
class IndicatorEntry:
    department: Department
    project: Project
    indicator: Indicator
    monitored: MonitoredIndicator | None = None  # what the project's monitoring round says of it
    evaluated: EvaluatedIndicator | None = None  # and its self-evaluation

    @property
    def statuses(self) -> str:
        """Its statuses as the filter reads them, space-separated: met or missed, on-track, ..."""
        return " ".join(s.status for s in (self.evaluated, self.monitored) if s is not None)


@dataclass(frozen=True)
class IndicatorGroup:
    """All indicators of one 一级/二级 category, across the site."""

    level1: str  # canonical names, as the framework has them
    level2: str
    anchor: str
    entries: tuple[IndicatorEntry, ...]


def categories_of(department: Department) -> dict[tuple[str, str], list[IndicatorEntry]]:
    """The department's indicators by (一级, 二级) as the framework names them, in its order."""
    grouped: dict[tuple[str, str], list[IndicatorEntry]] = {}
    for project in department.projects:
        monitored = {m.approved: m for m in project.monitoring.indicators} if project.monitoring else {}
        evaluated = {e.approved: e for e in project.evaluation.indicators} if project.evaluation else {}
        for index, indicator in enumerate(project.indicators):
            key = (indicator.level1.canonical, indicator.level2.canonical)
            grouped.setdefault(key, []).append(IndicatorEntry(department, project, indicator, monitored.get(index),
                                                              evaluated.get(index)))
    return grouped


def has_stages(site: Site) -> bool:
    """Whether any project of the site has a monitoring round or a self-evaluation: the
    all-indicators page then shows each indicator's status."""
    return any(p.monitoring is not None or p.evaluation is not None for p in site.projects)


def indicator_groups(site: Site) -> list[IndicatorGroup]:
    """Every indicator of the site, grouped by category in the frameworks' order."""
    order: dict[tuple[str, str], int] = {}
    for department in site.departments:
        for category in department.framework.categories:
            for child in category.children:
                order.setdefault((category.name, child.name), len(order))
    grouped: dict[tuple[str, str], list[IndicatorEntry]] = {}
    for department in site.departments:
        for key, entries in categories_of(department).items():
            grouped.setdefault(key, []).extend(entries)
    keys = sorted(grouped, key=lambda k: order.get(k, len(order)))
    return [IndicatorGroup(k[0], k[1], f"c{n + 1}", tuple(grouped[k])) for n, k in enumerate(keys)]
