"""Checks shared by the monitoring and self-evaluation rows (../shared/CYCLE.md).

An indicator keeps one identity from target to monitoring to self-evaluation: every approved
indicator has its row, every row names an approved one (or says why it was `added`), a 年度指标值
that differs from the approved one is a recorded `adjustment`, and an adjustment changes something.
A reported value (实际完成值, 1–N月完成值, 全年预计完成值) is read against its target: in the
target's unit, a number where the target is one, a date rather than an Excel date serial. Also the
stated-versus-computed figure every stage form has, and the placeholder rows of form templates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from builder.base.diagnostics import Report
from builder.base.messages import msg
from builder.base.numbers import plain_number
from builder.base.suggest import closest
from builder.content.attainment import comparable, same_target
from builder.content.fields import Values
from builder.content.model import Project
from builder.content.scalars import Actual
from builder.content.stage_model import Figure
from builder.content.stage_rows import key
from builder.content.targets import Target

NUMERIC = ("number", "range", "tolerance")
# A reported value that says the indicator does not apply is a statement, not a missing number.
NOT_APPLICABLE = ("不适用", "不涉及")
# The rows a form template ships with before anyone fills them in: 指标1, 三级指标2, 指标一.
_PLACEHOLDER_NAME = re.compile(r"(?:[一二三]级)?指标\s*(?:\d+|[一二三四五六七八九十]+)")
# Excel stores a date as the days since 1899-12-30; 20000 to 80000 is 1954 to 2119.
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Approved:
    """A project's approved targets as the stage checks read them: the model, and where each row stands."""

    project: Project
    rows: tuple[Values, ...]  # the targets file's indicator rows, in the model's order

    def where(self, index: int) -> str:
        """Where the approved row stands, for a hint: 2022/304001/projects/P001.yaml:23."""
        row = self.rows[index] if index < len(self.rows) else None
        return f"{self.project.source}:{row.where('name').line}" if row is not None else self.project.source




def stated(figure: Figure, values: Values, key_: str, label: str, report: Report, unit: str = "") -> None:
    """An error where the form states a figure that differs from the computed one."""
    if figure.differs and figure.computed is not None and figure.stated is not None:
        report.error(values.where(key_), msg("stage_rows.stated", label=label, stated=plain_number(figure.stated),
                                             computed=plain_number(figure.computed), unit=unit, how=figure.how))


def check_identity(values: Values, matched: Sequence[int | None], missing: Sequence[int], approved: Approved,
                   stage: str, report: Report, renamed: Mapping[str, str] | None = None) -> None:
    """The stage's rows against the approved indicators. `stage`: 自评 or 监控, for messages;
    `renamed`: the new names an earlier stage recorded (its key → the approved name)."""
    rows = values.get("indicators")
    indicators = approved.project.indicators
    unclaimed = [indicators[i].name for i in missing]
    reported: dict[str, Values] = {}  # the approved names reported so far (as compared), by their row
    for row, index in zip(rows, matched, strict=True):
        if index is None:
            earlier = reported.get(key(row.get("name"))) if row.ok("name") else None
            if earlier is not None and not row.ok("added"):
                report.error(row.where("name"), msg("stage_rows.reported_twice", name=row.get("name"),
                                                    line=earlier.where("name").line))
            elif not row.ok("added") and row.ok("name"):
                unknown_row(row, approved, unclaimed, report, (renamed or {}).get(key(row.get("name"))))
            continue
        reported.setdefault(key(indicators[index].name), row)
        target = indicators[index].target
        adjusted = row.get("adjustment").get("target") if row.ok("adjustment") else None
        if row.ok("target"):
            written = row.get("target")
            if adjusted is None and not same_target(written, target):
                report.error(row.where("target"), msg("stage_rows.target_changed", written=written.raw,
                                                      target=target.raw, where=approved.where(index)))
            elif adjusted is not None and not same_target(written, adjusted) and not same_target(written, target):
                report.error(row.where("target"), msg("stage_rows.target_neither", written=written.raw,
                                                      target=target.raw, adjusted=adjusted.raw))
        if row.ok("adjustment"):
            check_adjustment(row, indicators[index].name, target, report)
    for index in missing:
        name = indicators[index].name
        report.error(values.where("indicators"), msg("stage_rows.approved_missing", name=name,
                                                     where=approved.where(index), stage=stage),
                     msg("stage_rows.add_row_or_not_applicable", name=name) if stage == "自评" else
                     msg("stage_rows.add_row", name=name))


def unknown_row(row: Values, approved: Approved, unclaimed: list[str], report: Report, renamed_from: str | None
                ) -> None:
    name = row.get("name")
    if renamed_from is not None:
        report.error(row.where("name"), msg("stage_rows.renamed_unrecorded", name=name, renamed_from=renamed_from))
        return
    names = unclaimed or [i.name for i in approved.project.indicators]
    if is_placeholder(name):
        report.error(row.where("name"), msg("stage_rows.placeholder_not_approved", name=name,
                                            code=approved.project.code))
        return
    close = closest(name, names)
    report.error(row.where("name"), msg("stage_rows.not_approved", name=name, code=approved.project.code),
                 msg("stage_rows.not_approved_suggested", close=close) if close else
                 msg("stage_rows.not_approved_hint"))


def check_adjustment(row: Values, name: str, target: Target, report: Report) -> None:
    adjustment = row.get("adjustment")
    new_name, new_target = adjustment.get("name"), adjustment.get("target")
    renames = new_name is not None and key(new_name) != key(name)
    retargets = new_target is not None and not same_target(new_target, target)
    if not renames and not retargets:
        report.error(row.where("adjustment"), msg("stage_rows.adjustment_changes_nothing", name=name,
                                                  target=target.raw))


def check_reported(row: Values, field: str, label: str, target: Target | None, report: Report,
                   numeric: bool = True) -> None:
    """Warnings on one reported value read against its target; `numeric`: whether a numeric
    target wants a number here (a mid-year progress may be 未开展调查)."""
    reported: Actual | None = row.get(field) if row.ok(field) else None
    if reported is None or target is None:
        return
    value = reported.parsed
    pos = row.where(field)
    serial = excel_date(value)
    if target.kind == "deadline" and serial is not None:
        report.warning(pos, msg("stage_rows.excel_date", label=label, raw=reported.raw, date=serial.isoformat(),
                                year=serial.year, month=serial.month, day=serial.day))
    elif target.kind in NUMERIC and value is not None and value.kind in NUMERIC and comparable(target, value) is None:
        report.warning(pos, msg("stage_rows.units_differ", label=label, raw=reported.raw,
                                unit=value.unit or msg("stage_rows.no_unit"), target=target.raw,
                                target_unit=target.unit or msg("stage_rows.no_unit")),
                       msg("stage_rows.write_in_unit", unit=target.unit or msg("stage_rows.the_target_unit")))
    elif numeric and target.kind in NUMERIC and (value is None or value.kind not in NUMERIC) \
            and key(reported.raw) not in NOT_APPLICABLE:
        report.warning(pos, msg("stage_rows.not_a_number", label=label, raw=reported.raw, target=target.raw))


def excel_date(value: Target | None) -> date | None:
    """The date an Excel date serial stands for (45275 → 2023-12-15), when a value is one."""
    if value is None or value.kind != "number" or value.unit is not None or value.value is None:
        return None
    if value.value != value.value.to_integral() or not 20000 <= value.value <= 80000:
        return None
    return _EXCEL_EPOCH + timedelta(days=int(value.value))


def is_placeholder(name: str) -> bool:
    return bool(_PLACEHOLDER_NAME.fullmatch(key(name)))


def placeholder(row: Values, report: Report) -> None:
    """A warning on a row still named as the form template names it (指标2), which the approved
    targets share or which has no targets to match (a department's own rows): an unmatched one is
    an error of check_identity."""
    if row.ok("name") and is_placeholder(row.get("name")):
        report.warning(row.where("name"), msg("stage_rows.placeholder", name=row.get("name")))


__all__ = ["NUMERIC", "Approved", "check_identity", "check_reported", "excel_date", "is_placeholder", "placeholder",
           "stated"]
