"""The content folder's files, found by one walk a build makes once.

One walk gives everything that used to walk the folder on its own: the
content documents and their kinds (for check), every regular file (for the
build's fingerprint and the outputs' keys) and the problems with names and
file types found on the way (reported by check, with the rest of the
content's findings). Digests come from the build's FileDigests, so a file is
hashed at most once a build, and not at all when its stamp is unchanged.

Nothing here parses YAML: a build with nothing to do walks the tree without
loading the parser.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from builder.base.diagnostics import Diagnostic, Pos, Report
from builder.base.names import fold, unportable
from builder.cache.digests import FileDigests


@dataclass(frozen=True)
class ContentFiles:
    """What one walk of a content folder found."""

    root: Path
    documents: tuple[tuple[Path, str], ...]  # content YAML files and their kinds, in a stable order
    files: tuple[Path, ...]  # every regular file, hidden ones aside, in the same order
    problems: tuple[Diagnostic, ...]  # names and file types content may not hold
    digests: FileDigests

    @classmethod
    def walk(cls, root: Path, digests: FileDigests | None = None) -> "ContentFiles":
        report = Report()
        documents, files = _walk(root, report)
        return cls(root, tuple(documents), tuple(files), tuple(report.items), digests or FileDigests({}))

    def digest(self, path: Path) -> str:
        return self.digests.of(path)

    def relative_digests(self) -> dict[str, str]:
        """Every file's SHA-256 by its content-relative path: what the outputs' keys are made of."""
        return {p.relative_to(self.root).as_posix(): self.digests.of(p) for p in self.files}

    def site_files(self) -> list[Path]:
        """site.yaml and the site's own frameworks: the files every department is checked against
        and every output depends on."""
        return [p for p in self.files if p.relative_to(self.root).parts == ("site.yaml",)] + \
            [p for p in self.files if p.parent == self.root / "frameworks" and p.suffix == ".yaml"]


def discover(root: Path, report: Report) -> list[tuple[Path, str]]:
    """Content files and their kinds, in a stable order (a walk of its own: for callers without a build)."""
    found = ContentFiles.walk(root)
    report.items.extend(found.problems)
    return list(found.documents)


def _walk(root: Path, report: Report) -> tuple[list[tuple[Path, str]], list[Path]]:
    """site.yaml at the top; frameworks/*.yaml; any folder with a department.yaml is a department
    and its projects/*.yaml are its projects. Beside them, every regular file.

    Only regular files are listed: hashing a FIFO would wait forever, a device could be read
    without end, and a link could reach outside the project (all three are reported)."""
    found: list[tuple[Path, str]] = []
    regular: list[Path] = []
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
            if name.startswith("."):
                continue
            if _is_regular(path):
                regular.append(path)
            if not name.endswith((".yaml", ".yml")):
                continue
            if path.is_symlink():
                report.error(Pos(str(path), 1, 1), "symbolic links are not allowed in content",
                             "copy the file instead; a link could reach files outside the project")
                continue
            if not path.is_file():
                continue  # check_names reported it; opening a FIFO would wait forever
            kind = _kind_of(root, path)
            if kind is None:
                report.error(Pos(str(path), 1, 1), "this YAML file is not part of the content layout",
                             "content is site.yaml, frameworks/*.yaml, <department>/department.yaml "
                             "and <department>/projects/*.yaml")
                continue
            found.append((path, kind))
    return found, regular


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


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


def _kind_of(root: Path, path: Path) -> str | None:
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
