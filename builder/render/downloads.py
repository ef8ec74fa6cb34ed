"""Downloads as readers look for them: documents, each in the formats it was published in.

A document is what a reader asks for by its title (a project's 绩效目标表, its 自评表, a
department's volume); its formats are the files of it that this build made (PDF, Excel, CSV,
JSON), each with its size. The pages name a document by its title and its formats by their
names, never by file name: the file names and SHA-256 digests are on the verification page.
A format that was not built (`build --no-pdf`) is left out, and a document left with no
format is not listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from builder.content.model import Department, Project, Site
from builder.render.routes import routes

# The data files readers are offered beside a document, in this order: the workbook holds every
# table, the CSV is the indicator table (the one most want), the JSON every table for programs.
DATA_FORMATS = (("Excel", "data.xlsx"), ("CSV", "indicators.csv"), ("JSON", "data.json"))


@dataclass(frozen=True)
class Format:
    """One file of a document: `label` is what a link to it says (PDF, Excel, CSV, JSON)."""

    label: str
    path: str
    size: int | None  # None: not shown (below)
    # "department": the department's file, offered for one of its projects (which has no file of that
    # format of its own): it holds the project's rows among the other projects'. The theme says so. Its
    # size is not given there: it changes with every project of the department, and each of their pages
    # would be made again for it; data.html and the department's page give it.
    scope: str = ""


@dataclass(frozen=True)
class Document:
    """`kind` says which title the theme gives it: `volume` (a department's whole document),
    `annex` (a project's 绩效目标表), `evaluation` (its 自评表), `monitoring` (its 监控表) or `site`
    (the data of every department)."""

    kind: str
    formats: tuple[Format, ...]
    department: Department | None = None
    project: Project | None = None


@dataclass(frozen=True)
class ProjectDownloads:
    project: Project
    documents: tuple[Document, ...]


@dataclass(frozen=True)
class DepartmentDownloads:
    department: Department
    documents: tuple[Document, ...]  # its own: the volume with the department's data
    projects: tuple[ProjectDownloads, ...]


@dataclass(frozen=True)
class YearDownloads:
    year: int
    departments: tuple[DepartmentDownloads, ...]


def _formats(downloads: Mapping[str, Any], files: list[tuple[str, str]], scopes: Mapping[str, str] | None = None,
             ) -> tuple[Format, ...]:
    scopes = scopes or {}
    return tuple(Format(label, path, None if scopes.get(path) else downloads[path].size, scopes.get(path, ""))
                 for label, path in files if path in downloads)


def _documents(*candidates: Document) -> tuple[Document, ...]:
    return tuple(d for d in candidates if d.formats)


def project_documents(department: Department, project: Project, downloads: Mapping[str, Any],
                      department_excel: bool = False) -> tuple[Document, ...]:
    """A project's 绩效目标表 (PDF and its data), its 自评表 and its 监控表, those that were built.

    A project has no workbook of its own (its rows are in its department's, which has a project
    column): with `department_excel` (its own page) its 绩效目标表 offers the department's, marked
    as such (`Format.scope`); data.html lists that workbook once, under the department."""
    annex = [("PDF", routes.project_pdf(department, project)),
             *((label, routes.project_data(department, project, name)) for label, name in DATA_FORMATS)]
    scopes = {}
    if department_excel:
        workbook = routes.department_data(department, "data.xlsx")
        annex = [(label, workbook if label == "Excel" else path) for label, path in annex]
        scopes[workbook] = "department"
    return _documents(
        Document("annex", _formats(downloads, annex, scopes), department, project),
        Document("evaluation", _formats(downloads, [("PDF", routes.evaluation_pdf(department, project))]),
                 department, project),
        Document("monitoring", _formats(downloads, [("PDF", routes.monitoring_pdf(department, project))]),
                 department, project))


def department_documents(department: Department, downloads: Mapping[str, Any]) -> tuple[Document, ...]:
    """A department's volume (PDF) with the department's data, if any of it was built."""
    files = [("PDF", routes.volume_pdf(department)),
             *((label, routes.department_data(department, name)) for label, name in DATA_FORMATS)]
    return _documents(Document("volume", _formats(downloads, files), department))


def site_documents(downloads: Mapping[str, Any]) -> tuple[Document, ...]:
    """The data of every department and project in one set of files."""
    return _documents(Document("site", _formats(downloads, [(label, routes.site_data(name))
                                                             for label, name in DATA_FORMATS])))


def downloads_by_year(site: Site, downloads: Mapping[str, Any]) -> tuple[YearDownloads, ...]:
    """Every document of the site, newest year first, then by department and project as the site orders them."""
    years = []
    for year in site.years:
        departments = tuple(
            DepartmentDownloads(d, department_documents(d, downloads),
                                tuple(ProjectDownloads(p, project_documents(d, p, downloads)) for p in d.projects))
            for d in site.departments if d.year == year)
        years.append(YearDownloads(year, departments))
    return tuple(years)


_KB, _MB = 1024, 1024 * 1024


def file_size(size: int) -> str:
    """A file's size as Chinese government sites give it, in binary units as Windows shows them:
    `0.1 KB`, `8.5 KB`, `172 KB`, `1.2 MB`, `35 MB`: one decimal below 10, rounded half up, never
    0 for a file that has bytes."""
    if size <= 0:
        if size == 0:
            return "0 KB"
        raise ValueError(f"file_size: a size cannot be negative ({size})")
    unit, scale = ("KB", _KB) if size < _MB else ("MB", _MB)
    value = Decimal(size) / scale
    shown = max(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), Decimal("0.1"))
    if shown >= 10:
        shown = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if unit == "KB" and shown >= _KB:  # 1023.9 KB rounds to 1024 KB: that is 1.0 MB
        return file_size(_MB)
    return f"{shown} {unit}"
