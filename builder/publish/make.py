"""Making the outputs of a checked site: PDFs, data files, pages, the search index, checksums.

Each output has a key (outputs.py); when the last build made it from the
same key and it is still as that build left it, it is linked from there,
otherwise it is rendered, here or on workers (parallel.py). Everything is
written into a staging folder that replaces output/ only when all of it is
there (write.py).

pipeline.py imports this module only when something is to be made: a
build with nothing to do never loads Jinja, WeasyPrint or the exporters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from builder import __version__
from builder.base import parallel
from builder.base.diagnostics import keep_path
from builder.base.progress import Progress
from builder.cache.store import Cache, FileDigests, Manifest, builder_files, digest, tree_files
from builder.content.model import Site
from builder.history.revisions import History
from builder.publish import machine
from builder.publish.data import (
    SITE_DATA,
    TABLES,
    Download,
    Encoded,
    SiteData,
    datapackage,
    department_data,
    write_checksums,
)
from builder.publish.feed import atom_feed
from builder.publish.keys import Keys
from builder.publish.search import (
    PARTS_LIST,
    SEARCH_INDEX,
    MarkScanner,
    index_part,
    is_marked,
    part_of,
    parts_list,
    plan,
)
from builder.publish.staging import Staging, safe_relative
from builder.render.indicator_rows import IndicatorRows
from builder.render.pages import PageJob, PageRenderer, extra_files, page_jobs
from builder.render.pdfs import PDFError, PDFRenderer, pdf_jobs, source_date
from builder.render.routes import routes
from builder.render.themes import TemplateDigests, Theme, load_theme


def make(site: Site, content: Path, output: Path, themes: Path, pdfs: bool, date: datetime | None,
         history: History | None, digests: FileDigests, manifest: Manifest, store: Cache | None,
         runner: parallel.Runner, progress: Progress) -> Build:
    """Make every output into a staging folder and swap it in; on PDF problems, abort and return them."""
    date = date or source_date(content)
    theme = load_theme(themes, site.theme)
    machine.require(theme, pdfs)  # before anything is made: a missing font or tool is one error, not a crash
    shell = digest(__version__, pdfs, date.isoformat(), site.years, site.languages,
                   *(f"{p}:{digests.of(p)}" for p in builder_files()),
                   *(f"{p}:{digests.of(content / p)}" for p in _shell_files(content)))
    files = {p.relative_to(content).as_posix(): digests.of(p) for p in tree_files(content)}
    print_css = digests.of(theme.static_files()["print.css"]) if pdfs else ""
    keys = Keys(site, files, shell, TemplateDigests(theme, digests.of), print_css, history)
    build = Build(site, theme, content, date, history, keys, manifest, store, runner, progress)
    build.staging = Staging(output, content)
    try:
        if pdfs:
            build.pdfs()
        if build.problems:
            build.staging.abort()
            return build
        build.data()
        build.pages()
        build.wrote(routes.feed, keys.site_wide(routes.feed), atom_feed(site, history, date))
        build.staging.commit(finalize=build.finish)
    except BaseException:
        build.staging.abort()
        raise
    return build


def _shell_files(content: Path) -> list[str]:
    """Content files every output depends on: site.yaml and the site's own frameworks."""
    found = ["site.yaml"] if (content / "site.yaml").is_file() else []
    return found + [p.relative_to(content).as_posix() for p in sorted((content / "frameworks").glob("*.yaml"))]


class Build:
    """One build's rendering: each stage decides per output whether to reuse or render it."""

    def __init__(self, site: Site, theme: Theme, content: Path, date: datetime, history: History | None, keys: Keys,
                 manifest: Manifest, store: Cache | None, runner: parallel.Runner, progress: Progress) -> None:
        self.site, self.theme, self.content, self.date, self.history = site, theme, content, date, history
        self.keys, self.previous, self.store, self.runner, self.progress = keys, manifest.outputs, store, runner, progress
        self.was_marked = set(manifest.marked)
        self.marked: set[str] = set()  # pages that say what of them is indexed (data-pagefind-body)
        self.search_groups: dict[str, str] = {}  # page -> the group it is indexed with (search.plan)
        self.outputs: dict[str, list] = {}  # path -> [key, size, sha256, mtime_ns], the next manifest
        self.rendered: set[str] = set()
        self.problems: list = []
        self.parts_used: set[str] = set()
        self.rows_used: set[str] = set()
        self.staging: Staging

    def reuse(self, path: str, key: str) -> bool:
        # Taken out of the last build's list either way: reused, the entry moves to the next list;
        # not, it is of no more use. A province's 177,000 paths are then never held twice.
        old = self.previous.pop(path, None)
        if old and old[0] == key and self.staging.reuse(path, *old[1:4]):
            self.outputs[path] = old
            if path in self.was_marked:
                self.marked.add(path)
            return True
        return False

    def wrote(self, path: str, key: str, data: "bytes | Written | None" = None) -> None:
        if isinstance(data, Written):
            size, sha = self.staging.adopt(path, data.size, data.sha256)
            marked = data.marked
        else:
            size, sha = self.staging.write(path, data) if data is not None else self.staging.hashes[path]
            marked = isinstance(data, bytes) and path.endswith(".html") and is_marked(data)
        if marked:
            self.marked.add(path)
        self.outputs[path] = [key, size, sha, None]  # the mtime: cache.output_state, once in output/
        self.rendered.add(path)

    def run(self, label: str, fn: parallel.Fn, state: object, todo: list, batch: int | None) -> Iterator:
        # Workers on this machine write their files into the staging folder themselves (writing is
        # a fifth of a build); a Dask worker elsewhere sends the bytes back instead.
        sink = None if isinstance(self.runner, parallel.DaskCluster) else str(self.staging.root)
        work = todo if batch is None else parallel.batches(todo, batch)  # None: `todo` is batches already
        stage = self.progress.stage(label, sum(len(b) for b in work))
        for results in self.runner.map(fn, (state, sink), work):
            yield from results
            stage.advance(len(results))

    def pdfs(self) -> None:
        todo = []
        for job in pdf_jobs(self.site):
            department = self.site.departments[job.department]
            key = self.keys.volume(department) if job.kind == "volume" else \
                self.keys.annex(department, department.projects[job.project])
            if not self.reuse(job.path, key):
                todo.append((job, key))
        # Volumes first, one job per batch: a volume takes as long as all its annexes, and after one
        # edit the annex and the volume render side by side instead of one after the other.
        todo.sort(key=lambda item: item[0].kind != "volume")
        renderer = PDFRenderer(self.site, self.theme, self.content, self.date, self.keys.files)
        for (job, key), pdf, problems in self.run("PDF", _render_pdfs, renderer, todo, 1):
            if problems:
                self.problems.append((job, problems))
            else:
                self.wrote(job.path, key, pdf)

    def data(self) -> None:
        """Each department's and project's files; the site's are joins of the departments' cached parts."""
        todo: list[tuple[int, str]] = []
        parts: dict[int, Encoded | Path] = {}  # by department: made now, or where the cache keeps it
        for index, department in enumerate(self.site.departments):
            key = self.keys.department_data(department)
            part = self.store.part(key) if self.store else None
            paths = [routes.project_data(department, p, n) for p in department.projects for n in DATA_NAMES] + \
                [routes.department_data(department, n) for n in DATA_NAMES]
            if part and part.is_file() and all(self.previous.get(p, [None])[0] == key for p in paths) \
                    and all(self.reuse(p, key) for p in paths):
                parts[index] = part
                self.parts_used.add(key)
            else:
                for path in paths:  # made again: the last build's entries are of no more use
                    self.previous.pop(path, None)
                todo.append((index, key))
        for (index, key), files, encoded in self.run("data", _department_data, (self.site, self.date), todo, 2):
            for path, data in files.items():
                self.wrote(path, key, data)
            parts[index] = self._keep_part(key, encoded)
        with self.staging.scratch() as spool:
            site_data = SiteData(self.staging, Path(spool), self.date)
            for index in range(len(self.site.departments)):
                site_data.add(self._part(parts[index], index))
            site_data.finish()
        for name in [*(f"{n}.csv" for n in TABLES), "data.json", "data.xlsx"]:
            self.wrote(f"{SITE_DATA}/{name}", self.keys.site_wide("data"))
        site_csvs = {p: None for p in self.staging.hashes if p.startswith(SITE_DATA) and p.endswith(".csv")}
        package = datapackage(self.site, site_csvs, {p: self.staging.hashes[p][1] for p in site_csvs})
        self.wrote("data/datapackage.json", self.keys.site_wide("datapackage"), package)

    def _keep_part(self, key: str, encoded: Encoded) -> Encoded | Path:
        if not self.store:
            return encoded
        path = self.store.part(key)
        self.store.put(path, encoded)
        self.parts_used.add(key)
        return path

    def _part(self, part: "Encoded | Path", index: int) -> Encoded:
        """A department's rows of the site's data files: made now, or kept in the cache. A kept
        part the cache no longer vouches for (damaged, foreign) is made again: the same rows."""
        if isinstance(part, Encoded):
            return part
        kept = self.store.get(part) if self.store else None  # a part is kept only in a cache
        return kept if isinstance(kept, Encoded) else department_data(self.site, index, self.date)[1]

    def downloads(self) -> dict[str, Download]:
        return {p: Download(p, size, sha) for p, (size, sha) in sorted(self.staging.hashes.items())}

    def pages(self) -> None:
        downloads = self.downloads()
        everything = digest(*(f"{d.path}{d.sha256}" for d in downloads.values()))
        renderer = PageRenderer(self.site, self.theme, downloads, self.history)
        rows = [self.keys.indicator_rows(d) for d in self.site.departments] if self.store else []
        self.rows_used.update(rows)
        renderer.indicator_rows = IndicatorRows([self.store.rows(key) for key in rows] if self.store else [],
                                                scratch=self.staging.scratch, store=self.store)
        jobs = page_jobs(self.site)
        todo: list = []  # (job, key), then batches of them
        site_wide: list[tuple[PageJob, str]] = []
        for job in jobs:
            self.search_groups[job.path] = job.path if job.department < 0 else \
                routes.department_folder(self.site.departments[job.department])
            key = self._page_key(job, downloads, everything)
            if self.reuse(job.path, key):
                continue
            (todo if job.kind in ("project", "department") else site_wide).append((job, key))
        if not isinstance(self.runner, parallel.DaskCluster):
            # First in the queue: the all-indicators page is the longest job; it starts while the
            # other workers take the project pages. A local worker streams it to disk.
            todo, site_wide = [[job] for job in site_wide] + parallel.batches(todo, 16), []
        else:
            todo = parallel.batches(todo, 16)
        for (job, key), html in self.run("pages", _render_pages, renderer, todo, None):
            self.wrote(job.path, key, html)
        for job, key in site_wide:  # large pages (all indicators): streamed to disk, never whole in memory
            scanner = MarkScanner()
            with self.staging.open(job.path) as out:
                for chunk in renderer.chunks(job):
                    data = chunk.encode("utf-8")
                    out.write(data)
                    scanner.feed(data)
            self.wrote(job.path, key, Written(*self.staging.hashes[job.path], scanner.marked))
        for path, data in extra_files(self.site, self.theme, [job.path for job in jobs]).items():
            key = self.keys.site_wide(path) if path == routes.sitemap else self.keys.static(path, data)
            if not self.reuse(path, key):
                self.wrote(path, key, data)

    def _page_key(self, job: PageJob, downloads: dict, everything: str) -> str:
        if job.kind == "project":
            department = self.site.departments[job.department]
            project = department.projects[job.project]
            links = [routes.project_pdf(department, project),
                     *(routes.project_data(department, project, n) for n in DATA_NAMES)]
            return self.keys.project_page(department, project, [downloads.get(p) for p in links])
        if job.kind == "department":
            department = self.site.departments[job.department]
            links = [routes.volume_pdf(department), *(routes.department_data(department, n) for n in DATA_NAMES)]
            return self.keys.department_page(department, [downloads.get(p) for p in links])
        return self.keys.site_wide(job.path, everything)

    def finish(self, staging: Path) -> None:
        """The search index (each part kept if none of its pages changed), then the checksums."""
        parts = plan(self.search_groups, self.marked)
        todo = []
        for folder, part in parts.items():
            key = digest(folder, *(f"{p}:{self.outputs[p][0]}" for p in part.pages))
            old = self.previous.get(folder)
            if not (old and old[0] == key and self._reuse_part(folder)):
                todo.append(folder)
            self.outputs[folder] = [key, 0, "", None]
        # As many indexers at once as the build has workers (each holds its part's pages in memory).
        # Pagefind adds its files to a folder without clearing it, so the parts inside the first
        # part's folder may be written at the same time.
        with ThreadPoolExecutor(max(1, min(self.runner.workers, len(todo)))) as pool:
            for _ in pool.map(lambda folder: index_part(staging, folder, parts[folder]), todo):
                pass
        for folder in todo:
            for path in sorted((staging / folder).rglob("*")):
                relative = path.relative_to(staging).as_posix()
                if path.is_file() and part_of(relative) == folder:
                    data = path.read_bytes()
                    self.staging.hashes[relative] = (len(data), hashlib.sha256(data).hexdigest())
                    self.rendered.add(relative)
        key = digest(*parts)
        if not self.reuse(PARTS_LIST, key):
            self.wrote(PARTS_LIST, key, parts_list(list(parts)))
        self.previous.clear()  # all of it that could be reused was: a province's is 177,000 entries
        for name, (size, sha) in self.staging.hashes.items():
            if name.startswith(SEARCH_INDEX + "/") and name != PARTS_LIST:
                self.outputs[name] = ["search", size, sha, None]
        with open(staging / "SHA256SUMS", "wb") as out:
            write_checksums(self.staging.hashes, out)

    @property
    def reused(self) -> set[str]:
        """The files linked from the last build: every file of this one that was not made again.
        Worked out when asked, not kept along the way: a province's is 177,000 paths. (The search
        parts' folders are entries too, without a SHA-256: they are not files.)"""
        return {path for path, (_, _, sha, _) in self.outputs.items() if sha and path not in self.rendered}

    def _reuse_part(self, folder: str) -> bool:
        """Link a part of the last build's search index, file by file; False if any is missing."""
        listed = {p: v for p, v in self.previous.items()
                  if p.startswith(SEARCH_INDEX + "/") and v[0] == "search" and part_of(p) == folder}
        if not listed or not all((self.staging.output / p).is_file() for p in listed):
            return False
        for path, (_, *state) in listed.items():
            if not self.staging.reuse(path, *state):
                return False
        return True


DATA_NAMES = [*(f"{n}.csv" for n in TABLES), "data.json", "data.xlsx"]


# The jobs of each stage, as workers run them (top-level functions: a Dask worker unpickles them by name).

@dataclass(frozen=True)
class Written:
    """A file a worker wrote into the staging folder itself."""

    size: int
    sha256: str
    marked: bool = False  # a page that says what of it is indexed (search.is_marked)


def _deliver(sink: str | None, path: str, data: bytes) -> Written | bytes:
    """In a worker: write the file into the staging folder `sink`, or return the bytes (no sink: Dask)."""
    if sink is None:
        return data
    target = Path(sink) / safe_relative(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # never write through a hard link into the last build's output
    with keep_path(target):
        target.write_bytes(data)
    return Written(len(data), hashlib.sha256(data).hexdigest(), path.endswith(".html") and is_marked(data))


def _render_pdfs(state: tuple[PDFRenderer, str | None], batch: list) -> list:
    renderer, sink = state
    out: list[tuple[tuple, object, list | None]] = []  # ((job, key), what _deliver gives, problems)
    for job, key in batch:
        try:
            out.append(((job, key), _deliver(sink, job.path, renderer.render(job)), None))
        except PDFError as exc:
            out.append(((job, key), None, exc.problems))
    return out


def _render_pages(state: tuple[PageRenderer, str | None], batch: list) -> list:
    renderer, sink = state
    out: list[tuple[tuple, Written | bytes]] = []  # ((job, key), what was written)
    for job, key in batch:
        if sink is not None and job.kind not in ("project", "department"):
            out.append(((job, key), _stream(sink, job.path, renderer.chunks(job))))
        else:
            out.append(((job, key), _deliver(sink, job.path, renderer.render(job))))
    return out


def _stream(sink: str, path: str, chunks: Iterable[str]) -> Written:
    """Write a large page as it is generated, so it is never whole in memory."""
    target = Path(sink) / safe_relative(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    sha, size, scanner = hashlib.sha256(), 0, MarkScanner()
    with keep_path(target), open(target, "wb") as out:
        for chunk in chunks:
            data = chunk.encode("utf-8")
            out.write(data)
            sha.update(data)
            scanner.feed(data)
            size += len(data)
    return Written(size, sha.hexdigest(), scanner.marked)


def _department_data(state: tuple[tuple[Site, datetime], str | None], batch: list) -> list:
    (site, date), sink = state
    out = []
    for index, key in batch:
        files, encoded = department_data(site, index, date)
        out.append(((index, key), {path: _deliver(sink, path, data) for path, data in files.items()}, encoded))
    return out

