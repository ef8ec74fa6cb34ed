"""A PDF with a text layer -> paragraphs and table rows (pdf_layout.py), read with pdfplumber inside
limits.

A PDF is a program for drawing pages, and a hostile one can ask for gigabytes (a compressed stream,
or streams nested in streams, that unpacks to far more than the file), for a million pages, or for
minutes of work on one page. So: the file must start as a PDF and end as one (`%%EOF`: a download
cut short is refused, not read in part); pdfplumber runs in a child process limited in memory and
time (base/bounded.py); pages are counted before any is read; each page is bounded in time and in
what it draws (characters, rules) before its tables are looked for.

Tables are found by their ruled lines, a table cut at a page's foot is closed there (a rule drawn
where its columns' rules end) so that its last row is read, and pdf_layout.py joins that row to its
rest on the next page. A cell covered by a merged cell reads "" as in the other shapes. A PDF without
a text layer (scanned pages) is refused: its text is in pictures, which import does not read.
"""

from __future__ import annotations

import functools
import io
import itertools
import logging
from typing import Any

from builder.base.bounded import Exceeded, Refused, bounded, causes, time_limit
from builder.base.messages import msg
from builder.importers.errors import SourceError
from builder.importers.pdf_layout import CLOSING, OPENING, CellBox, Line, PageLayout, TableBox, assemble, wide

MAX_PDF_PAGES = 500  # a county department's disclosure is tens of pages
MAX_PDF_SECONDS = 600  # pdfplumber reads a page of forms in 0.3 to 1 s: 500 pages fit
MAX_PAGE_SECONDS = 30
MAX_PDF_MEMORY = 1024 * 1024 * 1024  # bytes the reader may use on top of this process's own
# pdfminer logs what it makes of a damaged PDF (100,000 "Cannot set line width" lines, if a PDF asks):
# import reports a PDF in one line of its own, so pdfminer's go nowhere.
logging.getLogger("pdfminer").setLevel(logging.CRITICAL + 1)
MAX_PAGE_CHARS = 50_000  # a dense A4 page in 8 pt holds about 6,000
MAX_PAGE_RULES = 20_000  # lines, boxes and curves: a ruled form page draws a few hundred


def read_pdf_items(name: str, data: bytes) -> list[tuple]:
    """("para", text, where) and ("row", [(text, where), …], where) in reading order, or SourceError."""
    if b"%PDF-" not in data[:1024]:
        raise SourceError(name, msg("pdf_pages.not_pdf"))
    if b"%%EOF" not in data[-2048:]:
        raise SourceError(name, msg("pdf_pages.cut_short"))
    try:
        import pdfplumber  # noqa: F401 - imported here, once, for the child to inherit
    except ImportError:  # pragma: no cover - a runtime dependency missing
        raise SourceError(name, msg("pdf_pages.needs_pdfplumber")) from None
    try:
        items: list[tuple] = bounded(_read, (name, data), MAX_PDF_SECONDS, MAX_PDF_MEMORY)
    except Refused as refusal:
        raise SourceError(refusal.where or name, refusal.message, refusal.hint) from None
    except Exceeded as exceeded:
        if exceeded.limit == "memory":
            raise SourceError(name, msg("pdf_pages.memory", mb=MAX_PDF_MEMORY // 2 ** 20)) from None
        if exceeded.limit == "time":
            raise SourceError(name, msg("pdf_pages.time", seconds=MAX_PDF_SECONDS)) from None
        raise SourceError(name, msg("pdf_pages.unreadable",
                                    reason=exceeded.detail or msg("pdf_pages.broken"))) from None
    return items


def _refused(key: str, where: str | None = None, **args: object) -> Refused:
    """A refusal of the child that reads the PDF, in the words of the catalogue (the child is forked
    from this run, so it speaks the run's language)."""
    said = msg(key, **args)
    return Refused(said.text(), said.hint(), where)


def _read(name: str, data: bytes) -> list[tuple]:
    import pdfplumber
    from pdfminer.pdfpage import PDFPage

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        if _encrypted(exc):
            raise _refused("pdf_pages.encrypted") from None
        raise _refused("pdf_pages.unreadable", reason=type(causes(exc)[-1]).__name__) from None
    with pdf:
        count = sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), MAX_PDF_PAGES + 1))
        if count > MAX_PDF_PAGES:
            raise _refused("pdf_pages.too_many_pages", most=MAX_PDF_PAGES)
        if count == 0:
            raise _refused("pdf_pages.no_pages")
        layouts: list[PageLayout] = []
        pictures: list[int] = []  # pages with pictures and no text: scanned
        for number, page in enumerate(pdf.pages, start=1):
            with time_limit(MAX_PAGE_SECONDS, functools.partial(
                    _refused, "pdf_pages.page_time", f"{name} page {number}", seconds=MAX_PAGE_SECONDS)):
                layout = _layout(page, number, name)
            if not layout.lines and not layout.tables and page.images:
                pictures.append(number)
            layouts.append(layout)
            page.close()
    if not any(layout.lines or layout.tables for layout in layouts):
        raise _refused("pdf_pages.scanned")
    if pictures:
        where = f"{name} page {pictures[0]}"
        if len(pictures) > 1:
            raise _refused("pdf_pages.scanned_pages", where, more=len(pictures) - 1)
        raise _refused("pdf_pages.scanned_page", where)
    return assemble(layouts, name)


def _encrypted(exc: BaseException) -> bool:
    return any("Password" in type(e).__name__ or "Encrypt" in type(e).__name__ for e in causes(exc))


def _layout(page: Any, number: int, name: str) -> PageLayout:
    where = f"{name} page {number}"
    rules = len(page.lines) + len(page.rects) + len(page.curves)
    if rules > MAX_PAGE_RULES:
        raise _refused("pdf_pages.rules", where, count=rules, most=MAX_PAGE_RULES)
    # Counted before pdfplumber's dedupe_chars, which is quadratic (and out of the timer's reach in C).
    if len(page.chars) > MAX_PAGE_CHARS:
        raise _refused("pdf_pages.chars", where, count=len(page.chars), most=MAX_PAGE_CHARS)
    chars = [c for c in page.dedupe_chars().chars if c["text"].strip() or c["text"] == " "]
    if len(chars) > MAX_PAGE_CHARS:
        raise _refused("pdf_pages.chars", where, count=len(chars), most=MAX_PAGE_CHARS)
    tables, closed = _tables(page)
    cells: list[tuple[CellBox, tuple[float, float, float, float]]] = []
    boxes: list[TableBox] = []
    for table in sorted(tables, key=lambda t: t.bbox[1]):
        rows: list[list[CellBox | None]] = []
        for row in table.rows:
            rows.append([])
            for bbox in row.cells:
                box = None if bbox is None else CellBox(bbox[0], bbox[2])
                rows[-1].append(box)
                if box is not None:
                    cells.append((box, bbox))
        top, bottom = table.bbox[1], table.bbox[3]
        boxes.append(TableBox(top, bottom, rows, open_top=abs(top - closed[0]) < 1,
                              open_bottom=abs(bottom - closed[1]) < 1))
    loose: list[dict] = []
    in_cells: dict[int, list[dict]] = {}
    for char in chars:
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        hit = next((i for i, (_, b) in enumerate(cells) if b[0] <= x <= b[2] and b[1] <= y <= b[3]), None)
        if hit is None:
            loose.append(char)
        else:
            in_cells.setdefault(hit, []).append(char)
    for i, found in in_cells.items():
        cells[i][0].lines = lines_of(found)
    return PageLayout(number, float(page.height), lines_of(loose), boxes)


def _tables(page: Any) -> tuple[list, tuple[float, float]]:
    """The page's ruled tables, and where a table cut by the page's head or foot was closed (-1 if none)."""
    vertical = [e for e in page.edges if e["orientation"] == "v"]
    horizontal = [e for e in page.edges if e["orientation"] == "h"]
    extra: list[dict] = []
    closed = [-1.0, -1.0]
    if vertical and horizontal:
        top, bottom = min(e["top"] for e in vertical), max(e["bottom"] for e in vertical)
        x0, x1 = min(e["x0"] for e in vertical), max(e["x1"] for e in vertical)
        for end, y in ((0, top), (1, bottom)):
            ruled = sum(e["x1"] - e["x0"] for e in horizontal if abs(e["top"] - y) < 1)
            if ruled >= x1 - x0 - 1:
                continue  # a table ruled shut at this end
            # Open at the page's head or foot: a row the break cut (nothing ruled there), or a merged cell
            # running on to the next page (ruled but for its column). Closing it here makes that cell a
            # cell of its own; only a whole open row is the rest of a row on the next page.
            extra.append({"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0,
                          "height": 0})
            if not ruled:
                closed[end] = y
    tables = page.find_tables({"explicit_horizontal_lines": extra} if extra else {})
    return tables, (closed[0], closed[1])


def lines_of(chars: list[dict]) -> list[Line]:
    """Glyphs -> lines, top to bottom: a glyph joins the line whose middle it is level with."""
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        middle = (char["top"] + char["bottom"]) / 2
        for row in reversed(rows[-3:]):
            if row[0]["top"] <= middle <= row[0]["bottom"]:
                row.append(char)
                break
        else:
            rows.append([char])
    return [line for row in rows if (line := _line(sorted(row, key=lambda c: c["x0"])))]


def _line(chars: list[dict]) -> Line | None:
    text = chars[0]["text"]
    for before, char in itertools.pairwise(chars):
        if " " not in (before["text"], char["text"]):
            gap, size = char["x0"] - before["x1"], max(char["size"], 1.0)
            narrow = not (wide(before["text"][-1:]) or wide(char["text"][:1]))
            if gap > (0.2 if narrow else 0.8) * size:
                text += " "  # a space the PDF draws as a gap
        text += char["text"]
    glyphs = [c for c in chars if c["text"].strip()]
    if not glyphs:
        return None
    first, last = _first_run(glyphs), _last_run(glyphs)
    spread = any(b["x0"] - a["x1"] > 2 * max(b["size"], 1.0) for a, b in itertools.pairwise(glyphs))
    return Line(text.strip(), glyphs[0]["x0"], glyphs[-1]["x1"], min(c["top"] for c in glyphs),
                max(c["bottom"] for c in glyphs), max(c["size"] for c in glyphs),
                glyphs[first - 1]["x1"] - glyphs[0]["x0"],
                "".join(c["text"] for c in glyphs[:first]).isalpha() and glyphs[0]["text"].isascii(),
                "".join(c["text"] for c in glyphs[last:]).isalpha() and glyphs[-1]["text"].isascii(), spread)


def _first_run(glyphs: list[dict]) -> int:
    """How many glyphs a line's first unbreakable run holds: an ideograph (with the punctuation no
    line may start with after it), or a run of Latin letters and digits."""
    i, n = 0, len(glyphs)
    while i < n and glyphs[i]["text"] in OPENING:
        i += 1
    if i < n and wide(glyphs[i]["text"][:1]):
        i += 1
    else:
        while i < n and not wide(glyphs[i]["text"][:1]) and (glyphs[i]["text"] not in CLOSING or _in_number(glyphs, i)):
            i += 1
    while i < n and glyphs[i]["text"] in CLOSING:
        i += 1
    return max(i, 1)


def _in_number(glyphs: list[dict], i: int) -> bool:
    """A point or comma between digits (`1.2`, `1,250`): part of the number, which no line breaks."""
    return 0 < i < len(glyphs) - 1 and glyphs[i - 1]["text"].isdigit() and glyphs[i + 1]["text"].isdigit()


def _last_run(glyphs: list[dict]) -> int:
    """Where a line's last run of Latin letters starts (len(glyphs) when it ends in none)."""
    i = len(glyphs)
    while i > 0 and glyphs[i - 1]["text"].isascii() and glyphs[i - 1]["text"].isalpha():
        i -= 1
    return i if i < len(glyphs) else len(glyphs)
