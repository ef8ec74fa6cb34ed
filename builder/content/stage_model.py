"""The later stages' records: a monitoring round and a self-evaluation, as pages and PDFs see them.

Frozen like the rest of the model (model.py). A stage row points at the approved target row it
reports on by its index in the project's indicators, so this module needs nothing of model.py and
model.py can hold these records. Built by evaluation.py and monitoring.py.
"""

from __future__ import annotations

from decimal import Decimal

from builder.base.immutable import immutable
from builder.base.messages import Message
from builder.content.scalars import Actual, Amount
from builder.content.scoring import ZERO, Profile, cents
from builder.content.targets import Target

# How far a stated figure may be from the computed one before it is wrong: forms round to 2
# places, and CYCLE.md's reviewers allow ±0.1 for scores and ±0.1 percentage points for rates.
SCORE_TOLERANCE = Decimal("0.1")
RATE_TOLERANCE = Decimal("0.1")

ON_TRACK, AT_RISK, OFF_TRACK = "on-track", "at-risk", "off-track"
NOT_APPLICABLE = "n/a"  # a monitored indicator that does not apply this year, or a self-evaluated one dropped
# A status as readers say it in open data, diff and search: the default theme's words (stage.status.* in its
# i18n), so a reader meets one word for one status.
STATUS_WORDS = {ON_TRACK: "正常", AT_RISK: "有风险", OFF_TRACK: "偏离", NOT_APPLICABLE: "不适用"}


@immutable
class Adjustment:
    """A recorded change to an approved indicator (年初 vs 调整)."""

    name: str | None  # the new name, when renamed
    target: Target | None  # the adjusted target value
    reason: str


@immutable
class Figure:
    """A figure as computed from the data and as the form states it (either may be missing)."""

    computed: Decimal | None
    stated: Decimal | None
    how: Message | str  # how it was computed, for hints: a formula ("740 / 800 × 15") or words of the catalogue
    tolerance: Decimal = SCORE_TOLERANCE

    @property
    def differs(self) -> bool:
        return self.computed is not None and self.stated is not None and \
            abs(self.computed - self.stated) > self.tolerance

    @property
    def disagrees(self) -> bool:
        """Whether the form states another value at all, within the tolerance or not: a page then
        shows both, never silently one of them (only `differs` is an error)."""
        return self.computed is not None and self.stated is not None and self.computed != self.stated

    @property
    def shown(self) -> Decimal | None:
        """What a page shows first: the computed value where there is one."""
        return self.computed if self.computed is not None else self.stated


@immutable
class FundingRow:
    label: str  # 年度资金总额, 当年财政拨款, 上年结转资金, 其他资金
    initial: Amount
    adjusted: Amount
    executed: Amount


@immutable
class EvaluatedIndicator:
    approved: int | None  # the index of the target row it reports on; None for an added row
    level1: str  # the category in force (canonical), or the form's label for an added row
    level2: str
    name: str  # the name in force (adjusted, else approved)
    target: Target | None  # the target in force
    initial_target: Target | None  # the approved (年初) target, when it was adjusted
    adjustment: Adjustment | None
    added: str | None  # why a row the targets do not have was added
    actual: Actual | None
    weight: Decimal  # as stated
    weight_used: Decimal  # after not-applicable rows were dropped and the rest rescaled
    score: Figure
    status: str  # attainment.MET / MISSED / UNKNOWN, or "n/a"
    band: str | None  # the qualitative tier's label, when the form states a known one
    band_stated: str | None  # the tier as the form words it
    over_achieved: bool
    deviation: str | None
    improvement: str | None
    not_applicable: str | None


@immutable
class Level1Total:
    name: str
    stated_weight: Decimal | None  # from the form's label: 产出指标（50分）
    weight: Decimal  # the sum of its rows' weights
    score: Decimal  # the sum of its rows' scores (as shown)


@immutable
class Evaluation:
    subject: str  # the project's code, or "department"
    example: str | None
    profile: Profile
    money_unit: str
    funding: tuple[FundingRow, ...]
    budget_weight: Figure  # computed: the profile's w_b; stated: the form's 分值
    rate: Figure  # 执行率 in percent (95.20)
    budget_score: Figure
    adjustment_reason: str | None
    execution_deviation: str | None
    goal_expected: str | None
    goal_actual: str
    indicators: tuple[EvaluatedIndicator, ...]
    missing: tuple[int, ...]  # the indexes of approved rows it does not report on
    level1: tuple[Level1Total, ...]
    total: Figure
    grade: str  # from the computed total
    grade_stated: str | None
    conclusion: str | None
    problems: str | None
    measures: str | None
    source: str

    @property
    def scored_total(self) -> Decimal:
        return self.total.shown or ZERO


@immutable
class MonitoredIndicator:
    approved: int | None  # the index of the target row it reports on
    level1: str
    level2: str
    name: str
    target: Target | None
    initial_target: Target | None  # the approved (年初) target, when it was adjusted
    adjustment: Adjustment | None
    added: str | None
    progress: Actual | None
    forecast: Actual | None
    status: str  # ON_TRACK, AT_RISK, OFF_TRACK
    reason_category: str | None
    reason: str | None
    action: str | None
    likelihood: str | None


@immutable
class Monitoring:
    subject: str  # the project's code
    example: str | None
    period: str  # as written: 1-7月
    month: int  # the cut-off month
    money_unit: str
    budget: Amount
    executed: Amount
    forecast: Amount
    rate: Figure  # executed / budget, in percent
    reason: str | None
    indicators: tuple[MonitoredIndicator, ...]
    missing: tuple[int, ...]
    source: str

    @property
    def elapsed(self) -> Decimal:
        """The share of the year gone by at the cut-off, in percent (7 months: 58.33)."""
        return cents(Decimal(self.month) * 100 / 12)


__all__ = ["AT_RISK", "NOT_APPLICABLE", "OFF_TRACK", "ON_TRACK", "RATE_TOLERANCE", "SCORE_TOLERANCE", "STATUS_WORDS",
           "Adjustment", "EvaluatedIndicator",
           "Evaluation", "Figure", "FundingRow", "Level1Total", "MonitoredIndicator", "Monitoring"]
