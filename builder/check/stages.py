"""Stages: each monitoring and self-evaluation file linked to its project, given its scoring
profile, and checked as a finance reviewer would (evaluations.py, monitoring.py, and against each
other and the targets, across_stages.py).

A stage file is checked against its project's approved targets, so its rows are joined to the
targets only when the project's own file has no error; the stage file's own problems (its keys,
values, links) are reported either way, so one run still says everything it can.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.base.diagnostics import Report
from builder.base.messages import msg
from builder.base.names import fold
from builder.check.across_stages import check_between, check_evaluation_money, check_monitoring_money, renamed_in
from builder.check.evaluations import check_evaluation
from builder.check.monitoring import check_monitoring
from builder.check.stage_rows import Approved
from builder.check.wording import suggestion
from builder.content.assemble import DepartmentPlan, assemble_project
from builder.content.evaluation import evaluate
from builder.content.fields import Values
from builder.content.frameworks import Framework
from builder.content.monitoring import monitor
from builder.content.scoring import Profile
from builder.content.stage_model import Monitoring
from builder.content.validate import Record

DEFAULT_SCORING = "default"


@dataclass
class Scoring:
    """The scoring profiles a site may choose from, and its choices (site.yaml)."""

    profiles: dict[str, Profile]
    default: str = DEFAULT_SCORING
    by_year: dict[int, str] | None = None

    def choose(self, department: Values, record: Values | None, report: Report) -> Profile | None:
        """The profile of one self-evaluation: its own `scoring`, else its department's, else the
        site's for that year, else the site's; None after reporting an unknown one."""
        for values in (record, department):
            if values is not None and values.ok("scoring"):
                return self.known(values.get("scoring"), values, report)
        year = department.get("year")
        chosen = (self.by_year or {}).get(year, self.default) if isinstance(year, int) else self.default
        return self.profiles.get(chosen)

    def known(self, name: str, values: Values, report: Report) -> Profile | None:
        if name not in self.profiles:
            report.error(values.where("scoring"), msg("stages.unknown_profile", name=name),
                         suggestion(name, sorted(self.profiles)) or
                         msg("stages.profiles_available", choices=", ".join(sorted(self.profiles))))
            return None
        return self.profiles[name]


def check_stages(plan: DepartmentPlan, department: Values, stages: list[Record], scoring: Scoring, root: Path,
                 report: Report) -> None:
    """Link each stage file to its listed project and check it; fills the plan's stages.

    A project's monitoring round is checked before its self-evaluation, which is then checked
    against it too (across_stages.py)."""
    by_code = {p.values.get("code"): p for p in plan.projects if p.values is not None and p.values.ok("code")}
    folded = {fold(code): code for code in by_code}
    projects: dict[str, Approved | None] = {}
    monitored: dict[str, tuple[Values, Monitoring]] = {}
    for record in sorted(stages, key=lambda r: r.kind != "monitoring"):
        values = record.values
        if values is None:
            continue
        if record.kind == "department-evaluation":
            profile = scoring.choose(department, values, report)
            if profile is not None and clean(record, report):
                evaluation = evaluate(values, profile, None, plan.framework, department.get("money_unit"),
                                      relative(record, root))
                check_evaluation(values, evaluation, None, report, scoring.profiles)
                plan.department_evaluation = (record, profile)
            continue
        if not values.ok("project"):
            continue
        code = values.get("project")
        if code != record.path.stem:
            report.error(values.where("project"), msg("stages.file_name", code=code, file=record.path.name))
            continue
        project_record = by_code.get(code) or by_code.get(folded.get(fold(code), ""))
        if project_record is None:
            report.error(values.where("project"), msg("stages.not_a_project", code=code),
                         suggestion(code, sorted(by_code)) or msg("stages.beside_targets"))
            continue
        if code not in projects:
            projects[code] = approved_project(plan, project_record, department, root, report)
        approved = projects[code]
        if approved is None or not clean(record, report):
            continue
        project = approved.project
        if record.kind == "monitoring":
            monitoring = monitor(values, project, plan.framework, project.money_unit, relative(record, root))
            check_monitoring(values, monitoring, approved, scoring.choose(department, None, report), report)
            check_monitoring_money(values, monitoring, approved, report)
            monitored[code] = (values, monitoring)
            plan.monitoring[code] = record
        else:
            profile = scoring.choose(department, values, report)
            if profile is None:
                continue
            evaluation = evaluate(values, profile, project, plan.framework, project.money_unit, relative(record, root))
            earlier = monitored.get(code)
            check_evaluation(values, evaluation, approved, report, scoring.profiles,
                             renamed_in(earlier[1], approved) if earlier else None)
            check_evaluation_money(values, evaluation, approved, report)
            if earlier is not None:
                check_between(*earlier, values, evaluation, approved, report)
            plan.evaluations[code] = (record, profile)


def approved_project(plan: DepartmentPlan, record: Record, department: Values, root: Path,
                     report: Report) -> Approved | None:
    """A project's approved targets as the model with where each row stands, when its file has no
    error (else its stages cannot be joined to it; its own errors say why)."""
    if record.values is None or not clean(record, report):
        return None
    number = plan.projects.index(record) + 1
    project = assemble_project(record.values, number, department.get("money_unit"), plan.framework,
                               relative(record, root))
    return Approved(project, tuple(record.values.get("indicators")))


def clean(record: Record, report: Report) -> bool:
    """Whether nothing reported so far is an error in this file."""
    path = str(record.path)
    return not any(d.pos.path == path for d in report.errors)


def relative(record: Record, root: Path) -> str:
    return record.path.relative_to(root).as_posix()


__all__ = ["DEFAULT_SCORING", "Framework", "Scoring", "check_stages"]
