"""A project's 绩效目标表: the form's cells (code, budget, purpose, spending plan, goals) and its
indicator table -> one project record.

Cells are found by their labels, not their positions (see interpret.py); the indicator table by
its header, under any of its names (indicator_table.py).
"""

from __future__ import annotations

import re

from builder.base.messages import msg
from builder.base.patterns import Short
from builder.content.frameworks import squeeze
from builder.content.numbering import GLUED_ITEM, NUMBERING
from builder.importers.imported import Imported, ImportError_, Note
from builder.importers.indicator_table import header_columns, read_indicators
from builder.importers.labels import HEBEI_CELLS
from builder.importers.sources import Cell, Para, Row

# `1.招商经费绩效目标表`; not a title `2024年项目支出绩效目标表`, whose number is a year.
PROJECT_HEADING = Short(r"^\s*(\d+)(?!\d|\s*年)\s*[.．、]?\s*(.+?)\s*绩效目标表\s*$", 300)
_MILESTONE = re.compile(r"^(\d{1,2}月(底|末|份)?|第[一二三四1-4]季度(末)?|[一二三四1-4]季度(末)?|年底|年末|上半年|下半年)$")
UNIT_LINE = Short(r"^(\d{3,})\s*(.+?)\s*(本级|机关本级|机关|本部)?$", 200)


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
    heading_match = PROJECT_HEADING.match(heading.text)
    if heading_match is None:  # split_projects chose the headings by this pattern
        raise ValueError(f"not a project heading: {heading.text!r}")  # a bug, not the source's fault
    number, title = heading_match.groups()
    header_index = next((i for i, row in enumerate(rows) if header_columns(row)), None)
    if header_index is None:
        raise ImportError_(heading.where, msg("forms.no_indicator_header", heading=heading.text))
    form, table = rows[:header_index], rows[header_index:]

    unit_money = "元"
    for row in form:
        for cell in row.cells:
            m = re.match(r"^单位[:：]\s*(万元|元)$", squeeze(cell.text))
            if m:
                unit_money = m.group(1)
            elif UNIT_LINE.match(cell.text) and "unit_line" not in project:
                project["unit_line"] = (cell.text, cell.where)
    code = name = None
    for row in form:
        code = code or _after(row, *HEBEI_CELLS["code"])
        name = name or _after(row, *HEBEI_CELLS["name"])
    if code is None or not code.text:
        raise ImportError_(heading.where, msg("forms.no_code", heading=heading.text))
    project["code"] = read_code(code, result, key)
    result.sources[(key, "code")] = code.where
    project["name"] = name.text if name and name.text else title
    if name is None or not name.text:
        result.notes.append(Note(key, msg("forms.name_from_heading", heading=heading.text), heading.where))
    if name and name.text and squeeze(name.text) != squeeze(title):
        result.notes.append(Note(key, msg("forms.heading_name", name=title), heading.where))
    project["money_unit"] = unit_money
    project["budget"] = read_budget(form, result, key, heading.where)
    project["purpose"] = read_purpose(form, result, key)
    project["spending_plan"] = read_plan(form, result, key)
    project["goals"] = read_goals(form, result, key)
    project["indicators"] = read_indicators(table, result, key)
    project["number"] = int(number)
    return project


def read_code(cell: Cell, result: Imported, key: str) -> str:
    """The project code a cell holds: the code of a glued `CODE-名称` (with a note), else the cell unspaced."""
    glued = re.match(r"^([0-9A-Za-z]+)\s*[-—－]\s*(.+)$", cell.text)  # 51000021R000000019951-工资性支出
    if glued:
        result.notes.append(Note(key, msg("forms.glued_code", text=cell.text), cell.where))
        return glued.group(1)
    return squeeze(cell.text)


def read_budget(form: list[Row], result: Imported, key: str, heading: str) -> dict:
    budget = {}
    for row in form:
        for field_name in ("total", "fiscal", "other"):
            cell = _after(row, *HEBEI_CELLS[field_name])
            if cell is not None and field_name not in budget:
                value = cell.text
                # The cell after the label may be the next label when the amount is blank.
                if _label_is(value, *HEBEI_CELLS["fiscal"][:2], *HEBEI_CELLS["other"]):
                    value = ""
                budget[field_name] = value.replace(" ", "")
                result.sources[(key, f"budget.{field_name}")] = cell.where
    if "total" not in budget:
        raise ImportError_(form[0].where if form else heading, msg("forms.no_total"))
    return budget


def read_purpose(form: list[Row], result: Imported, key: str) -> str:
    for i, row in enumerate(form):
        if any(_label_is(c.text, *HEBEI_CELLS["purpose"]) for c in row.cells if c.text):
            # The purpose is the longest text in the rows of this block that is not a label or an amount.
            for later in form[i:i + 3]:
                texts = [c for c in later.filled() if len(c.text) > 12 and not re.fullmatch(r"[\d,.]+", c.text)]
                if texts and not _label_is(texts[0].text, HEBEI_CELLS["purpose"][0]):
                    result.sources[(key, "purpose")] = texts[0].where
                    return texts[0].text
    result.notes.append(Note(key, msg("forms.no_purpose"), form[0].where if form else "?"))
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
                    result.notes.append(Note(key, msg("forms.no_percent", milestone=label.text), label.where))
            result.sources[(key, "spending_plan")] = row.where
            return plan
    result.notes.append(Note(key, msg("forms.no_plan"), form[0].where if form else "?"))
    return [{"milestone": "12月底", "percent": "100%"}]


def read_goals(form: list[Row], result: Imported, key: str) -> list[str]:
    for row in form:
        cell = _after(row, *HEBEI_CELLS["goals"])
        if cell is not None and cell.text:
            result.sources[(key, "goals")] = cell.where
            return split_numbered(cell.text)
    result.notes.append(Note(key, msg("forms.no_goals"), form[0].where if form else "?"))
    return ["（原文未填写）"]


def split_numbered(text: str) -> list[str]:
    """Numbered items, one per line or glued on one line ("…。 3、…")."""
    items: list[str] = []
    for line in text.split("\n"):
        for part in GLUED_ITEM.split(line.strip()):
            part = part.strip()
            if not part:
                continue
            if items and not NUMBERING.match(part):
                items[-1] += "\n" + part  # a paragraph that continues the item above
            else:
                items.append(part)
    return items
