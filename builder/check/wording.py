"""Wording: the catalogue's words inside text that check (and the stages after it) compose in code.

A finding that lists what it added up (`财政资金 100.00 元 + 其他资金 (blank)`) or the tiers it knows
(`良 (also 较好)`) is mostly numbers and the content's own names, with a word of ours here and there.
`compose` says such text as one message argument: each word of the catalogue is an entry that says
`{before}word{after}`, so the word is said in the language of the run that prints the finding, and
the plain text around it is kept as it is, in both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from builder.base.messages import Message, msg
from builder.base.suggest import closest


class Word(NamedTuple):
    """A word of the catalogue inside composed text: its id (an entry with `{before}` and `{after}`)
    and any arguments of its own."""

    key: str
    args: tuple[tuple[str, object], ...] = ()


BLANK = Word("wording.blank")  # an amount the form leaves blank
NONE = Word("wording.none")  # a cell the form does not have on this row


def compose(parts: Sequence[str | Word]) -> str | Message:
    """Plain text and words as one argument: text without words stays text."""
    segments: list[tuple[str, Word]] = []
    plain = ""
    for part in parts:
        if isinstance(part, Word):
            segments.append((plain, part))
            plain = ""
        else:
            plain += part
    said: str | Message = plain
    for before, word in reversed(segments):  # each word holds the text after it, words and all
        said = msg(word.key, before=before, after=said, **dict(word.args))
    return said


def joined(items: Iterable[Sequence[str | Word]], separator: str) -> str | Message:
    """Several composed items with `separator` between them (` + ` between the terms of a sum)."""
    parts: list[str | Word] = []
    for n, item in enumerate(items):
        parts += [separator] * (n > 0) + list(item)
    return compose(parts)


def suggestion(word: str, choices: Iterable[str]) -> Message | None:
    """"did you mean `x`?" when one of `choices` is close to `word` (suggest.closest), else None."""
    close = closest(word, choices)
    return msg("wording.did_you_mean", name=close) if close is not None else None
