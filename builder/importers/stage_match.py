"""Which project (or department) of the content folder a stage form reports on: by code, then by name.

The form's 项目名称 is often `CODE-名称` (or the code has a cell of its own, 项目编码). A code that
is a project's code decides; else a name that is a project's name (whitespace and full width
aside) does. A form that matches no project, or projects of several years that its year or
unit does not tell apart, is reported at its 项目名称 cell with the nearest code or name as a
hint, and nothing is written for it. A 部门整体支出绩效自评表 is matched the same way to a
department of its year, by its 单位名称 (else its 主管部门) cell, also often `CODE-名称`.
"""

from __future__ import annotations

import re

from builder.base.names import fold
from builder.base.suggest import did_you_mean
from builder.content.stage_rows import key
from builder.importers.errors import ImportProblem
from builder.importers.existing import Candidate, Unit
from builder.importers.imported import Note
from builder.importers.sources import Cell
from builder.importers.stage_forms import StageForm

# 130229214I5FK2QU161C5-玉财建…, 51000021R000000019951—工资性支出: a code glued to its name.
_GLUED = re.compile(r"^([0-9A-Za-z]{6,})\s*[-—－–_:：]\s*(.+)$", re.S)


class UnmatchedForm(ImportProblem):
    """A stage form whose project is not in the content folder."""


def split_code(text: str) -> tuple[str | None, str]:
    """(code, name) of a `CODE-名称` cell; (None, text) when no code is glued to it."""
    glued = _GLUED.match(text.strip())
    return (glued.group(1), glued.group(2).strip()) if glued else (None, text.strip())


def find_project(form: StageForm, candidates: list[Candidate], year: int | None, notes: list[Note],
                 note_key: str) -> Candidate:
    """The project `form` reports on, or UnmatchedForm naming the form's 项目名称 cell."""
    name_cell = form.cells.get("project") or form.cells.get("code") or Cell("", form.title.where)
    code, name = split_code(form.cells["project"].text) if "project" in form.cells else (None, "")
    if "code" in form.cells:
        code = split_code(form.cells["code"].text)[0] or form.cells["code"].text.strip()
    wanted_year = year if year is not None else form.year
    pool = [c for c in candidates if wanted_year is None or c.year == wanted_year]
    hits = [c for c in pool if code and c.code == code] or [c for c in pool if code and fold(c.code) == fold(code)]
    by_name = not hits
    if by_name and name:
        hits = [c for c in pool if key(c.name) == key(name)]
    if len(hits) > 1:
        hits = _by_unit(form, hits) or hits
    if len(hits) > 1:
        raise UnmatchedForm(name_cell.where, f"`{name_cell.text}` is a project of several departments or years: "
                            + ", ".join(f"{c.folder}/projects/{c.code}.yaml" for c in hits),
                            "give the year with --year, or import into a content folder with only one of them")
    if not hits:
        what = " or ".join(part for part in (f"the code `{code}`" if code else "",
                                              f"the name `{name}`" if name else "") if part) or "a 项目名称"
        in_year = f" of {wanted_year}" if wanted_year is not None and candidates else ""
        other_years = sorted({str(c.year) for c in candidates if c not in pool and
                              ((code and c.code == code) or (name and key(c.name) == key(name)))})
        hint = (f"the project is in {', '.join(other_years)}: give that year with --year" if other_years else None) or \
            (did_you_mean(code, [c.code for c in pool]) if code else None) or \
            (did_you_mean(name, [c.name for c in pool]) if name else None) or \
            ("the content folder has no projects; import the 绩效目标表 first" if not candidates else
             "import the project's 绩效目标表 first, or give the content folder it belongs to with --out")
        raise UnmatchedForm(name_cell.where, f"no project{in_year} in the content folder has {what}; "
                            f"the {_word(form.kind)} was not imported", hint)
    project = hits[0]
    if by_name and code:
        notes.append(Note(note_key, f"no project has the code `{code}`; matched by its name to project "
                          f"{project.code}", name_cell.where, level="warning",
                          hint=f"correct the code in the form to {project.code}"))
    elif name and key(name) != key(project.name):
        notes.append(Note(note_key, f"the form calls project {project.code} `{name}`", name_cell.where))
    return project


def _by_unit(form: StageForm, hits: list[Candidate]) -> list[Candidate]:
    """The candidates whose department the form's 实施单位 or 主管部门 names (by code or name)."""
    named = []
    for label in ("unit", "department"):
        cell = form.cells.get(label)
        if cell is not None:
            code, name = split_code(cell.text)
            named += [c for c in hits if c.department == code or key(c.department_name) == key(name)]
    return named


def _word(kind: str) -> str:
    return "self-evaluation (绩效自评表)" if kind == "evaluation" else "monitoring round (绩效目标执行监控表)"


def find_department(form: StageForm, units: tuple[Unit, ...], year: int | None, notes: list[Note],
                    note_key: str) -> Unit:
    """The department a 部门整体 form is about, or UnmatchedForm naming its 单位名称 cell."""
    cell = form.cells.get("unit") or form.cells.get("department") or form.cells.get("code")
    if cell is None:
        raise UnmatchedForm(form.title.where, "the department-wide self-evaluation names no unit (单位名称 or "
                            "主管部门); it was not imported", "add the unit's cell, e.g. 单位名称 | 304001-单位名称")
    code, name = split_code(cell.text)
    if "code" in form.cells:
        code = split_code(form.cells["code"].text)[0] or form.cells["code"].text.strip()
    elif code is None and re.fullmatch(r"[0-9A-Za-z]{3,}", name):
        code, name = name, ""  # a cell of the code alone
    wanted_year = year if year is not None else form.year
    pool = [u for u in units if wanted_year is None or u.year == wanted_year]
    hits = [u for u in pool if code and fold(u.code) == fold(code)]
    by_name = not hits
    if by_name and name:
        hits = [u for u in pool if key(u.name) == key(name)]
    if len(hits) > 1:
        raise UnmatchedForm(cell.where, f"`{cell.text}` is a department of several years: "
                            + ", ".join(f"{u.folder}/department.yaml" for u in hits),
                            "give the year with --year, or write it in the form's title (2022年度)")
    if not hits:
        what = " or ".join(part for part in (f"the code `{code}`" if code else "",
                                              f"the name `{name}`" if name else "") if part)
        in_year = f" of {wanted_year}" if wanted_year is not None and units else ""
        other_years = sorted({str(u.year) for u in units if u not in pool and
                              ((code and fold(u.code) == fold(code)) or (name and key(u.name) == key(name)))})
        hint = (f"the department is in {', '.join(other_years)}: give that year with --year" if other_years
                else None) or \
            (did_you_mean(code, [u.code for u in pool]) if code else None) or \
            (did_you_mean(name, [u.name for u in pool]) if name else None) or \
            ("the content folder has no departments; import the department's 绩效目标 first" if not units else
             "import the department's 绩效目标 first, or give the content folder it belongs to with --out")
        raise UnmatchedForm(cell.where, f"no department{in_year} in the content folder has {what}; "
                            "the department-wide self-evaluation (部门整体支出绩效自评表) was not imported", hint)
    unit = hits[0]
    if by_name and code:
        notes.append(Note(note_key, f"no department has the code `{code}`; matched by its name to department "
                          f"{unit.code}", cell.where, level="warning", hint=f"correct the code in the form to {unit.code}"))
    elif name and key(name) != key(unit.name):
        notes.append(Note(note_key, f"the form calls department {unit.code} `{name}`", cell.where))
    return unit
