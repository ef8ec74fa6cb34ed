"""A target spread over three cells, read as one: 指标性质 + 指标值 + 度量单位.

Some provinces' forms (the 申报表/批复表 family, Sichuan's) write the comparator in a 指标性质
column (`≥`, `大于等于`) and the unit in a 度量单位 column (`%`), leaving the 指标值 cell a bare
number (`90`). Each cell is kept as written; what the target means (`≥90%`) is read from them
together, so the checks and the scores see the same target a Hebei form would write in one cell.
A 指标性质 of 定量 or 定性 says nothing about the comparator and is only kept.
"""

from __future__ import annotations

import re
import unicodedata

from builder.content.targets import Target, TargetError, parse_target

# The comparators a 指标性质 cell may hold, in the spellings forms use (after NFKC and without spaces).
NATURE_COMPARATORS = {
    "≥": "≥", "≧": "≥", ">=": "≥", "大于等于": "≥", "大于或等于": "≥", "不低于": "≥", "不少于": "≥",
    "≤": "≤", "≦": "≤", "<=": "≤", "小于等于": "≤", "小于或等于": "≤", "不高于": "≤", "不超过": "≤",
    "=": "=", "等于": "=", ">": ">", "大于": ">", "<": "<", "小于": "<",
}
_STARTS_WITH_COMPARATOR = re.compile(r"^\s*(?:[≥≧⩾≤≦⩽<>=＞＜＝±]|大于|小于|等于|不低于|不少于|不高于|不超过)")


def nature_comparator(nature: str | None) -> str | None:
    """The comparator a 指标性质 cell states, or None (定量, 定性, blank)."""
    if not nature:
        return None
    return NATURE_COMPARATORS.get(re.sub(r"\s+", "", unicodedata.normalize("NFKC", nature)))


def target_text(written: str, nature: str | None, unit: str | None) -> str:
    """The target the three cells state together, as one text: `90` + `≥` + `%` reads `≥90%`.

    The comparator is put in front only when the 指标值 has none of its own, and the unit after it
    only when the 指标值 is a bare number (a unit already written, a sentence or a deadline is left
    as it is)."""
    text = written.strip()
    comparator = nature_comparator(nature)
    if comparator and not _STARTS_WITH_COMPARATOR.match(text):
        text = comparator + text
    unit_text = (unit or "").strip()
    if unit_text and unit_text not in ("/", "—", "-", "无"):
        try:
            alone = parse_target(text)
        except TargetError:
            return text
        if alone.kind in ("number", "range") and alone.unit is None:
            text += unit_text
    return text


def combined_target(target: Target, nature: str | None, unit: str | None) -> Target:
    """`target` (the 指标值 cell, parsed) read together with its 指标性质 and 度量单位 cells; the cell alone
    when they add nothing or the three do not read as one target (check reports that)."""
    text = target_text(target.raw, nature, unit)
    if text == target.raw:
        return target
    try:
        return parse_target(text)
    except TargetError:
        return target
