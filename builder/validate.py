"""Validate: each content file's nodes -> typed records (Values), per schema.py.

Problems inside one file are found here: wrong types, unknown or missing keys,
duplicate keys, targets that do not parse. Rules that compare values with each
other or across files live in check.py and run on these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Pos, Report
from .fields import Reader, Values
from .frameworks import BUILTIN_DIR
from .load import Document, _FAILED, discover, parse_file
from .schema import RECORDS


@dataclass
class Record:
    """One content file after validation."""

    path: Path
    kind: str
    values: Values | None  # None when the file could not be read as a mapping at all
    builtin: bool = False


@dataclass
class Records:
    root: Path
    site: Record | None = None
    frameworks: list[Record] = field(default_factory=list)
    departments: list[Record] = field(default_factory=list)
    projects: list[Record] = field(default_factory=list)


# Below this many files, handing them to other processes costs more than it saves.
PARALLEL_FROM = 200


def validate_content(root: Path, report: Report, runner=None) -> Records:
    """Load and validate every file under `root`, plus the built-in frameworks.

    `runner` (parallel.Processes) reads the files on several cores; each file is read on its own,
    so the records and findings are the same whichever process read it.
    """
    records = Records(root=root)
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        node = parse_file(path, report)
        if node is not _FAILED:
            records.frameworks.append(validate_document(Document(path, node, "framework"), report, builtin=True))
    found = discover(root, report)
    if runner is None or runner.workers < 2 or len(found) < PARALLEL_FROM:
        results = _read_files(None, found)
    else:
        done = [r for batch in runner.map(_read_files, None, [found[i:i + 64] for i in range(0, len(found), 64)])
                for r in batch]
        order = {path: n for n, (path, _) in enumerate(found)}
        results = sorted(done, key=lambda r: order[r[0].path])
    for record, items in results:
        report.items.extend(items)
        if record.kind == "site":
            records.site = record
        else:
            getattr(records, record.kind + "s").append(record)
    return records


def _read_files(_, found: list) -> list[tuple[Record, list]]:
    """Read and validate some content files, each with its own findings."""
    out = []
    for path, kind in found:
        report = Report()
        node = parse_file(path, report)
        failed = node is _FAILED
        record = validate_document(Document(path=path, root=None if failed else node, kind=kind, failed=failed),
                                   report)
        out.append((record, report.items))
    return out


def validate_document(document: Document, report: Report, builtin: bool = False) -> Record:
    schema = RECORDS[document.kind]
    if document.failed:
        return Record(document.path, document.kind, None, builtin)
    if document.root is None:
        report.error(Pos(str(document.path), 1, 1), f"the {schema.title} file is empty",
                     "see docs/content.md for a complete example")
        return Record(document.path, document.kind, None, builtin)
    values = schema.convert(document.root, Reader(report), schema.title)
    return Record(document.path, document.kind, values if isinstance(values, Values) else None, builtin)
