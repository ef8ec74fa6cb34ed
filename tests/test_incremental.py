"""Incremental builds: each kind of input changed, what was and was not made again, and no stale file.

Every scenario starts from a cached build of the same content, changes one
thing, builds again with the cache and then compares the result with a clean
build (no cache) of the changed content, byte for byte (pagefind/ aside: see
conftest.reproducible). The content is a small corpus from bench/corpus.py
(3 departments x 2 projects) plus a 2023 edition of the first department, so
the year links and 历年指标值 that tie years together are exercised too.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, reproducible, tree_snapshot

from builder.pipeline import DEFAULT_THEMES, build_site
from builder.publish.search import part_of

_spec = importlib.util.spec_from_file_location("corpus", ROOT / "bench" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)


def make_content(root: Path) -> Path:
    content = root / "content"
    corpus.generate(content, departments=3, projects=2, seed=3)
    first = sorted((content / "2022").iterdir())[0]
    later = content / "2023" / first.name
    shutil.copytree(first, later)
    text = (later / "department.yaml").read_text(encoding="utf-8")
    (later / "department.yaml").write_text(text.replace("year: 2022", "year: 2023"), encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A content folder, its themes, and a cached build of it (without PDFs)."""
    root = tmp_path_factory.mktemp("incremental")
    content = make_content(root)
    themes = root / "themes"
    shutil.copytree(DEFAULT_THEMES, themes)
    result = build_site(content, root / "output", themes, pdfs=False, cache=root / "cache")
    assert result.site is not None, [d.format() for d in result.report.errors]
    return root


@pytest.fixture
def work(base, tmp_path):
    """A copy of the base (content, themes, output, cache) for one scenario to change."""
    for name in ("content", "themes", "output", "cache"):
        shutil.copytree(base / name, tmp_path / name, symlinks=True, copy_function=shutil.copy2)
    return tmp_path


def rebuild(work: Path, pdfs: bool = False):
    # The copied output has new inodes and mtimes: re-point the manifest at them, as if built here.
    result = build_site(work / "content", work / "output", work / "themes", pdfs=pdfs, cache=work / "cache")
    assert result.ok, [d.format() for d in result.report.errors]
    clean = build_site(work / "content", work / "clean", work / "themes", pdfs=pdfs)
    assert clean.site is not None
    assert reproducible(tree_snapshot(work / "output")) == reproducible(tree_snapshot(work / "clean"))
    # Departments read back from the cache report what checking them again would.
    assert [d.format() for d in result.report.sorted()] == [d.format() for d in clean.report.sorted()]
    return result


def adopt(work: Path, pdfs: bool = False) -> None:
    """Make the copied output this folder's own: a build with nothing changed reuses every file."""
    result = build_site(work / "content", work / "output", work / "themes", pdfs=pdfs, cache=work / "cache")
    assert result.ok


def paths(work: Path) -> dict[str, Path]:
    content = work / "content"
    departments = sorted(p.parent for p in content.glob("2022/*/department.yaml"))
    projects = {d: sorted((d / "projects").glob("*.yaml")) for d in departments}
    return {"dept0": departments[0], "dept1": departments[1], "p00": projects[departments[0]][0],
            "p01": projects[departments[0]][1], "p10": projects[departments[1]][0]}


def page(project: Path, year: str = "2022") -> str:
    return f"{year}/{project.parent.parent.name}/projects/{project.stem}.html"


SITE_WIDE = {"index.html", "indicators.html", "data.html", "sitemap.xml", "feed.xml", "data/all/data.json",
             "data/all/indicators.csv", "data/all/data.xlsx"}


def test_nothing_changed_is_up_to_date_and_touches_nothing(work):
    adopt(work)
    before = tree_snapshot(work / "output")
    result = build_site(work / "content", work / "output", work / "themes", pdfs=False, cache=work / "cache")
    assert result.up_to_date and result.ok
    assert tree_snapshot(work / "output") == before


def test_one_project_changed_remakes_its_pages_and_the_site_wide_files_only(work):
    adopt(work)
    p = paths(work)
    text = p["p01"].read_text(encoding="utf-8")
    p["p01"].write_text(text.replace("basis: '", "basis: '调整后", 1), encoding="utf-8")
    result = rebuild(work)
    d0 = p["dept0"].name
    assert {page(p["p01"]), f"data/2022-{d0}/{p['p01'].stem}/data.json", f"data/2022-{d0}/data.json",
            "indicators.html", "data/all/data.json", "data/all/indicators.csv", "data/all/data.xlsx"} <= result.rendered
    # Its sibling, other departments and the theme's static files are not; nor the pages made again
    # whose bytes came out the same: its counterpart in 2023 (历年指标值 shows targets, not their
    # basis), the department's page.
    assert {page(p["p00"]), page(p["p10"]), f"2022/{p['dept1'].name}/index.html", page(p["p01"], "2023"),
            f"data/2022-{p['dept1'].name}/data.json", "static/style.css", f"2022/{d0}/index.html",
            "index.html", "feed.xml", "sitemap.xml"} <= result.reused
    assert not result.rendered & {page(p["p00"]), page(p["p10"])}
    assert result.checked == [p["dept0"]]  # the other departments are read back from the cache


def test_one_target_edited_remakes_only_the_files_that_show_it(work):
    """The issue's measure of an incremental build: the files made again are the files whose bytes
    change, each one of them a file that shows the edited 指标值 (or a checksum of one)."""
    adopt(work)
    p = paths(work)
    before = tree_snapshot(work / "output")
    inodes = {path: (work / "output" / path).stat().st_ino for path in before if not path.endswith("/")}
    text = p["p01"].read_text(encoding="utf-8")
    value = yaml.safe_load(text)["indicators"][0]["target"]
    edited = re.sub(r"\d+", lambda number: str(int(number[0]) + 1), value, count=1)  # ≥2800份 -> ≥2801份
    assert edited != value
    p["p01"].write_text(text.replace(f"target: '{value}'", f"target: '{edited}'", 1), encoding="utf-8")
    result = rebuild(work)
    after = tree_snapshot(work / "output")
    d0, stem = p["dept0"].name, p["p01"].stem
    shows = {page(p["p01"]), page(p["p01"], "2023"),  # its page, and 历年指标值 on the next year's
             f"2022/{d0}/index.html",  # the department's page: its downloads' sizes and checksums
             *(f"data/2022-{d0}/{stem}/{n}" for n in ("indicators.csv", "data.json")),
             *(f"data/2022-{d0}/{n}" for n in ("indicators.csv", "data.json", "data.xlsx")),
             *(f"data/all/{n}" for n in ("indicators.csv", "data.json", "data.xlsx")),
             "indicators.html", "data/datapackage.json", "verify.html"}
    assert {path for path in result.rendered if not path.startswith("pagefind/")} == shows
    changed = {path for path in after if path in before and after[path] != before[path]}
    assert {path for path in changed if not path.startswith("pagefind/")} == shows | {"SHA256SUMS"}
    # Every other file is the last build's own file (linked), not a copy of it.
    kept = {path for path in after if not path.endswith("/") and path not in result.rendered} - {"SHA256SUMS"}
    assert [path for path in kept if (work / "output" / path).stat().st_ino != inodes.get(path)] == []
    # The search index: only files of the changed page's part, and only those whose bytes changed.
    parts = {part_of(path) for path in result.rendered if path.startswith("pagefind/")}
    assert len(parts) <= 1
    assert [path for path in result.rendered if path in before and after[path] == before[path]] == []


def test_a_stage_file_added_or_changed_remakes_its_projects_outputs_only(work):
    """A monitoring round is part of its project's model: its pages, data and annex follow it."""
    adopt(work)
    p = paths(work)
    project = yaml.safe_load(p["p01"].read_text(encoding="utf-8"))
    monitoring = p["dept0"] / "monitoring" / f"{p['p01'].stem}.yaml"
    monitoring.parent.mkdir()
    rows = "".join(f"  - name: '{i['name']}'\n    progress: 按计划推进\n    forecast: 按计划完成\n    likelihood: 确定能\n"
                   for i in project["indicators"])
    monitoring.write_text(f"project: '{project['code']}'\nperiod: 1-7月\nmoney: {{budget: 100.00, executed: 60.00}}\n"
                          f"indicators:\n{rows}", encoding="utf-8")
    d0 = p["dept0"].name
    for change in ("added", "changed"):
        if change == "changed":
            adopt(work)
            monitoring.write_text(monitoring.read_text(encoding="utf-8").replace("executed: 60.00", "executed: 70.00"),
                                  encoding="utf-8")
        result = rebuild(work)
        assert {page(p["p01"]), f"2022/{d0}/index.html", f"data/2022-{d0}/{p['p01'].stem}/data.json"} \
            <= result.rendered, change
        assert not result.rendered & {page(p["p00"]), page(p["p10"])}, change


def kept_rows(work: Path) -> dict[str, int]:
    """The all-indicators page's rows kept in the cache, one file per department: name -> mtime."""
    return {f.name: f.stat().st_mtime_ns for f in (work / "cache" / "rows").glob("*/*")}


def test_the_all_indicators_page_renders_the_rows_of_the_changed_department_only(work):
    adopt(work)
    before = kept_rows(work)
    assert len(before) == 4  # 3 departments in 2022, 1 in 2023
    p = paths(work)
    text = p["p01"].read_text(encoding="utf-8")
    p["p01"].write_text(text.replace("basis: '", "basis: '调整后", 1), encoding="utf-8")
    assert "indicators.html" in rebuild(work).rendered  # and equal to a clean build's
    after = kept_rows(work)
    assert len(after) == 4 and len(set(after) - set(before)) == 1  # the old rows are pruned
    assert {k: v for k, v in after.items() if k in before} == {k: v for k, v in before.items() if k in after}
    # A change to what the rows are made from (the macro their template imports) renders them all.
    macros = work / "themes/default/templates/macros/indicators.html"
    macros.write_text(macros.read_text(encoding="utf-8").replace('<span class="kind">', '<span class="kind" lang="zh">'),
                      encoding="utf-8")
    adopt(work)
    assert 'lang="zh"' in (work / "output/indicators.html").read_text(encoding="utf-8")
    assert not set(kept_rows(work)) & set(after)
    rebuild(work)


def test_department_file_changed_remakes_its_projects_pages_not_other_departments(work):
    adopt(work)
    p = paths(work)
    department = p["dept1"] / "department.yaml"
    department.write_text(department.read_text(encoding="utf-8").replace("本级", "本级（含下属单位）"),
                          encoding="utf-8")
    result = rebuild(work)
    assert {page(p["p10"]), f"2022/{p['dept1'].name}/index.html"} <= result.rendered
    assert {page(p["p00"]), page(p["p01"])} <= result.reused


def test_project_template_changed_remakes_project_pages_only(work):
    adopt(work)
    template = work / "themes/default/templates/project.html"
    # Inside a block: text after the blocks of a template that extends another is not in its pages,
    # and a page whose bytes come out the same is not a new file.
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{% block title %}", "{% block title %}{# 改动 #}v2 ", 1), encoding="utf-8")
    result = rebuild(work)
    p = paths(work)
    assert {page(p["p00"]), page(p["p10"])} <= result.rendered
    assert {f"2022/{p['dept0'].name}/index.html", f"data/2022-{p['dept0'].name}/data.json"} <= result.reused


def test_shared_partial_changed_remakes_every_page(work):
    adopt(work)
    partial = work / "themes/default/templates/partials/footer.html"
    partial.write_text(partial.read_text(encoding="utf-8") + "<!-- v2 -->\n", encoding="utf-8")
    result = rebuild(work)
    p = paths(work)
    assert {page(p["p00"]), f"2022/{p['dept1'].name}/index.html", "index.html"} <= result.rendered


def test_templates_are_parsed_for_what_they_include_only_when_they_change(work, monkeypatch):
    """Each template's references (extends, include, import) are kept in the cache by its bytes:
    parsing the theme for them was a second of a build where one value changed."""
    from jinja2 import meta

    adopt(work)
    parsed = []
    real = meta.find_referenced_templates
    monkeypatch.setattr(meta, "find_referenced_templates", lambda ast: parsed.append(ast) or real(ast))
    p = paths(work)
    text = p["p00"].read_text(encoding="utf-8")
    p["p00"].write_text(re.sub(r"target: '≥(\d+)", lambda m: f"target: '≥{int(m[1]) + 1}", text, count=1),
                        encoding="utf-8")
    result = build_site(work / "content", work / "output", work / "themes", pdfs=False, cache=work / "cache")
    assert result.ok and page(p["p00"]) in result.rendered
    assert parsed == []
    kept = work / "cache" / "template-references"
    entries = sorted(f.name for f in kept.glob("*/*"))
    assert entries
    # project.html now includes a partial of its own: read from its new bytes, and the partial's
    # change then makes the project pages again.
    template = work / "themes/default/templates/project.html"
    (work / "themes/default/templates/partials/extra.html").write_text("<!-- 一 -->", encoding="utf-8")
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{% block title %}", "{% block title %}{% include 'partials/extra.html' %}", 1),
                        encoding="utf-8")
    rebuild(work)
    assert parsed
    (work / "themes/default/templates/partials/extra.html").write_text("<!-- 二 -->", encoding="utf-8")
    result = rebuild(work)
    assert page(p["p00"]) in result.rendered and f"2022/{p['dept0'].name}/index.html" in result.reused
    # The entry of project.html as it was is gone: one entry per template as it is.
    assert len(list(kept.glob("*/*"))) == len(entries) + 1


def test_stylesheet_changed_remakes_only_itself(work):
    adopt(work)
    css = work / "themes/default/static/style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* v2 */\n", encoding="utf-8")
    result = rebuild(work)
    assert "static/style.css" in result.rendered
    p = paths(work)
    assert {page(p["p00"]), f"2022/{p['dept0'].name}/index.html"} <= result.reused


def test_site_file_changed_remakes_everything(work):
    adopt(work)
    site = work / "content/site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("基准测试", "试运行"), encoding="utf-8")
    result = rebuild(work)
    p = paths(work)
    assert {page(p["p00"]), page(p["p10"]), "index.html"} <= result.rendered
    assert len(result.checked) == 4  # every department is checked against the site's choices again


def test_project_removed_and_added(work):
    adopt(work)
    p = paths(work)
    department = p["dept1"] / "department.yaml"
    text = department.read_text(encoding="utf-8")
    department.write_text(text.replace(f"  - '{p['p10'].stem}'\n", ""), encoding="utf-8")
    p["p10"].unlink()
    result = rebuild(work)
    assert not (work / "output" / page(p["p10"])).exists()
    assert page(p["p00"]) in result.reused


def test_a_publisher_page_and_a_second_language_remake_every_page_s_menu(work):
    adopt(work)
    guide = work / "content" / "pages" / "guide.md"
    guide.parent.mkdir()
    guide.write_text("---\ntitle: 公开说明\n---\n正文。\n", encoding="utf-8")
    p = paths(work)
    result = rebuild(work)
    assert {"pages/guide.html", page(p["p00"]), f"2022/{p['dept1'].name}/index.html", "index.html"} <= result.rendered
    adopt(work)
    site = work / "content/site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("languages: [zh-CN]", "languages: [zh-CN, en]"),
                    encoding="utf-8")
    result = rebuild(work)
    assert {f"en/{page(p['p00'])}", "en/index.html", "en/pages/guide.html"} <= result.rendered
    adopt(work)
    guide.write_text("---\ntitle: 公开说明（修订）\n---\n正文。\n", encoding="utf-8")
    # Equal to a clean build: no page of either language keeps the old title in its menu, and the
    # English all-indicators page, whose rows are not kept in the cache, is made afresh.
    result = rebuild(work)
    assert {"pages/guide.html", page(p["p00"]), f"en/{page(p['p10'])}", "en/indicators.html"} <= result.rendered


def test_output_edited_by_hand_is_made_again(work):
    adopt(work)
    p = paths(work)
    (work / "output" / page(p["p00"])).write_text("edited", encoding="utf-8")
    same_size = work / "output" / page(p["p10"])  # an edit that keeps the size shows in the mtime
    same_size.write_bytes(same_size.read_bytes().replace(b"<title>", b"<TITLE>", 1))
    result = rebuild(work)
    assert not result.up_to_date
    assert {page(p["p00"]), page(p["p10"])} <= result.rendered


def test_pdfs_of_one_changed_project_are_the_only_pdfs_made(tmp_path):
    content = tmp_path / "content"
    corpus.generate(content, departments=2, projects=2, seed=5)
    cache, output = tmp_path / "cache", tmp_path / "output"
    first = build_site(content, output, pdfs=True, cache=cache)
    assert first.site is not None
    pdfs = {p for p in first.rendered if p.endswith(".pdf")}
    assert len(pdfs) == 2 * 2 + 2
    project = sorted(content.glob("2022/*/projects/*.yaml"))[0]
    project.write_text(project.read_text(encoding="utf-8").replace("basis: '", "basis: '调整后", 1), encoding="utf-8")
    second = build_site(content, output, pdfs=True, cache=cache)
    department = project.parent.parent.name
    made = {p for p in second.rendered if p.endswith(".pdf")}
    assert made == {f"2022/{department}/projects/{project.stem}.pdf", f"2022/{department}/{department}-2022.pdf"}
    assert pdfs - made <= second.reused
    clean = build_site(content, tmp_path / "clean", pdfs=True)
    assert clean.site is not None
    assert reproducible(tree_snapshot(output)) == reproducible(tree_snapshot(tmp_path / "clean"))


def indexed_pages(output: Path) -> dict[str, dict[str, str]]:
    """Each part of the search index -> url -> the text Pagefind holds for that page."""
    from builder.publish.search import part_of

    parts: dict[str, dict[str, str]] = {}
    for fragment in sorted(output.glob("pagefind/**/*.pf_fragment")):
        record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        part = part_of(fragment.relative_to(output).as_posix())
        parts.setdefault(part, {})[record["url"]] = record["content"].replace("\u200b", "")
    return parts


def test_search_index_in_parts_remakes_only_the_part_of_the_changed_department(tmp_path, monkeypatch):
    from builder.publish import search

    monkeypatch.setattr(search, "PAGES_PER_PART", 3)  # 4 departments of 3 pages: 4 parts by hash
    content = make_content(tmp_path)
    cache, output = tmp_path / "cache", tmp_path / "output"
    assert build_site(content, output, pdfs=False, cache=cache).site is not None
    before = indexed_pages(output)
    assert len(before) >= 2 and sum(len(urls) for urls in before.values()) == 4 * 3
    listed = json.loads((output / "pagefind/gongkai-parts.json").read_text(encoding="utf-8"))["merge"]
    assert sorted(f"pagefind/{m}".rstrip("/") for m in listed) == sorted(p for p in before if p != "pagefind")

    project = sorted(content.glob("2022/*/projects/*.yaml"))[2]  # the second department's first project
    project.write_text(project.read_text(encoding="utf-8").replace("basis: '", "basis: '调整后的依据", 1),
                       encoding="utf-8")
    result = build_site(content, output, pdfs=False, cache=cache)
    after = indexed_pages(output)
    url = f"/2022/{project.parent.parent.name}/projects/{project.stem}.html"
    changed = next(part for part, urls in after.items() if url in urls)
    assert "调整后的依据" in after[changed][url] and "调整后的依据" not in before[changed][url]
    made = {search.part_of(p) for p in result.rendered if p.startswith("pagefind/") and p.endswith("pf_fragment")}
    kept = {search.part_of(p) for p in result.reused if p.startswith("pagefind/") and p.endswith("pf_fragment")}
    # The other parts are kept whole; in the changed part, the fragments of the pages that did not change.
    assert made == {changed} and kept >= set(before) - {changed}
    assert {part: set(urls) for part, urls in after.items()} == {part: set(urls) for part, urls in before.items()}
    # The same pages in the same parts as a build from nothing.
    clean = tmp_path / "clean"
    assert build_site(content, clean, pdfs=False).site is not None
    assert indexed_pages(clean) == after


def test_parts_indexed_beside_the_pages_on_a_pool_are_the_parts_of_one_process(tmp_path, monkeypatch):
    """With workers, each part is indexed as soon as its pages are written (search_index.EarlyParts),
    more parts than workers included; the index is the one a build on one core makes after the pages."""
    from builder.base.parallel import Processes
    from builder.publish import search, search_index

    monkeypatch.setattr(search, "PAGES_PER_PART", 3)  # 4 departments of 3 pages: 4 parts by hash
    taken: list[set[str]] = []
    take = search_index.EarlyParts.take
    monkeypatch.setattr(search_index.EarlyParts, "take", lambda self, parts: taken.append(take(self, parts))
                        or taken[-1])
    content = make_content(tmp_path)
    serial, pool = tmp_path / "serial", tmp_path / "pool"
    assert build_site(content, serial, pdfs=False).site is not None
    assert taken == [set()]  # one process: nothing beside it
    runner = Processes(2)
    assert build_site(content, pool, pdfs=False, runner=runner, cache=tmp_path / "cache").site is not None
    assert len(taken[1]) >= 3 and taken[1] == set(indexed_pages(pool))
    assert indexed_pages(pool) == indexed_pages(serial)
    # Pagefind names some of its files by a hash that differs from run to run (as test_golden knows).
    def site(output: Path) -> list[str]:
        return [line for line in (output / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
                if " pagefind/" not in line]
    assert site(pool) == site(serial)


def test_findings_of_departments_read_back_from_the_cache_are_reported_again(work):
    p = paths(work)
    text = p["p10"].read_text(encoding="utf-8")
    p["p10"].write_text(text.replace("basis: '", "basis: '", 1).replace("target: ", "target: ≥120百分比 #", 1),
                        encoding="utf-8")
    adopt(work)  # the warning is in the cache now
    p["p01"].write_text(p["p01"].read_text(encoding="utf-8").replace("basis: '", "basis: '调整后", 1),
                        encoding="utf-8")
    result = rebuild(work)  # compares the findings with a clean build's
    assert result.checked == [p["dept0"]]
    assert any("above 100%" in d.message and d.pos.path == str(p["p10"]) for d in result.report.warnings)


def test_a_department_with_an_error_fails_every_build_until_it_is_fixed(work):
    p = paths(work)
    p["p10"].write_text(p["p10"].read_text(encoding="utf-8").replace("total: ", "total: 多少", 1), encoding="utf-8")
    first = build_site(work / "content", work / "output", work / "themes", pdfs=False, cache=work / "cache")
    assert first.site is None and first.report.errors
    p["p01"].write_text(p["p01"].read_text(encoding="utf-8").replace("basis: '", "basis: '调整后", 1),
                        encoding="utf-8")
    second = build_site(work / "content", work / "output", work / "themes", pdfs=False, cache=work / "cache")
    assert second.site is None and second.checked == [p["dept0"]]
    assert [d.format() for d in second.report.errors] == [d.format() for d in first.report.errors]


def test_a_damaged_cache_of_checked_departments_is_checked_again(work):
    adopt(work)
    for entry in (work / "cache" / "departments").glob("*/*"):
        entry.write_bytes(b"not a pickle")
    p = paths(work)
    p["p01"].write_text(p["p01"].read_text(encoding="utf-8").replace("basis: '", "basis: '调整后", 1),
                        encoding="utf-8")
    result = rebuild(work)
    assert len(result.checked) == 4


def test_a_damaged_list_of_outputs_costs_a_full_build_never_a_wrong_file(work):
    """A build with nothing to do never reads outputs.pickle; one that has something to do and
    cannot read it, or finds it belongs to another build, makes every output again."""
    adopt(work)
    listing = work / "cache" / "outputs.pickle"
    kept = listing.read_bytes()
    listing.write_bytes(b"not a pickle")
    assert build_site(work / "content", work / "output", work / "themes", pdfs=False, cache=work / "cache").up_to_date
    p = paths(work)
    p["p01"].write_text(p["p01"].read_text(encoding="utf-8").replace("basis: '", "basis: '调整后", 1),
                        encoding="utf-8")
    assert rebuild(work).reused == set()
    listing.write_bytes(kept)  # the list of the build before: not this manifest's
    p["p01"].write_text(p["p01"].read_text(encoding="utf-8").replace("调整后", "再调整", 1), encoding="utf-8")
    assert rebuild(work).reused == set()
