"""Portable names: whether a file or folder name, or a code that becomes one, works everywhere.

Content is kept in git and the site is published as files; both are checked out and
unzipped on Windows and macOS too. There, `CON`, `aux.txt` or `nul.yaml` are devices, not
files; a name ending in a dot or a space loses it; and `P001` and `p001` (or `dept` and
the full-width `ｄｅｐｔ`) are one name, so one file silently overwrites the other. This
module is the one place that decides; tree.ContentFiles asks it about every name in the
content folder, the code fields (schema.Code) about every code, check.check_unique_codes
compares codes by `fold`.
"""

from __future__ import annotations

import unicodedata

from builder.base.characters import ANY_FORBIDDEN, printable
from builder.base.messages import Message, msg

_DEVICES = ("CON", "PRN", "AUX", "NUL", *(f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", *"¹²³")))
RESERVED = frozenset(_DEVICES)
# Characters Windows refuses in a file name (besides the separators, which never occur in one).
_WINDOWS_FORBIDDEN = frozenset('<>:"\\|?*') | {chr(c) for c in range(32)}


def reserved_device(name: str) -> str | None:
    """The device a name stands for on Windows (`CON` for `con.txt`, `Com1 .yaml`), or None."""
    base = name.split(".", 1)[0].rstrip(" ").upper()
    return base if base in RESERVED else None


def unportable(name: str) -> Message | None:
    """Why a file or folder name cannot be checked out on every system, or None when it can."""
    device = reserved_device(name)
    if device:
        return msg("names.reserved_device", name=name, device=device)
    if name.endswith((".", " ")):
        return msg("names.ends_with_dot" if name.endswith(".") else "names.ends_with_space", name=name)
    hidden = ANY_FORBIDDEN.search(name)
    if hidden:  # not Windows' concern but a reviewer's: `304001\u200b` looks like `304001`
        return msg("names.invisible", name=printable(name), code=f"{ord(hidden.group()):04X}")
    bad = sorted(set(name) & _WINDOWS_FORBIDDEN)
    if bad:
        return msg("names.windows_forbidden", name=name, characters=", ".join(repr(c) for c in bad))
    return None


def fold(name: str) -> str:
    """The name as a case-insensitive file system may see it: `P001`, `p001` and `Ｐ００１` are one."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def reserved_pattern() -> str:
    """The reserved names as a JSON Schema (ECMAScript) pattern, for the editors' `not`."""
    def insensitive(word: str) -> str:
        return "".join(f"[{c.upper()}{c.lower()}]" for c in word)
    ports = "[1-9¹²³]"
    names = [*(insensitive(d) for d in ("CON", "PRN", "AUX", "NUL")), f"{insensitive('COM')}{ports}",
             f"{insensitive('LPT')}{ports}"]
    return f"^({'|'.join(names)}) *(\\..*)?$"
