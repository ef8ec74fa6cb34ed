"""History: when each content file changed, by whom it was committed, and what changed.

Git is read twice per build whatever its size (git.py runs it): one `git log --raw` over the
content folder lists every commit with the files it touched and their blob
ids, and one `git cat-file --batch` reads the old and new versions of those
files, so each revision of a project gets a summary in the domain's words
(diff.py). A folder outside git has no history and builds without one; a
shallow clone has part of it, and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from builder.base.characters import neutralized
from builder.base.diagnostics import Pos, Report
from builder.content.frameworks import Framework

if TYPE_CHECKING:  # imported where used: a build without history loads neither
    from builder.content.fields import Values
    from builder.content.load import Node
    from builder.content.model import Project
    from builder.content.scoring import Profile
    from builder.content.stage_model import Evaluation, Monitoring

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


@dataclass(frozen=True)
class StageContext:
    """What the versions of a stage file (监控表, 自评表) are read against: its project's approved
    targets and its scoring profile as they are now (the department's own: project None)."""

    label: str  # the project's name, or 部门整体
    project: Project | None
    profile: Profile | None  # for a self-evaluation
    framework: Framework
    unit: str


# The later stages' files, by the folder they are kept in (content/tree.py), as the forms are called.
STAGE_FORMS = {"monitoring": "监控表", "evaluations": "自评表"}


def stage_form(path: str) -> str | None:
    """监控表, 自评表 or 部门整体自评表 for a stage file's content-relative path; None for another file."""
    parts = path.split("/")
    if len(parts) >= 2 and parts[-2] in STAGE_FORMS:
        return STAGE_FORMS[parts[-2]]
    return "部门整体自评表" if parts[-1] == "evaluation.yaml" else None


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
            report.warning(Pos(str(where), 1, 1), "the git history is incomplete (a shallow clone): 修订记录 shows "
                           "only the commits this clone has", "run `git fetch --unshallow` before building")
        # NUL-separated (-z): a commit message cannot hold NUL, so no subject can end its field or
        # start a forged record, and paths come unquoted whatever they contain.
        log = git.text(self.root, "log", "-z", "-M", "--raw", "--no-abbrev", "--format=%H%x00%ad%x00%s",
                       "--date=short", self.commit, "--", self.relative or ".")
        commits = _parse_log(log, self.relative)
        blobs = git.cat_blobs(self.root, {b for _, _, _, entries in commits for e in entries
                                          for b in (e.old_blob, e.new_blob) if b != _NULL})
        files: dict[str, list[Revision]] = {}
        current: dict[str, str] = {}  # a path in the past -> the path it has now
        for sha, date, subject, entries in commits:  # newest first
            for entry in entries:
                now = current.get(entry.new_path or entry.old_path, entry.new_path or entry.old_path)
                if entry.status.startswith("R"):
                    current[entry.old_path] = now
                summary = _summarize(entry, blobs, frameworks or {}, units or {}, now, stages or {})
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


def _summarize(entry: _Entry, blobs: dict[str, bytes], frameworks: dict, units: dict, path: str,
               stages: dict[str, StageContext]) -> tuple[str, ...]:
    form = stage_form(path)
    if entry.status == "A":
        return (f"新增{form}",) if form else ("新建",)
    if entry.status == "D":
        return (f"删除{form}",) if form else ("删除",)
    old, new = blobs.get(entry.old_blob), blobs.get(entry.new_blob)
    if old is None or new is None:
        return ()
    if form and path in stages:
        return _stage_summary(old, new, stages[path], form) or (
            ("文件改动，内容未变",) if entry.status.startswith("M") else ())
    if "/projects/" not in f"/{path}":
        return _changed_keys(old, new)
    framework = frameworks.get(path)
    unit = units.get(path, "元")
    before, after = _project(old, framework, unit), _project(new, framework, unit)
    if before is None or after is None:
        return ("（此版本内容有错误，无法逐项比较）",)
    from builder.history.diff import diff_projects

    return tuple(c.text().split("] ", 1)[-1] for c in diff_projects(before, after)) or (
        ("文件改动，内容未变",) if entry.status.startswith("M") else ())


def _project(data: bytes, framework: Framework | None, unit: str) -> Project | None:
    """A project model from one version of its file, or None if that version does not validate."""
    from builder.content.assemble import assemble_project

    values = _values(data, "project")
    if framework is None or values is None:
        return None
    try:
        return assemble_project(values, 0, unit, framework, "history.yaml")
    except Exception:  # a version that validated on its own but not against this framework
        return None


def _stage_summary(old: bytes, new: bytes, context: StageContext, form: str) -> tuple[str, ...]:
    """What changed in a 监控表 or 自评表, in its words (stage_diff.py)."""
    from builder.content.stage_model import Evaluation, Monitoring
    from builder.history.diff import Change
    from builder.history.stage_diff import diff_evaluation, diff_monitoring

    before, after = _stage(old, context, form), _stage(new, context, form)
    targets = context.project.indicators if context.project is not None else ()
    if isinstance(before, Monitoring) and isinstance(after, Monitoring):
        lines = diff_monitoring(before, after, context.label, (targets, targets))
    elif isinstance(before, Evaluation) and isinstance(after, Evaluation):
        lines = diff_evaluation(before, after, context.label, (targets, targets))
    else:
        return ("（此版本内容有错误，无法逐项比较）",)
    return tuple(Change(kind, 0, "", None, subject, was, now).text().split("] ", 1)[-1]
                 for kind, subject, was, now in lines)


def _stage(data: bytes, context: StageContext, form: str) -> Monitoring | Evaluation | None:
    """A stage's record from one version of its file, read against the targets as they are now; None
    if that version does not validate."""
    from builder.content.evaluation import evaluate
    from builder.content.monitoring import monitor

    kind = {"监控表": "monitoring", "自评表": "evaluation"}.get(form, "department-evaluation")
    values = _values(data, kind)
    if values is None:
        return None
    try:
        if kind == "monitoring" and context.project is not None:
            return monitor(values, context.project, context.framework, context.unit, "history.yaml")
        if kind != "monitoring" and context.profile is not None:
            return evaluate(values, context.profile, context.project, context.framework, context.unit, "history.yaml")
    except Exception:  # a version that validated on its own but cannot be read against today's targets
        return None
    return None


def _values(data: bytes, kind: str) -> Values | None:
    """One version of a content file, validated on its own; None if it does not validate."""
    from builder.content.load import Document, Node, parse_text
    from builder.content.validate import validate_document

    report = Report()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    node = parse_text(Path("history.yaml"), text, report)
    if report.errors or not isinstance(node, Node):
        return None
    record = validate_document(Document(Path("history.yaml"), node, kind), report)
    return None if report.errors else record.values


def _changed_keys(old: bytes, new: bytes) -> tuple[str, ...]:
    """For department and site files: which sections changed."""
    from builder.content.load import Node, parse_text

    labels = {"overall": "总体绩效目标", "narrative": "分项绩效目标", "measures": "工作保障措施", "projects": "项目列表",
              "name": "名称", "year": "年度", "money_unit": "金额单位", "framework": "指标体系", "scope": "范围",
              "period": "监控期间", "money": "资金", "goal": "年度总体目标", "indicators": "绩效指标",
              "total": "总分", "grade": "评价等级", "conclusion": "评价结论", "problems": "存在问题",
              "example": "示例说明", "scoring": "评分规则"}

    def plain(data: bytes) -> dict:
        node = parse_text(Path("history.yaml"), data.decode("utf-8", "replace"), Report())
        if not isinstance(node, Node) or node.kind != "map":
            return {}
        return {k.value: _plain(v) for k, v in node.value}

    before, after = plain(old), plain(new)
    changed = [labels.get(k, k) for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    return (f"修改：{'、'.join(changed)}",) if changed else ()


def _plain(node: Node) -> object:
    if node.kind == "scalar":
        return node.value
    if node.kind == "seq":
        return [_plain(n) for n in node.value]
    return {k.value: _plain(v) for k, v in node.value}
