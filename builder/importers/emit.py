"""Emit: imported records -> YAML text in gongkai's format, the same bytes every time.

Keys in schema order, strings plain where YAML reads them back unchanged and
single-quoted otherwise, multi-line text as `|-` blocks, the schema modeline
on the first line, and each note of the importer as a comment where it
belongs. Written by hand rather than by yaml.dump, whose line folding and
quoting choices would change the text a finance officer wrote.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from builder.base.messages import say
from builder.content.fields import ListOf, Record
from builder.content.schema import PROJECT
from builder.importers.imported import Imported, Note

_SPECIAL_START = tuple("#>|*&!%@`'\"[]{},?:-<=~")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# What YAML cannot hold as is: characters outside its printable set, and the ones
# it reads as line breaks (NEL, LS, PS) or a byte order mark. A value with any of
# them is written double-quoted with escapes, so it reads back exactly and `check`
# can then point at the character (source text is kept, never silently cleaned).
_UNWRITABLE = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                         "\U00010000-\U0010ffff]")


def scalar(text: str, flow: bool = False) -> str:
    """A YAML scalar that reads back as exactly `text`; `flow` for inside `{...}`."""
    if text == "":
        return "''"
    if "\n" in text or _UNWRITABLE.search(text):
        return double_quoted(text)
    plain_ok = (not text.startswith(_SPECIAL_START) and " #" not in text and ": " not in text
                and not text.endswith(":") and text == text.strip() and "\t" not in text
                and not (flow and any(c in text for c in ",[]{}")))
    if plain_ok:
        try:
            if yaml.load(f"k: {text}", Loader=_LOADER) == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return "'" + text.replace("'", "''") + "'"


def double_quoted(text: str) -> str:
    """A double-quoted scalar with every character YAML cannot hold escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"' + _UNWRITABLE.sub(lambda m: _escape(m.group()), escaped) + '"'


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


class Writer:
    """Lines of one YAML file, remembering which line each field landed on."""

    def __init__(self, modeline: str):
        self.lines = [modeline]
        self.field_lines: dict[str, int] = {}

    def comment(self, indent: int, text: str) -> None:
        for line in text.split("\n"):  # a comment too must be readable YAML: no raw control characters
            self.lines.append(" " * indent + "# " + _UNWRITABLE.sub(lambda m: _escape(m.group()), line))

    def value(self, indent: int, key: str, value: str, path: str, item: bool = False) -> None:
        lead = " " * indent + ("- " if item else "") + (f"{key}: " if key else "")
        self.field_lines[path] = len(self.lines) + 1
        if "\n" in value and not _UNWRITABLE.search(value):
            self.lines.append(lead.rstrip() + " |-" if key or item else lead + "|-")
            pad = " " * (indent + (2 if item else 0) + (2 if key else 0) + (0 if key or item else 2))
            self.lines += [pad + line if line else "" for line in value.split("\n")]
        else:
            self.lines.append(lead + scalar(value))

    def raw(self, line: str) -> None:
        self.lines.append(line)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _item_keys(record: Record, key: str) -> tuple[str, ...]:
    """The keys of a list's items, in schema order."""
    list_type = next(f.type for f in record.fields if f.key == key)
    assert isinstance(list_type, ListOf) and isinstance(list_type.item, Record)
    return tuple(f.key for f in list_type.item.fields)


# The keys of an indicator row and a project's header cells, in the order the schema (and a form) has them.
INDICATOR_KEYS = _item_keys(PROJECT, "indicators")
PROJECT_CELLS = ("supervisor", "implementer", "manager", "phone", "kind", "attribute", "period")


def modeline(path: Path, schema: str, schemas_dir: Path) -> str:
    relative = os.path.relpath(schemas_dir / f"{schema}.schema.json", path.parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}"


def notes_for(notes: list[Note], key: str) -> list[str]:
    """The notes on one file or row, as comments in the run's language: a warning says so."""
    return [say("emit.warning" if n.level == "warning" else "emit.note", text=n.said, where=n.where)
            for n in notes if n.key == key]


def department_yaml(imported: Imported, path: Path, schemas_dir: Path, source_name: str) -> Writer:
    d = imported.department
    w = Writer(modeline(path, "department", schemas_dir))
    w.comment(0, say("emit.imported_from", source=source_name))
    for note in notes_for(imported.notes, "department"):
        w.comment(0, note)
    w.value(0, "code", d["code"], "code")
    w.value(0, "name", d["name"], "name")
    w.value(0, "scope", d["scope"], "scope")
    w.raw(f"year: {d['year']}")
    w.value(0, "money_unit", d["money_unit"], "money_unit")
    if "framework" in d:
        w.value(0, "framework", d["framework"], "framework")
    if "form" in d:
        w.value(0, "form", d["form"], "form")
    if "overall" in d:  # a 申报表/批复表, a 部门整体 table or a flat sheet has no 总体绩效目标 text
        w.raw("")
        w.raw("overall:")
        w.value(2, "title", d["overall"]["title"], "overall.title")
        w.raw("  duties:")
        for i, duty in enumerate(d["overall"]["duties"]):
            w.value(4, "", duty, f"overall.duties.{i}", item=True)
    if "narrative" in d:
        n = d["narrative"]
        w.raw("")
        w.raw("narrative:")
        w.value(2, "title", n["title"], "narrative.title")
        if "intro" in n:
            w.value(2, "intro", n["intro"], "narrative.intro")
        w.raw("  items:" if n["items"] else "  items: []")  # an excerpt may be all intro
        for i, item in enumerate(n["items"]):
            w.value(4, "name", item["name"], f"narrative.items.{i}.name", item=True)
            for note in notes_for(imported.notes, f"narrative:{item['name']}"):
                w.comment(6, note)
            if "project" in item:
                w.value(6, "project", item["project"], f"narrative.items.{i}.project")
            w.raw("      paragraphs:")
            for j, paragraph in enumerate(item["paragraphs"]):
                w.value(8, "", paragraph, f"narrative.items.{i}.paragraphs.{j}", item=True)
    if "measures" in d:
        m = d["measures"]
        w.raw("")
        w.raw("measures:")
        w.value(2, "title", m["title"], "measures.title")
        w.raw("  items:")
        for i, measure in enumerate(m["items"]):
            w.value(4, "", measure, f"measures.items.{i}", item=True)
    if "whole" in d:
        w.raw("")
        for note in notes_for(imported.notes, "whole"):
            w.comment(0, note)
        whole_yaml(w, d["whole"])
    w.raw("")
    w.raw("projects:" if imported.projects else "projects: []")
    for project in imported.projects:
        w.value(2, "", project["code"], f"projects.{project['code']}", item=True)
    return w


def whole_yaml(w: Writer, whole: dict) -> None:
    """The 部门整体支出绩效目标表 as department.yaml's `whole` block."""
    w.raw("whole:")
    for key in ("title", "money_unit", "functions"):
        if key in whole:
            w.value(2, key, whole[key], f"whole.{key}")
    for kind in ("income", "expenditure"):
        if kind not in whole:
            continue
        composition = whole[kind]
        w.raw(f"  {kind}:")
        w.raw("    rows:")
        for i, row in enumerate(composition["rows"]):
            w.value(6, "name", row["name"], f"whole.{kind}.rows.{i}", item=True)
            amount_line(w, 8, "amount", row["amount"], f"whole.{kind}.rows.{i}.amount")
            if "share" in row:
                w.value(8, "share", row["share"], f"whole.{kind}.rows.{i}.share")
        if "total" in composition:
            amount_line(w, 4, "total", composition["total"], f"whole.{kind}.total")
        if "total_share" in composition:
            w.value(4, "total_share", composition["total_share"], f"whole.{kind}.total_share")
    for key in ("long_term_goals", "goals"):
        if key in whole:
            w.raw(f"  {key}:")
            for i, goal in enumerate(whole[key]):
                w.value(4, "", goal, f"whole.{key}.{i}", item=True)
    w.raw("  indicators:")
    indicators_yaml(w, 4, whole["indicators"], "whole.indicators")


def amount_line(w: Writer, indent: int, key: str, amount: str, path: str) -> None:
    """An amount, plain (100000.00) where YAML keeps it as text: gongkai reads it from its text, never as a float."""
    w.field_lines[path] = len(w.lines) + 1
    plain = re.fullmatch(r"\d[\d,]*(\.\d+)?", amount) and "," not in amount
    w.raw(" " * indent + f"{key}:" + (f" {amount if plain else scalar(amount)}" if amount else ""))


def indicators_yaml(w: Writer, indent: int, indicators: list[dict], path: str) -> None:
    """Indicator rows, each key in schema order; a 一级/二级 left out continues the merged cell above."""
    for i, indicator in enumerate(indicators):
        first = True
        for field_name in INDICATOR_KEYS:
            if field_name in indicator:
                field_path = f"{path}.{i}.{field_name}"
                if field_name == "weight" and _plain(indicator[field_name]):  # points, plain like amounts
                    w.field_lines[field_path] = len(w.lines) + 1
                    w.raw(" " * (indent if first else indent + 2) + ("- " if first else "")
                          + f"weight: {indicator['weight']}")
                else:
                    w.value(indent + (0 if first else 2), field_name, indicator[field_name], field_path, item=first)
                first = False


def project_yaml(imported: Imported, index: int, path: Path, schemas_dir: Path, department_unit: str) -> Writer:
    p = imported.projects[index]
    key = f"project:{index + 1}"
    w = Writer(modeline(path, "project", schemas_dir))
    w.comment(0, p.get("heading") or p.get("comment") or f"第二部分 {p['number']}. {p['name']}绩效目标表")
    for note in notes_for(imported.notes, key):
        w.comment(0, note)
    w.value(0, "code", p["code"], "code")
    w.value(0, "name", p["name"], "name")
    if p["money_unit"] != department_unit:
        w.value(0, "money_unit", p["money_unit"], "money_unit")
    for field_name in PROJECT_CELLS:
        if field_name in p:
            w.value(0, field_name, p[field_name], field_name)
    _budget(w, "budget", p["budget"])
    if "period_budget" in p:
        _budget(w, "period_budget", p["period_budget"])
    if "purpose" in p:
        w.value(0, "purpose", p["purpose"], "purpose")
    if "spending_plan" in p:
        w.raw("spending_plan:")
        for milestone in p["spending_plan"]:
            w.raw(f"  - {{milestone: {scalar(milestone['milestone'], flow=True)}, "
                  f"percent: {scalar(milestone['percent'], flow=True)}}}")
    for goals_key in ("long_term_goals", "goals"):
        if goals_key in p:
            w.raw(f"{goals_key}:")
            for i, goal in enumerate(p[goals_key]):
                w.value(2, "", goal, f"{goals_key}.{i}", item=True)
    w.raw("indicators:")
    indicators_yaml(w, 2, p["indicators"], "indicators")
    return w




def _plain(amount: str) -> bool:
    """Amounts and points stay plain (100000.00): gongkai reads them from their text, never as floats."""
    return bool(re.fullmatch(r"\d+(\.\d+)?", amount))


def _budget(w: Writer, key: str, budget: dict) -> None:
    w.raw(f"{key}:")
    for field_name in ("total", "fiscal", "other"):
        if field_name in budget:
            amount = budget[field_name]
            w.field_lines[f"{key}.{field_name}"] = len(w.lines) + 1
            w.raw(f"  {field_name}:" + (f" {amount if _plain(amount) else scalar(amount)}" if amount else ""))
    if "breakdown" in budget:
        w.raw("  breakdown:")
        for i, row in enumerate(budget["breakdown"]):
            w.value(4, "name", row["name"], f"{key}.breakdown.{i}.name", item=True)
            amount = row["amount"]
            w.field_lines[f"{key}.breakdown.{i}.amount"] = len(w.lines) + 1
            w.raw("      amount:" + (f" {amount if _plain(amount) else scalar(amount)}" if amount else ""))


def site_yaml(path: Path, schemas_dir: Path, name: str) -> str:
    return (f"{modeline(path, 'site', schemas_dir)}\n"
            f"title: {scalar(name + '预算绩效目标公开')}\n"
            f"publisher: {scalar(name)}\n")
