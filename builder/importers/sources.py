"""Read a disclosure in any shape into one stream of paragraphs and table rows.

Shapes seen in the wild (DOMAIN.md, "Export shapes"):

- Word exported as text: each cell on its own line starting with a TAB, a
  blank line between rows, a cell running over several lines continues on
  lines without a TAB, bookmark lines like `[bookmark: _Toc_…]`;
- the same tables pasted from Excel or WPS: one row per line, cells
  separated by TABs;
- `.docx`, with real merged cells (a merged cell covers several grid
  positions; we keep it in the first and blank the rest, as the text export
  does);
- `.xlsx`, with merged ranges (the value sits in the top-left cell only; sheets.py);
- a PDF with a text layer, its tables found by their ruled lines (pdf_pages.py).

Every paragraph and cell remembers where it came from (`file:line`,
`file table 2 row 3`, `Sheet1!B3`, `file page 2 table 1 row 3 col 2`), so
findings point back into the source.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from builder.base.diagnostics import display_path
from builder.base.files import NotRegularFile, TooLarge, read_regular
from builder.base.messages import msg
from builder.importers.archives import check_office_archive
from builder.importers.blocks import Block, Cell, Para, Row, clean
from builder.importers.encoding import decode_text
from builder.importers.errors import SourceError
from builder.importers.pdf_pages import read_pdf_items
from builder.importers.sheets import read_xlsx

# A disclosure of a few hundred pages is well under 1 MB of text; 5 MB leaves room for pictures in a .docx.
MAX_SOURCE_BYTES = 5 * 1024 * 1024
# Word tables have at most 63 columns; a cell spanning more is a hostile file.
MAX_GRID_SPAN = 64
_BOOKMARK = re.compile(r"^\[bookmark: [^\]]*\]")




def read_source(path: Path) -> list[Block]:
    """Every source is bounded (size, then archive or encoding) before a parser sees it, and read
    once: the parsers get the bytes that were checked, never the path again (a file swapped for a
    FIFO or another file after the check could block them, or slip past the bounds)."""
    where = display_path(str(path))
    data = _read_regular_file(path, where)
    if not data:
        raise SourceError(where, msg("sources.empty"))
    suffix = path.suffix.lower()
    if suffix == ".pdf" or (suffix not in (".docx", ".xlsx") and data.startswith(b"%PDF-")):
        return read_pdf(path, data)
    if suffix in (".docx", ".xlsx"):
        check_office_archive(path, suffix, data)
        return read_docx(path, data) if suffix == ".docx" else read_xlsx(path, data)
    return read_text(path.name, decode_text(data, where))


def read_pdf(path: Path, data: bytes) -> list[Block]:
    """A PDF's text layer (pdf_pages.py): paragraphs, and rows of its ruled tables."""
    blocks: list[Block] = []
    for kind, content, where in read_pdf_items(path.name, data):
        blocks.append(Para(content, where) if kind == "para" else
                      Row(tuple(Cell(text, cell_where) for text, cell_where in content), where))
    return blocks


def _read_regular_file(path: Path, where: str) -> bytes:
    """The bytes of a regular file of at most MAX_SOURCE_BYTES (files.read_regular: a FIFO is never
    waited on; the name was the user's, so a link is followed)."""
    try:
        return read_regular(path, MAX_SOURCE_BYTES, follow_links=True)
    except FileNotFoundError:
        raise SourceError(where, msg("sources.missing")) from None
    except OSError as exc:
        raise SourceError(where, msg("sources.unreadable", reason=exc.strerror or type(exc).__name__)) from None
    except NotRegularFile as exc:
        if exc.folder:
            raise SourceError(where, msg("sources.folder")) from None
        raise SourceError(where, msg("sources.not_regular")) from None
    except TooLarge:
        raise SourceError(where, msg("sources.too_large", most=MAX_SOURCE_BYTES)) from None


def read_text(name: str, text: str) -> list[Block]:
    blocks: list[Block] = []
    cells: list[Cell] = []  # the row being read, cell-per-line shape
    row_start = 0

    def end_row() -> None:
        nonlocal cells
        if cells:
            blocks.append(Row(tuple(cells), f"{name}:{row_start}"))
            cells = []

    quoted: list[str] = []  # the lines of a pasted row whose quoted cell runs over several lines
    quoted_start = 0

    def end_quoted() -> None:
        row = _pasted_row("\n".join(quoted), name, quoted_start)
        quoted.clear()
        if row is not None:
            blocks.append(row)

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        where = f"{name}:{number}"
        if quoted:
            quoted.append(line)
            if _closed(quoted):
                end_quoted()
            continue
        if _opens_quote(line):  # Excel quotes a cell holding a line break: `"1.…⏎2.…"<TAB>…`
            end_row()
            quoted.append(line)
            quoted_start = number
            continue
        if line.startswith("\t") and "\t" not in line[1:]:
            if not cells:
                row_start = number
            cells.append(Cell(clean(line[1:]), where))
        elif "\t" in line:  # Excel/WPS paste: a whole row on one line
            end_row()
            parts = line.split("\t")
            blocks.append(Row(tuple(Cell(clean(p), f"{where} col {i + 1}") for i, p in enumerate(parts)), where))
        elif not line.strip():
            end_row()
        elif cells:  # a cell that runs over several lines
            last = cells[-1]
            cells[-1] = Cell(f"{last.text}\n{clean(line)}" if last.text else clean(line), last.where)
        else:
            text_line = clean(_BOOKMARK.sub("", line))
            if text_line:
                blocks.append(Para(text_line, where))
    if quoted:  # a quote never closed: read what there is
        end_quoted()
    end_row()
    return blocks


def _opens_quote(line: str) -> bool:
    """Whether a pasted row's line leaves a quoted cell open: a cell starts with `"` and the line holds an
    odd number of them (Excel doubles a quote inside a quoted cell)."""
    return line.count('"') % 2 == 1 and any(cell.startswith('"') for cell in line.split("\t"))


def _closed(lines: list[str]) -> bool:
    return sum(line.count('"') for line in lines) % 2 == 0


def _pasted_row(text: str, name: str, start: int) -> Block | None:
    """A row pasted from Excel or WPS whose quoted cells may hold line breaks, TABs and doubled quotes."""
    cells = next(csv.reader(io.StringIO(text), delimiter="\t", quotechar='"', strict=False), [])
    if not any(cell.strip() for cell in cells):
        return None
    if len(cells) == 1:
        return Para(clean(cells[0]), f"{name}:{start}")
    return Row(tuple(Cell(clean(cell), f"{name}:{start} col {i + 1}") for i, cell in enumerate(cells)), f"{name}:{start}")


def read_docx(path: Path, data: bytes) -> list[Block]:
    try:
        import docx
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - a dev dependency missing
        raise SourceError(path.name, msg("sources.needs_python_docx")) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise SourceError(path.name, msg("sources.unreadable_docx", reason=type(exc).__name__)) from None
    _bound_spans(document, path)
    blocks: list[Block] = []
    tables = 0
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean(Paragraph(element, document).text)
            if text:
                blocks.append(Para(text, f"{path.name} paragraph {len(blocks) + 1}"))
        elif tag == "tbl":
            tables += 1
            for r, texts in enumerate(_table_rows(element, lambda p: Paragraph(p, document).text), start=1):
                cells = tuple(Cell(text, f"{path.name} table {tables} row {r} col {c}")
                              for c, text in enumerate(texts, start=1))
                blocks.append(Row(cells, f"{path.name} table {tables} row {r}"))
    return blocks


def _table_rows(tbl: Any, paragraph_text: Callable[[Any], str]) -> Iterator[list[str]]:
    """Each row of a `w:tbl` as one text per grid column its cells cover, read from the XML in one pass.

    The same texts python-docx's `row.cells` gives (a cell once per grid column it spans) with a
    merged cell kept in its first slot and blanked in the rest, as the text export has it. python-docx
    finds the cell a `w:vMerge` continues by walking up the table, recursively, for every row:
    quadratic, and a RecursionError past ~1,000 rows. Here each row remembers, by grid column, the
    cell that holds the text there, and the row below looks it up.

    A cell's text is its own paragraphs; a table nested in it is not read (as python-docx reads
    cells). A continuation with no cell above it, which python-docx cannot read, is a cell of its own.
    """
    from docx.oxml.ns import qn

    above: dict[int, object] = {}  # grid column -> the cell holding the text there, in the row above
    for tr in tbl.iterchildren(qn("w:tr")):
        here: dict[int, object] = {}
        column = _number(tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"), 0)  # a row may start late
        texts: list[str] = []
        for tc in tr.iterchildren(qn("w:tc")):
            merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            top = above.get(column) if merge is not None and merge.get(qn("w:val"), "continue") == "continue" \
                else None
            if top is None:
                top, text = tc, clean("\n".join(paragraph_text(p) for p in tc.iterchildren(qn("w:p"))))
            else:
                text = ""  # read where the merge starts
            width = _span(top)
            texts += ([text] + [""] * (width - 1))[:width]
            here.setdefault(column, top)
            column += _span(tc)
        above = here
        yield texts


def _span(tc: Any) -> int:
    from docx.oxml.ns import qn

    return _number(tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}"), 1)


def _number(element: Any, default: int) -> int:
    """The `w:val` of a `w:gridSpan` or `w:gridBefore` (checked by _bound_spans), `default` without one."""
    from docx.oxml.ns import qn

    value = None if element is None else element.get(qn("w:val"))
    return int(value) if value is not None and value.isdecimal() else default


def _bound_spans(document: Any, path: Path) -> None:
    """A cell is read once per column it spans: refuse spans no Word table has."""
    from docx.oxml.ns import qn

    for span in document.element.body.iter(qn("w:gridSpan")):
        value = span.get(qn("w:val"), "1")
        if not value.isdecimal() or int(value) > MAX_GRID_SPAN:
            raise SourceError(path.name, msg("sources.wide_cell", span=repr(value[:20]), most=MAX_GRID_SPAN - 1))
