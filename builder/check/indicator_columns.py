"""Check: an indicator table's optional columns (权重, 指标方向, 度量单位) and the rows it states twice.

The 申报表/批复表 family's columns say things the 指标值 must agree with: the weights add up to 100
(or the total the form states, 90 beside 10 for budget execution), a 反向 indicator's target is a
ceiling, a rate is in %. Run by projects.check_indicator_table on a project's table and on the
department-wide one; each rule skips what validation already reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from builder.base.diagnostics import Report
from builder.base.messages import Message, msg
from builder.base.numbers import plain_number
from builder.content.evaluation import label_weight
from builder.content.fields import Values
from builder.content.frameworks import Row, normalize_label
from builder.content.target_cells import combined_target
from builder.content.targets import UNIT_ALIASES, Target

# What an indicator's name says its unit is, by how the name ends (after a bracketed unit such as
# `（%）` is dropped; the longest ending wins): the unit kinds (targets.UNIT_KINDS) such a name
# contradicts, and what to write (catalogue ids: what the name measures, and how it is written).
NAME_UNITS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str], ...] = (
    ("indicator_columns.kind_rate", ("率", "比例", "占比", "比重", "满意度", "增速", "增幅"),
     ("count", "money", "measure", "time"), "indicator_columns.written_rate"),
    # 巡查频率 ≥4次: a frequency is a count in a period, whatever its 率 says (so nothing is said of it).
    ("", ("频率", "频次"), (), ""),
    ("indicator_columns.kind_money", ("资金", "成本", "费用", "金额", "经费"),
     ("percent", "count"), "indicator_columns.written_money"),
    ("indicator_columns.kind_count", ("次数", "人数", "个数", "户数", "家数", "件数", "数量"),
     ("percent", "money"), "indicator_columns.written_count"),
)
# A 度量单位 cell that states no unit.
NO_UNIT = ("", "/", "-", "—", "——", "无")
# The total an indicator table's weights add up to when its form states none.
WEIGHT_TOTAL = Decimal(100)

_TRAILING_BRACKETS = re.compile(r"(?:\s*[（(][^（()）]*[)）])+\s*$")


def fold_name(name: str) -> str:
    """An indicator's name as a reader compares two: without spacing, punctuation or symbols, in one
    width and case (`各项任务完成及时率（%）` and `各项任务完成及时率` are one name)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PSZC")


def category_pairs(rows: Sequence[Values | None], resolved: Sequence[Row | None]) -> list[tuple[str, str] | None]:
    """Each row's 一级/二级 in force: the framework's names where `resolved` found them, else the labels
    as written (carried down from the merged cell above, a weight `（50分）` dropped); "" for none."""
    pairs: list[tuple[str, str] | None] = []
    level1 = level2 = ""
    for values, row in zip(rows, resolved, strict=True):
        if values is None:
            pairs.append(None)
            continue
        if row is not None:
            level1 = row.level1_match.category.name if row.level1_match.category else normalize_label(row.level1 or "")
            level2 = row.level2_match.category.name if row.level2_match.category else normalize_label(row.level2 or "")
        else:
            if values.get("level1"):
                level1, level2 = normalize_label(values.get("level1")), ""
            if values.get("level2"):
                level2 = normalize_label(values.get("level2"))
        pairs.append((level1, level2))
    return pairs


def check_columns(owner: Values, rows: Sequence[Values | None], resolved: Sequence[Row | None],
                  report: Report) -> None:
    """The rules of this module over one indicator table; `owner` is the project (or the `whole` table)."""
    pairs = category_pairs(rows, resolved)
    check_weights(owner, rows, pairs, report)
    check_duplicates(rows, pairs, report)
    for values in rows:
        if values is not None and values.ok("target"):
            target = combined_target(values.get("target"), values.get("nature"), values.get("unit"))
            check_direction(values, target, report)
            check_unit(values, target, report)


def check_weights(owner: Values, rows: Sequence[Values | None], pairs: Sequence[tuple[str, str] | None],
                  report: Report) -> None:
    """权重 on every row or none, adding up to the table's total, and to what a category label states."""
    present = [values for values in rows if values is not None and "weight" in values.data]
    if not present:
        return
    missing = [values for values in rows if values is not None and "weight" not in values.data]
    if missing:
        report.error(missing[0].at, msg("indicator_columns.weight_missing", count=len(present)))
        return
    if any(not values.ok("weight") for values in present) or ("weight_total" in owner.data
                                                               and not owner.ok("weight_total")):
        return  # reported by validation; a sum without it would be wrong
    by_level1: dict[str, list[Decimal]] = {}
    for values, pair in zip(rows, pairs, strict=True):
        if values is not None and pair is not None:
            by_level1.setdefault(pair[0], []).append(values.get("weight"))
    total = sum((values.get("weight") for values in present), Decimal(0))
    stated = owner.get("weight_total")
    expected = stated if stated is not None else WEIGHT_TOTAL
    if total != expected:
        terms = " + ".join(f"{_short(level1)} {plain_number(sum(weights, Decimal(0)))}"
                           for level1, weights in by_level1.items() if level1)
        said = (msg("indicator_columns.weights_total_terms", total=plain_number(total),
                    expected=plain_number(expected), terms=terms) if terms else
                msg("indicator_columns.weights_total", total=plain_number(total), expected=plain_number(expected)))
        report.error(owner.where("weight_total") if stated is not None else owner.where("indicators"), said,
                     msg("indicator_columns.weights_total_stated") if stated is not None else
                     msg("indicator_columns.weights_total_unstated"))
    check_label_weights(rows, pairs, report)


def check_label_weights(rows: Sequence[Values | None], pairs: Sequence[tuple[str, str] | None],
                        report: Report) -> None:
    """A category label that states its weight (`产出指标（50分）`) against the 权重 of its rows."""
    for level, index in (("level1", 0), ("level2", 1)):
        labelled: dict[tuple[str, ...], Values] = {}
        weights: dict[tuple[str, ...], list[Decimal]] = {}
        for values, pair in zip(rows, pairs, strict=True):
            if values is None or pair is None:
                continue
            group = pair[:index + 1]
            weights.setdefault(group, []).append(values.get("weight"))
            if label_weight(values.get(level)) is not None:
                labelled.setdefault(group, values)
        for group, row in labelled.items():
            written, total = label_weight(row.get(level)), sum(weights[group], Decimal(0))
            if written is not None and written != total:
                report.error(row.where(level), msg("indicator_columns.label_weight",
                                                   level="一级" if index == 0 else "二级", label=row.get(level),
                                                   written=plain_number(written), total=plain_number(total),
                                                   terms=" + ".join(plain_number(w) for w in weights[group])))


def _short(level1: str) -> str:
    # 产出 50 + 效益 30 reads as the forms' own sums do.
    return level1[:-2] if level1.endswith("指标") and len(level1) > 2 else level1


def check_duplicates(rows: Sequence[Values | None], pairs: Sequence[tuple[str, str] | None],
                     report: Report) -> None:
    """The same 三级 name twice in one table: an error under one category, a warning under two."""
    seen: dict[str, tuple[Values, tuple[str, str]]] = {}
    for values, pair in zip(rows, pairs, strict=True):
        if values is None or pair is None or not values.ok("name"):
            continue
        key = fold_name(values.get("name"))
        if not key:
            continue
        if key not in seen:
            seen[key] = (values, pair)
            continue
        first, first_pair = seen[key]
        line = first.where("name").line
        if first_pair == pair:
            name = values.get("name")
            report.error(values.where("name"), msg("indicator_columns.repeated_under", name=name, pair=_pair(pair),
                                                   line=line) if any(pair) else
                         msg("indicator_columns.repeated", name=name, line=line))
        else:
            report.warning(values.where("name"), msg("indicator_columns.repeated_elsewhere", name=values.get("name"),
                                                     pair=_pair(pair), line=line, first_pair=_pair(first_pair)))


def _pair(pair: tuple[str, str]) -> str | Message:
    return "/".join(label for label in pair if label) or msg("indicator_columns.no_category")


def check_direction(values: Values, target: Target, report: Report) -> None:
    """正向 (more is better) wants a floor (≥, >); 反向 (less is better) a ceiling (≤, <)."""
    if not values.ok("direction") or target.kind != "number":
        return
    direction = values.get("direction")
    if direction == "反向" and target.comparator in ("≥", ">"):
        report.warning(values.where("direction"), msg("indicator_columns.reverse_floor", target=target.raw))
    elif direction == "正向" and target.comparator in ("≤", "<"):
        report.warning(values.where("direction"), msg("indicator_columns.forward_ceiling", target=target.raw))


def check_unit(values: Values, target: Target, report: Report) -> None:
    """The 度量单位 cell against the 指标值's own unit, and the unit against what the name measures."""
    own: Target = values.get("target")
    column = (values.get("unit") or "").strip() if values.ok("unit") else ""
    column_unit = UNIT_ALIASES.get(column, column) if column not in NO_UNIT else None
    if column_unit is not None and own.unit is not None and own.unit != column_unit:
        report.warning(values.where("unit"), msg("indicator_columns.unit_column", column=column, target=own.raw,
                                                 unit=own.unit))
        return
    if target.unit is None or not values.ok("name"):
        return
    named = name_unit(values.get("name"))
    if named is not None and target.unit_kind in named[2]:
        report.warning(values.where("target") if own.unit is not None else values.where("unit"),
                       msg("indicator_columns.name_unit", name=values.get("name"), kind=msg(named[0]),
                           target=target.raw, unit=target.unit, written=msg(named[3])))


def name_unit(name: str) -> tuple[str, tuple[str, ...], tuple[str, ...], str] | None:
    """The NAME_UNITS entry whose ending the name has (the longest ending wins), or None."""
    folded = fold_name(_TRAILING_BRACKETS.sub("", name))
    best, best_length = None, 0
    for entry in NAME_UNITS:
        for ending in entry[1]:
            if folded.endswith(ending) and len(ending) > best_length:
                best, best_length = entry, len(ending)
    return best
