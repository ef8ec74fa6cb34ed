"""A document written in every shape `build.py import` reads, from one description of it.

A fixture is a `Document`: paragraphs and tables in order, each table's rows as the form shows them
and its merged cells (the text in a merge's first cell, the others ""). `write_source` writes it as

    text   Word's text export: a cell per TAB-led line, a blank line between rows
    rows   rows pasted from Excel or WPS: one line each, TAB between cells, a cell holding a line break
           quoted (and running over the lines it holds), as Excel copies it
    docx   a Word file with real merged cells
    xlsx   an Excel sheet with merged ranges and numbers kept as numbers (95% as 0.95)
    pdf    a PDF with a text layer, each table drawn with ruled cells (WeasyPrint, Noto CJK)

so that one test can import the same form in each shape and compare with one expected YAML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

SHAPES = ["text", "rows", "docx", "xlsx", "pdf"]
SUFFIXES = {"text": ".txt", "rows": ".txt", "docx": ".docx", "xlsx": ".xlsx", "pdf": ".pdf"}


@dataclass
class Table:
    rows: list[list[str]]
    # (first row, first column, last row, last column), inclusive, 0-based; the text is in the first cell.
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        width = len(self.rows[0])
        if any(len(row) != width for row in self.rows):
            raise ValueError("every row of a fixture table has the same number of cells")
        for r0, c0, r1, c1 in self.merges:
            covered = [self.rows[r][c] for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)][1:]
            if any(covered):
                raise ValueError(f"merge {(r0, c0, r1, c1)} covers cells with text: {covered}")

    def span(self, r: int, c: int) -> tuple[int, int] | None:
        """(rows, columns) of the merge starting at (r, c); (0, 0) for a cell another merge covers."""
        for r0, c0, r1, c1 in self.merges:
            if (r, c) == (r0, c0):
                return r1 - r0 + 1, c1 - c0 + 1
            if r0 <= r <= r1 and c0 <= c <= c1:
                return 0, 0
        return None


@dataclass
class Document:
    parts: list[str | Table]

    def tables(self) -> list[Table]:
        return [p for p in self.parts if isinstance(p, Table)]


def write_source(shape: str, document: Document, folder: Path, stem: str) -> Path:
    path = folder / f"{stem}{SUFFIXES[shape]}"
    if shape == "text":
        path.write_text(word_text(document), encoding="utf-8")
    elif shape == "rows":
        path.write_text(excel_paste(document), encoding="utf-8")
    elif shape == "docx":
        docx_file(document, path)
    elif shape == "xlsx":
        xlsx_file(document, path)
    elif shape == "pdf":
        pdf_file(document, path)
    else:
        raise ValueError(f"no shape {shape!r}; one of {SHAPES}")
    return path


def word_text(document: Document) -> str:
    lines: list[str] = []
    for part in document.parts:
        if isinstance(part, str):
            lines.append(part)
            continue
        for row in part.rows:
            for cell in row:
                first, *rest = cell.split("\n")
                lines.append("\t" + first)
                lines += rest
            lines.append("")
    return "\n".join(lines) + "\n"


def excel_paste(document: Document) -> str:
    lines: list[str] = []
    for part in document.parts:
        if isinstance(part, str):
            lines.append(part)
        else:
            lines += ["\t".join(_pasted(cell) for cell in row) for row in part.rows]
    return "\n".join(lines) + "\n"


def _pasted(cell: str) -> str:
    """A cell as Excel and WPS copy it: quoted, inner quotes doubled, when it holds a line break or a quote."""
    return f'"{cell.replace(chr(34), chr(34) * 2)}"' if "\n" in cell or '"' in cell else cell


def docx_file(document: Document, path: Path) -> None:
    import docx

    out = docx.Document()
    for part in document.parts:
        if isinstance(part, str):
            out.add_paragraph(part)
            continue
        table = out.add_table(rows=len(part.rows), cols=len(part.rows[0]))
        for r, row in enumerate(part.rows):
            for c, text in enumerate(row):
                if text:
                    table.cell(r, c).text = text
        for r0, c0, r1, c1 in part.merges:
            text = part.rows[r0][c0]
            merged = table.cell(r0, c0).merge(table.cell(r1, c1))
            merged.text = text  # python-docx joins the merged cells' paragraphs; keep the one text
    out.save(path)


def xlsx_file(document: Document, path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for part in document.parts:
        if isinstance(part, str):
            sheet.append([part])
            continue
        start = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
        for r, row in enumerate(part.rows):
            for c, text in enumerate(row):
                cell = sheet.cell(start + r, c + 1)
                cell.value = xlsx_value(text)
                if re.fullmatch(r"\d+(\.\d+)?%", text):
                    decimals = len(text[:-1].partition(".")[2])  # 80.00% is shown with its two places
                    cell.number_format = "0." + "0" * decimals + "%" if decimals else "0%"
                elif re.fullmatch(r"\d+\.\d\d", text):
                    cell.number_format = "#,##0.00"
        for r0, c0, r1, c1 in part.merges:
            sheet.merge_cells(start_row=start + r0, start_column=c0 + 1, end_row=start + r1, end_column=c1 + 1)
    book.save(path)


def xlsx_value(cell: str) -> object:
    """A cell as Excel keeps it: numbers as numbers (95% as 0.95), text as text, blank as nothing."""
    if re.fullmatch(r"[1-9]\d{0,14}|0", cell):
        return int(cell)
    if re.fullmatch(r"\d+\.\d+", cell) and not re.fullmatch(r"\d+\.\d\d", cell):
        return float(cell)
    if re.fullmatch(r"\d+\.\d\d", cell):
        return float(cell)
    if re.fullmatch(r"\d+(\.\d+)?%", cell):
        return float(Decimal(cell[:-1]) / 100)  # as Excel stores a typed 96.33%: 0.9633, not 96.33 / 100
    return cell or None


_PDF_CSS = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 8pt; }
table { border-collapse: collapse; width: 100%; margin: 4mm 0; }
td { border: 0.6pt solid #000; padding: 1.5mm; vertical-align: top; }  /* Word's default */
"""


def pdf_html(document: Document) -> str:
    body: list[str] = []
    for part in document.parts:
        if isinstance(part, str):
            body.append(f"<p>{html.escape(part)}</p>")
            continue
        body.append("<table>")
        for r, row in enumerate(part.rows):
            cells = []
            for c, text in enumerate(row):
                span = part.span(r, c)
                if span == (0, 0):
                    continue
                attributes = f' rowspan="{span[0]}" colspan="{span[1]}"' if span else ""
                cells.append(f"<td{attributes}>{html.escape(text).replace(chr(10), '<br>')}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        body.append("</table>")
    return f"<!doctype html><html lang=zh-CN><meta charset=utf-8><style>{_PDF_CSS}</style>{''.join(body)}</html>"


def pdf_file(document: Document, path: Path) -> None:
    import weasyprint

    path.write_bytes(weasyprint.HTML(string=pdf_html(document)).write_pdf())
