"""Pages: every HTML page, the sitemap and the theme's static files; large pages streamed to disk."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from builder.base import parallel
from builder.base.diagnostics import Diagnostic, keep_path
from builder.base.files import HashingWriter
from builder.cache.digests import digest
from builder.publish.data import DATA_NAMES, PROJECT_DATA_NAMES
from builder.publish.outputs import Build, Written, deliver
from builder.publish.search import MarkScanner
from builder.publish.search_index import EarlyParts
from builder.publish.staging import safe_relative
from builder.render.indicator_rows import IndicatorRows
from builder.render.pages import PageJob, PageRenderer, extra_files, page_jobs
from builder.render.routes import routes
from builder.render.template_problems import TemplateFailure


def make_pages(build: Build) -> None:
    downloads = build.downloads()
    everything = digest(*(f"{d.path}{d.sha256}" for d in downloads.values()))
    # 发布日期: the build's date, but for the start of the epoch, its stand-in for none (history/tree.py).
    published = build.date if build.date.timestamp() > 0 else None
    renderer = PageRenderer(build.site, build.theme, downloads, build.history, published)
    store = build.store
    rows = [build.keys.indicator_rows(d) for d in build.site.departments] if store else []
    build.rows_used.update(rows)
    renderer.indicator_rows = IndicatorRows([store.rows(key) for key in rows] if store else [],
                                            scratch=build.staging.scratch, store=store)
    jobs = page_jobs(build.site)
    for job in jobs:
        if not job.language:  # the other languages' copies are not indexed: the same content again
            build.search_groups[job.path] = job.path if job.department < 0 else \
                routes.department_folder(build.site.departments[job.department])
    early = _early_parts(build, jobs)
    todo: list = []  # (job, key), then batches of them
    site_wide: list[tuple[PageJob, str]] = []
    for job in jobs:
        key = _page_key(build, job, downloads, everything)
        if build.reuse(job.path, key):
            early.written(job.path)
            continue
        (todo if job.kind in ("project", "department") else site_wide).append((job, key))
    todo.sort(key=lambda item: early.rank(item[0].path))  # part by part (stable: in site order within one)
    if not isinstance(build.runner, parallel.DaskCluster):
        # First in the queue: the all-indicators page is the longest job; it starts while the
        # other workers take the project pages. A local worker streams it to disk.
        todo, site_wide = [[job] for job in site_wide] + parallel.batches(todo, 16), []
    else:
        todo = parallel.batches(todo, 16)
    for (job, key), html, failure in build.run("outputs.pages", _render_pages, renderer, todo, None):
        if failure:
            build.failed(failure)
        else:
            build.wrote(job.path, key, html)
            early.written(job.path)
    for job, key in site_wide:  # large pages (all indicators): streamed to disk, never whole in memory
        scanner = MarkScanner()
        try:
            with build.staging.open(job.path) as out:
                for chunk in renderer.chunks(job):
                    data = chunk.encode("utf-8")
                    out.write(data)
                    scanner.feed(data)
        except TemplateFailure as exc:
            build.failed(exc.diagnostic)
            continue
        build.wrote(job.path, key, Written(*build.staging.hashes[job.path], scanner.marked))
        early.written(job.path)
    if build.failures:
        early.close()
        return
    for path, data in extra_files(build.site, build.theme, [job.path for job in jobs]).items():
        key = build.keys.site_wide(path) if path == routes.sitemap else build.keys.static(path, data)
        if not build.reuse(path, key):
            build.wrote(path, key, data)


def _early_parts(build: Build, jobs: list[PageJob]) -> EarlyParts:
    """The search index's parts, started as their pages are written (search_index.EarlyParts) when
    other processes render the pages; with one process (`--jobs 1`) nothing is started beside it.
    The pages expected to be marked: those the last build found marked, or, in a first build, the
    project, department and publisher's pages, which the default theme marks."""
    early = EarlyParts(build, build.staging.root, set())
    if build.runner.workers > 1:
        marks = ("project", "department", "page")
        expected = build.was_marked & build.search_groups.keys() or {
            job.path for job in jobs if job.path in build.search_groups and job.kind in marks}
        early = EarlyParts(build, build.staging.root, expected)
    build.early_parts = early
    return early


def _page_key(build: Build, job: PageJob, downloads: dict, everything: str) -> str:
    if job.kind == "project":
        department = build.site.departments[job.department]
        project = department.projects[job.project]
        links = [routes.project_pdf(department, project), routes.evaluation_pdf(department, project),
                 routes.monitoring_pdf(department, project),
                 *(routes.project_data(department, project, n) for n in PROJECT_DATA_NAMES)]
        # The department's workbook is offered without its size (downloads.py): only whether there is one.
        workbook = routes.department_data(department, "data.xlsx") in downloads
        return build.keys.project_page(department, project, [*(downloads.get(p) for p in links), workbook])
    if job.kind == "department":
        department = build.site.departments[job.department]
        links = [routes.volume_pdf(department), *(routes.department_data(department, n) for n in DATA_NAMES)]
        return build.keys.department_page(department, [downloads.get(p) for p in links])
    return build.keys.site_wide(job.path, everything)


def _render_pages(state: tuple[PageRenderer, str | None], batch: list) -> list:
    renderer, sink = state
    out: list[tuple[tuple, Written | bytes | None, Diagnostic | None]] = []  # ((job, key), page, failure)
    for job, key in batch:
        try:
            if sink is not None and job.kind not in ("project", "department"):
                out.append(((job, key), _stream(sink, job.path, renderer.chunks(job)), None))
            else:
                out.append(((job, key), deliver(sink, job.path, renderer.render(job)), None))
        except TemplateFailure as exc:  # sent back as data: a Jinja exception does not survive the trip
            out.append(((job, key), None, exc.diagnostic))
    return out


def _stream(sink: str, path: str, chunks: Iterable[str]) -> Written:
    """Write a large page as it is generated, so it is never whole in memory."""
    target = Path(sink) / safe_relative(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    scanner = MarkScanner()
    generated = iter(chunks)
    try:
        with keep_path(target), open(target, "wb") as file:
            out = HashingWriter(file)
            for chunk in generated:
                data = chunk.encode("utf-8")
                out.write(data)
                scanner.feed(data)
    finally:
        # A write that fails (a full disk) leaves the generator suspended inside its `with` blocks: closing
        # it now removes their work files (the indicators page's spool), not whenever it is collected.
        getattr(generated, "close", lambda: None)()
    return Written(out.size, out.sha256, scanner.marked)


