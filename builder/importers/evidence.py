"""Evidence: what a document states about itself (its year, its unit, its money unit), each clue with
how much it weighs and where it is, so that a choice can be weighed and said with its evidence.

A clue is strong (a title: `2024年度部门预算`, the unit line), medium (a project code, a deadline, a
sentence of the text) or weak (a document number, a year inside a project's name, a basis): weak
clues name other years as often as the right one, so they decide only between strong or medium ones
and never decide alone (metadata.py, year_evidence.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from builder.importers.sources import Block, Para

STRONG, MEDIUM, WEAK = 10, 3, 1
# One kind of clue counts this many times at most: forty deadlines are not forty votes, and a title
# repeated on every page is one title.
MAX_PER_KIND = 3
MAX_TITLES = 2
MAX_QUOTED = 24  # characters of a clue's text quoted in a note


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


def short_where(where: str, source: str) -> str:
    """A position without the file's name, as a note says it: `x.txt:3` -> `line 3`."""
    if where.startswith(source + ":"):
        return "line " + where[len(source) + 1:]
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


def describe(clues: list[Clue], source: str) -> str:
    """The clues for one value, strongest first, as a note lists them:
    `title line 1; code 13099524…; 2 deadlines`."""
    by_kind: dict[str, list[Clue]] = {}
    for clue in sorted(clues, key=lambda c: -c.weight):
        by_kind.setdefault(clue.kind, []).append(clue)
    parts: list[str] = []
    for kind, group in by_kind.items():
        if kind == "title":  # each one, by where it is: `title line 1`
            parts += [f"title {short_where(c.where, source)}" for c in group[:MAX_TITLES]]
        elif kind == "unit line":
            parts += [f"unit line at {short_where(c.where, source)}" for c in group[:MAX_TITLES]]
        elif len(group) == 1:
            parts.append(f"{kind} {quoted(group[0].text)}")
        else:
            parts.append(f"{len(group)} {plural(kind)}" + (f" {quoted(group[0].text)}" if kind == "code" else ""))
    return "; ".join(parts)


def plural(kind: str) -> str:
    if kind.endswith("is"):
        return kind[:-2] + "es"  # basis -> bases
    return kind + ("es" if kind.endswith(("s", "x", "ch")) else "s")
