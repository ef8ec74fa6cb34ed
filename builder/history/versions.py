"""Versions: one past version of a content file read back for the 修订记录, and what a stage file's
change says.

A version is validated on its own (no check rule runs: a past version may not pass today's), then
made into a project model, or a monitoring round or self-evaluation read against its project's
targets of the same time (revisions.py finds them in the same `git log`), so a changed target
and the stage figures measured against it are never compared across versions. A version that does
not validate gives None, and the summary says its content had errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from builder.base.diagnostics import Report
from builder.content.frameworks import Framework

if TYPE_CHECKING:  # imported where used: a build without history loads none of them
    from builder.content.fields import Values
    from builder.content.model import Project, WholeTarget
    from builder.content.scoring import Profile
    from builder.content.stage_model import Evaluation, Monitoring

UNREADABLE = "（此版本内容有错误，无法逐项比较）"

# The later stages' files, by the folder they are kept in (content/tree.py), as the forms are called.
STAGE_FORMS = {"monitoring": "监控表", "evaluations": "自评表"}


@dataclass(frozen=True)
class StageContext:
    """What the versions of a stage file (监控表, 自评表) are read with: its project's name, targets
    file, targets as they are now (when a version's own time has none) and scoring profile; the
    department's own self-evaluation has no project."""

    label: str  # the project's name, or 部门整体
    project: Project | None
    targets: str | None  # the project's file, content-relative, as it is named now
    profile: Profile | None  # for a self-evaluation
    framework: Framework
    unit: str


def stage_form(path: str) -> str | None:
    """监控表, 自评表 or 部门整体自评表 for a stage file's content-relative path; None for another file."""
    parts = path.split("/")
    if len(parts) >= 2 and parts[-2] in STAGE_FORMS:
        return STAGE_FORMS[parts[-2]]
    return "部门整体自评表" if parts[-1] == "evaluation.yaml" else None


def stage_summary(old: bytes, new: bytes, context: StageContext, form: str,
                  targets: tuple[Project | None, Project | None]) -> tuple[str, ...]:
    """What changed in a 监控表 or 自评表, in its words (stage_diff.py); `targets`: the project's
    targets before and after the commit (None: as they are now)."""
    from builder.content.stage_model import Evaluation, Monitoring
    from builder.history.stage_diff import diff_evaluation, diff_monitoring
    from builder.history.wording import sentence

    projects = [t or context.project for t in targets]
    before, after = stage_of(old, context, form, projects[0]), stage_of(new, context, form, projects[1])
    indicators = (tuple(p.indicators) if p is not None else () for p in projects)
    rows = (next(indicators), next(indicators))
    if isinstance(before, Monitoring) and isinstance(after, Monitoring):
        lines = diff_monitoring(before, after, context.label, rows)
    elif isinstance(before, Evaluation) and isinstance(after, Evaluation):
        lines = diff_evaluation(before, after, context.label, rows)
    else:
        return (UNREADABLE,)
    return tuple(sentence(kind, subject, was, now, None, context.label) for kind, subject, was, now in lines)


def stage_of(data: bytes, context: StageContext, form: str, project: Project | None) -> Monitoring | Evaluation | None:
    """A stage's record from one version of its file, read against `project`'s targets; None if that
    version does not validate."""
    from builder.content.evaluation import evaluate
    from builder.content.monitoring import monitor

    kind = {"监控表": "monitoring", "自评表": "evaluation"}.get(form, "department-evaluation")
    values = values_of(data, kind)
    if values is None:
        return None
    try:
        if kind == "monitoring" and project is not None:
            return monitor(values, project, context.framework, context.unit, "history.yaml")
        if kind != "monitoring" and context.profile is not None:
            return evaluate(values, context.profile, project, context.framework, context.unit, "history.yaml")
    except Exception:  # a version that validated on its own but cannot be read against those targets
        return None
    return None


def project_of(data: bytes, framework: Framework | None, unit: str) -> Project | None:
    """A project model from one version of its file, or None if that version does not validate."""
    from builder.content.assemble import assemble_project

    values = values_of(data, "project")
    if framework is None or values is None:
        return None
    try:
        return assemble_project(values, 0, unit, framework, "history.yaml")
    except Exception:  # a version that validated on its own but not against this framework
        return None


def whole_summary(old: bytes, new: bytes, framework: Framework) -> tuple[str, ...]:
    """What changed in a department file's 部门整体支出绩效目标表, in its words (diff.py, as `diff` says it)."""
    from builder.history.diff import whole_changes
    from builder.history.wording import sentence

    (old_read, before), (new_read, after) = whole_of(old, framework), whole_of(new, framework)
    if not (old_read and new_read):
        return (UNREADABLE,)
    return tuple(sentence(kind, subject, was, now, detail, "部门整体")
                 for kind, subject, was, now, detail in whole_changes(before, after))


def whole_of(data: bytes, framework: Framework) -> tuple[bool, WholeTarget | None]:
    """Whether one version of a department file could be read, and its department-wide target (None
    where it has none)."""
    from builder.content.assemble import Shared, assemble_whole

    values = values_of(data, "department")
    if values is None:
        return False, None
    whole = values.get("whole")
    if not whole:
        return True, None
    try:
        return True, assemble_whole(whole, values.get("money_unit"), framework, Shared())
    except Exception:  # a version that validated on its own but not against this framework
        return False, None


def values_of(data: bytes, kind: str) -> Values | None:
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


__all__ = ["STAGE_FORMS", "UNREADABLE", "StageContext", "project_of", "stage_form", "stage_of", "stage_summary",
           "values_of", "whole_of", "whole_summary"]
