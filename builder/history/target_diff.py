"""Diff of the cells other provinces' forms add to a target, in the forms' words.

diff.py compares what every form has (money, plan, goals, indicators by identity); this compares
what the 项目支出绩效目标申报表/批复表 and the 部门整体支出绩效目标表 add: a project's header cells
(项目负责人: 张三 → 李四), its funding sources and 实施期 money and goals, an indicator's optional
columns (权重: 10 → 15, 指标方向 …) and the department-wide table's 收入构成 and 支出构成 (收入构成
财政拨款: 1,200.00 万元 → 1,300.00 万元). Rows of a breakdown or a composition are matched by their
name, never by position. A cell a version does not have reads （空）.
"""

from __future__ import annotations

from decimal import Decimal

from builder.base.money import format_money
from builder.base.numbers import plain_number
from builder.content.model import Budget, Composition, Indicator, Numbered, Project, WholeTarget

# (kind, subject, before, after): diff.py makes each a Change of its project or department.
Line = tuple[str, str, str | None, str | None]
EMPTY = "（空）"

HEADER_CELLS = (("supervisor", "主管部门"), ("implementer", "实施单位"), ("manager", "项目负责人"),
                ("phone", "联系电话"), ("kind", "项目类型"), ("attribute", "项目属性"), ("period", "项目期限"))
INDICATOR_CELLS = (("nature", "指标性质"), ("unit", "度量单位"), ("previous", "上年实际值"), ("weight", "权重"),
                   ("direction", "指标方向"), ("formula", "计算公式"), ("note", "备注"))
PERIOD_MONEY = (("total", "实施期资金总额"), ("fiscal", "实施期财政资金"), ("other", "实施期其他资金"))


def _text(value: object) -> str:
    if value is None or value == "":
        return EMPTY
    return plain_number(value) if isinstance(value, Decimal) else str(value)


def _money(value: Decimal | None, unit: str) -> str:
    return format_money(value, unit) if value is not None else EMPTY


def _changed(kind: str, subject: str, before: object, after: object) -> list[Line]:
    was, now = _text(before), _text(after)
    return [(kind, subject, was, now)] if was != now else []


def diff_header(old: Project, new: Project) -> list[Line]:
    """A project's header cells (主管部门 … 项目期限)."""
    return [line for key, word in HEADER_CELLS
            for line in _changed("header-changed", f"{new.name} {word}", getattr(old, key), getattr(new, key))]


def diff_funding(old: Project, new: Project) -> list[Line]:
    """A project's funding sources, and its 实施期 money and its funding sources."""
    label, unit = new.name, new.money_unit
    lines = diff_breakdown(old.budget, new.budget, old.money_unit, unit, f"{label} 资金来源")
    before, after = old.period_budget, new.period_budget
    for key, word in PERIOD_MONEY:
        was = _money(getattr(before, key).value, old.money_unit) if before else EMPTY
        now = _money(getattr(after, key).value, unit) if after else EMPTY
        if was != now:
            lines.append(("period-budget-changed", f"{label} {word}", was, now))
    lines += diff_breakdown(before, after, old.money_unit, unit, f"{label} 实施期资金来源")
    return lines


def diff_breakdown(old: Budget | None, new: Budget | None, old_unit: str, unit: str, subject: str) -> list[Line]:
    """A budget's funding sources (一般公共预算, 政府性基金 …), matched by name."""
    before = {s.name: s.amount.value for s in (old.breakdown if old else ())}
    after = {s.name: s.amount.value for s in (new.breakdown if new else ())}
    lines: list[Line] = []
    for name in dict.fromkeys([*after, *before]):
        was = _money(before[name], old_unit) if name in before else EMPTY
        now = _money(after[name], unit) if name in after else EMPTY
        if was != now:
            lines.append(("funding-changed", f"{subject} {name}", was, now))
    return lines


def diff_goals(old: tuple[Numbered, ...], new: tuple[Numbered, ...], subject: str) -> list[Line]:
    if [g.raw for g in old] == [g.raw for g in new]:
        return []
    return [("goals-changed", subject, f"{len(old)}项", f"{len(new)}项")]


def diff_indicator_cells(old: Indicator, new: Indicator, subject: str) -> list[Line]:
    """An indicator's optional columns (指标性质 … 备注), each as the form has it; `subject` names the
    indicator ("高标准农田建设项目 新建高标准农田面积")."""
    return [line for key, word in INDICATOR_CELLS
            for line in _changed("indicator-cell-changed", f"{subject} {word}", getattr(old, key), getattr(new, key))]


def diff_whole(old: WholeTarget | None, new: WholeTarget | None, label: str = "部门整体") -> list[Line]:
    """The department-wide target's own cells: added or removed, its title, 部门职能概述, money unit,
    收入构成 and 支出构成, and goals (its indicators: diff.py, as a project's)."""
    if old is None and new is None:
        return []
    if old is None and new is not None:
        return [("whole-added", f"{label} 新增部门整体支出绩效目标表", None, new.title or f"{len(new.indicators)}项指标")]
    if new is None and old is not None:
        return [("whole-removed", f"{label} 删除部门整体支出绩效目标表", old.title or f"{len(old.indicators)}项指标", None)]
    assert old is not None and new is not None
    lines = [*_changed("whole-changed", f"{label} 表名", old.title, new.title),
             *_changed("whole-changed", f"{label} 部门职能概述", old.functions, new.functions),
             *_changed("whole-changed", f"{label} 金额单位", old.money_unit, new.money_unit)]
    for word, before, after in (("收入构成", old.income, new.income), ("支出构成", old.expenditure, new.expenditure)):
        lines += diff_composition(before, after, old.money_unit, new.money_unit, f"{label} {word}")
    lines += diff_goals(old.long_term_goals, new.long_term_goals, f"{label} 实施期目标")
    lines += diff_goals(old.goals, new.goals, f"{label} 年度总体目标")
    return lines


def diff_composition(old: Composition | None, new: Composition | None, old_unit: str, unit: str,
                     subject: str) -> list[Line]:
    """收入构成 or 支出构成: each row's amount and share (matched by name), then the 合计 and its share."""
    before = {r.name: r for r in (old.rows if old else ())}
    after = {r.name: r for r in (new.rows if new else ())}
    lines: list[Line] = []
    for name in dict.fromkeys([*after, *before]):
        was, now = before.get(name), after.get(name)
        lines += _changed("composition-changed", f"{subject} {name}", _money(was.amount.value, old_unit) if was else None,
                          _money(now.amount.value, unit) if now else None)
        if was is not None and now is not None:
            lines += _changed("composition-changed", f"{subject} {name} 占比", _share(was.share), _share(now.share))
    lines += _changed("composition-changed", f"{subject} 合计", _money(old.total.value, old_unit) if old else None,
                      _money(new.total.value, unit) if new else None)
    lines += _changed("composition-changed", f"{subject} 合计占比", _share(old.total_share) if old else None,
                      _share(new.total_share) if new else None)
    return lines


def _share(value: Decimal | None) -> str | None:
    return f"{plain_number(value)}%" if value is not None else None


__all__ = ["EMPTY", "Line", "diff_breakdown", "diff_composition", "diff_funding", "diff_goals", "diff_header",
           "diff_indicator_cells", "diff_whole"]
