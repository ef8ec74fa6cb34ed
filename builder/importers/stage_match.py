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

from builder.base.messages import Message, msg
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
        files = ", ".join(f"{c.folder}/projects/{c.code}.yaml" for c in hits)
        raise UnmatchedForm(name_cell.where, msg("stage_match.several_projects", name=name_cell.text, files=files))
    if not hits:
        in_year = msg("stage_match.of_year", year=wanted_year) if wanted_year is not None and candidates else ""
        other_years = sorted({str(c.year) for c in candidates if c not in pool and
                              ((code and c.code == code) or (name and key(c.name) == key(name)))})
        hint = (msg("stage_match.project_in_year", years=", ".join(other_years)) if other_years else None) or \
            (did_you_mean(code, [c.code for c in pool]) if code else None) or \
            (did_you_mean(name, [c.name for c in pool]) if name else None) or \
            (msg("stage_match.no_projects") if not candidates else msg("stage_match.import_targets_first"))
        raise UnmatchedForm(name_cell.where, msg("stage_match.no_project", in_year=in_year,
                                                 what=_what(code, name) or msg("stage_match.a_name"),
                                                 form=_word(form.kind)), hint)
    project = hits[0]
    if by_name and code:
        notes.append(Note(note_key, msg("stage_match.project_by_name", code=code, project=project.code),
                          name_cell.where, level="warning"))
    elif name and key(name) != key(project.name):
        notes.append(Note(note_key, msg("stage_match.project_called", project=project.code, name=name),
                          name_cell.where))
    return project


def _what(code: str | None, name: str) -> Message | str:
    """What a form names its project or department by, as the refusal says it ("" for nothing)."""
    if code and name:
        return msg("stage_match.code_or_name", code=code, name=name)
    if code:
        return msg("stage_match.the_code", code=code)
    return msg("stage_match.the_name", name=name) if name else ""


def _by_unit(form: StageForm, hits: list[Candidate]) -> list[Candidate]:
    """The candidates whose department the form's 实施单位 or 主管部门 names (by code or name)."""
    named = []
    for label in ("unit", "department"):
        cell = form.cells.get(label)
        if cell is not None:
            code, name = split_code(cell.text)
            named += [c for c in hits if c.department == code or key(c.department_name) == key(name)]
    return named


def _word(kind: str) -> Message:
    return msg("stage_match.evaluation") if kind == "evaluation" else msg("stage_match.monitoring")


def find_department(form: StageForm, units: tuple[Unit, ...], year: int | None, notes: list[Note],
                    note_key: str) -> Unit:
    """The department a 部门整体 form is about, or UnmatchedForm naming its 单位名称 cell."""
    cell = form.cells.get("unit") or form.cells.get("department") or form.cells.get("code")
    if cell is None:
        raise UnmatchedForm(form.title.where, msg("stage_match.no_unit"))
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
        raise UnmatchedForm(cell.where, msg("stage_match.several_departments", name=cell.text,
                                            files=", ".join(f"{u.folder}/department.yaml" for u in hits)))
    if not hits:
        in_year = msg("stage_match.of_year", year=wanted_year) if wanted_year is not None and units else ""
        other_years = sorted({str(u.year) for u in units if u not in pool and
                              ((code and fold(u.code) == fold(code)) or (name and key(u.name) == key(name)))})
        hint = (msg("stage_match.department_in_year", years=", ".join(other_years)) if other_years else None) or \
            (did_you_mean(code, [u.code for u in pool]) if code else None) or \
            (did_you_mean(name, [u.name for u in pool]) if name else None) or \
            (msg("stage_match.no_departments") if not units else msg("stage_match.import_department_first"))
        raise UnmatchedForm(cell.where, msg("stage_match.no_department", in_year=in_year, what=_what(code, name)),
                            hint)
    unit = hits[0]
    if by_name and code:
        notes.append(Note(note_key, msg("stage_match.department_by_name", code=code, unit=unit.code), cell.where,
                          level="warning"))
    elif name and key(name) != key(unit.name):
        notes.append(Note(note_key, msg("stage_match.department_called", unit=unit.code, name=name), cell.where))
    return unit
