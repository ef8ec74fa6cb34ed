"""Stage forms -> the monitoring and self-evaluation files of the content folder's projects and departments.

`interpret_stages` reads each form of a source (stage_forms.py), finds what it reports on
(stage_match.py): a project, or for a 部门整体支出绩效自评表 the department (department_records.py
makes its evaluation.yaml). Of a project's form it makes the file's keys in the schema of
content/stage_schema.py: the money in the project's money unit and the goal (stage_money.py), the
indicator rows (stage_indicators.py) and the conclusion. A form of a layout only one province uses
(Sichuan's 指标性质/度量单位 columns, a budget weight of 20 as in Hubei) names its scoring profile
when the department's is another. A department-wide monitoring form is left out with a warning:
the content has no file for it.
"""

from __future__ import annotations

from decimal import Decimal

from builder.base.messages import msg
from builder.importers import labels
from builder.importers.department_records import department_file
from builder.importers.errors import ImportProblem
from builder.importers.existing import Candidate, Existing, Unit
from builder.importers.imported import Imported, ImportError_, Note, StageFile
from builder.importers.sources import Block
from builder.importers.stage_forms import StageForm, read_form, split_forms
from builder.importers.stage_indicators import stage_rows
from builder.importers.stage_match import find_department, find_project
from builder.importers.stage_money import conclusion, evaluation_money, monitoring_money, number, stated_goal


def is_stage_source(blocks: list[Block]) -> bool:
    return bool(split_forms(blocks))


def interpret_stages(blocks: list[Block], existing: Existing, year: int | None, source: str) -> Imported:
    result = Imported(source=source)
    for kind, title, body in split_forms(blocks):
        if kind == "department-monitoring":
            result.notes.append(Note("source", msg("stage_records.department_monitoring", title=title.text),
                                     title.where, level="warning"))
            continue
        form = read_form(kind, title, body)
        stage_key = f"stage:{len(result.stages)}"
        for note in form.notes:
            note.key = stage_key
        try:
            owner = find_department(form, existing.departments, year, form.notes, stage_key) if kind == "department-evaluation" else \
                find_project(form, list(existing.projects), year, form.notes, stage_key)
        except ImportProblem as problem:
            result.problems.append(problem)
            for note in form.notes:
                note.key = "unmatched"  # said on the command line; there is no file to hold it
            result.notes += [n for n in form.notes if n.level == "warning"]
            continue
        result.notes += form.notes
        result.stages.append(department_file(form, owner, result, stage_key) if isinstance(owner, Unit)
                             else _project_file(form, owner, result, stage_key))
    if not result.stages and not result.problems:
        left_out = next((n for n in result.notes if n.key == "source"), None)
        if left_out is not None:  # only forms the content has no file for: say which, as the refusal
            raise ImportError_(left_out.where, left_out.said, left_out.advice)
        raise ImportError_(source, msg("stage_records.no_forms"))
    return result


def _project_file(form: StageForm, project: Candidate, result: Imported, stage_key: str) -> StageFile:
    name_cell = form.cells.get("project") or form.cells.get("code")
    result.sources[(stage_key, "project")] = name_cell.where if name_cell is not None else form.title.where
    fields: dict = {"project": project.code}
    chosen = _profile(form)
    if chosen is not None and chosen != project.profile:
        fields["scoring"] = chosen
        result.notes.append(Note(stage_key, msg("stage_records.profile", chosen=chosen, profile=project.profile),
                                 form.title.where))
    if form.kind == "evaluation":
        fields["money"] = evaluation_money(form, project.money_unit, "project", result, stage_key)
        fields["goal"] = stated_goal(form, project.goals, result, stage_key)
    else:
        if form.period is None:
            result.notes.append(Note(stage_key, msg("stage_records.no_period"), form.title.where, level="warning"))
        else:
            fields["period"] = form.period[0]
            result.sources[(stage_key, "period")] = form.period[1]
        fields["money"] = monitoring_money(form, project.money_unit, result, stage_key)
    fields["indicators"] = stage_rows(form, project, result, stage_key)
    if form.kind == "evaluation":
        conclusion(form, fields, result, stage_key)
    return StageFile(form.kind, project.folder, project.code, fields, form.title.text, project.money_unit)


def _profile(form: StageForm) -> str | None:
    weight = form.money.get("total", {}).get("weight") or form.budget_points
    for layout in labels.LAYOUT_PROFILES:
        columns = layout.get("columns")
        if columns and set(columns) <= form.columns:
            return str(layout["profile"])
        budget_weight = layout.get("budget_weight")
        if budget_weight and weight is not None and number(weight.text) == Decimal(str(budget_weight)):
            return str(layout["profile"])
    return None
