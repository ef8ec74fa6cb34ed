"""The 项目支出绩效目标申报表/批复表 family: each form of a source, its project record, and its unit.

Most provinces publish a project's targets as one form per project: a title (项目支出绩效目标申报表,
…批复表, 项目绩效目标申报表, 项目支出绩效目标表, often with a year: `（2024年度）`,
`2024年`), the header cells, the 资金情况 block, the goals and the indicator table. A form starts
at its title, or at its 项目名称 row when it has none; one source may hold several
(labels.PROJECT_TITLES). The head is read by form_head.py and the indicator table by
indicator_table.py, each cell verbatim.

The department is the unit of a unit line above the forms, as a Hebei disclosure writes it
(304001测试县交通运输局本级), else the unit the forms name as `CODE-名称` in 实施单位 (else 主管部门);
its scope is 本级 unless the name says otherwise (…机关), with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.base.messages import msg
from builder.base.patterns import Short
from builder.importers import labels
from builder.importers.cells import columns, label_key, which
from builder.importers.form_head import UNIT_TEXT, Head, is_form_line, read_head
from builder.importers.forms import read_code, split_numbered
from builder.importers.imported import Imported, ImportError_, Note
from builder.importers.indicator_table import header_columns, read_indicators
from builder.importers.sources import Block, Cell, Para, Row

# A Hebei heading (`1.XX项目支出绩效目标表`) is a project's, not this family's title.
_NUMBERED_HEADING = re.compile(r"^\d{1,3}[.、]")
# 304001-测试县交通运输局, [304001]测试县交通运输局, 304001 测试县交通运输局本级
UNIT_CELL = Short(r"^[\[【(（]?(\d{3,})[\]】)）]?\s*[-—－–_:：]?\s*(.+?)\s*(本级|机关本级|机关|本部)?$", 200)
# 项目负责人及电话 as one cell: 张三 13800000000, 张三/0315-5551234, 张三（电话：13800000000）
_MANAGER_PHONE = Short(r"^(?P<manager>[^\d\s/／,，、;；(（:：]+?)[\s/／,，、;；(（:：]*(?:联系)?(?:电话|手机)?[:：]?\s*"
                        r"(?P<phone>(?:\d{3,4}[-—－]?)?\d{7,8}|1\d{10})[)）]?$", 200)
_FIELDS = ("supervisor", "implementer", "manager", "phone", "kind", "attribute", "period")


@dataclass
class ProjectForm:
    title: Para | None  # None when the form starts at its 项目名称 row
    blocks: list[Block] = field(default_factory=list)
    named: bool = False  # its 项目名称 row has been seen
    tabled: bool = False  # its indicator table's header has been seen
    evidence: list[Para] = field(default_factory=list)  # the title and year lines: the budget year's evidence

    @property
    def where(self) -> str:
        return self.title.where if self.title else self.blocks[0].where if self.blocks else "?"


def form_title(block: Block) -> Para | None:
    """The title a block states when it starts a form of this family (a row of one cell may hold it)."""
    if isinstance(block, Para):
        text = block.text
    else:
        filled = [c for c in block.cells if c.text]
        if len(filled) != 1:
            return None
        text = filled[0].text
    bare = label_key(text.split("\n")[0])
    if len(bare) > 60 or _NUMBERED_HEADING.match(bare):
        return None
    if any(bare.endswith(label_key(title)) for title in labels.PROJECT_TITLES):
        return Para(text, block.where)
    return None


def _names_project(row: Row) -> bool:
    """A row with a 项目名称 cell, which is not a column's header (as in a sheet of many projects)."""
    return any(which(c.text, {"name": labels.PROJECT_CELLS["name"]}) for c in row.cells if c.text) and \
        header_columns(row) is None


def split_project_forms(blocks: list[Block]) -> tuple[list[Block], list[ProjectForm]]:
    """What comes before the first form, and each form with its blocks."""
    preamble: list[Block] = []
    forms: list[ProjectForm] = []
    pending: list[Block] = []  # a unit line after a form's indicator table belongs to the next form
    for block in blocks:
        title = form_title(block)
        current = forms[-1] if forms else None
        if title is not None:
            forms.append(ProjectForm(title, pending, evidence=[title]))
            pending = []
            continue
        if isinstance(block, Row) and _names_project(block):
            if current is None or current.named:
                current = ProjectForm(None, pending)
                forms.append(current)
                pending = []
            current.named = True
        elif (current is None or current.tabled) and isinstance(block, Para) and is_form_line(block.text):
            pending.append(block)  # 单位：万元, （2024年度）, a unit line: the next form's
            continue
        elif current is not None and isinstance(block, Row) and header_columns(block):
            current.tabled = True
        (current.blocks if current is not None else preamble).append(block)
    if forms:
        forms[-1].blocks += pending
    else:
        preamble += pending
    return preamble, forms


def read_project_form(form: ProjectForm, result: Imported) -> dict:
    number = len(result.projects) + 1
    key = f"project:{number}"
    title = form.title.text if form.title else "项目支出绩效目标表"
    index = next((i for i, b in enumerate(form.blocks) if isinstance(b, Row) and header_columns(b)), None)
    if index is None:
        raise no_indicator_header(form.blocks, form.where, title)
    head = read_head(key, form.blocks[:index])
    form.evidence += head.years
    result.notes += head.notes
    project: dict = {"heading": f"{title} ({form.where})" if form.title is None else title, "number": number}
    if head.unit_line is not None:
        project["unit_line"] = (head.unit_line.text, head.unit_line.where)
    _name_and_code(project, head, result, key, form.where)
    if head.money_unit is None:
        result.notes.append(Note(key, msg("project_forms.no_money_unit"), form.where, level="warning"))
    project["money_unit"] = head.money_unit[0] if head.money_unit else "元"
    for name in _FIELDS:
        cell = head.cells.get(name)
        if cell is not None and cell.text:
            project[name] = cell.text
            result.sources[(key, name)] = cell.where
    _manager_and_phone(project, head, result, key)
    budget = _budget(head, "year", result, key, "budget")
    if budget is None or "total" not in budget:
        raise ImportError_(form.where, msg("project_forms.no_total", name=project["name"]))
    project["budget"] = budget
    period_budget = _budget(head, "period", result, key, "period_budget")
    if period_budget is not None:
        project["period_budget"] = period_budget
    for goal_key in ("long_term_goals", "goals"):
        cells = [c for c in head.goals.get(goal_key, []) if c.text]
        if cells:
            project[goal_key] = [item for c in cells for item in split_numbered(c.text)]
            result.sources[(key, goal_key)] = cells[0].where
    if "goals" not in project:
        result.notes.append(Note(key, msg("project_forms.no_goals"), form.where, level="warning"))
        project["goals"] = ["（原文未填写）"]
    table = [b for b in form.blocks[index:] if isinstance(b, Row)]
    for para in (b for b in form.blocks[index:] if isinstance(b, Para)):
        result.notes.append(Note(key, msg("imported.text_not_placed", text=para.text), para.where))
    project["indicators"] = read_indicators(table, result, key)
    return project


def _name_and_code(project: dict, head: Head, result: Imported, key: str, where: str) -> None:
    name, code = head.cells.get("name"), head.cells.get("code")
    if code is not None and code.text:
        project["code"] = read_code(code, result, key)
        result.sources[(key, "code")] = code.where
    elif name is not None and (glued := re.match(r"^([0-9A-Za-z]{6,})\s*[-—－]\s*(.+)$", name.text)):
        result.notes.append(Note(key, msg("project_forms.code_from_name", name=name.text), name.where))
        project["code"] = glued.group(1)
        result.sources[(key, "code")] = name.where
        name = Cell(glued.group(2), name.where)
    else:
        raise ImportError_(where, msg("project_forms.no_code_of", name=name.text) if name and name.text
                           else msg("project_forms.no_code"))
    if name is None or not name.text:
        raise ImportError_(where, msg("project_forms.no_name", code=project["code"]))
    project["name"] = name.text
    result.sources[(key, "name")] = name.where


def _manager_and_phone(project: dict, head: Head, result: Imported, key: str) -> None:
    both = head.cells.get("manager_phone")
    if both is None or not both.text:
        return
    found = _MANAGER_PHONE.match(both.text.strip())
    result.sources[(key, "manager")] = both.where
    if found and "manager" not in project and "phone" not in project:
        project["manager"], project["phone"] = found.group("manager").strip(), found.group("phone")
        result.sources[(key, "phone")] = both.where
        result.notes.append(Note(key, msg("project_forms.manager_phone_split", text=both.text), both.where))
    elif "manager" not in project:
        project["manager"] = both.text
        result.notes.append(Note(key, msg("project_forms.manager_phone_whole", text=both.text), both.where,
                                 level="warning"))


def _budget(head: Head, period: str, result: Imported, key: str, path: str) -> dict | None:
    money, breakdown = head.money.get(period, {}), head.breakdown.get(period, [])
    if not money and not breakdown:
        return None
    budget: dict = {}
    for source in ("total", "fiscal", "other"):
        if source in money:
            budget[source] = money[source].text.replace(" ", "")
            result.sources[(key, f"{path}.{source}")] = money[source].where
    if breakdown:
        budget["breakdown"] = [{"name": name, "amount": cell.text.replace(" ", "")} for name, cell in breakdown]
        for i, (_, cell) in enumerate(breakdown):
            result.sources[(key, f"{path}.breakdown.{i}")] = cell.where
    if "total" not in budget and period == "period":
        first = next(iter(money.values()), None) or breakdown[0][1]
        result.notes.append(Note(key, msg("project_forms.no_period_total"), first.where, level="warning"))
        budget = {"total": "", **budget}
    return budget


def forms_unit(result: Imported) -> str:
    """The department's code, name and scope from a unit line above a form (304001测试县交通运输局本级)
    as in a Hebei disclosure, else from the forms' 实施单位 (else 主管部门) `CODE-名称`; where it was found."""
    department = result.department
    lines = [p["unit_line"] for p in result.projects if "unit_line" in p]
    if lines:
        text, where = lines[0]
        found = UNIT_TEXT.match(text)
        if found is not None:
            department["code"], department["name"] = found.group(1), found.group(2)
            department["scope"] = found.group(3) or "本级"
            result.notes.append(Note("department", msg("project_forms.unit_line", code=found.group(1),
                                                       name=found.group(2), text=text), where))
            if not found.group(3):
                result.notes.append(Note("department", msg("project_forms.no_scope_in_line"), where))
            result.sources[("department", "code")] = where
            _other_units(result, found.group(1))
            return where
    for index, project in enumerate(result.projects):
        key = f"project:{index + 1}"
        for cell_name in ("implementer", "supervisor"):
            found = UNIT_CELL.match(project.get(cell_name, ""))
            if found is None:
                continue
            where = result.sources[(key, cell_name)]
            department["code"], department["name"] = found.group(1), found.group(2)
            department["scope"] = found.group(3) or "本级"
            label = "实施单位" if cell_name == "implementer" else "主管部门"
            result.notes.append(Note("department", msg("project_forms.unit_cell", code=found.group(1),
                                                       name=found.group(2), label=label, text=project[cell_name]),
                                     where))
            if not found.group(3):
                result.notes.append(Note("department", msg("project_forms.no_scope_in_cell", label=label,
                                                           text=project[cell_name]), where))
            result.sources[("department", "code")] = where
            _other_units(result, found.group(1))
            return where
    raise ImportError_(result.source, msg("project_forms.no_unit_code"))


def _other_units(result: Imported, code: str) -> None:
    """A form of another unit is filed under this department too: say so on it."""
    for index, project in enumerate(result.projects):
        key = f"project:{index + 1}"
        found = UNIT_CELL.match(project.get("implementer", ""))
        if found is not None and found.group(1) != code:
            result.notes.append(Note(key, msg("project_forms.other_unit", unit=found.group(1), code=code),
                                     result.sources[(key, "implementer")], level="warning"))


def no_indicator_header(blocks: list, where: str, title: str) -> ImportError_:
    """The refusal of a form whose indicator header was not found, naming the row that came closest: which
    of 一级指标, 二级指标, 三级指标 and 指标值 it lacks, and the labels in it that import does not know."""
    rows = [b for b in blocks if isinstance(b, Row)]
    best = max(rows, key=lambda r: len(columns(r, labels.HEADER_SYNONYMS)), default=None)
    found = columns(best, labels.HEADER_SYNONYMS) if best is not None else {}
    if best is None or len(found) < 2:
        return ImportError_(where, msg("project_forms.no_indicator_table", title=title))
    missing = [labels.HEADER_SYNONYMS[k][0] for k in ("level1", "level2", "name", "target") if k not in found]
    unknown = [c.text for i, c in enumerate(best.cells) if c.text and i not in found.values()
               and which(c.text, {"block": labels.INDICATOR_BLOCK}) is None]
    if unknown:
        return ImportError_(best.where, msg("project_forms.header_lacks_unknown", title=title,
                                            missing=" / ".join(missing), unknown=", ".join(f"`{u}`" for u in unknown)))
    return ImportError_(best.where, msg("project_forms.header_lacks", title=title, missing=" / ".join(missing)))
