"""A monitoring or self-evaluation file's keys -> its YAML text, byte-stable, as emit.py writes targets.

Keys in the order stage_records.py and department_records.py made them (the schema's), funding
rows on one line as the example files have them (`total: {initial: …, adjusted: …, executed: …}`),
amounts and points plain, `core` a YAML boolean, an `adjustment` a mapping under its row, and each
note of the importer as a comment: the file's on top, a row's above the row, an adjustment's above it.
"""

from __future__ import annotations

import re
from pathlib import Path

from builder.base.messages import say
from builder.importers.emit import Writer, modeline, notes_for, scalar
from builder.importers.imported import Imported, StageFile

_PLAIN_NUMBER = re.compile(r"\d+(\.\d+)?")
# Keys whose numbers are written plain (10, 9.5, 10000000.00); a code of digits stays quoted text.
_NUMBERS = ("weight", "score", "total", "budget", "executed", "forecast")
_TITLES = {"evaluation": "项目支出绩效自评表", "monitoring": "绩效目标执行监控表",
           "department-evaluation": "部门整体支出绩效自评表"}


def stage_yaml(imported: Imported, index: int, path: Path, schemas_dir: Path, source_name: str) -> Writer:
    stage = imported.stages[index]
    key = f"stage:{index}"
    w = Writer(modeline(path, stage.kind, schemas_dir))
    w.comment(0, say("stage_emit.imported_from", title=stage.title or _TITLES[stage.kind], unit=stage.money_unit,
                     source=source_name))
    for note in notes_for(imported.notes, key):
        w.comment(0, note)
    for name, value in stage.fields.items():
        if name == "money" and value:
            _money(w, stage, value)
        elif not value:
            w.raw(f"{name}: {{}}")  # nothing found: check says what is missing
        elif name == "goal":
            w.raw("goal:")
            for goal_key, text in value.items():
                w.value(2, goal_key, text, f"goal.{goal_key}")
        elif name == "indicators":
            _rows(w, imported, key, value)
        else:
            _field(w, 0, name, value, name)
    return w


def _money(w: Writer, stage: StageFile, money: dict) -> None:
    w.raw("money:")
    for name, value in money.items():
        if isinstance(value, dict):
            w.field_lines[f"money.{name}"] = len(w.lines) + 1
            inner = ", ".join(f"{column}: {_number_or(amount, flow=True)}" for column, amount in value.items())
            w.raw(f"  {name}: {{{inner}}}")
        else:
            _field(w, 2, name, value, f"money.{name}")


def _rows(w: Writer, imported: Imported, key: str, rows: list[dict]) -> None:
    w.raw("indicators:")
    for i, row in enumerate(rows):
        for note in notes_for(imported.notes, f"{key}.indicators.{i}"):
            w.comment(2, note)
        for position, (name, value) in enumerate(row.items()):
            indent, path = 2 if position == 0 else 4, f"indicators.{i}.{name}"
            if isinstance(value, dict):  # an adjustment: its target and reason under it
                for note in notes_for(imported.notes, f"{key}.{path}"):
                    w.comment(indent, note)
                w.field_lines[path] = len(w.lines) + 1
                w.raw(" " * indent + ("- " if position == 0 else "") + f"{name}:")
                for inner, text in value.items():
                    _field(w, indent + 2, inner, text, f"{path}.{inner}")
            elif isinstance(value, bool):
                w.field_lines[path] = len(w.lines) + 1
                w.raw(" " * indent + ("- " if position == 0 else "") + f"{name}: {'true' if value else 'false'}")
            else:
                _field(w, indent, name, value, path, item=position == 0)


def _field(w: Writer, indent: int, name: str, value: str, path: str, item: bool = False) -> None:
    if name in _NUMBERS and _PLAIN_NUMBER.fullmatch(value):
        w.field_lines[path] = len(w.lines) + 1
        w.raw(" " * indent + ("- " if item else "") + f"{name}: {value}")  # amounts and points: plain, never floats
    else:
        w.value(indent, name, value, path, item=item)


def _number_or(value: str, flow: bool = False) -> str:
    return value if _PLAIN_NUMBER.fullmatch(value) else scalar(value, flow=flow)
