"""Render PDFs: one annex per project, its self-evaluation and monitoring forms when it has
them, one volume per department (WeasyPrint).

WeasyPrint only logs what goes wrong (a glyph no font has, an image it
cannot fetch) and ships the PDF anyway. Here every warning it logs while
rendering is a build error naming the project, so a PDF with tofu or a hole
in it never reaches output/. Every resource goes through `JailedFetcher` (render/pdf_fetcher.py):
files under the theme and content folders only, no network, no redirects.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from builder.base.bounded import TimeLimit, time_limit
from builder.base.files import NotRegularFile, TooLarge, read_regular
from builder.base.limits import MAX_ANNEX_PAGES, MAX_FILE_BYTES, MAX_PDF_SECONDS
from builder.base.messages import Message, msg, verbatim
from builder.content.model import Department, Project, Site
from builder.render import continued, font_css, fonts, volume_pages
from builder.render.annex_forms import form_template
from builder.render.narrative import source_narrative, summarize_department
from builder.render.pages import IndicatorTable, indicator_rows, indicator_table
from builder.render.pdf_fetcher import jailed_fetcher_class
from builder.render.routes import routes
from builder.render.stage_forms import evaluation_forms, stage_form
from builder.render.template_problems import rendering
from builder.render.themes import Theme, make_environment, translator

# PDF/A-3a: an archival PDF that may carry attachments (the project's YAML) and is tagged.
PDF_VARIANT = "pdf/a-3a"
# A project's PDF, as a message names it.
FORM_WORDS = {"annex": msg("pdfs.annex"), "evaluation": msg("pdfs.evaluation"), "monitoring": msg("pdfs.monitoring")}
ATTACHED = {"annex": "the project's content file (YAML)", "evaluation": "the self-evaluation's content file (YAML)",
            "monitoring": "the monitoring round's content file (YAML)"}


class PDFError(Exception):
    """A PDF could not be made as it must be: what refused it, each a message (WeasyPrint's own
    words as they are)."""

    def __init__(self, job: "PDFJob", problems: list[Message]):
        super().__init__(job, problems)
        self.job = job
        self.problems = problems

    def __str__(self) -> str:
        return f"{self.job.subject}: " + "; ".join(problem.text() for problem in self.problems)


@dataclass(frozen=True)
class PDFJob:
    path: str  # output path
    kind: str  # "annex", "evaluation" or "monitoring" (one project's), or "volume" (a department)
    said: Message  # what it is, for diagnostics
    source: str  # the content file it comes from, content-relative: where its diagnostic points
    department: int  # index in site.departments
    project: int = -1  # index in the department's projects (annexes)

    @property
    def subject(self) -> str:
        return self.said.text()


def pdf_jobs(site: Site) -> list[PDFJob]:
    """Every PDF of the site: each project's annex and its later stages' forms (from the stage's own
    file, which each carries), then its department's volume."""
    jobs = []
    for d, department in enumerate(site.departments):
        for p, project in enumerate(department.projects):
            subject = _subject(department, project)
            jobs.append(PDFJob(routes.project_pdf(department, project), "annex", subject, project.source, d, p))
            if project.evaluation is not None:
                jobs.append(PDFJob(routes.evaluation_pdf(department, project), "evaluation",
                                   msg("pdfs.evaluation_of", subject=subject), project.evaluation.source, d, p))
            if project.monitoring is not None:
                jobs.append(PDFJob(routes.monitoring_pdf(department, project), "monitoring",
                                   msg("pdfs.monitoring_of", subject=subject), project.monitoring.source, d, p))
        jobs.append(PDFJob(routes.volume_pdf(department), "volume",
                           msg("pdfs.volume_of", year=department.year, name=department.name), department.source, d))
    return jobs


def _subject(department: Department, project: Project) -> Message:
    return msg("pdfs.project", code=project.code, name=project.name, year=department.year,
               department=department.name)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[Message] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(verbatim(record.getMessage()))


class PDFRenderer:
    """Renders PDF jobs; made once per worker, so fonts are found and print.css is parsed once.

    WeasyPrint's FontConfiguration and the theme's print.css (as a parsed CSS
    object) are reused for every document the worker makes; the print templates
    therefore do not link the stylesheet themselves.
    """

    def __init__(self, site: Site, theme: Theme, content: Path, date: datetime, sources: dict[str, str],
                 scratch: Path | None = None):
        """`sources`: the SHA-256 of each content file as this build read it, by path in content;
        `scratch`: a folder the build removes when its PDFs are made (fonts.font_folder)."""
        self.site, self.theme, self.content, self.date, self.sources = site, theme, content, date, sources
        self.scratch = scratch
        self.roots = [*theme.chain, content]
        self._ready = False

    def __getstate__(self) -> dict[str, Any]:  # sent to Dask workers without the per-worker objects
        kept = ("site", "theme", "content", "date", "roots", "sources", "scratch")
        return {k: v for k, v in self.__dict__.items() if k in kept} | {"_ready": False}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def _prepare(self) -> None:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        self.env = make_environment(self.theme)
        self.t = translator(self.theme.catalog(self.site.languages[0]), self.site.languages[0])
        self.font_config = FontConfiguration()
        self.font_config._folder = fonts.font_folder(self.scratch)  # WeasyPrint 70.0's attribute (pinned)
        path = self.theme.static_files()["print.css"].resolve()
        css = path.read_text(encoding="utf-8")
        cuts = fonts.cut_fonts(font_css.font_families(css))
        self.fetcher.files |= {cut.path.resolve() for cut in cuts}
        # What print.css fetches (@import, @font-face) goes through the same jail as the documents.
        self.stylesheet = weasyprint.CSS(string=font_css.with_cuts(css, cuts), base_url=path.as_uri(),
                                         url_fetcher=self.fetcher, font_config=self.font_config)
        self.kept: dict[tuple[int, int], Any] = {}  # annexes' documents, by department and project, for its volume
        self.tables: dict[str, dict[str, IndicatorTable]] = {}  # a department's projects' indicator tables, by code
        self._ready = True

    def html(self, job: PDFJob, slots: dict[str, int] | None = None) -> str:
        """`slots`: for the volume, the forms whose pages it takes from their annexes, and how many."""
        site = self.site
        department = site.departments[job.department]
        if department.code not in self.tables:
            self.tables = {department.code: {p.code: indicator_table(p) for p in department.projects}}
        tables = self.tables[department.code]
        common = dict(site=site, t=self.t, lang=site.languages[0], routes=routes,
                      pdf_date=self.date.strftime("%Y-%m-%dT%H:%M:%SZ"), generator="gongkai", department=department)
        # The department's annex layout, handed over as its module, so that a PDF depends on that
        # layout's template and no other (publish/keys.py).
        forms = self.env.get_template(form_template(department.form)).make_module(common)
        if job.kind == "volume":
            return self.env.get_template("print/volume.html").render(
                summaries=summarize_department(department), narrative=source_narrative(department), tables=tables,
                forms=forms, slots=slots or {},
                whole_rows=indicator_rows(department.whole.indicators if department.whole else ()),
                evaluations=evaluation_forms(department), **common)
        project = department.projects[job.project]
        if job.kind == "annex":
            return self.env.get_template("print/annex.html").render(project=project, rows=tables[project.code],
                                                                     forms=forms, **common)
        return self.env.get_template(f"print/{job.kind}.html").render(project=project,
                                                                       form=stage_form(project, job.kind), **common)

    def attachment(self, job: PDFJob) -> tuple[str, bytes] | None:
        """The file a project's PDF is made from travels inside it (the annex: the project's YAML; a
        stage's form: the stage's): the bytes this build checked, read without following a link or
        waiting on a FIFO, and compared with their digest, so a file swapped during the build (for
        a link to a secret, or for other text) is never attached."""
        if job.kind == "volume":
            return None
        try:
            data = read_regular(self.content / job.source, MAX_FILE_BYTES)
        except (OSError, NotRegularFile, TooLarge):
            data = None
        if data is None or hashlib.sha256(data).hexdigest() != self.sources.get(job.source):
            raise PDFError(job, [msg("pdfs.attachment_changed", source=job.source)])
        return Path(job.source).name, data

    def seconds_for(self, job: PDFJob) -> int:
        if job.kind != "volume":
            return MAX_PDF_SECONDS
        forms = sum(len(d.projects) + len(evaluation_forms(d)) for d in self.site.departments if d.source == job.source)
        return MAX_PDF_SECONDS * (1 + max(forms, 1))

    def render(self, job: PDFJob, keep: bool = False) -> bytes:
        """One PDF, or PDFError with everything WeasyPrint complained about. `keep`: an annex's laid-out
        pages are kept for its department's volume, made next by this renderer."""
        import weasyprint
        from weasyprint.urls import FatalURLFetchingError

        if not hasattr(self, "fetcher"):
            self.fetcher = jailed_fetcher_class()(self.roots)
        fetcher = self.fetcher
        fetcher.refused = []
        collect = self.collect = _Collect()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(collect)
        try:
            if not self._ready:
                self._prepare()
            attachments = []
            if attachment := self.attachment(job):
                name, data = attachment
                attachments.append(weasyprint.Attachment(
                    file_obj=io.BytesIO(data), name=name, description=ATTACHED[job.kind],
                    created=self.date, modified=self.date, relationship="Source", url_fetcher=fetcher))
            with time_limit(self.seconds_for(job)):
                document = self._volume(job) if job.kind == "volume" else self._lay_out(job)
                pdf = document.write_pdf(attachments=attachments, **self._options())
        except TimeLimit:
            raise PDFError(job, [msg("pdfs.too_slow", seconds=self.seconds_for(job))]) from None
        except FatalURLFetchingError as exc:  # a BaseException: catch it by name
            raise PDFError(job, fetcher.refused or [verbatim(str(exc))]) from None
        finally:
            logger.removeHandler(collect)
        problems = fetcher.refused + collect.messages
        if problems:
            raise PDFError(job, problems)
        if keep and job.kind == "annex":
            self.kept[job.department, job.project] = document
        return pdf

    def _options(self) -> dict[str, Any]:
        return dict(stylesheets=[self.stylesheet], pdf_variant=PDF_VARIANT)

    def _lay_out(self, job: PDFJob, slots: dict[str, int] | None = None) -> Any:
        """`job`'s document laid out, its cut category cells said again (render/continued.py)."""
        import weasyprint

        with rendering(self.theme.chain, job.path):
            html = self.html(job, slots or {})

        def laid_out() -> Any:  # a form of too many pages is refused at its first layout, not laid out again
            document = source.render(font_config=self.font_config, **self._options())
            if job.kind != "volume" and len(document.pages) > MAX_ANNEX_PAGES:
                raise PDFError(job, [msg("pdfs.too_many_pages", kind=FORM_WORDS[job.kind],
                                         pages=len(document.pages), limit=MAX_ANNEX_PAGES)])
            return document

        source = weasyprint.HTML(string=html, base_url=self.roots[0].as_uri() + "/", url_fetcher=self.fetcher)
        return continued.lay_out(source, laid_out)

    def _annex_form(self, annex: PDFJob) -> Any:
        """`annex` laid out for its volume, or None where it fails (its page limit, a file refused, a
        glyph missing): the annex's own failure, said by its own job; the volume lays that form out."""
        from weasyprint.urls import FatalURLFetchingError

        refused, said = len(self.fetcher.refused), len(self.collect.messages)
        try:
            document = self._lay_out(annex)
        except (PDFError, FatalURLFetchingError):
            document = None
        if document is None or len(self.fetcher.refused) > refused or len(self.collect.messages) > said:
            del self.fetcher.refused[refused:], self.collect.messages[said:]
            return None
        return document

    def _volume(self, job: PDFJob) -> Any:
        """The volume, its projects' forms taken from their annexes' pages (render/volume_pages.py): those
        this renderer kept, the others laid out here; a form whose annex fails is laid out in the volume."""
        department = self.site.departments[job.department]
        forms = {}
        try:
            for p, project in enumerate(department.projects):
                annex = PDFJob(routes.project_pdf(department, project), "annex", job.said, project.source,
                               job.department, p)
                if form := self.kept.pop((job.department, p), None) or self._annex_form(annex):
                    forms[project.code] = form
        finally:
            self.kept.clear()
        document = self._lay_out(job, {code: len(form.pages) for code, form in forms.items()})
        try:
            return volume_pages.assemble(document, forms)
        except volume_pages.Mismatch:
            return self._lay_out(job)
