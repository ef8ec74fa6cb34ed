"""The build, top to bottom: load -> validate -> check -> assemble -> render -> write.

`check_content` stops after the rules (what `python build.py check` runs);
`build_site` goes on only when no error was found, so a broken content folder
never reaches output/.
"""

from __future__ import annotations

import hashlib
import pickle
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import __version__, parallel
from .assemble import assemble_site
from .cache import Cache, FileDigests, Manifest, builder_files, digest, fingerprint, output_state, tree_files
from .check import check_records
from .diagnostics import Diagnostic, Pos, Report, Severity
from .export import SITE_DATA, TABLES, Download, Encoded, SiteData, checksums, datapackage, department_data
from .feed import atom_feed
from .history import read_history
from .model import Site
from .money import format_money
from .outputs import Keys
from .parallel import Serial
from .progress import Progress
from .render_html import PageJob, PageRenderer, extra_files, page_jobs
from .render_pdf import PDFError, PDFRenderer, pdf_jobs, source_date
from .routes import routes
from .search import index_site
from .themes import TemplateDigests, ThemeError, load_theme
from .validate import validate_content
from .write import Staging, remove_leftovers, safe_relative

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_THEMES = PROJECT_ROOT / "themes"


@dataclass
class Result:
    report: Report
    site: Site | None  # None when content has errors (or when nothing was rebuilt: up_to_date)
    files: int = 0
    up_to_date: bool = False  # nothing changed since the last build: output/ was left as it was
    summary: list[str] = field(default_factory=list)  # one line per department
    rendered: set[str] = field(default_factory=set)  # output paths made by this build
    reused: set[str] = field(default_factory=set)  # output paths kept from the last build

    @property
    def ok(self) -> bool:
        return self.site is not None or self.up_to_date


def check_content(content: Path, themes: Path = DEFAULT_THEMES, strict: bool = False, runner=None) -> Result:
    """`runner`: a process pool to read the files with (parallel.Processes), or None for this process."""
    report = Report()
    records = validate_content(content, report, runner)
    plan = check_records(records, report, themes_dir=themes)
    if report.failed(strict) or records.site is None or records.site.values is None:
        return Result(report, None)
    site = assemble_site(records, plan)
    return Result(report, site, summary=[
        f"{len(d.projects)} projects, {d.indicator_count} indicators, total {format_money(d.total, d.money_unit)} "
        f"({d.name} {d.year})" for d in site.departments])


def build_site(content: Path, output: Path, themes: Path = DEFAULT_THEMES, strict: bool = False,
               pdfs: bool = True, date: datetime | None = None, history_of: tuple[Path, str] | None = None,
               cache: Path | None = None, runner=None, progress: Progress | None = None) -> Result:
    """Check, render what changed, write.

    `date` stamps the PDFs (default: SOURCE_DATE_EPOCH or the last commit); `history_of` is the
    folder in a git work tree and the revision whose history the pages show (default: `content`
    at HEAD; none outside git). `cache`: the build cache folder (cache.py), None for a full build
    that remembers nothing. `runner`: where rendering runs (parallel.py; default this process).
    """
    progress = progress or Progress(enabled=False)
    store = Cache(cache) if cache else None
    manifest = store.load() if store else Manifest()
    digests = FileDigests(manifest.stats)
    try:
        theme_dirs = list(load_theme(themes, _site_theme(content)).chain)
    except ThemeError:
        theme_dirs = []  # check_content reports it, at its line
    options = dict(pdfs=pdfs, strict=strict, content=content, output=output, themes=themes,
                   date=date.isoformat() if date else None, history_of=history_of)
    print_ = fingerprint(digests, content, theme_dirs, options) if store else ""
    if store and _up_to_date(manifest, print_, output):
        remove_leftovers(output)  # what a killed build left beside it
        return Result(_report_of(manifest), None, manifest.files, up_to_date=True, summary=manifest.summary)

    runner = runner or Serial()
    result = check_content(content, themes, strict, runner if isinstance(runner, parallel.Processes) else None)
    if result.site is None:
        return result
    site = result.site
    history = site_history(site, *(history_of or (content, "HEAD")), result.report)
    if strict and result.report.warnings:
        result.site = None
        return result
    date = date or source_date(content)
    theme = load_theme(themes, site.theme)
    shell = digest(__version__, options["pdfs"], date.isoformat(), site.years, site.languages,
                   *(f"{p}:{digests.of(p)}" for p in builder_files()),
                   *(f"{p}:{digests.of(content / p)}" for p in _shell_files(content)))
    files = {p.relative_to(content).as_posix(): digests.of(p) for p in tree_files(content)}
    print_css = digests.of(theme.static_files()["print.css"]) if pdfs else ""
    keys = Keys(site, files, shell, TemplateDigests(theme, digests.of), print_css, history)
    build = _Build(site, theme, content, date, history, keys, manifest, store, runner, progress)
    build.staging = Staging(output, content)
    try:
        if pdfs:
            build.pdfs()
        if build.problems:
            for job, problems in build.problems:
                for problem in problems:
                    result.report.error(Pos(str(content / job.source), 1, 1),
                                        f"cannot make the PDF of {job.subject}: {problem}", pdf_hint(problem))
            build.staging.abort()
            result.site = None
            return result
        build.data()
        build.pages()
        build.wrote(routes.feed, keys.site_wide(routes.feed), atom_feed(site, history, date))
        build.staging.commit(finalize=build.finish)
    except BaseException:
        build.staging.abort()
        raise
    result.files = len(build.staging.hashes) + 1  # and SHA256SUMS
    result.rendered, result.reused = build.rendered, build.reused
    if store:
        manifest.fingerprint = print_
        manifest.output_inode = output.stat().st_ino
        manifest.written = output_state(output)
        manifest.files = result.files
        manifest.report = [[d.severity.value, *d.pos, d.message, d.hint] for d in result.report.items]
        manifest.summary = result.summary
        manifest.outputs = build.outputs
        manifest.stats = digests.seen
        store.prune_parts(build.parts_used)
        store.save(manifest)
    return result


def _site_theme(content: Path) -> str:
    """The theme site.yaml names, read cheaply for the fingerprint (check_content reads it properly)."""
    try:
        for line in (content / "site.yaml").read_text(encoding="utf-8").splitlines():
            if line.startswith("theme:"):
                return line.split(":", 1)[1].split("#")[0].strip().strip("'\"") or "default"
    except OSError:
        pass
    return "default"


def _shell_files(content: Path) -> list[str]:
    """Content files every output depends on: site.yaml and the site's own frameworks."""
    found = ["site.yaml"] if (content / "site.yaml").is_file() else []
    return found + [p.relative_to(content).as_posix() for p in sorted((content / "frameworks").glob("*.yaml"))]


def _up_to_date(manifest: Manifest, print_: str, output: Path) -> bool:
    try:
        return (manifest.fingerprint == print_ and output.stat().st_ino == manifest.output_inode
                and output_state(output) == manifest.written)
    except OSError:
        return False


def _report_of(manifest: Manifest) -> Report:
    report = Report()
    for severity, path, line, col, message, hint in manifest.report:
        report.items.append(Diagnostic(Severity(severity), Pos(path, line, col), message, hint))
    return report


class _Build:
    """One build's rendering: each stage decides per output whether to reuse or render it."""

    def __init__(self, site, theme, content, date, history, keys, manifest, store, runner, progress):
        self.site, self.theme, self.content, self.date, self.history = site, theme, content, date, history
        self.keys, self.previous, self.store, self.runner, self.progress = keys, manifest.outputs, store, runner, progress
        self.written = manifest.written
        self.outputs: dict[str, list] = {}  # path -> [key, size, sha256], the next manifest
        self.rendered: set[str] = set()
        self.reused: set[str] = set()
        self.problems: list = []
        self.parts_used: set[str] = set()
        self.staging: Staging

    def reuse(self, path: str, key: str) -> bool:
        old = self.previous.get(path)
        if old and old[0] == key and self.untouched(path) and self.staging.reuse(path, old[1], old[2]):
            self.outputs[path] = old
            self.reused.add(path)
            return True
        return False

    def untouched(self, path: str) -> bool:
        """The last build's file is still as it left it (not edited by hand since)."""
        try:
            st = (self.staging.output / path).stat()
        except OSError:
            return False
        return self.written.get(path) == [st.st_size, st.st_mtime_ns]

    def wrote(self, path: str, key: str, data: "bytes | Written | None" = None) -> None:
        if isinstance(data, Written):
            size, sha = self.staging.adopt(path, data.size, data.sha256)
        else:
            size, sha = self.staging.write(path, data) if data is not None else self.staging.hashes[path]
        self.outputs[path] = [key, size, sha]
        self.rendered.add(path)

    def run(self, label: str, fn, state, todo: list, batch: int):
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
        renderer = PDFRenderer(self.site, self.theme, self.content, self.date)
        for (job, key), pdf, problems in self.run("PDF", _render_pdfs, renderer, todo, 4):
            if problems:
                self.problems.append((job, problems))
            else:
                self.wrote(job.path, key, pdf)

    def data(self) -> None:
        """Each department's and project's files; the site's are joins of the departments' cached parts."""
        todo, parts = [], {}
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
                todo.append((index, key))
        for (index, key), files, encoded in self.run("data", _department_data, (self.site, self.date), todo, 2):
            for path, data in files.items():
                self.wrote(path, key, data)
            parts[index] = self._keep_part(key, encoded)
        with tempfile.TemporaryDirectory(prefix=".spool-", dir=self.staging.root.parent) as spool:
            site_data = SiteData(self.staging, Path(spool), self.date)
            for index in range(len(self.site.departments)):
                site_data.add(_read_part(parts[index]))
            site_data.finish()
        for name in [*(f"{n}.csv" for n in TABLES), "data.json", "data.xlsx"]:
            self.wrote(f"{SITE_DATA}/{name}", self.keys.site_wide("data"))
        site_csvs = {p: None for p in self.staging.hashes if p.startswith(SITE_DATA) and p.endswith(".csv")}
        package = datapackage(self.site, site_csvs, {p: self.staging.hashes[p][1] for p in site_csvs})
        self.wrote("data/datapackage.json", self.keys.site_wide("datapackage"), package)

    def _keep_part(self, key: str, encoded: Encoded):
        if not self.store:
            return encoded
        path = self.store.part(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(encoded, protocol=pickle.HIGHEST_PROTOCOL))
        self.parts_used.add(key)
        return path

    def downloads(self) -> dict[str, Download]:
        return {p: Download(p, size, sha) for p, (size, sha) in sorted(self.staging.hashes.items())}

    def pages(self) -> None:
        downloads = self.downloads()
        everything = digest(*(f"{d.path}{d.sha256}" for d in downloads.values()))
        renderer = PageRenderer(self.site, self.theme, downloads, self.history)
        jobs = page_jobs(self.site)
        todo, site_wide = [], []
        for job in jobs:
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
            with self.staging.open(job.path) as out:
                for chunk in renderer.chunks(job):
                    out.write(chunk.encode("utf-8"))
            self.wrote(job.path, key)
        for path, data in extra_files(self.site, self.theme, [job.path for job in jobs]).items():
            key = self.keys.site_wide(path) if path == routes.sitemap else self.keys.static(path, data)
            if not self.reuse(path, key):
                self.wrote(path, key, data)
        self.index_key = digest(*(self.outputs[job.path][0] for job in jobs))

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
        """The search index (kept if no page changed), then the checksums of everything."""
        old = self.previous.get(SEARCH_INDEX)
        if not (old and old[0] == self.index_key and self._reuse_tree(SEARCH_INDEX)):
            index_site(staging)
            for path in sorted((staging / SEARCH_INDEX).rglob("*")):
                if path.is_file():
                    data = path.read_bytes()
                    self.staging.hashes[path.relative_to(staging).as_posix()] = (
                        len(data), hashlib.sha256(data).hexdigest())
        self.outputs[SEARCH_INDEX] = [self.index_key, 0, ""]
        for path, (size, sha) in self.staging.hashes.items():
            if path.startswith(SEARCH_INDEX + "/"):
                self.outputs[path] = ["search", size, sha]
        (staging / "SHA256SUMS").write_bytes(checksums({p: sha for p, (_, sha) in self.staging.hashes.items()}))

    def _reuse_tree(self, folder: str) -> bool:
        """Link the last build's search index, file by file; False (nothing linked) if any is missing."""
        listed = {p: v for p, v in self.previous.items() if p.startswith(folder + "/")}
        if not listed or not all((self.staging.output / p).is_file() for p in listed):
            return False
        for path, (_, size, sha) in listed.items():
            if not (self.untouched(path) and self.staging.reuse(path, size, sha)):
                return False
        self.reused.update(listed)
        return True


SEARCH_INDEX = "pagefind"
DATA_NAMES = [*(f"{n}.csv" for n in TABLES), "data.json", "data.xlsx"]


# The jobs of each stage, as workers run them (top-level functions: a Dask worker unpickles them by name).

@dataclass(frozen=True)
class Written:
    """A file a worker wrote into the staging folder itself."""

    size: int
    sha256: str


def _deliver(sink: str | None, path: str, data: bytes):
    """In a worker: write the file into the staging folder `sink`, or return the bytes (no sink: Dask)."""
    if sink is None:
        return data
    target = Path(sink) / safe_relative(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # never write through a hard link into the last build's output
    target.write_bytes(data)
    return Written(len(data), hashlib.sha256(data).hexdigest())


def _render_pdfs(state, batch: list) -> list:
    renderer, sink = state
    out = []
    for job, key in batch:
        try:
            out.append(((job, key), _deliver(sink, job.path, renderer.render(job)), None))
        except PDFError as exc:
            out.append(((job, key), None, exc.problems))
    return out


def _render_pages(state, batch: list) -> list:
    renderer, sink = state
    out = []
    for job, key in batch:
        if sink is not None and job.kind not in ("project", "department"):
            out.append(((job, key), _stream(sink, job.path, renderer.chunks(job))))
        else:
            out.append(((job, key), _deliver(sink, job.path, renderer.render(job))))
    return out


def _stream(sink: str, path: str, chunks) -> Written:
    """Write a large page as it is generated, so it is never whole in memory."""
    target = Path(sink) / safe_relative(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    sha, size = hashlib.sha256(), 0
    with open(target, "wb") as out:
        for chunk in chunks:
            data = chunk.encode("utf-8")
            out.write(data)
            sha.update(data)
            size += len(data)
    return Written(size, sha.hexdigest())


def _department_data(state, batch: list) -> list:
    (site, date), sink = state
    out = []
    for index, key in batch:
        files, encoded = department_data(site, index, date)
        out.append(((index, key), {path: _deliver(sink, path, data) for path, data in files.items()}, encoded))
    return out


def _read_part(part) -> Encoded:
    return part if isinstance(part, Encoded) else pickle.loads(part.read_bytes())


def site_history(site, content: Path, rev: str, report: Report):
    frameworks = {p.source: d.framework for d in site.departments for p in d.projects}
    units = {p.source: p.money_unit for d in site.departments for p in d.projects}
    return read_history(content, report, rev, frameworks, units)


def pdf_hint(problem: str) -> str | None:
    if ".notdef" in problem:
        return "no installed font has this character; check for a typo or a character from an unusual script"
    if "cannot use" in problem:
        return "PDFs may only use files inside the theme and content folders"
    return None
