"""The built site as a whole, without a browser: valid HTML5, links, anchors, depth, landmarks."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag

import html5lib
import pytest
from conftest import ROOT

from builder.content.model import NOTICE_KINDS


@pytest.fixture
def site_dir(seed_build) -> Path:
    """The seed as built once for the session (conftest.seed_build)."""
    return seed_build


class Page(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.links: list[str] = []
        self.ids: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.title = ""
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        for name in ("href", "src"):
            # data:, is the empty favicon that keeps browsers from asking for /favicon.ico
            if attrs.get(name) and attrs[name] != "data:,":
                self.links.append(attrs[name])
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def pages(site_dir: Path) -> dict[str, Page]:
    return {p.relative_to(site_dir).as_posix(): Page(p.read_text(encoding="utf-8"))
            for p in sorted(site_dir.rglob("*.html"))}


def test_the_site_has_every_page_type(site_dir):
    names = set(pages(site_dir))
    assert {"index.html", "indicators.html", "about.html", "404.html", "2022/304001/index.html"} <= names
    assert len([n for n in names if "/projects/" in n]) == 4
    assert (site_dir / "sitemap.xml").is_file()


def test_every_page_is_valid_html5(site_dir):
    for path in sorted(site_dir.rglob("*.html")):
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        parser.parse(path.read_bytes(), transport_encoding="utf-8")  # raises on any parse error
        assert parser.errors == [], path


def test_titles_are_unique_and_pages_are_marked_up_for_everyone(site_dir):
    titles = {}
    for name, page in pages(site_dir).items():
        assert page.title and page.title not in titles, (name, page.title)
        titles[page.title] = name
        tags = [tag for tag, _ in page.tags]
        assert ("html", {"lang": "zh-CN"}) in page.tags
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in tags, (name, landmark)
        assert page.links[1] == "#main" or "#main" in page.links  # the skip link
        assert len(page.ids) == len(set(page.ids)), f"{name}: duplicate ids"
        for tag, attrs in page.tags:
            if tag == "th":
                assert attrs.get("scope") in ("col", "row", "rowgroup", "colgroup"), (name, attrs)
        assert tags.count("table") == tags.count("caption"), name


def test_no_broken_internal_link_or_anchor(site_dir):
    """Crawl every page: each relative link resolves to a file, each #anchor to an id there."""
    site = pages(site_dir)
    for name, page in site.items():
        if name == "404.html":
            continue  # links from base_path; checked below
        for link in page.links:
            assert not re.match(r"^[a-z]+:", link) and not link.startswith("/"), (name, link)
            target, fragment = urldefrag(link)
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(target))) if target else name
            assert (site_dir / resolved).is_file(), f"{name}: broken link {link}"
            if fragment and resolved.endswith(".html"):
                assert unquote(fragment) in site[resolved].ids, f"{name}: no #{fragment} in {resolved}"


def test_404_links_from_base_path(site_dir):
    page = pages(site_dir)["404.html"]
    for link in page.links:
        if not link.startswith("#"):
            assert link.startswith("/"), link
            assert (site_dir / link.lstrip("/")).is_file(), link


def test_every_indicator_is_three_clicks_from_home(site_dir):
    site = pages(site_dir)
    depth = {"index.html": 0}
    queue = deque(["index.html"])
    while queue:
        name = queue.popleft()
        for link in site[name].links:
            target, _ = urldefrag(link)
            if not target.endswith(".html"):
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(target)))
            if resolved in site and resolved not in depth:
                depth[resolved] = depth[name] + 1
                queue.append(resolved)
    projects = [n for n in site if "/projects/" in n]
    assert projects and all(depth[n] <= 3 for n in projects), depth
    assert depth["indicators.html"] == 1


def test_no_page_asks_for_anything_outside_the_site(site_dir):
    for path in site_dir.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(?:src|href)=\"(?:https?:)?//", text), path
            assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text), path
            assert "@import" not in text and "@font-face" not in text, path


def test_sitemap_lists_every_page(site_dir):
    tree = ET.parse(site_dir / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in tree.getroot().findall("s:url/s:loc", ns)]
    expected = sorted("/" + n for n in pages(site_dir) if n != "404.html")
    assert sorted(locs) == expected


def test_ui_catalogs_cover_every_key_the_theme_uses():
    theme = ROOT / "themes" / "default"
    used = set()
    for template in (theme / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([\w.-]+)["']""", text))
        used |= {"dept.narrative.notice." + k for k in NOTICE_KINDS}
    used |= {"page.footnote.back"}  # the footnotes' link title in a Markdown page (render/markdown.py)
    import yaml

    catalogs = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (theme / "i18n").glob("*.yaml")}
    assert set(catalogs) >= {"zh-CN", "en"}
    assert set(catalogs["zh-CN"]) == set(catalogs["en"]), "zh-CN and en must have the same keys"
    used = {key for key in used if not key.endswith(".")}  # prefixes completed in the template
    assert used <= set(catalogs["zh-CN"]), used - set(catalogs["zh-CN"])
    assert set(catalogs["zh-CN"]) <= used, set(catalogs["zh-CN"]) - used  # no dead strings


def test_atom_feed_lists_every_department_and_project(site_dir):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(site_dir / "feed.xml").getroot()
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 1 + 4
    for entry in entries:
        href = entry.find("a:link", ns).get("href")
        assert (site_dir / href).is_file(), href
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", entry.find("a:updated", ns).text)
    titles = [e.find("a:title", ns).text for e in entries]
    assert "玉田县商务和投资促进局：#招商经费绩效目标表" in titles


def test_the_search_index_holds_every_project_and_department_page(site_dir):
    import json

    entry = json.loads((site_dir / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["zh-cn"]["page_count"] == 4 + 1
    indexed = [p for p in site_dir.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert sorted(p.relative_to(site_dir).as_posix() for p in indexed) == sorted(
        ["2022/304001/index.html"] + [f"2022/304001/projects/{c}.html" for c in (
            "13022922P00JXC411757B", "13022922P000BR0103603", "13022922P00JXC411759J", "130229214I5FK2QU161C5")])


def test_the_department_page_opens_with_its_figures_and_totals_every_money_column(site_dir):
    """The summary strip (预算合计, 财政资金, 项目数, 指标数), the projects table's 合计 row under every
    money column, and a contents of two levels: the parts, then their sections and projects."""
    def text(element) -> str:
        return re.sub(r"\s+", " ", "".join(element.itertext())).strip()

    page = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(
        (site_dir / "2022/304001/index.html").read_bytes(), transport_encoding="utf-8")
    strip = page.find(".//dl[@class='stats summary-strip']")
    assert [(text(item.find("dt")), text(item.find("dd"))) for item in strip] == [
        ("预算合计", "20,150,000.00 元"), ("财政资金", "20,150,000.00 元"), ("项目数", "4"), ("指标数", "52")]
    (projects,) = [t for t in page.iter("table") if "projects" in t.get("class", "").split()]
    heads = [text(th) for th in projects.find("thead").iter("th")]
    assert heads == ["序号", "项目编码", "项目名称", "预算数", "财政资金", "其他资金", "占比", "指标数"]
    assert [[text(c) for c in row][3:] for row in projects.find("tbody").findall("tr")] == [
        ["100,000.00", "100,000.00", "未填", "0.5%", "11"],
        ["10,000,000.00", "10,000,000.00", "未填", "49.6%", "15"],
        ["50,000.00", "50,000.00", "未填", "0.2%", "11"],
        ["10,000,000.00", "10,000,000.00", "未填", "49.6%", "15"]]
    # 合计 spans 序号, 项目编码 and 项目名称; every money column has its sum (其他资金 is blank throughout).
    assert [text(c) for c in projects.find("tfoot/tr")] == [
        "合计", "20,150,000.00", "20,150,000.00", "未填", "100.0%", "52"]
    assert [c.get("data-label") for c in projects.find("tfoot/tr")][1:4] == ["预算数", "财政资金", "其他资金"]
    toc = page.find(".//nav[@class='toc']/ol")
    parts = [(text(li.find("a")), [text(a) for a in li.findall("ol/li/a")]) for li in toc.findall("li")]
    assert parts == [
        ("第一部分 部门整体绩效目标", ["一、总体绩效目标", "二、分项绩效目标", "三、工作保障措施"]),
        ("第二部分 预算项目绩效目标", ["1. #招商经费", "2. 冀财建【2021】192号河北省财政厅关于提前下达2022年中央服务业发展资金预算的通知",
                                   "3. 疫情防控经费", "4. 玉财建【2021】31号关于下达2021年中央服务业发展资金预算的通知"]),
        ("绩效自评", ["项目支出绩效自评", "部门整体支出绩效自评"]),
        ("绩效监控", [])]


def test_search_finds_each_hit_under_the_section_it_is_in(site_dir):
    """Pagefind puts a hit under the last heading before it that has an id (a search result's
    sections, linked to `#id`). So a heading without an id must lie inside the section of the
    id'd heading before it (be of a lower rank); else its text is found under another section, as
    the bureau's own 分项绩效目标 text was found under the last project's generated summary."""
    indexed = [p for p in sorted(site_dir.rglob("*.html")) if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert len(indexed) >= 5
    for path in indexed:
        main = html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False).find(".//main")
        assert main.get("data-pagefind-body") is not None, path
        anchored = 0  # the rank of the last heading with an id; 0: none yet (a hit there is the page's own)
        for element in main.iter():
            if isinstance(element.tag, str) and re.fullmatch(r"h[1-6]", element.tag):
                rank = int(element.tag[1])
                if element.get("id"):
                    anchored = rank
                else:
                    heading = "".join(element.itertext()).strip()
                    assert anchored == 0 or rank > anchored, f"{path.relative_to(site_dir)}: {heading}"
