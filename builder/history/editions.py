"""Editions: the same department in other budget years, and each indicator across them.

A department is the same across years when its code is; a project when its
code is (or, failing that, its name); an indicator when diff.py's identity
matches (category and name, tolerant of a move or a small rewording).
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.content.model import Department, Indicator, Project, Site
from builder.history.diff import match_indicators


@dataclass(frozen=True)
class Continuity:
    """One indicator of a project, and its target in each year the project has."""

    name: str
    targets: tuple  # (year, target text or None), in year order


def editions(site: Site, department: Department) -> tuple[Department, ...]:
    """Every year of this department, this one included, oldest first."""
    return _by_code(site).get(department.code, ())


_INDEX: dict[int, tuple[Site, dict]] = {}


def _by_code(site: Site) -> dict[str, tuple[Department, ...]]:
    """Departments by code, made once per site: every page asks, and a scan per page is quadratic."""
    known = _INDEX.get(id(site))
    if known is None or known[0] is not site:
        index: dict[str, list[Department]] = {}
        for d in site.departments:
            index.setdefault(d.code, []).append(d)
        _INDEX.clear()  # one site at a time: the last build's model is let go
        _INDEX[id(site)] = known = (site, {c: tuple(sorted(ds, key=lambda d: d.year)) for c, ds in index.items()})
    return known[1]


def counterpart(project: Project, department: Department) -> Project | None:
    by_code = {p.code: p for p in department.projects}
    if project.code in by_code:
        return by_code[project.code]
    by_name = {p.name: p for p in department.projects}
    return by_name.get(project.name)


def continuity(site: Site, department: Department, project: Project) -> tuple[tuple[int, ...], tuple[Continuity, ...]]:
    """The years this project appears in, and its indicators' targets in each; empty if it has one year."""
    years: list[tuple[int, Project]] = []
    for edition in editions(site, department):
        other = project if edition is department else counterpart(project, edition)
        if other is not None:
            years.append((edition.year, other))
    if len(years) < 2:
        return (), ()
    rows = []
    for indicator in project.indicators:
        targets: list[tuple[int, str | None]] = []
        for year, other in years:
            if other is project:
                targets.append((year, indicator.target.raw))
            else:
                targets.append((year, _twin_target(indicator, other)))
        if any(t is not None for (y, t) in targets if y != department.year):
            rows.append(Continuity(indicator.name, tuple(targets)))
    return tuple(y for y, _ in years), tuple(rows)


def _twin_target(indicator: Indicator, other: Project) -> str | None:
    for before, after, _ in match_indicators(other.indicators, (indicator,)):
        if after is indicator and before is not None:
            return before.target.raw
    return None
