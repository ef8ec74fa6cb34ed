"""Render: the model -> HTML pages through the theme. No disk writes here, but for the rows of
the all-indicators page, which are kept in the build cache (indicator_rows.py).

Each page gets the whole (frozen) site plus its own objects, and `url(path)`
which turns an output path into a link relative to the page being rendered.
The template context is documented in docs/themes.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

import jinja2

from builder import __version__
from builder.base.messages import msg
from builder.content.model import Department, Indicator, Project, Site
from builder.history.editions import continuity, editions
from builder.history.revisions import History
from builder.render.department_figures import department_figures
from builder.render.downloads import department_documents, downloads_by_year, project_documents, site_documents
from builder.render.indicator_groups import categories_of, has_stages, indicator_groups
from builder.render.indicator_rows import IndicatorRows
from builder.render.languages import alternates, folder_of, localized, marked
from builder.render.markdown import render_markdown
from builder.render.narrative import source_narrative, summarize_department
from builder.render.routes import relative_url, routes
from builder.render.stage_rows import examples_of, merged_spans
from builder.render.stage_summary import department_stages, project_stages
from builder.render.template_problems import rendering
from builder.render.themes import Theme, ThemeError, make_environment, translator


@dataclass(frozen=True)
class TableRow:
    """An indicator with the rowspans of its 一级/二级 cells; 0 means "merged into the cell above"."""

    indicator: Indicator
    level1_rowspan: int
    level2_rowspan: int


# The columns an indicator table has only where its form has them (an attribute of Indicator each).
OPTIONAL_COLUMNS = ("description", "nature", "unit", "previous", "weight", "direction", "formula", "basis", "note")


class IndicatorTable(tuple[TableRow, ...]):
    """An indicator table's rows, which know the optional columns the table has."""

    __slots__ = ()

    def has(self, column: str) -> bool:
        """Whether some row has a value in `column` (one of OPTIONAL_COLUMNS): the table shows the
        column then, and only then."""
        if column not in OPTIONAL_COLUMNS:
            raise ThemeError(msg("pages.not_a_column", column=repr(column), columns=", ".join(OPTIONAL_COLUMNS)))
        return any(getattr(row.indicator, column) is not None for row in self)

    def shown(self, columns: list[str], keep: tuple[str, ...] = ()) -> list[str]:
        """`columns` in their order, less the optional ones no row has (but those in `keep`, which a
        layout prints whether or not they hold anything)."""
        return [c for c in columns if c not in OPTIONAL_COLUMNS or c in keep or self.has(c)]


def indicator_rows(indicators: tuple[Indicator, ...]) -> IndicatorTable:
    """Rows of an official form's indicator table, merging the cells the source merged."""
    spans1 = merged_spans([r.level1_continues for r in indicators])
    spans2 = merged_spans([r.level2_continues and r.level1_continues for r in indicators])
    return IndicatorTable(TableRow(r, s1, s2) for r, s1, s2 in zip(indicators, spans1, spans2, strict=True))


def indicator_table(project: Project) -> IndicatorTable:
    """The project's indicator table."""
    return indicator_rows(project.indicators)


@dataclass(frozen=True)
class PageJob:
    """One page to render: its path, its kind, (by index) its department and project or the
    publisher's page, and its language ("": the site's first)."""

    path: str
    kind: str  # project, department, index, indicators, about, data, verify, search, page, 404
    department: int = -1  # index in site.departments
    project: int = -1  # index in the department's projects
    page: int = -1  # index in site.pages
    language: str = ""


def page_jobs(site: Site) -> list[PageJob]:
    """Every page of the site, and its copy in each other language (languages.py); the sitemap and
    static files are made by `extra_files`."""
    jobs = [PageJob(routes.index, "index")]
    for d, department in enumerate(site.departments):
        jobs.append(PageJob(routes.department(department), "department", d))
        for p, project in enumerate(department.projects):
            jobs.append(PageJob(routes.project(department, project), "project", d, p))
    jobs += [PageJob(routes.indicators, "indicators"), PageJob(routes.about, "about"), PageJob(routes.data, "data"),
             PageJob(routes.verify, "verify"), PageJob(routes.search, "search")]
    jobs += [PageJob(routes.page(page.name), "page", page=n) for n, page in enumerate(site.pages)]
    jobs += [replace(job, path=localized(job.path, language, site.languages), language=language)
             for language in site.languages[1:] for job in list(jobs)]
    return jobs + [PageJob(routes.not_found, "404")]


class PageRenderer:
    """Renders page jobs through the theme; made once per worker and reused for every page it renders.

    `downloads`: the PDFs and data files (export.Download), by output path; `history`: the content's
    git history, if any.
    """

    def __init__(self, site: Site, theme: Theme, downloads: dict | None = None, history: History | None = None,
                 date: datetime | None = None):
        """`date`: the build's, the pages' 发布日期 (None: the footer leaves it out)."""
        self.site, self.theme, self.downloads, self.history, self.date = site, theme, downloads or {}, history, date
        self.language = site.languages[0]  # the site's, and its content's
        self.env: jinja2.Environment | None = None  # made on first use, in the worker that renders
        self.translators: dict[str, Callable[..., str]] = {}  # by language, made on first use
        self.indicator_rows: IndicatorRows | None = None  # where the build keeps them; None: made each time

    def __getstate__(self) -> dict[str, Any]:  # sent to Dask workers without the Jinja environment
        return {**self.__dict__, "env": None, "translators": {}}

    def translator(self, language: str) -> Callable[..., str]:
        if language not in self.translators:
            self.translators[language] = translator(self.theme.catalog(language), language)
        return self.translators[language]

    def _language_name(self, language: str) -> str:
        return self.translator(language)("language.name")

    def templates_and_context(self, job: PageJob) -> tuple[list[str], dict]:
        site = self.site
        if job.kind == "page":
            page = site.pages[job.page]
            back = self.translator(job.language or self.language)("page.footnote.back")
            return [f"page-{page.name}.html", "page.html"], dict(page=page, body=render_markdown(page.text, back))
        if job.kind == "project":
            department = site.departments[job.department]
            project = department.projects[job.project]
            years, across = continuity(site, department, project)
            return [f"project-{project.code}.html", "project.html"], dict(
                department=department, project=project, rows=indicator_table(project),
                stages=project_stages(project),
                documents=project_documents(department, project, self.downloads, department_excel=True),
                editions=editions(site, department), continuity_years=years, continuity=across,
                revisions=self.history.of(*project.sources) if self.history else ())
        if job.kind == "department":
            department = site.departments[job.department]
            return [f"department-{department.code}.html", "department.html"], dict(
                department=department, summaries=summarize_department(department),
                narrative=source_narrative(department),
                figures=department_figures(department),
                whole_rows=indicator_rows(department.whole.indicators if department.whole else ()),
                stages=department_stages(department), documents=department_documents(department, self.downloads),
                editions=editions(site, department),
                revisions=self.history.of(*department.sources,
                                          labels={s: p.name for p in department.projects for s in p.sources})
                if self.history else ())
        if job.kind == "indicators":
            return ["indicators.html"], dict(groups=indicator_groups(site), with_status=has_stages(site),
                                             examples=examples_of(*(s for p in site.projects
                                                                    for s in (p.monitoring, p.evaluation))))
        if job.kind == "data":
            return ["data.html"], dict(years=downloads_by_year(site, self.downloads),
                                       site_documents=site_documents(self.downloads))
        if job.kind == "about":
            return ["about.html"], dict(frameworks=list({d.framework.id: d.framework for d in site.departments}.values()))
        return [f"{job.kind}.html"], {}

    def chunks(self, job: PageJob) -> Iterator[str]:
        """The page as pieces of text, for writing a large page without holding all of it; a
        template's failure is a TemplateFailure naming its template line and this page."""
        with rendering(self.theme.chain, job.path):
            yield from self._chunks(job)

    def _chunks(self, job: PageJob) -> Iterator[str]:
        path, language, languages = job.path, job.language or self.language, self.site.languages
        from_base = job.kind == "404"  # shown by servers at any depth: links through base_path

        def url(target: str) -> str:
            target = localized(target, language, languages)
            return self.site.base_path + target if from_base else relative_url(path, target)

        if self.env is None:
            self.env = make_environment(self.theme)
        t = self.translator(language)
        templates, context = self.templates_and_context(job)
        template = self.env.select_template(templates)
        page = path[len(folder_of(language, languages)):]  # the page as the site's first language has it
        notice = self.site.notice if job.kind == "index" else None
        names = dict(url=url, routes=routes, t=t, lang=language, content_lang=self.language, published=self.date,
                     page_path=page, notice=render_markdown(notice.text, t("page.footnote.back")) if notice else None,
                     alternates=[] if from_base else alternates(path, page, languages, self._language_name))
        if job.kind == "indicators":
            chunks = self._all_indicators(template, path, names, context)
        else:
            chunks = template.generate(site=self.site, downloads=self.downloads,
                                       generator=f"gongkai {__version__}", **names, **context)
        if language == self.language:
            return chunks
        return marked(chunks, self.language)

    def _all_indicators(self, template: jinja2.Template, path: str, names: dict, context: dict) -> Iterator[str]:
        # A department's rows get only what their cache key covers (indicator_rows.py), and only the first
        # language's are kept: another's are made each time.
        partial = template.environment.get_template("partials/indicator-rows.html")

        def render(department: Department) -> dict:
            return {key: partial.render(entries=entries, with_status=context["with_status"], **names)
                    for key, entries in categories_of(department).items()}

        kept = self.indicator_rows if names["lang"] == self.language else None
        with (kept or IndicatorRows([])).spooled(self.site.departments, render) as rows:
            yield from template.generate(site=self.site, downloads=self.downloads,
                                         generator=f"gongkai {__version__}", indicator_rows=rows, **names,
                                         **context)

    def render(self, job: PageJob) -> bytes:
        return "".join(self.chunks(job)).encode("utf-8")


def extra_files(site: Site, theme: Theme, pages: list[str]) -> dict[str, bytes]:
    """The sitemap (of `pages`) and the theme's static files."""
    files = {routes.sitemap: sitemap(site, [p for p in pages if p != routes.not_found])}
    for name, source in theme.static_files().items():
        files[routes.static(name)] = source.read_bytes()
    return files




def sitemap(site: Site, paths: list[str]) -> bytes:
    """sitemap.xml (sitemaps.org 0.9). Full addresses need `url` in site.yaml; without it, paths from base_path."""
    root = (site.url.rstrip("/") + site.base_path) if site.url else site.base_path
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(paths):
        lines.append(f"  <url><loc>{xml_escape(root + quote(path))}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
