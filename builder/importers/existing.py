"""The departments and projects a stage form can belong to: those of the content folder it is imported into.

A monitoring or self-evaluation file sits beside its project's approved targets, and a department's
own self-evaluation beside its department.yaml, so import reads the content folder's department and
project files (with the content's own reader and schema) and keeps what a form is matched and
interpreted against: of each department its folder, year, code, name and money unit; of each project
its code and name, money unit, approved indicators (一级 and 二级 carried down their merged
cells), goals and the scoring profile its self-evaluation is scored with. A file that does not
read is skipped here; `check`, which runs after the import, says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.base.diagnostics import Report
from builder.content.fields import Values
from builder.content.targets import Target
from builder.content.tree import discover
from builder.content.validate import read_files

DEFAULT_PROFILE = "default"


@dataclass(frozen=True)
class ApprovedRow:
    level1: str
    level2: str
    name: str
    target: Target | None  # None when it did not read


@dataclass(frozen=True)
class Unit:
    """A department of the content folder: what its department-wide self-evaluation is matched to."""

    folder: str  # the department folder under the content folder: 2022/304001
    year: int
    code: str
    name: str
    money_unit: str


@dataclass(frozen=True)
class Candidate:
    folder: str  # the department folder under the content folder: 2022/304001
    year: int
    department: str  # the unit's code
    department_name: str
    code: str
    name: str
    money_unit: str
    indicators: tuple[ApprovedRow, ...]
    goals: tuple[str, ...]
    profile: str  # the scoring profile in force for the department's self-evaluations


@dataclass(frozen=True)
class Existing:
    departments: tuple[Unit, ...]
    projects: tuple[Candidate, ...]


def existing_content(root: Path) -> Existing:
    if not root.is_dir():
        return Existing((), ())
    report = Report()  # what is wrong with the content is check's to say, after the import
    found = [(path, kind) for path, kind in discover(root, report) if kind in ("site", "department", "project")]
    records = read_files(found, report)
    site = next((r.values for r in records if r.kind == "site" and r.values is not None), None)
    departments = {r.path.parent: r.values for r in records if r.kind == "department" and r.values is not None}
    units = tuple(Unit(folder=folder.relative_to(root).as_posix(), year=values.get("year"), code=values.get("code"),
                       name=values.get("name", ""), money_unit=values.get("money_unit") or "元")
                  for folder, values in departments.items() if values.ok("year", "code"))
    candidates = []
    for record in records:
        values = record.values
        if record.kind != "project" or values is None or not values.ok("code", "name", "indicators"):
            continue
        department = departments.get(record.path.parent.parent)
        if department is None or not department.ok("year", "code"):
            continue
        year = department.get("year")
        candidates.append(Candidate(
            folder=record.path.parent.parent.relative_to(root).as_posix(), year=year,
            department=department.get("code"), department_name=department.get("name", ""),
            code=values.get("code"), name=values.get("name"),
            money_unit=values.get("money_unit") or department.get("money_unit") or "元",
            indicators=_approved(values.get("indicators")), goals=tuple(values.get("goals") or ()),
            profile=_profile(site, department, year)))
    return Existing(units, tuple(candidates))


def _approved(rows: list) -> tuple[ApprovedRow, ...]:
    approved = []
    level1 = level2 = ""
    for row in rows:
        if not isinstance(row, Values) or not row.ok("name"):
            continue
        level1 = row.get("level1") or level1  # a blank 一级/二级 continues the merged cell above
        level2 = row.get("level2") or level2
        approved.append(ApprovedRow(level1, level2, row.get("name"), row.get("target")))
    return tuple(approved)


def _profile(site: Values | None, department: Values, year: int) -> str:
    if department.ok("scoring"):
        return department.get("scoring")
    if site is not None:
        for chosen in site.get("scoring_by_year") or ():
            if isinstance(chosen, Values) and chosen.get("year") == year and chosen.ok("scoring"):
                return chosen.get("scoring")
        if site.ok("scoring"):
            return site.get("scoring")
    return DEFAULT_PROFILE

