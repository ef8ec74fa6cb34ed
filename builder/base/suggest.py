"""Which of the known names a misspelt or loosely written one is: one measure, two thresholds.

Similarity is difflib's ratio (twice the matched characters over both lengths). A hint to a
person ("did you mean `purpose`?") may be wrong at little cost, so it is offered from half the
characters in common (HINT). Taking a name to be a known one without asking (the importer filing a
paragraph under a project, lint reading a project's budget) writes or checks the wrong thing when
wrong, so it needs three quarters in common (SAME).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from builder.base.messages import Message, msg

HINT = 0.5
SAME = 0.75


def similarity(word: str, other: str) -> float:
    """How alike two names are: from 0 (no character in common) to 1 (the same)."""
    return difflib.SequenceMatcher(None, word, other).ratio()


def closest(word: str, choices: Iterable[str], cutoff: float = HINT) -> str | None:
    """The choice most like `word` (the first listed of equals), or None below `cutoff`."""
    best, best_score = None, 0.0
    for choice in choices:
        score = similarity(word, choice)
        if score > best_score:
            best, best_score = choice, score
    return best if best is not None and best_score >= cutoff else None


def suggestion(word: str, choices: Iterable[str]) -> Message | None:
    """The hint "did you mean `x`?", or None when no choice is close enough."""
    close = closest(word, choices)
    return msg("suggest.did_you_mean", name=close) if close is not None else None


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The same hint as text in this run's language, for a hint still made of text."""
    said = suggestion(word, choices)
    return said.text() if said is not None else None
