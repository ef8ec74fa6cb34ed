"""A site in more than one language: `languages: [zh-CN, en]` in site.yaml.

The first language is the site's: its pages are where they always are. Each other language gets
the same pages under a folder of its own (`en/index.html`, `en/2022/304001/index.html` …), with
the theme's UI strings in that language (i18n/en.yaml) and the same content, which is not
translated: the department's text stays Chinese. PDFs, data files, the feed and the search
index are made once and shared; the search index holds the first language's pages.

On a page whose UI is in another language than the content, every run of Chinese text is marked
`<span lang="zh-CN">` (ContentLanguage), so that a screen reader reads it as Chinese and a
browser picks Chinese glyphs, wherever a template printed it; an <option>, which holds text only,
gets the mark itself. Attribute values, the page's <title> and a <textarea> cannot carry one and
are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html import escape
from html.parser import HTMLParser

from builder.render.routes import relative_url, routes


def folder_of(language: str, languages: tuple[str, ...]) -> str:
    """The folder a language's pages are in: none for the site's first language, `en/` for `en`."""
    return "" if language == languages[0] else language.lower() + "/"


def localized(path: str, language: str, languages: tuple[str, ...]) -> str:
    """The output path `path` has for a reader of `language`: pages have a copy per language; PDFs,
    data, static files and the feed one for all; 404.html, which servers show at any depth, one."""
    if not path.endswith(".html") or path == routes.not_found:
        return path
    return folder_of(language, languages) + path


def alternates(path: str, page: str, languages: tuple[str, ...],
               name_of: Callable[[str], str]) -> list[tuple[str, str, str]]:
    """The page `page` (as the first language has it) in each of the site's languages, for the
    switcher: (language, its own name, the link from `path`); none on a site of one language."""
    if len(languages) < 2:
        return []
    return [(language, name_of(language), relative_url(path, localized(page, language, languages)))
            for language in languages]


def marked(chunks: Iterator[str], content_language: str) -> Iterator[str]:
    """A page whose UI is in another language than its content, with the content's runs marked."""
    marker = ContentLanguage(content_language)
    for chunk in chunks:
        yield marker.mark(chunk)
    yield marker.finish()


# Han characters and the punctuation of Chinese text (CJK symbols, full-width forms).
_CJK = "\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
# A run: Chinese characters and what is written between them without a space (digits, 1.5, 80%,
# 3/4, —), with the number or comparator written against its start (≥4次, 20万元); a space, a
# bracket or a colon of the English around it ends it.
_RUN = re.compile(rf"[\d.,%≥≤~+\-]*[{_CJK}](?:[\d.,%/~+\-×·—–]*[{_CJK}])*")
_TEXT_ONLY = {"title", "textarea", "script", "style"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class ContentLanguage(HTMLParser):
    """Marks the runs of Chinese in a page written in chunks (feed, then close), passing every tag
    through as it was written."""

    def __init__(self, content_language: str) -> None:
        super().__init__(convert_charrefs=False)
        self.content_language = content_language
        self.out: list[str] = []
        self.text: list[str] = []  # the text since the last tag, written when the next one comes
        self.open: list[tuple[str, bool]] = []  # open elements and whether each is already in the content's language
        self.option: str | None = None  # an open <option>'s start tag, held until its text is known
        self.option_at = 0  # where it goes in `out`

    def mark(self, chunk: str) -> str:
        self.feed(str(chunk))  # a plain str: Jinja's chunks may be Markup, which escapes what is added to it
        return self._take()

    def finish(self) -> str:
        self.close()
        self._flush()
        return self._take()

    def _take(self) -> str:
        """What is written so far, but from an open option on, which waits for its text."""
        keep = self.option_at if self.option is not None else len(self.out)
        done, self.out, self.option_at = "".join(self.out[:keep]), self.out[keep:], 0
        return done

    def _flush(self) -> None:
        if not self.text:
            return
        text, self.text = "".join(self.text), []
        if any(own for _, own in self.open):
            self.out.append(text)
        elif self.option is not None:  # an option holds text only: the option itself says it is Chinese
            if _RUN.search(text) and self.option.endswith(">"):
                self.option = self.option[:-1] + f' lang="{escape(self.content_language)}">'
            self.out.append(text)
        elif any(tag in _TEXT_ONLY for tag, _ in self.open):
            self.out.append(text)
        else:
            self.out.append(_RUN.sub(lambda m: f'<span lang="{escape(self.content_language)}">{m.group()}</span>',
                                     text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        lang = dict(attrs).get("lang")
        if tag == "option" and lang is None:
            self.option, self.option_at = self.get_starttag_text() or "", len(self.out)
            self.out.append("")  # its start tag, written when its text is known
        else:
            self.out.append(self.get_starttag_text() or "")
        if tag not in _VOID:
            self.open.append((tag, lang == self.content_language))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        if tag == "option" and self.option is not None:
            self.out[self.option_at], self.option = self.option, None
        self.out.append(f"</{tag}>")
        for n in range(len(self.open) - 1, -1, -1):
            if self.open[n][0] == tag:
                del self.open[n:]
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        self.text.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.text.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._flush()
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._flush()
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._flush()
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._flush()
        self.out.append(f"<![{data}]>")
