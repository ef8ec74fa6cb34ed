"""A 部门整体支出绩效目标表 -> the `whole` block of its department.yaml, and, when the source holds nothing
else, the department's code, name, scope and money unit.

`split_whole` finds the table by its title (labels.WHOLE_TITLES, maybe after a year or the unit's name)
and takes the blocks under it up to the next form. `read_whole` reads its labelled cells
(labels.WHOLE_CELLS) by their text, never their position: the unit (`CODE-名称`), 部门职能概述,
中长期目标 and 年度总体目标 (numbered items), also as `label：value` lines or with the text in the row
under the label; the money block (compositions.py); and the indicator table, read as a project's
(indicator_table.read_indicators). The amounts are in the table's own money unit (单位：万元, or 金额（万元） in a
label): the department's when the source has no projects, else written as `whole.money_unit` where it
differs. A row or paragraph it cannot place, and a column no field holds, is a warning at its position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.base.messages import msg
from builder.content.frameworks import squeeze
from builder.importers import labels
from builder.importers.cells import after, label_key, which
from builder.importers.compositions import Compositions
from builder.importers.flat_sheets import flat_header
from builder.importers.form_identity import MoneyUnit, unit_identity, unkept_columns
from builder.importers.forms import PROJECT_HEADING, split_numbered
from builder.importers.imported import Imported, ImportError_, Note
from builder.importers.indicator_table import header_columns, read_indicators
from builder.importers.sources import Block, Cell, Para, Row

_SECTIONS = {"section": labels.WHOLE_SECTIONS}
_KEY = "whole"  # the notes' key: they are written as comments over the `whole:` block


@dataclass
class WholeSource:
    title: Para
    blocks: list[Block]


def whole_title(block: Block) -> Para | None:
    """The title of a 部门整体支出绩效目标表, when `block` is one (a paragraph, or a row of one cell)."""
    if isinstance(block, Para):
        text, where = block.text, block.where
    else:
        filled = block.filled()
        if len(filled) != 1:
            return None
        text, where = filled[0].text, filled[0].where
    bare = label_key(text.split("\n")[0])
    if len(bare) > 60 or not any(bare.endswith(label_key(title)) for title in labels.WHOLE_TITLES):
        return None
    return Para(text, where)


def split_whole(blocks: list[Block]) -> tuple[WholeSource | None, list[Block]]:
    """The 部门整体支出绩效目标表 of a source (or None) and the source's other blocks."""
    start = next((i for i, block in enumerate(blocks) if whole_title(block)), None)
    if start is None:
        return None, blocks
    title = whole_title(blocks[start])
    assert title is not None
    end, in_table = start + 1, False
    while end < len(blocks):
        block = blocks[end]
        if whole_title(block) is not None:
            raise ImportError_(block.where, msg("whole_forms.second_table"))
        if isinstance(block, Para) and (in_table or PROJECT_HEADING.match(block.text)):
            break  # the text after the table, or the next form
        if isinstance(block, Row):
            below = next((b for b in blocks[end + 1:] if isinstance(b, Row)), None)
            if flat_header(block, below) is not None:
                break
            in_table = in_table or header_columns(block) is not None
        end += 1
    for block in blocks[end:]:
        if whole_title(block) is not None:
            raise ImportError_(block.where, msg("whole_forms.second_table"))
    return WholeSource(title, blocks[start + 1:end]), blocks[:start] + blocks[end:]


def read_whole(source: WholeSource, result: Imported) -> None:
    whole: dict = {"title": source.title.text}
    result.sources[("department", "whole.title")] = source.title.where
    units = MoneyUnit(msg("form_identity.whole_table"))
    cells: dict[str, Cell] = {}
    money = Compositions(result, _KEY)
    table: list[Row] = []
    pending: str | None = None  # a label alone in its row: its text is in the row under it
    for block in source.blocks:
        if isinstance(block, Para):
            _paragraph(block, units, cells, result)
        elif not block.filled():
            continue  # an empty row: nothing to place
        elif table or header_columns(block) is not None:
            table.append(block)
        elif pending is not None and not _has_label(block):
            _take(cells, pending, Cell("\n".join(c.text for c in block.filled()), block.filled()[0].where), result)
            pending = None
        else:
            pending = _row(block, units, cells, money, result)
    _identity(cells, source, units, whole, result)
    _texts(cells, whole, source, result)
    for kind in ("income", "expenditure"):
        composition = money.found.get(kind)
        if composition is not None and composition["rows"]:
            whole[kind] = composition
        elif composition is not None:
            result.notes.append(Note(_KEY, msg("whole_forms.total_without_rows",
                                               block="收入构成" if kind == "income" else "支出构成"),
                                     result.sources.get(("department", f"whole.{kind}.total"), "?"), level="warning"))
    if "income" not in whole:
        raise ImportError_(source.title.where, msg("whole_forms.no_income"))
    if not table:
        raise ImportError_(source.title.where, msg("whole_forms.no_indicators"))
    whole["indicators"] = read_indicators(table, result, _KEY, report_unkept=False)
    for key, path in [k for k in result.sources if k[0] == _KEY]:
        # read_indicators positions its rows under its key; in department.yaml they are under `whole`
        result.sources[("department", f"whole.{path}")] = result.sources.pop((key, path))
    known = set((header_columns(table[0]) or {}).values()) | {i for i, c in enumerate(table[0].cells)
                                                           if which(c.text, _SECTIONS)}
    unkept_columns(table[0], table[1:], known, result, _KEY)
    result.department["whole"] = whole


def _paragraph(para: Para, units: MoneyUnit, cells: dict[str, Cell], result: Imported) -> None:
    if units.read(para.text, para.where) or which(para.text, _SECTIONS):
        return
    if re.fullmatch(r"[(（]?\s*20\d\d\s*年度?\s*[)）]?", para.text.strip()):
        return  # the year under the title, which the title's year agrees with
    head, sep, rest = re.sub(r"[：:]", "：", para.text, count=1).partition("：")
    key = which(head, labels.WHOLE_CELLS) if sep else None
    if key is not None and rest.strip():
        _take(cells, key, Cell(rest.strip(), para.where), result)  # 填报单位：100200-测试县农业农村局
        return
    result.notes.append(Note(_KEY, msg("imported.text_not_placed", text=para.text), para.where, level="warning"))


def _take(cells: dict[str, Cell], key: str, cell: Cell, result: Imported) -> None:
    """A labelled cell's value; a second, different one is a warning, the first kept."""
    first = cells.setdefault(key, cell)
    if first is not cell and squeeze(first.text) != squeeze(cell.text):
        result.notes.append(Note(_KEY, msg("whole_forms.second_cell", label=labels.WHOLE_CELLS[key][0], text=cell.text,
                                           first=first.where), cell.where, level="warning"))


def _has_label(row: Row) -> bool:
    return any(which(c.text, labels.WHOLE_CELLS) or which(c.text, labels.COMPOSITIONS) for c in row.cells)


def _row(row: Row, units: MoneyUnit, cells: dict[str, Cell], money: Compositions, result: Imported) -> str | None:
    """A row before the indicator table: labelled cells, the money block, or a warning; the label left
    waiting for its text in the row under it, if any."""
    pending = None
    taken: list[Cell] = []  # the labels of the row and the values read after them
    for key in labels.WHOLE_CELLS:
        cell = after(row, labels.WHOLE_CELLS, key)
        if cell is None:
            continue
        taken += [c for c in row.cells if which(c.text, {key: labels.WHOLE_CELLS[key]})]
        if cell.text:
            _take(cells, key, cell, result)
            taken.append(cell)
        else:
            pending = key
    stated_unit = units.read_row(row)
    if taken:
        for cell in row.filled():
            if cell not in taken and not units.read(cell.text, cell.where):
                result.notes.append(Note(_KEY, msg("whole_forms.no_field", text=cell.text), cell.where,
                                         level="warning"))
        return pending
    if money.read(row) or stated_unit:
        return pending
    if all(which(c.text, _SECTIONS) for c in row.filled()):
        return None  # 年度预算, 年度绩效指标: a block's heading
    text = " | ".join(c.text for c in row.filled())
    result.notes.append(Note(_KEY, msg("whole_forms.row_not_placed", text=text), row.where, level="warning"))
    return None


def _identity(cells: dict[str, Cell], source: WholeSource, units: MoneyUnit, whole: dict, result: Imported) -> None:
    """The department's code, name and scope from the unit cell (when the source has no other), and the
    table's money unit."""
    department = result.department
    unit_cell = cells.get("unit") or cells.get("department")
    code, name, scope = unit_identity(unit_cell.text) if unit_cell is not None else (None, "", None)
    if cells.get("code") is not None:
        code = squeeze(cells["code"].text)
    if "code" not in department:
        if unit_cell is None or code is None:
            where = unit_cell.where if unit_cell is not None else source.title.where
            raise ImportError_(where, msg("whole_forms.no_unit_code_in", text=unit_cell.text)
                               if unit_cell is not None else msg("whole_forms.no_unit_code"))
        department.update(code=code, name=name, scope=scope or "本级")
        result.sources[("department", "code")] = unit_cell.where
        if scope is None:
            result.notes.append(Note("department", msg("whole_forms.no_scope"), unit_cell.where))
    other = cells.get("department")
    if unit_cell is not None and other is not None and other is not unit_cell and \
            unit_identity(other.text)[0] not in (None, code):
        result.notes.append(Note(_KEY, msg("whole_forms.supervisor_not_kept", supervisor=other.text,
                                           unit=unit_cell.text), other.where, level="warning"))
    if "code" in department and code is not None and code != department["code"] and unit_cell is not None:
        result.notes.append(Note(_KEY, msg("whole_forms.other_unit", unit=unit_cell.text, code=department["code"]),
                                 unit_cell.where, level="warning"))
    if "money_unit" not in department:
        department["money_unit"] = units.chosen(result, _KEY, source.title.where)
    elif units.unit is not None and units.unit != department["money_unit"]:
        whole["money_unit"] = units.unit
        result.sources[("department", "whole.money_unit")] = units.where
    elif units.unit is None:
        result.notes.append(Note(_KEY, msg("whole_forms.projects_unit", unit=department["money_unit"]),
                                 source.title.where, level="warning"))


def _texts(cells: dict[str, Cell], whole: dict, source: WholeSource, result: Imported) -> None:
    functions = cells.get("functions")
    if functions is not None:
        items = split_numbered(functions.text)
        whole["functions"] = "\n".join(items)
        if whole["functions"] != functions.text:
            result.notes.append(Note(_KEY, msg("whole_forms.functions_items", count=len(items)), functions.where))
        result.sources[("department", "whole.functions")] = functions.where
    for key in ("long_term_goals", "goals"):
        cell = cells.get(key)
        if cell is not None:
            whole[key] = split_numbered(cell.text)
            result.sources[("department", f"whole.{key}")] = cell.where
    if "goals" not in whole:
        whole["goals"] = ["（原文未填写）"]
        result.notes.append(Note(_KEY, msg("whole_forms.no_goals"), source.title.where, level="warning"))
