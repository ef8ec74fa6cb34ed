"""修订记录 in the site: every commit that changed a page's content, from one read of git."""

from __future__ import annotations

import re
import subprocess

from test_diff import P1, P2, repo  # noqa: F401 - the repository fixture

HISTORY_ROW = re.compile(r'<td class="num">([\d-]+)</td>\s*<td>([^<]*)</td>\s*<td>(.*?)</td>', re.S)


def revisions(page: str) -> list[tuple[str, str, list[str]]]:
    section = page[page.index('id="history"'):]
    return [(date, subject, re.findall(r"<li>(.*?)</li>", changes)) for date, subject, changes in
            HISTORY_ROW.findall(section)]


def test_pages_list_the_commits_that_changed_them_newest_first(repo, cli, tmp_path):  # noqa: F811
    repo.edit(P1, "target: ≥70百分比", "target: ≥80%")
    repo.commit("调整税收增长率")
    repo.edit(P2, "  total: 10000000.00\n  fiscal: 10000000.00", "  total: 9000000.00\n  fiscal: 9000000.00")
    repo.commit("预算调整：中央服务业发展资金")
    run = cli("build", "--no-pdf", "--output", str(tmp_path / "out"), cwd=repo.root)
    assert run.code == 0, run.err
    project = (tmp_path / "out/2022/304001/projects/13022922P00JXC411757B.html").read_text(encoding="utf-8")
    rows = revisions(project)
    assert [(subject, changes) for _, subject, changes in rows] == [
        ("调整税收增长率", ["#招商经费 税收增长率 指标值: ≥70百分比 → ≥80%"]),
        ("2022年预算绩效目标（人大批准版）", ["新建"]),
    ]
    dates = [date for date, _, _ in rows]
    assert dates == sorted(dates, reverse=True)
    assert f"最后修改：{dates[0]}" in project
    department = (tmp_path / "out/2022/304001/index.html").read_text(encoding="utf-8")
    subjects = [subject for _, subject, _ in revisions(department)]
    assert subjects == ["预算调整：中央服务业发展资金", "调整税收增长率", "2022年预算绩效目标（人大批准版）"]
    first = revisions(department)[0][2]
    assert first == ["冀财建【2021】192号河北省财政厅关于提前下达2022年中央服务业发展资金预算的通知 预算数: "
                     "10,000,000.00 元 → 9,000,000.00 元 (−1,000,000.00 元)",
                     "冀财建【2021】192号河北省财政厅关于提前下达2022年中央服务业发展资金预算的通知 财政资金: "
                     "10,000,000.00 元 → 9,000,000.00 元 (−1,000,000.00 元)"]
    assert "#招商经费：新建" in department  # a project's own creation, named


def test_content_outside_git_has_no_history_section(scratch, cli):
    assert cli("build", "--no-pdf", cwd=scratch.root).code == 0
    page = (scratch.root / "output/2022/100001/projects/P001.html").read_text(encoding="utf-8")
    assert 'id="history"' not in page and "最后修改" not in page


def test_a_shallow_clone_warns_and_still_builds(repo, cli, tmp_path):  # noqa: F811
    repo.edit(P1, "target: ≥70百分比", "target: ≥80%")
    repo.commit("调整")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.root.as_uri(), str(shallow)], check=True)
    run = cli("build", "--no-pdf", "--output", str(tmp_path / "out"), cwd=shallow)
    assert run.code == 0, run.err
    assert "warning: the git history is incomplete (a shallow clone)" in run.err
    assert "Traceback" not in run.err
    page = (tmp_path / "out/2022/304001/projects/13022922P00JXC411757B.html").read_text(encoding="utf-8")
    assert [subject for _, subject, _ in revisions(page)] == ["调整"]


def test_two_builds_of_a_revision_are_identical(repo, cli, tmp_path):  # noqa: F811
    for name in ("a", "b"):
        assert cli("build", "--no-pdf", "--output", str(tmp_path / name), cwd=repo.root).code == 0
    for page in (tmp_path / "a").rglob("*.html"):
        assert page.read_bytes() == (tmp_path / "b" / page.relative_to(tmp_path / "a")).read_bytes()


def test_the_feed_dates_each_entry_by_its_last_commit(repo, cli, tmp_path):  # noqa: F811
    import xml.etree.ElementTree as ET

    repo.edit(P1, "target: ≥70百分比", "target: ≥80%")
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
    assert "税收增长率 指标值: ≥70百分比 → ≥80%" in changed.find("a:summary", ns).text
