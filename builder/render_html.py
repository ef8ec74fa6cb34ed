"""Render: the model -> HTML pages through the theme. No disk writes here.

Each page gets the whole (frozen) site plus its own objects, and `url(path)`
which turns an output path into a link relative to the page being rendered.
The template context is documented in docs/themes.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from . import __version__
from .editions import continuity, editions
from .frameworks import Framework
from .history import History
from .model import Department, Indicator, Project, Site
from .narrative import summarize_department
from .routes import relative_url, routes
from .targets import UNIT_KINDS
from .themes import Theme, make_environment, translator


@dataclass(frozen=True)
class TableRow:
    """An indicator with the rowspans of its 一级/二级 cells; 0 means "merged into the cell above"."""

    indicator: Indicator
    level1_rowspan: int
    level2_rowspan: int


def indicator_table(project: Project) -> list[TableRow]:
    """Rows of the official form, merging the cells the source merged."""
    rows = project.indicators
    spans1 = _spans([r.level1_continues for r in rows])
    spans2 = _spans([r.level2_continues and r.level1_continues for r in rows])
    return [TableRow(r, s1, s2) for r, s1, s2 in zip(rows, spans1, spans2, strict=True)]


def _spans(continues: list[bool]) -> list[int]:
    spans = [0] * len(continues)
    start = 0
    for i, cont in enumerate(continues):
        if not cont or i == 0:
            start = i
        spans[start] += 1
    return spans


@dataclass(frozen=True)
class IndicatorEntry:
    department: Department
    project: Project
    indicator: Indicator


@dataclass(frozen=True)
class IndicatorGroup:
    """All indicators of one 一级/二级 category, across the site."""

    level1: str  # canonical names, as the framework has them
    level2: str
    anchor: str
    entries: tuple[IndicatorEntry, ...]


def indicator_groups(site: Site) -> list[IndicatorGroup]:
    """Every indicator of the site, grouped by category in the frameworks' order."""
    order: dict[tuple[str, str], int] = {}
    for department in site.departments:
        for category in department.framework.categories:
            for child in category.children:
                order.setdefault((category.name, child.name), len(order))
    grouped: dict[tuple[str, str], list[IndicatorEntry]] = {}
    for department in site.departments:
        for project in department.projects:
            for indicator in project.indicators:
                key = (indicator.level1.canonical, indicator.level2.canonical)
                grouped.setdefault(key, []).append(IndicatorEntry(department, project, indicator))
    keys = sorted(grouped, key=lambda k: order.get(k, len(order)))
    return [IndicatorGroup(k[0], k[1], f"c{n + 1}", tuple(grouped[k])) for n, k in enumerate(keys)]


def render_pages(site: Site, theme: Theme, downloads: dict | None = None,
                 history: History | None = None) -> dict[str, bytes]:
    """Every page of the site, by output path.

    `downloads`: the PDFs and data files (export.Download), by output path; `history`: the content's
    git history, if any.
    """
    downloads = downloads or {}
    env = make_environment(theme)
    language = site.languages[0]
    t = translator(theme.catalog(language))
    pages: dict[str, bytes] = {}

    def render(path: str, templates: list[str], from_base: bool = False, **context) -> None:
        def url(target: str) -> str:
            return site.base_path + target if from_base else relative_url(path, target)

        html = env.select_template(templates).render(
            site=site, page_path=path, url=url, routes=routes, downloads=downloads,
            t=t, lang=language, generator=f"gongkai {__version__}", **context)
        pages[path] = html.encode("utf-8")

    render(routes.index, ["index.html"])
    for department in site.departments:
        files = [department.source, *(p.source for p in department.projects)]
        render(routes.department(department), [f"department-{department.code}.html", "department.html"],
               department=department, summaries=summarize_department(department),
               editions=editions(site, department),
               revisions=history.of(*files, labels={p.source: p.name for p in department.projects})
               if history else ())
        for project in department.projects:
            years, across = continuity(site, department, project)
            render(routes.project(department, project), [f"project-{project.code}.html", "project.html"],
                   department=department, project=project, rows=indicator_table(project),
                   editions=editions(site, department), continuity_years=years, continuity=across,
                   revisions=history.of(project.source) if history else ())
    render(routes.indicators, ["indicators.html"], groups=indicator_groups(site))
    render(routes.about, ["about.html"], frameworks=frameworks_in_use(site), units=units_by_kind())
    render(routes.data, ["data.html"])
    render(routes.search, ["search.html"])
    render(routes.not_found, ["404.html"], from_base=True)
    pages[routes.sitemap] = sitemap(site, [p for p in pages if p != routes.not_found])
    for name, source in theme.static_files().items():
        pages[routes.static(name)] = source.read_bytes()
    return pages


def frameworks_in_use(site: Site) -> list[Framework]:
    return list({d.framework.id: d.framework for d in site.departments}.values())


def units_by_kind() -> list[tuple[str, list[str]]]:
    """The units the target parser knows, for the method page."""
    kinds: dict[str, list[str]] = {}
    for unit, kind in UNIT_KINDS.items():
        kinds.setdefault(kind, []).append(unit)
    return sorted(kinds.items())


def sitemap(site: Site, paths: list[str]) -> bytes:
    """sitemap.xml (sitemaps.org 0.9). Full addresses need `url` in site.yaml; without it, paths from base_path."""
    root = (site.url.rstrip("/") + site.base_path) if site.url else site.base_path
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(paths):
        lines.append(f"  <url><loc>{xml_escape(root + quote(path))}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
