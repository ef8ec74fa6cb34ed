"""Import: existing disclosures (Word text exports, Excel pastes, .docx, .xlsx) -> content YAML.

    sources.py     any file -> paragraphs and table rows, each with its source position
    interpret.py   that stream -> a department and its projects, with notes on what was interpreted
    emit.py        those records -> YAML files in gongkai's format, byte-stable
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .emit import department_yaml, project_yaml, site_yaml
from .interpret import ImportError_, Imported, interpret
from .sources import SourceError, read_source


class ImportFailed(Exception):
    """A source could not be imported; nothing was written."""


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # (absolute YAML path, line) -> source position, to point lint findings back at the source
    origins: dict[tuple[str, int], str] = field(default_factory=dict)


def import_sources(sources: list[Path], out: Path, schemas_dir: Path, year: int | None = None) -> ImportResult:
    """Read every source first; write only when all of them could be read."""
    imported: list[tuple[Path, Imported]] = []
    for source in sources:
        try:
            imported.append((source, interpret(read_source(source), year)))
        except (SourceError, ImportError_) as exc:
            raise ImportFailed(str(exc)) from None
    files: dict[Path, str] = {}
    result = ImportResult()
    for source, record in imported:
        department = record.department
        folder = out / str(department["year"]) / department["code"]
        path = folder / "department.yaml"
        writer = department_yaml(record, path, schemas_dir, source.name)
        files[path] = writer.text()
        _origins(result, path, writer.field_lines, record.sources, "department")
        for index, project in enumerate(record.projects):
            project_path = folder / "projects" / f"{project['code']}.yaml"
            writer = project_yaml(record, index, project_path, schemas_dir, department["money_unit"])
            files[project_path] = writer.text()
            _origins(result, project_path, writer.field_lines, record.sources, f"project:{index + 1}")
        result.notes += [f"{note.where}: note: {note.text}" for note in record.notes]
    site = out / "site.yaml"
    if not site.exists():
        files[site] = site_yaml(site, schemas_dir, imported[0][1].department["name"])
    for path, text in sorted(files.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        result.written.append(path)
    return result


def _origins(result: ImportResult, path: Path, lines: dict[str, int], sources: dict, key: str) -> None:
    for field_path, line in lines.items():
        where = sources.get((key, field_path)) or sources.get((key, field_path.rsplit(".", 1)[0]))
        if where:
            result.origins[(str(path.absolute()), line)] = where
