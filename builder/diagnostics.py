"""Diagnostics: every problem in content, with where it is and what to do about it.

Positions are 1-based line and column, counted in characters (not bytes), so
they match what an editor shows for Chinese text. Stages never raise for bad
content; they add a Diagnostic to a Report and carry on, so one run shows
every problem at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple


class BuildError(Exception):
    """A failure outside the content that the person running the build can act on (a missing tool,
    an unusable output folder, a bad theme): the command line prints it as one `error:` line."""


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Pos(NamedTuple):
    """A place in a content file. `path` is absolute; display makes it relative.

    A named tuple rather than a frozen dataclass: every YAML node has one, and
    building a tuple costs a fraction of a frozen dataclass's __init__.
    """

    path: str
    line: int
    col: int


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    pos: Pos
    message: str
    hint: str | None = None

    def sort_key(self):
        return (self.pos.path, self.pos.line, self.pos.col, self.severity != Severity.ERROR, self.message)

    def format(self, cwd: str | None = None) -> str:
        path = display_path(self.pos.path, cwd)
        text = f"{path}:{self.pos.line}:{self.pos.col}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def display_path(path: str, cwd: str | None = None) -> str:
    """Relative to the current directory, as compilers print it, when that is shorter."""
    cwd = cwd or os.getcwd()
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:  # another drive on Windows
        return path
    return rel if len(rel) <= len(path) else path


@dataclass
class Report:
    """Collects diagnostics from every stage of one run."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, pos: Pos, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(Severity.ERROR, pos, message, hint))

    def warning(self, pos: Pos, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(Severity.WARNING, pos, message, hint))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        # A rule may see the same fault from two records; say it once.
        return sorted(set(self.items), key=Diagnostic.sort_key)

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))
