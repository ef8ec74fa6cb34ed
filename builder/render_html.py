"""Render: the model -> HTML pages through the theme. No disk writes here.

Each page gets the whole (frozen) site plus its own objects, and `url(path)`
which turns an output path into a link relative to the page being rendered.
The template context is documented in docs/themes.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import __version__
from .model import Indicator, Project, Site
from .routes import INDEX, department_path, project_path, relative_url, static_path
from .themes import Theme, make_environment


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


def render_pages(site: Site, theme: Theme) -> dict[str, bytes]:
    """Every page of the site, by output path."""
    env = make_environment(theme)
    pages: dict[str, bytes] = {}

    def render(path: str, template: str, **context) -> None:
        names = context.pop("templates", [template])
        html = env.select_template(names).render(
            site=site, page_path=path, url=lambda target: relative_url(path, target),
            stylesheet=relative_url(path, static_path("style.css")), generator=f"gongkai {__version__}",
            department_path=department_path, project_path=project_path, index_path=INDEX, **context)
        pages[path] = html.encode("utf-8")

    render(INDEX, "index.html")
    for department in site.departments:
        render(department_path(department), "department.html", department=department,
               templates=[f"department-{department.code}.html", "department.html"])
        for project in department.projects:
            render(project_path(department, project), "project.html", department=department, project=project,
                   rows=indicator_table(project),
                   templates=[f"project-{project.code}.html", "project.html"])
    for name, source in theme.static_files().items():
        pages[static_path(name)] = source.read_bytes()
    return pages
