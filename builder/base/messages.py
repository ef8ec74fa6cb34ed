"""What gongkai says to the people who run it, in their language, from one catalogue.

Every message and hint a command prints is an id in the catalogue (`catalogue/*.yaml`, data, one
file per stage), with its words in each language (zh-CN, the publisher's, by default; en):

    fields.placeholder:
      zh-CN: "`{name}` 仍是 `new` 写的占位内容 {placeholder}"
      en: "`{name}` still holds the placeholder {placeholder}"
      hint:
        zh-CN: 填写实际内容
        en: write the real value

Code says `msg("fields.placeholder", name=..., placeholder=...)`: a Message is the id and its
arguments, not text, so a finding made in a worker process or kept in the build cache is shown
in the language of the run that prints it. An argument may itself be a Message (a word of the
catalogue inside a sentence); it is said in the same language.

The language is chosen once a run (`use_language`): `--lang`, else GONGKAI_LANG, else LC_ALL,
LC_MESSAGES or LANG when they name English (`en_US.UTF-8`), else zh-CN.
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("zh-CN", "en")
DEFAULT = "zh-CN"
CATALOGUE = Path(__file__).with_name("catalogue")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_language = DEFAULT
_entries: dict[str, dict[str, Any]] | None = None


def choose_language(option: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The run's language: the option, GONGKAI_LANG, an English locale, else Chinese."""
    for value in (option, environ.get("GONGKAI_LANG")):
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:  # the first one set decides, as for every other program (POSIX locale order)
            return "en" if value.lower().startswith("en") else DEFAULT
    return DEFAULT


def use_language(language: str) -> None:
    global _language
    _language = language if language in LANGUAGES else DEFAULT


def language() -> str:
    return _language


def entries() -> dict[str, dict[str, Any]]:
    """The whole catalogue, every stage's file, read once a process."""
    global _entries
    if _entries is None:
        loaded: dict[str, dict[str, Any]] = {}
        for path in sorted(CATALOGUE.glob("*.yaml")):
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
            for key, entry in data.items():
                if key in loaded:
                    raise ValueError(f"message id {key} is in the catalogue twice ({path.name})")
                loaded[key] = entry
        _entries = loaded
    return _entries


def _plain(value: object) -> object:
    """An argument as the catalogue formats it: numbers stay numbers (`{count:,}`), messages stay
    messages, anything else (a Decimal, a path) is its text, so a Message is picklable and JSON."""
    if isinstance(value, (str, int, float, Message)) and not isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


class _Arguments(dict):
    def __init__(self, args: tuple[tuple[str, object], ...], lang: str):
        super().__init__((k, v.text(lang) if isinstance(v, Message) else v) for k, v in args)

    def __missing__(self, key: str) -> str:  # a catalogue entry naming an argument the code did not give
        return "{" + key + "}"


@dataclass(frozen=True)
class Message:
    """One thing to say: a catalogue id and its arguments."""

    key: str
    args: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str | None = None) -> str:
        return self._say(self._entry(), lang)

    def hint(self, lang: str | None = None) -> str | None:
        entry = self._entry().get("hint")
        return self._say(entry, lang) if entry else None

    def __str__(self) -> str:
        return self.text()

    def _entry(self) -> dict[str, Any]:
        entry = entries().get(self.key)
        if entry is None:  # a bug in gongkai; say the id rather than nothing
            return {"en": self.key, DEFAULT: self.key}
        return entry

    def _say(self, words: dict[str, Any], lang: str | None) -> str:
        lang = lang or _language
        template = words.get(lang) or words.get("en") or self.key
        if isinstance(template, dict):  # English plurals: {one: …, other: …}, chosen by the argument `count`
            template = template["one" if dict(self.args).get("count") == 1 else "other"]
        return string.Formatter().vformat(template, (), _Arguments(self.args, lang))

    def to_json(self) -> list:
        return [self.key, [[k, v.to_json() if isinstance(v, Message) else v, isinstance(v, Message)]
                           for k, v in self.args]]

    @classmethod
    def from_json(cls, data: list) -> Message:
        key, args = data
        return cls(key, tuple((k, cls.from_json(v) if nested else v) for k, v, nested in args))


def msg(key: str, **args: object) -> Message:
    """The message `key` of the catalogue with its arguments."""
    return Message(key, tuple((name, _plain(value)) for name, value in args.items()))


def say(key: str, **args: object) -> str:
    """The message `key` in this run's language, for a line a command prints."""
    return msg(key, **args).text()


def family(prefix: str) -> list[Message]:
    """Every message whose id starts with `prefix`: words a library asks for by their English text."""
    return [Message(key) for key in entries() if key.startswith(prefix)]


def verbatim(text: str) -> Message:
    """Words that are not gongkai's to translate (a system's or a library's own message), shown as they are."""
    return msg("verbatim", text=text)
