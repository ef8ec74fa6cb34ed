"""Import: existing disclosures (Word text exports, Excel pastes, .docx, .xlsx, PDF) -> content YAML.

    archives.py    .docx/.xlsx: a look inside the ZIP (sizes, names, members) before any parser opens it
    encoding.py    a text export's bytes -> text, in the encodings offices use, or a refusal
    sources.py     any file -> paragraphs and table rows (blocks.py), each with its source position;
                   a workbook read by sheets.py
    pdf_pages.py   a PDF's text layer, read with pdfplumber inside limits (base/bounded.py) -> pages of lines
                   and ruled tables; pdf_layout.py puts wrapped lines and cut rows together again
    interpret.py   that stream -> a department and its projects, with notes on what was interpreted
    metadata.py    the budget year, the unit and its scope, each table's money unit: every clue weighed, each
                   choice a note with its evidence (evidence.py: clues and their weights; year_evidence.py)
    forms.py       one project's Hebei 绩效目标表 (form cells and indicator table) -> its record
    project_forms.py  the 项目支出绩效目标申报表/批复表 family: each form (by title or 项目名称 row) -> a project
    form_head.py   that form's head (header cells, 资金情况, 总体目标) by label, in each of its shapes
    indicator_table.py  a project's indicator table -> its rows, every column by its header (or reported)
    whole_forms.py a 部门整体支出绩效目标表 -> its department's `whole` block (and the department, alone)
    compositions.py  its money block: 收入构成 and 支出构成, rows, 合计 and shares
    flat_sheets.py a flat sheet (one row per indicator for many projects): its header and columns
    flat_records.py  its rows -> projects (first row's cells, changes warned), their records, the department
    form_identity.py  the unit a table names (CODE-名称), its one money unit, the columns no field holds
    labels.py      the labels of every form's cells, columns and rows (synonyms as data, in one place)
    cells.py       a cell's text as a label: which one, what its brackets state, Excel date serials
    stage_forms.py     a 绩效自评表 or 绩效目标执行监控表 in the stream -> its cells by label
    existing.py        the content folder's departments and projects, which stage forms are matched against
    stage_match.py     a stage form -> its project (or department), by code, then by name
    stage_records.py   stage forms -> monitoring and self-evaluation files' keys
    stage_money.py     a stage form's money, goal and conclusion, in its project's or department's unit
    stage_indicators.py  a stage form's indicator rows, named as the approved indicators
    department_records.py  a 部门整体支出绩效自评表 -> its department's evaluation.yaml keys and rows
    imported.py    what interpret makes: the records and the notes on them
    emit.py        those records -> YAML files in gongkai's format, byte-stable
    stage_emit.py  a stage file's keys -> its YAML
    plan.py        those files -> paths checked (codes, collisions, symlinks, existing files), then written
    errors.py      the refusals, each with the position it is about

May import base and content (the schema and frameworks it writes for); nothing of a build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.base.characters import printable
from builder.base.messages import say
from builder.importers.errors import ImportFailed, ImportProblem, SourceError, locate
from builder.importers.existing import Existing, existing_content
from builder.importers.imported import Imported, ImportError_
from builder.importers.interpret import interpret
from builder.importers.plan import Planned, check_targets, plan_files, write_files
from builder.importers.sources import read_source
from builder.importers.stage_records import interpret_stages, is_stage_source

__all__ = ["ImportError_", "ImportFailed", "ImportProblem", "ImportResult", "SourceError", "import_sources",
           "interpret", "plan_files", "read_source"]


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # `where: note|warning: text`, with a hint line
    warnings: int = 0
    unmatched: list[ImportProblem] = field(default_factory=list)  # stage forms of no project or department: nothing written
    # (absolute YAML path, line) -> source position, to point lint findings back at the source
    origins: dict[tuple[str, int], str] = field(default_factory=dict)


def import_sources(sources: list[Path], out: Path, schemas_dir: Path, year: int | None = None,
                   force: bool = False) -> ImportResult:
    """Read every source and check every path first; write only when all of it can be written."""
    imported: list[tuple[Path, Imported]] = []
    problems: list[ImportProblem] = []
    existing: Existing | None = None  # the content folder's departments and projects, read once if a stage form needs them
    for source in sources:
        try:
            blocks = read_source(source)
            if is_stage_source(blocks):
                existing = existing_content(out) if existing is None else existing
                imported.append((source, interpret_stages(blocks, existing, year, source.name)))
            else:
                imported.append((source, interpret(blocks, year, source.name)))
        except ImportProblem as problem:
            problems.append(problem.located(source))
    if problems:
        raise ImportFailed(problems)
    planned = plan_files(imported, out, schemas_dir)
    to_write = check_targets(planned, out, force)
    result = ImportResult()
    result.written = write_files(sorted(to_write, key=lambda item: item.path), force)
    writing = {id(item) for item in to_write}
    result.unchanged = sorted(item.path for item in planned if id(item) not in writing)
    for item in planned:
        _origins(result, item)
    for source, record in imported:
        for note in record.notes:
            level = say("severity.warning") if note.level == "warning" else say("imported.note")
            line = f"{printable(locate(note.where, source))}: {level}: {printable(note.text)}"
            hint = note.hint
            result.notes.append(line + (f"\n  {say('severity.hint')}: {printable(hint)}" if hint else ""))
            result.warnings += note.level == "warning"
        result.unmatched += [problem.located(source) for problem in record.problems]
    return result


def _origins(result: ImportResult, item: Planned) -> None:
    if item.writer is None or item.record is None:
        return  # site.yaml: written from no source lines
    for field_path, line in item.writer.field_lines.items():
        sources = item.record.sources
        where = sources.get((item.key, field_path)) or sources.get((item.key, field_path.rsplit(".", 1)[0]))
        if where:
            result.origins[(str(item.path.absolute()), line)] = where
