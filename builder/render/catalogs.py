"""A theme's UI strings (i18n/<language>.yaml) as data, read once a process, and how a string
with numbers is put together in a language.

Every check and every build reads the theme's catalogs (check to know the strings a template may
name, the render to show them); a catalog is some 400 lines, so it is parsed with libyaml where
it is there, and remembered by its bytes, so a long-running `serve` still sees an edit.

Plurals: a placeholder may choose a word by its number, `{count:project|projects}`, one form
per plural category of the language in CLDR's order (English: one, other). Chinese has one form,
writes the word once and needs none. `t("x", count=4)` with `"{count} {count:project|projects}"` is `4 projects`.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=32)
def catalog_strings(data: bytes) -> dict[str, str]:
    """The strings of one catalog file's bytes (a theme's own file, read as YAML data, never code)."""
    loaded = yaml.load(data.decode("utf-8"), Loader=_Loader) or {}
    return {str(k): str(v) for k, v in loaded.items()}


# CLDR's plural categories of whole numbers, by primary language subtag, as the index of the form
# to use; a language not here has one form.
_PLURALS: dict[str, tuple[int, Callable[[int], int]]] = {
    "en": (2, lambda n: 0 if n == 1 else 1),  # one, other
    "de": (2, lambda n: 0 if n == 1 else 1),
    "fr": (2, lambda n: 0 if n in (0, 1) else 1),
}


def plural_forms(language: str) -> int:
    """How many forms a plural placeholder has in `language`."""
    return _PLURALS.get(language.split("-")[0].lower(), (1, lambda n: 0))[0]


class _Formatter(string.Formatter):
    def __init__(self, language: str) -> None:
        self.count, self.choose = _PLURALS.get(language.split("-")[0].lower(), (1, lambda n: 0))
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" not in format_spec:
            return super().format_field(value, format_spec)
        forms = format_spec.split("|")
        if len(forms) != self.count or not isinstance(value, int):
            raise ValueError(f"the plural {{…:{format_spec}}} needs a whole number and {self.count} form(s) "
                             f"for {self.language}, separated by |")
        return forms[self.choose(value)]


def format_string(text: str, language: str, values: dict[str, object]) -> str:
    """`text` with `values` put in, plurals chosen for `language`."""
    return _Formatter(language).format(text, **values)
