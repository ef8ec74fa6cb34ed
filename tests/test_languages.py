"""A second language, or none: `languages: [zh-CN, en]` gives every page an English copy under en/
with a switcher, the content still Chinese and marked so; plurals are chosen per language; the
catalogs keep each language's punctuation. (A site of zh-CN only shows no English at all:
test_publisher_pages.py.)

One build for the module: the scratch site of conftest in two languages, without PDFs.
"""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pytest
import yaml
from conftest import DEPARTMENT, PROJECT, ROOT, SITE, write

from builder.pipeline import build_site
from builder.render.catalogs import format_string, plural_forms
from builder.render.languages import ContentLanguage
from builder.render.themes import ThemeError, translator

CATALOGS = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "themes").glob("*/i18n/*.yaml")}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("languages")
    content = root / "content"
    write(content / "site.yaml", SITE + "languages: [zh-CN, en]\n")
    write(content / "2022" / "100001" / "department.yaml", DEPARTMENT)
    write(content / "2022" / "100001" / "projects" / "P001.yaml", PROJECT)
    write(content / "pages" / "guide.md", "---\ntitle: 公开说明\n---\n本站公开绩效目标。\n")
    result = build_site(content, root / "output", pdfs=False)
    assert result.site is not None, [d.format() for d in result.report.errors]
    return root / "output"


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_every_page_has_an_english_copy_under_en(built):
    first = {p.relative_to(built).as_posix() for p in built.rglob("*.html") if not p.is_relative_to(built / "en")}
    english = {p.relative_to(built / "en").as_posix() for p in (built / "en").rglob("*.html")}
    assert english == first - {"404.html"}  # servers show the one 404 page at any depth
    assert "pages/guide.html" in english and "2022/100001/projects/P001.html" in english
    sitemap = read(built, "sitemap.xml")
    assert "<loc>/en/2022/100001/projects/P001.html</loc>" in sitemap and "<loc>/en/404.html</loc>" not in sitemap


def test_the_switcher_links_each_page_to_itself_in_the_other_language(built):
    chinese, english = read(built, "2022/100001/index.html"), read(built, "en/2022/100001/index.html")
    assert chinese.startswith('<!DOCTYPE html>\n<html lang="zh-CN">') and english.startswith(
        '<!DOCTYPE html>\n<html lang="en">')
    assert '<li><span aria-current="true">中文</span></li>' in chinese
    assert '<a href="../../en/2022/100001/index.html" hreflang="en" lang="en">English</a>' in chinese
    assert '<a href="../../../2022/100001/index.html" hreflang="zh-CN" lang="zh-CN">中文</a>' in english
    assert '<li><span aria-current="true">English</span></li>' in english
    assert '<link rel="alternate" hreflang="en" href="../../en/2022/100001/index.html">' in chinese


def test_english_pages_have_english_ui_and_chinese_content_marked_as_chinese(built):
    page = read(built, "en/2022/100001/projects/P001.html")
    assert ">Home</a>" in page and ">All indicators</a>" in page and "首页" not in page
    assert '<span lang="zh-CN">测试项目</span>' in page
    assert '<span lang="zh-CN">活动次数</span>' in page
    # The publisher's page is Chinese as a whole.
    assert '<article class="prose" lang="zh-CN">' in read(built, "en/pages/guide.html")
    assert "1 department, 1 project, 3 indicators" in read(built, "en/index.html")


class Runs(HTMLParser):
    """Han characters in text, and whether an element around them says they are Chinese."""

    def __init__(self, text: str):
        super().__init__()
        self.open: list[tuple[str, str | None]] = []
        self.unmarked: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag not in ("meta", "link", "br", "input", "img", "hr", "col", "wbr"):
            self.open.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        inside = [tag for tag, _ in self.open]
        if re.search(r"[\u4e00-\u9fff]", data) and "title" not in inside and "script" not in inside and not any(
                lang and lang.startswith("zh") for _, lang in self.open):
            self.unmarked.append(data.strip())


def test_on_english_pages_all_chinese_text_is_marked(built):
    for path in sorted((built / "en").rglob("*.html")):
        assert not Runs(path.read_text(encoding="utf-8")).unmarked, path


def test_english_pages_link_only_to_what_exists(built):
    for path in sorted((built / "en").rglob("*.html")):
        for href in re.findall(r'(?:href|src)="([^"#:][^":]*)"', path.read_text(encoding="utf-8")):
            target = posixpath.normpath(posixpath.join(path.parent.as_posix(), unquote(urldefrag(href)[0])))
            assert Path(target).exists(), (path, href)
    # The downloads are shared, not copied.
    assert not (built / "en" / "data").exists() and not (built / "en" / "static").exists()


def test_the_search_index_holds_the_first_language_s_pages_only(built):
    entry = json.loads(read(built, "pagefind/pagefind-entry.json"))
    indexed = [p for p in built.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")
               and not p.is_relative_to(built / "en")]
    assert entry["languages"]["zh-cn"]["page_count"] == len(indexed)


def test_english_pages_pass_axe_and_fit_a_phone(built):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, LAUNCH_ARGS, Visit, serving

    with serving(built) as address, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            for path in ("en/index.html", "en/2022/100001/projects/P001.html"):
                visit = Visit(browser, f"{address}/{path}", width=390)
                try:
                    page = visit.page
                    assert page.locator("html").get_attribute("lang") == "en" and visit.errors == []
                    assert page.evaluate("document.documentElement.scrollWidth - "
                                         "document.documentElement.clientWidth") <= 0, path
                    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
                        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
                    assert [v["id"] for v in results.response["violations"]] == [], path
                finally:
                    visit.close()
        finally:
            browser.close()


def test_a_language_the_theme_cannot_speak_is_an_error_at_languages(scratch, cli):
    scratch.write(scratch.site, SITE + "languages: [zh-CN, fr]\n")
    run = cli("check", "--content", str(scratch.content))
    assert run.code == 1
    assert any(d.endswith("site.yaml:3:12: error: theme `default` has no strings for language `fr` (i18n/fr.yaml)")
               for d in run.diagnostics), run.diagnostics
    scratch.write(scratch.site, SITE + "languages: [zh-CN, en, zh-CN]\n")
    run = cli("check", "--content", str(scratch.content))
    assert any("`languages` names a language twice" in d for d in run.diagnostics), run.diagnostics


def test_plurals_are_chosen_by_the_language():
    english = translator(CATALOGS["en"], "en")
    assert english("home.summary", departments=1, projects=1, indicators=1) == "1 department, 1 project, 1 indicator"
    assert english("home.summary", departments=2, projects=4, indicators=0) == "2 departments, 4 projects, 0 indicators"
    chinese = translator(CATALOGS["zh-CN"], "zh-CN")
    assert chinese("home.summary", departments=1, projects=4, indicators=52) == "共 1 个部门、4 个项目、52 项绩效指标"
    assert format_string("{n:one|other}", "fr", {"n": 0}) == "one"
    with pytest.raises(ValueError, match="2 form"):
        format_string("{n:a|b|c}", "en", {"n": 1})
    with pytest.raises(ValueError, match="whole number"):
        format_string("{n:a|b}", "en", {"n": "{n}"})
    with pytest.raises(ThemeError):
        english("no.such.key")


PLURAL = re.compile(r"\{\w+:([^{}]*\|[^{}]*)\}")


def test_every_plural_in_a_catalog_has_its_language_s_forms():
    for language, catalog in CATALOGS.items():
        for key, text in catalog.items():
            for forms in PLURAL.findall(str(text)):
                assert len(forms.split("|")) == plural_forms(language), (language, key, text)


# Full-width punctuation has no place in English text, nor half-width in Chinese: `，` in an English
# sentence, `,` or `:` between Chinese words. Symbols (≥, <=, %, ...) and placeholders are neither.
FULL_WIDTH = re.compile(r"[，。：；！？（）、【】《》「」]")
HALF_WIDTH = re.compile(r"[,.:;!?()](?=[\u4e00-\u9fff\s]|$)|(?<=[\u4e00-\u9fff])[,.:;!?()]")


def test_catalogs_keep_each_language_s_punctuation():
    mixed = []
    for language, catalog in CATALOGS.items():
        for key, text in catalog.items():
            text = re.sub(r"\{[^{}]*\}", "", str(text))
            if language.startswith("en") and FULL_WIDTH.search(text):
                mixed.append((language, key, text))
            if language.startswith("zh") and HALF_WIDTH.search(text):
                mixed.append((language, key, text))
    assert not mixed


def test_marking_chinese_keeps_the_page_as_it_was_written():
    page = ('<!DOCTYPE html>\n<html lang="en"><head><title>说明 - 站点</title><script>var s = "中文";</script></head>'
            '<body><p class="x" title="标题">Budget of 招商经费 (4): ≥4次 &amp; 20万元</p>'
            '<p lang="zh-CN">已标记</p><input placeholder="例如"><select><option value="d">2022 测试局</option>'
            '<option value="">All</option></select><!-- 注释 --></body></html>')
    marker = ContentLanguage("zh-CN")
    out = "".join(marker.mark(page[n:n + 7]) for n in range(0, len(page), 7)) + marker.finish()
    assert out == ('<!DOCTYPE html>\n<html lang="en"><head><title>说明 - 站点</title><script>var s = "中文";</script>'
                   '</head><body><p class="x" title="标题">Budget of <span lang="zh-CN">招商经费</span> (4): '
                   '<span lang="zh-CN">≥4次</span> &amp; <span lang="zh-CN">20万元</span></p>'
                   '<p lang="zh-CN">已标记</p><input placeholder="例如"><select><option value="d" lang="zh-CN">2022 测试局'
                   '</option><option value="">All</option></select><!-- 注释 --></body></html>')


def test_english_pages_write_english_punctuation_around_their_ui_words(built):
    """The templates' own colons and brackets come from the catalog: `Unit: 元`, not `Unit：元`; a
    full-width mark on an English page is inside the Chinese content it belongs to."""
    for path in ("en/index.html", "en/2022/100001/index.html", "en/2022/100001/projects/P001.html",
                 "en/indicators.html", "en/about.html"):
        page = read(built, path)
        text = re.sub(r"<[^>]+>", "", page)
        assert not re.search(r"[A-Za-z)][：（、；]|[：（）、；][A-Za-z(]", text), (path, re.findall(r".{12}[：（、；].{12}", text)[:3])
