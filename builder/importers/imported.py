"""What import makes of one source: the department and project records, and the notes on them.

A Note is what the importer interpreted or could not place; emit.py writes it as a YAML comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.importers.errors import ImportProblem


@dataclass
class Note:
    """Something the importer interpreted or could not place; becomes a YAML comment."""

    key: str  # where in the output it belongs: "department", "project:CODE", or a field path
    text: str
    where: str  # source position


@dataclass
class Imported:
    department: dict = field(default_factory=dict)
    projects: list[dict] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    sources: dict = field(default_factory=dict)  # (file key, field path) -> source position
    source: str = "?"  # the file's name: the position of what is missing from the whole file


class ImportError_(ImportProblem):
    """The source has no shape we can read a disclosure from."""
