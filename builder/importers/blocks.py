"""What every reader of a source makes: paragraphs and table rows of cells, each with its position.

sources.py reads a file in any shape into a list of these; every layout's reader takes them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["Block", "Cell", "Para", "Row", "clean"]


@dataclass(frozen=True)
class Para:
    text: str
    where: str


@dataclass(frozen=True)
class Cell:
    text: str
    where: str


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    where: str

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def filled(self) -> list[Cell]:
        return [c for c in self.cells if c.text]


Block = Para | Row


def clean(text: str) -> str:
    """NFC, no replacement characters hiding, no trailing spaces; inner spacing is kept (it is source)."""
    return unicodedata.normalize("NFC", text).replace("\r", "").strip()
