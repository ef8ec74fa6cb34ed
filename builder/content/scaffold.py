"""`build.py new`: a department or project file to fill in, every field explained.

Generated from the schema (schema.py), so the explanations are the ones
`check` and the editors' JSON Schema use. The file is valid YAML with the
placeholder 待填写 in every value to write (fields.PLACEHOLDER, which no field
accepts), and no other value but the code it is given: an example value
(a year, a unit, a category) would pass `check` and be published unread, so
examples are in the comments only, and `check` lists exactly what is left.
An optional field is there too, commented out, so a publisher sees every key
a form may need (the 申报表's header cells, 实施期 money and goals, a budget's
funding sources, the 部门整体支出绩效目标表) without having to fill it in: a
block is uncommented whole (an editor's toggle-comment removes one `# `),
and its placeholders are then check errors like the others. The sections of
the default (Hebei) layout are written to fill in, as a publisher of it
needs them. A new project is added to its department's `projects:` list
(list_project), the department.yaml's text edited in one place only.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from builder.base.diagnostics import Report
from builder.base.files import NotRegularFile, TooLarge, read_regular, write_atomic, write_new
from builder.base.limits import MAX_FILE_BYTES
from builder.base.messages import msg
from builder.base.names import unportable
from builder.content.codes import CODE_HINT, CODE_PATTERN
from builder.content.fields import PLACEHOLDER, ListOf, Record
from builder.content.load import Node, parse_text
from builder.content.schema import DEPARTMENT, PROJECT

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
            value = given.get(field.key, PLACEHOLDER)
            prefix = "" if field.required or field.key in ALWAYS_WRITTEN else "# "
            lines.append(f"{lead}{prefix}{field.key}: {value}".rstrip())
    return lines


def _commented(line: str, at: int) -> str:
    """A line of an optional block, commented out at the block's indent (`at`), so that removing one
    `# ` gives the line back."""
    return f"{line[:at]}# {line[at:]}"


# An item of a block list on a line of its own: `  - CODE  # comment`.
_LIST_ITEM = re.compile(r"( *)-( +)")
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_ITEM_REST = re.compile(r"""(?P<raw>'[^']*'|"[^"\\]*"|[^\s#'"][^\s#]*) *(?P<comment>#.*)?""")


def list_project(department: Path, code: str) -> bool:
    """Add `- code` to the `projects:` list of `department` (a department.yaml), in place of a 待填写
    item or after its last item, with their indent; nothing else of the file changes (its comments, its
    order, its line ends). True when the code is listed (or already was); False, and the file is left
    as it was, where the list is not one plain item per line (a flow list `[…]`, an item spread over
    lines) or the file cannot be read: the caller then says which line to add."""
    try:
        data = read_regular(department, MAX_FILE_BYTES)
        text = data.decode("utf-8")
    except (OSError, ValueError, NotRegularFile, TooLarge):  # ValueError: not UTF-8
        return False
    items = _project_items(text)
    if items is None:
        return False
    if any(item.value == code for item in items):
        return True
    lines = text.splitlines(keepends=True)
    end = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    placeholder = next((item for item in items if item.value == PLACEHOLDER), None)
    if placeholder is not None:  # the line `new department` wrote: the code takes its place
        at = placeholder.pos.line - 1
        line = lines[at]
        rest = line[placeholder.pos.col - 1:].rstrip("\r\n")
        found = _ITEM_REST.fullmatch(rest)
        if found is None:
            return False
        lines[at] = line[:placeholder.pos.col - 1] + code + rest[found.end("raw"):] + line[len(line.rstrip("\r\n")):]
    else:
        last = items[-1]
        lead = lines[last.pos.line - 1][:last.pos.col - 1]  # `  - `
        if not lines[last.pos.line - 1].endswith(("\n", "\r")):
            lines[last.pos.line - 1] += end
        lines.insert(last.pos.line, f"{lead}{code}{end}")
    edited = "".join(lines)
    after = _project_items(edited)
    wanted = [code if item is placeholder else item.value for item in items] + ([] if placeholder else [code])
    if after is None or [item.value for item in after] != wanted:
        return False  # the edit did not give the list it should: leave the file to the publisher
    write_atomic(department, edited.encode("utf-8"))
    return True


def _project_items(text: str) -> list[Node] | None:
    """The items of a department file's top-level `projects:` list, where each is a plain or quoted
    scalar alone on its line as `- CODE`; None for any other shape."""
    if _OTHER_BREAKS.search(text):  # lines YAML and str.splitlines() would count differently
        return None
    root = parse_text(Path("department.yaml"), text, Report())
    if not isinstance(root, Node) or root.kind != "map":
        return None
    found = [value for key, value in root.value if key.kind == "scalar" and key.value == "projects"]
    if len(found) != 1 or found[0].kind != "seq" or not found[0].value:
        return None
    lines = text.splitlines()
    items = found[0].value
    for item in items:
        line = lines[item.pos.line - 1] if item.pos.line <= len(lines) else ""
        lead, rest = line[:item.pos.col - 1], line[item.pos.col - 1:]
        written = _ITEM_REST.fullmatch(rest)
        if (item.kind != "scalar" or item.style not in ("", "'", '"') or not _LIST_ITEM.fullmatch(lead)
                or written is None or written.group("raw").strip("'\"") != item.value):
            return None
    if len({lines[item.pos.line - 1][:item.pos.col - 1] for item in items}) != 1:
        return None  # items at different indents: not a list to extend by copying one
    return items
