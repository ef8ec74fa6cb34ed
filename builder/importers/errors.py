"""The importer's refusals: each names the place in a source (or the file) it is about.

`where` is a source position as the importer records it (`x.txt:12`,
`x.docx table 1 row 3`, `Sheet1!B3`), a file, or an option (`--year`); the
command line prints `where: error: message` and the hint, compiler style.
"""

from __future__ import annotations

from pathlib import Path

from builder.base.diagnostics import display_path


class ImportProblem(Exception):
    """One reason the import cannot go on."""

    def __init__(self, where: str, message: str, hint: str | None = None):
        super().__init__(f"{where}: {message}")
        self.where, self.message, self.hint = where, message, hint

    def format(self) -> str:
        text = f"{self.where}: error: {self.message}"
        return text + (f"\n  hint: {self.hint}" if self.hint else "")

    def located(self, source: Path) -> ImportProblem:
        """The same problem with its position naming the source as the user gave it.

        Positions carry only the file's name (they are written into YAML comments,
        which must not depend on where the import ran); a refusal names the path.
        """
        return type(self)(locate(self.where, source), self.message, self.hint)


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
