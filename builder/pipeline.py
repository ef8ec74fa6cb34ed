"""The build, top to bottom (`build`): the content tree -> nothing changed? -> check -> history
-> make -> record in the cache, with one immutable BuildContext (publish/context.py).

Checking (load, validate, check, assemble) runs per department folder (check/departments.py);
making runs per output kind (publish/make.py).

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
from builder.base.messages import Message, msg, verbatim
from builder.base.parallel import Serial
from builder.base.progress import Progress
from builder.cache.digests import FileDigests
from builder.cache.manifest import Manifest, up_to_date
from builder.cache.manifest import fingerprint as build_fingerprint
from builder.cache.seal import KeyError_
from builder.cache.store import Cache
from builder.publish.context import Options
from builder.publish.lock import OutputLock
from builder.publish.staging import check_output_folder, output_path, remove_leftovers

if TYPE_CHECKING:
    from builder.check.departments import CheckedCache
    from builder.content.model import Site
    from builder.content.tree import ContentFiles
    from builder.history.revisions import History
    from builder.publish.context import BuildContext

# The stages themselves (validate, check, assemble, make) are imported where they are used:
# a build with nothing to do answers from the cache without loading them, in a third of the time.

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_THEMES = PROJECT_ROOT / "themes"


@dataclass
class Result:
    report: Report
    site: Site | None  # None when content has errors (or when nothing was rebuilt: up_to_date)
    files: int = 0
    up_to_date: bool = False  # nothing changed since the last build: output/ was left as it was
    summary: list[Message] = field(default_factory=list)  # one line per department
    previous: Report | None = None  # the findings of the build before (from the cache), to say what is new
    rendered: set[str] = field(default_factory=set)  # output paths made by this build
    reused: set[str] = field(default_factory=set)  # output paths kept from the last build
    checked: list[Path] | None = None  # department folders checked afresh (None: no cache, all of them)
    notices: list[Diagnostic] = field(default_factory=list)  # about the build itself (its cache), not content

    @property
    def ok(self) -> bool:
        return self.site is not None or self.up_to_date


def check_content(content: Path, themes: Path = DEFAULT_THEMES, strict: bool = False,
                  runner: parallel.Processes | None = None, known: CheckedCache | None = None,
                  files: ContentFiles | None = None) -> Result:
    """`runner`: a process pool to check departments on (parallel.Processes), or None for this
    process. `known`: departments checked by earlier builds (departments.CheckedCache). `files`:
    the content's files as the build walked them (content/tree.py); walked here if None."""
    import dataclasses

    from builder.base.money import format_money
    from builder.check.category_drift import lint_across_years
    from builder.check.departments import check_folders, folders_of
    from builder.check.rules import check_site_files, check_unique_codes
    from builder.content.assemble import assemble_site
    from builder.content.pages import read_pages
    from builder.content.scoring import content_profiles
    from builder.content.tree import ContentFiles
    from builder.content.validate import Records, builtin_frameworks, read_files
    from builder.render.annex_forms import check_forms
    from builder.render.themes import check_site_theme

    report = Report()
    files = files or ContentFiles.walk(content)
    report.items.extend(files.problems)
    site_wide, folders = folders_of(list(files.documents))
    records = Records(root=content, frameworks=builtin_frameworks(report))
    records.profiles = content_profiles([path for path, kind in site_wide if kind == "scoring"], report)
    for record in read_files([(path, kind) for path, kind in site_wide if kind != "scoring"], report):
        if record.kind == "site":
            records.site = record
        else:
            records.frameworks.append(record)
    rules = check_site_files(records, report)
    pages, notice = read_pages(list(files.pages), content, report)
    theme = check_site_theme(records.site, themes, report, (known.store, known.context) if known else None)
    checked = check_folders(folders, rules, content, runner, known)
    for result in checked:
        report.items.extend(result.findings)
    check_forms(theme, records.site, [result.form for result in checked], report)
    check_unique_codes([c.codes for c in checked], report)
    lint_across_years((c.codes.filed for c in checked), report)
    if report.failed(strict) or records.site is None or records.site.values is None:
        return Result(report, None)
    # One framework object per framework, not a copy per department read back from a pickle.
    departments = [d if rules.frameworks.get(d.framework.id) != d.framework else
                   dataclasses.replace(d, framework=rules.frameworks[d.framework.id])
                   for d in (c.department for c in checked) if d is not None]
    site = assemble_site(records.site.values, departments, pages, notice)
    summary = [msg("pipeline.department_summary", projects=len(d.projects), indicators=d.indicator_count,
                   total=format_money(d.total, d.money_unit), name=d.name, year=d.year) for d in site.departments]
    if len(summary) > SUMMARY_DEPARTMENTS:  # a city's or a province's site: one line, not hundreds
        summary = [msg("pipeline.site_summary", departments=len(site.departments), projects=len(site.projects),
                       indicators=site.total_indicators)]
    return Result(report, site, summary=summary)


SUMMARY_DEPARTMENTS = 5


def build_site(content: Path, output: Path, themes: Path = DEFAULT_THEMES, strict: bool = False,
               pdfs: bool = True, date: datetime | None = None, history_of: tuple[Path, str] | None = None,
               cache: Path | None = None, runner: parallel.Runner | None = None, progress: Progress | None = None) -> Result:
    """Check, render what changed, write.

    `date` stamps the outputs (default: decided by the content tree, history/tree.py); `history_of`
    is the folder in a git work tree and the revision whose history the pages show (default:
    `content` at HEAD; none outside git). `cache`: the build cache folder (cache/), None for a full
    build that remembers nothing. `runner`: where the work runs (parallel.py; default this process).

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
        options = Options(pdfs=pdfs, strict=strict, date=date, history_of=history_of)
        result = build(content, output, themes, options, store, runner or Serial(), progress)
        if store and store.rejected:
            notices.append(Diagnostic(Severity.WARNING, Pos(str(store.folder), 1, 1),
                                      msg("pipeline.cache_rejected", count=store.rejected)))
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
        notices.append(Diagnostic(Severity.WARNING, Pos(str(cache), 1, 1), msg("pipeline.cache_without_key",
                                                                               problem=exc_words(exc))))
        return None


def build(content: Path, output: Path, themes: Path, options: Options, store: Cache | None, runner: parallel.Runner,
          progress: Progress) -> Result:
    """The recipe, in the output's lock: the tree -> nothing changed? -> check -> history -> make -> record."""
    from builder.history.git import GitError
    from builder.history.tree import ContentTree
    from builder.publish.context import BuildContext

    manifest = store.load() if store else Manifest()
    try:
        tree = ContentTree.read(content, FileDigests(manifest.stats), options.date, options.history_of)
    except GitError as exc:
        return git_failed(content, exc)
    context = BuildContext(content, output, themes, options, tree, store, runner, progress)
    print_ = fingerprint(context) if store else ""
    if store and up_to_date(manifest, print_, output):
        remove_leftovers(output)  # what a killed build left beside it
        findings = manifest.findings()
        return Result(findings, None, manifest.files, up_to_date=True, summary=manifest.summaries(),
                      previous=findings)

    result = check(context)
    result.previous = manifest.findings() if manifest.fingerprint else None
    if result.site is None:
        return result
    try:
        history = site_history(context, result.site, result.report)
    except GitError as exc:
        return git_failed(content, exc, result.report)
    if options.strict and result.report.warnings:
        result.site = None
        return result

    from builder.publish import make
    from builder.render.themes import load_theme

    context = context.with_theme(load_theme(themes, result.site.theme, result.site.overrides))
    if store:  # only now: content with errors never reads it, and the check's workers never inherit it
        store.load_outputs(manifest)
    made = make.make(context, result.site, history, manifest)
    if made.problems or made.failures:
        result.report.items.extend(made.failures)
        for job, problems in made.problems:
            for problem in problems:
                result.report.error(Pos(str(content / job.source), 1, 1),
                                    msg("pipeline.pdf_failed", subject=job.said, problem=problem),
                                    pdf_hint(problem.text("en")))
        result.site = None
        return result
    result.files = len(made.staging.hashes) + 1  # and SHA256SUMS
    result.rendered = made.rendered
    if store:
        store.record(manifest, output, fingerprint=print_, outputs=made.outputs, marked=made.marked,
                     stats=tree.files.digests.seen, files=result.files, report=result.report.items,
                     summary=result.summary, parts_used=made.parts_used, rows_used=made.rows_used)
    del made.staging  # its record of every path written goes before the list of reused ones is made
    result.reused = made.reused
    return result


def fingerprint(context: BuildContext) -> str:
    """Everything the build's output depends on, as one key (cache/manifest.py)."""
    options = context.options
    recorded = dict(pdfs=options.pdfs, strict=options.strict, content=context.content, output=context.output,
                    themes=context.themes, date=context.tree.date.isoformat(), history_of=options.history_of,
                    head=context.tree.head)
    return build_fingerprint(context.tree.files.digests, context.themes, context.tree.files.files, recorded)


def check(context: BuildContext) -> Result:
    """check_content on the build's tree, remembering departments checked by earlier builds."""
    runner = context.runner if isinstance(context.runner, parallel.Processes) else None
    known = checked_cache(context, context.cache) if context.cache else None
    result = check_content(context.content, context.themes, context.options.strict, runner, known,
                           files=context.tree.files)
    if known:
        known.prune()
        result.checked = known.checked
    return result


def git_failed(content: Path, exc: Exception, report: Report | None = None) -> Result:
    report = report or Report()
    report.error(Pos(str(content), 1, 1), exc_words(exc), msg("pipeline.git_failed_hint"))
    return Result(report, None)


def checked_cache(context: BuildContext, store: Cache) -> CheckedCache:
    """Departments checked by earlier builds, valid while the builder, site.yaml and the content's
    frameworks are what they were then."""
    from builder.cache.digests import builder_files, digest
    from builder.check.departments import CheckedCache

    files = context.tree.files
    context_key = digest(*(f"{p}:{files.digest(p)}" for p in [*builder_files(), *files.site_files()]))
    return CheckedCache(store, context_key, files.digest)


def site_history(context: BuildContext, site: Site, report: Report) -> History | None:
    """The pages' 修订记录: None outside git; GitError when git fails."""
    reader = context.tree.history
    if reader is None:
        return None
    from builder.history.versions import StageContext

    frameworks = {p.source: d.framework for d in site.departments for p in d.projects}
    frameworks.update({d.source: d.framework for d in site.departments})  # its 部门整体支出绩效目标表's rows
    units = {p.source: p.money_unit for d in site.departments for p in d.projects}
    stages = {}  # each stage file read against its project's targets of the time, scored by its profile as now
    for d in site.departments:
        if d.evaluation is not None:
            stages[d.evaluation.source] = StageContext("部门整体", None, None, d.evaluation.profile, d.framework,
                                                       d.money_unit)
        for p in d.projects:
            for stage in (p.monitoring, p.evaluation):
                if stage is not None:
                    stages[stage.source] = StageContext(p.name, p, p.source, p.evaluation.profile if p.evaluation
                                                        else None, d.framework, p.money_unit)
    where = context.options.history_of[0] if context.options.history_of else context.content
    return reader.read(report, where, frameworks, units, stages)


def pdf_hint(problem: str) -> Message | None:
    if ".notdef" in problem:
        return msg("pipeline.pdf_missing_glyph_hint")
    if "cannot use" in problem:
        return msg("pipeline.pdf_outside_file_hint")
    return None


def exc_words(exc: Exception) -> Message:
    """What a refusal says: its catalogue message when it is gongkai's (BuildError), else its own words."""
    said = getattr(exc, "said", None)
    return said if isinstance(said, Message) else verbatim(str(exc))
