"""A 部门整体支出绩效自评表 -> the keys of its department's evaluation.yaml (DEPARTMENT_EVALUATION).

The money is in the department's money unit and the goal as the form states it (stage_money.py).
The indicator table may be flat (no 一级/二级; a block's label is kept on its first row, weight and
all); each row is written verbatim with its 计量单位, its 指标性质 as 定量 or 定性 (a comparator
there, ≥ or 正向, goes before the target and makes it 定量), its 是否核心指标 as true or false, its
年初指标值 as `target` and a 调整指标值 that differs from it as `adjustment`. A bare number takes its
计量单位 (≥90 and % -> ≥90%; 96.33 and % -> 96.33%), a 得分系数 written as a share (0.75) is written
as the percentage it is (75%), and an Excel date serial where a date belongs becomes the date, each
with a note or a warning. The schema asks every adjustment for its reason: when the form gives none
(Chongqing's has no column for it), the reason written says exactly that, in words a reader of the
page understands, and a warning above it asks for the real one; it never passes for a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from builder.base.messages import Message, msg
from builder.content.scalars import BLANK_AMOUNTS
from builder.content.stage_rows import key
from builder.importers import labels
from builder.importers.cells import excel_date, serial_note, which
from builder.importers.existing import Unit
from builder.importers.imported import Imported, Note, StageFile
from builder.importers.sources import Cell
from builder.importers.stage_forms import FormRow, StageForm
from builder.importers.stage_indicators import bare_number, parsed_target, same_target
from builder.importers.stage_money import conclusion, evaluation_money, number, stated_goal

# The reason an adjustment is written with when the form states none: true, and plain to a reader.
NO_REASON = "自评表填列了调整指标值，但未写明调整原因。"
_VERBATIM = ("score", "deviation", "improvement")


def department_file(form: StageForm, unit: Unit, result: Imported, stage_key: str) -> StageFile:
    cell = form.cells.get("unit") or form.cells.get("department") or form.cells.get("code")
    result.sources[(stage_key, "department")] = cell.where if cell is not None else form.title.where
    fields: dict = {"money": evaluation_money(form, unit.money_unit, "department", result, stage_key),
                    "goal": stated_goal(form, (), result, stage_key)}
    blocks: dict[str, str] = {}  # level1/level2 -> the label of the block the rows are in
    fields["indicators"] = [_Row(result, stage_key, n).read(row, blocks) for n, row in enumerate(form.rows)]
    conclusion(form, fields, result, stage_key)
    return StageFile(form.kind, unit.folder, unit.code, fields, form.title.text, unit.money_unit)


@dataclass
class _Row:
    """One indicator row being written: its keys in schema order, each with its source position."""

    result: Imported
    stage_key: str
    index: int
    out: dict = field(default_factory=dict)

    @property
    def note_key(self) -> str:
        return f"{self.stage_key}.indicators.{self.index}"

    def put(self, name: str, value: object, cell: Cell) -> None:
        self.out[name] = value
        self.result.sources[(self.stage_key, f"indicators.{self.index}.{name}")] = cell.where

    def warn(self, said: Message, where: str, note_key: str = "") -> None:
        self.result.notes.append(Note(note_key or self.note_key, said, where, level="warning"))

    def read(self, row: FormRow, blocks: dict[str, str]) -> dict:
        self.result.sources[(self.stage_key, f"indicators.{self.index}")] = row.where
        for level in ("level1", "level2"):  # on the first row of its block, as the merged cell stands
            cell = row.cells.get(level)
            if cell is not None and _filled(cell) and cell.text != blocks.get(level):
                self.put(level, cell.text, cell)
                blocks[level] = cell.text
        self.put("name", row.cells["name"].text, row.cells["name"])
        unit_cell = row.cells.get("unit")
        unit = unit_cell.text if unit_cell is not None and _filled(unit_cell) else ""
        if unit_cell is not None and unit:
            self.put("unit", unit, unit_cell)
        comparator = self._nature(row.cells.get("nature"))
        self._core(row.cells.get("core"))
        target = self._value(row.cells.get("target"), comparator, unit, not unit, "年初指标值")
        if target is not None:
            self.put("target", target.text, target)
        else:
            self.warn(msg("department_records.no_target"), row.where)
        self._adjustment(row, target, comparator, unit)
        in_force = parsed_target(self.out["adjustment"]["target"] if "adjustment" in self.out else
                                 self.out.get("target", ""))
        date_like = not unit or in_force is None or in_force.kind in ("deadline", "text")
        actual = self._value(row.cells.get("actual"), None, unit, date_like, "实际完成值")
        if actual is not None:
            self.put("actual", actual.text, actual)
        weight = row.cells.get("weight")
        if weight is not None and _filled(weight):
            self.put("weight", weight.text, weight)
        else:
            self.warn(msg("department_records.no_weight"), row.where)
        coefficient = row.cells.get("coefficient")
        if coefficient is not None and _filled(coefficient):
            self.put("coefficient", self._share(coefficient), coefficient)
        for name in _VERBATIM:
            cell = row.cells.get(name)
            if cell is not None and _filled(cell):
                self.put(name, cell.text, cell)
        return self.out

    def _nature(self, cell: Cell | None) -> str | None:
        """指标性质 as 定量 or 定性; a comparator written there (≥, 正向) is returned for the target."""
        if cell is None or not _filled(cell):
            return None
        quantity = which(cell.text, labels.QUANTITIES)
        comparator = which(cell.text, labels.NATURES) if quantity is None else None
        if quantity is not None or comparator:
            self.put("nature", quantity or "定量", cell)
        else:
            self.warn(msg("department_records.nature", text=cell.text), cell.where)
        return comparator or None

    def _core(self, cell: Cell | None) -> None:
        if cell is None or not _filled(cell):
            return
        answer = which(cell.text, labels.CORE)
        if answer is None:
            self.warn(msg("department_records.core", text=cell.text), cell.where)
        else:
            self.put("core", answer == "true", cell)

    def _value(self, cell: Cell | None, comparator: str | None, unit: str, date_like: bool, label: str
               ) -> Cell | None:
        """A target or actual as written, but for a date serial (a date) and a bare number (its unit)."""
        if cell is None or not _filled(cell):
            return None
        text = cell.text
        day = excel_date(text)
        if day is not None and date_like:
            return Cell(serial_note(text, day, label, cell, self.result, self.note_key), cell.where)
        if comparator is not None and text[:1].isdigit():
            text = comparator + text
        if unit and not text.endswith(unit) and bare_number(text.lstrip("≥≤<>=")) and \
                parsed_target(text + unit) is not None:
            text += unit
        return Cell(text, cell.where)

    def _adjustment(self, row: FormRow, target: Cell | None, comparator: str | None, unit: str) -> None:
        """调整指标值, when it differs from 年初指标值, with its reason (else NO_REASON and a warning)."""
        adjusted = self._value(row.cells.get("adjusted_target"), comparator, unit, not unit, "调整指标值")
        reason = row.cells.get("adjustment_reason")
        reason_text = reason.text if reason is not None and _filled(reason) else ""
        if adjusted is None or target is None or _same(adjusted.text, target.text):
            if reason is not None and reason_text:
                self.warn(msg("department_records.reason_without_change", reason=reason_text), reason.where)
            return
        if not reason_text:
            self.warn(msg("department_records.no_reason", adjusted=adjusted.text, target=target.text),
                      adjusted.where, f"{self.note_key}.adjustment")
        self.put("adjustment", {"target": adjusted.text, "reason": reason_text or NO_REASON}, adjusted)

    def _share(self, cell: Cell) -> str:
        """得分系数 as a percentage: a share written as 0.75 or 1 is 75% or 100%."""
        value = number(cell.text)
        if value is None or "%" in cell.text or not Decimal(0) <= value <= Decimal(1):
            return cell.text
        percent = f"{(value * 100).normalize():f}%"
        self.result.notes.append(Note(self.note_key, msg("department_records.share", text=cell.text,
                                                         percent=percent), cell.where))
        return percent


def _same(adjusted: str, target: str) -> bool:
    """Whether a 调整指标值 states the 年初指标值 again (forms repeat it when nothing was adjusted)."""
    parsed = parsed_target(target)
    return key(adjusted) == key(target) or (parsed is not None and same_target(parsed_target(adjusted), parsed))


def _filled(cell: Cell) -> bool:
    return bool(cell.text) and cell.text.strip() not in BLANK_AMOUNTS
