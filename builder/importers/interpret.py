"""Interpret: a stream of paragraphs and rows -> a department and its projects.

Cells are found by their labels, not their positions, because every export
moves them: spacer columns, merged cells blank or repeated, header synonyms
(指标值 / 年度指标值 / 目标值 …). Values are kept as written; where the
importer had to interpret (a year found in the text, a narrative matched to a
project by a similar name, glued paragraphs split), it says so in a note that
becomes a YAML comment. Text it cannot place is kept as a note, never dropped.

This module tells the layouts apart and reads part 1 (the department's text): a
Hebei disclosure (part 1, then `1.项目名称绩效目标表` headings, each project's
form read by forms.py) or the 项目支出绩效目标申报表/批复表 family (forms found
and read by project_forms.py), into the records of imported.py. A
部门整体支出绩效目标表 in the stream is handed to whole_forms.py, a flat sheet (one
row per indicator for many projects) to flat_sheets.py.
"""

from __future__ import annotations

import re

from builder.base.messages import msg
from builder.base.suggest import SAME, closest
from builder.content.frameworks import squeeze
from builder.content.numbering import NUMBERING
from builder.importers.flat_sheets import is_flat_sheet, read_flat
from builder.importers.forms import PROJECT_HEADING, read_project, split_numbered
from builder.importers.imported import Imported, ImportError_, Note
from builder.importers.metadata import read_metadata, read_year
from builder.importers.project_forms import ProjectForm, forms_unit, read_project_form, split_project_forms
from builder.importers.sources import Block, Para, Row
from builder.importers.whole_forms import read_whole, split_whole


def interpret(blocks: list[Block], year: int | None = None, source: str = "?") -> Imported:
    result = Imported(source=source)
    whole, rest = split_whole(blocks)  # a 部门整体支出绩效目标表, read by whole_forms.py
    if is_flat_sheet(rest):  # one row per indicator for many projects: flat_sheets.py
        read_flat(rest, result)
        annex_layout(result)
    else:
        part1, projects = split_parts(rest)
        preamble, forms = split_project_forms(rest)
        # A Hebei disclosure has numbered `1.项目名称绩效目标表` headings (a title such as
        # `2024年项目支出绩效目标表` is not one) and 项目名称 rows too: the family's forms are read only
        # where there are no Hebei headings.
        if forms and not projects:
            read_forms(rest, preamble, forms, result, year)
            annex_layout(result)
        elif projects:
            for heading, rows in projects:
                result.projects.append(read_project(heading, rows, result))
            read_department(rest, part1, result, year)
        elif whole is None:
            raise ImportError_(source, msg("interpret.no_tables"))
        else:
            _unplaced(part1, result)
    if whole is not None:
        read_whole(whole, result)
    if "year" not in result.department:
        read_year(blocks, result, year)  # the year every clue of the document gives (metadata.py)
    return result


def _unplaced(blocks: list[Block], result: Imported) -> None:
    """What a source holding only a 部门整体支出绩效目标表 has besides it: kept as notes."""
    for block in blocks:
        if isinstance(block, Para):
            result.notes.append(Note("department", msg("imported.text_not_placed", text=block.text), block.where))
        elif block.filled():
            text = " | ".join(c.text for c in block.filled())
            result.notes.append(Note("department", msg("interpret.row_not_placed", text=text), block.where,
                                     level="warning"))


def split_parts(blocks: list[Block]) -> tuple[list[Block], list[tuple[Para, list[Row]]]]:
    """Part 1 (everything before the first project heading) and each project's heading with its rows."""
    part1: list[Block] = []
    projects: list[tuple[Para, list[Row]]] = []
    for block in blocks:
        if isinstance(block, Para) and PROJECT_HEADING.match(block.text):
            projects.append((block, []))
        elif projects and isinstance(block, Row):
            projects[-1][1].append(block)
        elif projects and isinstance(block, Para):
            continue  # part headings between tables (第二部分) carry nothing to keep
        else:
            part1.append(block)
    return part1, projects


# --- part 1 -----------------------------------------------------------------------


def read_department(blocks: list[Block], part1: list[Block], result: Imported, year: int | None) -> None:
    """The department's code, name, scope, money unit and year from all the document states
    (metadata.py), then part 1's text."""
    cited = read_metadata(blocks, result, year)
    department = result.department
    unit_where = result.sources.get(("department", "code"), result.source)
    choose_framework(result, unit_where)
    paras = [b for b in part1 if isinstance(b, Para)]
    sections = split_sections(paras)
    overall = sections.get("overall", [])
    if overall:
        department["overall"] = {"title": overall[0].text, "duties": numbered_items(overall[1:], result)}
        result.sources[("department", "overall")] = overall[0].where
    else:
        department["overall"] = {"title": f"{department['name']}部门整体绩效", "duties": ["（原文未填写）"]}
        result.notes.append(Note("department", msg("interpret.no_overall"), unit_where))
    narrative = sections.get("narrative", [])
    if narrative:
        department["narrative"] = read_narrative(narrative, result)
    measures = sections.get("measures", [])
    if measures:
        department["measures"] = {"title": measures[0].text, "items": numbered_items(measures[1:], result)}
    for para in sections.get("unplaced", []):
        if para.where not in cited:  # a title the year or unit was read from is placed in its note
            result.notes.append(Note("department", msg("imported.text_not_placed", text=para.text), para.where))


def read_forms(blocks: list[Block], preamble: list[Block], forms: list[ProjectForm], result: Imported,
               year: int | None) -> None:
    """A source of 申报表/批复表 forms: a project each, the department they name, the year every clue of
    the document gives (metadata.py). The forms have no 第一部分 (总体绩效目标, 分项绩效目标): what comes
    before them is kept as notes."""
    for form in forms:
        result.projects.append(read_project_form(form, result))
    department = result.department
    unit_where = forms_unit(result)
    units = [p["money_unit"] for p in result.projects]
    department["money_unit"] = units[0]
    result.notes.append(Note("department", msg("interpret.money_unit_every_form", unit=units[0])
                             if len(set(units)) == 1 else
                             msg("interpret.money_unit_first_form", unit=units[0], count=units.count(units[0]),
                                 total=len(units)), unit_where))
    choose_framework(result, unit_where)
    cited = read_year(blocks, result, year)
    for block in preamble:
        if block.where in cited:
            continue  # a title the year was read from is placed in its note
        text = block.text if isinstance(block, Para) else " | ".join(c.text for c in block.cells if c.text)
        result.notes.append(Note("department", msg("imported.text_not_placed", text=text), block.where))


def annex_layout(result: Imported) -> None:
    """Projects read from 申报表/批复表 forms or a flat sheet have the 申报表's cells (主管部门, 实施期 money and
    goals …) and none of the Hebei form's (资金用途, 资金支出计划): their PDF annexes follow the 申报表."""
    result.department["form"] = "shenbao"
    result.notes.append(Note("department", msg("interpret.shenbao_annexes"),
                             result.sources.get(("department", "code"), result.source)))


def choose_framework(result: Imported, where: str) -> None:
    if any(squeeze(i.get("level1", "")) == "成本指标" for p in result.projects for i in p["indicators"]):
        result.department["framework"] = "caiyu-2021-101"
        result.notes.append(Note("department", msg("interpret.caiyu_framework"), where))


# Part 1's section headings, squeezed; `（节选）` (an excerpt) may follow. A heading may carry its
# section's text on the same line after a colon (`分项绩效目标（节选）：项目主要用于…`).
_EXCERPT = r"(?:[（(](?:节选|摘要|摘录)[）)])?"
SECTION_HEADINGS = {
    "overall": re.compile(rf"^(?:[一1][、.．]?)?(?:部门)?总体绩效目标{_EXCERPT}$"),
    "narrative": re.compile(rf"^(?:[二2][、.．]?)?分项绩效目标{_EXCERPT}$"),
    "measures": re.compile(rf"^(?:[三3][、.．]?)?(?:工作)?保障措施{_EXCERPT}$"),
}


def split_sections(paras: list[Para]) -> dict[str, list[Para]]:
    sections: dict[str, list[Para]] = {"unplaced": []}
    current = "unplaced"
    for para in paras:
        section, title, text = _heading(para)
        if section is not None:
            current = section
            sections[current] = []
            if text:  # the section's text on the heading's line: the heading is its title
                sections[current] += [Para(title, para.where), Para(text, para.where)]
        elif re.match(r"^第[一二]部分$|^部门整体绩效目标$|^预算项目绩效目标$", squeeze(para.text)):
            current = "unplaced" if current == "unplaced" else current
        else:
            sections[current].append(para)
    if sections["unplaced"] and all(re.match(r"^第.部分$|绩效目标$", squeeze(p.text)) for p in sections["unplaced"]):
        sections["unplaced"] = []
    return sections


def _heading(para: Para) -> tuple[str | None, str, str]:
    """The section a heading line starts, and when its text follows on the same line, the heading
    and that text apart ("", "" when it does not)."""
    colon = re.search(r"[:：]", para.text)
    for section, pattern in SECTION_HEADINGS.items():
        if pattern.match(squeeze(para.text)):
            return section, "", ""
        if colon and para.text[colon.end():].strip() and pattern.match(squeeze(para.text[:colon.start()])):
            return section, para.text[:colon.start()].strip(), para.text[colon.end():].strip()
    return None, "", ""


def numbered_items(paras: list[Para], result: Imported) -> list[str]:
    items: list[str] = []
    for para in paras:
        parts = split_numbered(para.text)
        if len(parts) > 1:
            result.notes.append(Note("department", msg("interpret.numbered_items", count=len(parts)), para.where))
        for part in parts:
            if items and not NUMBERING.match(part):
                items[-1] += "\n" + part
            else:
                items.append(part)
    return items


def read_narrative(paras: list[Para], result: Imported) -> dict:
    narrative: dict = {"title": paras[0].text, "items": []}
    names = {p["name"]: p for p in result.projects}
    body = paras[1:]
    for para in body:
        item_index = len(narrative["items"]) - 1
        match = _project_for(para.text, names)
        is_name_line = len(para.text) <= 30 and not re.search(r"[，。；：:]", para.text)
        if is_name_line:
            item = {"name": para.text, "paragraphs": []}
            result.sources[("department", f"narrative.items.{item_index + 1}.name")] = para.where
            if match:
                item["project"] = match["code"]
                if squeeze(match["name"]).lstrip("#") != squeeze(para.text):
                    result.notes.append(Note(f"narrative:{para.text}", msg("interpret.narrative_matched",
                                             code=match["code"], name=match["name"]), para.where))
            narrative["items"].append(item)
        elif narrative["items"]:
            paragraphs = narrative["items"][-1]["paragraphs"]
            result.sources[("department", f"narrative.items.{item_index}.paragraphs.{len(paragraphs)}")] = para.where
            paragraphs.append(para.text)
        elif "intro" not in narrative:
            narrative["intro"] = para.text
            result.sources[("department", "narrative.intro")] = para.where
        else:
            narrative["intro"] += "\n" + para.text
    narrative["items"] = [i for i in narrative["items"] if i["paragraphs"]]
    return narrative


def _project_for(text: str, projects: dict[str, dict]) -> dict | None:
    by_name: dict[str, dict] = {}
    for name, project in projects.items():
        by_name.setdefault(squeeze(name).lstrip("#"), project)
    match = closest(squeeze(text).lstrip("#"), by_name, SAME)
    return by_name[match] if match is not None else None
