"""Metadata: the budget year, the unit (code, name, scope) and each table's money unit, read from every
piece of evidence the disclosure holds and weighed (evidence.py); each choice is a Note that names
its evidence (`year 2024 (title line 1; code 13099524…; 2 deadlines)`), and evidence that
contradicts a choice is a warning.

- the year: year_evidence.py;
- the unit: the unit line of a project's table (`304001玉田县商务和投资促进局本级`, in the table or on
  a line above it), the 单位名称/预算单位/单位编码 cells, the 主管部门 and 实施单位 cells
  (labels.UNIT_CELLS, a cell with its value beside it or `label：value`), a title naming it
  (`XX局2024年部门预算`);
- the scope (本级, 机关, 汇总 …): the unit line's or unit's ending, a title's `（汇总）`; 本级 when
  nothing states one, said in a note;
- the money unit, per project table: a `单位：万元` cell or line (in the table, or just above it), a
  label stating it (`资金情况（万元）`); else the document's own `单位：万元` line; else 元, said so.
  A document whose tables differ keeps each project's unit; the department takes the most common.
"""

from __future__ import annotations

import re
from collections import Counter

from builder.base.messages import msg
from builder.content.frameworks import squeeze
from builder.importers import labels
from builder.importers.cells import money_unit_of, which
from builder.importers.evidence import (
    KIND_WORDS,
    MEDIUM,
    STRONG,
    WEAK,
    Clue,
    chain,
    describe,
    lines_of,
    quoted,
    short_where,
)
from builder.importers.forms import UNIT_LINE
from builder.importers.imported import Imported, ImportError_, Note
from builder.importers.sources import Block, Cell, Para, Row
from builder.importers.year_evidence import NoYear, choose_year, year_clues

SCOPES = ("机关本级", "单位本级", "部门本级", "本级", "机关", "本部", "部门汇总", "单位汇总", "汇总", "合并")
_SCOPE_END = re.compile(rf"^(.+?)[（(]?({'|'.join(SCOPES)})[）)]?$")
_TITLE_SCOPE = re.compile(r"[（(](本级|机关本级|单位本级|机关|汇总|部门汇总|单位汇总)[）)]|(部门汇总|单位汇总|单位本级|部门本级)")
_MONEY_TAIL = re.compile(r"\s*(?:金额|计量)?单位[:：]\s*(?:万元|元)\s*$")
_LABELLED = re.compile(r"^([^:：]{2,12})[:：](.*)$", re.S)
_CODE_NAME = re.compile(r"^([0-9A-Za-z]{3,12})\s*[-—－–_:：]?\s*(\D.*)$", re.S)
_ORGAN = "局|委员会|委|办公室|办|院|厅|部|中心|政府|所|站|队|馆|校|处|室|社|联合会|会|团|署|行|司"
_TITLE_UNIT = re.compile(rf"^(\D{{2,30}}?(?:{_ORGAN}))(?:本级|机关)?(?:20\d\d)年")
_UNIT_WEIGHTS = {"unit": STRONG, "code": STRONG, "department": MEDIUM, "implementer": WEAK}
_UNIT_KINDS = {"unit": "unit cell", "code": "unit code cell", "department": "主管部门", "implementer": "实施单位"}
MAX_PREAMBLE = 3  # lines above a table that may state its unit and money unit
MAX_LABEL_CHARS = 30  # a label stating a money unit is short; a long text quoting （万元） is not one
_OTHER_UNIT = ("metadata.other_unit", "metadata.other_unit_then")


def read_metadata(blocks: list[Block], result: Imported, year: int | None) -> set[str]:
    """The department's code, name, scope, money unit and year, and each project's money unit; returns
    the positions of the evidence the notes cite (a title line cited is placed, not left over)."""
    return read_unit(blocks, result) | read_money_units(blocks, result) | read_year(blocks, result, year)


# --- the year ---------------------------------------------------------------------------------


def read_year(blocks: list[Block], result: Imported, given: int | None) -> set[str]:
    clues = year_clues(blocks, result.projects, result.sources)
    department = result.department
    if given is not None:
        department["year"] = given
        result.sources[("department", "year")] = "--year"
        try:
            found = choose_year(clues, result.source)
        except NoYear:
            return set()
        if found.year != given:
            result.notes.append(Note("department", msg("metadata.year_given", given=given, year=found.year,
                                                       evidence=found.evidence), found.where, level="warning"))
        return set(found.cited)
    try:
        choice = choose_year(clues, result.source)
    except NoYear as refusal:
        raise ImportError_(result.source, msg("metadata.no_year", reason=refusal.said, lines=len(lines_of(blocks)),
                                              projects=len(result.projects),
                                              targets=sum(len(p.get("indicators", [])) for p in result.projects))
                           ) from None
    department["year"] = choice.year
    result.sources[("department", "year")] = choice.where
    result.notes.append(Note("department", msg("metadata.year", year=choice.year, evidence=choice.evidence),
                             choice.where))
    if choice.conflicts:
        result.notes.append(Note("department", msg("metadata.other_year", conflicts=choice.conflicts,
                                                   year=choice.year), choice.where, level="warning"))
    return set(choice.cited)


# --- the unit and its scope -------------------------------------------------------------------


def unit_clues(blocks: list[Block], projects: list[dict]) -> list[tuple[Clue, str | None, str | None]]:
    """(clue, code, name) for each statement of the unit; the clue's value is the scope it states ("" if none)."""
    found: list[tuple[Clue, str | None, str | None]] = []
    for index, block in enumerate(blocks):
        if isinstance(block, Row):
            found += _unit_cells(block)
            continue
        found += _unit_cells(Row((Cell(block.text, block.where),), block.where))
        above_table = any(isinstance(b, Row) for b in blocks[index + 1:index + 1 + MAX_PREAMBLE])
        if above_table and (line := _unit_line(block.text, block.where)):
            found.append(line)  # the unit line on a line of its own above a project's table
    for title in lines_of(blocks):
        m = _TITLE_UNIT.match(squeeze(title.text))
        if m:
            name, scope = _scope_of(m.group(1))
            found.append((Clue(scope, "title", MEDIUM, title.text, title.where), None, name))
    labelled = {clue.where for clue, *_ in found}
    in_tables = [line for project in projects  # the unit line forms.py found in a table, unless a labelled cell's value
                 if "unit_line" in project and project["unit_line"][1] not in labelled
                 and (line := _unit_line(*project["unit_line"]))]
    return in_tables + found


def _unit_line(text: str, where: str) -> tuple[Clue, str | None, str | None] | None:
    """`304001玉田县商务和投资促进局本级` (and a `单位：元` after it) -> its code, name and scope."""
    bare = _MONEY_TAIL.sub("", text).strip()
    m = UNIT_LINE.match(bare)
    if not m or not re.search(_ORGAN, m.group(2)) or re.match(r"^\d+\s*年", bare):
        return None
    name, scope = _scope_of(m.group(2).lstrip("-—－–_:：") + (m.group(3) or ""))
    return Clue(scope, "unit line", STRONG, bare, where), m.group(1), name


def _unit_cells(row: Row) -> list[tuple[Clue, str | None, str | None]]:
    """The unit named by a labelled cell: the value in the next cell, or after `label：` in the same one."""
    found = []
    cells = list(row.cells)
    for i, cell in enumerate(cells):
        label, value = cell.text, None
        inline = _LABELLED.match(cell.text)
        if inline and which(inline.group(1), labels.UNIT_CELLS):
            label, value = inline.group(1), Cell(inline.group(2).strip(), cell.where)
        key = which(label, labels.UNIT_CELLS)
        if key is None:
            continue
        if value is None:
            value = next((c for c in cells[i + 1:] if c.text and which(c.text, labels.UNIT_CELLS) is None), None)
        if value is None or not value.text:
            continue
        code_name = _CODE_NAME.match(squeeze(value.text))
        code, name = (code_name.group(1), code_name.group(2)) if code_name else (None, squeeze(value.text))
        if key == "code":
            code, name = code or name, None
        name, scope = _scope_of(name) if name else (None, "")
        found.append((Clue(scope, _UNIT_KINDS[key], _UNIT_WEIGHTS[key], value.text, value.where), code, name))
    return found


def _scope_of(name: str) -> tuple[str, str]:
    """A name without the scope it ends with (玉田县商务局本级 -> 玉田县商务局, 本级), "" when none."""
    m = _SCOPE_END.match(name)
    return (m.group(1), m.group(2)) if m and len(m.group(1)) >= 2 else (name, "")


def read_unit(blocks: list[Block], result: Imported) -> set[str]:
    department = result.department
    found = unit_clues(blocks, result.projects)
    with_code = sorted((f for f in found if f[1]), key=lambda f: -f[0].weight)
    if not with_code:
        kinds = sorted({f[0].kind for f in found})
        # a few words of the catalogue, listed as data lists are (", "): the kinds of clue found
        looked = ", ".join(KIND_WORDS[kind][0].text() for kind in kinds) or msg("metadata.nothing_found")
        raise ImportError_(result.source, msg("metadata.no_unit_code", found=looked))
    best, code, name = with_code[0]
    if not name:
        named = sorted((f for f in found if f[2] and (f[1] in (None, code))), key=lambda f: -f[0].weight)
        name = named[0][2] if named else None
    if not name:
        raise ImportError_(best.where, msg("metadata.unit_without_name", code=code))
    department["code"], department["name"] = code, name
    result.sources[("department", "code")] = best.where
    agreeing = [f[0] for f in found if f[1] == code or (f[1] is None and f[2] == name)]
    result.notes.append(Note("department", msg("metadata.unit", code=code, name=name,
                                               evidence=describe(agreeing, result.source)), best.where))
    others = sorted({f[1] for f in found if f[1] and f[0].weight == STRONG and f[1] != code})
    if others:
        result.notes.append(Note("department", msg("metadata.other_units", codes=", ".join(others), code=code),
                                 best.where, level="warning"))
    cited = {c.where for c in agreeing}
    return cited | _read_scope(blocks, result, [f[0] for f in found if f[1] == code or f[1] is None], best.where)


def _read_scope(blocks: list[Block], result: Imported, clues: list[Clue], where: str) -> set[str]:
    scoped = [c for c in clues if c.value]
    for line in lines_of(blocks):
        m = _TITLE_SCOPE.search(squeeze(line.text))
        if m and len(squeeze(line.text)) <= 60:
            scoped.append(Clue(m.group(1) or m.group(2), "title", MEDIUM, line.text, line.where))
    if scoped:
        best = max(scoped, key=lambda c: c.weight)
        agreeing = [c for c in scoped if c.value == best.value]
        result.department["scope"] = best.value
        result.notes.append(Note("department", msg("metadata.scope", scope=best.value,
                                                   evidence=describe(agreeing, result.source)), best.where))
        return {c.where for c in agreeing}
    result.department["scope"] = "本级"
    result.notes.append(Note("department", msg("metadata.no_scope"), where))
    return set()


# --- money units ------------------------------------------------------------------------------


def read_money_units(blocks: list[Block], result: Imported) -> set[str]:
    """Each project's money unit from its own table, the department's from its projects."""
    cited: set[str] = set()
    where_of = {cell.where: i for i, block in enumerate(blocks) if isinstance(block, Row) for cell in block.cells}
    document = _document_unit(blocks)
    for n, project in enumerate(result.projects):
        key = f"project:{n + 1}"
        start = where_of.get(result.sources.get((key, "code"), ""))
        if start is None and project.get("money_unit"):
            continue  # a table whose rows are not in the stream as read: the unit its reader found stands
        clues = _table_money(blocks, start) if start is not None else []
        values = {c.value for c in clues}
        if len(values) > 1:  # the label beside the amounts says most about them, then the table's own line
            chosen = min(clues, key=lambda c: ("label", "cell", "line").index(c.kind)).value
            result.notes.append(Note(key, msg("metadata.both_units", evidence=describe(clues, result.source),
                                              unit=chosen), clues[0].where, level="warning"))
        elif values:
            chosen = values.pop()
        elif document is not None:
            chosen = document.value
            result.notes.append(Note(key, msg("metadata.document_unit", unit=chosen, text=quoted(document.text),
                                              where=short_where(document.where, result.source)),
                                     result.sources.get((key, "code"), document.where)))
        else:
            chosen = "元"
            result.notes.append(Note(key, msg("metadata.no_money_unit"), result.sources.get((key, "code"), result.source),
                                     level="warning"))
        project["money_unit"] = chosen
        cited |= {c.where for c in clues} | ({document.where} if document is not None and not clues else set())
    units = Counter(p["money_unit"] for p in result.projects)
    unit, count = units.most_common(1)[0] if units else ("元", 0)
    result.department["money_unit"] = unit
    where = result.sources.get(("project:1", "code"), result.source)
    if len(units) > 1:
        others = chain([(_OTHER_UNIT, {"unit": p["money_unit"], "code": p["code"]})
                        for p in result.projects if p["money_unit"] != unit])
        result.notes.append(Note("department", msg("metadata.money_unit_most", unit=unit, count=count,
                                                   total=len(result.projects), others=others), where))
    else:
        result.notes.append(Note("department", msg("metadata.money_unit_every_table", unit=unit), where))
    return cited


def _document_unit(blocks: list[Block]) -> Clue | None:
    """A `单位：万元` line before the first table: the whole document's unit."""
    for block in blocks:
        if isinstance(block, Row):
            return None
        unit = _stated_unit(block.text)
        if unit:
            return Clue(unit, "line", MEDIUM, block.text, block.where)
    return None


def _stated_unit(text: str) -> str | None:
    """The unit a short line or label states (单位：万元, 金额单位：元, 资金情况（万元）), None if none."""
    bare = squeeze(text)
    if len(bare) > MAX_LABEL_CHARS and not _MONEY_TAIL.search(text):
        return None
    return money_unit_of(text)


def _table_money(blocks: list[Block], start: int) -> list[Clue]:
    """The money units stated in the table holding blocks[start] (above its indicator header) and
    on the lines just above it."""
    first = start
    while first > 0 and isinstance(blocks[first - 1], Row):
        first -= 1
    clues: list[Clue] = []
    for block in blocks[max(0, first - MAX_PREAMBLE):first]:
        if isinstance(block, Para) and (unit := _stated_unit(block.text)):
            clues.append(Clue(unit, "line", STRONG, block.text, block.where))
    header = set(labels.HEADER_SYNONYMS["level1"] + labels.HEADER_SYNONYMS["name"])
    for block in blocks[first:]:
        if not isinstance(block, Row) or any(squeeze(c.text) in header for c in block.cells):
            break
        for cell in block.cells:
            unit = _stated_unit(cell.text)
            if unit:
                kind = "cell" if "单位" in squeeze(cell.text) else "label"
                clues.append(Clue(unit, kind, STRONG, cell.text, cell.where))
    return clues

