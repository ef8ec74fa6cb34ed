"""Interpret: a stream of paragraphs and rows -> a department and its projects.

Cells are found by their labels, not their positions, because every export
moves them: spacer columns, merged cells blank or repeated, header synonyms
(指标值 / 年度指标值 / 目标值 …). Values are kept as written; where the
importer had to interpret (a year found in the text, a narrative matched to a
project by a similar name, glued paragraphs split), it says so in a note that
becomes a YAML comment. Text it cannot place is kept as a note, never dropped.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field

from builder.content.frameworks import squeeze
from builder.importers.errors import ImportProblem
from builder.importers.sources import Block, Cell, Para, Row

HEADER_SYNONYMS = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "三级指标名称", "指标名称"),
    "description": ("绩效指标描述", "指标描述", "指标解释", "指标内容"),
    "target": ("指标值", "年度指标值", "目标值", "绩效指标值", "年度目标值", "指标目标值"),
    "basis": ("指标值确定依据", "指标标准或依据", "绩效标准", "指标值设定依据", "确定依据", "评（扣）分标准"),
}
_NUMBERED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十百\d]+[）)]|[一二三四五六七八九十]+、|\d+[、.．]|[①-⑳])")
_PROJECT_HEADING = re.compile(r"^\s*(\d+)\s*[.．、]?\s*(.+?)\s*绩效目标表\s*$")
_MILESTONE = re.compile(r"^(\d{1,2}月(底|末|份)?|第[一二三四1-4]季度(末)?|[一二三四1-4]季度(末)?|年底|年末|上半年|下半年)$")
_UNIT_LINE = re.compile(r"^(\d{3,})\s*(.+?)\s*(本级|机关本级|机关|本部)?$")
_SCOPES = ("本级", "机关本级", "机关", "本部")


@dataclass
class Note:
    """Something the importer interpreted or could not place; becomes a YAML comment."""

    key: str  # where in the output it belongs: "department", "project:CODE", or a field path
    text: str
    where: str  # source position


@dataclass
class Imported:
    department: dict = field(default_factory=dict)
    projects: list[dict] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    sources: dict = field(default_factory=dict)  # (file key, field path) -> source position
    source: str = "?"  # the file's name: the position of what is missing from the whole file


class ImportError_(ImportProblem):
    """The source has no shape we can read a disclosure from."""


def interpret(blocks: list[Block], year: int | None = None, source: str = "?") -> Imported:
    result = Imported(source=source)
    part1, projects = split_parts(blocks)
    if not projects:
        raise ImportError_(source, "no 预算项目绩效目标表 found (a heading like `1.项目名称绩效目标表` followed by a table)",
                           "is this a 预算绩效目标 disclosure? Its project tables are what import reads")
    for heading, rows in projects:
        result.projects.append(read_project(heading, rows, result))
    read_department(part1, result, year)
    return result


def split_parts(blocks: list[Block]) -> tuple[list[Block], list[tuple[Para, list[Row]]]]:
    """Part 1 (everything before the first project heading) and each project's heading with its rows."""
    part1: list[Block] = []
    projects: list[tuple[Para, list[Row]]] = []
    for block in blocks:
        if isinstance(block, Para) and _PROJECT_HEADING.match(block.text):
            projects.append((block, []))
        elif projects and isinstance(block, Row):
            projects[-1][1].append(block)
        elif projects and isinstance(block, Para):
            continue  # part headings between tables (第二部分) carry nothing to keep
        else:
            part1.append(block)
    return part1, projects


# --- a project's form -------------------------------------------------------------


def _label_is(text: str, *labels: str) -> bool:
    bare = squeeze(text)
    return any(bare == squeeze(label) or bare.startswith(squeeze(label)) for label in labels)


def _after(row: Row, *labels: str) -> Cell | None:
    """The first filled cell after the cell labelled `labels` in `row`."""
    cells = list(row.cells)
    for i, cell in enumerate(cells):
        if cell.text and _label_is(cell.text, *labels):
            for later in cells[i + 1:]:
                if later.text:
                    return later
            return Cell("", cell.where)
    return None


def read_project(heading: Para, rows: list[Row], result: Imported) -> dict:
    project: dict = {}
    key = f"project:{len(result.projects) + 1}"
    heading_match = _PROJECT_HEADING.match(heading.text)
    if heading_match is None:  # split_projects chose the headings by this pattern
        raise ValueError(f"not a project heading: {heading.text!r}")
    number, title = heading_match.groups()
    header_index = next((i for i, row in enumerate(rows) if _header_map(row)), None)
    if header_index is None:
        raise ImportError_(heading.where, f"the table of `{heading.text}` has no indicator header "
                           "(一级指标 / 二级指标 / 三级指标 / 指标值 …)", "is the table cut in half?")
    form, table = rows[:header_index], rows[header_index:]

    unit_money = "元"
    for row in form:
        for cell in row.cells:
            m = re.match(r"^单位[:：]\s*(万元|元)$", squeeze(cell.text))
            if m:
                unit_money = m.group(1)
            elif _UNIT_LINE.match(cell.text) and "unit_line" not in project:
                project["unit_line"] = (cell.text, cell.where)
    code = name = None
    for row in form:
        code = code or _after(row, "项目编码", "项目代码")
        name = name or _after(row, "项目名称")
    if code is None or not code.text:
        raise ImportError_(heading.where, f"no 项目编码 in the table of `{heading.text}`")
    project["code"] = _code(code, result, key)
    result.sources[(key, "code")] = code.where
    project["name"] = name.text if name and name.text else title
    if name is None or not name.text:
        result.notes.append(Note(key, f"项目名称 taken from the heading `{heading.text}`", heading.where))
    if name and name.text and squeeze(name.text) != squeeze(title):
        result.notes.append(Note(key, f"the heading calls this project `{title}`", heading.where))
    project["money_unit"] = unit_money
    project["budget"] = read_budget(form, result, key, heading.where)
    project["purpose"] = read_purpose(form, result, key)
    project["spending_plan"] = read_plan(form, result, key)
    project["goals"] = read_goals(form, result, key)
    project["indicators"] = read_indicators(table, result, key)
    project["number"] = int(number)
    return project


def _code(cell: Cell, result: Imported, key: str) -> str:
    glued = re.match(r"^([0-9A-Za-z]+)\s*[-—－]\s*(.+)$", cell.text)  # 51000021R000000019951-工资性支出
    if glued:
        result.notes.append(Note(key, f"code and name were glued together: `{cell.text}`", cell.where))
        return glued.group(1)
    return squeeze(cell.text)


def read_budget(form: list[Row], result: Imported, key: str, heading: str) -> dict:
    budget = {}
    for row in form:
        for field_name, labels in (("total", ("预算数", "预算金额", "年度预算数", "资金总额")),
                                   ("fiscal", ("其中：财政资金", "财政资金", "其中:财政资金", "财政拨款")),
                                   ("other", ("其他资金",))):
            cell = _after(row, *labels)
            if cell is not None and field_name not in budget:
                value = cell.text
                # The cell after the label may be the next label when the amount is blank.
                if any(_label_is(value, *ls) for ls in (("其中：财政资金", "财政资金"), ("其他资金",))):
                    value = ""
                budget[field_name] = value.replace(" ", "")
                result.sources[(key, f"budget.{field_name}")] = cell.where
    if "total" not in budget:
        raise ImportError_(form[0].where if form else heading, "no 预算数 in a project table")
    return budget


def read_purpose(form: list[Row], result: Imported, key: str) -> str:
    for i, row in enumerate(form):
        if any(_label_is(c.text, "预算规模及资金用途", "资金用途") for c in row.cells if c.text):
            # The purpose is the longest text in the rows of this block that is not a label or an amount.
            for later in form[i:i + 3]:
                texts = [c for c in later.filled() if len(c.text) > 12 and not re.fullmatch(r"[\d,.]+", c.text)]
                if texts and not _label_is(texts[0].text, "预算规模及资金用途"):
                    result.sources[(key, "purpose")] = texts[0].where
                    return texts[0].text
    result.notes.append(Note(key, "no 资金用途 found; fill in `purpose`", form[0].where if form else "?"))
    return "（原文未填写）"


def read_plan(form: list[Row], result: Imported, key: str) -> list[dict]:
    for i, row in enumerate(form):
        cells = list(row.cells)
        labels = [(j, c) for j, c in enumerate(cells) if _MILESTONE.match(squeeze(c.text))]
        if len(labels) >= 2 and i + 1 < len(form):
            below = list(form[i + 1].cells)
            plan = []
            for j, label in labels:
                percent = below[j].text if j < len(below) else ""
                plan.append({"milestone": squeeze(label.text), "percent": squeeze(percent) or "0%"})
                if not percent:
                    result.notes.append(Note(key, f"no percent under {label.text}; 0% assumed", label.where))
            result.sources[(key, "spending_plan")] = row.where
            return plan
    result.notes.append(Note(key, "no 资金支出计划 found; 12月底 100% assumed", form[0].where if form else "?"))
    return [{"milestone": "12月底", "percent": "100%"}]


def read_goals(form: list[Row], result: Imported, key: str) -> list[str]:
    for row in form:
        cell = _after(row, "绩效目标", "年度绩效目标", "年度目标")
        if cell is not None and cell.text:
            result.sources[(key, "goals")] = cell.where
            return split_numbered(cell.text)
    result.notes.append(Note(key, "no 绩效目标 found; fill in `goals`", form[0].where if form else "?"))
    return ["（原文未填写）"]


def split_numbered(text: str) -> list[str]:
    """Numbered items, one per line or glued on one line ("…。 3、…")."""
    items: list[str] = []
    for line in text.split("\n"):
        for part in re.split(r"\s+(?=(?:\d+[、.．]|[（(][一二三四五六七八九十\d]+[）)]))", line.strip()):
            part = part.strip()
            if not part:
                continue
            if items and not _NUMBERED.match(part):
                items[-1] += "\n" + part  # a paragraph that continues the item above
            else:
                items.append(part)
    return items


def _header_map(row: Row) -> dict[str, int] | None:
    mapping: dict[str, int] = {}
    for i, cell in enumerate(row.cells):
        bare = squeeze(cell.text)
        for key, synonyms in HEADER_SYNONYMS.items():
            if key not in mapping and bare in synonyms:
                mapping[key] = i
    return mapping if {"level1", "level2", "name", "target"} <= set(mapping) else None


def _column(cells: list[Cell], columns: dict[str, int], name: str) -> Cell | None:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else None


def read_indicators(table: list[Row], result: Imported, key: str) -> list[dict]:
    columns = _header_map(table[0]) or {}  # read_project cut the table at this header row
    indicators: list[dict] = []
    for row in table[1:]:
        if header := _header_map(row):  # the header repeated on a new page
            columns = header
            continue
        cells = list(row.cells)
        get = functools.partial(_column, cells, columns)
        if not any(c.text for c in cells):
            continue
        level3, target = get("name"), get("target")
        if level3 is None or not level3.text or target is None:
            text = " | ".join(c.text for c in cells if c.text)
            result.notes.append(Note(key, f"a table row that is not an indicator was left out: {text}", row.where))
            continue
        indicator: dict = {}
        for field_name in ("level1", "level2"):
            cell = get(field_name)
            if cell is not None and cell.text:
                indicator[field_name] = cell.text
        indicator["name"] = level3.text
        description = get("description")
        if description is not None and description.text:
            indicator["description"] = description.text
        indicator["target"] = target.text or "（原文未填写）"
        if not target.text:
            result.notes.append(Note(key, f"no 指标值 for `{level3.text}`", target.where))
        basis = get("basis")
        if basis is not None and basis.text:
            indicator["basis"] = basis.text
        result.sources[(key, f"indicators.{len(indicators)}")] = row.where
        result.sources[(key, f"indicators.{len(indicators)}.target")] = target.where
        indicators.append(indicator)
    return indicators


# --- part 1 -----------------------------------------------------------------------


def read_department(part1: list[Block], result: Imported, year: int | None) -> None:
    department = result.department
    first = result.projects[0]
    unit_text, unit_where = first.get("unit_line", ("", "?"))
    m = _UNIT_LINE.match(unit_text)
    if m:
        department["code"], department["name"] = m.group(1), m.group(2)
        department["scope"] = m.group(3) or "本级"
        if not m.group(3):
            result.notes.append(Note("department", "scope not stated in the unit line; 本级 assumed", unit_where))
        result.sources[("department", "code")] = unit_where
    else:
        raise ImportError_(result.source if unit_where == "?" else unit_where,
                           "no unit line (单位编码 and name, e.g. 304001玉田县商务和投资促进局本级)")
    department["money_unit"] = first["money_unit"]
    if any(squeeze(i.get("level1", "")) == "成本指标" for p in result.projects for i in p["indicators"]):
        department["framework"] = "caiyu-2021-101"
        result.notes.append(Note("department", "成本指标 is a first-level category here: the 财预〔2021〕101号 "
                                 "framework is chosen", unit_where))
    paras = [b for b in part1 if isinstance(b, Para)]
    department["year"] = year if year is not None else infer_year(paras, result)
    if year is not None:
        result.sources[("department", "year")] = "--year"
    sections = split_sections(paras)
    overall = sections.get("overall", [])
    if overall:
        department["overall"] = {"title": overall[0].text, "duties": numbered_items(overall[1:], result)}
        result.sources[("department", "overall")] = overall[0].where
    else:
        department["overall"] = {"title": f"{department['name']}部门整体绩效", "duties": ["（原文未填写）"]}
        result.notes.append(Note("department", "no 总体绩效目标 section found", unit_where))
    narrative = sections.get("narrative", [])
    if narrative:
        department["narrative"] = read_narrative(narrative, result)
    measures = sections.get("measures", [])
    if measures:
        department["measures"] = {"title": measures[0].text, "items": numbered_items(measures[1:], result)}
    for para in sections.get("unplaced", []):
        result.notes.append(Note("department", f"text not placed: {para.text}", para.where))


def infer_year(paras: list[Para], result: Imported) -> int:
    years = re.findall(r"(20\d\d)年", "\n".join(p.text for p in paras))
    for project in result.projects:
        years += re.findall(r"(20\d\d)年", " ".join(str(i.get("basis", "")) for i in project["indicators"]))
    if not years:
        raise ImportError_(result.source, "no budget year found in the text", "give it with --year")
    year = max(set(years), key=lambda y: (years.count(y), y))
    where = paras[0].where if paras else result.source
    result.notes.append(Note("department", f"year {year} is the year the text names most often; "
                             "check it (or give --year)", where))
    result.sources[("department", "year")] = where
    return int(year)


def split_sections(paras: list[Para]) -> dict[str, list[Para]]:
    sections: dict[str, list[Para]] = {"unplaced": []}
    current = "unplaced"
    for para in paras:
        bare = squeeze(para.text)
        if re.match(r"^[一1][、.．]?总体绩效目标$", bare):
            current = "overall"
            sections[current] = []
        elif re.match(r"^[二2][、.．]?分项绩效目标$", bare):
            current = "narrative"
            sections[current] = []
        elif re.match(r"^[三3][、.．]?(工作)?保障措施$", bare):
            current = "measures"
            sections[current] = []
        elif re.match(r"^第[一二]部分$|^部门整体绩效目标$|^预算项目绩效目标$", bare):
            current = "unplaced" if current == "unplaced" else current
        else:
            sections[current].append(para)
    if sections["unplaced"] and all(re.match(r"^第.部分$|绩效目标$", squeeze(p.text)) for p in sections["unplaced"]):
        sections["unplaced"] = []
    return sections


def numbered_items(paras: list[Para], result: Imported) -> list[str]:
    items: list[str] = []
    for para in paras:
        parts = split_numbered(para.text)
        if len(parts) > 1:
            result.notes.append(Note("department", f"{len(parts)} numbered items shared one paragraph; "
                                     "each is its own item here", para.where))
        for part in parts:
            if items and not _NUMBERED.match(part):
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
                    result.notes.append(Note(f"narrative:{para.text}",
                                             f"matched to project {match['code']}, which the table calls "
                                             f"`{match['name']}`", para.where))
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
    bare = squeeze(text).lstrip("#")
    best, best_score = None, 0.0
    for name, project in projects.items():
        score = difflib.SequenceMatcher(None, bare, squeeze(name).lstrip("#")).ratio()
        if score > best_score:
            best, best_score = project, score
    return best if best_score >= 0.75 else None
