"""PDF annexes and volumes, read back: text, tables, outline, fonts, metadata, safety."""

from __future__ import annotations

import http.server
import io
import itertools
import os
import re
import struct
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import pdfplumber
import pytest
import weasyprint
import yaml
from conftest import CONTENT, DEPARTMENT, PROJECT, ROOT, SEED
from pypdf import PdfReader
from test_seed import seed_cells

from builder.pipeline import DEFAULT_THEMES, build_site
from builder.render import fonts
from builder.render.downloads import file_size
from builder.render.text_fit import label_lines, pieces
from builder.render.themes import load_theme

SEED_PROJECTS = ["13022922P00JXC411757B", "13022922P000BR0103603", "13022922P00JXC411759J", "130229214I5FK2QU161C5"]


@pytest.fixture
def seed_pdfs(seed_build) -> Path:
    """The seed as built once for the session (conftest.seed_build)."""
    return seed_build


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_each_annex_contains_every_cell_of_its_source_table(seed_pdfs):
    seed = [squeeze(c) for c in seed_cells()]
    for number, code in enumerate(SEED_PROJECTS, start=1):
        text = squeeze(text_of(seed_pdfs / f"2022/304001/projects/{code}.pdf"))
        # The source table of project N runs from its heading to the next heading.
        start = next(i for i, c in enumerate(seed) if c.startswith(f"{number}.") and c.endswith("绩效目标表"))
        end = next((i for i, c in enumerate(seed) if c.startswith(f"{number + 1}.") and c.endswith("绩效目标表")),
                   len(seed))
        for cell in seed[start:end]:
            shown = f"{float(cell):,.2f}" if re.fullmatch(r"\d+\.\d{2}", cell) else cell
            assert shown in text, f"{code}: {cell!r} missing"


def seed_tables() -> list[list[list[str]]]:
    """The indicator rows of each project in the seed: 一级, 二级, 三级, 描述, 指标值, 依据 (spacer dropped)."""
    tables, row, in_table = [], [], False
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        if line.startswith("\t"):
            row.append(line[1:])
            continue
        if row and row[0] == "一级指标":
            tables.append([])
            in_table = True
        elif row and in_table and len(row) == 7:
            tables[-1].append(row[:4] + row[5:])
        if line.startswith("[bookmark"):
            in_table = False
        row = []
    return tables


def test_indicator_table_extracts_as_the_source_rows(seed_pdfs):
    """pdfplumber reads each annex's indicator table back with the source's cells.

    A merged 一级 cell that runs over a page break is split there (render/continued.py),
    and its part on the next page says its label again with （续）.
    """
    for code, source in zip(SEED_PROJECTS, seed_tables(), strict=True):
        path = seed_pdfs / f"2022/304001/projects/{code}.pdf"
        rows = []
        with pdfplumber.open(path) as pdf:
            text = squeeze("".join(page.extract_text() for page in pdf.pages))
            for page in pdf.pages:
                for table in page.extract_tables():
                    rows += [[squeeze(c or "") for c in row] for row in table
                             if len(row) == 6 and squeeze(row[0] or "") != "一级指标"]
        assert [r[1:] for r in rows] == [[squeeze(c) for c in s[1:]] for s in source], code
        found = [r[0] for r in rows if r[0]]
        labels = [s[0] for s in source if s[0]]
        assert [label for label in found if not label.endswith("（续）")] == labels, code
        for before, label in itertools.pairwise(found):
            if label.endswith("（续）"):
                assert label.removesuffix("（续）") == before.removesuffix("（续）"), code
        assert "绩效目标表" in text


def printed_label() -> re.Pattern[str]:
    """What a label cell of a form says: a UI string of the theme (a unit, a period, a year, a weight or
    a label in it any text) or a category of the built-in frameworks, with a （…） after it or not
    (（续）, （50分）)."""
    short = re.compile(r"\\\{(?:unit|period|year|weight|label)\\\}")
    strings = [short.sub(".+", re.escape(value)) for value in load_theme(DEFAULT_THEMES, "default").catalog("zh-CN").values()
               if not re.search(r"\{(?!(?:unit|period|year|weight|label)\})", value)]
    categories: list[str] = []

    def walk(level: list[dict]) -> None:
        for category in level:
            categories.extend([category["name"], *category.get("aliases", [])])
            walk(category.get("children", []))

    for path in (ROOT / "builder" / "content" / "frameworks").glob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8"))["categories"])
    return re.compile("|".join(f"(?:{s})" for s in strings)
                      + "|" + "|".join(f"(?:{re.escape(c)}(?:（[^（）]+）)*)" for c in categories))


def cells_lines(page: pdfplumber.page.Page) -> list[list[str]]:
    """The text of each ruled cell of `page`, line by line."""
    chars = [c for c in page.chars if c["text"].strip()]
    found = []
    for table in page.find_tables():
        for x0, top, x1, bottom in table.cells:
            lines: dict[float, list[dict]] = {}
            for c in chars:
                if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom:
                    key = next((k for k in lines if abs(k - c["top"]) < 2), c["top"])
                    lines.setdefault(key, []).append(c)
            found.append(["".join(c["text"] for c in sorted(line, key=lambda c: c["x0"]))
                          for _, line in sorted(lines.items())])
    return found


def broken_labels(pdf: Path, pages: slice = slice(None)) -> tuple[list[list[str]], list[list[str]]]:
    """The label cells of `pdf` set on more than one line: those broken between words, and those
    broken inside one (一级指/标)."""
    label = printed_label()
    between, inside = [], []
    with pdfplumber.open(pdf) as document:
        for page in document.pages[pages]:
            for lines in cells_lines(page):
                text = "".join(lines)
                if len(lines) < 2 or not label.fullmatch(text):
                    continue
                ends = {sum(len(p) for p in pieces(text)[:n]) for n in range(len(pieces(text)) + 1)}
                breaks = {sum(len(line) for line in lines[:n]) for n in range(1, len(lines))}
                (between if breaks <= ends else inside).append(lines)
    return between, inside


def test_label_lines_break_between_words_in_the_width_given():
    assert label_lines("一级指标", 4.22) == ["一级指标"]
    assert label_lines("一级指标", 3.4) == ["一级", "指标"]
    assert label_lines("服务对象满意度指标", 4.22) == ["服务对象", "满意度", "指标"]
    assert label_lines("预算规模及资金用途", 4.17) == ["预算规模", "及资金", "用途"]
    assert label_lines("其中：财政资金", 4.7) == ["其中：", "财政资金"]
    assert label_lines("效益指标（续）", 4.22) == ["效益指标", "（续）"]
    assert label_lines("偏差原因分析\n及改进措施", 8) == ["偏差原因分析", "及改进措施"]
    assert label_lines("权重", 1.5) == ["权重"]  # wider than the cell: the renderer wraps it, as it must


def test_label_cells_break_only_between_words(seed_pdfs):
    """Each form's heads and category cells, read back: 服务对象/满意度/指标, never 一级指/标."""
    between, inside = [], []
    for pdf, pages in [(f"2022/304001/projects/{code}.pdf", slice(None)) for code in SEED_PROJECTS[:2]] + [
            (f"2022/304001/projects/{SEED_PROJECTS[3]}.monitoring.pdf", slice(None)),
            ("2022/304001/304001-2022.pdf", slice(19, 24))]:  # the department's and a project's 自评表
        found, broken = broken_labels(seed_pdfs / pdf, pages)
        between += found
        inside += [(pdf, lines) for lines in broken]
    assert inside == []
    assert ["服务对象", "满意度", "指标"] in between and ["偏差原因分析", "及改进措施"] in between
    assert any(lines[-1] == "（续）" for lines in between)  # a category continued from the page before


def test_no_page_holds_a_lone_row_of_a_table():
    """print.css keeps a table's first two rows together and its last two: rows of 40 mm in a type
    area of 225 mm, the first after 180 mm of text, or the last after 100."""
    css = weasyprint.CSS(filename=DEFAULT_THEMES / "default" / "static" / "print.css")

    def pages_of_rows(space: int) -> list[int]:
        rows = "".join(f'<tr><td style="height: 36mm">第{n}行</td></tr>' for n in range(1, 5))
        html = f'<html lang="zh-CN"><body><div style="height: {space}mm"></div><table><tbody>{rows}</tbody></table>'
        with pdfplumber.open(io.BytesIO(weasyprint.HTML(string=html).write_pdf(stylesheets=[css]))) as pdf:
            return [next(n for n, page in enumerate(pdf.pages) if f"第{row}行" in page.extract_text())
                    for row in range(1, 5)]

    assert pages_of_rows(100) == [0, 0, 1, 1]  # not [0, 0, 0, 1]
    assert pages_of_rows(180) == [1, 1, 1, 1]  # not [0, 1, 1, 1]


def test_volume_pages_are_numbered_on_their_outer_side_and_its_contents_keep_their_leaders(seed_pdfs):
    """GB/T 9704-2012 7.5: — 3 — one character in from the right on an odd page, — 2 — from the left on
    an even one, 7 mm under the type area (37 mm top margin, 225 mm high; the binding side 28 mm)."""
    mm = 72 / 25.4
    with pdfplumber.open(seed_pdfs / "2022/304001/304001-2022.pdf") as pdf:
        for page in pdf.pages[1:5]:
            number = [c for c in page.chars if c["top"] > (37 + 225) * mm]
            text = "".join(c["text"] for c in number)
            assert text.replace(" ", "") == f"—{page.page_number}—", text
            if page.page_number % 2:
                assert number[-1]["x1"] == pytest.approx(page.width - 26 * mm - 14, abs=1)
            else:
                assert number[0]["x0"] == pytest.approx(26 * mm + 14, abs=1)
            middle = (number[0]["top"] + number[-1]["bottom"]) / 2
            assert middle - (37 + 225) * mm == pytest.approx(7 * mm, abs=1.5 * mm)
        lines = pdf.pages[1].extract_text().split("\n")
    entries = [line for line in lines if re.search(r"\.{3,}\s*\d+$", line)]
    wrapped = [line for line in lines if line not in entries and "录" not in line and "—" not in line]
    assert entries and wrapped, lines
    # A wrapped entry ends with its last words, the leader and the number; no line has the leader alone.
    assert not [line for line in entries if re.fullmatch(r"[.\s]*\d+", line)], entries


def test_volume_outline_lists_every_part_and_project(seed_pdfs):
    reader = PdfReader(seed_pdfs / "2022/304001/304001-2022.pdf")

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    outline = list(titles(reader.outline))
    assert "第一部分　部门整体绩效目标" in outline and "第二部分　预算项目绩效目标" in outline
    for project in ("1.#招商经费绩效目标表", "3.疫情防控经费绩效目标表"):
        assert project in outline
    assert len([t for t in outline if t.endswith("绩效目标表")]) == 4
    text = text_of(seed_pdfs / "2022/304001/304001-2022.pdf")
    assert "目　录" in text and "— 3 —" in text


def test_metadata_language_and_archival_form(seed_pdfs):
    reader = PdfReader(seed_pdfs / "2022/304001/projects/13022922P00JXC411757B.pdf")
    meta = reader.metadata
    assert meta.title == "#招商经费绩效目标表"
    assert meta.author == "玉田县商务和投资促进局"
    assert "13022922P00JXC411757B" in meta.subject
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN"
    assert "/StructTreeRoot" in root  # tagged
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4
    # The project's own content file travels inside its annex.
    attachments = reader.attachments
    assert list(attachments) == ["13022922P00JXC411757B.yaml"]
    assert attachments["13022922P00JXC411757B.yaml"][0] == (
        CONTENT / "2022/304001/projects/13022922P00JXC411757B.yaml").read_bytes()


def test_fonts_are_embedded_cjk_sc_faces(seed_pdfs):
    for path in [seed_pdfs / "2022/304001/304001-2022.pdf", seed_pdfs / f"2022/304001/projects/{SEED_PROJECTS[0]}.pdf"]:
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        fonts = [line.split() for line in listing.splitlines()[2:]]
        assert fonts, listing
        for font in fonts:
            name, emb, sub = font[0], font[-5], font[-4]
            assert (emb, sub) == ("yes", "yes"), listing
            assert "CJK-SC" in name or "CJKsc" in name, listing


def test_no_link_in_a_pdf_points_at_the_build_machine(seed_pdfs):
    for path in seed_pdfs.rglob("*.pdf"):
        data = path.read_bytes()
        assert b"file:" not in data, path
        reader = PdfReader(path)
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                if action and "/URI" in action:
                    assert not str(action["/URI"]).startswith("file:"), path


def test_web_pages_link_each_pdf_with_its_size(seed_pdfs):
    page = (seed_pdfs / "2022/304001/projects/13022922P00JXC411757B.html").read_text(encoding="utf-8")
    size = (seed_pdfs / "2022/304001/projects/13022922P00JXC411757B.pdf").stat().st_size
    assert 'href="13022922P00JXC411757B.pdf"' in page
    assert f'PDF</a><span class="size">，{file_size(size)}</span>' in page
    department = (seed_pdfs / "2022/304001/index.html").read_text(encoding="utf-8")
    assert 'href="304001-2022.pdf"' in department


def many_indicators(count: int) -> str:
    """The test project with `count` indicators under 产出指标/数量指标, merged as in a source that leaves
    the category cells of the rows after the first blank."""
    rows = "".join(f"  - name: 第{n}项指标，名称较长以占满单元格\n    target: ≥{n}次\n" for n in range(2, count + 1))
    return PROJECT.replace("  - level2: 成本指标\n", rows + "  - level2: 成本指标\n")


def test_a_long_table_repeats_its_header_and_its_categories_on_every_page(scratch, tmp_path):
    scratch.project().write_text(many_indicators(60), encoding="utf-8")
    output = tmp_path / "out"
    assert build_site(scratch.content, output).site is not None
    pdf = output / "2022/100001/projects/P001.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 3
    for page in reader.pages[1:]:
        text = squeeze(page.extract_text())
        assert "一级指标二级指标三级指标绩效指标描述指标值指标值确定依据" in text
        assert "—" in page.extract_text()  # page number
    with pdfplumber.open(pdf) as document:
        bodies = [[[squeeze(c or "") for c in row] for table in page.extract_tables() for row in table
                   if len(row) == 6 and squeeze(row[1] or "") != "二级指标"] for page in document.pages]
    # The 61 rows of 产出指标/数量指标 run over three pages: each later page says so at its top.
    for rows in bodies[1:]:
        assert rows[0][:2] == ["产出指标（续）", "数量指标（续）"], rows[0]
    assert sum(len(rows) for rows in bodies) == 62  # every indicator once
    assert all(len(rows) >= 2 for rows in bodies), [len(rows) for rows in bodies]  # no page holds a lone row


def text_over_rules(pdf: Path) -> list[str]:
    """Characters that a vertical rule of a table runs through: text wider than its cell."""
    crossed = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            rules = [e for e in page.edges if e["orientation"] == "v"]
            crossed += [c["text"] for c in page.chars for rule in rules
                        if c["x0"] + 0.1 < rule["x0"] < c["x1"] - 0.1 and c["top"] < rule["bottom"]
                        and c["bottom"] > rule["top"]]
    return crossed


def test_the_form_head_keeps_a_large_amount_and_a_long_code_inside_their_cells(scratch, tmp_path, seed_pdfs):
    # The head table's columns are set from its amounts and code (print/form.html), not measured.
    code = "13022922P00JXC411757BWM"
    scratch.project().unlink()
    scratch.department.write_text(DEPARTMENT.replace("  - P001", f"  - {code}"), encoding="utf-8")
    scratch.project(code).write_text(PROJECT.replace("code: P001", f"code: {code}").replace(
        "total: 100000.00\n  fiscal: 100000.00\n  other:",
        "total: 1234567890.00\n  fiscal: 1000000000.00\n  other: 234567890.00"), encoding="utf-8")
    output = tmp_path / "out"
    assert build_site(scratch.content, output).site is not None
    for pdf in (output / "2022/100001/projects/13022922P00JXC411757BWM.pdf", output / "2022/100001/100001-2022.pdf"):
        assert text_over_rules(pdf) == [], pdf
        text = text_of(pdf)
        for amount in ("1,234,567,890.00", "1,000,000,000.00", "234,567,890.00"):
            assert amount in text, (pdf, amount)  # on one line, not wrapped
        assert code in squeeze(text)  # inside its cell, if on two lines
    for seed_code in SEED_PROJECTS:
        assert text_over_rules(seed_pdfs / f"2022/304001/projects/{seed_code}.pdf") == [], seed_code


def test_two_builds_give_identical_pdfs(scratch, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1640995200")
    first, second = tmp_path / "a", tmp_path / "b"
    assert build_site(scratch.content, first).site is not None
    assert build_site(scratch.content, second).site is not None
    for path in first.rglob("*.pdf"):
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path
    assert PdfReader(first / "2022/100001/projects/P001.pdf").metadata.creation_date.year == 2022


def pdf_fonts(path: Path) -> list[str]:
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0].split("+", 1)[1] for line in listing.splitlines()[2:]]


def test_annexes_embed_the_gb2312_cut_and_the_whole_face_only_for_a_rarer_character(scratch, tmp_path):
    if not fonts.cut_fonts(["Noto Serif CJK SC"]):
        pytest.skip("no HarfBuzz subsetter or no writable ~/.cache here: PDFs use the whole faces")
    plain = tmp_path / "plain"
    assert build_site(scratch.content, plain).site is not None
    assert set(pdf_fonts(plain / "2022/100001/projects/P001.pdf")) <= {
        "Noto-Serif-CJK-SC-GB2312", "Noto-Serif-CJK-SC-GB2312-Bold", "Noto-Sans-CJK-SC-GB2312",
        "Noto-Sans-CJK-SC-GB2312-Bold"}
    # 堃 and 喆 are not in GB 2312 (names of people and places often are not): they come from the whole face.
    scratch.project().write_text(PROJECT.replace("purpose: 测试用途。", "purpose: 测试堃喆用途。"), encoding="utf-8")
    rare = tmp_path / "rare"
    assert build_site(scratch.content, rare).site is not None
    pdf = rare / "2022/100001/projects/P001.pdf"
    assert "Noto-Serif-CJK-SC" in pdf_fonts(pdf) and "Noto-Serif-CJK-SC-GB2312" in pdf_fonts(pdf)
    assert "测试堃喆用途" in squeeze(text_of(pdf))


def test_a_missing_glyph_fails_the_build_and_names_the_project(scratch, cli):
    scratch.project().write_text(PROJECT.replace("purpose: 测试用途。", "purpose: 测试\ue000用途。"), encoding="utf-8")
    assert not (scratch.root / "output").exists()
    run = cli("build", cwd=scratch.root)
    assert run.code == 1
    assert any(d.startswith("content/2022/100001/projects/P001.yaml:1:1: error: cannot make the PDF of project P001 "
                            "测试项目 (2022 测试局): .notdef glyph") for d in run.diagnostics), run.err
    assert not (scratch.root / "output").exists()


def child_theme(tmp_path: Path, form_extra: str = "", css: str = "") -> Path:
    themes = tmp_path / "themes"
    themes.mkdir(parents=True)
    (themes / "default").symlink_to(DEFAULT_THEMES / "default")
    (themes / "evil" / "templates" / "print").mkdir(parents=True)
    (themes / "evil" / "static").mkdir(parents=True)
    (themes / "evil" / "theme.yaml").write_text("extends: default\n", encoding="utf-8")
    annex = (DEFAULT_THEMES / "default/templates/print/annex.html").read_text(encoding="utf-8")
    (themes / "evil" / "templates" / "print" / "annex.html").write_text(
        annex.replace("{% block body %}", "{% block body %}\n" + form_extra), encoding="utf-8")
    (themes / "evil" / "static" / "print.css").write_text(
        css + (DEFAULT_THEMES / "default/static/print.css").read_text(encoding="utf-8"), encoding="utf-8")
    return themes


def test_a_missing_image_fails_the_build(scratch, tmp_path):
    themes = child_theme(tmp_path, '<img src="logo.png" alt="徽标">')
    scratch.site.write_text("title: 测试站点\npublisher: 测试财政局\ntheme: evil\n", encoding="utf-8")
    result = build_site(scratch.content, tmp_path / "out", themes)
    assert result.site is None
    (error,) = [d.message for d in result.report.errors]
    assert error.startswith("cannot make the PDF of project P001 测试项目 (2022 测试局): cannot use file://")
    assert error.endswith("logo.png: no such file")


@pytest.fixture
def watched_server():
    """A server on 127.0.0.1 that counts the requests it gets: a PDF must send it none."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


WAYS = {
    "img": lambda url: (f'<img src="{url}" alt="x">', ""),
    "css background": lambda url: ("", f"body {{ background: url('{url}'); }}\n"),
    "@import": lambda url: ("", f"@import url('{url}');\n"),
    "link stylesheet": lambda url: (f'<link rel="stylesheet" href="{url}">', ""),
    "@font-face": lambda url: ("", f"@font-face {{ font-family: X; src: url('{url}'); }} body {{ font-family: X; }}\n"),
    "svg image": lambda url: (f'<svg width="10" height="10"><image href="{url}" width="10" height="10"/></svg>', ""),
    "attachment": lambda url: (f'<link rel="attachment" href="{url}">', ""),
}


@pytest.mark.parametrize("way", list(WAYS))
@pytest.mark.parametrize("target", ["http", "etc passwd", "outside the roots", "symlink out"])
def test_the_fetcher_refuses_every_way_out(way, target, scratch, tmp_path, watched_server):
    base, requests = watched_server
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not really")
    # A link inside the theme (themes are reviewed, but a link in one must still not reach out).
    link = tmp_path / "themes" / "evil" / "static" / "link.png"
    url = {"http": f"{base}/x.png", "etc passwd": "file:///etc/passwd", "outside the roots": secret.as_uri(),
           "symlink out": link.as_uri()}[target]
    html, css = WAYS[way](url)
    themes = child_theme(tmp_path, html, css)
    link.symlink_to(secret)
    scratch.site.write_text("title: 测试站点\npublisher: 测试财政局\ntheme: evil\n", encoding="utf-8")
    result = build_site(scratch.content, tmp_path / "out", themes)
    assert result.site is None, f"{way} {target} was not refused"
    assert any("cannot make the PDF" in d.message for d in result.report.errors)
    assert requests == []
    assert not (tmp_path / "out").exists()


def png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def test_the_fetcher_allows_theme_files(scratch, tmp_path):
    seal = tmp_path / "themes" / "evil" / "static" / "seal.png"
    themes = child_theme(tmp_path, f'<img src="{seal.as_uri()}" alt="印章">')
    seal.write_bytes(png_1x1())
    scratch.site.write_text("title: 测试站点\npublisher: 测试财政局\ntheme: evil\n", encoding="utf-8")
    result = build_site(scratch.content, tmp_path / "out", themes)
    assert result.site is not None, [d.format() for d in result.report.errors]
    assert (tmp_path / "out/2022/100001/projects/P001.pdf").read_bytes().startswith(b"%PDF-")


def test_a_volume_takes_its_forms_from_its_annexes_pages_byte_for_byte(tmp_path, monkeypatch):
    """A form that begins a page of the volume is not laid out again there: the volume takes the annex's
    pages (render/volume_pages.py), those a worker kept and those it lays out for the volume alike, and
    is the PDF it would be had it laid out every form itself."""
    from test_incremental import corpus

    from builder.history.tree import ContentTree
    from builder.pipeline import check_content
    from builder.render import volume_pages
    from builder.render.pdfs import PDFRenderer, pdf_jobs

    content = tmp_path / "content"
    corpus.generate(content, departments=1, projects=3, seed=5)
    site = check_content(content).site
    tree = ContentTree.read(content)
    renderer = PDFRenderer(site, load_theme(DEFAULT_THEMES, site.theme), content, tree.date,
                           tree.files.relative_digests())
    jobs = pdf_jobs(site)
    annexes, volume = jobs[:-1], jobs[-1]
    assert [job.kind for job in annexes] == ["annex"] * 3 and volume.kind == "volume"
    made = []
    html = renderer.html
    monkeypatch.setattr(renderer, "html", lambda job, slots=None: made.append(html(job, slots)) or made[-1])

    renderer.render(annexes[0], keep=True)  # a worker's batch: one annex made and kept, the others laid out
    assembled = renderer.render(volume)
    forms = [text for text in made if 'class="volume"' in text]
    assert len(forms) == 1 and forms[0].count('class="form-title"') == 1  # the first form, under its part's title
    assert forms[0].count("data-slot=") == sum(len(PdfReader(io.BytesIO(renderer.render(job))).pages)
                                              for job in annexes[1:])

    def refuse(volume, forms):
        raise volume_pages.Mismatch("laid out whole")

    monkeypatch.setattr(volume_pages, "assemble", refuse)
    assert renderer.render(volume) == assembled


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_leaves_no_copy_of_the_fonts_behind(jobs, scratch, tmp_path):
    """WeasyPrint copies print.css's fonts (17 MB) into a temporary folder for each process and
    deletes it only when collected, which a pool's worker never is: every build with PDFs left
    one such folder per worker in the system's temporary folder (render/pdfs.font_folder)."""
    temporary, output = tmp_path / "tmp", tmp_path / "out"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary), "SOURCE_DATE_EPOCH": "1640995200"}
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(scratch.content),
                           "--output", str(output), "--jobs", jobs], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert list(output.rglob("*.pdf"))
    assert sorted(p.name for p in temporary.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []  # the scratch folders
