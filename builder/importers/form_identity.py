"""What a 部门整体支出绩效目标表 or a flat sheet states about itself: the unit it is about, the money
unit of its amounts, and the columns no field holds.

`unit_identity` reads a unit cell as forms write it: `100200-测试县农业农村局`, `100200测试县农业农村局本级`,
`[100200]测试县农业农村局`, `测试县农业农村局（100200）`, or a name alone. `MoneyUnit` keeps the first money
unit a table states (单位：万元 on a line, 金额（万元） in a label) and refuses another one at its position:
amounts of two units in one table cannot be written in one unit without a person saying which is right.
`unkept_columns` makes each column of a table that no field holds a warning at its header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.base.messages import Message, msg
from builder.base.patterns import Short
from builder.importers.cells import money_unit_of
from builder.importers.imported import Imported, ImportError_, Note
from builder.importers.sources import Cell, Row

_CODE_FIRST = re.compile(r"^[\[【(（]?\s*(\d{3,})\s*[\]】)）]?\s*[-—－_:：]?\s*(.+)$")
_CODE_LAST = Short(r"^(.+?)\s*[\[【(（]\s*(\d{3,})\s*[\]】)）]$", 200)
SCOPES = ("机关本级", "本级", "机关", "本部")
# A label, a unit line or a short heading; longer cells are text, whose brackets state no money unit.
_LABEL_LENGTH = 30


def unit_identity(text: str) -> tuple[str | None, str, str | None]:
    """(code or None, name, scope or None) of a unit cell."""
    one = " ".join(text.split())
    code = None
    if found := _CODE_FIRST.match(one):
        code, name = found.group(1), found.group(2).strip()
    elif found := _CODE_LAST.match(one):
        name, code = found.group(1).strip(), found.group(2)
    else:
        name = one
    scope = next((s for s in SCOPES if name.endswith(s) and len(name) > len(s)), None)
    return code, name[:len(name) - len(scope)] if scope else name, scope


@dataclass
class MoneyUnit:
    """The one money unit of a table, as it states it."""

    what: Message  # the table, for the message: "the 部门整体支出绩效目标表", "the flat sheet"
    unit: str | None = None
    where: str = ""

    def read(self, text: str, where: str) -> str | None:
        """The unit `text` states (a unit line or a label with `（万元）`), kept; None when it states none."""
        if len(text) > _LABEL_LENGTH:
            return None
        unit = money_unit_of(text)
        if unit is None:
            return None
        if self.unit is None:
            self.unit, self.where = unit, where
        elif unit != self.unit:
            raise ImportError_(where, msg("form_identity.two_units", text=text, table=self.what, unit=unit,
                                          first=self.where, first_unit=self.unit))
        return unit

    def read_row(self, row: Row) -> bool:
        """Read every cell of `row`; whether one of them states a unit."""
        return bool([cell for cell in row.cells if cell.text and self.read(cell.text, cell.where)])

    def chosen(self, result: Imported, key: str, where: str) -> str:
        """The unit stated, or 元 with a warning when the table states none."""
        if self.unit is None:
            result.notes.append(Note(key, msg("form_identity.no_money_unit", table=self.what), where,
                                     level="warning"))
            return "元"
        return self.unit


def unkept_columns(header: Row, rows: list[Row], known: set[int], result: Imported, key: str) -> None:
    """A warning for each column outside `known` with text in some row: the file has no field for it."""
    for index in range(max((len(row.cells) for row in [header, *rows]), default=0)):
        if index in known:
            continue
        filled = [row.cells[index] for row in rows if index < len(row.cells) and row.cells[index].text]
        if not filled:
            continue
        label = header.cells[index] if index < len(header.cells) and header.cells[index].text else None
        first: Cell = label or filled[0]
        said = msg("form_identity.column_not_kept", label=label.text, count=len(filled), first=filled[0].where) \
            if label is not None else msg("form_identity.headless_column_not_kept", count=len(filled),
                                          first=filled[0].where)
        result.notes.append(Note(key, said, first.where, level="warning"))
