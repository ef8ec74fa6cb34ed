"""Attainment: whether an actual (or a forecast) meets its target, and what it scores.

Both are read like targets (targets.py), so `≥85百分比` and `91.2%` are in one unit, `≤20万元` and
`186000元` are compared in 元, and an actual in another unit than its target is not compared at all
(`comparable` gives None: check says so, and nothing is scored from it). A qualitative target is
judged by the tier the form states (scoring.Band), never guessed from its words.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from builder.base.messages import Message, msg
from builder.base.numbers import plain_number
from builder.content.scoring import Profile, cents, indicator_score
from builder.content.stage_model import NOT_APPLICABLE
from builder.content.targets import MONEY_FACTORS, Target

MET, MISSED, UNKNOWN = "met", "missed", "unknown"
# Attainment as readers say it in open data and diff: the default theme's words (stage.status.*).
ATTAINMENT_WORDS = {MET: "达成", MISSED: "未达成", UNKNOWN: "未判定", NOT_APPLICABLE: "不适用"}


def comparable(target: Target, actual: Target) -> Decimal | None:
    """The actual's number in the target's unit; None when the two cannot be compared.

    An actual without a unit is taken to be in the target's unit (forms often write the unit
    in the column's header, e.g. 实际完成值（%）)."""
    if actual.value is None or target.value is None or actual.kind not in ("number", "tolerance"):
        return None
    if actual.unit is None or actual.unit == target.unit:
        return actual.value
    if actual.unit in MONEY_FACTORS and target.unit in MONEY_FACTORS:
        return actual.value * MONEY_FACTORS[actual.unit] / MONEY_FACTORS[target.unit]
    return None


def same_target(one: Target, other: Target) -> bool:
    """Whether two 指标值 say the same: `≥50百分比` and `≥50%`, `≤1000万元` and `≤10000000元` do;
    a qualitative one is the same text, whitespace and full-width forms aside."""
    if one.kind != other.kind:
        return False
    if one.kind == "text":
        return _words(one.raw) == _words(other.raw)
    if one.kind == "deadline":
        return one.deadline == other.deadline
    if (one.comparator or "=") != (other.comparator or "=") or one.value is None or other.value is None:
        return False
    if one.unit == other.unit:
        scale = Decimal(1)
    elif one.unit in MONEY_FACTORS and other.unit in MONEY_FACTORS:
        scale = MONEY_FACTORS[one.unit] / MONEY_FACTORS[other.unit]
    else:
        return False
    uppers = (one.upper or one.value) * scale == (other.upper or other.value)
    return one.value * scale == other.value and uppers


def _words(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def same_unit(target: Target, actual: Target) -> bool:
    """Whether an actual is written in its target's unit, or one exactly convertible to it."""
    return comparable(target, actual) is not None


def status(target: Target | None, actual: Target | None) -> str:
    """MET, MISSED or UNKNOWN (a qualitative target, an actual that is text or in another unit)."""
    if target is None or actual is None:
        return UNKNOWN
    if target.kind == "deadline":
        if actual.kind != "deadline" or actual.deadline is None or target.deadline is None:
            return UNKNOWN
        return MET if actual.deadline <= target.deadline else MISSED
    value = comparable(target, actual)
    if value is None or target.value is None:
        return UNKNOWN
    if target.kind == "range":
        return MET if target.value <= value <= (target.upper or target.value) else MISSED
    if target.kind == "tolerance":
        return MET if abs(value) <= target.value else MISSED
    comparator = target.comparator or "≥"
    met = {"≥": value >= target.value, ">": value > target.value, "≤": value <= target.value,
           "<": value < target.value, "=": value >= target.value}[comparator]
    return MET if met else MISSED


def computed_score(profile: Profile, target: Target | None, actual: Target | None,
                   weight: Decimal) -> tuple[Decimal | None, Message | str]:
    """The score the profile gives a quantitative indicator, and how it was reached (for hints: a
    formula, or words); (None, reason) when the data do not decide it (qualitative, deadline or incomparable)."""
    if target is None or actual is None:
        return None, msg("attainment.no_actual")
    if target.kind == "deadline":
        return None, msg("attainment.deadline")
    value = comparable(target, actual)
    if value is None or target.value is None:
        return None, msg("attainment.not_comparable")
    fmt = plain_number
    if target.kind == "range":
        low, high = target.value, target.upper or target.value
        if value < low:
            return indicator_score(profile, "≥", low, value, weight), f"{fmt(value)} / {fmt(low)} × {fmt(weight)}"
        if value > high:
            return indicator_score(profile, "≤", high, value, weight), _ceiling(profile, high, value, weight)
        return cents(weight), msg("attainment.within_range")
    if target.kind == "tolerance":
        size = abs(value)
        if size <= target.value:
            return cents(weight), msg("attainment.within_tolerance")
        return indicator_score(profile, "≤", target.value, size, weight), _ceiling(profile, target.value, size, weight)
    comparator = target.comparator or "="
    score = indicator_score(profile, comparator, target.value, value, weight)
    if status(target, actual) == MET:
        return score, msg("attainment.met")
    if comparator in ("≤", "<"):
        return score, _ceiling(profile, target.value, value, weight)
    return score, f"{fmt(value)} / {fmt(target.value)} × {fmt(weight)}"


def _ceiling(profile: Profile, target: Decimal, actual: Decimal, weight: Decimal) -> str:
    fmt = plain_number
    if profile.ceiling_curve == "ratio":
        return f"{fmt(target)} / {fmt(actual)} × {fmt(weight)}"
    return f"(1 − ({fmt(actual)} − {fmt(target)}) / {fmt(target)}) × {fmt(weight)}"




__all__ = ["ATTAINMENT_WORDS", "MET", "MISSED", "NOT_APPLICABLE", "UNKNOWN", "comparable", "computed_score", "same_target",
           "same_unit", "status"]
