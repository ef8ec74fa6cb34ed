"""Targets (指标值): parse "≥80百分比" into comparator, number and unit.

The verbatim text is always kept in `Target.raw`; everything else is derived
from it and may be recomputed by a later version of this parser. The forms
accepted are the ones seen in real disclosures (../shared/DOMAIN.md):

    ≥4次  ≧ 80 %  ＞＝90%  >=95%  <=20万元  ≦20万元  100%  10辆     number
    80%-90%  80～90%  3至5个                                           range
    ±3%以内                                                            tolerance
    2022年12月底前  2023年11月底前  2022年底前  12月底前                  deadline
    ≤12个月  3个工作日内  30天以内                                       number (a duration)
    全方位、多渠道开展…  明显改善  优良  达标  是                          text

Anything that starts like a number or a comparator but does not parse is an
error rather than quietly becoming text: `≥**个` is a template placeholder
someone forgot to fill in, and publishing it as prose would hide that.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from decimal import Decimal

from builder.base.immutable import immutable
from builder.base.messages import Message, msg
from builder.base.numbers import NumberError, parse_decimal, shorten

# Comparator spellings, longest first so "≥=" style typos do not half-match.
# After NFKC, full-width ＞＝ is already ">=" and ＜ is "<".
_SYMBOLS = [
    (">=", "≥"), ("<=", "≤"), ("=>", "≥"), ("=<", "≤"),
    ("≥", "≥"), ("≧", "≥"), ("⩾", "≥"), ("≤", "≤"), ("≦", "≤"), ("⩽", "≤"),
    (">", ">"), ("<", "<"), ("=", "="),
]
_WORDS = [
    ("大于等于", "≥"), ("大于或等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"),
    ("小于等于", "≤"), ("小于或等于", "≤"), ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"),
    ("不大于", "≤"), ("至多", "≤"), ("控制在", "≤"),
    ("大于", ">"), ("高于", ">"), ("超过", ">"), ("多于", ">"),
    ("小于", "<"), ("低于", "<"), ("少于", "<"),
    ("等于", "="), ("达到", "≥"),
]
# Suffixes that carry the comparator: "80%以上", "20万元以内", "3个工作日内".
_SUFFIXES = [("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"), ("之内", "≤"), ("内", "≤")]

UNIT_KINDS: dict[str, str] = {}
UNIT_ALIASES: dict[str, str] = {}


def _units(kind: str, names: str, aliases: dict[str, str] | None = None) -> None:
    for name in names.split():
        UNIT_KINDS[name] = kind
    for alias, canonical in (aliases or {}).items():
        UNIT_ALIASES[alias] = canonical
        UNIT_KINDS[canonical] = kind


_units("percent", "%", {"百分比": "%", "％": "%", "百分率": "%"})
_units("percent-point", "百分点", {"个百分点": "百分点"})
_units("money", "元 千元 万元 亿元", {"万": "万元", "亿": "亿元", "圆": "元"})
_units("count", "次 个 人次 份 件 辆 座 户 人 场 批次 家 项 台 套 篇 期 条 所 名 本 张 处 种 批 间 类 "
                "只 头 株 棵 册 部 户次 场次 期次 批 单 笔 宗 幅 块 栋 盏 根 艘 架 位 例 起 票 箱 吨次 人天 人日")
_units("measure", "亩 万亩 平方米 万平方米 公里 米 公斤 吨 万吨 立方米 公顷 千瓦 兆瓦 平方公里",
       {"km": "公里", "千米": "公里", "kg": "公斤", "千克": "公斤", "㎡": "平方米", "m²": "平方米",
        "m2": "平方米", "m": "米", "t": "吨", "m³": "立方米"})
_units("time", "天 月 年 小时 分钟 周 工作日", {"日": "天", "个月": "月", "个工作日": "工作日", "个小时": "小时",
                                          "个星期": "周", "星期": "周"})
_units("score", "分")

# 元 per 万元 etc., for comparing money targets with budgets.
MONEY_FACTORS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_RANGE_SEP = r"(?:-|~|～|—|–|－|至|到)"
_PLACEHOLDER = re.compile(r"\*|＊|[xX×]{2,}|某|_{2,}|…|\?|？")
_CJK_PUNCT = re.compile(r"[，。；、：！,;]")
_DEADLINE = re.compile(
    r"^(?:(?P<year>\d{4})年)?(?:(?P<month>\d{1,2})月(?:份)?)?(?:(?P<day>\d{1,2})日)?"
    r"(?P<part>底|末|初|上旬|中旬|下旬)?(?P<before>前|之前|以前)?$")

# Deadlines outside these years are typos (0000年, 9999年), and date() has no year 0.
FIRST_YEAR, LAST_YEAR = 1900, 2200

ACCEPTED_FORMS = msg("targets.accepted_forms")


@immutable
class Target:
    """A parsed 指标值. `raw` is verbatim; the rest is derived from it."""

    raw: str
    kind: str  # "number", "range", "tolerance", "deadline", "text"
    comparator: str | None = None  # "≥", "≤", ">", "<", "=", "±", or None when none was written
    value: Decimal | None = None
    upper: Decimal | None = None  # the top of a range
    unit: str | None = None  # normalized: "%", "万元", "次", "公里", "元/亩"
    unit_raw: str | None = None  # as written: "百分比", "万", "km"
    unit_kind: str | None = None  # "percent", "money", "count", "measure", "time", "score", "other"
    deadline: date | None = None  # the last day a deadline allows
    text: str | None = None  # the statement of a qualitative target

    @property
    def is_quantitative(self) -> bool:
        return self.kind != "text"


class TargetError(ValueError):
    """What is wrong with a target (`said`) and what to do (`advice`; None: the message's own hint)."""

    def __init__(self, said: Message, advice: Message | None = None):
        super().__init__(said.key)
        self.said, self.advice = said, advice

    @property
    def message(self) -> str:
        return self.said.text()

    @property
    def hint(self) -> str | None:
        return self.advice.text() if self.advice is not None else self.said.hint()

    def __str__(self) -> str:
        return self.message


class OutOfBounds(TargetError):
    """A target that reads as a number or a date, but an absurd one: an error even when the text is
    long enough to pass for prose."""


def parse_target(raw: str) -> Target:
    """Parse one target text; raise TargetError when it looks numeric but is not."""
    text = raw.strip()
    if not text:
        raise TargetError(msg("targets.empty", forms=ACCEPTED_FORMS))
    # NFKC folds full-width digits, ％ and ＞＝ to ASCII; spaces carry no meaning here.
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).rstrip("。.;；")
    looks_numeric = bool(re.match(r"^(?:[≥≧⩾≤≦⩽<>=±]|\+-|\d)", s))

    try:
        return _parse_numeric(raw, s)
    except OutOfBounds:
        raise
    except TargetError:
        if looks_numeric and not _reads_as_prose(s):
            raise
    if _PLACEHOLDER.search(s) and len(s) <= 12:
        raise TargetError(msg("targets.placeholder", target=repr(raw)), msg("targets.placeholder_value_hint"))
    return Target(raw=raw, kind="text", text=text)


def _reads_as_prose(s: str) -> bool:
    # "2022年完成全县电商培训，覆盖所有乡镇" starts with a digit but is a sentence.
    return bool(_CJK_PUNCT.search(s)) or len(s) > 16


def _parse_numeric(raw: str, s: str) -> Target:
    deadline = _parse_deadline(raw, s)
    if deadline:
        return deadline

    comparator, rest = _take_comparator(s)
    if rest.startswith(("±", "+-")):
        if comparator:
            raise TargetError(msg("targets.comparator_and_tolerance", target=repr(raw)))
        rest = rest[1:] if rest.startswith("±") else rest[2:]
        comparator = "±"
    rest, suffix_cmp = _take_suffix(rest)
    if suffix_cmp and comparator and comparator != "±":
        raise TargetError(msg("targets.comparator_twice", target=repr(raw)))
    comparator = comparator or suffix_cmp

    m = re.match(rf"^({_NUMBER})(.*?)(?:{_RANGE_SEP}({_NUMBER})(.*))?$", rest)
    if not m:
        if _PLACEHOLDER.search(rest):
            raise TargetError(msg("targets.placeholder", target=repr(raw)), msg("targets.placeholder_number_hint"))
        raise TargetError(msg("targets.no_number", target=repr(raw), forms=ACCEPTED_FORMS))
    low, unit_a, high, unit_b = m.group(1), m.group(2), m.group(3), m.group(4)
    if high is not None:
        if comparator not in (None,):
            raise TargetError(msg("targets.range_with_comparator", target=repr(raw)))
        if unit_a and unit_b and _norm_unit(unit_a)[0] != _norm_unit(unit_b)[0]:
            raise TargetError(msg("targets.range_units", target=repr(raw)))
        unit_text = unit_b or unit_a
        value, upper = _decimal(raw, low), _decimal(raw, high)
        if upper < value:
            raise TargetError(msg("targets.range_backwards", target=repr(raw)))
        unit, kind = _unit(raw, unit_text)
        return Target(raw=raw, kind="range", value=value, upper=upper, unit=unit,
                      unit_raw=unit_text or None, unit_kind=kind)

    unit, kind = _unit(raw, unit_a)
    return Target(raw=raw, kind="tolerance" if comparator == "±" else "number", comparator=comparator,
                  value=_decimal(raw, low), unit=unit, unit_raw=unit_a or None, unit_kind=kind)


def _take_comparator(s: str) -> tuple[str | None, str]:
    for spelling, canonical in _SYMBOLS + _WORDS:
        if s.startswith(spelling):
            return canonical, s[len(spelling):]
    return None, s


def _take_suffix(s: str) -> tuple[str, str | None]:
    for spelling, canonical in _SUFFIXES:
        if s.endswith(spelling) and len(s) > len(spelling):
            return s[: -len(spelling)], canonical
    return s, None


def _decimal(raw: str, text: str) -> Decimal:
    try:
        return parse_decimal(text)
    except NumberError as exc:
        if exc.malformed:
            raise TargetError(msg("targets.no_number", target=shorten(raw), forms=ACCEPTED_FORMS)) from None
        raise OutOfBounds(msg("targets.out_of_bounds", target=shorten(raw), problem=exc.said), exc.advice) from None


def _norm_unit(text: str) -> tuple[str, str | None]:
    name = UNIT_ALIASES.get(text, text)
    return name, UNIT_KINDS.get(name)


def _unit(raw: str, text: str) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    if _PLACEHOLDER.search(text) or re.search(r"[\d<>=≥≤]", text):
        raise _unit_error(raw, text)
    if "/" in text:  # 元/亩, 万元/人, 次/年
        parts = text.split("/")
        if len(parts) != 2 or not all(_norm_unit(p)[1] or re.fullmatch(r"[\u4e00-\u9fff]{1,3}", p) for p in parts):
            raise _unit_error(raw, text)
        return "/".join(_norm_unit(p)[0] for p in parts), "rate"
    name, kind = _norm_unit(text)
    if kind:
        return name, kind
    # Units nobody listed yet (株, 羽, 套餐…): keep them when they read as a short word.
    if re.fullmatch(r"[\u4e00-\u9fffA-Za-z]{1,4}", text):
        return text, "other"
    raise _unit_error(raw, text)


def _unit_error(raw: str, text: str) -> TargetError:
    return TargetError(msg("targets.unit", unit=repr(text), target=repr(raw), forms=ACCEPTED_FORMS))


def _parse_deadline(raw: str, s: str) -> Target | None:
    comparator, rest = _take_comparator(s)
    m = _DEADLINE.match(rest)
    if not m or not (m.group("year") or m.group("month")):
        return None
    if not (m.group("before") or m.group("part") or m.group("day") or (m.group("year") and m.group("month"))):
        return None  # "2022年" alone is a year, "12月" alone a duration: not deadlines
    if m.group("month") and not m.group("year") and not (m.group("before") or m.group("part")):
        return None
    year = int(m.group("year")) if m.group("year") else None
    month = int(m.group("month")) if m.group("month") else None
    day = int(m.group("day")) if m.group("day") else None
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise OutOfBounds(msg("targets.deadline_year", target=repr(raw), year=year, first=FIRST_YEAR, last=LAST_YEAR))
    if month is not None and not 1 <= month <= 12:
        raise TargetError(msg("targets.deadline_month", target=repr(raw), month=month))
    last = None
    if year is not None:
        month_ = month or 12
        end = calendar.monthrange(year, month_)[1]
        part = m.group("part")
        if day is None:
            day_ = {"初": 10, "上旬": 10, "中旬": 20}.get(part or "", end)
        else:
            day_ = day
        if not 1 <= day_ <= end:
            raise TargetError(msg("targets.deadline_day", target=repr(raw)))
        last = date(year, month_, day_)
    return Target(raw=raw, kind="deadline", comparator=comparator or "≤", deadline=last,
                  text=None)


def in_unit(amount: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Convert money between 元, 万元 and 亿元, exactly."""
    return amount * MONEY_FACTORS[from_unit] / MONEY_FACTORS[to_unit]
