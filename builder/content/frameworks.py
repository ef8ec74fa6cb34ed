"""Indicator frameworks: which 一级/二级 categories exist, and what labels mean them.

A framework is data (builder/frameworks/*.yaml, or content/frameworks/*.yaml
for a site's own), never code: the classic one files 成本指标 under 产出指标,
the 2021 one (财预〔2021〕101号) makes it a first level. Documents write the
same category many ways: "效果指标", "产出指标（50分）", "可持续效益指标".
The label is kept verbatim; `match` says which category it means and how.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.content.fields import Values

BUILTIN_DIR = Path(__file__).parent / "frameworks"

# "产出指标（50分）", "产出指标(50分)", "产出指标 50分": a weight, not part of the name.
_WEIGHT = re.compile(r"\s*[（(]?\s*\d+(?:\.\d+)?\s*分\s*[）)]?\s*$")


@dataclass(frozen=True)
class Category:
    name: str
    aliases: tuple[str, ...] = ()
    cost: bool = False
    children: tuple["Category", ...] = ()

    def child(self, label: str) -> "Match":
        return _match(label, self.children)


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    basis: str | None
    categories: tuple[Category, ...]

    def level1(self, label: str) -> "Match":
        return _match(label, self.categories)

    def pairs(self) -> list[str]:
        return [f"{c.name}/{k.name}" for c in self.categories for k in c.children]


@dataclass(frozen=True)
class Match:
    category: Category | None
    how: str  # "exact", "alias", "weight" (a weight or spacing was stripped), "none"

    @property
    def found(self) -> bool:
        return self.category is not None


def squeeze(text: str) -> str:
    """Text without any whitespace: Word exports put runs of spaces inside labels (其中：财政    资金)."""
    return re.sub(r"\s+", "", text)


def normalize_label(label: str) -> str:
    """Drop spacing and a trailing weight ("产出指标（50分）")."""
    return _WEIGHT.sub("", squeeze(label))


def _match(label: str, candidates: tuple[Category, ...]) -> Match:
    for category in candidates:
        if label == category.name:
            return Match(category, "exact")
    bare = normalize_label(label)
    for category in candidates:
        if bare == category.name:
            return Match(category, "weight")
    for category in candidates:
        if label in category.aliases or bare in category.aliases:
            return Match(category, "alias")
    return Match(None, "none")


def framework_from_values(values: Values) -> Framework:
    """Build a Framework from validated `framework` Values (see schema.FRAMEWORK)."""

    def category(v: Values) -> Category:
        return Category(
            name=v.get("name"),
            aliases=tuple(a for a in v.get("aliases", []) if a),
            cost=bool(v.get("cost", False)),
            children=tuple(category(c) for c in v.get("children", []) if c),
        )

    return Framework(
        id=values.get("id"),
        title=values.get("title"),
        basis=values.get("basis"),
        categories=tuple(category(c) for c in values.get("categories", []) if c),
    )


@dataclass(frozen=True)
class Row:
    """One indicator row's categories after merged cells are filled in."""

    level1: str | None  # the label in force (written here or carried from above)
    level1_continues: bool  # nothing written here: the merged cell above continues
    level1_match: Match
    level2: str | None
    level2_continues: bool
    level2_match: Match


def resolve_rows(rows: Sequence[Values | None], framework: Framework) -> list[Row | None]:
    """Fill merged 一级/二级 cells from the row above and match them to `framework`.

    `rows` are indicator Values (or None for rows that failed validation).
    A blank cell continues the one above, as merged cells do on the form; a
    new 一级 starts a new block, so it needs its own 二级.
    """
    result: list[Row | None] = []
    level1 = level2 = None
    match1 = match2 = Match(None, "none")
    for values in rows:
        if values is None:
            result.append(None)
            continue
        written1, written2 = values.get("level1"), values.get("level2")
        if written1 is not None:
            level1, match1 = written1, framework.level1(written1)
            level2, match2 = None, Match(None, "none")
        if written2 is not None:
            level2 = written2
            match2 = match1.category.child(written2) if match1.category is not None else Match(None, "none")
        result.append(Row(level1, written1 is None, match1, level2, written2 is None, match2))
    return result
