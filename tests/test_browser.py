"""The site in a real browser: Debian's Chromium driven by Playwright, checked by axe-core.

The site is served from a loopback HTTP server under a sub-path (/gongkai/site/),
as a county portal would host it. Every request the browser makes is recorded:
none may leave that server. Screenshots of each page type at 1280px and 390px
go to test-artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import CONTENT, PROJECT, ROOT, seed_in_another_year, write
from playwright.sync_api import expect, sync_playwright

from builder.pipeline import build_site

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
SUBPATH = "/gongkai/site/"
ZHAOSHANG = "2022/304001/projects/13022922P00JXC411757B.html"
ECOMMERCE = "2022/304001/projects/130229214I5FK2QU161C5.html"  # with an example monitoring round and self-evaluation
PAGE_TYPES = {
    "home": "index.html",
    "department": "2022/304001/index.html",
    "project": ZHAOSHANG,
    "project-stages": ECOMMERCE,
    "indicators": "indicators.html",
    "about": "about.html",
    "data": "data.html",
    "verify": "verify.html",
    "search": "search.html?q=招商",
    "not-found": "404.html",
    "page": "pages/guide.html",  # one of the publisher's own pages, in Markdown (served adds it)
}
GUIDE = """\
---
title: 公开说明
---
本站公开本单位的预算绩效目标[^1]。

## 公开范围

| 内容 | 是否公开 | 说明 |
|:---|:---:|---:|
| 部门整体绩效目标 | 是 | 第一部分 |

[^1]: 依据《中华人民共和国预算法》和本级财政部门的要求公开。
"""
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]


# The stdlib test server leaves sockets of connections Chromium abandons to the
# garbage collector; that is the test server's noise, not gongkai's.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The seed site built and served at http://127.0.0.1:PORT/gongkai/site/."""
    root = tmp_path_factory.mktemp("www")
    content = root.parent / "content"
    shutil.copytree(CONTENT, content)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("base_path: /", f"base_path: {SUBPATH}"),
                         encoding="utf-8")
    write(content / "pages" / "guide.md", GUIDE)
    output = root / SUBPATH.strip("/")
    assert build_site(content, output, pdfs=False).site is not None  # pages only: no test here opens a PDF
    with serving(root) as address:
        yield address + SUBPATH, output


@contextlib.contextmanager
def serving(root: Path):
    """`root` on a loopback HTTP server: its address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `make test` installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class Visit:
    """A page opened in a fresh context, with every request and console error recorded."""

    def __init__(self, browser, url: str, width: int = 1280, javascript: bool = True):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript,
                                           locale="zh-CN")
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.response = self.page.goto(url)

    def close(self):
        self.context.close()


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_page_type_loads_passes_axe_and_fetches_nothing_outside(kind, served, browser):
    base, _ = served
    visit = Visit(browser, base + PAGE_TYPES[kind])
    try:
        page = visit.page
        assert visit.response.status == 200
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.locator("main#main").count() == 1
        assert page.locator("h1").count() == 1
        assert visit.errors == []
        assert all(url.startswith(base) for url in visit.requests), visit.requests
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
        serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                   for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == []
        assert len(results.response["passes"]) >= 10  # axe really ran its rules on this page
        assert_charts_legible(kind, page)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{kind}-1280.png", full_page=True)
    finally:
        visit.close()


# What a reader came for, measured in the DOM: nothing in `main` scrolls sideways (neither the page
# nor a box inside it), and every target and money amount (marked `.target`, `.amount` by the
# theme) is laid out within the window's width.
LAID_OUT = """width => {
    const wide = [...document.querySelectorAll('main *')]
        .filter(e => getComputedStyle(e).overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1)
        .map(e => e.tagName + '.' + e.className);
    const figures = [...document.querySelectorAll('main .amount, main .target')];
    const outside = figures.filter(e => {
        const box = e.getBoundingClientRect();
        return box.width === 0 || box.left < 0 || box.right > width;
    }).map(e => e.textContent.trim().slice(0, 40));
    return {page: document.documentElement.scrollWidth, wide, figures: figures.length, outside};
}"""

# The rendered size of every piece of text a chart shows: an HTML element's font size, an SVG
# text's scaled by the drawing's transform (a viewBox shrinks it with the chart).
CHART_TEXT_SIZES = """() => [...document.querySelectorAll('figure.chart')].flatMap(figure => {
    const sizes = [], walker = document.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const element = walker.currentNode.parentElement;
        if (!walker.currentNode.textContent.trim() || element.closest('[hidden], title, desc')) continue;
        let size = parseFloat(getComputedStyle(element).fontSize);
        if (element instanceof SVGElement) {
            const m = element.getScreenCTM();
            size *= Math.hypot(m.a, m.b);
        }
        sizes.push(size);
    }
    return sizes;
})"""

WITH_FIGURES = {"home", "department", "project", "project-stages", "indicators"}
WITH_CHARTS = {"department", "project", "project-stages"}


def assert_charts_legible(kind: str, page) -> None:
    sizes = page.evaluate(CHART_TEXT_SIZES)
    assert bool(sizes) == (kind in WITH_CHARTS), sizes
    assert min(sizes, default=12) >= 12, f"chart text of {min(sizes)}px on {kind}"


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_phone_width_shows_every_target_and_amount_without_scrolling_sideways(kind, served, browser):
    """At 390px: tables are cards or fit, so no box scrolls sideways; every 指标值 and amount is on
    screen; chart text is at least 12px; axe finds nothing serious."""
    base, _ = served
    visit = Visit(browser, base + PAGE_TYPES[kind], width=390)
    try:
        page = visit.page
        if kind == "search":
            wait_for_results(page)
        laid_out = page.evaluate(LAID_OUT, 390)
        assert laid_out["page"] <= 390, f"the page scrolls sideways by {laid_out['page'] - 390}px at 390px"
        assert laid_out["wide"] == [], "these scroll sideways at 390px"
        assert laid_out["outside"] == [], "these targets or amounts are not within 390px"
        assert (laid_out["figures"] > 0) == (kind in WITH_FIGURES), laid_out
        assert_charts_legible(kind, page)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
        assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")] == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{kind}-390.png", full_page=True)
    finally:
        visit.close()


def test_the_department_page_reads_at_a_measure_and_charts_its_amounts(served, browser):
    """At 1280px: prose lines hold about 40 characters, the contents lists add no numbers of their
    own to the numbered headings, and the budget chart shows each project's amount and share."""
    base, _ = served
    visit = Visit(browser, base + PAGE_TYPES["department"])
    try:
        page = visit.page
        widest = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
            'main section > p:not(.example-notice), main section > ol.numbered > li')]
            .map(e => e.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize)))""")
        assert 30 < widest <= 40.5, f"prose lines of {widest:.1f}em"
        markers = page.locator("nav.toc li").evaluate_all("items => items.map(i => getComputedStyle(i).listStyleType)")
        assert len(markers) == 13 and set(markers) == {"none"}
        figures = page.locator("#budget-chart-title").locator("xpath=..").locator(".bar-figure").all_inner_texts()
        assert figures == ["100,000.00 元（0.5%）", "10,000,000.00 元（49.6%）", "50,000.00 元（0.2%）",
                           "10,000,000.00 元（49.6%）"]
    finally:
        visit.close()


def test_zhaoshang_project_shows_its_11_indicators_with_merged_cells(served, browser):
    base, _ = served
    visit = Visit(browser, base + ZHAOSHANG)
    try:
        # Its example monitoring round and self-evaluation grow the table by their columns.
        table = visit.page.locator("table.stages")
        rows = table.locator("tbody tr")
        assert rows.count() == 11
        level1 = table.locator("tbody th[rowspan]").evaluate_all(
            "cells => cells.map(c => [c.textContent.trim(), c.rowSpan, c.cellIndex])")
        assert [c for c in level1 if c[0].endswith("指标") and c[1] > 1] == [
            ["产出指标", 4, 0], ["效益指标", 4, 0], ["满意度指标", 3, 0]]
        # Every row shows its 指标值 in the right column.
        targets = rows.evaluate_all("rows => rows.map(r => r.querySelector('td.target .value').textContent.trim())")
        assert targets == [
            "≥4次", "≥2个", "≥80百分比", "≤20万元", "≥70百分比", "全方位、多渠道开展招商引资活动，有效宣传我县投资环境。",
            "≥80百分比", "加大招商引资工作力度，有效促进我县产业升级。", "≥80百分比", "≥80百分比", "≥80百分比"]
        assert table.locator("td.target-text").count() == 2
        # The chart is drawn and described: one image to a screen reader, named by its caption.
        chart = visit.page.get_by_role("img", name="累计支出比例")
        assert chart.count() == 1 and chart.locator(".bar-figure").all_inner_texts() == ["25%", "50%", "75%", "100%"]
    finally:
        visit.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_target_actual_and_score_are_readable_without_scrolling_sideways(width, served, browser):
    """The missed target of the example self-evaluation: its target, actual and score are on screen
    at a desktop's width (the table) and a phone's (one card per indicator), the page never wider
    than the window."""
    base, _ = served
    visit = Visit(browser, base + ECOMMERCE, width=width)
    try:
        page = visit.page
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        row = page.locator("table.stages tbody tr").filter(has=page.get_by_role("rowheader", name="示范县开展电商培训次数"))
        assert row.count() == 1
        for cell, shown in (("td.target", "≥3000人次"), ("td.actual", "2220人次"), ("td.score", "7.4 / 10")):
            located = row.locator(cell)
            located.scroll_into_view_if_needed()
            assert located.is_visible()
            assert shown in " ".join(located.inner_text().split())
            box = located.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (cell, box)
        assert "未达成" in row.locator("td.actual").inner_text()
        assert "偏离" in row.inner_text()  # the monitoring round's status, as a word
        assert page.locator("p.example-notice").first.is_visible()
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
        assert [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")] == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"project-stages-table-{width}.png", full_page=True)
    finally:
        visit.close()


def test_three_clicks_from_home_to_an_indicator(served, browser):
    base, _ = served
    visit = Visit(browser, base + "index.html")
    try:
        page = visit.page
        page.get_by_role("link", name="玉田县商务和投资促进局本级").click()
        page.get_by_role("link", name="#招商经费").first.click()
        page.wait_for_url(base + ZHAOSHANG)
        # Waits for the page (is_visible() does not: on a busy machine it asked before the page was there).
        expect(page.get_by_role("rowheader", name="开展产业优势产业项目宣传推介活动数量").first).to_be_visible()
    finally:
        visit.close()


def test_indicator_filters_work_with_script_and_table_works_without(served, browser):
    base, _ = served
    visit = Visit(browser, base + "indicators.html")
    try:
        page = visit.page
        rows = page.locator("#all-indicators tr[data-department]")
        assert rows.count() == 52
        assert page.locator("#filters").is_visible()
        assert page.locator("#filter-status").text_content() == "显示 52 / 52 项指标"
        page.select_option("#filter-category", label="满意度指标 › 服务对象满意度指标")
        assert page.locator("#filter-status").text_content() == "显示 12 / 52 项指标"
        visible = page.locator("#all-indicators tr[data-department]:visible")
        assert visible.count() == 12
        page.select_option("#filter-category", value="")
        page.select_option("#filter-department", value="2022-304001")
        assert page.locator("#filter-status").text_content() == "显示 52 / 52 项指标"
        # By the example self-evaluation's and monitoring round's statuses.
        page.select_option("#filter-stage", value="missed")
        assert page.locator("#filter-status").text_content() == "显示 2 / 52 项指标"
        assert [" ".join(row.split()[:1]) for row in visible.all_inner_texts()] == ["示范县开展电商培训次数", "促进贸易便利化效果提升"]
        page.select_option("#filter-stage", value="off-track")
        assert visible.count() == 3
        page.select_option("#filter-stage", value="met")
        assert visible.count() == 47
    finally:
        visit.close()
    plain = Visit(browser, base + "indicators.html", javascript=False)
    try:
        assert not plain.page.locator("#filters").is_visible()
        assert plain.page.locator("#all-indicators tr[data-department]:visible").count() == 52
        # Without the script the status is a column to read.
        assert plain.page.locator("#all-indicators td.status:has-text('未达成')").count() == 2
        plain.page.get_by_role("link", name="产出指标 › 成本指标").click()
        assert plain.page.url.endswith("#c4")
    finally:
        plain.close()


def test_site_works_from_file_urls(served, browser):
    _, output = served
    visit = Visit(browser, (output / "index.html").as_uri())
    try:
        page = visit.page
        page.get_by_role("link", name="全部指标").first.click()
        assert page.url.endswith("/indicators.html")
        assert page.locator("#all-indicators tr[data-department]").count() == 52
        assert page.locator("#filters").is_visible()  # the script loads from file:// too
        assert visit.errors == []
    finally:
        visit.close()


PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=2\">",
    "\"><svg onload=\"window.__xss=3\">",
    "javascript:window.__xss=4",
    "{{ 7*7 }}",
]


def test_poisoned_content_never_executes_or_becomes_markup(tmp_path, browser):
    """Every string field of a scratch site is an XSS payload; the browser's DOM must show them as text."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT.parent / "tests" / "fixtures" / "poison", content)
    output = tmp_path / "output"
    result = build_site(content, output)
    assert result.site is not None, [d.format() for d in result.report.errors]
    pages = sorted(output.rglob("*.html"))
    assert len(pages) >= 6
    for path in pages:
        visit = Visit(browser, path.as_uri())
        try:
            page = visit.page
            assert page.evaluate("window.__xss === undefined")
            assert visit.dialogs == []
            injected = page.evaluate("""() => [...document.querySelectorAll(
                'img, svg:not([role=img]), iframe, object, embed, style, form:not(#filters):not(.search-box):not(#search-form), '
                + 'b, '
                + 'script:not([src$="filter.js"]):not([src$="search.js"]):not([src$="pagefind-ui.js"])')]
                .map(e => e.outerHTML)""")
            assert injected == []
            handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(e =>
                [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))""")
            assert handlers == []
            hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
            assert not any(h.lower().startswith("javascript:") for h in hrefs)
            body = page.locator("body").inner_text()
            assert "window.__xss=2" in body or path.name in ("404.html",)
            if path.name not in ("data.html", "verify.html"):  # sizes and SHA-256 digests may hold any digits
                assert "49" not in body
        finally:
            visit.close()


def test_poison_fixture_really_is_poison():
    text = (ROOT / "tests" / "fixtures" / "poison" / "2022" / "900001" / "projects" / "X1.yaml").read_text(
        encoding="utf-8")
    assert text.count("__xss") >= 10
    assert PROJECT  # the clean scratch project is the template the poison was made from


def wait_for_results(page) -> None:
    """Until Pagefind's UI has replaced its loading placeholders (". . .") with the results' titles."""
    page.wait_for_function("""() => {
        const results = document.querySelectorAll('.pagefind-ui__result');
        return results.length > 0 && !document.querySelector('.pagefind-ui__results .pagefind-ui__loading');
    }""", timeout=15000)


@pytest.mark.parametrize("term, first", [("招商", "1.#招商经费绩效目标表"), ("疫苗", "3.疫情防控经费绩效目标表"),
                                         ("电商", "4.玉财建【2021】31号关于下达2021年中央服务业发展资金预算的通知绩效目标表")])
def test_search_finds_two_character_words(term, first, served, browser):
    base, _ = served
    visit = Visit(browser, f"{base}search.html?q={term}")
    try:
        page = visit.page
        wait_for_results(page)
        titles = [t.strip() for t in page.locator(".pagefind-ui__result-title").all_text_contents()]
        assert titles[0] == first, titles
        assert page.locator(".pagefind-ui__result mark").count() >= 1  # the hit is highlighted
        # The facets, as the index gives them to the page (the UI's panel fills in one filter at a
        # time and, on a loaded machine, later than the results).
        facets = page.evaluate("""async (url) => {
            const pagefind = await import(url);
            await pagefind.init();
            return Object.keys(await pagefind.filters());
        }""", f"{base}pagefind/pagefind.js")
        assert {"部门", "年度", "一级指标", "二级指标"} <= set(facets)
        page.wait_for_selector(".pagefind-ui__filter-name", timeout=15000)
        assert all(url.startswith(base) for url in visit.requests)
    finally:
        visit.close()


def test_search_for_满意度_returns_every_project(served, browser):
    base, _ = served
    visit = Visit(browser, f"{base}search.html?q=满意度")
    try:
        wait_for_results(visit.page)
        titles = " ".join(visit.page.locator(".pagefind-ui__result-title").all_text_contents())
        for name in ("#招商经费", "疫情防控经费", "冀财建【2021】192号", "玉财建【2021】31号"):
            assert name in titles
    finally:
        visit.close()


# Whether the last heading (or <summary>) before the first text holding `word` in <main> is the
# element with id `id` or holds it: the section a reader sees the word in.
SECTION_OF_WORD = """([id, word]) => {
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  let heading = null;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.nodeType === 1 && /^(H[1-6]|SUMMARY)$/.test(node.tagName)) heading = node;
    else if (node.nodeType === 3 && node.textContent.includes(word) && !(heading && heading.contains(node)))
      return heading && (heading.id === id || heading.querySelector("#" + CSS.escape(id)) !== null);
  }
  return null;
}"""


def test_a_hit_in_a_department_section_links_to_that_section(served, browser):
    """勤俭节约 is only in the bureau's own 分项绩效目标 text: the result names that text's heading and
    links to it (it was named after, and linked to, the last project's generated summary before it)."""
    base, _ = served
    visit = Visit(browser, f"{base}search.html?q=勤俭节约")
    try:
        page = visit.page
        wait_for_results(page)
        sections = page.locator(".search-result-section").evaluate_all(
            "links => links.map(a => [a.href, a.textContent, a.parentElement.querySelector('mark').textContent])")
        assert len(sections) == 1, sections
        href, heading, mark = sections[0]
        assert href.startswith(f"{base}2022/304001/#") and mark == "勤俭节约"
        anchor = href.split("#", 1)[1]
    finally:
        visit.close()
    department = Visit(browser, f"{base}2022/304001/index.html")
    try:
        page = department.page
        assert page.evaluate(SECTION_OF_WORD, [anchor, "勤俭节约"]) is True
        assert page.evaluate("id => document.getElementById(id).closest('section[aria-labelledby=narrative]') !== null",
                             anchor)  # in 二、分项绩效目标
        assert page.locator(f"#{anchor}").inner_text().strip() == heading
    finally:
        department.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_results_name_department_year_and_budget_and_highlight_every_word(width, served, browser):
    base, _ = served
    visit = Visit(browser, f"{base}search.html?q=招商 满意度", width=width)
    try:
        page = visit.page
        wait_for_results(page)
        assert page.locator("input[type=search]").count() == 1  # the header leaves its box out here
        # The department's own text speaks of 招商 and 满意度 too: the project is among the first results.
        titles = [t.strip() for t in page.locator(".pagefind-ui__result-title").all_text_contents()]
        assert "1.#招商经费绩效目标表" in titles[:3], titles
        first = page.locator(".pagefind-ui__result").nth(titles.index("1.#招商经费绩效目标表"))
        assert first.locator(".search-result-meta").inner_text() == \
            "玉田县商务和投资促进局 · 2022年 · 项目预算 100,000.00 元"
        marks = set(page.locator(".pagefind-ui__result mark").all_text_contents())
        assert {"招商", "满意度"} <= marks and not marks & {"满意", "度"}, marks  # the query's words, whole
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"search-results-{width}.png", full_page=True)
    finally:
        visit.close()
    plain = Visit(browser, f"{base}search.html?q=招商", javascript=False)
    try:
        assert plain.page.locator("input[type=search]").count() == 1
    finally:
        plain.close()


@pytest.fixture(scope="module")
def served_in_parts(tmp_path_factory):
    """The seed department in 2021 and 2022, its search index in two parts, served under the sub-path."""
    from builder.publish import search

    root = tmp_path_factory.mktemp("parts")
    content = root.parent / "parts-content"
    shutil.copytree(CONTENT, content)
    seed_in_another_year(content, 2021)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("base_path: /", f"base_path: {SUBPATH}"),
                         encoding="utf-8")
    output = root / SUBPATH.strip("/")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PAGES_PER_PART", 5)  # 10 pages: the two years land in two parts
        assert build_site(content, output, pdfs=False).site is not None
    with serving(root) as address:
        yield address + SUBPATH, output


def test_a_search_index_in_parts_finds_pages_of_every_part(served_in_parts, browser):
    base, output = served_in_parts
    assert (output / "pagefind/gongkai-parts.json").read_text(encoding="utf-8").strip() == \
        '{"merge":["parts/1/"]}'
    visit = Visit(browser, f"{base}search.html?q=招商")
    try:
        page = visit.page
        wait_for_results(page)
        page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result').length >= 2", timeout=15000)
        links = page.locator(".pagefind-ui__result-link").evaluate_all("links => links.map(a => a.href)")
        zhaoshang = [link for link in links if link.endswith("/projects/13022922P00JXC411757B.html")]
        assert sorted(zhaoshang) == [f"{base}2021/304001/projects/13022922P00JXC411757B.html",
                                     f"{base}2022/304001/projects/13022922P00JXC411757B.html"], links
        page.wait_for_selector(".pagefind-ui__filter-name", timeout=15000)
        years = page.locator(".pagefind-ui__filter-group").evaluate_all(
            "groups => groups.map(g => g.textContent)")
        assert any("2021" in g and "2022" in g for g in years), years  # the facets are merged too
        assert visit.errors == []
        assert all(url.startswith(base) for url in visit.requests)
        assert any("/pagefind/parts/1/" in url for url in visit.requests)
    finally:
        visit.close()


def test_search_says_why_it_cannot_work_from_a_file(served, browser):
    _, output = served
    visit = Visit(browser, (output / "search.html").as_uri())
    try:
        assert visit.page.locator("#search-offline").is_visible()
    finally:
        visit.close()
    plain = Visit(browser, (output / "search.html").as_uri(), javascript=False)
    try:
        assert "搜索需要浏览器启用 JavaScript" in plain.page.locator("main").inner_text()
    finally:
        plain.close()


def test_serve_reloads_the_open_page_after_a_save(scratch, browser):
    from builder.commands.serve import DevServer
    from builder.pipeline import DEFAULT_THEMES

    dev = DevServer(scratch.content, DEFAULT_THEMES, port=0, interval=0.1)
    dev.start()
    visit = Visit(browser, dev.url + "2022/100001/projects/P001.html")
    try:
        page = visit.page
        assert page.locator("h1").text_content() == "1.测试项目绩效目标表"
        scratch.project().write_text(PROJECT.replace("name: 测试项目", "name: 保存后的项目"), encoding="utf-8")
        page.wait_for_function("document.querySelector('h1').textContent === '1.保存后的项目绩效目标表'",
                               timeout=15000)
        scratch.project().write_text(PROJECT.replace("total: 100000.00", "total: 1.00"), encoding="utf-8")
        page.wait_for_function("document.title.startsWith('内容有错误')", timeout=15000)
        assert "P001.yaml:4:10: error: 预算数 1.00 元" in page.locator("main").inner_text()
    finally:
        visit.close()
        dev.stop()
