"""Characters: which ones a person cannot see, and what to do with them where they turn up.

Invisible and reordering characters let text hide what it says: a reviewer
cannot see them in a pull request, so they could hide a changed number
(CVE-2021-42574, "Trojan Source"), and on a terminal a control character can
rewrite the line a reviewer reads (`\\r0 errors`). One list, three uses:
content refuses them (load.py, scalars.py), text gongkai cannot refuse shows
them as U+FFFD on pages (git history), and every message printed to a
terminal shows them as escapes (diagnostics.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from builder.base.messages import Message, msg

BIDI = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])
ZERO_WIDTH = frozenset({"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"})
# Every format character (category Cf, as of Unicode 14: tests/test_hardening_content.py holds the list
# against this Python's unicodedata): all are invisible, the two sets above among them.
FORMAT = ((0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
          (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
          (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
          (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
          (0xE0020, 0xE007F))
# Noncharacters break XML (feed.xml, XLSX) and mean nothing; the rest are invisible and not Cf.
NONCHARACTERS = ((0xFDD0, 0xFDEF), *((plane + 0xFFFE, plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)))
# Each with the catalogue id of what it is.
OTHER_INVISIBLE = {"\u034f": "characters.grapheme_joiner", "\u2028": "characters.line_separator",
                   "\u2029": "characters.paragraph_separator", "\u115f": "characters.filler",
                   "\u1160": "characters.filler", "\u3164": "characters.filler", "\uffa0": "characters.filler"}
_CONTROLS = frozenset(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)])


def _ranges(ranges: Iterable[tuple[int, int]]) -> str:
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


_INVISIBLE = _ranges(FORMAT) + _ranges(NONCHARACTERS) + "".join(f"\\U{ord(c):08x}" for c in OTHER_INVISIBLE)
# Everything forbidden_character() refuses, as one character class: nearly every text has none,
# and a regex finds that out in C instead of a Python loop over each character.
ANY_FORBIDDEN = re.compile("[" + _INVISIBLE + re.escape("".join(sorted(_CONTROLS - set("\t\n\r")))) + "]")
# The forbidden characters that str.isprintable() passes (the others are control, format, unassigned or
# separator characters, which it does not): has_forbidden looks for these few with a regex of its own.
_PRINTABLE_FORBIDDEN = re.compile("[" + "".join(sorted(
    ch for ch in {*(chr(c) for a, b in FORMAT + NONCHARACTERS for c in range(a, b + 1)), *OTHER_INVISIBLE,
                  *(_CONTROLS - set("\t\n\r"))} if ch.isprintable())) + "]")


def has_forbidden(text: str) -> bool:
    """Whether `text` holds a character ANY_FORBIDDEN matches.

    The same answer as ANY_FORBIDDEN.search, many times faster on Chinese text, which has nearly
    always none: that regex tries each of its ranges on every character, isprintable() looks each
    one up once. Every content file and every value is asked (load.py, scalars.py)."""
    if text.isprintable() or text.replace("\n", " ").replace("\t", " ").replace("\r", " ").isprintable():
        return _PRINTABLE_FORBIDDEN.search(text) is not None
    return ANY_FORBIDDEN.search(text) is not None


# What a one-line message may not carry: the above, line breaks of every kind and tabs too.
_UNPRINTABLE = re.compile("[" + _INVISIBLE + re.escape("".join(sorted(_CONTROLS))) + "]")


def forbidden_character(ch: str) -> Message | None:
    """What `ch` is, if content may not hold it (tabs and line breaks are the file's own)."""
    if ch in BIDI:
        return msg("characters.bidi")
    if ch in ZERO_WIDTH:
        return msg("characters.zero_width")
    if ch in "\t\n\r":
        return None
    if ch in OTHER_INVISIBLE:
        return msg(OTHER_INVISIBLE[ch])
    category = unicodedata.category(ch)
    if category == "Cc":
        return msg("characters.control")
    if category == "Cf":
        return msg("characters.format")
    if any(a <= ord(ch) <= b for a, b in NONCHARACTERS):
        return msg("characters.noncharacter")
    return None


def neutralized(text: str) -> str:
    """`text` with each forbidden character replaced by a visible U+FFFD: for text a page shows that
    gongkai cannot refuse (a git commit's subject), under the same policy as content."""
    return ANY_FORBIDDEN.sub("\ufffd", text)


def printable(text: str) -> str:
    """`text` on one line with every invisible, reordering or control character as an escape
    (`\\x1b`, `\\u202e`): what a diagnostic quotes from content cannot act on the terminal."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
