"""Stage rows: which approved target row each monitoring or self-evaluation row reports on.

An indicator keeps one identity from target to monitoring to self-evaluation (../shared/CYCLE.md,
"Across stages"): a stage row names the approved row by its 三级指标, with its 二级 where the name
repeats. A renamed or re-valued row keeps its approved name and records the change in
`adjustment`; a row the targets do not have says why in `added`. Matching is by that identity only,
never by position, so a reordered form still lines up, and a row that matches nothing is reported,
not published as a silent new indicator.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from builder.content.fields import Values
from builder.content.frameworks import Framework, squeeze
from builder.content.model import Indicator
from builder.content.stage_model import Adjustment
from builder.content.targets import Target


def key(text: str) -> str:
    """A name as compared: NFKC (full-width letters and brackets), no whitespace."""
    return squeeze(unicodedata.normalize("NFKC", text))


def match_rows(approved: Sequence[Indicator], rows: Sequence[Values], framework: Framework | None
               ) -> tuple[list[int | None], list[int]]:
    """For each stage row, the index of the approved row it names (None: none does, or it is
    `added`); and the indexes of the approved rows no stage row names, in their order."""
    unused = list(range(len(approved)))
    found: list[int | None] = []
    for row in rows:
        if row.ok("added") or not row.ok("name"):
            found.append(None)
            continue
        name = key(row.get("name"))
        level2 = _level2(row, framework)
        candidates = [i for i in unused if key(approved[i].name) == name
                      and (level2 is None or level2 in (approved[i].level2.canonical, key(approved[i].level2.raw)))]
        if candidates:
            unused.remove(candidates[0])
            found.append(candidates[0])
        else:
            found.append(None)
    return found, unused


def _level2(row: Values, framework: Framework | None) -> str | None:
    if not row.ok("level2"):
        return None
    label = row.get("level2")
    if framework is not None:
        for category in framework.categories:
            match = category.child(label)
            if match.found and match.category is not None:
                return match.category.name
    return key(label)


def adjustment_of(row: Values) -> Adjustment | None:
    if not row.ok("adjustment"):
        return None
    values = row.get("adjustment")
    return Adjustment(name=values.get("name"), target=values.get("target"), reason=values.get("reason"))


def target_in_force(approved: Indicator | None, row: Values) -> Target | None:
    """The target a stage row is measured against: the adjusted one, else the approved one, else
    (an added row) the one the form writes."""
    adjustment = adjustment_of(row)
    if adjustment is not None and adjustment.target is not None:
        return adjustment.target
    if approved is not None:
        return approved.target
    return row.get("target") if row.ok("target") else None


def shown_name(approved: Indicator | None, row: Values) -> str:
    adjustment = adjustment_of(row)
    if adjustment is not None and adjustment.name:
        return adjustment.name
    return approved.name if approved is not None else row.get("name", "")


__all__ = ["adjustment_of", "key", "match_rows", "shown_name", "target_in_force"]
