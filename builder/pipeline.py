"""The build, top to bottom: load -> validate -> check -> assemble -> render -> write.

The first four run per department folder (departments.py), the last two per output (stages.py).

`check_content` stops after the rules (what `python build.py check` runs);
`build_site` goes on only when no error was found, so a broken content folder
never reaches output/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from builder.base import parallel
from builder.base.diagnostics import Diagnostic, Pos, Report, Severity
from builder.base.parallel import Serial
from builder.base.progress import Progress
from builder.cache.seal import KeyError_
from builder.cache.store import Cache, FileDigests, Manifest, build_options, fingerprint, output_state, up_to_date
from builder.publish.lock import OutputLock
from builder.publish.staging import check_output_folder, output_path, remove_leftovers

if TYPE_CHECKING:
    from builder.check.departments import CheckedCache
    from builder.content.model import Site
    from builder.history.revisions import History

# The stages themselves (validate, check, assemble; stages.py) are imported where they are used:
# a build with nothing to do answers from the cache without loading them, in a third of the time.

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
    checked: list[Path] | None = None  # department folders checked afresh (None: no cache, all of them)
    notices: list[Diagnostic] = field(default_factory=list)  # about the build itself (its cache), not content

    @property
    def ok(self) -> bool:
        return self.site is not None or self.up_to_date


def check_content(content: Path, themes: Path = DEFAULT_THEMES, strict: bool = False,
                  runner: parallel.Processes | None = None, known: CheckedCache | None = None) -> Result:
    """`runner`: a process pool to check departments on (parallel.Processes), or None for this
    process. `known`: departments checked by earlier builds (departments.CheckedCache)."""
    import dataclasses

    from builder.base.money import format_money
    from builder.check.departments import check_folders, folders_of
    from builder.check.rules import check_site_files, check_unique_codes
    from builder.content.assemble import assemble_site
    from builder.content.load import discover
    from builder.content.validate import Records, builtin_frameworks, read_files
    from builder.render.themes import check_site_theme

    report = Report()
    site_wide, folders = folders_of(discover(content, report))
    records = Records(root=content, frameworks=builtin_frameworks(report))
    for record in read_files(site_wide, report):
        if record.kind == "site":
            records.site = record
        else:
            records.frameworks.append(record)
    rules = check_site_files(records, report)
    check_site_theme(records.site, themes, report)
    checked = check_folders(folders, rules, content, runner, known)
    for result in checked:
        report.items.extend(result.findings)
    check_unique_codes([c.codes for c in checked], report)
    if report.failed(strict) or records.site is None or records.site.values is None:
        return Result(report, None)
    # One framework object per framework, not a copy per department read back from a pickle.
    departments = [d if rules.frameworks.get(d.framework.id) != d.framework else
                   dataclasses.replace(d, framework=rules.frameworks[d.framework.id])
                   for d in (c.department for c in checked) if d is not None]
    site = assemble_site(records.site.values, departments)
    summary = [f"{len(d.projects)} projects, {d.indicator_count} indicators, total "
               f"{format_money(d.total, d.money_unit)} ({d.name} {d.year})" for d in site.departments]
    if len(summary) > SUMMARY_DEPARTMENTS:  # a city's or a province's site: one line, not hundreds
        summary = [f"{len(site.departments):,} departments, {len(site.projects):,} projects, "
                   f"{site.total_indicators:,} indicators"]
    return Result(report, site, summary=summary)


SUMMARY_DEPARTMENTS = 5


def build_site(content: Path, output: Path, themes: Path = DEFAULT_THEMES, strict: bool = False,
               pdfs: bool = True, date: datetime | None = None, history_of: tuple[Path, str] | None = None,
               cache: Path | None = None, runner: parallel.Runner | None = None, progress: Progress | None = None) -> Result:
    """Check, render what changed, write.

    `date` stamps the PDFs (default: SOURCE_DATE_EPOCH or the last commit); `history_of` is the
    folder in a git work tree and the revision whose history the pages show (default: `content`
    at HEAD; none outside git). `cache`: the build cache folder (cache.py), None for a full build
    that remembers nothing. `runner`: where rendering runs (parallel.py; default this process).

    Nothing is created, the cache included, before the output folder is accepted; then the
    build holds the output's lock (lock.py) until the new output is in place.
    """
    progress = progress or Progress(enabled=False)
    check_output_folder(output, content)
    output = output_path(output)  # one name for the folder from here on
    output.parent.mkdir(parents=True, exist_ok=True)
    with OutputLock(output, on_wait=progress.note):
        notices: list[Diagnostic] = []
        store = open_cache(cache, content, output, notices)
        result = _build_locked(content, output, themes, strict, pdfs, date, history_of, store, runner, progress)
        if store and store.rejected:
            notices.append(Diagnostic(Severity.WARNING, Pos(str(store.folder), 1, 1),
                                      f"{store.rejected} file{'s' * (store.rejected != 1)} of the build cache "
                                      "were not sealed by this user's gongkai (damaged, or copied from elsewhere); "
                                      "they were ignored and their outputs made again",
                                      "nothing from them was used; delete the cache folder to silence this"))
        result.notices = notices + result.notices
        return result


def open_cache(cache: Path | None, content: Path, output: Path, notices: list) -> "Cache | None":
    """The build cache, accepted (or CacheError); None without one, or when this user's key
    cannot be kept (a warning: the build goes on, making everything)."""
    if cache is None:
        return None
    try:
        return Cache.open(cache, content, output)
    except KeyError_ as exc:
        notices.append(Diagnostic(Severity.WARNING, Pos(str(cache), 1, 1), f"{exc}; building without the cache",
                                  "set XDG_CONFIG_HOME to a folder of yours, or pass --no-cache"))
        return None


def _build_locked(content: Path, output: Path, themes: Path, strict: bool, pdfs: bool, date: datetime | None,
                  history_of: tuple[Path, str] | None, store: Cache | None, runner: parallel.Runner | None,
                  progress: Progress) -> Result:
    manifest = store.load() if store else Manifest()
    digests = FileDigests(manifest.stats)
    options = build_options(content, output, themes, pdfs, strict, date, history_of)
    print_ = fingerprint(digests, content, themes, options) if store else ""
    if store and up_to_date(manifest, print_, output):
        remove_leftovers(output)  # what a killed build left beside it
        return Result(manifest.findings(), None, manifest.files, up_to_date=True, summary=manifest.summary)

    runner = runner or Serial()
    known = checked_cache(store, digests, content) if store else None
    result = check_content(content, themes, strict, runner if isinstance(runner, parallel.Processes) else None, known)
    if known:
        known.prune()
        result.checked = known.checked
    if result.site is None:
        return result
    site = result.site
    history = site_history(site, *(history_of or (content, "HEAD")), result.report)
    if strict and result.report.warnings:
        result.site = None
        return result
    from builder.publish import make as stages

    if store:  # only now: content with errors never reads it, and the check's workers never inherit it
        store.load_outputs(manifest)
    build = stages.make(site, content, output, themes, pdfs, date, history, digests, manifest, store, runner,
                        progress)
    if build.problems:
        for job, problems in build.problems:
            for problem in problems:
                result.report.error(Pos(str(content / job.source), 1, 1),
                                    f"cannot make the PDF of {job.subject}: {problem}", pdf_hint(problem))
        result.site = None
        return result
    result.files = len(build.staging.hashes) + 1  # and SHA256SUMS
    result.rendered = build.rendered
    if store:
        manifest.fingerprint = print_
        manifest.output_inode = output.stat().st_ino
        manifest.written = output_state(output, build.outputs)
        manifest.files = result.files
        manifest.report = [[d.severity.value, *d.pos, d.message, d.hint] for d in result.report.items]
        manifest.summary = result.summary
        manifest.outputs = build.outputs
        manifest.marked = sorted(build.marked)
        manifest.stats = digests.seen
        store.prune_parts(build.parts_used)
        store.prune_rows(build.rows_used)
        store.save(manifest)
    del build.staging  # its record of every path written goes before the list of reused ones is made
    result.reused = build.reused
    return result


def checked_cache(store: Cache, digests: FileDigests, content: Path) -> CheckedCache:
    """Departments checked by earlier builds, valid while the builder, site.yaml and the content's
    frameworks are what they were then."""
    from builder.cache.store import builder_files, digest
    from builder.check.departments import CheckedCache

    site_files = [content / "site.yaml", *sorted((content / "frameworks").glob("*.yaml"))]
    context = digest(*(f"{p}:{digests.of(p)}" for p in [*builder_files(), *(p for p in site_files if p.is_file())]))
    return CheckedCache(store, context, digests.of)


def site_history(site: Site, content: Path, rev: str, report: Report) -> History | None:
    from builder.history.revisions import read_history

    frameworks = {p.source: d.framework for d in site.departments for p in d.projects}
    units = {p.source: p.money_unit for d in site.departments for p in d.projects}
    return read_history(content, report, rev, frameworks, units)


def pdf_hint(problem: str) -> str | None:
    if ".notdef" in problem:
        return "no installed font has this character; check for a typo or a character from an unusual script"
    if "cannot use" in problem:
        return "PDFs may only use files inside the theme and content folders"
    return None
