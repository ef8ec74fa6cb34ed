"""The page's furniture and the publisher's own pages: the footer (发布机构, 发布日期, 联系方式), the
about page a citizen reads, a blank amount read alike on the web and in the PDF, Markdown pages
and the home page's notice (in the menu, the footer and the search index, with nothing in them
that could run), and no English on a Chinese site.

One build for the module: the seed outside git (its 修订记录 are the publisher's own words), with
a contact, two pages, a page of attacks and a notice, without PDFs.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from datetime import datetime, timezone
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, write

from builder.pipeline import DEFAULT_THEMES, build_site, check_content
from builder.render.routes import routes
from builder.render.themes import load_theme, make_environment, translator

CONTACT = """\
contact:
  phone: 0315-1234567
  email: gongkai@example.gov.cn
  address: 某县某路1号
  postcode: '064100'
"""

# A page as a publisher writes one: headings from `#`, a table with aligned columns, a footnote.
GUIDE = """\
---
title: 公开说明
order: 1
---
本站公开本单位的预算绩效目标[^law]。

# 公开范围

| 内容 | 是否公开 |
|:---|:---:|
| 部门整体绩效目标 | 是 |

## 联系我们

请致电或[发送邮件](mailto:gongkai@example.gov.cn)，也可查看[说明](../about.html)。

[^law]: 依据《中华人民共和国预算法》。
"""

# Every way we know of to get script into a page through Markdown.
ATTACKS = """\
---
title: 攻击
menu: false
order: 9
---
<script>alert("script")</script>

<img src=x onerror=alert("img")>

<iframe src="https://evil.example/"></iframe>

<style>body { display: none }</style>

<svg onload=alert("svg")><circle r="1"/></svg>

<p onclick="alert('event')" style="color: red">事件</p>

[链接](javascript:alert('link')) [大写](JAVASCRIPT:alert(1)) [实体](jav&#x61;script:alert('entity'))
[十进制](&#106;avascript:alert(1)) [数据](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[脚本](vbscript:msgbox) [空格](  javascript:alert(1)) [尖括号](<javascript:alert(1)>)

[引用式][bad] [引用式数据][data]

<javascript:alert('autolink')> <data:text/html,alert>

![图片](javascript:alert('image'))

[bad]: javascript:alert('reference')
[data]: data:text/html,<script>alert(1)</script>
"""

NOTICE = """\
---
title: 公告
---
2022年预算绩效目标已全部公开，详见[公开说明](pages/guide.html)。
"""

DATE = datetime(2023, 11, 14, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("publisher-pages")
    content = root / "content"
    shutil.copytree(CONTENT, content)
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + CONTACT, encoding="utf-8")
    write(content / "pages" / "guide.md", GUIDE)
    write(content / "pages" / "attacks.md", ATTACKS)
    write(content / "pages" / "名词解释.md", "---\ntitle: 名词解释\norder: 2\n---\n**绩效目标**：预期达到的产出和效果。\n")
    write(content / "notice.md", NOTICE)
    result = build_site(content, root / "output", pdfs=False, date=DATE)
    assert result.site is not None, [d.format() for d in result.report.errors]
    return root / "output"


def html_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


def test_every_page_has_a_footer_with_the_publisher_the_date_and_the_contact(built):
    pages = html_pages(built)
    assert len(pages) > 10
    for path, text in pages.items():
        footer = between(text, '<footer class="colophon">', "</footer>")
        assert "<dt>发布机构</dt><dd>玉田县商务和投资促进局</dd>" in footer, path
        assert '<dt>发布日期</dt><dd><time datetime="2023-11-14">2023年11月14日</time></dd>' in footer, path
        assert "电话：0315-1234567" in footer and "邮编：064100" in footer and "地址：某县某路1号" in footer, path
        assert '<a href="mailto:gongkai@example.gov.cn">gongkai@example.gov.cn</a>' in footer, path
        for title in ("公开说明", "名词解释", "攻击"):  # every page, in the menu or not
            assert f">{title}</a>" in footer, (path, title)


@pytest.fixture(scope="module")
def seed():
    """The shipped content's model: no contact, no pages."""
    return check_content(CONTENT).site


def test_without_a_date_or_a_contact_the_footer_says_neither(seed):
    theme = load_theme(DEFAULT_THEMES, "default")
    footer = make_environment(theme).get_template("partials/footer.html").render(
        site=seed, published=None, t=translator(theme.catalog("zh-CN")), url=lambda p: p, routes=routes)
    assert "发布机构" in footer and "发布日期" not in footer and "联系方式" not in footer


def test_the_about_page_explains_how_to_read_a_target_without_the_parser_s_vocabulary(built):
    about = html_pages(built)["about.html"]
    main = between(about, "<main", "</main>")
    for example in ("≥4次", "≥80%", "≤20万元", "2022年12月底前"):
        assert f'<th scope="row" lang="zh-CN">{example}</th>' in main, example
    for words in ("一级指标", "二级指标", "三级指标", "指标值确定依据", "定性指标", "未填"):
        assert words in main, words
    # What a publisher needs (units the parser knows, file names) is in docs/content.md, not here.
    assert "yaml" not in main.lower() and "<code>" not in main
    assert "批次" not in main and "平方公里" not in main and "工作日" not in main


def test_the_parser_s_units_are_listed_in_the_publisher_s_docs():
    from builder.content.targets import UNIT_ALIASES, UNIT_KINDS

    docs = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    units = between(docs, "Units understood", "\n\n")
    missing = [unit for unit in [*UNIT_KINDS, *UNIT_ALIASES] if f"`{unit}`" not in units]
    assert not missing, f"docs/content.md, Units understood, does not list {missing}"


def test_a_blank_amount_reads_the_same_on_the_web_and_in_the_pdf(built, seed):
    """The seed's 其他资金 are blank: the project page and the annex's form say 未填 alike."""
    site = seed
    department = site.departments[0]
    project = department.projects[0]
    assert project.budget.other.is_blank
    theme = load_theme(DEFAULT_THEMES, "default")
    t = translator(theme.catalog("zh-CN"))
    blank = t("blank")
    assert blank == "未填"
    from builder.render.pages import indicator_table

    form = make_environment(theme).get_template("print/forms/hebei.html").make_module(
        dict(site=site, t=t, lang="zh-CN", routes=routes, department=department))
    printed = str(form.form(department, project, indicator_table(project), True))
    assert re.search(r'<th scope="row">其他资金</th><td class="num">' + blank + "</td>", printed)
    page = html_pages(built)[routes.project(department, project)]
    assert re.search(r"<dt>其他资金</dt><dd class=\"num amount\"><span class=\"blank\">" + blank + "</span></dd>", page)


def test_a_markdown_page_has_its_table_footnote_and_heading_ids(built):
    page = html_pages(built)["pages/guide.html"]
    body = between(page, '<article class="prose">', "</article>")
    assert '<h1 data-pagefind-meta="title">公开说明</h1>' in body
    # `#` is one level under the page's title; ids keep the Chinese.
    assert '<h2 id="公开范围">公开范围</h2>' in body and '<h3 id="联系我们">联系我们</h3>' in body
    assert '<th align="left">内容</th>' in body and '<td align="center">是</td>' in body
    assert '<sup id="fnref:law"><a class="footnote-ref" href="#fn:law"' in body
    assert '<li id="fn:law">' in body and "依据《中华人民共和国预算法》。" in body and 'title="返回正文"' in body
    assert '<a href="mailto:gongkai@example.gov.cn"' in body and '<a href="../about.html"' in body


def test_pages_are_in_the_menu_in_their_order_and_the_notice_on_the_home_page(built):
    pages = html_pages(built)
    for path, text in pages.items():
        nav = between(text, '<nav class="site-nav"', "</nav>")
        titles = re.findall(r"<a href=\"[^\"]+\"[^>]*>([^<]+)</a>", nav)
        assert titles == ["首页", "全部指标", "下载", "公开说明", "名词解释", "说明"], path  # 攻击: menu: false
    assert '<a href="guide.html" aria-current="page">公开说明</a>' in pages["pages/guide.html"]
    home = pages["index.html"]
    notice = between(home, '<section class="site-notice"', "</section>")
    assert '<p class="site-notice-title">公告</p>' in notice and '<a href="pages/guide.html"' in notice
    assert all('class="site-notice"' not in text for path, text in pages.items() if path != "index.html")


def test_pages_are_in_the_search_index(built):
    entry = json.loads((built / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    urls = set()
    for fragment in (built / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(data[data.index(b"{"):])["url"])
    assert {"/pages/guide.html", "/pages/名词解释.html"} <= urls
    assert entry["languages"]["zh-cn"]["page_count"] == len(urls)


class Elements(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def test_nothing_in_a_page_can_run(built):
    page = html_pages(built)["pages/attacks.html"]
    main = between(page, "<main", "</main>")
    for tag, attrs in Elements(main).elements:
        assert tag not in ("script", "style", "iframe", "img", "svg", "object", "embed", "form", "input"), tag
        for name, value in attrs.items():
            assert not name.startswith("on") and name not in ("style", "srcdoc", "formaction"), (tag, name)
            if name in ("href", "src", "action"):
                url = re.sub(r"[\s\x00-\x1f]", "", unescape(value)).lower()
                assert not url.startswith(("javascript:", "data:", "vbscript:")), (tag, name, value)
    lowered = unescape(main).lower()
    assert 'href="javascript' not in lowered and "href='javascript" not in lowered
    # What was raw HTML is shown as the text it is, not dropped unseen.
    assert "&lt;script&gt;alert(&#34;script&#34;)&lt;/script&gt;" in main or "&lt;script&gt;" in main
    assert "<p>事件</p>" not in main and "&lt;p onclick=" in main


def test_check_says_where_a_page_is_wrong(scratch, cli):
    write(scratch.content / "pages" / "untitled.md", "没有标题。\n")
    write(scratch.content / "pages" / "typo.md", "---\ntitel: 公开说明\nmenu: yes\n---\n正文\n")
    write(scratch.content / "pages" / "open.md", "---\ntitle: 没有结束\n正文\n")
    write(scratch.content / "pages" / "bad name.md", "---\ntitle: 名字\n---\n正文\n")
    write(scratch.content / "pages" / "html.md", "---\ntitle: 网页\n---\n正文\n\n`<b>` 是代码\n\n<b>粗体</b>\n")
    write(scratch.content / "pages" / "logo.png", "")
    write(scratch.content / "README.md", "给编辑的说明\n")
    run = cli("check", "--content", str(scratch.content))
    # Paths as check prints them: relative to the working directory when that is shorter (display_path).
    found = {line.split("content/", 1)[1] for line in run.diagnostics}
    assert "pages/untitled.md:1:1: error: a page starts with its front matter: a `---` line, `title: …`, and " \
           "another `---` line" in found
    assert "pages/typo.md:2:1: error: unknown key `titel` in page" in found
    assert "pages/typo.md:3:7: error: `menu` must be true or false, found 'yes'" in found
    assert "pages/open.md:1:1: error: the front matter's `---` line is never closed" in found
    assert any(d.startswith("pages/bad name.md:1:1: error: `bad name.md`: a page's file name is its address")
               for d in found)
    assert "pages/html.md:8:1: warning: HTML in a page is not published: it shows as text" in found
    assert "pages/logo.png:1:1: warning: this file is not published" in found
    assert "README.md:1:1: warning: this file is not published" in found
    assert run.code == 1


# Words that are not English prose: formats and units a Chinese page names as they are.
ALLOWED = {"PDF", "Excel", "CSV", "JSON", "XLSX", "KB", "kB", "MB", "GB", "SHA", "UTF", "BOM", "WPS", "JavaScript",
           "Linux", "Windows", "macOS"}  # the verification page names the systems its commands are for


class Words(HTMLParser):
    """English words a reader sees: text and the attributes read aloud, outside code."""

    def __init__(self, text: str):
        super().__init__()
        self.skip, self.words = 0, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):
            self.skip += 1
        for name, value in attrs:
            if name in ("title", "alt", "aria-label", "placeholder") and value:
                self.check(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.check(data)

    def check(self, text):
        # Addresses, file names, codes (letters with digits: 13022922P00JXC411757B, a checksum) and sizes
        # (`88 Bytes`: Jinja's filesizeformat, until the downloads speak Chinese) are not words.
        text = re.sub(r"\S+@\S+|https?://\S+|[\w./-]+\.(?:json|csv|xlsx|pdf|html)\b|\b\w*\d\w*\b"
                      r"|(?<=\d )(?:Bytes|kB)\b", " ", text)
        self.words += [w for w in re.findall(r"[A-Za-z]{2,}(?:-[A-Za-z]+)*", text) if w not in ALLOWED]


def test_no_english_reaches_a_page_of_a_chinese_site(built):
    found = {path: sorted(set(Words(text).words)) for path, text in html_pages(built).items()
             if path != "pages/attacks.html"}  # its attacks are shown as text, by design
    assert not {path: words for path, words in found.items() if words}
