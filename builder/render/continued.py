"""A merged category cell cut by a page break says its label again on the next page: 效益指标（续）.

WeasyPrint draws the part of a merged (rowspan) cell that falls on a later page empty, so a
reader of that page sees indicators under no 一级 or 二级. A template marks such a cell with
`data-continued`, the text its continuation shows (the theme's `print.continued`, in the lines
of the `word_lines` filter). After a layout, each marked cell whose rows lie on more than one
page is split where a page begins: it keeps the rows of its first page, and a copy of it,
saying the `data-continued` text, opens the rows of each later page.

A split can move rows (a label taller than the rows left beside it), so the splits are made
afresh on the template's own tree from each layout's page breaks until a layout keeps its
breaks where the splits are: one layout where no marked cell crosses a page, usually two where
one does, at most PASSES.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element, SubElement

PASSES = 4
Splits = dict[int, tuple[int, ...]]  # by marked cell, in document order: the offsets in its rows that open a page


def lay_out(html: Any, render: Callable[[], Any]) -> Any:
    """The document `render()` makes of `html` (a weasyprint.HTML) with its marked cells split at the
    page breaks; `html`'s tree is then the split one."""
    import cssselect2

    original = html.etree_element
    cells, spans = _marked(original)
    document = render()
    if not cells:
        return document
    splits: Splits = {}
    rows = spans
    for _ in range(PASSES - 1):
        wanted = _page_openings(rows, document)
        if wanted == splits:
            break
        splits = wanted
        copies: dict[int, Any] = {}
        tree = copy.deepcopy(original, copies)
        rows = [[copies[id(row)] for row in span] for span in spans]
        _split(tree, [copies[id(cell)] for cell in cells], rows, splits)
        # What weasyprint.HTML.__init__ makes of a parsed tree, made again of the split one.
        html.wrapper_element = cssselect2.ElementWrapper.from_html_root(tree, content_language=None)
        html.etree_element = tree
        document = render()
    return document


def _marked(tree: Element) -> tuple[list[Element], list[list[Element]]]:
    """The marked cells, and the rows each spans."""
    parents = {child: parent for parent in tree.iter() for child in parent}
    cells, spans = [], []
    for cell in tree.iter():
        if cell.get("data-continued") is None or cell not in parents or parents[cell].tag != "tr":
            continue
        row = parents[cell]
        group = [r for r in parents[row] if r.tag == "tr"] if row in parents else [row]
        start = group.index(row)
        cells.append(cell)
        spans.append(group[start:start + _rowspan(cell, len(group) - start)])
    return cells, spans


def _rowspan(cell: Element, rest: int) -> int:
    """How many rows `cell` spans, of the `rest` of its row group (rowspan="0": all of them)."""
    try:
        span = int(cell.get("rowspan") or 1)
    except ValueError:
        span = 1
    return rest if span <= 0 else max(1, min(span, rest))


def _page_openings(spans: list[list[Element]], document: Any) -> Splits:
    """For each marked cell's rows, the offsets of those the layout put first on a later page."""
    page_of: dict[Element, int] = {}
    for number, page in enumerate(document.pages):
        # Page._page_box, the laid-out boxes: the one way to see where each row went (WeasyPrint is pinned).
        for box in page._page_box.descendants():
            if type(box).__name__ == "TableRowBox" and box.element is not None:
                page_of.setdefault(box.element, number)
    openings: Splits = {}
    for index, rows in enumerate(spans):
        pages = [page_of.get(row, -1) for row in rows]
        found = tuple(k for k in range(1, len(rows)) if pages[k] > pages[k - 1] >= 0)
        if found:
            openings[index] = found
    return openings


def _split(tree: Element, cells: list[Element], spans: list[list[Element]], splits: Splits) -> None:
    parents = {child: parent for parent in tree.iter() for child in parent}
    columns: dict[Element, dict[Element, int]] = {}  # by row group: the column each cell starts in
    for index, offsets in sorted(splits.items()):
        cell, rows = cells[index], spans[index]
        group = parents[rows[0]]
        if group not in columns:
            columns[group] = _columns([r for r in group if r.tag == "tr"])
        where = columns[group]
        column = where[cell]
        ends = [*offsets, len(rows)]
        cell.set("rowspan", str(offsets[0]))
        for start, end in zip(offsets, ends[1:], strict=True):
            continuation = Element(cell.tag, {k: v for k, v in cell.attrib.items() if k not in ("id", "data-continued")})
            continuation.set("rowspan", str(end - start))
            _say(continuation, cell.get("data-continued") or "")
            row = rows[start]
            later = [i for i, other in enumerate(row) if where.get(other, -1) > column]
            row.insert(later[0] if later else len(row), continuation)
            where[continuation] = column


def _columns(rows: list[Element]) -> dict[Element, int]:
    """The column each cell of a row group's `rows` starts in, merged cells taken into account."""
    taken: set[tuple[int, int]] = set()
    where = {}
    for r, row in enumerate(rows):
        column = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            while (r, column) in taken:
                column += 1
            where[cell] = column
            try:
                across = max(1, int(cell.get("colspan") or 1))
            except ValueError:
                across = 1
            for dr in range(_rowspan(cell, len(rows) - r)):
                for dc in range(across):
                    taken.add((r + dr, column + dc))
            column += across
    return where


def _say(cell: Element, text: str) -> None:
    """`text` as the content of `cell`, a `<br>` at each line break (the `word_lines` filter's lines)."""
    first, *rest = text.split("\n")
    cell.text = first
    for line in rest:
        SubElement(cell, "br").tail = line
