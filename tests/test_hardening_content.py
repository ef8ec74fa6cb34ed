"""Issue 17: content as untrusted data. Files that are not files, names that cannot be checked
out everywhere, absurd numbers, absurd sizes, and YAML errors reported where they begin.

Each test plants one hostile thing in a scratch site (conftest.py) and runs the real `check`
through the command line: the answer must be a positioned diagnostic, never a hang, a
traceback or "internal error".
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import DEPARTMENT, PROJECT

from builder.base import limits
from builder.pipeline import check_content


def errors(run) -> list[str]:
    assert "internal error" not in run.err, run.err
    return [line for line in run.diagnostics if ": error: " in line]


def list_projects(scratch, *codes: str) -> None:
    scratch.write(scratch.department, DEPARTMENT.replace("  - P001\n", "".join(f"  - {c}\n" for c in codes)))


def add_project(scratch, code: str) -> Path:
    return scratch.write(scratch.project(code), PROJECT.replace("code: P001", f"code: {code}"))


# Class 4: content files that are not regular files -------------------------------------------

def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    # Bound by its name from its folder: a socket's path is limited to 107 bytes, which a test
    # worker's temporary folder can pass. The file stays after the socket is closed.
    here = os.getcwd()
    with socket.socket(socket.AF_UNIX) as server:
        os.chdir(path.parent)
        try:
            server.bind(path.name)
        finally:
            os.chdir(here)


@pytest.mark.parametrize("make", [_fifo, _socket], ids=["fifo", "socket"])
@pytest.mark.parametrize("where", ["project", "department", "site"])
def test_content_files_that_are_not_regular_files_are_refused(scratch, cli, make, where):
    if where == "project":
        list_projects(scratch, "P001", "P002")
        target = scratch.project("P002")
    else:
        target = scratch.department if where == "department" else scratch.site
        target.unlink()
    make(target)
    runs = []
    thread = threading.Thread(target=lambda: runs.append(cli("check", cwd=scratch.root)), daemon=True)
    thread.start()
    thread.join(30)
    hung = thread.is_alive()
    if hung:  # unblock the reader stuck in open() so the test run can go on
        os.close(os.open(target, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(30)
    assert not hung, "check blocked on a FIFO"
    found = errors(runs[0])
    assert any(line.startswith(f"{target.relative_to(scratch.root)}:1:1: error: ") and "not a regular file" in line
               for line in found), runs[0].err
    assert runs[0].code == 1


# Class 4: names that cannot be checked out on every system -------------------------------------

@pytest.mark.parametrize("code", ["CON", "nul", "Com1", "lpt9", "AUX", "prn"])
def test_windows_reserved_project_codes_are_errors(scratch, cli, code):
    list_projects(scratch, code)
    scratch.project().unlink()
    add_project(scratch, code)
    found = errors(cli("check", cwd=scratch.root))
    assert any(f"projects/{code}.yaml:1:7: error: `code` `{code}` is a name Windows reserves" in line
               for line in found), found
    # the department's list names it too, at its item, and the file's own name is refused
    assert any("department.yaml:11:5: error: " in line and "Windows reserves" in line for line in found), found
    assert any(f"projects/{code}.yaml:1:1: error: `{code}.yaml` is a name Windows reserves" in line
               for line in found), found


@pytest.mark.parametrize("folder", ["CON", "aux.2022", "Nul.txt", "dept.", "dept "])
def test_unportable_folder_names_are_errors(scratch, cli, folder):
    moved = scratch.content / "2022" / folder
    (scratch.content / "2022" / "100001").rename(moved)
    found = errors(cli("check", cwd=scratch.root))
    assert any(line.startswith(f"content/2022/{folder}:1:1: error: ") for line in found), found


def test_project_codes_that_differ_only_by_case_are_errors_naming_both_files(scratch, cli):
    list_projects(scratch, "P001", "p001")
    add_project(scratch, "p001")
    found = errors(cli("check", cwd=scratch.root))
    clash = [line for line in found if "P001.yaml" in line and "p001.yaml" in line]
    assert clash, found


def test_department_folders_that_differ_by_case_or_width_are_errors_naming_both(scratch, cli):
    for name, code in [("dept", "200001"), ("DEPT", "200002"), ("ｄｅｐｔ", "200003")]:
        scratch.write(scratch.content / "2022" / name / "department.yaml",
                      DEPARTMENT.replace("'100001'", f"'{code}'").replace("  - P001\n", "").replace(
                          "projects:\n", "projects: []\n"))
    found = errors(cli("check", cwd=scratch.root))
    for later in ("dept", "ｄｅｐｔ"):  # each reported at itself, naming the first of the names (sorted)
        assert any(line.startswith(f"content/2022/{later}:1:1: error: `2022/DEPT` and `2022/{later}` differ only in "
                                   "case or width") for line in found), found


def test_department_codes_that_differ_only_by_case_are_errors(scratch, cli):
    scratch.write(scratch.department, DEPARTMENT.replace("'100001'", "ab01"))
    other = scratch.content / "2022" / "other"
    scratch.write(other / "projects" / "P002.yaml", PROJECT.replace("code: P001", "code: P002"))
    scratch.write(other / "department.yaml", DEPARTMENT.replace("'100001'", "AB01").replace("P001", "P002"))
    found = errors(cli("check", cwd=scratch.root))
    assert any("department `AB01`" in line and "ab01" in line for line in found) or \
        any("department `ab01`" in line and "AB01" in line for line in found), found


# Class 12: absurd numbers ---------------------------------------------------------------------

BUDGET_LINE = 4  # `  total: 100000.00` in conftest.PROJECT
PERCENT_LINE = 9  # `  - {milestone: 6月底, percent: 50%}`
TARGET_LINE = 17  # `    target: ≥4次`


@pytest.mark.parametrize("total", ["1" * 30, "1e400", "1E5", "NaN", "Infinity", "sNaN", "-0", "0." + "1" * 3000,
                                   "1000000000000000", "١٢٣", "12.1234567"])
def test_absurd_amounts_are_errors_at_their_place(scratch, cli, total):
    text = PROJECT.replace("  total: 100000.00", f"  total: '{total}'").replace("  fiscal: 100000.00", "  fiscal: 1")
    scratch.write(scratch.project(), text)
    found = errors(cli("check", cwd=scratch.root))
    at = [line for line in found if f"P001.yaml:{BUDGET_LINE}:10: error: " in line]
    assert at, found


@pytest.mark.parametrize("percent", ["1e5", "NaN", "1" * 30 + "%", "50." + "0" * 3000 + "%", "-0%", "Infinity%"])
def test_absurd_percents_are_errors_at_their_place(scratch, cli, percent):
    scratch.write(scratch.project(), PROJECT.replace("percent: 50%", f"percent: '{percent}'"))
    found = errors(cli("check", cwd=scratch.root))
    assert any(f"P001.yaml:{PERCENT_LINE}:" in line for line in found), found


@pytest.mark.parametrize("target", ["≥1" + "0" * 30 + "次", "≤" + "9" * 40 + "万元", "≥0." + "1" * 3000 + "%",
                                    "≥1e400次", "≥80" + "0" * 20 + "%", "0000年12月底前", "9999年12月底前"])
def test_absurd_targets_are_errors_at_their_place(scratch, cli, target):
    scratch.write(scratch.project(), PROJECT.replace("target: ≥4次", f"target: '{target}'"))
    found = errors(cli("check", cwd=scratch.root))
    at = [line for line in found if f"P001.yaml:{TARGET_LINE}:13: error: " in line]
    assert at, found


def test_absurd_numbers_in_the_narrative_do_not_crash(scratch, cli):
    narrative = ("narrative:\n  title: 分项\n  intro: 需安排专项项目支出" + "9" * 60 + "万元，其中：测试项目" + "8" * 50
                 + "万元。\n  items:\n    - name: 测试项目\n      project: P001\n      paragraphs:\n        - "
                 + "9" * 4400 + "、活动次数，指标值为≥4次。下设" + "7" * 4400 + "个指标。\n")
    scratch.write(scratch.department, DEPARTMENT + narrative)
    run = cli("check", cwd=scratch.root)
    assert "internal error" not in run.err and run.code == 0, run.err


# Class 13: bounded work -----------------------------------------------------------------------

def _indicators(n: int) -> str:
    rows = "".join(f"  - level2: 数量指标\n    name: 活动{i}\n    target: ≥{i}次\n" for i in range(n))
    return ("indicators:\n  - level1: 产出指标\n    level2: 数量指标\n    name: 活动\n    target: ≥4次\n" + rows)


@pytest.mark.parametrize("what, text, line, message", [
    ("indicators", lambda: PROJECT.split("indicators:")[0] + _indicators(limits.MAX_INDICATORS),
     15 + 3 * limits.MAX_INDICATORS, f"at most {limits.MAX_INDICATORS}"),
    ("spending_plan", lambda: PROJECT.replace(
        "  - {milestone: 6月底, percent: 50%}\n",
        "".join(f"  - {{milestone: {i}日, percent: 50%}}\n" for i in range(limits.MAX_PLAN_ROWS))),
     9 + limits.MAX_PLAN_ROWS, f"at most {limits.MAX_PLAN_ROWS}"),
    ("goals", lambda: PROJECT.replace("  - 1.开展活动，提高满意度。\n",
                                      "".join(f"  - {i}.开展活动。\n" for i in range(limits.MAX_GOALS + 1))),
     12 + limits.MAX_GOALS, f"at most {limits.MAX_GOALS}"),
    ("purpose", lambda: PROJECT.replace("purpose: 测试用途。", "purpose: " + "长" * (limits.MAX_TEXT_CHARS + 1)),
     7, f"at most {limits.MAX_TEXT_CHARS:,}"),
])
def test_oversized_projects_are_stopped_by_documented_limits(scratch, cli, what, text, line, message):
    scratch.write(scratch.project(), text())
    found = errors(cli("check", cwd=scratch.root))
    assert any(f"P001.yaml:{line}:" in entry and message in entry for entry in found), (what, found[:5])


def test_a_department_with_too_many_projects_is_stopped_before_reading_them(scratch, cli):
    codes = [f"Q{i}" for i in range(limits.MAX_PROJECTS + 1)]
    list_projects(scratch, *codes)
    found = errors(cli("check", cwd=scratch.root))
    assert any(f"department.yaml:{11 + limits.MAX_PROJECTS}:5: error: " in line
               and f"at most {limits.MAX_PROJECTS:,}" in line for line in found), found[:5]
    assert len(found) < 10, "each missing project file reported: the list was read past the limit"


@pytest.mark.parametrize("option", ["--jobs", "--workers"])
def test_jobs_and_workers_are_capped(scratch, cli, option):
    run = cli("build", "--no-pdf", option, "100000", cwd=scratch.root)
    assert run.code == 2
    assert f"at most {limits.max_jobs()}" in run.err, run.err
    assert not (scratch.root / "output").exists()


def test_the_documented_limits_are_the_ones_checked():
    docs = (Path(__file__).resolve().parent.parent / "docs" / "content.md").read_text(encoding="utf-8")
    for name in ("MAX_FILE_BYTES", "MAX_PROJECTS", "MAX_INDICATORS", "MAX_PLAN_ROWS", "MAX_GOALS", "MAX_LIST_ITEMS",
                 "MAX_TEXT_CHARS", "MAX_INTEGER_DIGITS", "MAX_DECIMALS", "MAX_JOBS", "MAX_ANNEX_PAGES",
                 "MAX_PDF_SECONDS"):
        assert f"{getattr(limits, name):,}" in docs, name


# Class 15 (part): YAML errors reported where they begin -------------------------------------------

TAIL = "".join(f"other{i}: x\n" for i in range(40))


@pytest.mark.parametrize("opened, col, what", [
    ('"测试项目', 7, "quote"),
    ("'测试项目", 7, "quote"),
    ("[测试项目, 二", 7, "`[`"),
    ("{a: 测试项目, b: 二", 7, "`{`"),
])
def test_unclosed_quotes_and_brackets_are_reported_where_they_open(scratch, cli, opened, col, what):
    scratch.write(scratch.project(), PROJECT.replace("name: 测试项目", f"name: {opened}") + TAIL)
    found = errors(cli("check", cwd=scratch.root))
    assert any(f"P001.yaml:2:{col}: error: " in line and what in line for line in found), found


def test_check_content_sees_every_error_without_raising(scratch):
    """The same checks through the function the fuzz test drives."""
    scratch.write(scratch.project(), PROJECT.replace("  total: 100000.00", "  total: '1e400'"))
    result = check_content(scratch.content)
    assert result.report.errors


def test_diagnostics_cannot_write_control_characters_to_the_terminal(scratch, cli):
    """Found by review: values are refused for control characters, but a key is quoted into its
    diagnostic as it is, so `"\\e[2K\\rALL GOOD 0 errors"` could rewrite the reviewer's line."""
    scratch.project().write_text(PROJECT + '"\\e[2K\\rALL GOOD 0 errors\\e]8;;https://evil.example\\e\\\\x\\u202egnp": 1\n',
                                 encoding="utf-8")
    run = cli("check", cwd=scratch.root)
    assert run.code == 1
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", run.err), repr(run.err)
    line = next(line for line in run.err.splitlines() if "unknown key" in line)
    assert "\\x1b[2K\\x0dALL GOOD" in line and "\\u202e" in line


@pytest.mark.parametrize("char", ["\uffff", "\ufffe", "\ufdd0", "\u2061", "\U000e0041", "\u034f", "\u2028", "\u3164"])
def test_noncharacters_and_every_invisible_character_are_refused(scratch, cli, char):
    """Found by review: U+FFFF passed check and made feed.xml and data.xlsx unreadable XML; U+2061-2064,
    tag characters and the grapheme joiner passed too, so two names could look alike."""
    scratch.project().write_text(PROJECT.replace("name: 测试项目", f'name: "招商{char}经费"'), encoding="utf-8")
    run = cli("check", cwd=scratch.root)
    assert run.code == 1 and any(":2:" in line and "is not allowed" in line for line in run.diagnostics), run.err


def test_the_list_of_format_characters_is_every_format_character():
    import sys
    import unicodedata

    from builder.base.characters import FORMAT

    listed = {c for a, b in FORMAT for c in range(a, b + 1)}
    assert listed == {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}


# Found by review: the text limits allow a 600-page annex, and the attachment was read again at the end.

@pytest.fixture(scope="module")
def seed_pdfs(tmp_path_factory):
    """The seed checked, and a real PDF renderer for it, as a build worker has one."""
    import shutil

    from builder.history.tree import ContentTree
    from builder.pipeline import DEFAULT_THEMES, check_content
    from builder.render.pdfs import PDFRenderer, pdf_jobs
    from builder.render.themes import load_theme

    content = tmp_path_factory.mktemp("pdf-limits") / "content"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", content)
    site = check_content(content).site
    tree = ContentTree.read(content)
    renderer = PDFRenderer(site, load_theme(DEFAULT_THEMES, site.theme), content, tree.date,
                           tree.files.relative_digests())
    annex = next(job for job in pdf_jobs(site) if job.kind == "annex")
    return content, renderer, annex


def test_an_annex_over_its_page_or_time_limit_is_refused_naming_the_project(seed_pdfs, monkeypatch):
    from builder.render import pdfs as render_pdf

    _, renderer, annex = seed_pdfs
    assert renderer.render(annex).startswith(b"%PDF")  # 2 pages, within both limits
    monkeypatch.setattr(render_pdf, "MAX_ANNEX_PAGES", 1)
    with pytest.raises(render_pdf.PDFError, match=r"would run to 2 pages.*at most 1"):
        renderer.render(annex)
    monkeypatch.setattr(render_pdf, "MAX_ANNEX_PAGES", 60)
    monkeypatch.setattr(render_pdf, "MAX_PDF_SECONDS", 0.01)
    with pytest.raises(render_pdf.PDFError, match=r"took longer than 0.01 s") as refused:
        renderer.render(annex)
    assert annex.subject in str(refused.value)


def test_the_attached_yaml_is_the_file_that_was_checked_never_a_link_swapped_in(seed_pdfs, tmp_path):
    from builder.render.pdfs import PDFError

    content, renderer, annex = seed_pdfs
    source = content / annex.source
    kept = source.read_bytes()
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN=hunter2", encoding="utf-8")
    try:
        source.unlink()
        source.symlink_to(secret)
        with pytest.raises(PDFError, match="changed during the build"):
            renderer.render(annex)
        source.unlink()
        source.write_bytes(kept.replace("≥".encode(), "≤".encode(), 1))  # other text, same file
        with pytest.raises(PDFError, match="changed during the build"):
            renderer.render(annex)
    finally:
        source.unlink(missing_ok=True)
        source.write_bytes(kept)


def test_new_writes_no_file_check_would_refuse_and_base_path_has_no_dot_folders(scratch, cli):
    """Found by review: `new project --code CON` wrote projects/CON.yaml, and `base_path: /../` passed."""
    run = cli("new", "project", str(scratch.department.parent), "--code", "CON", cwd=scratch.root)
    assert run.code == 1 and "Windows reserves" in run.err
    assert not (scratch.department.parent / "projects" / "CON.yaml").exists()
    for base in ("/../", "/a/./", "/ytx/../2022/"):
        scratch.site.write_text(f"title: 测试站点\npublisher: 测试财政局\nbase_path: {base}\n", encoding="utf-8")
        assert cli("check", cwd=scratch.root).code == 1, base


def test_a_theme_whose_extends_is_not_a_name_is_a_clean_error(scratch, cli, tmp_path):
    themes = tmp_path / "themes"
    for extends in ("[1, 2]", "5", "'../../etc'", "{a: 1"):
        (themes / "bad").mkdir(parents=True, exist_ok=True)
        (themes / "bad" / "theme.yaml").write_text(f"extends: {extends}\n", encoding="utf-8")
        scratch.site.write_text("title: 测试站点\npublisher: 测试财政局\ntheme: bad\n", encoding="utf-8")
        run = cli("build", "--no-pdf", "--themes", str(themes), cwd=scratch.root)
        assert run.code == 1 and "internal error" not in run.err and "theme.yaml" in run.err, run.err


def test_a_run_without_break_opportunities_wraps_in_the_pdf_and_loses_nothing(scratch, cli):
    """Found by review: a 10,000-letter name ran off the page; the annex held 38 of its letters."""
    run_of = "W" * 2000
    scratch.project().write_text(PROJECT.replace("name: 活动次数", f"name: {run_of}"), encoding="utf-8")
    assert cli("build", "--no-cache", cwd=scratch.root).code == 0
    done = subprocess.run(["pdftotext", str(scratch.root / "output/2022/100001/projects/P001.pdf"), "-"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.count("W") == len(run_of)


def test_invisible_characters_in_file_and_folder_names_are_errors(scratch, cli):
    """Found by review: a department folder `100001\\u200b` looked like `100001` and passed check."""
    hidden = scratch.department.parent.with_name("100001\u200b")
    scratch.department.parent.rename(hidden)
    run = cli("check", cwd=scratch.root)
    assert run.code == 1 and any("100001\\u200b" in line and "invisible character U+200B" in line
                                 for line in run.diagnostics), run.err
