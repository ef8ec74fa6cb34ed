"""Diff: what changed between two versions of the content, in the domain's words.

The later stages (监控表, 自评表) are compared in stage_diff.py, in the forms' words, as part of
their project (or department); the cells other provinces' forms add (a project's header cells and
实施期, an indicator's optional columns, the department-wide target's 收入构成 and 支出构成) in
target_diff.py. The department-wide target's indicators are compared as a project's.

Projects are matched by year and code (a project moved to another file, or
listed in another order, has not changed). Indicators are matched by their
identity, the category path and the name: first exactly, then by name alone
(the indicator moved to another category), then by a near-identical name in
the same category (reworded). Order is never a change.
"""

from __future__ import annotations

import difflib
import html
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal

from builder.base.money import format_money
from builder.content.model import Department, Indicator, Project, Site, WholeTarget
from builder.history.stage_diff import diff_evaluation, diff_monitoring
from builder.history.target_diff import diff_funding, diff_goals, diff_header, diff_indicator_cells, diff_whole

# (kind, subject, before, after, detail): a Change without its place, which the caller knows.
Line = tuple[str, str, str | None, str | None, str | None]


@dataclass(frozen=True)
class Change:
    kind: str  # project-added, budget-changed, target-changed, indicator-moved, …
    year: int
    department: str  # code
    project: str | None  # code
    subject: str  # what changed, for people: "项目 X 的预算数"
    before: str | None
    after: str | None
    detail: str | None = None

    def text(self, escape: Callable[[str], str] = lambda text: text) -> str:
        """One line. What comes from content (subject, values, detail) is made one line, then `escape`d
        for the format; the frame around it (codes, `:`, `→`) is ours."""
        show = lambda text: escape(one_line(text))  # noqa: E731
        where = f"{self.year} {self.department}" + (f" {self.project}" if self.project else "")
        arrow = ""
        if self.before is not None and self.after is not None:
            arrow = f": {show(self.before)} → {show(self.after)}"
        elif self.after is not None:
            arrow = f": {show(self.after)}"
        elif self.before is not None:
            arrow = f": {show(self.before)}"
        return f"[{where}] {show(self.subject)}{arrow}" + (f" ({show(self.detail)})" if self.detail else "")


# Content is untrusted, and a reviewer reads this output to approve it: a value must not pass for
# another change. A YAML block scalar holds line breaks, and a value can hold Markdown or HTML.
# Every line break str.splitlines() knows becomes a visible ⏎ (and a tab a space), so a change is one
# line of text, one Markdown list item, one <li>.
_LINE_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def one_line(text: str) -> str:
    return _LINE_BREAKS.sub("⏎", text).replace("\t", " ")


# In Markdown, a backslash before ASCII punctuation makes it a literal character (CommonMark 2.4):
# these are the ones that make markup in the middle of a line (emphasis, code, links, images, raw
# HTML and entities, table cells, strikethrough, math). Line-start markers (`#`, `-`, `1.`) cannot
# occur: each value sits after the line's `- [year code]` frame.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~&!$])")


def markdown_text(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)


def diff_sites(old: Site, new: Site) -> list[Change]:
    changes: list[Change] = []
    old_departments = {(d.year, d.code): d for d in old.departments}
    new_departments = {(d.year, d.code): d for d in new.departments}
    for key in sorted(old_departments.keys() | new_departments.keys()):
        before, after = old_departments.get(key), new_departments.get(key)
        if before is None:
            changes.append(Change("department-added", key[0], key[1], None, f"部门 {new_departments[key].name} 新增", None, None))
        elif after is None:
            changes.append(Change("department-removed", key[0], key[1], None, f"部门 {before.name} 删除", None, None))
        else:
            changes += diff_departments(before, after)
    return changes


def diff_departments(old: Department, new: Department) -> list[Change]:
    changes: list[Change] = []

    def change(kind: str, subject: str, before: str | None = None, after: str | None = None,
               detail: str | None = None, project: str | None = None) -> None:
        changes.append(Change(kind, new.year, new.code, project, subject, before, after, detail))

    if old.name != new.name:
        change("department-renamed", "部门名称", old.name, new.name)
    for label, attribute in (("职能", "duties"), ("工作保障措施", "measures")):
        before = [d.raw for d in getattr(old, attribute)]
        after = [d.raw for d in getattr(new, attribute)]
        if before != after:
            change(f"{attribute}-changed", f"{label}修改", f"{len(before)}项", f"{len(after)}项")
    for line in whole_changes(old.whole, new.whole):  # the department's own target, before its projects'
        change(*line)
    old_projects = {p.code: p for p in old.projects}
    new_projects = {p.code: p for p in new.projects}
    for code in [p.code for p in new.projects if p.code not in old_projects]:
        p = new_projects[code]
        change("project-added", f"项目 {p.name} 新增", None, format_money(p.budget.total.value, p.money_unit),
               project=code)
    for code in [p.code for p in old.projects if p.code not in new_projects]:
        p = old_projects[code]
        change("project-removed", f"项目 {p.name} 删除", format_money(p.budget.total.value, p.money_unit), None,
               project=code)
    for project in new.projects:
        if project.code in old_projects:
            changes += [Change(c.kind, new.year, new.code, project.code, c.subject, c.before, c.after, c.detail)
                        for c in diff_projects(old_projects[project.code], project)]
    for kind, subject, was, now in diff_evaluation(old.evaluation, new.evaluation, "部门整体"):
        change(kind, subject, was, now)
    return changes


def whole_changes(old: WholeTarget | None, new: WholeTarget | None, label: str = "部门整体") -> list[Line]:
    """What changed in a department-wide target (部门整体支出绩效目标表): its own cells, then its
    indicators, matched and compared as a project's."""
    lines: list[Line] = [(*line, None) for line in diff_whole(old, new, label)]
    if old is not None and new is not None:
        lines += diff_indicators(old.indicators, new.indicators, label)
    return lines


def diff_projects(old: Project, new: Project) -> list[Change]:
    changes: list[Change] = []

    def change(kind: str, subject: str, before: str | None = None, after: str | None = None,
               detail: str | None = None) -> None:
        changes.append(Change(kind, 0, "", new.code, subject, before, after, detail))

    if old.name != new.name:
        change("project-renamed", "项目名称", old.name, new.name)
    for kind, subject, was, now in diff_header(old, new):
        change(kind, subject, was, now)
    unit = new.money_unit
    for label, attribute in (("预算数", "total"), ("财政资金", "fiscal"), ("其他资金", "other")):
        before, after = getattr(old.budget, attribute), getattr(new.budget, attribute)
        if before.value != after.value or old.money_unit != new.money_unit:
            difference = None
            if before.value is not None and after.value is not None and old.money_unit == unit:
                delta = after.value - before.value
                difference = f"{'+' if delta >= 0 else '−'}{format_money(abs(delta), unit)}"
            change("budget-changed", f"{new.name} {label}", _money(before.value, old.money_unit),
                   _money(after.value, unit), difference)
    for kind, subject, was, now in diff_funding(old, new):
        change(kind, subject, was, now)
    if old.purpose != new.purpose:
        change("purpose-changed", f"{new.name} 资金用途", old.purpose, new.purpose)
    plan = lambda p: "，".join(f"{m.label}{m.percent.normalize():f}%" for m in p.spending_plan)  # noqa: E731
    if plan(old) != plan(new):
        change("plan-changed", f"{new.name} 资金支出计划", plan(old), plan(new))
    for kind, subject, was, now in [*diff_goals(old.goals, new.goals, f"{new.name} 绩效目标"),
                                    *diff_goals(old.long_term_goals, new.long_term_goals, f"{new.name} 实施期目标")]:
        change(kind, subject, was, now)
    for line in diff_indicators(old.indicators, new.indicators, new.name):
        change(*line)
    targets = (old.indicators, new.indicators)
    for kind, subject, was, now in [*diff_monitoring(old.monitoring, new.monitoring, new.name, targets),
                                    *diff_evaluation(old.evaluation, new.evaluation, new.name, targets)]:
        change(kind, subject, was, now)
    return changes


def diff_indicators(old: Iterable[Indicator], new: Iterable[Indicator], label: str) -> list[Line]:
    """An indicator table's changes, rows matched by identity (match_indicators); `label` names the
    table's project ("#招商经费") or department (部门整体)."""
    lines: list[Line] = []
    for before, after, how in match_indicators(old, new):
        if before is None and after is not None:
            lines.append(("indicator-added", f"{label} 新增指标 {_path(after)}", None, after.target.raw, None))
        elif after is None and before is not None:
            lines.append(("indicator-removed", f"{label} 删除指标 {_path(before)}", before.target.raw, None, None))
        elif before is not None and after is not None:  # always, here: one side at least is an indicator
            if how == "moved":
                lines.append(("indicator-moved", f"{label} 指标 {after.name} 调整类别", _category(before),
                              _category(after), None))
            if how == "reworded":
                lines.append(("indicator-renamed", f"{label} 指标名称", before.name, after.name, None))
            subject = f"{label} {after.name}"
            if before.target.raw != after.target.raw:
                lines.append(("target-changed", f"{subject} 指标值", before.target.raw, after.target.raw,
                              _target_detail(before, after)))
            if before.basis != after.basis:
                lines.append(("basis-changed", f"{subject} 指标值确定依据", before.basis, after.basis, None))
            if before.description != after.description:
                lines.append(("description-changed", f"{subject} 绩效指标描述", before.description,
                              after.description, None))
            lines += [(*line, None) for line in diff_indicator_cells(before, after, subject)]
    return lines


def _money(value: Decimal | None, unit: str) -> str:
    return format_money(value, unit) if value is not None else "（空）"


def _category(indicator: Indicator) -> str:
    return f"{indicator.level1.canonical}/{indicator.level2.canonical}"


def _path(indicator: Indicator) -> str:
    return f"{_category(indicator)}/{indicator.name}"


def _target_detail(before: Indicator, after: Indicator) -> str | None:
    a, b = before.target, after.target
    notes = []
    if a.comparator != b.comparator and a.kind != "text" and b.kind != "text":
        notes.append(f"比较符号 {a.comparator or '无'} → {b.comparator or '无'}")
    if a.unit != b.unit and a.kind != "text" and b.kind != "text":
        notes.append(f"单位 {a.unit or '无'} → {b.unit or '无'}")
    return "；".join(notes) or None


def match_indicators(old: Iterable[Indicator], new: Iterable[Indicator]
                     ) -> list[tuple[Indicator | None, Indicator | None, str]]:
    """Pairs (before, after, how): how is "same", "moved" or "reworded"; unmatched sides are None."""
    pairs: list[tuple[Indicator | None, Indicator | None, str]] = []
    remaining_old = list(old)
    remaining_new = []
    for indicator in new:
        twin = next((o for o in remaining_old if _path(o) == _path(indicator)), None)
        if twin is not None:
            remaining_old.remove(twin)
            pairs.append((twin, indicator, "same"))
        else:
            remaining_new.append(indicator)
    still_new = []
    for indicator in remaining_new:
        twin = next((o for o in remaining_old if o.name == indicator.name), None)
        if twin is not None:
            remaining_old.remove(twin)
            pairs.append((twin, indicator, "moved"))
        else:
            still_new.append(indicator)
    unmatched_new = []
    for indicator in still_new:
        scored = [(difflib.SequenceMatcher(None, o.name, indicator.name).ratio(), o) for o in remaining_old
                  if _category(o) == _category(indicator)]
        scored.sort(key=lambda s: -s[0])
        if scored and scored[0][0] >= 0.8:
            remaining_old.remove(scored[0][1])
            pairs.append((scored[0][1], indicator, "reworded"))
        else:
            unmatched_new.append(indicator)
    pairs += [(None, indicator, "added") for indicator in unmatched_new]
    pairs += [(indicator, None, "removed") for indicator in remaining_old]
    return pairs


def render(changes: list[Change], fmt: str, title: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "markdown":
        lines = [f"# {title}", ""]
        lines += [f"- {c.text(markdown_text)}" for c in changes] or ["没有变化。"]
        return "\n".join(lines) + "\n"
    if fmt == "html":
        items = "\n".join(f"<li>{html.escape(c.text())}</li>" for c in changes) or "<li>没有变化。</li>"
        return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}'
                f"</title></head><body><h1>{html.escape(title)}</h1><ul>\n{items}\n</ul></body></html>\n")
    return "\n".join(c.text() for c in changes) + ("\n" if changes else "没有变化。\n")
