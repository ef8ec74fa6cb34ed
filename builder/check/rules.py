"""Check: rules across values and files, on the validated records.

Each rule skips values that already failed validation (they were reported
there), so one run reports every independent problem once. Rules run per
department (check_department, on one department folder's records) except the
site's own (check_site_files) and those across departments (the uniqueness of codes,
check_unique_codes; a project's categories across years,
category_drift.lint_across_years); those within one project are in projects.py. A
DepartmentPlan says which framework and which project files a department uses:
assemble.py builds its model from it when no error was found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.base.diagnostics import Pos, Report
from builder.base.messages import msg
from builder.base.names import fold
from builder.check.category_drift import Filed
from builder.check.compositions import check_compositions
from builder.check.lint import lint_department
from builder.check.projects import check_project, check_whole
from builder.check.stages import Scoring, check_stages
from builder.check.wording import suggestion
from builder.content.assemble import DepartmentPlan, NarrativeFindings
from builder.content.fields import Values
from builder.content.frameworks import Framework, framework_from_values
from builder.content.schema import DEFAULT_FORM
from builder.content.scoring import Profile, builtin_profiles
from builder.content.validate import Record, Records

DEFAULT_FRAMEWORK = "classic"


@dataclass(frozen=True)
class Codes:
    """What the rules across departments need of one checked department: check_unique_codes its codes,
    category_drift.lint_across_years its projects' indicator categories."""

    department: tuple | None  # ((year, code), where the code is), when both are valid
    projects: tuple = ()  # ((year, project code), where) for each listed project with a valid code
    filed: tuple = ()  # category_drift.Filed for each project whose categories were read


@dataclass
class SiteRules:
    """Site-wide choices every department is checked against."""

    frameworks: dict[str, Framework]
    default_framework: str
    scoring: Scoring = field(default_factory=lambda: Scoring(builtin_profiles()))
    default_form: str = DEFAULT_FORM  # site.yaml's annex layout; the theme's stage checks it exists


def check_site_files(records: Records, report: Report) -> SiteRules:
    """site.yaml and the frameworks: what every department is checked against. The site's theme
    is checked by the theme's own stage (render.themes.check_site_theme)."""
    frameworks = collect_frameworks(records, report)
    site = records.site.values if records.site is not None else None
    form = site.get("form") if site is not None and site.ok("form") else DEFAULT_FORM
    return SiteRules(frameworks, check_site(records.site, frameworks, report),
                     site_scoring(records.site, records.profiles, report), form)


def check_department(department: Record, files: list[Record], rules: SiteRules, report: Report,
                     stages: list[Record] | None = None, root: Path | None = None) -> tuple[DepartmentPlan | None, Codes]:
    """One department folder: its department.yaml and the project files in its projects/ folder.

    Every rule but two sees only the department's own files, so departments are checked one at a
    time (on any core, and remembered by the build cache); the two that compare departments,
    check_unique_codes and category_drift.lint_across_years, get their Codes.
    """
    if department.values is None:
        return None, Codes(None)  # its projects cannot be linked; do not also call them unlisted
    values = department.values
    framework_id = values.get("framework", rules.default_framework)
    if values.ok("framework"):
        require_framework(rules.frameworks, framework_id, values.where("framework"), report)
    framework = rules.frameworks.get(framework_id)
    projects = link_projects(values, {p.path.stem: p for p in files}, report)
    claimed = {p.path for p in projects}
    check_narrative(values, report)
    check_whole(values, framework, report)
    check_compositions(values, [p.values for p in projects], report)
    for project in projects:
        if project.values is not None:
            check_project(project.values, values, framework, report)
    findings = NarrativeFindings()
    filed = lint_department(values, [p.values for p in projects if p.values is not None], framework, report,
                            findings)
    report_unlisted([p for p in files if p.path not in claimed], report)
    if framework is None:
        return None, Codes(None)
    plan = DepartmentPlan(department, framework, projects, form=rules.default_form, narrative=findings)
    if department.values.ok("scoring"):
        rules.scoring.known(values.get("scoring"), values, report)
    if stages:
        check_stages(plan, values, stages, rules.scoring, root or department.path.parent.parent, report)
    return plan, codes_of(values, projects, filed)


def report_unlisted(projects: list[Record], report: Report) -> None:
    for project in projects:
        if project.values is not None:
            report.error(project.values.where("code") if project.values.ok("code") else project.values.at,
                         msg("rules.project_unlisted", code=project.values.get("code", project.path.stem)))


def codes_of(values: Values, projects: list[Record], filed: tuple[Filed, ...] = ()) -> Codes:
    if not values.ok("year"):
        return Codes(None)
    year = values.get("year")
    own = ((year, values.get("code")), values.where("code")) if values.ok("code") else None
    return Codes(own, tuple(((year, p.values.get("code")), p.values.where("code")) for p in projects
                            if p.values is not None and p.values.ok("code")), filed)


def check_site(site: Record | None, frameworks: dict[str, Framework], report: Report) -> str:
    """Check site.yaml's choices; return the framework departments use by default."""
    if site is None or site.values is None:
        return DEFAULT_FRAMEWORK
    values = site.values
    framework = values.get("framework", DEFAULT_FRAMEWORK)
    require_framework(frameworks, framework, values.where("framework"), report)
    return framework


def site_scoring(site: Record | None, own: list[Profile], report: Report) -> Scoring:
    """The scoring profiles (built-in, then the content's own, which may replace one) and the
    site's choice of them (site.yaml `scoring`, `scoring_by_year`)."""
    scoring = Scoring({**builtin_profiles(), **{profile.id: profile for profile in own}})
    if site is None or site.values is None:
        return scoring
    values = site.values
    if values.ok("scoring") and scoring.known(values.get("scoring"), values, report):
        scoring.default = values.get("scoring")
    scoring.by_year = {}
    for item in values.get("scoring_by_year") or []:
        if item and item.ok("year", "scoring") and scoring.known(item.get("scoring"), item, report):
            scoring.by_year[item.get("year")] = item.get("scoring")
    return scoring


def collect_frameworks(records: Records, report: Report) -> dict[str, Framework]:
    """Built-in frameworks, then the content's own; a content framework may replace a built-in one."""
    frameworks: dict[str, Framework] = {}
    seen_in_content: dict[str, Pos] = {}
    for record in records.frameworks:
        values = record.values
        if values is None or not values.ok("id", "title", "categories"):
            continue
        fid = values.get("id")
        if not record.builtin:
            if fid in seen_in_content:
                report.error(values.where("id"), msg("rules.framework_twice", framework=fid,
                                                     file=Path(seen_in_content[fid].path).name,
                                                     line=seen_in_content[fid].line))
                continue
            seen_in_content[fid] = values.where("id")
        frameworks[fid] = framework_from_values(values)
    return frameworks


def require_framework(frameworks: dict[str, Framework], framework_id: str, pos: Pos, report: Report) -> None:
    if framework_id not in frameworks:
        report.error(pos, msg("rules.unknown_framework", framework=framework_id, choices=", ".join(sorted(frameworks))))


def link_projects(values: Values, files: dict[str, Record], report: Report) -> list[Record]:
    """The project records a department (`values`) lists, in its order, each checked against its file name.

    `files`: the records in the department's projects/ folder, by file stem.
    """
    linked: list[Record] = []
    if not values.ok("projects"):
        return linked
    listed: dict[str, tuple[str, Pos]] = {}  # by folded code: P001 and p001 would be one file on Windows
    for pos, code in values.get("projects").valid():
        if fold(code) in listed:
            first, where = listed[fold(code)]
            report.error(pos, msg("rules.project_listed_twice", code=code, line=where.line) if first == code else
                         msg("rules.project_listed_twice_case", code=code, line=where.line, first=first))
            continue
        listed[fold(code)] = (code, pos)
        project = files.get(code)
        if project is None:
            report.error(pos, msg("rules.no_project_file", code=code))
            continue
        linked.append(project)
        if project.values is not None and project.values.ok("code") and project.values.get("code") != code:
            report.error(project.values.where("code"),
                         msg("rules.code_not_file_name", code=project.values.get("code"), file=f"{code}.yaml"))
    return linked


def check_narrative(department: Values, report: Report) -> None:
    if not department.ok("narrative", "projects"):
        return
    codes = {code for _, code in department.get("projects").valid()}
    for item in department.get("narrative").get("items", []):
        if item and item.ok("project") and item.get("project") not in codes:
            report.error(item.where("project"), msg("rules.narrative_unknown_project", code=item.get("project")),
                         suggestion(item.get("project"), sorted(codes)))


def check_unique_codes(checked: list[Codes], report: Report) -> None:
    """A department once per year, a project code once per year, across the whole site.

    Codes are compared folded (names.fold): `AB01` and `ab01` would be one output folder on
    Windows and macOS."""
    departments: dict[tuple, tuple[str, Pos]] = {}
    projects: dict[tuple, tuple[str, Pos]] = {}
    for codes in checked:
        if codes.department is not None:
            (year, code), pos = codes.department
            key = (year, fold(code))
            if key in departments:
                other, first = departments[key]
                where = f"{Path(first.path).parent.name}/department.yaml:{first.line}"
                report.error(pos, msg("rules.department_twice", code=code, year=year, where=where) if other == code
                             else msg("rules.department_twice_case", code=code, year=year, where=where, other=other))
            departments.setdefault(key, (code, pos))
        for (year, code), pos in codes.projects:
            key = (year, fold(code))
            if key in projects:
                other, first = projects[key]
                where = f"{Path(first.path).parent.parent.name}/projects/{Path(first.path).name}:{first.line}"
                report.error(pos, msg("rules.project_code_twice", code=code, year=year, where=where) if other == code
                             else msg("rules.project_code_twice_case", code=code, year=year, where=where, other=other))
            projects.setdefault(key, (code, pos))
