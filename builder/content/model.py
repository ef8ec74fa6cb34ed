"""The model: frozen records of what a department promised to do with its money.

Built by assemble.py from content that passed every check, then handed to
themes. Everything is immutable (frozen dataclasses, tuples) so rendering
cannot change what the next page sees. Money is Decimal throughout; a blank
amount is None, never 0.
"""

from __future__ import annotations

import posixpath
from decimal import Decimal

from builder.base.immutable import immutable
from builder.content.frameworks import Framework
from builder.content.numbering import split_number
from builder.content.scalars import Amount
from builder.content.stage_model import Evaluation, Monitoring
from builder.content.targets import Target, in_unit

__all__ = ["Amount", "Budget", "Department", "Indicator", "Label", "Milestone", "NarrativeItem", "Numbered",
           "Project", "Site", "Target"]

@immutable
class Numbered:
    """A numbered item kept verbatim ("（一）贯彻落实…"), with its number split off for display."""

    raw: str
    number: str | None
    text: str

    @classmethod
    def parse(cls, raw: str) -> "Numbered":
        number, text = split_number(raw)
        return cls(raw=raw, number=number, text=text)


@immutable
class Label:
    """A category cell as written, and the framework category it means."""

    raw: str
    canonical: str


@immutable
class Indicator:
    level1: Label
    level2: Label
    name: str  # 三级指标
    description: str | None  # 绩效指标描述
    target: Target  # 指标值
    basis: str | None  # 指标值确定依据
    level1_continues: bool  # the 一级 cell is merged with the row above, as in the source
    level2_continues: bool
    cost: bool  # a cost ceiling (成本指标)


@immutable
class Milestone:
    label: str  # 3月底
    percent: Decimal  # cumulative


@immutable
class Budget:
    total: Amount  # 预算数
    fiscal: Amount  # 其中：财政资金
    other: Amount  # 其他资金


@immutable
class Project:
    code: str
    name: str
    number: int  # position in 第二部分, from 1
    money_unit: str
    budget: Budget
    purpose: str
    spending_plan: tuple[Milestone, ...]
    goals: tuple[Numbered, ...]
    indicators: tuple[Indicator, ...]
    source: str  # content-relative path of its YAML file
    monitoring: Monitoring | None = None  # the mid-year round (monitoring/<code>.yaml), when published
    evaluation: Evaluation | None = None  # the self-evaluation (evaluations/<code>.yaml), when published

    @property
    def title(self) -> str:
        return f"{self.name}绩效目标表"

    @property
    def sources(self) -> tuple[str, ...]:
        """Where its content files are: the targets, then the monitoring round's and the self-evaluation's
        (monitoring/<code>.yaml and evaluations/<code>.yaml beside projects/, which need not exist): one
        project's history (修订记录), and what its outputs are made from, is theirs together."""
        folder = posixpath.dirname(posixpath.dirname(self.source))
        return (self.source, *(posixpath.join(folder, stage, f"{self.code}.yaml") for stage in ("monitoring", "evaluations")))


@immutable
class NarrativeItem:
    name: str
    project_code: str | None
    paragraphs: tuple[str, ...]


@immutable
class Department:
    code: str
    name: str
    scope: str
    year: int
    money_unit: str
    framework: Framework
    overall_title: str
    duties: tuple[Numbered, ...]
    narrative_title: str | None
    narrative_intro: str | None
    narrative: tuple[NarrativeItem, ...]
    measures_title: str | None
    measures: tuple[Numbered, ...]
    projects: tuple[Project, ...]
    source: str
    evaluation: Evaluation | None = None  # the department-wide self-evaluation (evaluation.yaml)

    @property
    def sources(self) -> tuple[str, ...]:
        """Where its content files are: department.yaml, its own self-evaluation's (evaluation.yaml beside it,
        which need not exist) and each project's (Project.sources)."""
        own = (self.source, posixpath.join(posixpath.dirname(self.source), "evaluation.yaml"))
        return (*own, *(s for p in self.projects for s in p.sources))

    @property
    def unit_line(self) -> str:
        """The form's unit cell: 304001玉田县商务和投资促进局本级."""
        return f"{self.code}{self.name}{self.scope}"

    @property
    def total(self) -> Decimal:
        """Sum of project budgets, in the department's money unit."""
        return sum((in_unit(p.budget.total.or_zero(), p.money_unit, self.money_unit) for p in self.projects),
                   Decimal(0))

    @property
    def indicator_count(self) -> int:
        return sum(len(p.indicators) for p in self.projects)


@immutable
class Site:
    title: str
    publisher: str
    languages: tuple[str, ...]
    theme: str
    base_path: str
    url: str | None  # scheme and host, for sitemap.xml
    departments: tuple[Department, ...]
    overrides: str | None = None  # a folder under themes/ put before the theme (themes.load_theme)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({d.year for d in self.departments}, reverse=True))

    @property
    def total_indicators(self) -> int:
        return sum(d.indicator_count for d in self.departments)

    @property
    def projects(self) -> tuple[Project, ...]:
        return tuple(p for d in self.departments for p in d.projects)
