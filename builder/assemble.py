"""Assemble: checked records -> the frozen model (model.py).

Runs on a department only when checking it found no error, so every value
here is valid; the merged-cell and framework resolution is the same function
check used (frameworks.resolve_rows), so what was checked is what gets
published.
"""

from __future__ import annotations

from pathlib import Path

from .check import DEFAULT_THEME, DepartmentPlan
from .fields import Amount, Values
from .frameworks import Framework, resolve_rows
from .model import Budget, Department, Indicator, Label, Milestone, NarrativeItem, Numbered, Project, Site

_BLANK = Amount(raw="", value=None)


def assemble_site(site: Values, departments: list[Department]) -> Site:
    return Site(
        title=site.get("title"),
        publisher=site.get("publisher"),
        languages=tuple(site.get("languages") or ("zh-CN",)),
        theme=site.get("theme", DEFAULT_THEME),
        base_path=site.get("base_path", "/"),
        url=site.get("url"),
        departments=tuple(sorted(departments, key=lambda d: (-d.year, d.code))),
    )


def assemble_plan(plan: DepartmentPlan, root: Path) -> Department:
    return assemble_department(plan.record.values, plan.framework, plan.projects, root, plan.record.path)


def assemble_department(values, framework: Framework, project_records, root: Path, path: Path) -> Department:
    overall = values.get("overall")
    narrative = values.get("narrative")
    measures = values.get("measures")
    unit = values.get("money_unit")
    labels: dict = {}  # one Label per distinct cell: a department's indicators repeat a few dozen
    projects = tuple(assemble_project(r.values, number, unit, framework, r.path.relative_to(root).as_posix(),
                                      labels) for number, r in enumerate(project_records, start=1))
    return Department(
        code=values.get("code"),
        name=values.get("name"),
        scope=values.get("scope"),
        year=values.get("year"),
        money_unit=unit,
        framework=framework,
        overall_title=overall.get("title"),
        duties=tuple(Numbered.parse(d) for d in overall.get("duties")),
        narrative_title=narrative.get("title") if narrative else None,
        narrative_intro=narrative.get("intro") if narrative else None,
        narrative=tuple(NarrativeItem(name=i.get("name"), project_code=i.get("project"),
                                      paragraphs=tuple(i.get("paragraphs"))) for i in narrative.get("items"))
        if narrative else (),
        measures_title=measures.get("title") if measures else None,
        measures=tuple(Numbered.parse(m) for m in measures.get("items")) if measures else (),
        projects=projects,
        source=path.relative_to(root).as_posix(),
    )


def assemble_project(values, number: int, department_unit: str, framework: Framework, source: str,
                     labels: dict | None = None) -> Project:
    labels = {} if labels is None else labels
    budget = values.get("budget")
    rows = list(values.get("indicators"))
    indicators = []
    for row_values, row in zip(rows, resolve_rows(rows, framework), strict=True):
        cat1, cat2 = row.level1_match.category, row.level2_match.category
        indicators.append(Indicator(
            level1=_label(labels, row.level1, cat1.name),
            level2=_label(labels, row.level2, cat2.name),
            name=row_values.get("name"),
            description=row_values.get("description"),
            target=row_values.get("target"),
            basis=row_values.get("basis"),
            level1_continues=row.level1_continues,
            level2_continues=row.level2_continues,
            cost=cat1.cost or cat2.cost,
        ))
    return Project(
        code=values.get("code"),
        name=values.get("name"),
        number=number,
        money_unit=values.get("money_unit") or department_unit,
        budget=Budget(total=budget.get("total"), fiscal=budget.get("fiscal", _BLANK),
                      other=budget.get("other", _BLANK)),
        purpose=values.get("purpose"),
        spending_plan=tuple(Milestone(m.get("milestone"), m.get("percent")) for m in values.get("spending_plan")),
        goals=tuple(Numbered.parse(g) for g in values.get("goals")),
        indicators=tuple(indicators),
        source=source,
    )


def _label(labels: dict, raw: str, canonical: str) -> Label:
    return labels.setdefault((raw, canonical), Label(raw, canonical))
