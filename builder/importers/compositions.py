"""The money block of a 部门整体支出绩效目标表: 收入构成 and 支出构成, each rows of a name, an amount and a
share, and its 合计.

Two arrangements are read, both by their labels: side by side (`收入构成 | 金额 | 占比 | 支出构成 | 金额 |
占比` over rows of both) and one under the other (`收入构成 | 项目 | 金额 | 占比` and its rows, then 支出构成
the same way; the block's label may also stand at the left of its rows, once or in a merged cell down
them). A header row is a row with a 金额 column (labels.COMPOSITION_COLUMNS); each 金额 column is a group,
with the 占比 column after it and the rows' names in the nearest other column before it. Amounts and
shares are kept as the form writes them; a share written as a fraction (0.8) is kept with a warning, as
0.8 reads as 0.8 %.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from builder.base.messages import Message, msg
from builder.importers import labels
from builder.importers.cells import at, which
from builder.importers.imported import Imported, Note
from builder.importers.sources import Cell, Row

_AMOUNT = {"amount": labels.COMPOSITION_COLUMNS["amount"]}
_SHARE = {"share": labels.COMPOSITION_COLUMNS["share"]}


@dataclass
class _Group:
    """One composition's columns in the header row; `kind` is income, expenditure or not yet known."""

    kind: str | None
    start: int  # the first column of the group: a block label may stand between it and the names
    name: int
    amount: int
    share: int | None


def header_groups(row: Row) -> list[_Group]:
    """The groups a header row of the money block sets out; [] when the row is none."""
    cells = row.cells
    amounts = [i for i, cell in enumerate(cells) if which(cell.text, _AMOUNT)]
    groups: list[_Group] = []
    for n, amount in enumerate(amounts):
        end = amounts[n + 1] if n + 1 < len(amounts) else len(cells)
        share = next((i for i in range(amount + 1, end) if which(cells[i].text, _SHARE)), None)
        start = 0 if not groups else (groups[-1].share if groups[-1].share is not None else groups[-1].amount) + 1
        name = next((i for i in range(amount - 1, start - 1, -1)
                     if cells[i].text and which(cells[i].text, labels.COMPOSITION_COLUMNS) is None), None)
        if name is None:
            return []  # an amount column with no label before it: not a header of this block
        kind = next((k for i in range(name, start - 1, -1) if (k := which(cells[i].text, labels.COMPOSITIONS))), None)
        groups.append(_Group(kind, start, name, amount, share))
    return groups


class Compositions:
    """The compositions read so far, by kind: {"rows": [...], "total": …, "total_share": …}."""

    def __init__(self, result: Imported, key: str):
        self.result, self.key = result, key
        self.found: dict[str, dict] = {}
        self.groups: list[_Group] = []

    def read(self, row: Row) -> bool:
        """Read a row of the money block; False when it is none (no header above, or nothing it holds)."""
        header = header_groups(row)
        if header:
            self.groups = header
            return True
        used = False
        for group in self.groups:
            used |= self._group_row(row, group)
        if used:
            self._unplaced(row)
        return used

    def _unplaced(self, row: Row) -> None:
        """A warning for each cell of a money row in no column of the block (a 备注 beside 占比, say)."""
        placed = {i for g in self.groups for i in (g.name, g.amount, g.share) if i is not None}
        for index, cell in enumerate(row.cells):
            if cell.text and index not in placed and not which(cell.text, labels.COMPOSITIONS) and \
                    not which(cell.text, {"section": labels.WHOLE_SECTIONS}):
                self._warn(msg("compositions.no_column", text=cell.text), cell.where)

    def _group_row(self, row: Row, group: _Group) -> bool:
        for cell in row.cells[group.start:group.name]:  # the block's label at the left of its rows
            if kind := which(cell.text, labels.COMPOSITIONS):
                group.kind = kind
        name, amount, share = at(row, group.name), at(row, group.amount), at(row, group.share)
        if name is None or not name.text:
            lone = next((c for c in (amount, share) if c is not None and c.text), None)
            if lone is not None:
                self._warn(msg("compositions.no_name", text=lone.text), lone.where)
                return True
            return False
        if kind := which(name.text, labels.COMPOSITIONS):
            group.kind = kind  # the block's label in the names' column, on a row of its own
            return True
        if group.kind is None:
            return False
        block = self.found.setdefault(group.kind, {"rows": []})
        amount_text = re.sub(r"\s", "", amount.text) if amount is not None else ""
        share_text = share.text.strip() if share is not None else ""
        path = f"whole.{group.kind}"
        if which(name.text, labels.COMPOSITION_ROWS) == "total":
            if "total" in block:
                self._warn(msg("compositions.second_total", name=name.text), name.where)
                return True
            block["total"] = amount_text
            self.result.sources[("department", f"{path}.total")] = (amount or name).where
            if share_text:
                block["total_share"] = share_text
        else:
            item = {"name": name.text, "amount": amount_text}
            if share_text:
                item["share"] = share_text
            self.result.sources[("department", f"{path}.rows.{len(block['rows'])}")] = name.where
            block["rows"].append(item)
        if share is not None and share_text:
            self._fraction(share)
        return True

    def _fraction(self, share: Cell) -> None:
        try:
            value = Decimal(share.text)
        except InvalidOperation:
            return
        if Decimal(0) < value <= Decimal(1) and "%" not in share.text:
            self._warn(msg("compositions.share_fraction", text=share.text, percent=f"{(value * 100).normalize():f}"),
                       share.where)

    def _warn(self, said: Message, where: str) -> None:
        self.result.notes.append(Note(self.key, said, where, level="warning"))
