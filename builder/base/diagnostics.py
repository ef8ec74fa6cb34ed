"""Diagnostics: every problem in content, with where it is and what to do about it.

Positions are 1-based line and column, counted in characters (not bytes), so
they match what an editor shows for Chinese text. Stages never raise for bad
content; they add a Diagnostic to a Report and carry on, so one run shows
every problem at once.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from builder.base.characters import printable
from builder.base.messages import Message, msg, say, verbatim


class BuildError(Exception):
    """A failure outside the content that the person running the build can act on (a missing tool,
    an unusable output folder, a bad theme): the command line prints it as one `error:` line."""

    def __init__(self, said: Message):
        self.said = as_message(said)
        super().__init__(self.said.key)

    def __str__(self) -> str:
        return self.said.text()

    def __reduce__(self) -> tuple:  # a worker's refusal crosses to the parent as its message, not its text
        return (type(self), (self.said,))


# What the system's refusals mean to someone running a build (catalogue ids: what, then what to do about it).
OS_ERRORS = {
    errno.EACCES: ("diagnostics.eacces", "diagnostics.check_permissions"),
    errno.EPERM: ("diagnostics.eperm", "diagnostics.check_permissions"),
    errno.EROFS: ("diagnostics.erofs", "diagnostics.choose_writable"),
    errno.ENOSPC: ("diagnostics.enospc", "diagnostics.free_space"),
    errno.EDQUOT: ("diagnostics.edquot", "diagnostics.free_space"),
    errno.EFBIG: ("diagnostics.efbig", "diagnostics.check_ulimit_f"),
    errno.EMFILE: ("diagnostics.emfile", "diagnostics.raise_ulimit_n"),
    errno.ENAMETOOLONG: ("diagnostics.enametoolong", "diagnostics.choose_shorter"),
    errno.EADDRINUSE: ("diagnostics.eaddrinuse", "diagnostics.choose_port"),
    errno.EADDRNOTAVAIL: ("diagnostics.eaddrnotavail", "diagnostics.choose_address"),
}


def os_problem(exc: OSError) -> tuple[Message, Message | None]:
    """What an OSError means in words, and what to do about it (None: nothing to add); the system's
    own words for a refusal gongkai has none for."""
    known = OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    if known is None:
        return verbatim(exc.strerror or str(exc)), None
    what, hint = known
    return msg(what), msg(hint)


@contextlib.contextmanager
def keep_path(path: str | os.PathLike[str]) -> Iterator[None]:
    """Writing to `path` inside: an OSError that names no file (a write() that finds the disk full)
    is raised again naming it, so the command line can say where (cli.os_error)."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror, os.fspath(path)) from exc
        raise


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
    col: int  # 0: the column is not known (a template's problem: Jinja gives only the line)


@dataclass(frozen=True)
class Diagnostic:
    """One finding: where, how bad, and what to say about it (catalogue messages, said in the
    language of the run that prints it; a plain str is taken as words not to translate)."""

    severity: Severity
    pos: Pos
    said: Message
    advice: Message | None = None

    def __init__(self, severity: Severity, pos: Pos, said: Message, advice: Message | None = None):
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "pos", pos)
        object.__setattr__(self, "said", as_message(said))
        object.__setattr__(self, "advice", None if advice is None else as_message(advice))

    @property
    def message(self) -> str:
        return self.said.text()

    @property
    def hint(self) -> str | None:
        """The hint given with the finding, else the catalogue's own for its message."""
        return self.advice.text() if self.advice is not None else self.said.hint()

    def sort_key(self) -> tuple[str, int, int, bool, str]:
        return (self.pos.path, self.pos.line, self.pos.col, self.severity != Severity.ERROR, self.message)

    def format(self, cwd: str | None = None) -> str:
        """Two lines at most, whatever the content it quotes: a control character or line break in
        a key or a value shows as an escape, so content cannot forge a line (`\r0 errors`)."""
        path = printable(display_path(self.pos.path, cwd))
        where = f"{path}:{self.pos.line}:{self.pos.col}" if self.pos.col else f"{path}:{self.pos.line}"
        text = f"{where}: {say(f'severity.{self.severity.value}')}: {printable(self.message)}"
        hint = self.hint
        if hint:
            text += f"\n  {say('severity.hint')}: {printable(hint)}"
        return text

    def to_json(self) -> list:
        return [self.severity.value, *self.pos, self.said.to_json(),
                None if self.advice is None else self.advice.to_json()]

    @classmethod
    def from_json(cls, data: list) -> Diagnostic:
        severity, path, line, col, said, advice = data
        return cls(Severity(severity), Pos(path, line, col), Message.from_json(said),
                   None if advice is None else Message.from_json(advice))


def as_message(text: Message | str) -> Message:
    return text if isinstance(text, Message) else verbatim(text)


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

    def error(self, pos: Pos, message: Message, hint: Message | None = None) -> None:
        self.items.append(Diagnostic(Severity.ERROR, pos, message, hint))

    def warning(self, pos: Pos, message: Message, hint: Message | None = None) -> None:
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
