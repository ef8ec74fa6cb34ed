"""print.css's `font-family` lists: which families a stylesheet names, which of them no installed
font provides, and the stylesheet with each cut (fonts.py) named before its whole face.

Read and rewritten with tinycss2, token by token: a family name is never found by a pattern
in the text, so comments, strings and escapes in the theme's CSS cannot mislead it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from builder.render.fonts import Cut, Fontconfig


def missing_fonts(css: str, fontconfig: Fontconfig) -> list[list[str]]:
    """The `font-family` lists of a stylesheet of which no family is installed (nor defined by the
    stylesheet's own @font-face rules).

    Checked before any PDF is made: without fonts, Pango crashes the process (a segmentation fault
    in pango_font_get_hb_font), and with other fonts only, every character is a build error.
    """
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    defined = {name for rule in rules if rule.type == "at-rule" and rule.lower_at_keyword == "font-face"
               for declaration in _declarations([rule]) if declaration.lower_name == "font-family"
               for name in _family_names(declaration.value)}
    missing: list[list[str]] = []
    for declaration in _declarations(r for r in rules if not (r.type == "at-rule"
                                                              and r.lower_at_keyword == "font-face")):
        if declaration.lower_name != "font-family":
            continue
        names = _family_names(declaration.value)
        if names and names not in missing and not any(
                name in defined or fontconfig.match(name, 400) is not None for name in names):
            missing.append(names)
    return missing


def font_families(css: str) -> list[str]:
    """The family names `font-family` declarations of a stylesheet name, in order of appearance."""
    import tinycss2

    names: list[str] = []
    for declaration in _declarations(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)):
        if declaration.lower_name == "font-family":
            names += [n for n in _family_names(declaration.value) if n not in names]
    return names


def with_cuts(css: str, cuts: list[Cut]) -> str:
    """print.css with the cuts' @font-face rules, and each cut family named before its original."""
    import tinycss2

    if not cuts:
        return css
    by_family: dict[str, str] = {}
    for cut in cuts:
        by_family.setdefault(cut.face.family, cut.family)
    rules = tinycss2.parse_stylesheet(css)
    _rewrite(rules, by_family)
    return "".join(cut.font_face_rule() for cut in cuts) + tinycss2.serialize(rules)


# tinycss2's nodes are Any below: each kind has attributes of its own, and the code reads `type` first.
def _declarations(nodes: Iterable[Any]) -> Iterator[Any]:
    import tinycss2

    for node in nodes:
        if node.type in ("qualified-rule", "at-rule") and node.content is not None:
            inner = tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True)
            for item in inner:
                if item.type == "declaration":
                    yield item
            yield from _declarations(item for item in inner if item.type != "declaration")


def _rewrite(nodes: Iterable[Any], by_family: dict[str, str]) -> None:
    import tinycss2

    for node in nodes:
        if node.type not in ("qualified-rule", "at-rule") or node.content is None:
            continue
        inner = tinycss2.parse_blocks_contents(node.content)
        for item in inner:
            if item.type == "declaration" and item.lower_name == "font-family":
                parts = []
                for tokens in _split(item.value):
                    names = _family_names(tokens)
                    if names and names[0] in by_family:
                        parts.append(_quote(by_family[names[0]]))
                    parts.append(tinycss2.serialize(tokens).strip())
                item.value = tinycss2.parse_component_value_list(" " + ", ".join(parts))
        _rewrite([item for item in inner if item.type != "declaration"], by_family)
        node.content = tinycss2.parse_component_value_list(tinycss2.serialize(inner))


def _split(value: Iterable[Any]) -> Iterator[list[Any]]:
    """A font-family value's comma-separated parts, each as its tokens (whitespace kept, for serializing)."""
    part: list[Any] = []
    for token in value:
        if token.type == "literal" and token.value == ",":
            yield part
            part = []
        elif token.type != "comment":
            part.append(token)
    yield part


def _is_generic(tokens: list[Any]) -> bool:
    return len(tokens) == 1 and tokens[0].type == "ident" and tokens[0].lower_value in (
        "serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui")


def _family_names(value: Iterable[Any]) -> list[str]:
    """The names in a font-family value (or in one comma-separated part of it), generic families aside."""
    names: list[str] = []
    for part in _split(value):
        tokens = [t for t in part if t.type != "whitespace"]
        if not tokens or _is_generic(tokens):
            continue
        if len(tokens) == 1 and tokens[0].type == "string":
            names.append(tokens[0].value)
        elif all(t.type == "ident" for t in tokens):
            names.append(" ".join(t.value for t in tokens))
    return names


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
