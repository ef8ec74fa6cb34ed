"""Lint: what a finance bureau's reviewer looks for in a disclosure, and misses.

Warnings, never errors: the narrative (分项绩效目标) against the tables it
describes, a stated total against the projects it lists, goals no indicator
seems to measure, and (category_drift.py) the same indicator filed under
different categories. Runs inside `check`, on the validated records. What the
narrative's checks find is also kept for the pages (assemble.NarrativeFindings):
a notice beside the sentence it concerns, the department's text as published.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from builder.base.diagnostics import Pos, Report
from builder.base.messages import msg
from builder.base.money import format_money
from builder.base.numbers import read_number
from builder.base.suggest import SAME, closest, similarity
from builder.check.category_drift import Filed, lint_category_drift
from builder.check.indicator_columns import fold_name
from builder.content.assemble import NarrativeFindings
from builder.content.fields import INVALID, Values
from builder.content.frameworks import Framework, squeeze
from builder.content.model import NarrativeNotice, Numbered
from builder.content.targets import MONEY_FACTORS, TargetError, parse_target

_STATED_VALUE = re.compile(r"(\d+)、([^。]*?)[，,]?\s*指标值为\s*([^。；;，,]+)")
_STATED_COUNT = re.compile(r"下设\s*(\d+)\s*个[^，。；]*?指标")
_STATED_LEVEL1 = re.compile(r"共设(.+?)(?:[一二两三四五六\d]+)个一级指标")
_STATED_TOTAL = re.compile(r"(?:需安排|安排|共计|合计)[^，。]*?支出\s*(\d+(?:\.\d+)?)\s*(万元|万|元)")
_LISTED_AMOUNT = re.compile(r"([\u4e00-\u9fff#（）()]+?)\s*(\d+(?:\.\d+)?)\s*(万元|万|元)")
# How alike a name in the narrative must be to a table's to be taken for it: above suggest.SAME,
# since short names that share a word (完成率, 完成及时率: 0.75) are different indicators, while a word
# added or changed in a long name (开展产业优势项目… for 开展产业优势产业项目…: 0.94) is a misspelling.
NAME_ALIKE = 0.8


def lint_department(department: Values, projects: list[Values], framework: Framework | None,
                    report: Report, findings: NarrativeFindings | None = None) -> tuple[Filed, ...]:
    """The department's lint; returns its projects' filings for the comparison across years
    (category_drift.lint_across_years). What the narrative's checks find goes to `findings` too."""
    by_code = {p.get("code"): p for p in projects if p.ok("code", "indicators")}
    unit = department.get("money_unit") or "元"
    findings = findings if findings is not None else NarrativeFindings()
    if department.ok("narrative"):
        narrative = department.get("narrative")
        for n, item in enumerate(narrative.get("items") or []):
            if item and item.ok("project", "paragraphs") and item.get("project") in by_code:
                lint_narrative_item(item, by_code[item.get("project")], report, findings, n)
        if narrative.ok("intro"):
            lint_stated_total(narrative, list(by_code.values()), unit, report, findings)
    for project in by_code.values():
        lint_goals(project, report)
    return lint_category_drift(department, projects, framework, report) if framework is not None else ()


def lint_narrative_item(item: Values, project: Values, report: Report, findings: NarrativeFindings,
                        index: int) -> None:
    """The narrative's item number `index` (from 0) against its project's table."""
    indicators = [i for i in project.get("indicators") if i]
    name = item.get("name") or ""
    if project.ok("name") and squeeze(name).lstrip("#") != squeeze(project.get("name")).lstrip("#"):
        report.warning(item.where("name"), msg("lint.narrative_project_name", code=project.get("code"), name=name,
                                               table_name=project.get("name")))
        findings.add((index, findings.NAME), NarrativeNotice("name", name, project.get("name")))
    paragraphs = item.get("paragraphs")
    for p, (position, text) in enumerate(zip(paragraphs.positions, paragraphs, strict=True)):
        if text is INVALID:
            continue

        def notice(m: re.Match, kind: str, said: str, table: str, subject: str = "", p: int = p) -> None:
            findings.add((index, p), NarrativeNotice(kind, said, table, m.start(), m.end(), subject))

        for m in _STATED_COUNT.finditer(text):
            if read_number(m.group(1)) not in (None, len(indicators)):
                report.warning(position, msg("lint.narrative_count", stated=m.group(1), quote=m.group(0),
                                             code=project.get("code"), count=len(indicators)))
                notice(m, "count", m.group(1), str(len(indicators)))
        for m in _STATED_LEVEL1.finditer(text):
            named = [n for n in re.split(r"[、和及与]", m.group(1)) if n]
            table = list(dict.fromkeys(i.get("level1") for i in indicators if i.get("level1")))
            for level1 in named:
                if level1 not in table:
                    report.warning(position, msg("lint.narrative_level1", level1=level1, code=project.get("code"),
                                                 table="、".join(table)))
                    notice(m, "level1", level1, "、".join(table))
        for m in _STATED_VALUE.finditer(text):
            lint_stated_value(m, indicators, project, position, report, notice)


# Keeps what a check of the narrative found for the pages: (match, kind, said, table, subject).
Notice = Callable[..., None]


def lint_stated_value(m: re.Match, indicators: list[Values], project: Values, position: Pos, report: Report,
                      notice: Notice) -> None:
    number, path, stated = read_number(m.group(1)), squeeze(m.group(2)), m.group(3).strip()
    if number is None:
        return  # not a number we can trust (numbers.py): say nothing rather than something wrong
    # The item's own words name its indicator, as the table spells it or nearly; its number is the
    # fallback (prose numbering drifts).
    named = [i for i in indicators if i.ok("name") and squeeze(i.get("name")) in path]
    alike = None if named else spelt_alike(path, indicators)
    if named:
        indicator = max(named, key=lambda i: len(i.get("name")))
    elif alike is not None:
        indicator = alike[0]
    elif 1 <= number <= len(indicators):
        indicator = indicators[int(number) - 1]
    else:
        report.warning(position, msg("lint.stated_indicator_missing", number=number, stated=stated,
                                     code=project.get("code"), count=len(indicators)))
        notice(m, "missing", m.group(1), str(len(indicators)))
        return
    if not indicator.ok("target"):
        return
    table = indicator.get("target")
    try:
        said = parse_target(stated)
    except TargetError:
        return
    same = (said.comparator, said.value, said.unit, said.upper) == (
        table.comparator, table.value, table.unit, table.upper)
    if said.kind == "text" or same:
        return
    at = indicator.where("target")  # in the project's file: named from the department's folder, where the finding is
    line = f"{Path(at.path).parent.name}/{Path(at.path).name}:{at.line}"
    notice(m, "value" if named else "value_of", stated, table.raw, "" if named else indicator.get("name"))
    if named:
        report.warning(position, msg("lint.stated_value_named", number=number, name=indicator.get("name"),
                                     stated=stated, table=table.raw, line=line))
    elif alike is not None:
        report.warning(position, msg("lint.stated_value_alike", number=number, spelt=alike[1], stated=stated,
                                     table=table.raw, name=indicator.get("name"), line=line))
    else:
        report.warning(position, msg("lint.stated_value_numbered", number=number, stated=stated,
                                     name=indicator.get("name"), table=table.raw, line=line))


def spelt_alike(path: str, indicators: list[Values]) -> tuple[Values, str] | None:
    """The indicator whose name a part of the narrative's `产出指标—数量指标—NAME--description` spells
    nearly as the table does (NAME_ALIKE), and that part; the most alike wins, the first of equals."""
    best: tuple[Values, str] | None = None
    best_score = NAME_ALIKE
    for part in re.split(r"[-—－–]+", path):
        folded = fold_name(part)
        if len(folded) < 2:
            continue
        for indicator in indicators:
            if indicator.ok("name"):
                score = similarity(folded, fold_name(indicator.get("name")))
                if score >= best_score and (best is None or score > best_score):
                    best, best_score = (indicator, part.strip()), score
    return best


def lint_stated_total(narrative: Values, projects: list[Values], unit: str, report: Report,
                      findings: NarrativeFindings) -> None:
    intro = narrative.get("intro")
    m = _STATED_TOTAL.search(intro)
    if not m:
        return
    pos = narrative.where("intro")
    total = read_number(m.group(1))
    if total is None:
        return
    stated = _in(total, m.group(2), unit)
    listed = []
    for listing in _LISTED_AMOUNT.finditer(intro, m.end()):
        name, amount, amount_unit = listing.groups()
        name = re.sub(r"^(其中|包括)[：:]?", "", name)
        project = _closest_project(name, projects)
        value = read_number(amount)
        if value is None:
            return
        listed.append((name, _in(value, amount_unit, unit), project, listing))
    listed_total = sum((a for _, a, _, _ in listed), Decimal(0))

    def notice(at: re.Match, kind: str, said: str, table: str = "", subject: str = "") -> None:
        findings.add(findings.INTRO, NarrativeNotice(kind, said, table, at.start(), at.end(), subject))

    if listed and listed_total != stated:
        report.warning(pos, msg("lint.stated_total", stated=format_money(stated, unit),
                                listed=format_money(listed_total, unit)))
        notice(m, "total", format_money(stated, unit), format_money(listed_total, unit))
    for name, amount, project, listing in listed:
        if project is None:
            report.warning(pos, msg("lint.listed_unknown", name=name, amount=format_money(amount, unit)))
            notice(listing, "unmatched", format_money(amount, unit), subject=name)
        elif project.ok("budget") and project.get("budget").ok("total"):
            budget = project.get("budget").get("total").value
            if budget is not None and budget != amount:
                report.warning(pos, msg("lint.listed_budget", name=name, amount=format_money(amount, unit),
                                        code=project.get("code"), budget=format_money(budget, unit)))
                notice(listing, "amount", format_money(amount, unit), format_money(budget, unit), name)


def _in(amount: Decimal, written: str, unit: str) -> Decimal:
    written = {"万": "万元"}.get(written, written)
    return amount * MONEY_FACTORS[written] / MONEY_FACTORS[unit]


def _closest_project(name: str, projects: list[Values]) -> Values | None:
    by_name: dict[str, Values] = {}
    for project in projects:
        by_name.setdefault(squeeze(project.get("name") or "").lstrip("#"), project)
    match = closest(squeeze(name).lstrip("#"), by_name, SAME)
    return by_name[match] if match is not None else None


def _bigrams(text: str) -> set[str]:
    chinese = re.sub(r"[^\u4e00-\u9fff]", " ", text)
    return {word[i:i + 2] for word in chinese.split() for i in range(len(word) - 1)}


# Words every goal and indicator shares; they say nothing about what is measured.
_COMMON = _bigrams("工作项目开展推进进一提高加强完善做好确保相关有效")


def lint_goals(project: Values, report: Report) -> None:
    """A goal that shares no words with any indicator is probably measured by none."""
    if not project.ok("goals"):
        return
    words = set()
    for indicator in project.get("indicators"):
        if indicator:
            for key in ("name", "description", "target"):
                value = indicator.get(key)
                words |= _bigrams(value if isinstance(value, str) else getattr(value, "raw", ""))
    words -= _COMMON
    for position, goal in project.get("goals").valid():
        text = Numbered.parse(goal).text
        if not (_bigrams(text) - _COMMON) & words:
            report.warning(position, msg("lint.goal_unmeasured", code=project.get("code")))
