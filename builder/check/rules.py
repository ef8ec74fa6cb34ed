"""Check: rules across values and files, on the validated records.

Each rule skips values that already failed validation (they were reported
there), so one run reports every independent problem once. Rules run per
department (check_department, on one department folder's records) except the
site's own (check_site_files) and the uniqueness of codes across departments
(check_unique_codes). A DepartmentPlan says which framework and which project
files a department uses: assemble.py builds its model from it when no error
was found.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from builder.base.diagnostics import Pos, Report
from builder.base.money import format_money
from builder.base.names import fold
from builder.check.lint import lint_department
from builder.content.assemble import DepartmentPlan
from builder.content.fields import Values
from builder.content.frameworks import Framework, Match, Row, framework_from_values, resolve_rows
from builder.content.targets import MONEY_FACTORS, in_unit
from builder.content.validate import Record, Records

DEFAULT_FRAMEWORK = "classic"


@dataclass(frozen=True)
class Codes:
    """What the cross-department rule (check_unique_codes) needs of one checked department."""

    department: tuple | None  # ((year, code), where the code is), when both are valid
    projects: tuple = ()  # ((year, project code), where) for each listed project with a valid code


@dataclass
class SiteRules:
    """Site-wide choices every department is checked against."""

    frameworks: dict[str, Framework]
    default_framework: str


def check_site_files(records: Records, report: Report) -> SiteRules:
    """site.yaml and the frameworks: what every department is checked against. The site's theme
    is checked by the theme's own stage (render.themes.check_site_theme)."""
    frameworks = collect_frameworks(records, report)
    return SiteRules(frameworks, check_site(records.site, frameworks, report))


def check_department(department: Record, files: list[Record], rules: SiteRules,
                     report: Report) -> tuple[DepartmentPlan | None, Codes]:
    """One department folder: its department.yaml and the project files in its projects/ folder.

    Every rule but one sees only the department's own files, so departments are checked one at a
    time (on any core, and remembered by the build cache); the one that compares departments,
    check_unique_codes, gets their Codes.
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
    for project in projects:
        if project.values is not None:
            check_project(project.values, values, framework, report)
    lint_department(values, [p.values for p in projects if p.values is not None], framework, report)
    report_unlisted([p for p in files if p.path not in claimed], report)
    if framework is None:
        return None, Codes(None)
    return DepartmentPlan(department, framework, projects), codes_of(values, projects)


def report_unlisted(projects: list[Record], report: Report) -> None:
    for project in projects:
        if project.values is not None:
            report.error(project.values.where("code") if project.values.ok("code") else project.values.at,
                         "this project is not listed in its department's `projects`",
                         f"add `- {project.values.get('code', project.path.stem)}` to `projects:` in department.yaml")


def codes_of(values: Values, projects: list[Record]) -> Codes:
    if not values.ok("year"):
        return Codes(None)
    year = values.get("year")
    own = ((year, values.get("code")), values.where("code")) if values.ok("code") else None
    return Codes(own, tuple(((year, p.values.get("code")), p.values.where("code")) for p in projects
                            if p.values is not None and p.values.ok("code")))


def check_site(site: Record | None, frameworks: dict[str, Framework], report: Report) -> str:
    """Check site.yaml's choices; return the framework departments use by default."""
    if site is None or site.values is None:
        return DEFAULT_FRAMEWORK
    values = site.values
    framework = values.get("framework", DEFAULT_FRAMEWORK)
    require_framework(frameworks, framework, values.where("framework"), report)
    return framework


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
                report.error(values.where("id"), f"framework id `{fid}` is already defined at "
                             f"{Path(seen_in_content[fid].path).name}:{seen_in_content[fid].line}")
                continue
            seen_in_content[fid] = values.where("id")
        frameworks[fid] = framework_from_values(values)
    return frameworks


def require_framework(frameworks: dict[str, Framework], framework_id: str, pos: Pos, report: Report) -> None:
    if framework_id not in frameworks:
        report.error(pos, f"unknown indicator framework `{framework_id}`",
                     "available: " + ", ".join(sorted(frameworks)))


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
            same = "" if first == code else f" as `{first}`; codes differing only in case name one file on Windows"
            report.error(pos, f"project `{code}` is listed twice (first at line {where.line}{same})")
            continue
        listed[fold(code)] = (code, pos)
        project = files.get(code)
        if project is None:
            report.error(pos, f"no file projects/{code}.yaml for project `{code}`",
                         "each listed project needs its file, named after its code")
            continue
        linked.append(project)
        if project.values is not None and project.values.ok("code") and project.values.get("code") != code:
            report.error(project.values.where("code"),
                         f"project code `{project.values.get('code')}` does not match its file name `{code}.yaml`",
                         "name each project file after its code")
    return linked


def check_narrative(department: Values, report: Report) -> None:
    if not department.ok("narrative", "projects"):
        return
    codes = {code for _, code in department.get("projects").valid()}
    for item in department.get("narrative").get("items", []):
        if item and item.ok("project") and item.get("project") not in codes:
            report.error(item.where("project"), f"narrative names project `{item.get('project')}`, "
                         "which this department does not list", _closest(item.get("project"), codes))


def check_project(project: Values, department: Values, framework: Framework | None, report: Report) -> None:
    """Rules within one project; without a known framework the categories cannot be checked."""
    unit = project.get("money_unit") or department.get("money_unit") or "元"
    check_budget(project, unit, report)
    check_spending_plan(project, report)
    if not project.ok("indicators"):
        return
    rows = [v if v else None for v in project.get("indicators")]
    resolved: list[Row | None] = resolve_rows(rows, framework) if framework else [None] * len(rows)
    if framework:
        check_categories(rows, resolved, framework, report)
    for values, row in zip(rows, resolved, strict=True):
        if values is not None and values.ok("target"):
            check_target(values, row, project, department, unit, report)


def check_budget(project: Values, unit: str, report: Report) -> None:
    if not project.ok("budget"):
        return
    budget = project.get("budget")
    if not budget.ok("total") or any(k in budget.data and not budget.ok(k) for k in ("fiscal", "other")):
        return
    total = budget.get("total")
    if total.is_blank:
        report.error(budget.where("total"), "预算数 (total) is blank", "write the project's total budget")
        return
    fiscal, other = budget.get("fiscal"), budget.get("other")
    parts = [a for a in (fiscal, other) if a is not None]
    if all(a.is_blank for a in parts):
        return  # a form that states only the total; nothing to add up
    added = sum((a.or_zero() for a in parts), Decimal(0))
    if added != total.value:
        shown = " + ".join(f"{label} {format_money(a.value, unit) if not a.is_blank else '(blank)'}"
                           for label, a in (("财政资金", fiscal), ("其他资金", other)) if a is not None)
        report.error(budget.where("total"),
                     f"预算数 {format_money(total.value, unit)} does not equal {shown} = {format_money(added, unit)}",
                     "预算数 must equal 财政资金 + 其他资金 exactly; a blank counts as 0")


def check_spending_plan(project: Values, report: Report) -> None:
    if not project.ok("spending_plan"):
        return
    previous: Decimal | None = None
    labels: dict[str, Pos] = {}
    last = None
    for milestone in project.get("spending_plan"):
        if not milestone or not milestone.ok("milestone", "percent"):
            return
        label, percent, pos = milestone.get("milestone"), milestone.get("percent"), milestone.where("percent")
        if label in labels:
            report.error(milestone.where("milestone"),
                         f"milestone `{label}` appears twice (first at line {labels[label].line})")
        labels[label] = milestone.where("milestone")
        if percent > 100:
            report.error(pos, f"spending plan reaches {percent}% at {label}; it cannot exceed 100%")
        elif previous is not None and percent < previous:
            report.error(pos, f"spending plan goes down from {previous}% to {percent}% at {label}",
                         "the plan is cumulative: each milestone states the share spent so far")
        previous, last = percent, (percent, pos, label)
    if last is not None and last[0] < 100:
        report.error(last[1], f"spending plan ends at {last[0]}% at {last[2]}; it must end at 100%",
                     "the last milestone is when all the money has been spent")


def check_categories(rows: list, resolved: list[Row | None], framework: Framework, report: Report) -> None:
    for index, (values, row) in enumerate(zip(rows, resolved, strict=True)):
        if values is None or row is None:  # row is None exactly when values is
            continue
        if row.level1 is None:
            if index == 0:
                report.error(values.at, "the first indicator has no `level1` (一级指标)",
                             "only later rows may leave level1 out to continue the merged cell above")
            continue
        if not row.level1_continues:
            report_match(values.where("level1"), "level1", "一级指标", row.level1, row.level1_match,
                         [c.name for c in framework.categories], framework, report)
            if row.level2_continues:
                report.error(values.at, f"a new 一级指标 `{row.level1}` starts here without `level2` (二级指标)",
                             "write level2 on the first row of each 一级指标 block")
                continue
        if row.level2 is None or row.level1_match.category is None:
            continue
        if not row.level2_continues:
            parent = row.level1_match.category
            elsewhere = [c.name for c in framework.categories if c.child(row.level2).found]
            choices = [c.name for c in parent.children]
            hint_extra = (f"; in framework `{framework.id}` `{row.level2}` belongs under {'/'.join(elsewhere)}"
                          if elsewhere else "")
            report_match(values.where("level2"), "level2", "二级指标", row.level2, row.level2_match,
                         choices, framework, report, parent=parent.name, extra=hint_extra)


def report_match(pos: Pos, key: str, title: str, label: str, match: Match, choices: list[str], framework: Framework,
                 report: Report, parent: str | None = None, extra: str = "") -> None:
    where = f"under `{parent}` " if parent else ""
    if match.category is None:  # not found
        close = difflib.get_close_matches(label, choices, n=1, cutoff=0.4)
        hint = (f"did you mean `{close[0]}`? " if close else "") + f"valid here: {', '.join(choices)}{extra}"
        report.error(pos, f"`{label}` is not a {title} {where}in framework `{framework.id}`", hint)
    elif match.how != "exact":
        report.warning(pos, f"{title} `{label}` is read as `{match.category.name}`",
                       "the label is kept as written; write the canonical name to silence this")


def check_target(indicator: Values, row: Row | None, project: Values, department: Values, unit: str,
                 report: Report) -> None:
    target = indicator.get("target")
    pos = indicator.where("target")
    name = indicator.get("name") or ""
    if target.unit_kind == "percent" and target.value is not None and not _is_growth(name):
        top = target.upper if target.upper is not None else target.value
        if top > 100 or (top == 100 and target.comparator == ">"):
            report.warning(pos, f"rate target {target.raw} is above 100%",
                           "a rate cannot exceed 100%; if this is a growth rate, say so in the indicator name")
        elif top == 100 and target.comparator == "≥":
            report.warning(pos, f"rate target {target.raw} can only be met at exactly 100%",
                           "write 100% (or =100%); ≥100% on a rate usually means the template was not adapted")
    if target.kind == "number" and target.unit is None:
        hint = "add the unit (次, 个, %, 万元…)"
        if target.value == target.value.to_integral() and 20000 <= target.value <= 80000:
            day = date(1899, 12, 30) + timedelta(days=int(target.value))
            hint = f"{target.value} looks like an Excel date serial for {day.isoformat()}; " + hint
        report.warning(pos, f"target {target.raw} has no unit", hint)
    if target.kind == "deadline" and target.deadline and department.ok("year") \
            and target.deadline.year != department.get("year"):
        report.warning(pos, f"deadline {target.raw} is outside the budget year {department.get('year')}")
    cost = row is not None and ((row.level1_match.category is not None and row.level1_match.category.cost) or (
        row.level2_match.category is not None and row.level2_match.category.cost))
    if cost and target.unit in MONEY_FACTORS and target.comparator in ("≤", "<", "=", None) and project.ok("budget"):
        budget = project.get("budget")
        if budget.ok("total") and not budget.get("total").is_blank:
            ceiling = in_unit(target.value, target.unit, unit)
            total = budget.get("total").value
            if ceiling > total:
                report.warning(pos, f"成本指标 ceiling {target.raw} ({format_money(ceiling, unit)}) is above "
                               f"the project's budget {format_money(total, unit)}",
                               "a cost ceiling above the budget constrains nothing; check the target or its unit")


def _is_growth(name: str) -> bool:
    # Growth rates (增长率 150%) may exceed 100%; shares and completion rates may not.
    return any(word in name for word in ("增长", "增速", "增幅", "同比", "环比"))


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
                report.error(pos, f"department `{code}` for {year} is defined twice "
                             f"(also at {Path(first.path).parent.name}/department.yaml:{first.line}"
                             f"{_as(other, code)})")
            departments.setdefault(key, (code, pos))
        for (year, code), pos in codes.projects:
            key = (year, fold(code))
            if key in projects:
                other, first = projects[key]
                report.error(pos, f"project code `{code}` is used twice in {year} "
                             f"(also at {Path(first.path).parent.parent.name}/projects/"
                             f"{Path(first.path).name}:{first.line}{_as(other, code)})",
                             "a project code identifies one project in a budget year")
            projects.setdefault(key, (code, pos))


def _as(other: str, code: str) -> str:
    return "" if other == code else f" as `{other}`; codes differing only in case name one folder on Windows"


def _closest(word: str, options: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.5)
    return f"did you mean `{close[0]}`?" if close else None
