"""Departments: a site is read, validated, checked and assembled one department folder at a time.

A department folder (its department.yaml and projects/*.yaml) is the unit:
every rule but two (the uniqueness of codes, a project's categories across
years) sees only one department's files (check.check_department), so

- departments are checked on every core, and a worker sends back the
  department's model, a third of the size of its validated records;
- only one department's records are in memory at a time, whatever the size
  of the site (a province's records would be 0.8 GB, its model 0.4 GB);
- the build cache keeps each department's result, keyed by its files, the
  site-wide files and the builder, so an edit checks its own department
  again and the others are read back from the cache.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builder.base.diagnostics import Diagnostic, Pos, Report
from builder.base.limits import MAX_PROJECTS
from builder.base.messages import msg
from builder.base.parallel import Processes
from builder.cache.digests import digest
from builder.cache.store import Cache, prune
from builder.check.rules import Codes, SiteRules, check_department, report_unlisted
from builder.content.assemble import assemble_plan
from builder.content.fields import LIMITS_HINT
from builder.content.model import Department
from builder.content.validate import read_files

# Below this many departments, handing them to other processes costs more than it saves.
PARALLEL_FROM = 20


@dataclass(frozen=True)
class Folder:
    """A department folder's content files as discover found them: department.yaml first."""

    path: Path
    files: tuple[tuple[Path, str], ...]  # (path, kind)


@dataclass
class Checked:
    """One department folder after checking."""

    findings: list[Diagnostic]
    department: Department | None  # its model, when it has no error
    codes: Codes
    # department.yaml's own annex layout and where it names it: which layouts there are is the
    # theme's to say, checked after every department (render/annex_forms.py), not kept with them
    form: tuple[str, Pos] | None = None


def folders_of(found: list[tuple[Path, str]]) -> tuple[list[tuple[Path, str]], list[Folder]]:
    """Split discovered files into the site-wide ones and department folders (in a stable order)."""
    site_wide: list[tuple[Path, str]] = []
    folders: dict[Path, list[tuple[Path, str]]] = {}
    for path, kind in found:
        if kind == "department":
            folders.setdefault(path.parent, []).insert(0, (path, kind))
        elif kind in ("project", "monitoring", "evaluation"):  # discover only finds them beside a department.yaml
            folders.setdefault(path.parent.parent, []).append((path, kind))
        elif kind == "department-evaluation":
            folders.setdefault(path.parent, []).append((path, kind))
        else:
            site_wide.append((path, kind))
    return site_wide, [Folder(path, tuple(files)) for path, files in sorted(folders.items())]


def check_folder(rules: SiteRules, root: Path, folder: Folder) -> Checked:
    report = Report()
    files = list(folder.files)
    if sum(kind == "project" for _, kind in files) > MAX_PROJECTS:  # refused before reading any of them
        report.error(Pos(str(folder.path / "projects"), 1, 1),
                     msg("departments.too_many_projects", count=sum(kind == "project" for _, kind in files),
                         limit=MAX_PROJECTS), LIMITS_HINT)
        read_files([f for f in files if f[1] != "project"], report)
        return Checked(report.items, None, Codes(None))
    records = read_files(files, report)
    if folder.files[0][1] != "department":  # its department.yaml was refused (a link): no one lists them
        report_unlisted(records, report)
        return Checked(report.items, None, Codes(None))
    department, *rest = records
    projects = [r for r in rest if r.kind == "project"]
    stages = [r for r in rest if r.kind != "project"]
    plan, codes = check_department(department, projects, rules, report, stages, root)
    model = assemble_plan(plan, root) if plan is not None and not report.errors else None
    values = department.values
    form = (values.get("form"), values.where("form")) if values is not None and values.ok("form") else None
    return Checked(report.items, model, codes, form)


def check_folders(folders: list[Folder], rules: SiteRules, root: Path, runner: Processes | None = None,
                  known: "CheckedCache | None" = None) -> list[Checked]:
    """Every folder checked, in their order: from the cache where it has them, the rest on `runner`
    (parallel.Processes) or here."""
    results: dict[int, Checked] = {}
    todo = []
    for index, folder in enumerate(folders):
        cached = known.get(folder) if known else None
        if cached is not None:
            results[index] = cached
        else:
            todo.append(index)
    local = runner is None or runner.workers < 2 or len(todo) < PARALLEL_FROM
    if local and known is None:  # no cache to keep them in and no process to cross: no pickle either
        for index in todo:
            results[index] = check_folder(rules, root, folders[index])
        done = []
    elif runner is None or local:
        done = _check_folders((rules, root, folders), todo)
    else:
        size = max(1, min(16, len(todo) // (runner.workers * 4)))
        work = [todo[i:i + size] for i in range(0, len(todo), size)]
        done = [item for batch in runner.map(_check_folders, (rules, root, folders), work) for item in batch]
    for index, pickled in done:
        results[index] = pickle.loads(pickled)
        if known:
            known.put(folders[index], pickled)
    return [results[index] for index in range(len(folders))]


def _check_folders(state: tuple[SiteRules, Path, list[Folder]], batch: list[int]) -> list[tuple[int, bytes]]:
    """On a worker (forked: the state is inherited) or here: check some folders, by index.

    Each result comes back pickled, as the cache keeps it, and is not pickled again by the build:
    pickling a string gives it a UTF-8 copy that lives as long as the string (a Chinese string
    then takes 1.8 times the memory), and the build keeps every string of the model."""
    rules, root, folders = state
    return [(index, pickle.dumps(check_folder(rules, root, folders[index]), protocol=pickle.HIGHEST_PROTOCOL))
            for index in batch]


class CheckedCache:
    """Checked departments by key, as sealed pickles in the build cache (cache.Cache).

    A department's key covers its files (paths and SHA-256), and `context`: the builder's
    source, site.yaml and the content's frameworks, which every department is checked against.
    """

    def __init__(self, store: Cache, context: str, digest_of: Callable[[Path], str]) -> None:
        self.store, self.context, self.digest_of = store, context, digest_of
        self.folder = store.folder / "departments"
        self.used: set[str] = set()
        self.checked: list[Path] = []  # the folders this build checked (not read from the cache)

    def key(self, folder: Folder) -> str:
        return digest(self.context, str(folder.path), *(f"{p}:{kind}:{self.digest_of(p)}" for p, kind in folder.files))

    def get(self, folder: Folder) -> Checked | None:
        key = self.key(folder)
        checked = self.store.get(self.folder / key[:2] / key)
        if not isinstance(checked, Checked):
            return None  # not cached, foreign, or written by another version of the builder: check it again
        self.used.add(key)
        return checked

    def put(self, folder: Folder, pickled: bytes) -> None:
        """Keep a checked department (pickled: `Checked`)."""
        key = self.key(folder)
        self.store.write(self.folder / key[:2] / key, pickled)
        self.used.add(key)
        self.checked.append(folder.path)

    def prune(self) -> None:
        """Drop the departments this build did not use, so the cache does not grow with every edit."""
        prune(self.folder, self.used)
