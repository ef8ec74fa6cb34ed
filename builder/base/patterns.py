"""Patterns for label-sized texts: a heading, a unit line, a page number, a name with its phone.

Several of import's patterns let a run of spaces or characters match in more than one way
(`\\s*(.+?)\\s*`), which costs nothing on a real label and minutes, or hours, on a hostile cell of
thousands of spaces. A label is short: text longer than a pattern's `limit` is never that label, and
is not matched at all. (A long text is still read; it just cannot be a heading or a unit line.)
"""

from __future__ import annotations

import re


class Short:
    """A compiled pattern that only looks at texts of at most `limit` characters."""

    def __init__(self, pattern: str, limit: int = 200, flags: int = 0) -> None:
        self.regex = re.compile(pattern, flags)
        self.limit = limit
        self.pattern = pattern

    def match(self, text: str) -> re.Match[str] | None:
        return self.regex.match(text) if len(text) <= self.limit else None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.regex.fullmatch(text) if len(text) <= self.limit else None

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text) if len(text) <= self.limit else None
