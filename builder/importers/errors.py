"""The importer's refusals: each names the place in a source (or the file) it is about.

`where` is a source position as the importer records it (`x.txt:12`,
`x.docx table 1 row 3`, `Sheet1!B3`), a file, or an option (`--year`); the
command line prints `where: error: message` and the hint, compiler style, in the
run's language (the message and hint are catalogue messages, base/messages.py).
"""

from __future__ import annotations

from pathlib import Path

from builder.base.diagnostics import as_message, display_path
from builder.base.messages import Message, say


class ImportProblem(Exception):
    """One reason the import cannot go on: what is wrong (`said`) and, when the catalogue's own hint
    for it is not the one to give, what to do (`advice`)."""

    def __init__(self, where: str, said: Message | str, advice: Message | str | None = None):
        self.where = where
        self.said = as_message(said)
        self.advice = None if advice is None else as_message(advice)
        super().__init__(where, self.said, self.advice)

    @property
    def message(self) -> str:
        return self.said.text()

    @property
    def hint(self) -> str | None:
        return self.advice.text() if self.advice is not None else self.said.hint()

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def format(self) -> str:
        text = f"{self.where}: {say('severity.error')}: {self.message}"
        hint = self.hint
        return text + (f"\n  {say('severity.hint')}: {hint}" if hint else "")

    def located(self, source: Path) -> ImportProblem:
        """The same problem with its position naming the source as the user gave it.

        Positions carry only the file's name (they are written into YAML comments,
        which must not depend on where the import ran); a refusal names the path.
        """
        return type(self)(locate(self.where, source), self.said, self.advice)


def locate(where: str, source: Path) -> str:
    """A source position (`x.txt:12`, `Sheet1!B3`) naming the source's path as given."""
    path = display_path(str(source))
    if where.startswith(source.name):
        return path + where[len(source.name):]
    if where in (str(source), path, "--year"):
        return where
    return f"{path} {where}"  # an .xlsx position, `Sheet1!B3`


class SourceError(ImportProblem):
    """The file cannot be read as a disclosure at all: missing, too big, a zip bomb, an unknown encoding."""


class ImportFailed(Exception):
    """The import was refused; `written` lists what was written before a write failed (usually nothing)."""

    def __init__(self, problems: list[ImportProblem], written: list[Path] | None = None):
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems
        self.written = written or []
