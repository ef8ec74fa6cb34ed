"""The search index in parts (builder/search.py): which pages, in which part, and what marks a page."""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import CONTENT

from builder.content.stage_model import STATUS_WORDS
from builder.pipeline import build_site, check_content
from builder.publish import search
from builder.publish.search import MarkScanner, is_marked, part_of, parts_list, plan


def groups(departments: int, projects: int) -> dict[str, str]:
    pages = {"index.html": "index.html", "indicators.html": "indicators.html"}
    for d in range(departments):
        folder = f"2022/{300000 + d}"
        pages[f"{folder}/index.html"] = folder
        pages.update({f"{folder}/projects/P{p}.html": folder for p in range(projects)})
    return pages


def test_a_small_site_is_one_part_of_only_the_marked_pages():
    pages = groups(3, 4)
    marked = {p for p in pages if p.startswith("2022/")}
    parts = plan(pages, marked)
    assert list(parts) == ["pagefind"]
    assert parts["pagefind"].pages == sorted(marked)
    assert parts["pagefind"].globs == {"2022/300000/**/*.html", "2022/300001/**/*.html", "2022/300002/**/*.html"}


def test_no_page_marked_indexes_every_page_as_pagefind_would():
    parts = plan(groups(1, 2), set())
    assert parts["pagefind"].globs == {"index.html", "indicators.html", "2022/300000/**/*.html"}


def test_a_large_site_is_cut_into_parts_that_keep_departments_whole(monkeypatch):
    monkeypatch.setattr(search, "PAGES_PER_PART", 100)
    pages = groups(190, 4)  # 950 department and project pages
    marked = {p for p in pages if p.startswith("2022/")}
    parts = plan(pages, marked)
    assert len(parts) == 10 and "pagefind" in parts and all(
        f == "pagefind" or f.startswith("pagefind/parts/") for f in parts)
    assert sorted(p for part in parts.values() for p in part.pages) == sorted(marked)
    where = {p: folder for folder, part in parts.items() for p in part.pages}
    for d in range(190):
        assert len({where[p] for p in marked if p.startswith(f"2022/{300000 + d}/")}) == 1
    assert max(len(part.pages) for part in parts.values()) < 200  # roughly even, not one part of all
    # A new department moves no other department to another part (while there are as many parts).
    more = plan({**pages, "2022/399999/index.html": "2022/399999"}, marked | {"2022/399999/index.html"})
    assert {p: f for f, part in more.items() for p in part.pages if p in where} == where


def test_parts_list_and_part_of():
    assert parts_list(["pagefind", "pagefind/parts/7", "pagefind/parts/2"]) == \
        b'{"merge":["parts/2/","parts/7/"]}\n'
    assert part_of("pagefind/fragment/zh_1.pf_fragment") == "pagefind"
    assert part_of("pagefind/parts/7/fragment/zh_1.pf_fragment") == "pagefind/parts/7"


def test_a_mark_is_an_attribute_in_a_tag_not_text_about_one():
    assert is_marked(b'<main id="main" data-pagefind-body>')
    assert is_marked(b'<div\n data-pagefind-body="">')
    assert not is_marked(b"<p>&lt;main data-pagefind-body&gt;</p>")  # escaped content text
    assert not is_marked(b'<main data-pagefind-bodyguard>')
    scanner = MarkScanner()
    page = b"<p>" + b"x" * 70000 + b'</p><main class="a" data-pagefind-body>'
    for start in range(0, len(page), 7):  # split across chunks, and across the 64 kB scans
        scanner.feed(page[start:start + 7])
    assert scanner.marked
    plain = MarkScanner()
    plain.feed(b"<main>" * 20000)
    assert not plain.marked


def test_the_index_is_made_by_pagefinds_extended_binary_or_not_at_all(monkeypatch, tmp_path):
    """The standard binary finds no two-character Chinese word; a build must not fall back to it."""
    search.pagefind.cache_clear()
    assert Path(search.pagefind()).name == "pagefind_extended"
    search.pagefind.cache_clear()
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)  # as if it were not installed
    try:
        with pytest.raises(search.SearchIndexError, match="pagefind_bin_extended.*make site"):
            search.index_part(tmp_path, "pagefind", search.Part(pages=["index.html"], globs={"index.html"}))
    finally:
        search.pagefind.cache_clear()


STAGED = "2022/304001/projects/130229214I5FK2QU161C5.html"  # the seed's project with example stage files


@pytest.fixture(scope="module")
def indexed(tmp_path_factory) -> dict[str, dict]:
    """What the search index holds of each page: Pagefind's fragments (gzip: a signature, then JSON), by path."""
    output = tmp_path_factory.mktemp("search") / "output"
    assert build_site(CONTENT, output, pdfs=False).site is not None
    fragments = {}
    for path in (output / "pagefind/fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])
        fragment["text"] = fragment["content"].replace("\u200b", "")  # Pagefind's word breaks
        fragments[fragment["url"].lstrip("/")] = fragment
    return fragments


def test_stage_facets_are_in_the_index(indexed):
    filters = indexed[STAGED]["filters"]
    assert sorted(filters["监控状态"]) == ["偏离", "正常"]  # as the open data words them
    assert sorted(filters["偏差原因类别"]) == ["其他", "经费"]
    assert filters["自评等级"] == ["优"]
    site = check_content(CONTENT).site
    for department in site.departments:  # every project's, from its model
        for project in department.projects:
            found = indexed[f"{department.year}/{department.code}/projects/{project.code}.html"]["filters"]
            m, e = project.monitoring, project.evaluation
            assert sorted(found.get("监控状态", [])) == sorted({STATUS_WORDS[i.status] for i in m.indicators} if m else [])
            assert sorted(found.get("偏差原因类别", [])) == sorted(
                {i.reason_category for i in m.indicators if i.reason_category} if m else [])
            assert found.get("自评等级", []) == ([e.grade] if e else [])
            assert {"部门", "年度", "一级指标", "二级指标"} <= set(found)


def test_a_search_for_a_deviation_reason_finds_the_project(indexed):
    text = indexed[STAGED]["text"]
    assert "受疫情影响，线下集中培训暂停" in text  # the monitoring's reason
    assert "原定线下集中培训有3场取消" in text  # the self-evaluation's 偏差原因分析
    assert "2220人次" in text and "偏离" in text  # an actual value and a status word


def fragments(output: Path) -> dict[str, dict]:
    found = {}
    for path in (output / "pagefind/fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])
        fragment["text"] = fragment["content"].replace("\u200b", "")
        found[fragment["url"].lstrip("/")] = fragment
    return found


def test_a_projects_kind_is_a_facet(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    project = content / "2022/304001/projects/13022922P00JXC411757B.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("\nbudget:", "\nkind: 经常性项目\nbudget:", 1), encoding="utf-8")
    output = tmp_path / "output"
    assert build_site(content, output, pdfs=False).site is not None
    found = fragments(output)
    assert found["2022/304001/projects/13022922P00JXC411757B.html"]["filters"]["项目类型"] == ["经常性项目"]
    assert "项目类型" not in found["2022/304001/projects/13022922P000BR0103603.html"]["filters"]  # none stated


PROVINCES = CONTENT.parent / "tests" / "fixtures" / "provinces" / "content"


# The department page's 部门整体 section and the project page's header cells are indexed like any page text.
def test_the_department_wide_target_and_the_header_cells_are_searchable(tmp_path):
    output = tmp_path / "output"
    assert build_site(PROVINCES, output, pdfs=False).site is not None
    found = fragments(output)
    department = found["2024/501001/"]["text"]  # Pagefind names a folder's index.html by the folder
    assert "统筹推进全市农业农村发展" in department  # 部门职能概述
    assert "农村生活垃圾无害化处理率" in department and "到2025年建成高标准农田20万亩" in department
    assert "财政拨款" in department and "基本支出" in department  # 收入构成, 支出构成
    project = found["2024/501001/projects/50100124P000001.html"]
    assert "501-示例市农业农村局" in project["text"] and "501001-示例市农业农村局本级" in project["text"]
    assert "王建国" in project["text"]
    assert project["filters"]["项目类型"] == ["经常性项目"]
    assert found["2024/501001/projects/50100124P000002.html"]["filters"]["项目类型"] == ["一次性项目"]
