"""Evidence: what a document states about itself (its year, its unit, its money unit), each clue with
how much it weighs and where it is, so that a choice can be weighed and said with its evidence.

A clue is strong (a title: `2024年度部门预算`, the unit line), medium (a project code, a deadline, a
sentence of the text) or weak (a document number, a year inside a project's name, a basis): weak
clues name other years as often as the right one, so they decide only between strong or medium ones
and never decide alone (metadata.py, year_evidence.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from builder.base.messages import Message, msg
from builder.importers.sources import Block, Para

STRONG, MEDIUM, WEAK = 10, 3, 1
# One kind of clue counts this many times at most: forty deadlines are not forty votes, and a title
# repeated on every page is one title.
MAX_PER_KIND = 3
MAX_TITLES = 2
MAX_QUOTED = 24  # characters of a clue's text quoted in a note
# Each kind of clue in a note's words: (one of it, several of it).
KIND_WORDS = {
    "code": (msg("evidence.kind_code"), msg("evidence.kinds_code")),
    "deadline": (msg("evidence.kind_deadline"), msg("evidence.kinds_deadline")),
    "basis": (msg("evidence.kind_basis"), msg("evidence.kinds_basis")),
    "text": (msg("evidence.kind_text"), msg("evidence.kinds_text")),
    "document number": (msg("evidence.kind_document_number"), msg("evidence.kinds_document_number")),
    "notice name": (msg("evidence.kind_notice_name"), msg("evidence.kinds_notice_name")),
    "project name": (msg("evidence.kind_project_name"), msg("evidence.kinds_project_name")),
    "title": (msg("evidence.kind_title"), msg("evidence.kinds_title")),
    "unit line": (msg("evidence.kind_unit_line"), msg("evidence.kinds_unit_line")),
    "unit cell": (msg("evidence.kind_unit_cell"), msg("evidence.kinds_unit_cell")),
    "unit code cell": (msg("evidence.kind_unit_code_cell"), msg("evidence.kinds_unit_code_cell")),
    "主管部门": (msg("evidence.kind_supervisor"), msg("evidence.kinds_supervisor")),
    "实施单位": (msg("evidence.kind_implementer"), msg("evidence.kinds_implementer")),
    "line": (msg("evidence.kind_line"), msg("evidence.kinds_line")),
    "cell": (msg("evidence.kind_cell"), msg("evidence.kinds_cell")),
    "label": (msg("evidence.kind_label"), msg("evidence.kinds_label")),
}
# The parts of a list of clues (describe): each with its words first in the list and after another part.
_TITLE = ("evidence.title", "evidence.title_then")
_UNIT_LINE = ("evidence.unit_line", "evidence.unit_line_then")
_ONE = ("evidence.one", "evidence.one_then")
_SEVERAL = ("evidence.several", "evidence.several_then")
_CODES = ("evidence.codes", "evidence.codes_then")
_LINE = re.compile(r"(\d+)(.*)", re.S)


@dataclass(frozen=True)
class Clue:
    value: str  # what it says: a year ("2024"), a money unit ("万元"), a scope ("本级")
    kind: str  # what it is, as a note names it: "title", "code", "deadline", "document number" …
    weight: int  # STRONG, MEDIUM or WEAK
    text: str  # the evidence as written
    where: str  # its source position


def lines_of(blocks: Iterable[Block]) -> list[Para]:
    """Every line a title or a statement may be on: the paragraphs, and each row of one filled cell
    (a title row merged across a table, an .xlsx title in A1)."""
    lines: list[Para] = []
    for block in blocks:
        if isinstance(block, Para):
            lines.append(block)
        elif len(filled := block.filled()) == 1:
            lines.append(Para(filled[0].text, filled[0].where))
    return lines


def short_where(where: str, source: str) -> Message | str:
    """A position without the file's name, as a note says it: `x.txt:3` -> `line 3`."""
    if where.startswith(source + ":"):
        line = _LINE.fullmatch(where[len(source) + 1:])
        if line:
            return msg("evidence.line", line=int(line[1]), rest=line[2])
        return where[len(source) + 1:]
    if where.startswith(source + " "):
        return where[len(source) + 1:]
    return where


def quoted(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_QUOTED else flat[:MAX_QUOTED - 1] + "…"


def scores(clues: Iterable[Clue]) -> dict[str, int]:
    """Each value's weight: the sum over the kinds of clue of its weight, each kind counted at most
    MAX_PER_KIND times (titles MAX_TITLES)."""
    counted: dict[tuple[str, str], int] = {}
    total: dict[str, int] = {}
    for clue in clues:
        seen = counted.get((clue.value, clue.kind), 0)
        if seen < (MAX_TITLES if clue.kind == "title" else MAX_PER_KIND):
            counted[(clue.value, clue.kind)] = seen + 1
            total[clue.value] = total.get(clue.value, 0) + clue.weight
    return total


Part = tuple[tuple[str, str], dict[str, object]]


def describe(clues: list[Clue], source: str) -> Message | str:
    """The clues for one value, strongest first, as a note lists them:
    `title line 1; code 13099524…; 2 deadlines` ("" for none)."""
    by_kind: dict[str, list[Clue]] = {}
    for clue in sorted(clues, key=lambda c: -c.weight):
        by_kind.setdefault(clue.kind, []).append(clue)
    parts: list[Part] = []
    for kind, group in by_kind.items():
        if kind == "title":  # each one, by where it is: `title line 1`
            parts += [(_TITLE, {"where": short_where(c.where, source)}) for c in group[:MAX_TITLES]]
        elif kind == "unit line":
            parts += [(_UNIT_LINE, {"where": short_where(c.where, source)}) for c in group[:MAX_TITLES]]
        elif len(group) == 1:
            parts.append((_ONE, {"kind": KIND_WORDS[kind][0], "text": quoted(group[0].text)}))
        elif kind == "code":
            parts.append((_CODES, {"count": len(group), "text": quoted(group[0].text)}))
        else:
            parts.append((_SEVERAL, {"count": len(group), "kinds": KIND_WORDS[kind][1]}))
    return chain(parts)


def chain(parts: list[Part]) -> Message | str:
    """Parts of a list said one after the other: each message has a `{rest}` for what follows it, and
    a `_then` form, starting with the separator, for a part after the first ("" for no parts)."""
    said: Message | str = ""
    for index in range(len(parts) - 1, -1, -1):
        (first, then), args = parts[index]
        said = msg(then if index else first, **args, rest=said)
    return said
