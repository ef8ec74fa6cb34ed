"""History: when each content file changed, by whom it was committed, and what changed.

Git is read twice per build whatever its size (git.py runs it): one `git log --raw` over the
content folder lists every commit with the files it touched and their blob
ids, and one `git cat-file --batch` reads the old and new versions of those
files, so each revision of a project gets a summary in the domain's words
(diff.py; a monitoring round's or self-evaluation's read against its project's
targets of the same commit, versions.py). A folder outside git has no history
and builds without one; a shallow clone has part of it, and says so.
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
_SHA = re.compile("[0-9a-f]{40}([0-9a-f]{24})?")  # SHA-1, or SHA-256 in a repository that uses it


@dataclass(frozen=True)
class Revision:
    commit: str
    date: str  # the author date, YYYY-MM-DD, as git recorded it
    subject: str
    summary: tuple[str, ...]  # what changed in this file, in the domain's words


@dataclass(frozen=True)
class History:
    complete: bool
    files: dict  # content-relative path (as it is now) -> tuple[Revision, ...], newest first
    sequence: dict  # commit -> its place in the log, 0 for the newest

    def of(self, *paths: str, labels: dict | None = None) -> tuple[Revision, ...]:
        """Revisions of any of `paths`, newest first, one per commit with their summaries joined.

        `labels` names a path in the joined summaries ("#招商经费：预算数 …").
        """
        merged: dict[str, Revision] = {}
        order: list[str] = []
        for path in paths:
            label = (labels or {}).get(path)
            for revision in self.files.get(path, ()):
                if label:
                    revision = Revision(revision.commit, revision.date, revision.subject,
                                        tuple(line if line.startswith(label) else f"{label}：{line}"
                                              for line in revision.summary))
                if revision.commit in merged:
                    old = merged[revision.commit]
                    merged[revision.commit] = Revision(old.commit, old.date, old.subject,
                                                       old.summary + revision.summary)
                else:
                    merged[revision.commit] = revision
                    order.append(revision.commit)
        return tuple(sorted(merged.values(), key=lambda r: self.sequence[r.commit]))


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
        # NUL-separated (-z): a commit message cannot hold NUL, so no subject can end its field or
        # start a forged record, and paths come unquoted whatever they contain.
        log = git.text(self.root, "log", "-z", "-M", "--raw", "--no-abbrev", "--format=%H%x00%ad%x00%s",
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
        for n, (sha, date, subject, _) in enumerate(commits):
            for entry, now in named[n]:
                summary = _summarize(entry, blobs, frameworks or {}, units or {}, now, stages or {}, versions, n)
                files.setdefault(now, []).append(Revision(sha, date, subject, summary))
        return History(complete=not shallow, files={path: tuple(revs) for path, revs in files.items()},
                       sequence={sha: n for n, (sha, _, _, _) in enumerate(commits)})

    def commit_time(self) -> int | None:
        """When the folder last changed up to the commit (committer time, Unix seconds)."""
        from builder.history import git

        return git.commit_time(self.root, self.commit, self.relative)


def _parse_log(log: str, relative: str) -> list[tuple[str, str, str, list[_Entry]]]:
    """`git log -z --raw --format=%H%x00%ad%x00%s`: fields and paths are NUL-separated, each commit's
    three fields followed by its `:meta` fields, each with one path (two for a rename or copy)."""
    prefix = f"{relative}/" if relative else ""
    strip = (lambda p: p[len(prefix):] if p.startswith(prefix) else p)  # noqa: E731
    fields = log.split("\0")
    commits, at = [], 0
    while at + 2 < len(fields) and _SHA.fullmatch(fields[at].lstrip("\n")):
        sha, date, subject = fields[at].lstrip("\n"), fields[at + 1], neutralized(fields[at + 2])
        at += 3
        entries = []
        while at < len(fields) and fields[at].lstrip("\n").startswith(":"):
            _, _, old_blob, new_blob, status = fields[at].lstrip("\n")[1:].split(" ")
            paths = 2 if status[:1] in "RC" else 1
            old_path, new_path = fields[at + 1], fields[at + paths]
            entries.append(_Entry(status, old_blob, new_blob, strip(old_path), strip(new_path)))
            at += 1 + paths
        commits.append((sha, date, subject, entries))
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
    if entry.status == "A":
        return (f"新增{form}",) if form else ("新建",)
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
        return _changed_keys(old, new, frameworks.get(path))
    framework = frameworks.get(path)
    unit = units.get(path, "元")
    before, after = project_of(old, framework, unit), project_of(new, framework, unit)
    if before is None or after is None:
        return (UNREADABLE,)
    from builder.history.diff import diff_projects

    return tuple(c.text().split("] ", 1)[-1] for c in diff_projects(before, after)) or (
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
