"""Issue 17, `build.py import`: hostile sources and hostile output folders.

Each refusal is a `path:line: error: ...` line (the position in the source, or
the file that would be overwritten) followed by "nothing was written", and the
output folder is left exactly as it was.
"""

from __future__ import annotations

import io
import os
import re
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SEED, tree_snapshot
from test_import import VARIANT_PART1, VARIANT_ROWS, VARIANT_TABLE, word_text

from builder.importers import ImportFailed, import_sources, interpret
from builder.importers.sources import Row, read_text

SCHEMAS = ROOT / "schemas"
PROJECT_CODE = "13022922P00AAA000001"


def variant(code: str = PROJECT_CODE, unit: str | None = None) -> str:
    rows = [list(r) for r in VARIANT_ROWS]
    rows[1][1] = code
    if unit is not None:
        rows[0][0] = unit
    return word_text(VARIANT_PART1, rows, VARIANT_TABLE)


def refused(run, where: str) -> None:
    """A refusal: a positioned error line first, then `nothing was written`; no traceback."""
    assert run.code == 1, run.err
    first = run.err.splitlines()[0]
    assert re.match(rf"{re.escape(where)}: error: \S", first), run.err
    assert "nothing was written" in run.err
    assert "Traceback" not in run.err and "internal error" not in run.err


# --- 1. import writes only inside --out ---------------------------------------------------------


@pytest.mark.parametrize("code", ["../../../../evil", "{tmp}/absolute", "a/b", "..", "a\\b", "P 001/.."])
def test_a_project_code_that_is_not_a_code_is_refused_and_nothing_is_written(code, tmp_path, cli):
    code = code.replace("{tmp}", str(tmp_path))
    source = tmp_path / "x.txt"
    source.write_text(variant(code), encoding="utf-8")
    run = cli("import", str(source), "--out", str(tmp_path / "content"), cwd=tmp_path)
    # The code is the second cell of the form's second row: line 26 of the text export.
    assert source.read_text(encoding="utf-8").splitlines()[26 - 1] == "\t" + code
    refused(run, "x.txt:26")
    assert "codes may contain only ASCII letters" in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]  # no content/, no evil.yaml, no absolute.yaml


def test_a_department_code_in_other_digits_is_refused(tmp_path, cli):
    source = tmp_path / "x.txt"
    source.write_text(variant(unit="١٠٠٢٠٠测试县农业农村局机关"), encoding="utf-8")  # Arabic-Indic digits
    run = cli("import", str(source), "--out", str(tmp_path / "content"), cwd=tmp_path)
    refused(run, "x.txt:17")
    assert not (tmp_path / "content").exists()


def test_a_year_that_is_not_a_folder_name_is_refused(tmp_path, cli):
    source = tmp_path / "x.txt"
    source.write_text(variant(), encoding="utf-8")
    run = cli("import", str(source), "--out", str(tmp_path / "content"), "--year", "-1", cwd=tmp_path)
    refused(run, "--year")
    assert not (tmp_path / "content").exists()


def test_a_nul_in_a_code_is_refused_before_any_path_is_built(tmp_path):
    blocks = read_text("x.txt", variant("P\x00001"))
    with pytest.raises(ImportFailed) as failed:
        from builder.importers import plan_files

        plan_files([(tmp_path / "x.txt", interpret(blocks, source="x.txt"))], tmp_path / "content", SCHEMAS)
    assert [p.where.rsplit("/", 1)[-1] for p in failed.value.problems] == ["x.txt:26"]


def test_a_symlink_in_out_that_leads_outside_is_refused(tmp_path, cli):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    content = tmp_path / "content"
    content.mkdir()
    (content / "2022").symlink_to(elsewhere, target_is_directory=True)
    source = tmp_path / "x.txt"
    source.write_text(variant(), encoding="utf-8")
    run = cli("import", str(source), "--out", str(content), cwd=tmp_path)
    refused(run, "content/2022")
    assert "outside" in run.err
    assert list(elsewhere.iterdir()) == [] and sorted(os.listdir(content)) == ["2022"]  # not even site.yaml


def test_a_symlinked_content_file_is_not_written_through(tmp_path, cli):
    source = tmp_path / "x.txt"
    source.write_text(variant(), encoding="utf-8")
    content = tmp_path / "content"
    target = tmp_path / "victim.txt"
    target.write_text("keep me", encoding="utf-8")
    department = content / "2022/100200/department.yaml"
    department.parent.mkdir(parents=True)
    department.symlink_to(target)
    run = cli("import", str(source), "--out", str(content), "--force", cwd=tmp_path)
    refused(run, "content/2022/100200/department.yaml")
    assert target.read_text(encoding="utf-8") == "keep me"


# --- 2. import never overwrites -----------------------------------------------------------------


def test_import_never_overwrites_an_edited_content_file_unless_forced(tmp_path, cli):
    source = tmp_path / "x.txt"
    source.write_text(variant(), encoding="utf-8")
    assert cli("import", str(source), "--out", "content", cwd=tmp_path).code == 0
    project = tmp_path / "content/2022/100200/projects" / f"{PROJECT_CODE}.yaml"
    project.write_text(project.read_text(encoding="utf-8") + "# 手工修改\n", encoding="utf-8")
    before = tree_snapshot(tmp_path / "content")
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    refused(run, f"content/2022/100200/projects/{PROJECT_CODE}.yaml")
    assert "--force" in run.err
    assert tree_snapshot(tmp_path / "content") == before
    forced = cli("import", str(source), "--out", "content", "--force", cwd=tmp_path)
    assert forced.code == 0, forced.err
    assert "手工修改" not in project.read_text(encoding="utf-8")


def test_two_projects_of_one_import_that_map_to_one_file_are_refused(tmp_path, cli):
    text = variant()
    heading = "[bookmark: _Toc_1]1.高标准农田建设绩效目标表"
    table = text[text.index(heading):]
    second = table.replace("1.高标准农田建设", "2.高标准农田建设二期").replace(PROJECT_CODE, PROJECT_CODE.lower())
    source = tmp_path / "x.txt"
    source.write_text(text + second, encoding="utf-8")
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    second_line = (text + second).splitlines().index("\t" + PROJECT_CODE.lower()) + 1
    refused(run, f"x.txt:{second_line}")
    assert "x.txt:26" in run.err  # the first of the two
    assert not (tmp_path / "content").exists()


def test_two_sources_of_one_department_are_refused(tmp_path, cli):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(variant(), encoding="utf-8")
    run = cli("import", "a.txt", "b.txt", "--out", "content", cwd=tmp_path)
    refused(run, "b.txt:17")
    assert not (tmp_path / "content").exists()


# --- 3. sources are bounded before they are parsed ----------------------------------------------


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("第一部分")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_member(data: bytes, name: str, payload: bytes, count: int = 1) -> bytes:
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for n in range(count):
            archive.writestr(name.format(n=n), payload)
    return buffer.getvalue()


def encrypted(data: bytes) -> bytes:
    """Set the 'encrypted' flag of every member, in the local and the central headers."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := out.find(signature, start)) != -1:
            out[start + offset] |= 1
            start += 4
    return bytes(out)


BLOCK = os.urandom(16 * 1024)  # repeated, deflates about 50:1, a plausible ratio alone


@pytest.mark.parametrize("case, message", [
    ("ratio", "compress"),
    ("total", "MB"),
    ("members", "members"),
    ("traversal", "name"),
    ("backslash", "name"),
    ("encrypted", "encrypted"),
    ("not a zip", "ZIP"),
    ("method", "compression"),
])
def test_office_archives_are_bounded_before_they_are_parsed(case, message, tmp_path, cli):
    data = docx_bytes()
    if case == "ratio":
        data = with_member(data, "word/media/bomb.bin", b"\0" * (20 * 1024 * 1024))
    elif case == "total":
        data = with_member(data, "word/media/part{n}.bin", BLOCK * 64, count=72)  # 72 MiB
    elif case == "members":
        data = with_member(data, "word/media/m{n}.xml", b"<a/>", count=1200)
    elif case == "traversal":
        data = with_member(data, "../../evil.xml", b"<a/>")
    elif case == "backslash":
        data = with_member(data, "word\\..\\evil.xml", b"<a/>")
    elif case == "encrypted":
        data = encrypted(data)
    elif case == "not a zip":
        data = b"PK\x03\x04" + b"\x00" * 200
    else:
        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_BZIP2) as archive:
            archive.writestr("word/x.xml", b"<a/>")
        data = buffer.getvalue()
    source = tmp_path / "x.docx"
    source.write_bytes(data)
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    refused(run, "x.docx")
    assert message in run.err.splitlines()[0] + run.err
    assert not (tmp_path / "content").exists()


def test_an_xlsx_renamed_docx_says_what_it_is(tmp_path, cli):
    import openpyxl

    book = openpyxl.Workbook()
    source = tmp_path / "x.docx"
    book.save(source)
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    refused(run, "x.docx")
    assert ".xlsx" in run.err


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be-bom", "utf-16-le", "utf-16-be", "gb18030",
                                      "gbk"])
def test_text_in_each_supported_encoding_imports_as_utf_8_does(encoding, tmp_path, cli):
    text = SEED.read_text(encoding="utf-8")
    assert cli("import", str(SEED), "--out", "expected", cwd=tmp_path).code == 0
    data = ("\ufeff" + text).encode("utf-16-be") if encoding == "utf-16-be-bom" else text.encode(encoding)
    source = tmp_path / SEED.name
    source.write_bytes(data)
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    assert run.code == 0, run.err
    assert tree_snapshot(tmp_path / "content") == tree_snapshot(tmp_path / "expected")


@pytest.mark.parametrize("junk", ["big5", "latin-1 pairs", "shift_jis", "utf-32", "binary"])
def test_text_in_other_encodings_is_refused_with_what_to_convert_to(junk, tmp_path, cli):
    text = SEED.read_text(encoding="utf-8")
    if junk == "big5":
        data = text.encode("big5", errors="replace")
    elif junk == "latin-1 pairs":
        # Accented letters before ASCII letters: every pair is valid GB18030, all of it nonsense.
        data = "Résumé: déjà vu, Ægir, façade, naïve, Øresund élan.\n".encode("latin-1") * 200
    elif junk == "shift_jis":
        data = "予算の執行状況について、事業ごとに報告する。\n".encode("shift_jis") * 200
    elif junk == "utf-32":
        data = text.encode("utf-32")
    else:
        data = bytes(range(256)) * 10
    source = tmp_path / "x.txt"
    source.write_bytes(data)
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    refused(run, "x.txt")
    assert "UTF-8" in run.err.splitlines()[0] + run.err
    assert not (tmp_path / "content").exists()


def test_import_sources_refuses_without_writing_through_the_api(tmp_path):
    source = tmp_path / "x.txt"
    source.write_text(variant("../../../../evil"), encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_sources([source], tmp_path / "content", SCHEMAS)
    assert failed.value.problems[0].where.endswith("x.txt:26")
    assert not (tmp_path / "content").exists() and not (tmp_path / "evil.yaml").exists()


def test_a_cell_spanning_absurd_columns_is_refused_before_python_docx_expands_it(tmp_path, cli):
    import docx

    document = docx.Document()
    document.add_table(rows=1, cols=2).cell(0, 0).merge(document.tables[0].cell(0, 1))
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["word/document.xml"] = re.sub(rb'w:gridSpan w:val="2"', b'w:gridSpan w:val="100000000"',
                                        parts["word/document.xml"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    source = tmp_path / "x.docx"
    source.write_bytes(out.getvalue())
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    refused(run, "x.docx")
    assert "100000000" in run.err


def test_a_sheet_with_one_far_away_cell_is_refused_before_openpyxl_walks_it(tmp_path, cli):
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "第一部分"
    book.active["XFD1048576"] = "x"  # 17 billion cells between them
    source = tmp_path / "x.xlsx"
    book.save(source)
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    refused(run, "x.xlsx Sheet!A1:XFD1048576")


def test_control_characters_in_a_source_become_findings_not_unreadable_yaml(tmp_path, cli):
    """Found by tests/test_fuzz_import.py: raw control characters made YAML that no loader reads."""
    import yaml

    source = tmp_path / "x.txt"
    source.write_text("\x1b" + variant().replace("高标准农田建设", "高标准\x1b农田\u2028建设"), encoding="utf-8")
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    assert run.code == 1 and "Traceback" not in run.err
    for path in (tmp_path / "content").rglob("*.yaml"):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    project = tmp_path / "content/2022/100200/projects" / f"{PROJECT_CODE}.yaml"
    assert 'name: "高标准\\x1b农田\\u2028建设"' in project.read_text(encoding="utf-8")
    assert re.search(r"projects/13022922P00AAA000001\.yaml:\d+:\d+: error: `name` contains a control character "
                     r"U\+001B", run.err)


def test_a_comma_in_a_spending_plan_cell_stays_in_its_value(tmp_path, cli):
    """`{percent: 25,5%}` read back as percent 25 and a key `5%`: flow values are quoted when they must be."""
    import yaml

    rows = [list(r) for r in VARIANT_ROWS]
    rows[5][1] = "30,5%"
    source = tmp_path / "x.txt"
    source.write_text(word_text(VARIANT_PART1, rows, VARIANT_TABLE), encoding="utf-8")
    cli("import", str(source), "--out", "content", cwd=tmp_path)
    project = tmp_path / "content/2022/100200/projects" / f"{PROJECT_CODE}.yaml"
    plan = yaml.load(project.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["spending_plan"]
    assert plan[0] == {"milestone": "6月底", "percent": "30,5%"}


def test_a_file_where_a_folder_goes_is_refused_before_anything_is_written(tmp_path, cli):
    source = tmp_path / "x.txt"
    source.write_text(variant(), encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content/2022").write_text("not a folder", encoding="utf-8")
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    refused(run, "content/2022")
    assert sorted(os.listdir(tmp_path / "content")) == ["2022"]  # site.yaml not written either


# --- 3b. XML inside .docx/.xlsx: no DOCTYPE, so no entity, no DTD, no fetch ----------------------

SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


@pytest.fixture
def dtd_server():
    """A server on 127.0.0.1 that answers any GET with an entity declaration, and counts the GETs."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b'<!ENTITY x "FETCHED">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, hits
    server.shutdown()
    server.server_close()


def office_parts(member: str) -> dict[str, bytes]:
    """A small .docx or .xlsx as python-docx or openpyxl writes it, `PAYLOAD` in the text of `member`."""
    out = io.BytesIO()
    if member.startswith("word/"):
        import docx

        document = docx.Document()
        document.add_paragraph("第一部分")
        document.add_paragraph("PAYLOAD")
        document.save(out)
    else:
        import openpyxl

        book = openpyxl.Workbook()
        book.active["A1"] = "第一部分"
        book.active["A2"] = "PAYLOAD"  # openpyxl writes an inline string
        book.save(out)
    with zipfile.ZipFile(out) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    if member == "xl/sharedStrings.xml":  # A2 as shared string 0, as Excel writes it
        sheet = "xl/worksheets/sheet1.xml"
        parts[sheet] = parts[sheet].replace(b'<c r="A2" t="inlineStr"><is><t>PAYLOAD</t></is></c>',
                                            b'<c r="A2" t="s"><v>0</v></c>')
        parts[member] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
                         b'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>PAYLOAD</t>'
                         b'</si></sst>')
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS}"/></Types>'.encode())
    assert b"PAYLOAD" in parts[member]
    return parts


def packed(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def hostile_doctype(case: str, root: str, port: int) -> tuple[str, str]:
    """(the DOCTYPE, what replaces PAYLOAD) for one hostile case."""
    if case == "billion laughs":  # 10^9 "lol"s from a few hundred bytes
        entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
        return f"<!DOCTYPE {root} [{entities}]>", "&a9;"
    if case == "quadratic blowup":  # one 100 KB entity referenced 20 000 times: 2 GB
        return f'<!DOCTYPE {root} [<!ENTITY big "{"Q" * 100_000}">]>', "&big;" * 20_000
    if case == "external entity":
        return f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "file:///etc/hostname">]>', "&x;"
    if case == "external dtd":
        return f'<!DOCTYPE {root} SYSTEM "http://127.0.0.1:{port}/x.dtd">', "&x;"
    if case == "parameter entity":
        return f'<!DOCTYPE {root} [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.dtd"> %p;]>', "&x;"
    raise ValueError(case)


@pytest.mark.parametrize("member", ["word/document.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
@pytest.mark.parametrize("case", ["billion laughs", "quadratic blowup", "external entity", "external dtd",
                                  "parameter entity", "utf-16", "utf-7"])
def test_office_xml_that_declares_a_doctype_is_refused_before_a_parser_sees_it(case, member, tmp_path, cli,
                                                                                 dtd_server):
    import time

    port, hits = dtd_server
    parts = office_parts(member)
    root = {"word/document.xml": "w:document", "xl/sharedStrings.xml": "sst"}.get(member, "worksheet")
    doctype, reference = hostile_doctype("external entity" if case.startswith("utf-") else case, root, port)
    xml = parts[member].decode("utf-8").replace("PAYLOAD", f"PAY{reference}LOAD")
    declaration = re.match(r"<\?xml[^>]*\?>\s*", xml)
    end = declaration.end() if declaration else 0
    xml = xml[:end] + doctype + xml[end:]
    if case.startswith("utf-"):  # a DOCTYPE a search of the bytes for "<!DOCTYPE" would miss; lxml reads both
        xml = re.sub(r"<\?xml[^>]*\?>", "", xml)
        parts[member] = f'<?xml version="1.0" encoding="{case.upper()}"?>{xml}'.encode(case.replace("-", ""))
    else:
        parts[member] = xml.encode("utf-8")
    suffix = ".docx" if member.startswith("word/") else ".xlsx"
    source = tmp_path / f"x{suffix}"
    source.write_bytes(packed(parts))
    started = time.monotonic()
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    assert time.monotonic() - started < 30  # generous: this machine is shared; a blowup takes minutes
    refused(run, f"x{suffix}")
    first = run.err.splitlines()[0]
    assert f"{member}:" in first and "DOCTYPE" in first, run.err
    assert hits == []  # no DTD or entity was fetched
    hostname = Path("/etc/hostname").read_text(encoding="utf-8").strip()
    assert hostname not in run.out + run.err.replace(str(tmp_path), "")
    assert not (tmp_path / "content").exists()


@pytest.mark.parametrize("member", ["word/document.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_deeply_nested_office_xml_is_harmless(member, tmp_path, cli):
    """60 000 nested elements: libxml2 stops at depth 256 (a .docx is refused as unreadable); the stdlib
    parser openpyxl streams sheets with is iterative, so the .xlsx reads and is not a disclosure."""
    import time

    parts = office_parts(member)
    tag = b"w:x" if member.startswith("word/") else b"x"
    nested = b"<" + tag + b">"
    parts[member] = parts[member].replace(b"PAYLOAD</", b"PAYLOAD</", 1).replace(
        b"</w:t>" if member.startswith("word/") else b"</t>",
        (b"</w:t>" if member.startswith("word/") else b"</t>") + nested * 60_000 + nested.replace(b"<", b"</") * 60_000,
        1)
    suffix = ".docx" if member.startswith("word/") else ".xlsx"
    source = tmp_path / f"x{suffix}"
    source.write_bytes(packed(parts))
    started = time.monotonic()
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    assert time.monotonic() - started < 30
    assert run.code == 1 and re.match(rf"x\{suffix}\S*: error: ", run.err), run.err
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert not (tmp_path / "content").exists()


# --- 3c. the cost of reading a source is linear in its size -------------------------------------


def docx_with_table(rows: list[list[str]], merges=()) -> bytes:
    """A .docx with one table of `rows`; `merges` are ((r, c), (r, c)) pairs python-docx merges."""
    import docx

    document = docx.Document()
    document.add_paragraph("第一部分")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for start, end in merges:
        table.cell(*start).merge(table.cell(*end))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def edit_document_xml(data: bytes, edit) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["word/document.xml"] = edit(parts["word/document.xml"])
    return packed(parts)


def test_a_long_vertical_merge_in_a_docx_reads_in_linear_time(tmp_path):
    """One cell `<w:vMerge w:val="restart"/>` and 1,500 `<w:vMerge/>` below it: python-docx resolved each
    continuation by walking up row by row, recursively (70 s of CPU, then a RecursionError)."""
    import time

    from builder.importers import read_source

    rows = 1501
    tc = '<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/>{}</w:tcPr><w:p>{}</w:p></w:tc>'
    table = ('<w:tbl><w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid>'
             + '<w:tr>' + tc.format('<w:vMerge w:val="restart"/>', "<w:r><w:t>一级指标</w:t></w:r>") + "</w:tr>"
             + ("<w:tr>" + tc.format("<w:vMerge/>", "") + "</w:tr>") * (rows - 1) + "</w:tbl>")
    data = edit_document_xml(docx_bytes(), lambda xml: xml.replace(b"<w:sectPr", table.encode() + b"<w:sectPr", 1))
    assert len(data) < 64_000  # python-docx's template is most of it
    source = tmp_path / "x.docx"
    source.write_bytes(data)
    started = time.monotonic()
    blocks = read_source(source)
    assert time.monotonic() - started < 10  # generous: this machine is shared; it took 70 s
    table = blocks[1:]
    assert [b.texts() for b in table] == [["一级指标"]] + [[""]] * (rows - 1)
    assert table[-1].where == f"x.docx table 1 row {rows}"
    assert table[-1].cells[0].where == f"x.docx table 1 row {rows} col 1"


def python_docx_rows(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """How read_docx read tables with python-docx before it read the XML itself (the reference)."""
    import docx

    from builder.importers.sources import clean

    document = docx.Document(str(path))
    out = []
    for t, table in enumerate(document.tables, start=1):
        alive, seen = [], set()
        for r, row in enumerate(table.rows, start=1):
            cells = []
            for c, cell in enumerate(row.cells, start=1):
                first = id(cell._tc) not in seen
                alive.append(cell._tc)
                seen.add(id(cell._tc))
                text = clean("\n".join(p.text for p in cell.paragraphs)) if first else ""
                cells.append((text, f"{path.name} table {t} row {r} col {c}"))
            out.append((f"{path.name} table {t} row {r}", cells))
    return out


@pytest.mark.parametrize("case", ["merges", "grid before", "nested table", "wide continuation"])
def test_docx_tables_read_from_the_xml_as_python_docx_reads_them(case, tmp_path):
    from builder.importers import read_source
    from builder.importers.sources import Row

    grid = [[f"{r}{c}" for c in "ABCD"] for r in range(1, 6)]
    if case == "merges":  # horizontal, vertical and both at once, as test_import's forms have
        data = docx_with_table(grid, [((0, 0), (0, 3)), ((1, 0), (3, 0)), ((1, 1), (2, 2))])
    elif case == "grid before":  # rows 2 and 3 start one grid column late, under a vertical merge

        def late(xml: bytes) -> bytes:
            rows = xml.split(b"<w:tr>")
            assert len(rows) == 6
            late_row = b'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>'
            return b"<w:tr>".join(rows[:2]) + late_row + rows[2] + late_row + b"<w:tr>".join(rows[3:])

        data = edit_document_xml(docx_with_table(grid, [((0, 1), (2, 1))]), late)
    elif case == "nested table":  # a table inside a cell: its text is not the cell's, as before
        import docx

        document = docx.Document()
        outer = document.add_table(rows=2, cols=2)
        outer.cell(0, 0).text = "外"
        inner = outer.cell(1, 1).add_table(rows=2, cols=2)
        inner.cell(0, 0).text = "内"
        outer.cell(1, 1).add_paragraph("后")
        buffer = io.BytesIO()
        document.save(buffer)
        data = buffer.getvalue()
    else:  # a continuation narrower than the cell it continues: it stands for the whole width
        data = docx_with_table(grid, [((1, 1), (2, 2))])
        narrow = b'<w:gridSpan w:val="2"/><w:vMerge/>'
        assert narrow in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
        data = edit_document_xml(data, lambda xml: xml.replace(narrow, b"<w:vMerge/>", 1))
    source = tmp_path / "x.docx"
    source.write_bytes(data)
    rows = [(b.where, [(c.text, c.where) for c in b.cells]) for b in read_source(source) if isinstance(b, Row)]
    assert rows == python_docx_rows(source)
    assert rows


SHEET = "xl/worksheets/sheet1.xml"


def xlsx_with_cells(cells: int, cell: bytes = b"<c><v>%d</v></c>", prefix: bytes = b"") -> dict[str, bytes]:
    """The parts of a workbook whose one sheet holds `cells` cells like `cell` (no `r=`), 1,000 to a row,
    numbered at random so that they deflate about 10:1, as real sheets do; with `prefix`, the sheet's
    elements are written `x:worksheet`, `x:row`, ... (openpyxl reads that too)."""
    import random

    parts = office_parts(SHEET)
    numbers = random.Random(17).choices(range(1000), k=cells)
    rows = b"".join(b"<row>" + b"".join(cell % n for n in numbers[start:start + 1000]) + b"</row>"
                    for start in range(0, cells, 1000))
    head, tail = parts[SHEET].split(b"<sheetData>")[0], parts[SHEET].split(b"</sheetData>")[1]
    sheet = head + b"<sheetData>" + rows + b"</sheetData>" + tail
    if prefix:
        sheet = re.sub(rb"<(/?)(worksheet|sheetData|row|c|v)\b", rb"<\1" + prefix + rb":\2", sheet)
        sheet = sheet.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=", 1)
        assert sheet.count(b"<x:c><x:v>") == cells
    parts[SHEET] = sheet
    return parts


@pytest.mark.parametrize("prefix", [b"", b"x"])
def test_a_workbook_with_too_many_cells_is_refused_before_openpyxl_loads_it(prefix, tmp_path, cli):
    """Small on disk (each cell deflates ~20:1, a ratio the archive checks allow), costly loaded:
    1.9 M cells took openpyxl 40 s and 1.1 GB."""
    import time

    from builder.importers.archives import MAX_WORKBOOK_CELLS

    source = tmp_path / "x.xlsx"
    source.write_bytes(packed(xlsx_with_cells(MAX_WORKBOOK_CELLS + 1, prefix=prefix)))
    assert source.stat().st_size < 2_000_000  # well under MAX_SOURCE_BYTES
    started = time.monotonic()
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    assert time.monotonic() - started < 10  # generous: this machine is shared; it took 40 s
    refused(run, "x.xlsx")
    first = run.err.splitlines()[0]
    assert re.match(rf"x\.xlsx: error: xl/worksheets/sheet1\.xml:1:\d+ is cell {MAX_WORKBOOK_CELLS + 1} of the "
                    rf"workbook; a disclosure has far fewer \({MAX_WORKBOOK_CELLS} at most", first), run.err
    assert not (tmp_path / "content").exists()


def test_cells_are_counted_by_their_element_not_by_names_that_start_with_c(tmp_path):
    """`<cols>`, `<col>`, `<cfRule>`, `<color>`: not cells. A workbook at the limit is not refused."""
    from builder.importers.archives import MAX_WORKBOOK_CELLS, check_office_archive

    parts = xlsx_with_cells(MAX_WORKBOOK_CELLS, b'<c  r="A%d"\n/>')
    parts[SHEET] = parts[SHEET].replace(b"<sheetData>", b'<cols><col min="1" max="1" width="9"/></cols><sheetData>')
    parts[SHEET] = parts[SHEET].replace(b"</sheetData>", b'</sheetData>' + b'<conditionalFormatting sqref="A1">'
                                        b'<cfRule type="colorScale" priority="1"><colorScale><cfvo type="min"/>'
                                        b'<color rgb="FF000000"/></colorScale></cfRule></conditionalFormatting>' * 1000)
    source = tmp_path / "x.xlsx"
    source.write_bytes(packed(parts))
    check_office_archive(source, ".xlsx")


@pytest.mark.parametrize("kind, message", [
    ("folder", "is a folder, not a disclosure"),
    ("fifo", "is not a regular file (a FIFO, socket or device)"),
    ("device", "is not a regular file (a FIFO, socket or device)"),
    ("missing", "no such file"),
])
def test_a_source_that_is_not_a_regular_file_says_what_it_is_and_is_never_opened(kind, message, tmp_path, cli):
    """A FIFO would block the import forever if it were opened; a folder is not missing."""
    source = tmp_path / "x.txt"
    if kind == "folder":
        source.mkdir()
    elif kind == "fifo":
        os.mkfifo(source)  # no writer: open() would wait for one
    elif kind == "device":
        source = Path(os.devnull)
    run = cli("import", str(source), "--out", "content", cwd=tmp_path)
    where = "x.txt" if kind != "device" else os.devnull
    refused(run, where)
    assert message in run.err.splitlines()[0], run.err
    assert not (tmp_path / "content").exists()


def test_the_cell_limit_is_for_the_whole_workbook(tmp_path):
    from builder.importers.archives import MAX_WORKBOOK_CELLS, check_office_archive
    from builder.importers.errors import SourceError

    parts = xlsx_with_cells(MAX_WORKBOOK_CELLS // 2 + 1)
    parts["xl/worksheets/sheet2.xml"] = parts[SHEET]  # each sheet alone is under the limit
    source = tmp_path / "x.xlsx"
    source.write_bytes(packed(parts))
    with pytest.raises(SourceError, match=rf"^.*x\.xlsx: xl/worksheets/sheet2\.xml:1:\d+ is cell "
                                          rf"{MAX_WORKBOOK_CELLS + 1} of the workbook"):
        check_office_archive(source, ".xlsx")


def test_the_parsers_read_the_bytes_that_were_checked_not_the_path_again(tmp_path, monkeypatch):
    """The archive was checked through its path, then python-docx opened the path again: a file
    swapped in between (for a zip bomb, a FIFO) reached the parser unchecked. The race is made
    certain here by swapping the file right after the real check."""
    from builder.importers import sources
    from builder.importers.archives import check_office_archive

    source = tmp_path / "x.docx"
    source.write_bytes(docx_with_table([["一级指标", "二级指标"], ["产出指标", "数量指标"]]))

    def check_then_swap(path, suffix, *data):
        check_office_archive(path, suffix, *data)
        path.unlink()
        os.mkfifo(path)  # opening it now would wait forever for a writer

    monkeypatch.setattr(sources, "check_office_archive", check_then_swap)
    done = threading.Thread(target=lambda: blocks.extend(sources.read_source(source)), daemon=True)
    blocks: list = []
    done.start()
    done.join(30)
    assert not done.is_alive(), "the parser opened the swapped path"
    assert [c.text for b in blocks if isinstance(b, Row) for c in b.cells][:2] == ["一级指标", "二级指标"]


# --- work a small hostile source could make unbounded ---------------------------------------------


def test_a_heading_pattern_never_backtracks_through_a_run_of_spaces(tmp_path, cli):
    # `1` + 3,000 spaces + `x`: a heading pattern with `\s*(.+?)\s*` took minutes on 700 characters.
    source = tmp_path / "x.txt"
    source.write_text("1" + " " * 3000 + "x\n" + "304001-" + " " * 3000 + "x本级\t" + " " * 3000 + "\n",
                      encoding="utf-8")
    run = cli("import", str(source), "--out", str(tmp_path / "content"), cwd=tmp_path)
    assert run.code == 1 and "error: no 预算项目绩效目标表 found" in run.err
    from builder.content.numbering import GLUED_ITEM

    assert GLUED_ITEM.split("1.目标" + " " * 50_000 + "x") == ["1.目标" + " " * 50_000 + "x"]


def test_a_merged_range_over_the_whole_sheet_is_refused_before_it_is_loaded(tmp_path, cli):
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "项目名称"
    plain = io.BytesIO()
    book.save(plain)
    # Written into the sheet's XML by hand: openpyxl makes an object for every cell a range covers, on
    # merging as on loading (17 billion here).
    source = tmp_path / "x.xlsx"
    with zipfile.ZipFile(plain) as before, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as after:
        for item in before.infolist():
            data = before.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">'
                                    b'<mergeCell ref="A1:XFD1048576"/></mergeCells>')
            after.writestr(item, data)
    run = cli("import", str(source), "--out", str(tmp_path / "content"), cwd=tmp_path)
    assert run.code == 1
    assert ("x.xlsx: error: merged ranges cover more than 2000000 cells (the last A1:XFD1048576 in "
            "xl/worksheets/sheet1.xml), more than a disclosure") in run.err
