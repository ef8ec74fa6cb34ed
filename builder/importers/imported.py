"""What import makes of one source: the department and project records, or the stage files, and
the notes on them.

A Note is what the importer interpreted or could not place; emit.py writes it as a YAML comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.base.messages import Message
from builder.importers.errors import ImportProblem


@dataclass
class Note:
    """Something the importer interpreted or could not place; becomes a YAML comment, said (like its
    hint) in the run's language: the publisher reads the imported files."""

    key: str  # where in the output it belongs: "department", "project:CODE", or a field path
    said: Message
    where: str  # source position
    level: str = "note"  # "warning" when a value was interpreted or left out and a person should look
    advice: Message | None = None  # a hint other than the catalogue's own for `said`

    @property
    def text(self) -> str:
        return self.said.text()

    @property
    def hint(self) -> str | None:
        return self.advice.text() if self.advice is not None else self.said.hint()


@dataclass
class Imported:
    department: dict = field(default_factory=dict)
    projects: list[dict] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    sources: dict = field(default_factory=dict)  # (file key, field path) -> source position
    source: str = "?"  # the file's name: the position of what is missing from the whole file
    stages: list[StageFile] = field(default_factory=list)  # monitoring and self-evaluation files
    problems: list[ImportProblem] = field(default_factory=list)  # forms reported and not written


@dataclass
class StageFile:
    """One monitoring or self-evaluation file to write beside its project's targets (or its department's)."""

    kind: str  # "evaluation", "monitoring" or "department-evaluation"
    folder: str  # the department folder under the content folder, e.g. 2022/304001
    code: str  # the project's code, the file's name (the unit's code for the department's evaluation.yaml)
    fields: dict  # the file's keys and values, in schema order
    title: str  # the form's title, for the file's first comment
    money_unit: str  # the unit the amounts are written in (the project's or department's)


class ImportError_(ImportProblem):
    """The source has no shape we can read a disclosure from."""
