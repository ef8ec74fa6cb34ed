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


def modeline(path: Path, schema: str, schemas_dir: Path) -> str:
    relative = os.path.relpath(schemas_dir / f"{schema}.schema.json", path.parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}"


def notes_for(notes: list[Note], key: str) -> list[str]:
    """The notes on one file or row, as comments: a warning says so."""
    return [("warning: " if n.level == "warning" else "") + f"{n.text} ({n.where})" for n in notes if n.key == key]


def department_yaml(imported: Imported, path: Path, schemas_dir: Path, source_name: str) -> Writer:
    d = imported.department
    w = Writer(modeline(path, "department", schemas_dir))
    w.comment(0, f"Imported from {source_name} by `build.py import`; strings are as the source has them.")
    for note in notes_for(imported.notes, "department"):
        w.comment(0, note)
    w.value(0, "code", d["code"], "code")
    w.value(0, "name", d["name"], "name")
    w.value(0, "scope", d["scope"], "scope")
    w.raw(f"year: {d['year']}")
    w.value(0, "money_unit", d["money_unit"], "money_unit")
    if "framework" in d:
        w.value(0, "framework", d["framework"], "framework")
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
    w.raw("")
    w.raw("projects:")
    for project in imported.projects:
        w.value(2, "", project["code"], f"projects.{project['code']}", item=True)
    return w


def project_yaml(imported: Imported, index: int, path: Path, schemas_dir: Path, department_unit: str) -> Writer:
    p = imported.projects[index]
    key = f"project:{index + 1}"
    w = Writer(modeline(path, "project", schemas_dir))
    w.comment(0, f"第二部分 {p['number']}. {p['name']}绩效目标表")
    for note in notes_for(imported.notes, key):
        w.comment(0, note)
    w.value(0, "code", p["code"], "code")
    w.value(0, "name", p["name"], "name")
    if p["money_unit"] != department_unit:
        w.value(0, "money_unit", p["money_unit"], "money_unit")
    w.raw("budget:")
    for field_name in ("total", "fiscal", "other"):
        if field_name in p["budget"]:
            amount = p["budget"][field_name]
            w.field_lines[f"budget.{field_name}"] = len(w.lines) + 1
            # Amounts stay plain (100000.00): gongkai reads them from their text, never as floats.
            plain = re.fullmatch(r"\d[\d,]*(\.\d+)?", amount) and "," not in amount
            w.raw(f"  {field_name}:" + (f" {amount if plain else scalar(amount)}" if amount else ""))
    w.value(0, "purpose", p["purpose"], "purpose")
    w.raw("spending_plan:")
    for milestone in p["spending_plan"]:
        w.raw(f"  - {{milestone: {scalar(milestone['milestone'], flow=True)}, "
              f"percent: {scalar(milestone['percent'], flow=True)}}}")
    w.raw("goals:")
    for i, goal in enumerate(p["goals"]):
        w.value(2, "", goal, f"goals.{i}", item=True)
    w.raw("indicators:")
    for i, indicator in enumerate(p["indicators"]):
        first = True
        for field_name in ("level1", "level2", "name", "description", "target", "basis"):
            if field_name in indicator:
                w.value(4 if not first else 2, field_name, indicator[field_name], f"indicators.{i}.{field_name}",
                        item=first)
                first = False
    return w


def site_yaml(path: Path, schemas_dir: Path, name: str) -> str:
    return (f"{modeline(path, 'site', schemas_dir)}\n"
            f"title: {scalar(name + '预算绩效目标公开')}\n"
            f"publisher: {scalar(name)}\n")
