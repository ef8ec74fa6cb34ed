"""`build.py import x.pdf`: a PDF with a text layer imports as its text export does; a hostile,
encrypted, broken or scanned PDF is refused with one clear error line, never a stack trace."""

from __future__ import annotations

import io
import re
import zlib
from pathlib import Path

import pytest
from conftest import SEED
from shapes import Document, Table, write_source
from test_import import VARIANT_PART1, VARIANT_ROWS, VARIANT_TABLE, check_variant
from test_import_metadata import NAME, document, form

from builder.importers import interpret, pdf_pages
from builder.importers.sources import Row, read_source, read_text
from builder.pipeline import check_content


def seed_document() -> Document:
    """The seed as one description: its paragraphs, and each run of rows one table."""
    parts: list[str | Table] = []
    for block in read_text(SEED.name, SEED.read_text(encoding="utf-8")):
        if not isinstance(block, Row):
            parts.append(block.text)
        elif parts and isinstance(parts[-1], Table):
            parts[-1].rows.append(block.texts())
        else:
            parts.append(Table([block.texts()]))
    return Document(parts)


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory) -> Path:
    return write_source("pdf", seed_document(), tmp_path_factory.mktemp("pdf"), "seed")


def test_the_seed_as_a_pdf_imports_as_its_text_export_field_for_field(seed_pdf, tmp_path, cli):
    text = cli("import", str(SEED), "--out", str(tmp_path / "text"), cwd=tmp_path)
    pdf = cli("import", str(seed_pdf), "--out", str(tmp_path / "pdf"), cwd=tmp_path)
    assert pdf.code == 0, pdf.err
    (expected,) = check_content(tmp_path / "text").site.departments
    (department,) = check_content(tmp_path / "pdf").site.departments
    assert department == expected  # every field of the model, every project and indicator
    assert len(department.projects) == 4 and department.indicator_count == 52
    # The same findings, each pointing at its place in the PDF.
    assert pdf.err.rstrip().endswith("0 errors, 10 warnings in the imported content")
    assert text.err.count("warning:") == pdf.err.count("warning:")
    assert "  source: seed.pdf page 3 table 1 row 10 col 6" in pdf.err  # 成本指标 ≤20万元 above the budget
    assert "seed.pdf page 1 line 27: note: year 2022 (text 2022年我单位…; 3 codes 13022922…" in pdf.err


def test_wrapped_lines_are_joined_and_the_writers_line_breaks_kept(seed_pdf):
    blocks = read_source(seed_pdf)
    goals = next(row for row in blocks if isinstance(row, Row) and row.cells[0].text == "绩效目标").cells[1]
    assert goals.where == "seed.pdf page 3 table 1 row 5 col 2"
    assert goals.text == ("1.积极参加国家、省、市组织的招商推介活动，并自办招商推介活动。\n"
                          "2.进一步丰富招商宣传册和项目册内容，更好的宣传和推介我县的投资环境。\n"
                          "3.在做好招商网日常维护和更新的同时，加强网上项目推介，动态更新项目库，提高我县招商项目的时效性和可靠性，"
                          "及时接收和反馈项目信息并做好联系洽谈工作。")
    # A row a page break cut in two is one row: its label on the next page, its amounts on this one.
    budget = next(row for row in blocks if isinstance(row, Row) and row.cells[0].text == "预算规模及资金用途")
    assert [c.text for c in budget.cells] == ["预算规模及资金用途", "预算数", "100000.00", "其中：财政 资金", "100000.00",
                                              "其他资金", ""]
    assert budget.where == "seed.pdf page 2 table 1 row 3"
    paragraphs = [b for b in blocks if not isinstance(b, Row)]
    assert paragraphs[4].text.startswith("（一）贯彻落实国家") and paragraphs[4].text.endswith("发展规划及措施。")
    assert not any("— " in p.text or re.fullmatch(r"\d+", p.text) for p in paragraphs)  # no page numbers


def test_a_form_with_merged_cells_as_a_pdf_imports(tmp_path, cli):
    doc = Document([*VARIANT_PART1, "第二部分", "1.高标准农田建设绩效目标表",
                    Table(VARIANT_ROWS, merges=[(0, 0, 0, 5), (3, 1, 3, 6), (2, 0, 3, 0)]),
                    Table(VARIANT_TABLE, merges=[(2, 0, 4, 0)])])
    source = write_source("pdf", doc, tmp_path, "source")
    run = cli("import", str(source), "--out", str(tmp_path / "content"), cwd=tmp_path)
    assert run.code == 0, run.err
    check_variant(tmp_path / "content")


def test_a_line_set_out_in_columns_is_not_run_on_into_the_next(tmp_path):
    """A unit line with 单位：万元 pushed to the right margin reaches the edge by its layout: the line
    after it is not its continuation. A paragraph that wraps is one paragraph."""
    import weasyprint

    wrapped = "按照绩效预算编制要求，现将我单位绩效预算编制情况和绩效目标说明如下：" * 4
    html = ('<html lang=zh-CN><style>@page { size: A4; margin: 20mm } body { font: 10pt "Noto Sans CJK SC" } '
            "p { margin: 0 }</style>"
            '<p style="display: flex; justify-content: space-between"><span>304001玉田县商务和投资促进局本级</span>'
            f"<span>单位：万元</span></p><p>项目编码和项目名称见下表。</p><p>{wrapped}</p><p>三、工作保障措施</p>")
    source = tmp_path / "x.pdf"
    source.write_bytes(weasyprint.HTML(string=html).write_pdf())
    assert [(b.text, b.where) for b in read_source(source)] == [
        ("304001玉田县商务和投资促进局本级 单位：万元", "x.pdf page 1 line 1"),
        ("项目编码和项目名称见下表。", "x.pdf page 1 line 2"),
        (wrapped, "x.pdf page 1 line 3"),
        ("三、工作保障措施", "x.pdf page 1 line 6"),
    ]


@pytest.mark.parametrize("doc, year, unit, scope, money", [
    (Document(["2024年度部门预算", "1.招商经费绩效目标表", "304001玉田县商务和投资促进局机关    单位：万元",
               form(unit_line="", money="", code="P001")]), 2024, "304001", "机关", ["万元"]),
    (document("玉田县商务和投资促进局关于下达2023年中央服务业发展资金预算的通知绩效目标表",
              projects=[(NAME, form(code="13022924P00JXC411757B"))]), 2024, "304001", "本级", ["元"]),
], ids=["the unit line above the table", "a notice title, the code's year"])
def test_the_year_unit_and_money_unit_are_read_from_a_pdf(doc, year, unit, scope, money, tmp_path):
    result = interpret(read_source(write_source("pdf", doc, tmp_path, "x")), None, "x.pdf")
    department = result.department
    assert (department["year"], department["code"], department["scope"]) == (year, unit, scope)
    assert [p["money_unit"] for p in result.projects] == money


# --- hostile PDFs -----------------------------------------------------------------------------


def minimal_pdf(*objects: bytes) -> bytes:
    """A PDF of these objects (1 the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def deflate_bomb(size: int) -> bytes:
    """A FlateDecode stream of `size` zero bytes in about size/1000: a block of zeros, fully flushed,
    repeats (a block after a full flush refers to nothing before it)."""
    chunk = bytes(16 << 20)
    packer = zlib.compressobj(9)
    head = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    return head + block * (size // len(chunk) - 1) + packer.flush()


def hostile(kind: str, seed: bytes) -> bytes:
    if kind == "truncated":
        return seed[:len(seed) // 2]
    if kind == "truncated, %%EOF added":
        return seed[:len(seed) // 2] + b"\n%%EOF\n"
    if kind == "garbage after %PDF":
        return b"%PDF-1.7\n" + bytes(range(256)) * 400 + b"\n%%EOF\n"
    if kind == "not a PDF":
        return b"PK\x03\x04 a zip named .pdf" + b"\0" * 100
    if kind == "no pages":
        return minimal_pdf(CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>")
    if kind == "a huge page count":
        kids = b" ".join(b"%d 0 R" % (i + 3) for i in range(600))
        page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"
        return minimal_pdf(CATALOG, b"<< /Type /Pages /Kids [%s] /Count 600 >>" % kids, *[page] * 600)
    if kind == "a zip-bomb stream":
        bomb = deflate_bomb(512 << 20)
        return minimal_pdf(CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                           b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                           b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(bomb), bomb))
    if kind in ("encrypted", "scanned", "a scanned page among text"):
        from PIL import Image
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(seed)))
        if kind == "encrypted":
            writer.encrypt("secret", algorithm="AES-128")
        else:
            picture = io.BytesIO()
            Image.new("L", (600, 800), 200).save(picture, "PDF")
            if kind == "scanned":
                writer = PdfWriter(clone_from=PdfReader(picture))
            else:
                writer.insert_page(PdfReader(picture).pages[0], 2)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    raise ValueError(kind)


HOSTILE = [
    ("truncated", "x.pdf: error: the PDF is cut short (no %%EOF at its end)"),
    ("truncated, %%EOF added", "x.pdf: error: not a readable PDF (PDFNoValidXRef)"),
    ("garbage after %PDF", "x.pdf: error: not a readable PDF (PDFSyntaxError)"),
    ("not a PDF", "x.pdf: error: not a PDF file (it does not start with %PDF-)"),
    ("no pages", "x.pdf: error: the PDF has no pages"),
    ("a huge page count", "x.pdf: error: more than 500 pages, more than a disclosure"),
    ("a zip-bomb stream", "x.pdf: error: reading it needs more than 256 MB of memory, far more than a disclosure "
                          "(a compressed stream that unpacks to gigabytes?)"),
    ("encrypted", "x.pdf: error: the PDF is encrypted with a password"),
    ("scanned", "x.pdf: error: no text layer (a scanned PDF: its pages are pictures)"),
    ("a scanned page among text", "x.pdf page 3: error: the page has no text layer (a scanned page)"),
]


@pytest.mark.parametrize("kind, error", HOSTILE, ids=[kind for kind, _ in HOSTILE])
def test_a_hostile_pdf_gives_one_clean_error(kind, error, seed_pdf, tmp_path, cli, monkeypatch):
    monkeypatch.setattr(pdf_pages, "MAX_PDF_MEMORY", 256 * 1024 * 1024)  # the bomb unpacks to 512 MB
    source = tmp_path / "x.pdf"
    source.write_bytes(hostile(kind, seed_pdf.read_bytes()))
    run = cli("import", str(source), "--out", str(tmp_path / "content"), cwd=tmp_path)
    assert run.code == 1
    lines = run.err.splitlines()
    assert lines[0] == error and lines[1].startswith("  hint: ")
    assert lines[2:] == ["nothing was written"], run.err
    assert not (tmp_path / "content").exists()


def test_the_scanned_refusal_says_what_to_do(tmp_path, seed_pdf, cli):
    source = tmp_path / "x.pdf"
    source.write_bytes(hostile("scanned", seed_pdf.read_bytes()))
    run = cli("import", str(source), "--out", str(tmp_path / "content"), cwd=tmp_path)
    assert "  hint: OCR it first, or ask for the Word/Excel file" in run.err


def test_a_pdf_encrypted_without_a_password_is_read(seed_pdf, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(seed_pdf))
    writer.encrypt("", owner_password="owner", algorithm="AES-128")  # may be read, not edited: common
    source = tmp_path / "x.pdf"
    writer.write(source)
    assert _contents(read_source(source)) == _contents(read_source(seed_pdf))


def _contents(blocks: list) -> list:
    """Each block's text and position, without the file's name."""
    return [(b.where.split(" ", 1)[1], b.texts() if isinstance(b, Row) else b.text) for b in blocks]


@pytest.mark.parametrize("limit, value, error", [
    ("MAX_PAGE_SECONDS", 0.001, "x.pdf page 1: error: the page takes more than 0.001 s to read"),
    ("MAX_PAGE_RULES", 10, "x.pdf page 2: error: the page draws "),
    ("MAX_PAGE_CHARS", 100, "x.pdf page 1: error: the page holds "),
])
def test_each_page_is_bounded(limit, value, error, seed_pdf, tmp_path, cli, monkeypatch):
    monkeypatch.setattr(pdf_pages, limit, value)
    source = tmp_path / "x.pdf"
    source.write_bytes(seed_pdf.read_bytes())
    run = cli("import", str(source), "--out", str(tmp_path / "content"), cwd=tmp_path)
    assert run.code == 1 and run.err.startswith(error), run.err
    assert "Traceback" not in run.err
