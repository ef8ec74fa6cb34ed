"""The publisher's Markdown pages (content/pages.py) -> HTML that cannot run anything.

Markdown lets a writer put raw HTML anywhere; a page's text is content, and content is untrusted
(a copied paragraph, a compromised account). So, twice over:

1. Python-Markdown is told not to pass raw HTML through: its HTML block and inline HTML
   handlers are removed, and `<script>` or `<img onerror=…>` in the text is printed as text.
2. What Markdown made is cleaned by an allow-list (nh3, the Ammonia sanitiser): only the tags
   Markdown itself writes, only the attributes named below, links only to http, https, mailto,
   tel and relative addresses (Ammonia decodes entities first, so `jav&#x61;script:` is
   `javascript:` and goes), no event or style attribute, no element that loads anything (img,
   iframe, object, svg …).

Tables, footnotes and heading ids (the `toc` extension, which keeps Chinese in the ids) are on;
the page's own title is its h1, so the text's headings start at h2, whether it writes them from
`#` or from `##`.
"""

from __future__ import annotations

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup

HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
TAGS = HEADINGS | {"p", "br", "hr", "strong", "em", "b", "i", "del", "code", "pre", "blockquote", "ul", "ol",
                   "li", "a", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "div", "dl", "dt",
                   "dd", "abbr"}
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "li": {"id"},  # footnotes
    "sup": {"id"},  # footnote references
    **{h: {"id"} for h in HEADINGS},
}
CLASSES = {"a": {"footnote-ref", "footnote-backref"}, "div": {"footnote"}}
ALIGN = {tag: {"align": {"left", "center", "right"}} for tag in ("th", "td")}  # the tables' column alignment
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Dropped with what they hold, not only their tags: a script's text is no reader's text.
DROPPED = {"script", "style", "template", "noscript", "iframe", "object", "svg", "math", "textarea", "select"}


def render_markdown(text: str, backlink_title: str) -> Markup:
    """The page's text as safe HTML. `backlink_title`: the footnotes' 返回正文 link's title, in the
    page's language."""
    md = _markdown(backlink_title, 1)
    html = md.convert(text)
    if min((token["level"] for token in md.toc_tokens), default=2) == 1:
        # The page's title is its h1: a text that starts its headings at `#` has them one level down,
        # one that starts at `##` (as most do, knowing the title is above) keeps them.
        html = _markdown(backlink_title, 2).convert(text)
    return Markup(sanitise(html))


def _markdown(backlink_title: str, first_heading: int) -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "footnotes", "toc"], extension_configs={
        "tables": {"use_align_attribute": True},
        "footnotes": {"BACKLINK_TITLE": backlink_title.replace("{", "{{").replace("}", "}}")},
        "toc": {"baselevel": first_heading, "slugify": slugify_unicode},
    })
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def sanitise(html: str) -> str:
    """`html` with only the allowed tags, attributes and link schemes (nh3)."""
    return nh3.clean(html, tags=TAGS, clean_content_tags=DROPPED, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     allowed_classes=CLASSES, tag_attribute_values=ALIGN, strip_comments=True,
                     link_rel="noopener noreferrer")
