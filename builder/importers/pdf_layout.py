"""A PDF's pages as lines and ruled tables (pdf_pages.py reads them) -> paragraphs and table rows.

A PDF holds no paragraphs and no cells, only glyphs where a layout put them, so the text a source
wrote is put back together here:

- a line a layout broke because the next word did not fit (a soft wrap) is joined to the next
  one, as the source's text runs on; a line that ends where the next word would still have fitted
  was ended by its writer, and the break is kept (a cell's `1.…\n2.…`). In a cell the room is the
  cell's width less its padding (taken as its left padding, on both sides); outside tables it is
  the right edge of the document's text, and a paragraph also ends at an indented line, a gap wider than
  a line or another font size, and after a line set out in columns;
- a row a page break cut in two (the table open at the page's foot and again at the next page's
  head) is one row again, its cells joined;
- page numbers (`— 3 —`, `第 3 页`) and a running header or footer repeated on three pages or more,
  in the top or bottom tenth of a page, are left out: they are the layout's, not the source's.

Positions: `x.pdf page 2 line 5` (a paragraph, by its first line among the page's lines outside
tables), `x.pdf page 2 table 1 row 3 col 2`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from builder.base.patterns import Short

OPENING = "（《「『【〔([{“‘"
CLOSING = "，。、；：？！）》」』】〕%％,.;:?!)]}…·”’"
_PAGE_NUMBER = Short(r"^[-—–－~\s]*(第\s*)?\d{1,4}\s*页?\s*([/／]\s*\d{1,4}|共\s*\d{1,4}\s*页)?[-—–－~\s]*$", 40)
MARGIN = 0.1  # the top and bottom tenth of a page hold its running header and footer
REPEATED = 3  # a line on this many pages' margins is a running header or footer


@dataclass(frozen=True)
class Line:
    """One line of glyphs: its text and box, the width of its first unbreakable run (what a wrap
    would have moved), whether it starts and ends in a word of Latin letters, and whether a gap of
    more than two characters parts its glyphs (a line set out in columns, such as a unit line with
    `单位：元` pushed to the right: it reaches the edge by its layout, not by running on)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    lead: float
    starts_word: bool
    ends_word: bool
    spread: bool = False


@dataclass
class CellBox:
    x0: float
    x1: float
    lines: list[Line] = field(default_factory=list)


@dataclass
class TableBox:
    top: float
    bottom: float
    rows: list[list[CellBox | None]]  # None: a cell another merged cell covers
    open_top: bool = False  # no rule above its first row: the rest of a row a page break cut
    open_bottom: bool = False


@dataclass
class PageLayout:
    number: int
    height: float
    lines: list[Line]  # outside the tables, top to bottom
    tables: list[TableBox]


def wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def joined(before: Line, after: Line, right: float) -> str | None:
    """The text between two lines: "" or " " when `before` was wrapped because `after`'s first run
    did not fit before `right`, None when the source ended the line there."""
    if before.x1 + after.lead <= right + 0.01:  # it would have fitted: its writer broke the line
        return None
    return " " if before.ends_word and after.starts_word else ""


def cell_text(cell: CellBox | None) -> str:
    if cell is None or not cell.lines:
        return ""
    padding = min(max(min(line.x0 for line in cell.lines) - cell.x0, 0.0), (cell.x1 - cell.x0) / 4)
    text = cell.lines[0].text
    for before, after in itertools.pairwise(cell.lines):
        glue = joined(before, after, cell.x1 - padding)
        text += ("\n" if glue is None else glue) + after.text
    return text.strip()


def _margin_texts(pages: list[PageLayout]) -> set[str]:
    """Running headers and footers: a line in a page's margin repeated on REPEATED pages or more."""
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({re.sub(r"\d+", "#", line.text) for line in page.lines if _in_margin(line, page)})
    return {text for text, count in seen.items() if count >= REPEATED}


def _in_margin(line: Line, page: PageLayout) -> bool:
    return line.bottom < page.height * MARGIN or line.top > page.height * (1 - MARGIN)


def _text_edges(pages: list[PageLayout]) -> tuple[float, float]:
    """The left and right edges of the text outside tables, over the whole document. A right edge
    that only one line reaches is no edge (nothing wrapped there): then no line counts as full."""
    lines = [line for page in pages for line in page.lines]
    if not lines:
        return 0.0, 0.0
    left, right = min(line.x0 for line in lines), max(line.x1 for line in lines)
    full = [line for line in lines if line.x1 >= right - line.size]
    return left, (right if len(full) >= 2 else float("inf"))


def assemble(pages: list[PageLayout], name: str) -> list[tuple]:
    """("para", text, where) and ("row", [(text, where), …], where), in reading order."""
    layout_lines = _margin_texts(pages)
    left, right = _text_edges(pages)
    pieces: list[tuple[str, list, str]] = []  # ("lines", [Line…], where) or ("row", [CellBox | None…], where)
    row_cut = False  # the last piece is a row a page's foot cut open
    for page in pages:
        numbered = {id(line): n for n, line in enumerate(page.lines, start=1)}
        flow: list[tuple[float, Line | TableBox]] = [(line.top, line) for line in page.lines] + \
            [(table.top, table) for table in page.tables]
        for _, thing in sorted(flow, key=lambda item: item[0]):
            last = pieces[-1] if pieces else None
            if isinstance(thing, Line):
                if _in_margin(thing, page) and (_PAGE_NUMBER.match(thing.text)
                                                 or re.sub(r"\d+", "#", thing.text) in layout_lines):
                    continue
                if last and last[0] == "lines" and _continues(last[1][-1], thing, left, right):
                    last[1].append(thing)
                else:
                    pieces.append(("lines", [thing], f"{name} page {page.number} line {numbered[id(thing)]}"))
                row_cut = False
                continue
            rows = thing.rows
            first = 1
            if row_cut and last and thing.open_top and rows and len(rows[0]) == len(last[1]):
                _merge_row(last[1], rows[0])  # the rest of the row the page break cut
                rows, first = rows[1:], 2
            number = page.tables.index(thing) + 1
            pieces += [("row", list(row), f"{name} page {page.number} table {number} row {r}")
                       for r, row in enumerate(rows, start=first)]
            row_cut = thing.open_bottom
    items: list[tuple] = []
    for kind, content, where in pieces:
        if kind == "row":
            items.append(("row", [(cell_text(cell), f"{where} col {c}") for c, cell in enumerate(content, start=1)],
                          where))
        elif text := _paragraph_text(content, right):
            items.append(("para", text, where))
    return items


def _merge_row(upper: list[CellBox | None], lower: list[CellBox | None]) -> None:
    for c, cell in enumerate(lower):
        above = upper[c]
        if cell is not None:
            upper[c] = cell if above is None else CellBox(above.x0, above.x1, above.lines + cell.lines)


def _continues(before: Line, after: Line, left: float, right: float) -> bool:
    """Whether `after` is the same paragraph as `before`: `before` was full, `after` is not indented,
    in the same size, and no wider gap than a line parts them (or a page break does)."""
    gap = after.top - before.bottom
    same_page = gap > -before.size  # the next page starts at its top again
    return (not before.spread and joined(before, after, right) is not None and after.x0 <= left + after.size / 2
            and abs(after.size - before.size) < 0.5 and (not same_page or gap <= before.bottom - before.top))


def _paragraph_text(lines: list[Line], right: float) -> str:
    text = lines[0].text
    for before, after in itertools.pairwise(lines):
        text += (joined(before, after, right) or "") + after.text
    return text.strip()
