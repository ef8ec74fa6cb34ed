"""The content folder's layout: which files are content, and of which kind; names that work everywhere.

site.yaml at the top, frameworks/*.yaml, and any folder with a department.yaml is a department
whose projects/*.yaml are its projects. No links, no FIFOs or devices, no name that Windows or
macOS would read differently (names.py); load.py reads the files found here.
"""

from __future__ import annotations

import os
from pathlib import Path

from builder.base.diagnostics import Pos, Report
from builder.base.names import fold, unportable


def discover(root: Path, report: Report) -> list[tuple[Path, str]]:
    """Content files and their kinds, in a stable order.

    site.yaml at the top; frameworks/*.yaml; any folder with a department.yaml
    is a department and its projects/*.yaml are its projects.
    """
    found: list[tuple[Path, str]] = []
    site = root / "site.yaml"
    if not site.is_file():
        report.error(Pos(str(root), 1, 1), "no site.yaml in the content folder",
                     "every content folder starts with site.yaml; see docs/content.md")
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        check_names(root, here, [*dirnames, *(f for f in filenames if not f.startswith("."))], report)
        for name in sorted(dirnames):
            if (here / name).is_symlink():
                report.error(Pos(str(here / name), 1, 1), "symbolic links are not allowed in content",
                             "copy the folder instead; a link could reach files outside the project")
        dirnames[:] = [d for d in dirnames if not (here / d).is_symlink()]
        for name in sorted(filenames):
            path = here / name
            if name.startswith(".") or not name.endswith((".yaml", ".yml")):
                continue
            if path.is_symlink():
                report.error(Pos(str(path), 1, 1), "symbolic links are not allowed in content",
                             "copy the file instead; a link could reach files outside the project")
                continue
            if not path.is_file():
                continue  # check_names reported it; opening a FIFO would wait forever
            kind = kind_of(root, path)
            if kind is None:
                report.error(Pos(str(path), 1, 1), "this YAML file is not part of the content layout",
                             "content is site.yaml, frameworks/*.yaml, <department>/department.yaml "
                             "and <department>/projects/*.yaml")
                continue
            found.append((path, kind))
    return found


def check_names(root: Path, here: Path, names: list[str], report: Report) -> None:
    """The names in one content folder: each one a regular file or a folder, portable (names.py),
    and no two of them one name on a case-insensitive system."""
    first: dict[str, str] = {}
    for name in sorted(names):
        path = here / name
        problem = unportable(name)
        if problem:
            report.error(Pos(str(path), 1, 1), f"{problem}; the content could not be checked out there",
                         "rename it with letters, digits, - and _")
        if not path.is_symlink() and not path.is_dir() and not path.is_file():
            report.error(Pos(str(path), 1, 1), "this is not a regular file (a FIFO, socket or device); "
                         "content holds only files and folders", "delete it; gongkai never opens it")
        other = first.setdefault(fold(name), name)
        if other != name:
            report.error(Pos(str(path), 1, 1),
                         f"`{(here / other).relative_to(root).as_posix()}` and `{path.relative_to(root).as_posix()}` "
                         "differ only in case or width: on Windows and macOS they are one name, and one would "
                         "overwrite the other", "rename one of them")


def kind_of(root: Path, path: Path) -> str | None:
    rel = path.relative_to(root)
    if rel.parts == ("site.yaml",):
        return "site"
    if len(rel.parts) == 2 and rel.parts[0] == "frameworks":
        return "framework"
    if path.name == "department.yaml":
        return "department"
    if path.parent.name == "projects" and (path.parent.parent / "department.yaml").is_file():
        return "project"
    return None
