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

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from builder.base.diagnostics import Diagnostic, Pos, Report
from builder.base.messages import msg
from builder.base.names import fold, unportable
from builder.cache.digests import FileDigests


@dataclass(frozen=True)
class ContentFiles:
    """What one walk of a content folder found.

    The walk itself only lists folders (the kinds of their entries come with the listing, without
    a stat of each file): that is all a build with nothing to do needs. The documents and the
    problems with names are made from the listing when `check` first asks for them.
    """

    root: Path
    listing: tuple[tuple[Path, tuple[tuple[str, str], ...]], ...]  # each folder and its (name, kind)s
    files: tuple[Path, ...]  # every regular file, hidden ones aside, in a stable order
    digests: FileDigests

    @classmethod
    def walk(cls, root: Path, digests: FileDigests | None = None) -> "ContentFiles":
        listing = _list(root)
        files = tuple(here / name for here, entries in listing for name, kind in entries
                      if kind == FILE and not name.startswith("."))
        return cls(root, listing, files, digests or FileDigests({}))

    @functools.cached_property
    def _found(self) -> tuple[tuple[tuple[Path, str], ...], tuple[tuple[Path, str], ...], tuple[Diagnostic, ...]]:
        report = Report()
        documents = _documents(self.root, self.listing, report)
        pages = _pages(self.root, self.listing, report)
        return tuple(documents), tuple(pages), tuple(report.items)

    @property
    def documents(self) -> tuple[tuple[Path, str], ...]:
        """Content YAML files and their kinds, in a stable order."""
        return self._found[0]

    @property
    def pages(self) -> tuple[tuple[Path, str], ...]:
        """The publisher's Markdown pages (kind "page") and the home page's notice ("notice")."""
        return self._found[1]

    @property
    def problems(self) -> tuple[Diagnostic, ...]:
        """Names and file types content may not hold."""
        return self._found[2]

    def digest(self, path: Path) -> str:
        return self.digests.of(path)

    def relative_digests(self) -> dict[str, str]:
        """Every file's SHA-256 by its content-relative path: what the outputs' keys are made of."""
        return {p.relative_to(self.root).as_posix(): self.digests.of(p) for p in self.files}

    def site_files(self) -> list[Path]:
        """site.yaml and the site's own frameworks and scoring profiles: the files every department
        is checked against and every output depends on."""
        return [p for p in self.files if p.relative_to(self.root).parts == ("site.yaml",)] + \
            [p for p in self.files if p.parent in (self.root / "frameworks", self.root / "scoring")
             and p.suffix == ".yaml"]


def discover(root: Path, report: Report) -> list[tuple[Path, str]]:
    """Content files and their kinds, in a stable order (a walk of its own: for callers without a build)."""
    found = ContentFiles.walk(root)
    report.items.extend(found.problems)
    return list(found.documents)


# What a folder's entry is, as its listing says (no stat of the file itself). Only regular files
# are read: hashing a FIFO would wait forever, a device could be read without end, and a link could
# reach outside the project.
FILE, FOLDER, LINK, FOLDER_LINK, OTHER = "file", "folder", "link", "folder link", "other"


def _kind_of_entry(entry: os.DirEntry) -> str:
    try:
        if entry.is_symlink():
            return FOLDER_LINK if entry.is_dir() else LINK
        if entry.is_dir(follow_symlinks=False):
            return FOLDER
        return FILE if entry.is_file(follow_symlinks=False) else OTHER
    except OSError:
        return OTHER


def _list(root: Path) -> tuple[tuple[Path, tuple[tuple[str, str], ...]], ...]:
    """Every folder under `root` (hidden ones and links aside) with its entries, sorted."""
    listing = []
    todo = [root]
    while todo:
        here = todo.pop(0)
        try:
            with os.scandir(here) as scan:
                entries = sorted((entry.name, _kind_of_entry(entry)) for entry in scan)
        except OSError:
            entries = []
        listing.append((here, tuple(entries)))
        todo[:0] = [here / name for name, kind in entries if kind == FOLDER and not name.startswith(".")]
    return tuple(listing)


def _documents(root: Path, listing: tuple[tuple[Path, tuple[tuple[str, str], ...]], ...],
               report: Report) -> list[tuple[Path, str]]:
    """site.yaml at the top; frameworks/*.yaml; any folder with a department.yaml is a department
    and its projects/*.yaml are its projects. Links and what is neither file nor folder are
    reported."""
    found: list[tuple[Path, str]] = []
    if not (root / "site.yaml").is_file():
        report.error(Pos(str(root), 1, 1), msg("tree.no_site"))
    for here, entries in listing:
        shown = [(name, kind) for name, kind in entries if not name.startswith(".")]
        check_names(root, here, shown, report)
        for name, kind in shown:
            if kind == FOLDER_LINK:
                report.error(Pos(str(here / name), 1, 1), msg("tree.symlink"), msg("tree.symlink_folder_hint"))
        for name, kind in shown:
            path = here / name
            if kind in (FOLDER, FOLDER_LINK) or not name.endswith((".yaml", ".yml")):
                continue
            if kind == LINK:
                report.error(Pos(str(path), 1, 1), msg("tree.symlink"), msg("tree.symlink_file_hint"))
                continue
            if kind != FILE:
                continue  # check_names reported it; opening a FIFO would wait forever
            kind_of_file = _kind_of(root, path)
            if kind_of_file is None:
                report.error(Pos(str(path), 1, 1), msg("tree.not_in_layout"))
                continue
            found.append((path, kind_of_file))
    return found


# The publisher's own pages (content/pages.py): Markdown files in these places only.
PAGES_FOLDER, NOTICE_FILE = "pages", "notice.md"


def _pages(root: Path, listing: tuple[tuple[Path, tuple[tuple[str, str], ...]], ...],
           report: Report) -> list[tuple[Path, str]]:
    """content/pages/*.md and content/notice.md. A Markdown file anywhere else, or a file of another
    kind in pages/, is not published: said, so that nobody waits for it to appear."""
    found: list[tuple[Path, str]] = []
    for here, entries in listing:
        for name, kind in entries:
            path = here / name
            if name.startswith(".") or kind not in (FILE, LINK):
                continue
            place = path.relative_to(root).parts
            in_pages = len(place) == 2 and place[0] == PAGES_FOLDER
            # What a publisher may have meant as a page: a Markdown file at the top, or any file under
            # pages/ but YAML (which the layout's check reports).
            meant = (len(place) == 1 and name.endswith(".md")) or (place[0] == PAGES_FOLDER and len(place) > 1
                                                                    and not name.endswith((".yaml", ".yml")))
            if kind == LINK and meant:
                report.error(Pos(str(path), 1, 1), msg("tree.page_link"))
            elif in_pages and name.endswith(".md"):
                found.append((path, "page"))
            elif place == (NOTICE_FILE,):
                found.append((path, "notice"))
            elif meant:
                report.warning(Pos(str(path), 1, 1), msg("tree.not_published", pages=PAGES_FOLDER, notice=NOTICE_FILE))
    return found


def check_names(root: Path, here: Path, entries: list[tuple[str, str]], report: Report) -> None:
    """The names in one content folder: each one a regular file or a folder, portable (names.py),
    and no two of them one name on a case-insensitive system."""
    first: dict[str, str] = {}
    for name, kind in entries:
        path = here / name
        problem = unportable(name)
        if problem:
            report.error(Pos(str(path), 1, 1), msg("tree.unportable", problem=problem))
        if kind == OTHER:
            report.error(Pos(str(path), 1, 1), msg("tree.not_regular"))
        other = first.setdefault(fold(name), name)
        if other != name:
            report.error(Pos(str(path), 1, 1), msg("tree.one_name", first=(here / other).relative_to(root).as_posix(),
                                                   second=path.relative_to(root).as_posix()))


def _kind_of(root: Path, path: Path) -> str | None:
    rel = path.relative_to(root)
    if rel.parts == ("site.yaml",):
        return "site"
    if len(rel.parts) == 2 and rel.parts[0] == "frameworks":
        return "framework"
    if len(rel.parts) == 2 and rel.parts[0] == "scoring":
        return "scoring"
    if path.name == "department.yaml":
        return "department"
    if path.parent.name in STAGE_FOLDERS and (path.parent.parent / "department.yaml").is_file():
        return STAGE_FOLDERS[path.parent.name]
    if path.name == "evaluation.yaml" and (path.parent / "department.yaml").is_file():
        return "department-evaluation"
    return None


# A department folder's subfolders and the kind of the files in them: the targets (projects/) and
# the later stages of the year, each a file per project beside them (content/stage_schema.py).
STAGE_FOLDERS = {"projects": "project", "monitoring": "monitoring", "evaluations": "evaluation"}
