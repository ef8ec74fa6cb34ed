"""Characters: which ones a person cannot see, and what to do with them where they turn up.

Invisible and reordering characters let text hide what it says: a reviewer
cannot see them in a pull request, so they could hide a changed number
(CVE-2021-42574, "Trojan Source"), and on a terminal a control character can
rewrite the line a reviewer reads (`\\r0 errors`). One list, three uses:
content refuses them (load.py, fields.py), text gongkai cannot refuse shows
them as U+FFFD on pages (git history), and every message printed to a
terminal shows them as escapes (diagnostics.py).
"""

from __future__ import annotations

import re
import unicodedata

BIDI = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])
ZERO_WIDTH = frozenset({"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"})
_CONTROLS = frozenset(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)])
# Everything forbidden_character() refuses, as one character class: nearly every text has none,
# and a regex finds that out in C instead of a Python loop over each character.
ANY_FORBIDDEN = re.compile("[" + re.escape("".join(sorted(BIDI | ZERO_WIDTH | _CONTROLS - set("\t\n\r")))) + "]")
# What a one-line message may not carry: the above, line breaks of every kind and tabs too.
_UNPRINTABLE = re.compile("[" + re.escape("".join(sorted(BIDI | ZERO_WIDTH | _CONTROLS | {"\u2028", "\u2029"}))) + "]")


def forbidden_character(ch: str) -> str | None:
    """What `ch` is, if content may not hold it (tabs and line breaks are the file's own)."""
    if ch in BIDI:
        return "bidirectional control character"
    if ch in ZERO_WIDTH:
        return "zero-width character"
    if ch in "\t\n\r":
        return None
    if unicodedata.category(ch) == "Cc":
        return "control character"
    return None


def neutralized(text: str) -> str:
    """`text` with each forbidden character replaced by a visible U+FFFD: for text a page shows that
    gongkai cannot refuse (a git commit's subject), under the same policy as content."""
    return ANY_FORBIDDEN.sub("\ufffd", text)


def printable(text: str) -> str:
    """`text` on one line with every invisible, reordering or control character as an escape
    (`\\x1b`, `\\u202e`): what a diagnostic quotes from content cannot act on the terminal."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xFF
                            else f"\\x{ord(m.group()):02x}", text)
