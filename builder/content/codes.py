"""Codes and ids: the patterns every code and id in content is held to, in one place.

Codes become folder names and URLs, so they are held to a strict pattern before any path is joined (RELIABILITY.md, "Output").
"""

from __future__ import annotations

from builder.base.messages import msg
from builder.content.scalars import Text

CODE_PATTERN = r"[0-9A-Za-z][0-9A-Za-z_-]{0,63}"
CODE_HINT = msg("codes.code_hint")
ID_PATTERN = r"[a-z0-9][a-z0-9_-]{0,63}"

# Codes also name files and folders: portable=True refuses the names Windows reserves (names.py).
Code = Text(pattern=CODE_PATTERN, pattern_hint=CODE_HINT, portable=True)

__all__ = ["CODE_HINT", "CODE_PATTERN", "ID_PATTERN", "Code"]
