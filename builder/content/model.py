"""The model: frozen records of what a department promised to do with its money.

Built by assemble.py from content that passed every check, then handed to
themes. Everything is immutable (frozen dataclasses, tuples) so rendering
cannot change what the next page sees. Money is Decimal throughout; a blank
amount is None, never 0.

Longer than 300 lines: the model is the one vocabulary every theme reads (docs/themes.md points
here); its records stay together so a theme author finds every name a template can use in one file.
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

__all__ = ["Amount", "Budget", "Composition", "CompositionRow", "Contact", "Department", "FundingSource", "Indicator",
           "Label", "Milestone", "NarrativeItem", "NarrativeNotice", "Numbered", "Page", "Project", "Site", "Target",
           "WholeTarget"]

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
    # The optional columns of the 申报表/批复表 family, each verbatim (None where the form has no such cell).
    # `target` is read from 指标性质 + 指标值 + 度量单位 together when the form spreads it over them
    # (target_cells.target_text); `written` is the 指标值 cell alone, as the form has it.
    written: str | None = None
    nature: str | None = None  # 指标性质: 定量/定性, or a comparator
    unit: str | None = None  # 度量单位
    previous: str | None = None  # 上年实际值
    weight: Decimal | None = None  # 权重/分值
    direction: str | None = None  # 指标方向: 正向 or 反向
    formula: str | None = None  # 计算公式
    note: str | None = None  # 备注
    period_target: Target | None = None  # 实施期指标值, read with 指标性质 and 度量单位 as `target` is

    @property
    def value_cell(self) -> str:
        """The 指标值 cell as the form has it (without the 指标性质 and 度量单位 beside it)."""
        return self.written if self.written is not None else self.target.raw


@immutable
class Milestone:
    label: str  # 3月底
    percent: Decimal  # cumulative


@immutable
class FundingSource:
    name: str  # 一般公共预算, 政府性基金, 上年结转 …
    amount: Amount


@immutable
class Budget:
    total: Amount  # 预算数 (年度资金总额)
    fiscal: Amount  # 其中：财政资金
    other: Amount  # 其他资金
    breakdown: tuple[FundingSource, ...] = ()  # further rows the form breaks the budget into


@immutable
class Project:
    code: str
    name: str
    number: int  # position in 第二部分, from 1
    money_unit: str
    budget: Budget
    purpose: str | None  # 资金用途; None where the form has no such cell
    spending_plan: tuple[Milestone, ...]  # () where the form has no 资金支出计划
    goals: tuple[Numbered, ...]  # the year's goals
    indicators: tuple[Indicator, ...]
    source: str  # content-relative path of its YAML file
    # The header cells of the 申报表/批复表 family, verbatim; None where the form has no such cell.
    supervisor: str | None = None  # 主管部门
    implementer: str | None = None  # 实施单位
    manager: str | None = None  # 项目负责人
    phone: str | None = None  # 联系电话
    kind: str | None = None  # 项目类型
    attribute: str | None = None  # 项目属性
    period: str | None = None  # 项目期限
    period_budget: Budget | None = None  # 实施期资金总额
    long_term_goals: tuple[Numbered, ...] = ()  # 实施期目标
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
class CompositionRow:
    name: str  # 财政拨款, 其他资金, 基本支出, 项目支出 …
    amount: Amount
    share: Decimal | None  # 占比 as stated, in percent


@immutable
class Composition:
    """收入构成 or 支出构成 of a 部门整体支出绩效目标表: its rows, and its 合计 as stated."""

    rows: tuple[CompositionRow, ...]
    total: Amount
    total_share: Decimal | None

    @property
    def computed_total(self) -> Decimal:
        return sum((row.amount.or_zero() for row in self.rows), Decimal(0))


@immutable
class WholeTarget:
    """The 部门整体支出绩效目标表: the department's money by source and by use, its goals and its own
    indicator table."""

    title: str | None
    money_unit: str
    functions: str | None  # 部门职能概述
    income: Composition  # 收入构成
    expenditure: Composition | None  # 支出构成
    long_term_goals: tuple[Numbered, ...]
    goals: tuple[Numbered, ...]
    indicators: tuple[Indicator, ...]


# What a NarrativeNotice can say disagrees; a theme words each (dept.narrative.notice.KIND).
NOTICE_KINDS = ("value", "value_of", "count", "level1", "missing", "name", "total", "amount", "unmatched")


@immutable
class NarrativeNotice:
    """Where the department's own 分项绩效目标 text and its tables disagree, as check found it
    (check/lint.py): shown beside the sentence it concerns, the text itself is never changed.

    `kind` says what disagrees (NOTICE_KINDS), `said` what the text says and `table` what the tables
    say; `start` and `end` are the stretch of the paragraph it concerns, in characters."""

    kind: str
    said: str
    table: str
    start: int = 0
    end: int = 0
    subject: str = ""  # the indicator or project it is about, where the text names it otherwise than the table


@immutable
class NarrativeItem:
    name: str
    project_code: str | None
    paragraphs: tuple[str, ...]
    name_notices: tuple[NarrativeNotice, ...] = ()  # about the project's name as the text writes it
    notices: tuple[tuple[NarrativeNotice, ...], ...] = ()  # each paragraph's, in its order (none: empty)


@immutable
class Department:
    code: str
    name: str
    scope: str
    year: int
    money_unit: str
    framework: Framework
    overall_title: str | None  # None where the disclosure has no 总体绩效目标 text
    duties: tuple[Numbered, ...]
    narrative_title: str | None
    narrative_intro: str | None
    narrative: tuple[NarrativeItem, ...]
    measures_title: str | None
    measures: tuple[Numbered, ...]
    projects: tuple[Project, ...]
    source: str
    evaluation: Evaluation | None = None  # the department-wide self-evaluation (evaluation.yaml)
    whole: WholeTarget | None = None  # the 部门整体支出绩效目标表, when published
    form: str = "hebei"  # the layout of its PDF annexes, print/forms/<form>.html of the theme: department.yaml's
    # `form`, else site.yaml's, else hebei
    narrative_intro_notices: tuple[NarrativeNotice, ...] = ()  # check's notices about the narrative's intro

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
class Contact:
    """site.yaml's `contact`: how readers reach the publisher, each item as written (None: not given)."""

    phone: str | None = None
    email: str | None = None
    address: str | None = None
    postcode: str | None = None
    hours: str | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.phone, self.email, self.address, self.postcode, self.hours))


@immutable
class Page:
    """One of the publisher's own pages (content/pages/NAME.md), or the home page's notice
    (content/notice.md). The text is the publisher's Markdown, untrusted: rendered and sanitised
    by render/markdown.py, never printed as it is."""

    name: str  # the file's name without .md: the page is pages/NAME.html
    title: str | None  # the front matter's `title` (a notice may have none)
    menu: bool  # listed in the header's menu (every page is listed in the footer)
    order: int  # its place in the menu and the footer; then by name
    text: str  # the Markdown after the front matter
    source: str  # content-relative path
    line: int  # the text's first line in the file


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
    contact: Contact = Contact()
    pages: tuple[Page, ...] = ()  # the publisher's own pages, in menu order
    notice: Page | None = None  # the home page's notice

    @property
    def menu(self) -> tuple[Page, ...]:
        """The pages the header's menu lists."""
        return tuple(p for p in self.pages if p.menu)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({d.year for d in self.departments}, reverse=True))

    @property
    def total_indicators(self) -> int:
        return sum(d.indicator_count for d in self.departments)

    @property
    def projects(self) -> tuple[Project, ...]:
        return tuple(p for d in self.departments for p in d.projects)
