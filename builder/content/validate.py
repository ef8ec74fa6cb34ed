"""Validate: each content file's nodes -> typed records (Values), per schema.py.

Problems inside one file are found here: wrong types, unknown or missing keys,
duplicate keys, targets that do not parse. Rules that compare values with each
other or across files live in check.py and run on these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.base.diagnostics import Pos, Report
from builder.base.messages import msg
from builder.content.fields import Reader, Values
from builder.content.frameworks import BUILTIN_DIR
from builder.content.load import UNREADABLE, Document, Node, parse_file
from builder.content.schema import RECORDS
from builder.content.scoring import Profile


@dataclass
class Record:
    """One content file after validation."""

    path: Path
    kind: str
    values: Values | None  # None when the file could not be read as a mapping at all
    builtin: bool = False


@dataclass
class Records:
    """The site-wide files: site.yaml, the frameworks (built-in and the content's own) and the
    content's own scoring profiles."""

    root: Path
    site: Record | None = None
    frameworks: list[Record] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)  # the site's own scoring profiles (content/scoring/)


def builtin_frameworks(report: Report) -> list[Record]:
    """The frameworks that ship with gongkai (builder/frameworks/)."""
    found = []
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        node = parse_file(path, report)
        if node is not UNREADABLE:
            found.append(validate_document(Document(path, node, "framework"), report, builtin=True))
    return found


def read_files(found: list[tuple[Path, str]], report: Report) -> list[Record]:
    """Read and validate content files (path, kind), each on its own."""
    records = []
    for path, kind in found:
        node = parse_file(path, report)
        failed = node is UNREADABLE
        records.append(validate_document(Document(path=path, root=node if isinstance(node, Node) else None, kind=kind,
                                                  failed=failed), report))
    return records


def validate_document(document: Document, report: Report, builtin: bool = False) -> Record:
    schema = RECORDS[document.kind]
    if document.failed:
        return Record(document.path, document.kind, None, builtin)
    if document.root is None:
        report.error(Pos(str(document.path), 1, 1), msg("validate.empty", record=schema.said))
        return Record(document.path, document.kind, None, builtin)
    values = schema.convert(document.root, Reader(report), schema.title)
    return Record(document.path, document.kind, values if isinstance(values, Values) else None, builtin)
