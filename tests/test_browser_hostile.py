"""Hostile values on the search page, in a real browser (Debian's Chromium, as test_browser.py).

A department name, a project title and a framework's categories are script payloads. They
become Pagefind metadata and filters; whatever the search page shows of them must stay text.
"""

from __future__ import annotations

import pytest
from conftest import DEPARTMENT, PROJECT, SITE, write
from test_browser import Visit, browser, serving  # noqa: F401  (browser is a fixture)

from builder.pipeline import build_site

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

DEPARTMENT_NAME = '<img src=x onerror="window.__pwned=1">测试局'
PROJECT_NAME = "<script>window.__pwned=2</script>招商项目"
LEVEL1 = '"><svg onload="window.__pwned=3">产出指标'
LEVEL2 = "<img src=x onerror=\"alert('pwned')\">数量指标"


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


FRAMEWORK = f"""\
id: hostile
title: 恶意指标体系
basis: 测试
categories:
  - name: {quoted(LEVEL1)}
    children:
      - name: {quoted(LEVEL2)}
      - name: 成本指标
        cost: true
  - name: 满意度指标
    children:
      - name: 服务对象满意度指标
"""



@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """One scratch site with the payloads above, built and served over HTTP."""
    root = tmp_path_factory.mktemp("hostile")
    content = root / "content"
    write(content / "site.yaml", SITE + "framework: hostile\n")
    write(content / "frameworks" / "hostile.yaml", FRAMEWORK)
    write(content / "2022/100001/department.yaml", DEPARTMENT.replace("name: 测试局", f"name: {quoted(DEPARTMENT_NAME)}"))
    write(content / "2022/100001/projects/P001.yaml", PROJECT
          .replace("name: 测试项目", f"name: {quoted(PROJECT_NAME)}")
          .replace("level1: 产出指标", f"level1: {quoted(LEVEL1)}")
          .replace("level2: 数量指标", f"level2: {quoted(LEVEL2)}"))
    output = root / "www"
    result = build_site(content, output, pdfs=False)
    assert result.site is not None, [d.format() for d in result.report.errors]
    with serving(output) as address:
        yield address + "/"


@pytest.mark.parametrize("query", ["招商", "满意度"])
def test_search_shows_hostile_titles_and_filters_as_text(query, hostile_site, browser):  # noqa: F811
    visit = Visit(browser, f"{hostile_site}search.html?q={query}")
    try:
        page = visit.page
        page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result-link').length > 0",
                               timeout=15000)
        page.wait_for_selector(".pagefind-ui__filter-name", timeout=15000)
        for summary in page.locator(".pagefind-ui__filter-name").all():  # open every filter list
            summary.click()
        page.wait_for_function(
            "() => document.querySelectorAll('.pagefind-ui__filter-block input[type=checkbox]').length >= 5",
            timeout=15000)
        page.wait_for_timeout(300)  # an image's error event, had one been made
        assert page.evaluate("window.__pwned === undefined")
        assert visit.dialogs == []
        assert visit.errors == []
        made = page.evaluate("""() => [...document.querySelectorAll('#search img, #search svg, #search script')]
            .map(e => e.outerHTML)""")
        assert made == []
        handlers = page.evaluate("""() => [...document.querySelectorAll('#search *')].flatMap(e =>
            [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))""")
        assert handlers == []
        shown = page.locator("#search").inner_text()
        for payload in (DEPARTMENT_NAME, LEVEL1, LEVEL2):
            assert payload in shown, shown
        titles = page.locator(".pagefind-ui__result-title").all_text_contents()
        assert any(f"1.{PROJECT_NAME}绩效目标表" in title for title in titles), titles
    finally:
        visit.close()
