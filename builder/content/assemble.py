"""Assemble: checked records -> the frozen model (model.py).

Runs on a department only when checking it found no error, so every value
here is valid; the merged-cell and framework resolution is the same function
check used (frameworks.resolve_rows), so what was checked is what gets
published.

Longer than 300 lines: one path from a department's checked records to its model, the site's
pages and contact included, read top to bottom as the model is built; split, the order of
assembly (codes, numbering, frameworks, notices) would be spread over files that each need the rest.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from builder.content.evaluation import evaluate
from builder.content.fields import Values
from builder.content.frameworks import Framework, resolve_rows
from builder.content.model import (
    Budget,
    Composition,
    CompositionRow,
    Contact,
    Department,
    FundingSource,
    Indicator,
    Label,
    Milestone,
    NarrativeItem,
    NarrativeNotice,
    Numbered,
    Page,
    Project,
    Site,
    Target,
    WholeTarget,
)
from builder.content.monitoring import monitor
from builder.content.scalars import Amount
from builder.content.schema import DEFAULT_FORM, DEFAULT_THEME
from builder.content.scoring import Profile
from builder.content.target_cells import combined_target
from builder.content.validate import Record

_BLANK = Amount(raw="", value=None)


@dataclass
class NarrativeFindings:
    """What check found in the department's own 分项绩效目标 text (check/lint.py), by where it stands:
    (item, paragraph) of the narrative's items, paragraph NAME for the item's name, item INTRO for the
    intro. Assembled beside the text (NarrativeItem.notices), which stays as published."""

    NAME = -1
    INTRO = (-1, -1)
    found: dict[tuple[int, int], list[NarrativeNotice]] = field(default_factory=dict)

    def add(self, where: tuple[int, int], notice: NarrativeNotice) -> None:
        self.found.setdefault(where, []).append(notice)

    def at(self, where: tuple[int, int]) -> tuple[NarrativeNotice, ...]:
        return tuple(self.found.get(where, ()))


@dataclass
class DepartmentPlan:
    """What checking a department hands to assembling it: its record, its framework, its projects,
    and the later stages' files with the scoring profile each is scored by."""

    record: Record
    framework: Framework
    projects: list[Record]  # in the order the department lists them
    monitoring: dict[str, Record] = field(default_factory=dict)  # by project code
    evaluations: dict[str, tuple[Record, Profile]] = field(default_factory=dict)  # by project code
    department_evaluation: tuple[Record, Profile] | None = None
    form: str = DEFAULT_FORM  # the site's annex layout, for a department.yaml that names none
    narrative: NarrativeFindings = field(default_factory=NarrativeFindings)


def assemble_site(site: Values, departments: list[Department], pages: tuple[Page, ...] = (),
                  notice: Page | None = None) -> Site:
    """`pages` and `notice`: the publisher's own (content/pages.py)."""
    contact = site.get("contact")
    return Site(
        title=site.get("title"),
        publisher=site.get("publisher"),
        languages=tuple(site.get("languages") or ("zh-CN",)),
        theme=site.get("theme", DEFAULT_THEME),
        base_path=site.get("base_path", "/"),
        url=site.get("url"),
        departments=tuple(sorted(departments, key=lambda d: (-d.year, d.code))),
        overrides=site.get("overrides"),
        contact=Contact(**{key: contact.get(key) for key in ("phone", "email", "address", "postcode", "hours")})
        if contact else Contact(),
        pages=pages,
        notice=notice,
    )


def assemble_plan(plan: DepartmentPlan, root: Path) -> Department:
    department = assemble_department(read_values(plan.record), plan.framework, plan.projects, root, plan.record.path,
                                     plan.form, plan.narrative)
    if not (plan.monitoring or plan.evaluations or plan.department_evaluation):
        return department
    projects = tuple(with_stages(project, plan, root) for project in department.projects)
    evaluation = None
    if plan.department_evaluation is not None:
        record, profile = plan.department_evaluation
        evaluation = evaluate(read_values(record), profile, None, plan.framework, department.money_unit,
                              record.path.relative_to(root).as_posix())
    return dataclasses.replace(department, projects=projects, evaluation=evaluation)


def with_stages(project: Project, plan: DepartmentPlan, root: Path) -> Project:
    """A project with its monitoring round and its self-evaluation, when it has them."""
    monitored = plan.monitoring.get(project.code)
    evaluated = plan.evaluations.get(project.code)
    if monitored is None and evaluated is None:
        return project
    return dataclasses.replace(
        project,
        monitoring=monitor(read_values(monitored), project, plan.framework, project.money_unit,
                           monitored.path.relative_to(root).as_posix()) if monitored else None,
        evaluation=evaluate(read_values(evaluated[0]), evaluated[1], project, plan.framework, project.money_unit,
                            evaluated[0].path.relative_to(root).as_posix()) if evaluated else None)


def read_values(record: Record) -> Values:
    """A record's values: every record assembled was read (the check refuses a file it could not read)."""
    if record.values is None:
        raise ValueError(f"{record.path}: assembled, but it was never read")
    return record.values


def assemble_department(values: Values, framework: Framework, project_records: list[Record], root: Path,
                        path: Path, form: str = DEFAULT_FORM, findings: NarrativeFindings | None = None) -> Department:
    """`form`: the annex layout when department.yaml names none (site.yaml's, else the default);
    `findings`: check's notices about the narrative."""
    findings = findings or NarrativeFindings()
    overall = values.get("overall")
    narrative = values.get("narrative")
    measures = values.get("measures")
    unit = values.get("money_unit")
    shared = Shared()
    projects = tuple(assemble_project(read_values(r), number, unit, framework, r.path.relative_to(root).as_posix(),
                                      shared) for number, r in enumerate(project_records, start=1))
    return Department(
        code=values.get("code"),
        name=values.get("name"),
        scope=values.get("scope"),
        year=values.get("year"),
        money_unit=unit,
        framework=framework,
        overall_title=overall.get("title") if overall else None,
        duties=tuple(shared.numbered(d) for d in overall.get("duties")) if overall else (),
        narrative_title=narrative.get("title") if narrative else None,
        narrative_intro=narrative.get("intro") if narrative else None,
        narrative=tuple(NarrativeItem(name=i.get("name"), project_code=i.get("project"),
                                      paragraphs=tuple(i.get("paragraphs")),
                                      name_notices=findings.at((n, findings.NAME)),
                                      notices=tuple(findings.at((n, p)) for p in range(len(i.get("paragraphs")))))
                        for n, i in enumerate(narrative.get("items")))
        if narrative else (),
        measures_title=measures.get("title") if measures else None,
        measures=tuple(shared.numbered(m) for m in measures.get("items")) if measures else (),
        projects=projects,
        source=path.relative_to(root).as_posix(),
        whole=assemble_whole(values.get("whole"), unit, framework, shared) if values.get("whole") else None,
        form=values.get("form") or form,
        narrative_intro_notices=findings.at(findings.INTRO),
    )


def assemble_whole(values: Values, department_unit: str, framework: Framework, shared: "Shared") -> WholeTarget:
    """The 部门整体支出绩效目标表 of department.yaml."""
    expenditure = values.get("expenditure")
    return WholeTarget(
        title=values.get("title"),
        money_unit=values.get("money_unit") or department_unit,
        functions=values.get("functions"),
        income=assemble_composition(values.get("income")),
        expenditure=assemble_composition(expenditure) if expenditure else None,
        long_term_goals=tuple(shared.numbered(g) for g in values.get("long_term_goals") or ()),
        goals=tuple(shared.numbered(g) for g in values.get("goals")),
        indicators=assemble_indicators(list(values.get("indicators")), framework, "department.yaml whole", shared),
    )


def assemble_composition(values: Values) -> Composition:
    return Composition(
        rows=tuple(CompositionRow(name=r.get("name"), amount=r.get("amount"), share=r.get("share"))
                   for r in values.get("rows")),
        total=values.get("total", _BLANK),
        total_share=values.get("total_share"),
    )


def assemble_budget(budget: Values) -> Budget:
    return Budget(total=budget.get("total"), fiscal=budget.get("fiscal", _BLANK), other=budget.get("other", _BLANK),
                  breakdown=tuple(FundingSource(name=b.get("name"), amount=b.get("amount"))
                                  for b in budget.get("breakdown") or ()))


def assemble_project(values: Values, number: int, department_unit: str, framework: Framework, source: str,
                     shared: "Shared | None" = None) -> Project:
    shared = shared or Shared()
    indicators = assemble_indicators(list(values.get("indicators")), framework, source, shared)
    return Project(
        code=values.get("code"),
        name=values.get("name"),
        number=number,
        money_unit=values.get("money_unit") or department_unit,
        budget=assemble_budget(values.get("budget")),
        purpose=values.get("purpose"),
        spending_plan=tuple(shared.milestone(m.get("milestone"), m.get("percent"))
                            for m in values.get("spending_plan") or ()),
        goals=tuple(shared.numbered(g) for g in values.get("goals")),
        indicators=indicators,
        source=source,
        supervisor=values.get("supervisor"),
        implementer=values.get("implementer"),
        manager=values.get("manager"),
        phone=values.get("phone"),
        kind=values.get("kind"),
        attribute=values.get("attribute"),
        period=values.get("period"),
        period_budget=assemble_budget(values.get("period_budget")) if values.get("period_budget") else None,
        long_term_goals=tuple(shared.numbered(g) for g in values.get("long_term_goals") or ()),
    )


def assemble_indicators(rows: list, framework: Framework, source: str, shared: "Shared") -> tuple[Indicator, ...]:
    """An indicator table's rows, merged cells carried and categories resolved as check resolved them."""
    indicators = []
    for row_values, row in zip(rows, resolve_rows(rows, framework), strict=True):
        if row is None:
            raise ValueError(f"{source}: an indicator was assembled that was not read")  # the check refuses these
        cat1, cat2 = row.level1_match.category, row.level2_match.category
        # Checked rows have both levels, written or carried, and both were found in the framework.
        if row.level1 is None or row.level2 is None or cat1 is None or cat2 is None:
            raise ValueError(f"{source}: an indicator was assembled whose categories were not checked")
        written = row_values.get("target")
        nature, unit = shared.text(row_values.get("nature")), shared.text(row_values.get("unit"))
        target = combined_target(written, nature, unit)
        period = row_values.get("period_target")
        indicators.append(Indicator(
            level1=shared.label(row.level1, cat1.name),
            level2=shared.label(row.level2, cat2.name),
            name=shared.text(row_values.get("name")),
            description=shared.text(row_values.get("description")),
            target=shared.target(target),
            basis=shared.text(row_values.get("basis")),
            level1_continues=row.level1_continues,
            level2_continues=row.level2_continues,
            cost=cat1.cost or cat2.cost,
            written=shared.text(written.raw) if target is not written else None,
            nature=nature,
            unit=unit,
            previous=shared.text(row_values.get("previous")),
            weight=row_values.get("weight"),
            direction=shared.text(row_values.get("direction")),
            formula=shared.text(row_values.get("formula")),
            note=shared.text(row_values.get("note")),
            period_target=shared.target(combined_target(period, nature, unit)) if period else None,
        ))
    return tuple(indicators)


# A text shared, or None kept as None: what goes in comes out, to the type checker too.
TextOrNone = TypeVar("TextOrNone", bound=str | None)


class Shared:
    """One object per distinct value within a department, instead of one per cell.

    A department's indicators repeat their category cells, units, targets (≥90%, 100%), bases
    (the same 冀财建 document) and milestones (3月底…), and the model of a province is held
    whole while its pages are made: sharing what repeats keeps it small. The model is frozen,
    so a shared object cannot be changed through one of its users.
    """

    def __init__(self) -> None:
        self._memo: dict = {}

    def text(self, value: TextOrNone) -> TextOrNone:
        return value if value is None else self._memo.setdefault(value, value)

    def label(self, raw: str, canonical: str) -> Label:
        return self._memo.setdefault((Label, raw, canonical), Label(self.text(raw), self.text(canonical)))

    def target(self, target: Target) -> Target:
        key = (Target, target.raw)  # parse_target is a function of raw
        if key not in self._memo:
            self._memo[key] = dataclasses.replace(
                target, kind=self.text(target.kind), comparator=self.text(target.comparator),
                unit=self.text(target.unit), unit_raw=self.text(target.unit_raw))
        return self._memo[key]

    def numbered(self, raw: str) -> Numbered:
        key = (Numbered, raw)
        if key not in self._memo:
            item = Numbered.parse(raw)
            self._memo[key] = Numbered(self.text(raw), self.text(item.number), self.text(item.text))
        return self._memo[key]

    def milestone(self, label: str, percent: Decimal) -> Milestone:
        # By the percent's text, not its value: Decimal("50") == Decimal("50.0"), and each is kept as written.
        return self._memo.setdefault((Milestone, label, str(percent)), Milestone(self.text(label), percent))
