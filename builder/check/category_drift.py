"""Lint: the same indicator filed under different categories (一级/二级), in a department and across years.

One 三级 indicator belongs under one 二级: `示范县电商典型案例与做法得到宣传推广` under 可持续影响指标 in
one project and under 生态效益指标 in the next is a slip a reviewer looks for. Names are compared
folded (indicator_columns.fold_name), so spacing, punctuation and a `（%）` do not hide one.

- In a department, every table is compared (the department-wide one first, then the projects in
  their order): a row filed otherwise than the name's first filing is a warning at the row, naming
  where the first one is. Two rows of one table are the repeated-row rule's (indicator_columns.py).
- Across years, the same project code's tables: departments are checked one at a time, so each hands
  up a small summary of its projects' filings (rules.Codes), compared site-wide afterwards
  (lint_across_years), each year against the year before it under the same framework.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from builder.base.diagnostics import Pos, Report
from builder.base.messages import Message, msg
from builder.check.indicator_columns import fold_name
from builder.content.fields import Values
from builder.content.frameworks import Framework, resolve_rows


class Filing(NamedTuple):
    """Where one row files its indicator: its name as written and its canonical 一级/二级."""

    name: str
    level1: str
    level2: str
    line: int
    col: int


class Filed(NamedTuple):
    """One project's filings in one year, as a checked department hands them up (rules.Codes)."""

    year: int
    code: str
    framework: str
    path: str
    rows: tuple[Filing, ...]


def filings(table: Values, framework: Framework) -> tuple[str, tuple[Filing, ...]] | None:
    """The rows of a table (a project, or the `whole` table) whose categories the framework knows,
    with the table's file; None when its rows failed validation."""
    if not table.ok("indicators"):
        return None
    rows = [v if v else None for v in table.get("indicators")]
    found = []
    for values, row in zip(rows, resolve_rows(rows, framework), strict=True):
        if values is None or row is None or not values.ok("name"):
            continue
        level1, level2 = row.level1_match.category, row.level2_match.category
        if level1 is not None and level2 is not None:
            pos = values.where("name")
            found.append(Filing(values.get("name"), level1.name, level2.name, pos.line, pos.col))
    return table.at.path, tuple(found)


def lint_category_drift(department: Values, projects: list[Values], framework: Framework,
                        report: Report) -> tuple[Filed, ...]:
    """Warn where a department files one indicator under two categories; return its projects' filings
    for the comparison across years."""
    tables: list[tuple[Message, str, tuple[Filing, ...]]] = []  # (how a message names it, path, rows)
    if department.ok("whole") and department.get("whole"):
        found = filings(department.get("whole"), framework)
        if found is not None:
            tables.append((msg("category_drift.whole_table"), *found))
    handed_up = []
    for project in projects:
        found = filings(project, framework)
        if found is None:
            continue
        code = project.get("code") if project.ok("code") else None
        tables.append((msg("category_drift.project", code=code) if code else msg("category_drift.another_project"),
                       *found))
        if code is not None and department.ok("year"):
            handed_up.append(Filed(department.get("year"), code, framework.id, *found))
    first: dict[str, tuple[int, Filing]] = {}  # folded name: (table index, its first filing)
    for index, (_, path, rows) in enumerate(tables):
        for filing in rows:
            key = fold_name(filing.name)
            if key not in first:
                first[key] = (index, filing)
                continue
            other_index, other = first[key]
            if other_index != index and (other.level1, other.level2) != (filing.level1, filing.level2):
                label, other_path, _ = tables[other_index]
                report.warning(Pos(path, filing.line, filing.col),
                               msg("category_drift.filed_otherwise", name=filing.name, here=_categories(filing, other),
                                   there=_categories(other, filing), table=label,
                                   where=f"{_near(other_path, path)}:{other.line}"))
    return tuple(handed_up)


def lint_across_years(summaries: Iterable[tuple[Filed, ...]], report: Report) -> None:
    """The same project code in other years: each year's rows against the year before's, where both
    follow the same framework (a department that changed framework moved its categories on purpose)."""
    by_code: dict[str, list[Filed]] = {}
    for summary in summaries:
        for filed in summary:
            by_code.setdefault(filed.code, []).append(filed)
    for years in by_code.values():
        years.sort(key=lambda filed: filed.year)
        for before, after in zip(years, years[1:], strict=False):
            if before.year == after.year or before.framework != after.framework:
                continue
            earlier: dict[str, Filing] = {}
            for filing in before.rows:
                earlier.setdefault(fold_name(filing.name), filing)
            for filing in after.rows:
                other = earlier.get(fold_name(filing.name))
                if other is not None and (other.level1, other.level2) != (filing.level1, filing.level2):
                    report.warning(Pos(after.path, filing.line, filing.col),
                                   msg("category_drift.filed_otherwise_before", name=filing.name,
                                       here=_categories(filing, other), there=_categories(other, filing),
                                       year=before.year, where=f"{_near(before.path, after.path)}:{other.line}"))


def _categories(filing: Filing, other: Filing) -> str:
    # The 二级 alone says it when both rows share their 一级.
    return filing.level2 if filing.level1 == other.level1 else f"{filing.level1}/{filing.level2}"


def _near(path: str, seen_from: str) -> str:
    """`path` as a reader of `seen_from` finds it: from the department folder (projects/P001.yaml,
    department.yaml), or from the content folder for another year's (2021/304001/projects/P001.yaml)."""
    target, here = Path(path), Path(seen_from)
    folder = target.parent.parent if target.parent.name == "projects" else target.parent
    here_folder = here.parent.parent if here.parent.name == "projects" else here.parent
    if folder == here_folder:
        return target.relative_to(folder).as_posix()
    return target.relative_to(folder.parent.parent).as_posix()
