"""History: when each content file changed, what the publisher said of it, and what changed.

Git is read twice per build whatever its size (git.py runs it): one `git log --raw` over the
content folder lists every commit with the files it touched and their blob
ids, and one `git cat-file --batch` reads the old and new versions of those
files, so each revision of a project gets a summary in the domain's words
(diff.py, said as a page says it by wording.py; a monitoring round's or self-evaluation's read
against its project's targets of the same commit, versions.py). What a page shows of a commit is
the publisher's 修订说明 (a line `修订说明: …` of its message, revision_note), never its subject or
its hash: a commit message is often written for the people who keep the files. A folder outside git
has no history and builds without one; a shallow clone has part of it, and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from builder.base.characters import neutralized
from builder.base.diagnostics import Pos, Report
from builder.base.messages import msg
from builder.history.versions import UNREADABLE, StageContext, project_of, stage_form, stage_summary, whole_summary

if TYPE_CHECKING:  # imported where used: a build without history loads neither
    from builder.content.frameworks import Framework
    from builder.content.load import Node
    from builder.content.model import Project

_NULL = "0" * 40
# The publisher's note on a revision: a line `修订说明: …` (or with a full-width colon) anywhere in the
# commit message, as a git trailer at its end or as the subject itself; indented lines continue it.
_NOTE = re.compile(r"^修订说明[ \t]*[:：][ \t]*(.*?)\r?$")
NOTE_LIMIT = 500  # characters of a note a page shows; a longer one ends with …
_SHA = re.compile("[0-9a-f]{40}([0-9a-f]{24})?")  # SHA-1, or SHA-256 in a repository that uses it


@dataclass(frozen=True)
class Revision:
    commit: str  # which commit, for the build's keys and order: never shown on a page
    date: str  # the author date, YYYY-MM-DD, as git recorded it
    note: str | None  # the publisher's 修订说明 (revision_note), None where the commit has none
    summary: tuple[str, ...]  # what changed in this file, in the domain's words (wording.py)
    first: bool = False  # a file's: it was added in this commit; a page's (History.of): its first publication


@dataclass(frozen=True)
class History:
    complete: bool
    files: dict  # content-relative path (as it is now) -> tuple[Revision, ...], newest first
    sequence: dict  # commit -> its place in the log, 0 for the newest

    def of(self, *paths: str, labels: dict | None = None) -> tuple[Revision, ...]:
        """Revisions of any of `paths` (a page's files, its own first), newest first, one per commit with
        their summaries joined. The commit that added the first path is the page's first publication:
        all of it is new, and nothing else is said of it. `labels` names a path's project in the joined
        summaries (《#招商经费》预算数 …; 新增项目《#招商经费》 for one added later)."""
        merged: dict[str, Revision] = {}
        for index, path in enumerate(paths):
            label = (labels or {}).get(path)
            for revision in self.files.get(path, ()):
                lines = revision.summary
                if revision.first and index and not lines:  # another file of the page, made here
                    lines = (f"新增项目《{label}》",) if label else ()
                elif label:
                    lines = tuple(f"《{label}》{line}" for line in lines)
                first = revision.first and index == 0
                old = merged.get(revision.commit)
                merged[revision.commit] = Revision(revision.commit, revision.date, revision.note,
                                                   (old.summary if old else ()) + lines,
                                                   first or (old is not None and old.first))
        return tuple(Revision(r.commit, r.date, r.note, () if r.first else r.summary, r.first)
                     for r in sorted(merged.values(), key=lambda r: self.sequence[r.commit]))


@dataclass
class _Entry:
    status: str
    old_blob: str
    new_blob: str
    old_path: str
    new_path: str


@dataclass(frozen=True)
class HistoryReader:
    """Where a content folder's history is: the repository, the folder in it, the commit it ends at."""

    root: Path
    relative: str  # the content folder in the repository, posix ("" for the repository itself)
    commit: str

    def read(self, report: Report, where: Path, frameworks: dict | None = None,
             units: dict | None = None, stages: dict[str, StageContext] | None = None) -> History:
        """The history of every file under the folder up to the commit; GitError if git fails.
        A shallow clone is a warning at `where`: the build goes on with the commits it has.
        `frameworks` and `units` by project file, `stages` by stage file, for the summaries."""
        from builder.history import git

        shallow = git.is_shallow(self.root)
        if shallow:
            report.warning(Pos(str(where), 1, 1), msg("revisions.shallow"))
        # NUL-separated (-z): a commit message cannot hold NUL, so no message can end its field or
        # start a forged record, and paths come unquoted whatever they contain.
        log = git.text(self.root, "log", "-z", "-M", "--raw", "--no-abbrev", "--format=%H%x00%ad%x00%B",
                       "--date=short", self.commit, "--", self.relative or ".")
        commits = _parse_log(log, self.relative)
        blobs = git.cat_blobs(self.root, {b for _, _, _, entries in commits for e in entries
                                          for b in (e.old_blob, e.new_blob) if b != _NULL})
        current: dict[str, str] = {}  # a path in the past -> the path it has now
        named: list[list[tuple[_Entry, str]]] = []  # each commit's entries with their paths as now
        for _, _, _, entries in commits:  # newest first
            named.append([])
            for entry in entries:
                now = current.get(entry.new_path or entry.old_path, entry.new_path or entry.old_path)
                if entry.status.startswith("R"):
                    current[entry.old_path] = now
                named[-1].append((entry, now))
        versions = _Versions(named, blobs, frameworks or {}, units or {})
        files: dict[str, list[Revision]] = {}
        for n, (sha, date, note, _) in enumerate(commits):
            # A shallow clone's oldest commit seems to add every file: what it changed is not known.
            known = not (shallow and n == len(commits) - 1)
            for entry, now in named[n]:
                summary = _summarize(entry, blobs, frameworks or {}, units or {}, now, stages or {}, versions, n)
                files.setdefault(now, []).append(Revision(sha, date, note, summary if known else (),
                                                          known and entry.status == "A"))
        return History(complete=not shallow, files={path: tuple(revs) for path, revs in files.items()},
                       sequence={sha: n for n, (sha, _, _, _) in enumerate(commits)})

    def commit_time(self) -> int | None:
        """When the folder last changed up to the commit (committer time, Unix seconds)."""
        from builder.history import git

        return git.commit_time(self.root, self.commit, self.relative)


def revision_note(message: str) -> str | None:
    """The 修订说明 a commit message holds (several are joined with ；), shown as content is
    (characters.neutralized) and at most NOTE_LIMIT characters; None where it holds none."""
    notes: list[list[str]] = []
    current: list[str] | None = None
    for line in message.split("\n"):  # not splitlines(): \x1c-\x1e, \x85, \u2028 are no line break in git
        found = _NOTE.match(line)
        if found:
            current = [found.group(1).strip()]
            notes.append(current)
        elif current is not None and line[:1] in (" ", "\t") and line.strip():
            current.append(line.strip())
        else:
            current = None
    text = neutralized("；".join(note for note in ("".join(parts) for parts in notes) if note))
    if len(text) > NOTE_LIMIT:
        text = text[:NOTE_LIMIT - 1] + "…"
    return text or None


def _parse_log(log: str, relative: str) -> list[tuple[str, str, str | None, list[_Entry]]]:
    """`git log -z --raw --format=%H%x00%ad%x00%B`: fields and paths are NUL-separated, each commit's
    three fields (the message read for its note) followed by its `:meta` fields, each with one path
    (two for a rename or copy)."""
    prefix = f"{relative}/" if relative else ""
    strip = (lambda p: p[len(prefix):] if p.startswith(prefix) else p)  # noqa: E731
    fields = log.split("\0")
    commits, at = [], 0
    while at + 2 < len(fields) and _SHA.fullmatch(fields[at].lstrip("\n")):
        sha, date, note = fields[at].lstrip("\n"), fields[at + 1], revision_note(fields[at + 2])
        at += 3
        entries = []
        while at < len(fields) and fields[at].lstrip("\n").startswith(":"):
            _, _, old_blob, new_blob, status = fields[at].lstrip("\n")[1:].split(" ")
            paths = 2 if status[:1] in "RC" else 1
            old_path, new_path = fields[at + 1], fields[at + paths]
            entries.append(_Entry(status, old_blob, new_blob, strip(old_path), strip(new_path)))
            at += 1 + paths
        commits.append((sha, date, note, entries))
    return commits


class _Versions:
    """A project's targets as of any commit of the log, for reading its stage files' versions then."""

    def __init__(self, named: list[list[tuple[_Entry, str]]], blobs: dict[str, bytes], frameworks: dict,
                 units: dict) -> None:
        self.blobs, self.frameworks, self.units = blobs, frameworks, units
        self.changes: dict[str, list[tuple[int, _Entry]]] = {}  # path as now -> (commit's place, entry), newest first
        for n, entries in enumerate(named):
            for entry, now in entries:
                self.changes.setdefault(now, []).append((n, entry))
        self.made: dict[tuple[str, str], Project | None] = {}

    def around(self, path: str | None, n: int) -> tuple[Project | None, Project | None]:
        """The targets in `path` just before and just after the commit in place `n`; None where unknown."""
        for m, entry in self.changes.get(path or "", ()):
            if m >= n:  # the commit itself, or the latest one before it that changed the targets
                return self.project(path, entry.old_blob if m == n else entry.new_blob), self.project(path, entry.new_blob)
        return None, None

    def project(self, path: str | None, blob: str) -> Project | None:
        if path is None or blob not in self.blobs:
            return None
        if (path, blob) not in self.made:
            self.made[path, blob] = project_of(self.blobs[blob], self.frameworks.get(path),
                                               self.units.get(path, "元"))
        return self.made[path, blob]


def _summarize(entry: _Entry, blobs: dict[str, bytes], frameworks: dict, units: dict, path: str,
               stages: dict[str, StageContext], versions: _Versions, n: int) -> tuple[str, ...]:
    form = stage_form(path)
    if entry.status == "A":  # a page's own file: its first publication (History.of)
        return (f"新增{form}",) if form else ()
    if entry.status == "D":
        return (f"删除{form}",) if form else ("删除",)
    old, new = blobs.get(entry.old_blob), blobs.get(entry.new_blob)
    if old is None or new is None:
        return ()
    if form and path in stages:
        context = stages[path]
        return stage_summary(old, new, context, form, versions.around(context.targets, n)) or (
            ("文件改动，内容未变",) if entry.status.startswith("M") else ())
    if "/projects/" not in f"/{path}":
        return _changed_keys(old, new, frameworks.get(path)) or (
            ("文件改动，内容未变",) if entry.status.startswith("M") else ())
    framework = frameworks.get(path)
    unit = units.get(path, "元")
    before, after = project_of(old, framework, unit), project_of(new, framework, unit)
    if before is None or after is None:
        return (UNREADABLE,)
    from builder.history.diff import diff_projects
    from builder.history.wording import sentence

    return tuple(sentence(c.kind, c.subject, c.before, c.after, c.detail, after.name)
                 for c in diff_projects(before, after)) or (
        ("文件改动，内容未变",) if entry.status.startswith("M") else ())


def _changed_keys(old: bytes, new: bytes, framework: Framework | None = None) -> tuple[str, ...]:
    """For department and site files: which sections changed; with the department's `framework`, what
    changed in its 部门整体支出绩效目标表, as `diff` says it."""
    from builder.content.load import Node, parse_text

    labels = {"overall": "总体绩效目标", "narrative": "分项绩效目标", "measures": "工作保障措施", "projects": "项目列表",
              "name": "名称", "year": "年度", "money_unit": "金额单位", "framework": "指标体系", "scope": "范围",
              "period": "监控期间", "money": "资金", "goal": "年度总体目标", "indicators": "绩效指标",
              "total": "总分", "grade": "评价等级", "conclusion": "评价结论", "problems": "存在问题",
              "example": "示例说明", "scoring": "评分规则", "whole": "部门整体支出绩效目标表", "form": "表样"}

    def plain(data: bytes) -> dict:
        node = parse_text(Path("history.yaml"), data.decode("utf-8", "replace"), Report())
        if not isinstance(node, Node) or node.kind != "map":
            return {}
        return {k.value: _plain(v) for k, v in node.value}

    before, after = plain(old), plain(new)
    changed = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    whole = whole_summary(old, new, framework) if "whole" in changed and framework is not None else ()
    if whole:  # said row by row, not as a section
        changed.remove("whole")
    return ((f"修改：{'、'.join(labels.get(k, k) for k in changed)}",) if changed else ()) + whole


def _plain(node: Node) -> object:
    if node.kind == "scalar":
        return node.value
    if node.kind == "seq":
        return [_plain(n) for n in node.value]
    return {k.value: _plain(v) for k, v in node.value}
