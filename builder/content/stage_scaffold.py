"""`build.py new monitoring|evaluation|department-evaluation`: a stage file to fill in.

A monitoring round or a self-evaluation reports on the approved indicators, so its file starts with
every one of them listed, by its 三级指标 name exactly as the targets write it (the identity check
matches on, stage_rows.py), its category and target in a comment. What the publisher must still
write holds the placeholder 待填写, which no field accepts (fields.PLACEHOLDER): `check` names each
one left, and a half-filled file is never published. What the targets already say is filled in: the
approved budget as 年初预算数. The self-evaluation's weights are left to write, as the form gives
them; where the scoring profile's 一级 split fits the project, each row's even share of its 一级's
points is suggested in a comment beside it (a start for the form's own, never published unread).
Explanations come from the schema (stage_schema.py), like `check`'s and the JSON Schemas'.
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path

from builder.base.files import write_new
from builder.base.messages import msg
from builder.base.numbers import plain_number
from builder.content.fields import PLACEHOLDER, ListOf, Record
from builder.content.model import Indicator, Project
from builder.content.scoring import Profile, cents
from builder.content.stage_rows import key
from builder.content.stage_schema import DEPARTMENT_EVALUATION, EVALUATION, MONITORING

FOLDERS = {"monitoring": "monitoring", "evaluation": "evaluations"}
FORMS = {"monitoring": "绩效目标执行监控表", "evaluation": "项目支出绩效自评表", "department-evaluation": "部门整体支出绩效自评表"}
_P = PLACEHOLDER


def stage_path(kind: str, folder: Path, code: str | None) -> Path:
    """Where `new KIND` writes in the department `folder`."""
    if kind == "department-evaluation":
        return folder / "evaluation.yaml"
    return folder / FOLDERS[kind] / f"{code}.yaml"


def scaffold_stage(kind: str, folder: Path, project: Project | None, profile: Profile | None,
                   money_unit: str, schemas_dir: Path) -> Path:
    """Write the stage file of `project` (None for the department's own self-evaluation); its path."""
    path = stage_path(kind, folder, project.code if project else None)
    if path.exists() or path.is_symlink():
        raise FileExistsError(msg("scaffold.exists", path=path))
    record = {"monitoring": MONITORING, "evaluation": EVALUATION}.get(kind, DEPARTMENT_EVALUATION)
    schema = os.path.relpath(schemas_dir / f"{kind}.schema.json", path.parent)
    whose = f"：{project.name}" if project else ""
    lines = [f"# yaml-language-server: $schema={Path(schema).as_posix()}",
             f"# {FORMS[kind]}{whose}（单位：{money_unit}）",
             f"# Replace every {_P}, then run `python build.py check`: it names each one left.", ""]
    if project is not None:
        lines += ["# Every approved indicator is listed by its 三级指标 name, exactly as in the targets: keep the",
                  "# names. A renamed or re-valued indicator keeps its name and records the change in `adjustment`;",
                  "# a row the targets do not have needs `added` (why), `level1`, `level2` and `target`.", "",
                  _about(record, "project"), f"project: {project.code}"]
    lines += [_about(record, "example"), f"# example: {_P}"]
    if kind == "monitoring":
        assert project is not None
        lines += _monitoring(project)
    else:
        lines += _evaluation(project, profile)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_new(path, ("\n".join(lines) + "\n").encode("utf-8"))
    except FileExistsError:  # made meanwhile, or a link the look above did not see as a file
        raise FileExistsError(msg("scaffold.exists", path=path)) from None
    return path


def _monitoring(project: Project) -> list[str]:
    money = _record(MONITORING, "money")
    lines = [_about(MONITORING, "period"), f"period: {_P}",
             _about(MONITORING, "money"), "money:",
             "  " + _about(money, "budget") + " (the approved budget is filled in; write the adjusted one)",
             f"  budget: {_amount(project.budget.total.raw)}",
             "  " + _about(money, "executed"), f"  executed: {_P}",
             "  " + _about(money, "rate"), f"  # rate: {_P}",
             "  " + _about(money, "forecast"), f"  forecast: {_P}",
             "  " + _about(money, "reason"), f"  # reason: {_P}",
             _about(MONITORING, "indicators"), "indicators:"]
    row = _row_record(MONITORING)
    for n, indicator in enumerate(project.indicators):
        lines += _identity(project, indicator, row if n == 0 else None)
        lines += _value(row, "progress", _P, n == 0) + _value(row, "forecast", _P, n == 0)
        lines += _value(row, "likelihood", _P, n == 0)
        lines += [_optional(row, name, n == 0) for name in ("reason_category", "reason", "action")]
    return lines


def _evaluation(project: Project | None, profile: Profile | None) -> list[str]:
    record = EVALUATION if project is not None else DEPARTMENT_EVALUATION
    money, goal = _record(record, "money"), _record(record, "goal")
    initial = _amount(project.budget.total.raw) if project is not None else _P
    lines = [_about(record, "scoring"), f"# scoring: {_P}",
             _about(record, "money"), "money:",
             "  " + _about(money, "total") + (" (年初预算数 is the approved budget)" if project else ""),
             f"  total: {{initial: {initial}, adjusted: {_P}, executed: {_P}}}"]
    for name in ("current", "carried_over", "other"):
        lines += ["  " + _about(money, name), f"  # {name}: {{initial: {_P}, adjusted: {_P}, executed: {_P}}}"]
    lines += [line for name in ("weight", "rate", "score", "adjustment_reason", "deviation")
              for line in ("  " + _about(money, name), f"  # {name}: {_P}")]
    lines += [_about(record, "goal"), "goal:", "  " + _about(goal, "expected"), f"  # expected: {_P}",
              "  " + _about(goal, "actual"), f"  actual: {_P}"]
    weights, labels, note = _weights(project, profile)
    lines += [_about(record, "indicators"), *(f"# {line}" for line in note), "indicators:"]
    if project is None:  # a department's indicators are its own: one row to copy
        row = _record(record, "indicators")
        lines += ["  " + _about(row, "name"), f"  - name: {_P}", "    " + _about(row, "target"), f"    target: {_P}",
                  "    " + _about(row, "actual"), f"    actual: {_P}", "    " + _about(row, "weight"),
                  f"    weight: {_P}"]
        lines += ["    " + _about(row, k) + f"\n    # {k}: {_P}" for k in ("unit", "nature", "score", "deviation")]
    else:
        row = _row_record(EVALUATION)
        for n, indicator in enumerate(project.indicators):
            label = labels.get(indicator.level1.canonical) if _first_of_level1(project, n) else None
            lines += _identity(project, indicator, row if n == 0 else None, label)
            lines += _value(row, "actual", _P, n == 0)
            if indicator.target.kind == "text" and profile is not None:
                bands = "、".join(b.label for b in profile.bands)
                lines += [f"    # 完成档次 — the tier the form states: {bands}", f"    band: {_P}"]
            # The even share is a suggestion beside the placeholder: the form's own 分值 is what is published.
            lines += _value(row, "weight", f"{_P}  # {plain_number(weights[n])}" if weights else _P, n == 0)
            lines += [_optional(row, k, n == 0) for k in ("score", "deviation", "improvement")]
    for field in record.fields[-5:]:  # 总分, 评价等级, 评价结论, 存在问题, 改进措施: optional, as the form states them
        lines += [_about(record, field.key), f"# {field.key}: {_P}"]
    return lines


def _weights(project: Project | None, profile: Profile | None
             ) -> tuple[dict[int, Decimal], dict[str, str], list[str]]:
    """Each row's weight (by index) and each 一级's label with its points (by name), when the profile's 一级
    split fits the project's categories; else neither, and a note saying why the weights are left."""
    if profile is None or project is None:
        return {}, {}, ["分值: write each indicator's weight as the form gives it."]
    split = profile.level1_weights
    used = list(dict.fromkeys(i.level1.canonical for i in project.indicators))
    if not split or set(used) != set(split):
        wanted = "，".join(f"{name} {plain_number(points)}" for name, points in split.items()) or "no 一级 split"
        return {}, {}, [f"分值: the weights add up to {plain_number(profile.indicator_total)} (scoring profile `{profile.id}`: "
                    f"{wanted}); this project's 一级 are {'，'.join(used)},",
                    "so write each weight as the form gives it."]
    weights: dict[int, Decimal] = {}
    labels: dict[str, str] = {}
    for name, points in split.items():
        rows = [n for n, i in enumerate(project.indicators) if i.level1.canonical == name]
        share = cents(points / len(rows))
        for n in rows:
            weights[n] = share
        weights[rows[-1]] = points - share * (len(rows) - 1)  # the last row takes the rounding
        labels[name] = f"{name}（{plain_number(points)}分）"
    return weights, labels, [f"分值: scoring profile `{profile.id}` shares each 一级's points evenly among its rows "
                     f"({'，'.join(f'{n} {plain_number(p)}' for n, p in split.items())});",
                     "each row's share is suggested beside its weight: write the form's weights (each 一级 must "
                     "still add up to its points)."]


def _identity(project: Project, indicator: Indicator, row: Record | None, level1: str | None = None) -> list[str]:
    """A row's first lines: the approved indicator it reports on, by name (and 二级 where the name repeats)."""
    repeated = sum(key(i.name) == key(indicator.name) for i in project.indicators) > 1
    lines = [f"  # {indicator.level1.canonical} / {indicator.level2.canonical} — 年度指标值 {indicator.target.raw}"]
    fields = [("level1", level1), ("level2", indicator.level2.raw if repeated else None), ("name", indicator.name)]
    first = True
    for name, value in fields:
        if value is None:
            continue
        lines.append(f"  {'- ' if first else '  '}{name}: {_scalar(value)}")
        first = False
    return lines


def _value(row: Record, name: str, value: str, explain: bool) -> list[str]:
    return ([f"    {_about(row, name)}"] if explain else []) + [f"    {name}: {value}"]


def _optional(row: Record, name: str, explain: bool) -> str:
    return (f"    {_about(row, name)}\n" if explain else "") + f"    # {name}: {_P}"


def _about(record: Record, name: str) -> str:
    field = next(f for f in record.fields if f.key == name)
    return f"# {field.title} — {'' if field.required else 'optional: '}{field.description}"


def _record(record: Record, name: str) -> Record:
    """The record of a field: a mapping's, or a list's items'."""
    found = next(f for f in record.fields if f.key == name).type
    found = found.item if isinstance(found, ListOf) else found
    if not isinstance(found, Record):
        raise TypeError(f"`{name}` is not a mapping or a list of them")
    return found


def _row_record(record: Record) -> Record:
    return _record(record, "indicators")


def _first_of_level1(project: Project, n: int) -> bool:
    return all(i.level1.canonical != project.indicators[n].level1.canonical for i in project.indicators[:n])


def _amount(raw: str) -> str:
    return raw if raw else _P




_SPECIAL_START = tuple("#>|*&!%@`'\"[]{},?:-<=~")


def _scalar(text: str) -> str:
    """A YAML scalar that reads back as `text`: plain where that is safe, else double-quoted (JSON's
    escapes are YAML's)."""
    plain = (not text.startswith(_SPECIAL_START) and " #" not in text and ": " not in text and not text.endswith(":")
             and text == text.strip() and not re.search(r"[\t\n\r]", text)
             and not re.fullmatch(r"[-+.\d]+|true|false|null|~|yes|no|on|off", text, re.IGNORECASE))
    return text if plain else json.dumps(text, ensure_ascii=False)


__all__ = ["scaffold_stage", "stage_path"]
