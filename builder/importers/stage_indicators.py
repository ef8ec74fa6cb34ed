"""A stage form's indicator rows -> the rows of a monitoring or self-evaluation file.

Each row names the approved indicator it reports on (content/stage_rows.py): a row whose 三级指标
is an approved name, exactly or once whitespace and full width are set aside, is written with
the approved name; a row that names none is written as the form has it, with a warning and the
nearest approved name (check reports it too). The 一级 label of a block's first row is kept
verbatim, weight and all (产出指标（50分）); 二级 is written where the name alone does not say which
approved row is meant. A 年度指标值 the approved targets already say is not repeated; one that
differs is written with a warning. Values stay verbatim, with two exceptions, each a warning:
an Excel date serial where a date belongs (45275 -> 2023年12月15日), and, said once in a note,
a Sichuan 指标值 or 完成值 whose unit is in the 度量单位 column (2220 and 人次 -> 2220人次).
The helpers that read such a value (parsed_target, same_target, bare_number; serial_note in cells.py) serve
department_records.py too.
"""

from __future__ import annotations

from builder.base.messages import Message, msg, verbatim
from builder.base.suggest import did_you_mean
from builder.content.scalars import BLANK_AMOUNTS
from builder.content.stage_rows import key
from builder.content.targets import Target, TargetError, parse_target
from builder.importers import labels
from builder.importers.cells import excel_date, serial_note, which
from builder.importers.existing import ApprovedRow, Candidate
from builder.importers.imported import Imported, Note
from builder.importers.sources import Cell
from builder.importers.stage_forms import FormRow, StageForm

# Text fields copied verbatim, per kind, in schema order after the identity and target.
_TEXT = {
    "evaluation": ("actual", "weight", "score", "deviation", "improvement"),
    "monitoring": ("progress", "forecast", "reason_category", "reason", "action", "likelihood"),
}
# Read like a target: a date serial is a date here. The form's words for them, for notes.
_VALUES = {"actual": "实际完成值", "progress": "1-N月实际完成值", "forecast": "全年预计完成值"}


def stage_rows(form: StageForm, project: Candidate, result: Imported, stage_key: str) -> list[dict]:
    rows: list[dict] = []
    used: set[int] = set()
    level1 = level2 = ""
    names = [a.name for a in project.indicators]
    for row in form.rows:
        path = f"indicators.{len(rows)}"
        note_key = f"{stage_key}.{path}"
        out: dict = {}
        result.sources[(stage_key, path)] = row.where
        cell = row.cells.get("level1")
        if cell is not None and cell.text and cell.text != level1:
            level1 = cell.text
            out["level1"] = cell.text
        cell = row.cells.get("level2")
        form_level2 = cell.text if cell is not None and cell.text else level2
        level2 = form_level2
        name_cell = row.cells["name"]
        approved_index = _approved(project.indicators, name_cell.text, form_level2, used)
        approved = project.indicators[approved_index] if approved_index is not None else None
        if approved_index is not None and approved is not None:
            used.add(approved_index)
            if sum(key(a.name) == key(approved.name) for a in project.indicators) > 1:
                out["level2"] = approved.level2  # the name repeats: 二级 says which row
            out["name"] = approved.name
        else:
            if form_level2:
                out["level2"] = form_level2
            out["name"] = name_cell.text
            twice = any(key(project.indicators[i].name) == key(name_cell.text) for i in used)
            nearest = did_you_mean(name_cell.text, names)
            result.notes.append(Note(note_key, msg("stage_indicators.not_approved_twice" if twice else
                                                   "stage_indicators.not_approved", name=name_cell.text,
                                                   code=project.code), name_cell.where, level="warning",
                                     advice=verbatim(nearest) if nearest else msg("stage_indicators.add_row")))
        result.sources[(stage_key, f"{path}.name")] = name_cell.where
        target = _target(form, row, approved, result, note_key, out)
        if target is not None:
            out["target"] = target.text
            result.sources[(stage_key, f"{path}.target")] = target.where
        in_force = approved.target if approved is not None else parsed_target(target.text if target else "")
        timely = "时效" in (approved.level2 if approved is not None else form_level2)
        for field_name in _TEXT[form.kind]:
            value = _value(form, row, field_name, in_force, timely, result, note_key)
            if value is not None:
                out[field_name] = value.text
                result.sources[(stage_key, f"{path}.{field_name}")] = value.where
        rows.append(out)
    if {"nature", "unit"} & form.columns:
        result.notes.append(Note(stage_key, msg("stage_indicators.units_joined"), form.title.where))
    return rows


def _approved(approved: tuple[ApprovedRow, ...], name: str, level2: str, used: set[int]) -> int | None:
    """The approved row a form's row names: by name, then (when the name repeats) by 二级."""
    found = [i for i, a in enumerate(approved) if key(a.name) == key(name) and i not in used]
    if len(found) > 1 and level2:
        found = [i for i in found if key(approved[i].level2) == key(level2)] or found
    return found[0] if found else None


def _target(form: StageForm, row: FormRow, approved: ApprovedRow | None, result: Imported, note_key: str,
            out: dict) -> Cell | None:
    """The form's 年度指标值 when it is to be written: for a row that names no approved indicator,
    or when it differs from the approved one (a warning)."""
    cell = row.cells.get("target")
    if cell is None or not cell.text or cell.text in BLANK_AMOUNTS:
        return None
    text = cell.text
    serial = excel_date(text)
    if serial is not None and (approved is None or approved.target is None or approved.target.kind != "number"):
        text = serial_note(text, serial, "年度指标值", cell, result, note_key)
    nature, unit = row.cells.get("nature"), row.cells.get("unit")
    if nature is not None or unit is not None:
        comparator = which(nature.text, labels.NATURES) if nature is not None else None
        unit_text = unit.text if unit is not None and unit.text not in BLANK_AMOUNTS else ""
        if comparator is not None and not text.startswith(("≥", "≤", ">", "<", "=")):
            text = comparator + text
        if unit_text and not text.endswith(unit_text) and parsed_target(text + unit_text) is not None:
            text += unit_text
    if approved is None:
        return Cell(text, cell.where)
    if approved.target is not None and same_target(parsed_target(text), approved.target):
        return None
    result.notes.append(Note(note_key, msg("stage_indicators.target_differs", text=text,
                                           approved=approved.target.raw if approved.target else "?",
                                           name=approved.name), cell.where, level="warning"))
    return Cell(text, cell.where)


def _value(form: StageForm, row: FormRow, field_name: str, target: Target | None, timely: bool, result: Imported,
           note_key: str) -> Cell | None:
    if field_name in ("reason_category", "likelihood"):
        return _choice(row, field_name, result, note_key)
    cell = row.cells.get(field_name)
    if field_name == "reason" and cell is not None and cell.text:
        head, sep, rest = cell.text.replace(":", "：").partition("：")
        if sep and rest.strip() and which(head, labels.REASON_CATEGORIES):
            cell = Cell(rest.strip(), cell.where)  # `其他：受疫情影响…`: the category is read apart
    if cell is None or not cell.text or cell.text in BLANK_AMOUNTS:
        return None
    text = cell.text
    if field_name in _VALUES:
        serial = excel_date(text)
        date_like = target is None or target.kind in ("deadline", "text") or timely
        if serial is not None and date_like:
            return Cell(serial_note(text, serial, _VALUES[field_name], cell, result, note_key), cell.where)
        unit = row.cells.get("unit")
        if unit is not None and unit.text and unit.text not in BLANK_AMOUNTS and bare_number(text):
            return Cell(text + unit.text, cell.where)  # Sichuan: 完成值 2220, 度量单位 人次
    return Cell(text, cell.where)


def _choice(row: FormRow, field_name: str, result: Imported, note_key: str) -> Cell | None:
    """偏差原因类别 or 完成目标可能性: a column of its own, a tick in one of its columns, or (for the
    category) the head of the reason (`经费：…`)."""
    table = labels.REASON_CATEGORIES if field_name == "reason_category" else labels.LIKELIHOODS
    cell = row.cells.get(field_name)
    where = cell.where if cell is not None else row.where
    if cell is not None and cell.text and cell.text not in BLANK_AMOUNTS:
        return Cell(which(cell.text, table) or cell.text, cell.where)
    ticked = row.ticked.get(field_name, [])
    if len(ticked) > 1:
        others: Message | str = ""
        for value in reversed(ticked[1:]):
            others = msg("stage_indicators.and_ticked", value=value, rest=others)
        result.notes.append(Note(note_key, msg("stage_indicators.ticked", first=ticked[0], others=others),
                                 where, level="warning"))
    if ticked:
        return Cell(ticked[0], where)
    reason = row.cells.get("reason")
    if field_name == "reason_category" and reason is not None:
        head, sep, _ = reason.text.replace(":", "：").partition("：")
        category = which(head, table) if sep else None
        if category is not None:
            return Cell(category, reason.where)
    return None


def parsed_target(text: str) -> Target | None:
    try:
        return parse_target(text) if text else None
    except TargetError:
        return None


def same_target(a: Target | None, b: Target) -> bool:
    if a is None:
        return False
    if a.kind == "text" or b.kind == "text":
        return key(a.raw) == key(b.raw)
    return (a.kind, a.comparator or "=", a.value, a.upper, a.unit, a.deadline) == \
        (b.kind, b.comparator or "=", b.value, b.upper, b.unit, b.deadline)


def bare_number(text: str) -> bool:
    return parsed_target(text) is not None and text.replace(".", "", 1).isdigit()
