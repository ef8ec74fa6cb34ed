"""What an import will write, checked as a whole before the first byte is written.

The one place import turns codes into paths (RELIABILITY.md, "Output"):

- every code that becomes a folder or file name (the unit code, the year, each
  project code) matches the content schema's CODE_PATTERN *before* a path is
  joined, so `../../etc/x`, `/abs`, `a/b` or a NUL never reach `Path`;
- two records that land on one file (the same code, or codes equal once
  case-folded, as on Windows and macOS disks) are an error, not a silent overwrite;
- every path, after symlinks are resolved, is inside the output folder;
- an existing content file is never replaced unless --force (`new` refuses too);
  one that already holds exactly the imported text is left alone.

Writing creates each file exclusively (or, with --force, replaces it by rename),
so a symlink planted in place of a content file is replaced, never written through.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builder.base.diagnostics import display_path
from builder.base.files import write_atomic, write_new
from builder.content.codes import CODE_HINT, CODE_PATTERN
from builder.importers.emit import Writer, department_yaml, project_yaml, site_yaml
from builder.importers.errors import ImportFailed, ImportProblem, locate
from builder.importers.imported import Imported
from builder.importers.stage_emit import stage_yaml


class PlanProblem(ImportProblem):
    pass


@dataclass
class Planned:
    path: Path
    text: str
    writer: Writer | None = None  # for its field lines; None for site.yaml
    source: Path | None = None
    key: str = ""
    record: Imported | None = None
    # What to do when the file exists and differs, when that is more than moving it away.
    differs_hint: str | None = None


def safe_code(code: str, what: str, where: str, hint: str | None = None) -> str:
    """A code fit to be a file or folder name, or the refusal naming where in the source it came from."""
    if not re.fullmatch(CODE_PATTERN, code):
        raise PlanProblem(where, f"{what} {code!r} cannot be a file name", hint or CODE_HINT.text())
    return code


def plan_files(imported: list[tuple[Path, Imported]], out: Path, schemas_dir: Path) -> list[Planned]:
    """Every file the import would write, its text made; raises ImportFailed with every problem found."""
    problems: list[ImportProblem] = []
    planned: list[Planned] = []
    claimed: dict[str, str] = {}  # case-folded path under out -> the source position that claimed it

    def claim(relative: Path, where: str, what: str) -> bool:
        key = relative.as_posix().casefold()
        if key in claimed:
            problems.append(PlanProblem(where, f"{what} would be written to {relative.as_posix()}, which "
                                        f"{claimed[key]} already claims", "each department and project may be "
                                        "imported once; codes that differ only in case name one file"))
            return False
        claimed[key] = where
        return True

    for source, record in imported:
        planned += _stage_files(source, record, out, schemas_dir, claim, problems)
        department = record.department
        if not department:
            continue  # a source of stage forms only
        try:
            where = record.sources.get(("department", "code"), source.name)
            code = safe_code(department["code"], "unit code", where)
            year = safe_code(str(department["year"]), "year", record.sources.get(("department", "year"), source.name),
                             "the budget year is four digits, e.g. --year 2022")
        except ImportProblem as problem:
            problems.append(problem.located(source))
            continue
        folder = Path(year) / code
        if not claim(folder / "department.yaml", locate(where, source),
                     f"department {code} of {year}"):
            continue
        path = out / folder / "department.yaml"
        writer = department_yaml(record, path, schemas_dir, source.name)
        planned.append(Planned(path, writer.text(), writer, source, "department", record, _whole_hint(record, source)))
        for index, project in enumerate(record.projects):
            where = record.sources.get((f"project:{index + 1}", "code"), source.name)
            try:
                project_code = safe_code(project["code"], "project code", where)
            except ImportProblem as problem:
                problems.append(problem.located(source))
                continue
            relative = folder / "projects" / f"{project_code}.yaml"
            if not claim(relative, locate(where, source), f"project {project_code}"):
                continue
            path = out / relative
            writer = project_yaml(record, index, path, schemas_dir, department["money_unit"])
            planned.append(Planned(path, writer.text(), writer, source, f"project:{index + 1}", record))
    if problems:
        raise ImportFailed(problems)
    site = out / "site.yaml"
    departments = [record for _, record in imported if record.department]
    if departments and not os.path.lexists(site):  # the site's settings belong to the site, not to one import
        planned.insert(0, Planned(site, site_yaml(site, schemas_dir, departments[0].department["name"])))
    return planned


def _whole_hint(record: Imported, source: Path) -> str | None:
    """A 部门整体支出绩效目标表 for a department already in the content goes into its file by hand."""
    if "whole" not in record.department:
        return None
    alone = "" if record.projects else " (and nothing else of the department)"
    return (f"{source.name} holds the department's 部门整体支出绩效目标表{alone}: import it into an empty folder "
            "(--out) and copy its `whole:` block into this file, or run again with --force to replace the file "
            "with the imported one")


# The folder of each kind of stage file, beside its department's projects/ (content/tree.py); the
# department's own self-evaluation is one file beside its department.yaml.
STAGE_FOLDER = {"evaluation": "evaluations", "monitoring": "monitoring"}
DEPARTMENT_EVALUATION = "evaluation.yaml"


def _stage_files(source: Path, record: Imported, out: Path, schemas_dir: Path, claim: Callable[[Path, str, str], bool],
                 problems: list[ImportProblem]) -> list[Planned]:
    """A monitoring or self-evaluation file beside its project's targets, for each stage form, and
    the department's own self-evaluation beside its department.yaml."""
    planned = []
    for index, stage in enumerate(record.stages):
        department = stage.kind == "department-evaluation"
        where = locate(record.sources.get((f"stage:{index}", "department" if department else "project"),
                                          source.name), source)
        try:
            code = safe_code(stage.code, "unit code" if department else "project code", where)
            folder = Path(*(safe_code(part, "folder", where) for part in stage.folder.split("/")))
        except ImportProblem as problem:
            problems.append(problem)
            continue
        relative = folder / DEPARTMENT_EVALUATION if department else folder / STAGE_FOLDER[stage.kind] / f"{code}.yaml"
        if not claim(relative, where, f"the self-evaluation of department {code}" if department
                     else f"the {stage.kind} of project {code}"):
            continue
        path = out / relative
        writer = stage_yaml(record, index, path, schemas_dir, source.name)
        planned.append(Planned(path, writer.text(), writer, source, f"stage:{index}", record))
    return planned


def check_targets(planned: list[Planned], out: Path, force: bool) -> list[Planned]:
    """The files to write: inside `out` once resolved, and new (or forced); identical files are left out."""
    problems: list[ImportProblem] = []
    root = out.resolve()
    to_write: list[Planned] = []
    escapes: set[Path] = set()
    for item in planned:
        outside = _escape(item.path, out, root)
        if outside in escapes:
            continue  # said once for the folder, not again for each file under it
        if outside is not None:
            escapes.add(outside)
            problems.append(PlanProblem(display_path(str(outside)), f"is a symlink to {outside.resolve()}, "
                                        f"outside the output folder {display_path(str(out))}",
                                        "import writes only inside --out; remove the symlink or choose "
                                        "another --out"))
            continue
        blocked = next((parent for parent in _parents(item.path, out) if os.path.lexists(parent)
                        and not parent.is_dir()), None)
        if blocked is not None:
            if blocked not in escapes:
                escapes.add(blocked)
                problems.append(PlanProblem(display_path(str(blocked)), "is a file where import needs a folder",
                                            "move it away, or choose another --out"))
            continue
        existing = _existing(item.path)
        if existing is None:
            to_write.append(item)
        elif existing.name != item.path.name:
            problems.append(PlanProblem(display_path(str(existing)), f"differs only in case from {item.path.name}, "
                                        "which the import would write; they name one file on Windows and macOS",
                                        "rename or remove one of them"))
        elif not existing.is_symlink() and existing.read_bytes() == item.text.encode("utf-8"):
            continue  # already holds the imported text: nothing to write, nothing lost
        elif force:
            to_write.append(item)
        else:
            problems.append(PlanProblem(display_path(str(existing)), "exists and differs from the imported text; "
                                        "import never overwrites a content file",
                                        item.differs_hint or "move it away, or run again with --force to replace it"))
    if problems:
        raise ImportFailed(problems)
    return to_write


def write_files(to_write: list[Planned], force: bool) -> list[Path]:
    written: list[Path] = []
    for item in to_write:
        try:
            item.path.parent.mkdir(parents=True, exist_ok=True)
            data = item.text.encode("utf-8")
            if force:
                write_atomic(item.path, data)
            else:
                write_new(item.path, data)  # never over anything there, not even through a link
        except OSError as exc:
            raise ImportFailed([PlanProblem(display_path(str(item.path)), f"cannot be written: {exc.strerror}")],
                               written) from None
        written.append(item.path)
    return written


def _escape(path: Path, out: Path, root: Path) -> Path | None:
    """The first folder or file on the way from `out` to `path` that resolves outside `out`, if any."""
    current = out
    for part in path.relative_to(out).parts:
        current = current / part
        if os.path.lexists(current) and not current.resolve().is_relative_to(root):
            return current
    return None


def _parents(path: Path, out: Path) -> list[Path]:
    """The folders from `out` down to the one that holds `path`."""
    folders, current = [out], out
    for part in path.relative_to(out).parts[:-1]:
        current = current / part
        folders.append(current)
    return folders


def _existing(path: Path) -> Path | None:
    """The file already at `path`, also under another case of its name (one file on Windows and macOS)."""
    if os.path.lexists(path):
        return path
    if path.parent.is_dir():
        folded = path.name.casefold()
        for name in os.listdir(path.parent):
            if name.casefold() == folded:
                return path.parent / name
    return None

