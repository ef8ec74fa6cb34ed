"""修订记录 in the site: every commit that changed a page's content, from one read of git."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timezone

from test_diff import P1, P2, STAGED, STAGED_NAME, evaluate_more_training, repo, targets_only  # noqa: F401 - the repository fixture

ENTRY = re.compile(r'<p class="revision-head"><time datetime="([\d-]+)">[\d-]+</time>(.*?)</p>(.*?)(?=<p class="revision-head"|$)',
                   re.S)
NOTE = re.compile(r'<p class="revision-note"><span class="label">修订说明：</span>([^<]*)</p>')


def revisions(page: str) -> list[tuple[str, str, list[str]]]:
    """(date, what the publisher said: its 修订说明, 首次公开, or nothing, what changed) of each revision."""
    section = page[page.index('id="history"'):]
    section = section[:section.index("</section>")]
    entries = []
    for date, head, rest in ENTRY.findall(section):
        note = NOTE.search(rest)
        said = note.group(1) if note else "首次公开" if "首次公开" in head else ""
        entries.append((date, said, re.findall(r"<li>(.*?)</li>", rest)))
    return entries


def test_pages_list_the_commits_that_changed_them_newest_first(repo, cli, tmp_path):  # noqa: F811
    repo.edit(P1, "target: ≥70百分比", "target: ≥60%")
    repo.commit("Lower the tax growth target\n\n修订说明: 根据县财政局审核意见调整税收增长率")
    repo.edit(P2, "  total: 10000000.00\n  fiscal: 10000000.00", "  total: 9000000.00\n  fiscal: 9000000.00")
    repo.commit("预算调整：中央服务业发展资金")  # no 修订说明: its subject is not for the page
    run = cli("build", "--no-pdf", "--output", str(tmp_path / "out"), cwd=repo.root)
    assert run.code == 0, run.err
    project = (tmp_path / "out/2022/304001/projects/13022922P00JXC411757B.html").read_text(encoding="utf-8")
    rows = revisions(project)
    assert [(said, changes) for _, said, changes in rows] == [
        ("根据县财政局审核意见调整税收增长率", ["指标“税收增长率”的指标值：≥70百分比 → ≥60%"]),
        ("首次公开", []),  # its stages came with it: all of it was new
    ]
    dates = [date for date, _, _ in rows]
    assert dates == sorted(dates, reverse=True)
    assert f"最后修改：{dates[0]}" in project
    department = (tmp_path / "out/2022/304001/index.html").read_text(encoding="utf-8")
    assert revisions(department) == [
        (dates[0][:8] + revisions(department)[0][0][8:], "", [
            "《冀财建【2021】192号河北省财政厅关于提前下达2022年中央服务业发展资金预算的通知》预算数："
            "10,000,000.00 元 → 9,000,000.00 元（−1,000,000.00 元）",
            "《冀财建【2021】192号河北省财政厅关于提前下达2022年中央服务业发展资金预算的通知》财政资金："
            "10,000,000.00 元 → 9,000,000.00 元（−1,000,000.00 元）"]),
        (dates[0], "根据县财政局审核意见调整税收增长率", ["《#招商经费》指标“税收增长率”的指标值：≥70百分比 → ≥60%"]),
        (dates[1], "首次公开", [])]
    for page in (project, department):  # the file keepers' words and hashes stay in git
        history = page[page.index('id="history"'):]
        assert "Lower the tax" not in history and "预算调整：中央服务业发展资金" not in history
        assert "人大批准版" not in history and not re.search(r"\b[0-9a-f]{7,40}\b", history)


def test_a_note_in_any_form_and_a_project_added_later(repo, cli, tmp_path):  # noqa: F811
    """The 修订说明 as a subject, with a full-width colon, continued on an indented line; a project
    added to a published department is named on the department page and first published on its own."""
    department = repo.root / "content/2022/304001/department.yaml"
    text = department.read_text(encoding="utf-8")
    assert text.rstrip().splitlines()[-1].startswith("  - ")  # `projects:` is its last list
    department.write_text(text.rstrip() + "\n  - 13022922P00JXC499999Z\n", encoding="utf-8")
    added = repo.root / "content/2022/304001/projects/13022922P00JXC499999Z.yaml"
    added.write_text((repo.root / P1).read_text(encoding="utf-8").replace("13022922P00JXC411757B", "13022922P00JXC499999Z")
                     .replace("#招商经费", "招商推介经费"), encoding="utf-8")
    repo.commit("修订说明：新增招商推介经费项目，\n  经县政府常务会议研究同意。\n\nRevision-Note: ignored\n修订说明:")
    assert cli("build", "--no-pdf", "--output", str(tmp_path / "out"), cwd=repo.root).code == 0
    page = (tmp_path / "out/2022/304001/index.html").read_text(encoding="utf-8")
    (_, said, changes), *_ = revisions(page)
    assert said == "新增招商推介经费项目，经县政府常务会议研究同意。"
    assert changes == ["修改：项目列表", "新增项目《招商推介经费》"]
    own = (tmp_path / "out/2022/304001/projects/13022922P00JXC499999Z.html").read_text(encoding="utf-8")
    assert [(s, c) for _, s, c in revisions(own)] == [("新增招商推介经费项目，经县政府常务会议研究同意。", [])]
    assert "首次公开" in own[own.index('id="history"'):]


def test_a_projects_history_holds_its_monitoring_and_self_evaluation(repo, cli, tmp_path):  # noqa: F811
    evaluate_more_training(repo)
    repo.commit("自评：培训人次更正")
    run = cli("build", "--no-pdf", "--output", str(tmp_path / "out"), cwd=repo.root)
    assert run.code == 0, run.err
    project = (tmp_path / f"out/2022/304001/projects/{STAGED}.html").read_text(encoding="utf-8")
    assert [(said, changes) for _, said, changes in revisions(project)] == [
        ("", ["自评表中指标“示范县开展电商培训次数”的实际完成值：2220人次 → 2400人次",
              "自评表中指标“示范县开展电商培训次数”的得分：7.4 → 8",
              "自评表中总分：96.9 → 97.5"]),
        ("首次公开", []),
    ]
    department = (tmp_path / "out/2022/304001/index.html").read_text(encoding="utf-8")
    assert revisions(department)[0][2][0] == (f"《{STAGED_NAME}》自评表中指标“示范县开展电商培训次数”的实际完成值："
                                              "2220人次 → 2400人次")


def test_a_stage_version_is_read_against_the_targets_of_its_time(repo, cli, tmp_path):  # noqa: F811
    # The target and the forecast measured against it change together: the forecast met ≥4次 before
    # and meets ≥5次 after, so the monitoring status did not change (read against today's ≥5次, the
    # old forecast would seem to miss it).
    repo.edit(P1, "target: ≥4次", "target: ≥5次")
    repo.edit("content/2022/304001/monitoring/13022922P00JXC411757B.yaml", "    forecast: 4次", "    forecast: 5次")
    repo.commit("招商活动次数调整为5次")
    assert cli("build", "--no-pdf", "--output", str(tmp_path / "out"), cwd=repo.root).code == 0
    page = (tmp_path / "out/2022/304001/projects/13022922P00JXC411757B.html").read_text(encoding="utf-8")
    assert revisions(page)[0][1:] == ("", [
        "指标“开展产业优势产业项目宣传推介活动数量”的指标值：≥4次 → ≥5次",
        "监控表中指标“开展产业优势产业项目宣传推介活动数量”的全年预计完成值：4次 → 5次"])


def test_content_outside_git_has_no_history_section(scratch, cli):
    assert cli("build", "--no-pdf", cwd=scratch.root).code == 0
    page = (scratch.root / "output/2022/100001/projects/P001.html").read_text(encoding="utf-8")
    assert 'id="history"' not in page and "最后修改" not in page


def test_a_shallow_clone_warns_and_still_builds(repo, cli, tmp_path):  # noqa: F811
    repo.edit(P1, "target: ≥70百分比", "target: ≥60%")
    repo.commit("调整")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.root.as_uri(), str(shallow)], check=True)
    run = cli("build", "--no-pdf", "--output", str(tmp_path / "out"), cwd=shallow)
    assert run.code == 0, run.err
    assert "warning: the git history is incomplete (a shallow clone)" in run.err
    assert "Traceback" not in run.err
    page = (tmp_path / "out/2022/304001/projects/13022922P00JXC411757B.html").read_text(encoding="utf-8")
    # What the clone's oldest commit changed is not known: neither a first publication nor a change.
    assert [(said, changes) for _, said, changes in revisions(page)] == [("", [])]


def test_two_builds_of_a_revision_are_identical(repo, cli, tmp_path):  # noqa: F811
    for name in ("a", "b"):
        assert cli("build", "--no-pdf", "--output", str(tmp_path / name), cwd=repo.root).code == 0
    for page in (tmp_path / "a").rglob("*.html"):
        assert page.read_bytes() == (tmp_path / "b" / page.relative_to(tmp_path / "a")).read_bytes()


def test_the_feed_dates_each_entry_by_its_last_commit(repo, cli, tmp_path):  # noqa: F811
    import xml.etree.ElementTree as ET

    repo.edit(P1, "target: ≥70百分比", "target: ≥60%")
    repo.commit("调整税收增长率")
    assert cli("build", "--no-pdf", "--output", str(tmp_path / "out"), cwd=repo.root).code == 0
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.parse(tmp_path / "out/feed.xml").getroot().findall("a:entry", ns)
    first = entries[0]
    assert first.find("a:link", ns).get("href").endswith("13022922P00JXC411757B.html") or "304001/index.html" in \
        first.find("a:link", ns).get("href")
    changed = [e for e in entries if e.find("a:link", ns).get("href").endswith("13022922P00JXC411757B.html")][0]
    last = repo.git("log", "-1", "--format=%ad", "--date=short").strip()
    assert changed.find("a:updated", ns).text == f"{last}T00:00:00Z"
    assert "指标“税收增长率”的指标值：≥70百分比 → ≥60%" in changed.find("a:summary", ns).text


def stamps(output) -> set[str]:
    """The date every PDF and every workbook of a build carries, as YYYY-MM-DDTHH:MM:SS (UTC)."""
    import zipfile

    from pypdf import PdfReader

    found = set()
    for pdf in output.rglob("*.pdf"):
        created = PdfReader(pdf).metadata.creation_date
        found.add(created.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"))
    for book in output.rglob("*.xlsx"):
        core = zipfile.ZipFile(book).read("docProps/core.xml").decode("utf-8")
        found.add(re.search(r"<dcterms:created[^>]*>([^<]+)Z<", core).group(1))
    return found


def commit_stamp(repo, rev: str) -> str:  # noqa: F811
    seconds = int(repo.git("log", "-1", "--format=%ct", rev, "--", "content").strip())
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def test_pdfs_and_data_carry_the_built_revisions_date_in_normal_and_rev_builds(repo, cli, tmp_path,  # noqa: F811
                                                                             monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    targets_only(repo)  # two builds with PDFs: the stage forms' dates are in the golden copy
    repo.edit(P1, "target: ≥70百分比", "target: ≥60%")
    repo.commit("调整税收增长率")
    assert commit_stamp(repo, "approved") != commit_stamp(repo, "HEAD")
    assert cli("build", "--output", str(tmp_path / "now"), cwd=repo.root).code == 0
    assert cli("build", "--rev", "approved", "--output", str(tmp_path / "then"), cwd=repo.root).code == 0
    assert stamps(tmp_path / "now") == {commit_stamp(repo, "HEAD")}
    assert stamps(tmp_path / "then") == {commit_stamp(repo, "approved")}


def test_a_damaged_git_folder_is_an_error_not_a_build_without_history(scratch, cli):
    (scratch.root / ".git").mkdir()
    (scratch.root / ".git" / "HEAD").write_text("not a ref\n", encoding="utf-8")
    run = cli("build", "--no-pdf", cwd=scratch.root)
    assert run.code == 1
    (line,) = [d for d in run.diagnostics if ": error: " in d]
    assert line.startswith(f"content:1:1: error: {scratch.root / '.git'} is there but git cannot read it")
    assert "Traceback" not in run.err
    assert not (scratch.root / "output").exists()


def test_git_missing_is_an_error_in_a_repository_and_no_matter_outside_one(repo, scratch, cli, tmp_path,  # noqa: F811
                                                                            monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    run = cli("build", "--no-pdf", "--output", str(tmp_path / "out"), cwd=repo.root)
    assert run.code == 1
    assert any("error: git is not installed" in d and str(repo.root / ".git") in d for d in run.diagnostics), run.err
    assert "Traceback" not in run.err and not (tmp_path / "out").exists()
    outside = cli("build", "--no-pdf", cwd=scratch.root)
    assert outside.code == 0, outside.err
