"""Diff of the later stages: what changed in a monitoring round or a self-evaluation, in the form's words.

diff.py compares the targets; this compares the 监控表 and 自评表 that report on them: a stage
file added or removed (新增自评表), its money (全年执行数 …, 1–7月执行数 …) and each indicator's
figures (实际完成值 740人次 → 800人次, 得分 13.88 → 15, 1–7月完成值 …, 完成可能性 有可能 → 确定能).
Rows are matched by the approved target row they report on (an added row by its name), never by
position, so a reordered form is no change. A score is the one shown on the pages (computed where
the data decide it, else as stated); a stated figure that changes where it is not the computed one
is listed too (填报得分: 15 → 13.88), as the reviewer who corrects a form wants to see it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TypeVar

from builder.base.money import format_money
from builder.base.numbers import plain_number
from builder.content.attainment import ATTAINMENT_WORDS
from builder.content.model import Indicator
from builder.content.stage_model import (
    STATUS_WORDS,
    EvaluatedIndicator,
    Evaluation,
    Figure,
    MonitoredIndicator,
    Monitoring,
)
from builder.content.stage_rows import key

# (kind, subject, before, after): diff.py makes each a Change of its project or department.
Line = tuple[str, str, str | None, str | None]
EMPTY = "（空）"
Row = TypeVar("Row", EvaluatedIndicator, MonitoredIndicator)


def diff_monitoring(old: Monitoring | None, new: Monitoring | None, label: str,
                    targets: tuple[Sequence[Indicator], Sequence[Indicator]] = ((), ())) -> list[Line]:
    """`label` names the project in each subject: "#招商经费"; `targets` are its approved indicators in
    the old and the new version, which the rows point at."""
    if old is None and new is None:
        return []
    if old is None and new is not None:
        return [("monitoring-added", f"{label} 新增监控表", None, new.period)]
    if new is None and old is not None:
        return [("monitoring-removed", f"{label} 删除监控表", old.period, None)]
    assert old is not None and new is not None
    lines: list[Line] = []
    unit = new.money_unit
    months = f"1–{new.month}月"

    def change(subject: str, before: str | None, after: str | None, kind: str = "monitoring-changed") -> None:
        if before != after:
            lines.append((kind, f"{label} 监控 {subject}", before or EMPTY, after or EMPTY))

    change("监控期间", old.period, new.period)
    change("示例说明", old.example, new.example)
    change("年度预算数", _money(old.budget.value, old.money_unit), _money(new.budget.value, unit))
    change(f"{months}执行数", _money(old.executed.value, old.money_unit), _money(new.executed.value, unit))
    _figure(change, "执行率", "填报执行率", old.rate, new.rate, _percent)
    change("全年预计执行数", _money(old.forecast.value, old.money_unit), _money(new.forecast.value, unit))
    change("执行偏差原因", old.reason, new.reason)
    for before, after in _pairs(old.indicators, new.indicators, targets):
        if before is None or after is None:
            row = after or before
            assert row is not None
            kind, verb = ("added", "新增") if after is not None else ("removed", "删除")
            shown = _raw(row.progress)
            lines.append((f"monitoring-indicator-{kind}", f"{label} 监控 {verb}指标 {row.name}",
                          shown if kind == "removed" else None, shown if kind == "added" else None))
            continue
        name = after.name
        change(f"{name} {months}完成值", _raw(before.progress), _raw(after.progress))
        change(f"{name} 全年预计完成值", _raw(before.forecast), _raw(after.forecast))
        change(f"{name} 完成可能性", before.likelihood, after.likelihood)
        change(f"{name} 监控状态", STATUS_WORDS[before.status], STATUS_WORDS[after.status])
        change(f"{name} 偏差原因类别", before.reason_category, after.reason_category)
        change(f"{name} 偏差原因分析", before.reason, after.reason)
        change(f"{name} 纠偏措施", before.action, after.action)
        _adjustment(change, name, before, after)
    return lines


def diff_evaluation(old: Evaluation | None, new: Evaluation | None, label: str,
                    targets: tuple[Sequence[Indicator], Sequence[Indicator]] = ((), ()),
                    form: str = "自评表") -> list[Line]:
    """`label` names the project ("#招商经费") or the department; `targets` as for diff_monitoring (none for
    the department's own, whose rows are its own); `form` the file: 自评表, 部门整体自评表."""
    if old is None and new is None:
        return []
    if old is None and new is not None:
        return [("evaluation-added", f"{label} 新增{form}", None, f"总分 {_points(new.total.shown)}")]
    if new is None and old is not None:
        return [("evaluation-removed", f"{label} 删除{form}", f"总分 {_points(old.total.shown)}", None)]
    assert old is not None and new is not None
    lines: list[Line] = []
    unit = new.money_unit

    def change(subject: str, before: str | None, after: str | None, kind: str = "evaluation-changed") -> None:
        if before != after:
            lines.append((kind, f"{label} 自评 {subject}", before or EMPTY, after or EMPTY))

    change("示例说明", old.example, new.example)
    change("评分规则", old.profile.id, new.profile.id)
    old_funding = {f.label: f for f in old.funding}
    new_funding = {f.label: f for f in new.funding}
    for n, row_label in enumerate(dict.fromkeys([*new_funding, *old_funding])):
        prefix = "" if n == 0 else f"{row_label.removeprefix('其中：')} "  # the first is the total: 年度资金总额
        for title, attribute in (("年初预算数", "initial"), ("全年预算数", "adjusted"), ("全年执行数", "executed")):
            before, after = (getattr(rows[row_label], attribute).value if row_label in rows else None
                             for rows in (old_funding, new_funding))
            change(f"{prefix}{title}", _money(before, old.money_unit), _money(after, unit))
    _figure(change, "执行率", "填报执行率", old.rate, new.rate, _percent)
    _figure(change, "预算执行得分", "填报预算执行得分", old.budget_score, new.budget_score)
    change("预算调整原因", old.adjustment_reason, new.adjustment_reason)
    change("执行偏差原因", old.execution_deviation, new.execution_deviation)
    change("实际完成情况", old.goal_actual, new.goal_actual)
    for before, after in _pairs(old.indicators, new.indicators, targets):
        if before is None or after is None:
            row = after or before
            assert row is not None
            kind, verb = ("added", "新增") if after is not None else ("removed", "删除")
            shown = _raw(row.actual)
            lines.append((f"evaluation-indicator-{kind}", f"{label} 自评 {verb}指标 {row.name}",
                          shown if kind == "removed" else None, shown if kind == "added" else None))
            continue
        name = after.name
        change(f"{name} 实际完成值", _raw(before.actual), _raw(after.actual))
        change(f"{name} 完成档次", before.band_stated, after.band_stated)
        change(f"{name} 分值", _points(before.weight), _points(after.weight))
        _figure(change, f"{name} 得分", f"{name} 填报得分", before.score, after.score)
        change(f"{name} 完成情况", ATTAINMENT_WORDS.get(before.status), ATTAINMENT_WORDS.get(after.status))
        change(f"{name} 偏差原因分析", before.deviation, after.deviation)
        change(f"{name} 改进措施", before.improvement, after.improvement)
        change(f"{name} 不适用原因", before.not_applicable, after.not_applicable)
        _adjustment(change, name, before, after)
    _figure(change, "总分", "填报总分", old.total, new.total)
    change("评价等级", old.grade, new.grade)
    change("填报评价等级", old.grade_stated, new.grade_stated)
    change("评价结论", old.conclusion, new.conclusion)
    change("存在问题", old.problems, new.problems)
    change("改进措施", old.measures, new.measures)
    return lines


def _pairs(old: Sequence[Row], new: Sequence[Row], targets: tuple[Sequence[Indicator], Sequence[Indicator]]
           ) -> list[tuple[Row | None, Row | None]]:
    """Rows of two versions paired by the approved indicator they report on, known by its name (the
    targets may have been reordered between the versions: its place is no identity); an added row by
    its own name."""
    def identities(rows: Sequence[Row], approved: Sequence[Indicator]) -> list[object]:
        names = [key(i.name) for i in approved]
        # The same name twice in one table: the first, then the second (stage_rows.py matches so too).
        nth = {n: names[:n].count(name) for n, name in enumerate(names)}
        return [("approved", names[row.approved], nth[row.approved]) if row.approved is not None
                and row.approved < len(names) else ("row", row.approved, key(row.name)) for row in rows]

    before = dict(zip(identities(old, targets[0]), old, strict=True))
    pairs: list[tuple[Row | None, Row | None]] = [(before.pop(identity, None), row)
                                                  for identity, row in zip(identities(new, targets[1]), new,
                                                                           strict=True)]
    return pairs + [(row, None) for row in before.values()]


def _figure(change: Callable[..., None], subject: str, stated: str, before: Figure, after: Figure,
            fmt: Callable[[Decimal | None], str | None] | None = None) -> None:
    """A figure as the pages show it; and the stated one (`stated` names it) where it changed and, in
    either version, is not the computed one (without a computed one, the stated figure is the one shown)."""
    fmt = fmt or _points
    change(subject, fmt(before.shown), fmt(after.shown))
    if after.computed is not None and before.computed is not None and (
            before.stated != before.computed or after.stated != after.computed):
        change(stated, fmt(before.stated), fmt(after.stated))


def _adjustment(change: Callable[..., None], name: str, before: Row, after: Row) -> None:
    a, b = before.adjustment, after.adjustment
    change(f"{name} 调整后指标值", a.target.raw if a and a.target else None, b.target.raw if b and b.target else None)
    change(f"{name} 调整后名称", a.name if a else None, b.name if b else None)
    change(f"{name} 调整原因", a.reason if a else None, b.reason if b else None)
    change(f"{name} 新增原因", before.added, after.added)


def _raw(value: object) -> str | None:
    return getattr(value, "raw", None)




def _points(value: Decimal | None) -> str | None:
    return None if value is None else plain_number(value)


def _percent(value: Decimal | None) -> str | None:
    return None if value is None else f"{plain_number(value)}%"


def _money(value: Decimal | None, unit: str) -> str | None:
    return format_money(value, unit) if value is not None else None


__all__ = ["EMPTY", "Line", "diff_evaluation", "diff_monitoring"]
