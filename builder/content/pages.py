"""The publisher's own pages: content/pages/NAME.md (公开说明, 名词解释, 政策依据, 联系我们 …) and
the home page's notice, content/notice.md.

A page is Markdown after a short YAML front matter between two `---` lines:

    ---
    title: 公开说明
    menu: true
    order: 1
    ---
    正文……

The front matter is read like every content file (load.py: positions, no YAML typing, unknown
keys are errors), its lines counted from the file's first. The Markdown itself is kept as text
here; turning it into HTML, and removing from it whatever could run, is the render's
(render/markdown.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from builder.base.diagnostics import Pos, Report
from builder.base.messages import msg
from builder.content.fields import Field, Reader, Record, Values
from builder.content.load import Node, decode, parse_text, read_content_file, scan_characters
from builder.content.model import Page
from builder.content.scalars import Boolean, Integer, Text

PAGE = Record("page", "page", [
    Field("title", Text(), "标题", "the page's title, shown as its heading and in the menu, e.g. 公开说明"),
    Field("menu", Boolean(), "列入菜单", "whether the header's menu lists the page (the footer always does); "
          "default true", required=False),
    Field("order", Integer(0, 999), "顺序", "its place in the menu and the footer, smallest first; pages of one "
          "order go by file name; default 0", required=False),
])

NOTICE = Record("notice", "home-page notice", [
    Field("title", Text(), "标题", "a heading above the notice, e.g. 公告; default none", required=False),
])

# A page's file name is its address (pages/NAME.html): letters of any script, digits, - and _, so
# that it needs no quoting in a link and reads the same in the address bar.
_NAME = re.compile(r"[\w-]+")
_FENCE = "---"


def read_pages(found: list[tuple[Path, str]], root: Path, report: Report) -> tuple[tuple[Page, ...], Page | None]:
    """The pages (in menu order) and the notice among `found` (path, "page" | "notice"), each
    problem reported at its line."""
    pages, notice = [], None
    for path, kind in found:
        page = read_page(path, kind, root, report)
        if page is None:
            continue
        if kind == "notice":
            notice = page
        else:
            pages.append(page)
    return tuple(sorted(pages, key=lambda p: (p.order, p.name))), notice


def read_page(path: Path, kind: str, root: Path, report: Report) -> Page | None:
    data = read_content_file(path, report)
    text = decode(path, data, report) if data is not None else None
    if text is None or not scan_characters(path, text, report):
        return None
    name = path.stem
    if kind == "page" and not _NAME.fullmatch(name):
        report.error(Pos(str(path), 1, 1), msg("pages.bad_name", name=path.name))
        return None
    values, body, line = _front_matter(path, text, PAGE if kind == "page" else NOTICE, report)
    if values is None:
        return None
    if kind == "page" and not values.ok("title"):
        return None
    if not body.strip():
        report.error(Pos(str(path), line, 1), msg("pages.empty"))
        return None
    lint_markdown(path, body, line, report)
    return Page(name=name, title=values.get("title"), menu=values.get("menu", True), order=values.get("order", 0),
                text=body, source=path.relative_to(root).as_posix(), line=line)


# Raw HTML (a tag, a closing tag, a comment) and Markdown images, outside code.
_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s|/?>)|/[A-Za-z]|!--)")
_IMAGE = re.compile(r"!\[[^\]]*\]\s*[(\[]")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_FENCE_LINE = re.compile(r" {0,3}(```|~~~)")


def lint_markdown(path: Path, text: str, first_line: int, report: Report) -> None:
    """Warn, once a page, where the text has what a page does not publish: raw HTML (shown as text,
    render/markdown.py) and images (content has no files to show)."""
    found: dict[str, tuple[int, int]] = {}
    fenced = False
    for number, line in enumerate(text.split("\n"), start=first_line):
        if _FENCE_LINE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith(("    ", "\t")):
            continue
        plain = _CODE_SPAN.sub(lambda m: " " * len(m.group()), line)
        for what, pattern in (("html", _TAG), ("image", _IMAGE)):
            hit = pattern.search(plain)
            if hit and what not in found:
                found[what] = (number, hit.start() + 1)
    if "html" in found:
        report.warning(Pos(str(path), *found["html"]), msg("pages.html"))
    if "image" in found:
        report.warning(Pos(str(path), *found["image"]), msg("pages.image"))


def _front_matter(path: Path, text: str, schema: Record, report: Report) -> tuple[Values | None, str, int]:
    """The front matter's values, the Markdown after it and the line that starts on. A notice may have
    none (its values are then empty); a page must, for its title."""
    lines = text.split("\n")
    if lines[0].rstrip() != _FENCE:
        if schema is NOTICE:
            return Values(at=Pos(str(path), 1, 1)), text, 1
        report.error(Pos(str(path), 1, 1), msg("pages.no_front_matter"))
        return None, "", 1
    end = next((n for n in range(1, len(lines)) if lines[n].rstrip() == _FENCE), None)
    if end is None:
        report.error(Pos(str(path), 1, 1), msg("pages.unclosed_front_matter"))
        return None, "", 1
    # One empty line in front, so that the YAML's positions are the file's lines.
    node = parse_text(path, "\n" + "\n".join(lines[1:end]) + "\n", report)
    if not isinstance(node, Node):
        if node is None:  # nothing between the fences
            node = Node("map", Pos(str(path), 2, 1), [])
        else:
            return None, "", 1
    values = schema.convert(node, Reader(report), schema.title)
    if not isinstance(values, Values):
        return None, "", 1
    return values, "\n".join(lines[end + 1:]), end + 2
