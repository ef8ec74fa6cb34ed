"""The build, top to bottom: load -> validate -> check -> assemble -> render -> write.

`check_content` stops after the rules (what `python build.py check` runs);
`build_site` goes on only when no error was found, so a broken content folder
never reaches output/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .assemble import assemble_site
from .check import check_records
from .diagnostics import Pos, Report
from .history import read_history
from .model import Site
from .render_html import render_pages
from .feed import atom_feed
from .routes import routes
from .export import checksums, data_files, downloads_of
from .search import index_site
from .render_pdf import PDFError, render_pdfs, source_date
from .themes import load_theme
from .validate import validate_content
from .write import write_output

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_THEMES = PROJECT_ROOT / "themes"


@dataclass
class Result:
    report: Report
    site: Site | None  # None when content has errors
    files: int = 0


def check_content(content: Path, themes: Path = DEFAULT_THEMES, strict: bool = False) -> Result:
    report = Report()
    records = validate_content(content, report)
    plan = check_records(records, report, themes_dir=themes)
    if report.failed(strict) or records.site is None or records.site.values is None:
        return Result(report, None)
    return Result(report, assemble_site(records, plan))


def build_site(content: Path, output: Path, themes: Path = DEFAULT_THEMES, strict: bool = False,
               pdfs: bool = True, date: datetime | None = None, history_of: tuple[Path, str] | None = None) -> Result:
    """Check, render and write.

    `date` stamps the PDFs (default: SOURCE_DATE_EPOCH or the last commit); `history_of` is the
    folder in a git work tree and the revision whose history the pages show (default: `content`
    at HEAD; none outside git).
    """
    result = check_content(content, themes, strict)
    if result.site is None:
        return result
    theme = load_theme(themes, result.site.theme)
    documents: dict[str, bytes] = {}
    if pdfs:
        try:
            documents = render_pdfs(result.site, theme, content, date)
        except PDFError as exc:
            for problem in exc.problems:
                result.report.error(Pos(str(content / exc.job.source), 1, 1),
                                    f"cannot make the PDF of {exc.job.subject}: {problem}",
                                    pdf_hint(problem))
            result.site = None
            return result
    history = site_history(result.site, *(history_of or (content, "HEAD")), result.report)
    if strict and result.report.warnings:
        result.site = None
        return result
    date = date or source_date(content)
    data = data_files(result.site, date)
    pages = render_pages(result.site, theme, downloads_of({**documents, **data}), history)
    files = {**pages, **documents, **data, routes.feed: atom_feed(result.site, history, date)}
    write_output(files, output, content, finalize=finish_site)
    result.files = len(files)
    return result


def finish_site(staging: Path) -> None:
    """Steps that read the written site: the search index, then the checksums of everything."""
    index_site(staging)
    files = {p.relative_to(staging).as_posix(): p.read_bytes() for p in sorted(staging.rglob("*")) if p.is_file()}
    (staging / "SHA256SUMS").write_bytes(checksums(files))


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
