"""`build.py new`: a department or project file to fill in, every field explained.

Generated from the schema (schema.py), so the explanations are the ones
`check` and the editors' JSON Schema use. The file is valid YAML with a
placeholder in every required field, so `check` lists exactly what is left.
An optional field is there too, commented out, so a publisher sees every key
a form may need (the 申报表's header cells, 实施期 money and goals, a budget's
funding sources, the 部门整体支出绩效目标表) without having to fill it in: a
block is uncommented whole (an editor's toggle-comment removes one `# `),
and its placeholders are then check errors like the others. The sections of
the default (Hebei) layout are written to fill in, as a publisher of it
needs them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from builder.base.files import write_new
from builder.base.messages import msg
from builder.base.names import unportable
from builder.content.codes import CODE_HINT, CODE_PATTERN
from builder.content.fields import PLACEHOLDER, ListOf, Record
from builder.content.schema import DEPARTMENT, PROJECT

EXAMPLES = {
    "year": "2022", "money_unit": "元", "total": "", "fiscal": "", "other": "", "percent": "100%",
    "milestone": "12月底", "scope": "本级", "target": "'≥**次'", "level1": "产出指标", "level2": "数量指标",
}
# Optional in the schema, but written to fill in: the first indicator row needs its categories, and
# the default (Hebei) layout has these sections (schema.py: other layouts have none of them).
ALWAYS_WRITTEN = {"level1", "level2", "purpose", "spending_plan", "overall", "narrative", "measures"}


def scaffold(kind: str, folder: Path, code: str, schemas_dir: Path) -> Path:
    if not re.fullmatch(CODE_PATTERN, code):
        raise ValueError(msg("scaffold.bad_code", code=repr(code), problem=CODE_HINT))
    if problem := unportable(code):  # check would refuse it: never write it
        raise ValueError(msg("scaffold.bad_code", code=repr(code), problem=problem))
    if kind == "department":
        path, record = folder / "department.yaml", DEPARTMENT
    else:
        if not (folder / "department.yaml").is_file():
            raise ValueError(msg("scaffold.no_department", folder=folder))
        path, record = folder / "projects" / f"{code}.yaml", PROJECT
    if path.exists():
        raise FileExistsError(msg("scaffold.exists", path=path))
    schema = os.path.relpath(schemas_dir / f"{record.name}.schema.json", path.parent)
    lines = [f"# yaml-language-server: $schema={Path(schema).as_posix()}",
             f"# A new {record.name}: replace every {PLACEHOLDER}, then run `python build.py check`.", ""]
    lines += _fields(record, 0, {"code": code})
    if kind == "project":
        lines += ["", f"# Add `- {code}` to `projects:` in {folder.name}/department.yaml."]
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_new(path, ("\n".join(lines) + "\n").encode("utf-8"))
    except FileExistsError:  # made meanwhile, or a link the look above did not see as a file
        raise FileExistsError(msg("scaffold.exists", path=path)) from None
    return path


def _fields(record: Record, indent: int, given: dict, item: bool = False) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for n, field in enumerate(record.fields):
        lead = pad + ("- " if item and n == 0 else "  " if item else "")
        required = "" if field.required else "optional: "
        lines.append(f"{pad}{'  ' if item and n else ''}# {field.title} — {required}{field.description}")
        kind = field.type
        block: list[str] = []
        if isinstance(kind, Record):
            block.append(f"{lead}{field.key}:")
            block += _fields(kind, indent + 2 + (2 if item else 0), given)
        elif isinstance(kind, ListOf) and isinstance(kind.item, Record):
            block.append(f"{lead}{field.key}:")
            block += _fields(kind.item, indent + 2 + (2 if item else 0), given, item=True)
        elif isinstance(kind, ListOf):
            block.append(f"{lead}{field.key}:")
            block.append(f"{pad}{'    ' if item else '  '}- {PLACEHOLDER}")
        if block and not field.required and field.key not in ALWAYS_WRITTEN:
            lines += [_commented(line, len(pad)) for line in block]
        elif block:
            lines += block
        else:
            value = given.get(field.key, EXAMPLES.get(field.key, PLACEHOLDER))
            prefix = "" if field.required or field.key in ALWAYS_WRITTEN else "# "
            lines.append(f"{lead}{prefix}{field.key}: {value}".rstrip())
    return lines


def _commented(line: str, at: int) -> str:
    """A line of an optional block, commented out at the block's indent (`at`), so that removing one
    `# ` gives the line back."""
    return f"{line[:at]}# {line[at:]}"
