"""Scoring of a self-evaluation (绩效自评): the rules as data, the arithmetic here.

Provinces score the same form differently: the budget's weight (10 or 20), the
basis of the execution rate, the curve for a missed ceiling, the qualitative
bands and their wording, the grades. A `Profile` holds one province's choices
(builder/content/scoring/*.yaml; ../shared/CYCLE.md describes them); the
functions below compute every score from the data and a profile, so a stated
score can be checked against the one the rules give, never taken on trust.

Every result is a Decimal rounded half-up to 2 places, as the forms print it.
B = the budget basis, E = 全年执行数, T = target, A = actual, w = weight.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import yaml

from builder.base.diagnostics import Pos, Report
from builder.base.messages import Message, msg, verbatim
from builder.content.load import Node, parse_file

BUILTIN_DIR = Path(__file__).parent / "scoring"
CENT = Decimal("0.01")
ZERO, ONE = Decimal(0), Decimal(1)


class ProfileError(ValueError):
    """A scoring profile that does not say what it must: `said` says what."""

    def __init__(self, said: Message):
        super().__init__(said.key)
        self.said = said

    def __str__(self) -> str:
        return self.said.text()


@dataclass(frozen=True)
class Band:
    """A qualitative tier: the scores it allows, as fractions of the indicator's weight."""

    label: str
    aliases: tuple[str, ...]
    low: Decimal
    high: Decimal  # inclusive only for the top band (high == 1)


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    budget_weight: Decimal
    budget_basis: str  # "adjusted" (全年预算数) or "initial" (年初预算数)
    indicator_total: Decimal
    level1_weights: dict[str, Decimal]
    ceiling_curve: str  # "linear": (1 − (A − T) / T) × w; "ratio": T / A × w
    not_applicable: str  # "rescale" or "zero"
    bands: tuple[Band, ...]
    over_achievement: Decimal | None
    grades: tuple[tuple[str, Decimal], ...]  # (grade, minimum), highest first
    # 执行率 (percent) below which a self-evaluation must say why (budget.explain_below).
    explain_below: Decimal = Decimal(90)
    # Mid-year: 执行率 below this share of the year elapsed wants a reason (monitoring.behind).
    behind: Decimal = Decimal("0.5")


def _decimal(value: object, what: str) -> Decimal:
    try:
        number = None if isinstance(value, bool) else Decimal(str(value)) if isinstance(value, (int, float, str)) \
            else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ProfileError(msg("scoring.not_a_number", field=what, value=repr(value)))
    return number


def profile_from_data(data: dict) -> Profile:
    """A profile from its YAML mapping; ProfileError names what is wrong."""
    try:
        budget, indicators = data["budget"], data["indicators"]
        profile = Profile(
            id=str(data["id"]), title=str(data["title"]),
            budget_weight=_decimal(budget["weight"], "budget.weight"), budget_basis=str(budget["basis"]),
            indicator_total=_decimal(indicators["total"], "indicators.total"),
            level1_weights={str(k): _decimal(v, f"indicators.level1.{k}")
                            for k, v in (indicators.get("level1") or {}).items()},
            ceiling_curve=str(indicators["ceiling_curve"]), not_applicable=str(indicators["not_applicable"]),
            bands=tuple(Band(str(b["label"]), tuple(map(str, b.get("aliases", []))), _decimal(b["low"], "low"),
                             _decimal(b["high"], "high")) for b in data["qualitative"]),
            over_achievement=None if data.get("over_achievement") is None else
            _decimal(data["over_achievement"], "over_achievement"),
            grades=tuple(sorted(((str(g["grade"]), _decimal(g["min"], "grades.min")) for g in data["grades"]),
                                key=lambda g: g[1], reverse=True)),
            explain_below=_decimal(budget.get("explain_below", 90), "budget.explain_below"),
            behind=_decimal((data.get("monitoring") or {}).get("behind", "0.5"), "monitoring.behind"),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ProfileError(msg("scoring.needs", missing=verbatim(str(exc)))) from None
    if profile.budget_basis not in ("adjusted", "initial"):
        raise ProfileError(msg("scoring.budget_basis", value=profile.budget_basis))
    if profile.ceiling_curve not in ("linear", "ratio"):
        raise ProfileError(msg("scoring.ceiling_curve", value=profile.ceiling_curve))
    if profile.not_applicable not in ("rescale", "zero"):
        raise ProfileError(msg("scoring.not_applicable", value=profile.not_applicable))
    if profile.budget_weight + profile.indicator_total != 100:
        raise ProfileError(msg("scoring.weights_total", budget=profile.budget_weight,
                               indicators=profile.indicator_total))
    if profile.level1_weights and sum(profile.level1_weights.values()) != profile.indicator_total:
        raise ProfileError(msg("scoring.level1_total", sum=sum(profile.level1_weights.values()),
                               total=profile.indicator_total))
    return profile


def content_profiles(paths: list[Path], report: Report) -> list[Profile]:
    """The site's own profiles, each id once."""
    found: dict[str, Path] = {}
    profiles = []
    for path in paths:
        profile = content_profile(path, report)
        if profile is None:
            continue
        if profile.id in found:
            report.error(Pos(str(path), 1, 1), msg("scoring.duplicate_id", id=profile.id, file=found[profile.id].name))
            continue
        found[profile.id] = path
        profiles.append(profile)
    return profiles


def builtin_profiles() -> dict[str, Profile]:
    """The profiles that ship (the builder's own files: reviewed code, read with safe_load), read once
    a process: every check and every department asks for them."""
    return dict(_builtin_profiles())


@functools.lru_cache(maxsize=1)
def _builtin_profiles() -> tuple[tuple[str, Profile], ...]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found = {}
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        profile = profile_from_data(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))
        found[profile.id] = profile
    return tuple(found.items())


def content_profile(path: Path, report: Report) -> Profile | None:
    """A site's own profile (content/scoring/*.yaml), read like all content (load.py: no YAML
    tags, positions kept); None after reporting what is wrong with it."""
    node = parse_file(path, report)
    if not isinstance(node, Node):
        if node is None:
            report.error(Pos(str(path), 1, 1), msg("scoring.empty"), _PROFILE_HINT)
        return None
    if node.kind != "map":
        report.error(node.pos, msg("scoring.not_a_mapping"), _PROFILE_HINT)
        return None
    data = _plain(node)
    try:
        return profile_from_data(data if isinstance(data, dict) else {})
    except ProfileError as exc:
        report.error(node.pos, msg("scoring.invalid", problem=exc.said), _PROFILE_HINT)
        return None


_PROFILE_HINT = msg("scoring.profile_hint")


def _plain(node: Node) -> object:
    """A node as plain data: text stays text (profile_from_data reads numbers from it exactly)."""
    if node.kind == "map":
        return {str(_plain(k)): _plain(v) for k, v in node.value}
    if node.kind == "seq":
        return [_plain(item) for item in node.value]
    return None if node.is_null else node.value


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def execution_rate(executed: Decimal, budget: Decimal) -> Decimal | None:
    """执行率 as a fraction (0.95 for 95 %); None when there is no budget to execute."""
    return None if budget <= 0 else executed / budget


def budget_score(profile: Profile, executed: Decimal, budget: Decimal) -> Decimal:
    """w_b × 执行率, never above w_b (spending more than the budget earns nothing more)."""
    rate = execution_rate(executed, budget)
    return ZERO if rate is None else cents(profile.budget_weight * min(rate, ONE))


def indicator_score(profile: Profile, comparator: str, target: Decimal, actual: Decimal, weight: Decimal) -> Decimal:
    """The score of a quantitative indicator: full when the target is met, else by the profile's curve."""
    if comparator in ("≤", "<"):
        met = actual <= target if comparator == "≤" else actual < target
        if met:
            return cents(weight)
        if target <= 0:
            return ZERO
        if profile.ceiling_curve == "ratio":
            return cents(target / actual * weight)
        return cents(max(ZERO, (1 - (actual - target) / target) * weight))
    if comparator == "=" and target == 0:
        return cents(weight) if actual <= 0 else ZERO
    met = actual > target if comparator == ">" else actual >= target
    if met:
        return cents(weight)
    return ZERO if target <= 0 else cents(max(ZERO, actual / target * weight))


def band_of(profile: Profile, text: str) -> Band | None:
    """The qualitative tier a form's wording names (its label or an alias), or None."""
    words = "".join(text.split())
    for band in profile.bands:
        if words == band.label or words in band.aliases:
            return band
    return None


def in_band(band: Band, score: Decimal, weight: Decimal) -> bool:
    """Whether a qualitative score lies in its tier: [low·w, high·w), the top tier up to w itself."""
    low, high = band.low * weight, band.high * weight
    return low <= score <= high if band.high == ONE else low <= score < high


def over_achieved(profile: Profile, comparator: str, target: Decimal, actual: Decimal) -> bool:
    """An actual far above a floor target (≥ over_achievement × T): some provinces want it explained."""
    return (profile.over_achievement is not None and comparator in ("≥", ">") and target > 0
            and actual >= profile.over_achievement * target)


def rescaled(profile: Profile, weights: list[Decimal], applicable: list[bool]) -> list[Decimal]:
    """Weights once not-applicable indicators are dropped: the rest rescaled to the total, or kept."""
    if profile.not_applicable == "zero":
        return [w if a else ZERO for w, a in zip(weights, applicable, strict=True)]
    kept = sum((w for w, a in zip(weights, applicable, strict=True) if a), ZERO)
    if kept == 0:
        return [ZERO for _ in weights]
    factor = profile.indicator_total / kept
    return [cents(w * factor) if a else ZERO for w, a in zip(weights, applicable, strict=True)]


def grade(profile: Profile, total: Decimal) -> str:
    """优/良/中/差 (or the profile's own) for a 总分."""
    for name, minimum in profile.grades:
        if total >= minimum:
            return name
    return profile.grades[-1][0]
