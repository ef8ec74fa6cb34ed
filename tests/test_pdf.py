"""PDF annexes and volumes, read back: text, tables, outline, fonts, metadata, safety."""

from __future__ import annotations

import http.server
import re
import struct
import subprocess
import threading
import zlib
from pathlib import Path

import pdfplumber
import pytest
from conftest import CONTENT, DEPARTMENT, PROJECT, SEED
from pypdf import PdfReader
from test_seed import seed_cells

from builder.pipeline import DEFAULT_THEMES, build_site
from builder.render import fonts

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
        for before, label in zip(found, found[1:]):
            if label.endswith("（续）"):
                assert label.removesuffix("（续）") == before.removesuffix("（续）"), code
        assert "绩效目标表" in text


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
    assert f"{size / 1000:.1f} kB" in page
    department = (seed_pdfs / "2022/304001/index.html").read_text(encoding="utf-8")
    assert 'href="304001-2022.pdf"' in department


def many_indicators(count: int) -> str:
    rows = "".join(f"  - level2: 数量指标\n    name: 第{n}项指标，名称较长以占满单元格\n    target: ≥{n}次\n"
                   for n in range(2, count + 1))
    return PROJECT.replace("  - level2: 成本指标\n", rows + "  - level2: 成本指标\n")


def test_a_long_table_repeats_its_header_on_every_page(scratch, tmp_path):
    scratch.project().write_text(many_indicators(60), encoding="utf-8")
    output = tmp_path / "out"
    assert build_site(scratch.content, output).site is not None
    reader = PdfReader(output / "2022/100001/projects/P001.pdf")
    assert len(reader.pages) >= 3
    for page in reader.pages[1:]:
        text = squeeze(page.extract_text())
        assert "一级指标二级指标三级指标绩效指标描述指标值指标值确定依据" in text
        assert "—" in page.extract_text()  # page number


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
