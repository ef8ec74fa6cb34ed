"""The field types of single values: text, integers, choices, booleans, money, percents, targets.

Every scalar is read from its source text: a code like `0123` or
`13022922P00JXC411757B` stays that exact string, `NO` is not a boolean and
money goes from text straight to Decimal, never through float. What every
field type shares (FieldType, Reader, INVALID) is in fields.py.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from builder.base.characters import ANY_FORBIDDEN, forbidden_character
from builder.base.immutable import immutable
from builder.base.limits import MAX_TEXT_CHARS
from builder.base.names import reserved_pattern, unportable
from builder.base.numbers import NumberError, parse_decimal
from builder.base.suggest import did_you_mean
from builder.content.fields import LIMITS_HINT, FieldType, Invalid, Reader
from builder.content.load import Node
from builder.content.targets import Target, TargetError, parse_target


def scalar_text(node: Node, r: Reader, name: str) -> str | Invalid:
    """The text of a scalar, checked for characters the file scan could not see (escapes)."""
    text = node.value
    for ch in text if ANY_FORBIDDEN.search(text) else ():
        problem = forbidden_character(ch)
        if problem:
            return r.error(node, f"`{name}` contains a {problem} U+{ord(ch):04X}", "remove the escape sequence")
    if len(text) > MAX_TEXT_CHARS:
        return r.error(node, f"`{name}` has {len(text):,} characters; at most {MAX_TEXT_CHARS:,} are allowed",
                       LIMITS_HINT)
    # NFC so that the same character typed two ways compares equal (RELIABILITY.md).
    return unicodedata.normalize("NFC", text)


@dataclass
class Text(FieldType):
    """Free text, kept verbatim (only surrounding whitespace is trimmed)."""

    pattern: str | None = None
    pattern_hint: str | None = None
    portable: bool = False  # the value names a file or folder: it must be a name every system can hold

    def read(self, node: Node, r: Reader, name: str) -> Any:
        if node.is_null:
            return r.error(node, f"`{name}` is empty",
                           f"write the value after `{name}:`; a value starting with # is a YAML comment, "
                           "so put it in quotes, e.g. '#招商经费'")
        text = scalar_text(node, r, name)
        if isinstance(text, Invalid):  # not `is INVALID`: then mypy knows text is a str
            return text
        text = text.strip()
        if not text:
            return r.error(node, f"`{name}` is empty")
        if self.pattern and not re.fullmatch(self.pattern, text):
            return r.error(node, f"`{name}` {text!r} does not match {self.pattern}", self.pattern_hint)
        problem = unportable(text) if self.portable else None
        if problem:
            return r.error(node, f"`{name}` {problem}; the file or folder named after it could not be checked "
                           "out or unzipped on Windows", "choose another code")
        return text

    def json_schema(self) -> dict:
        schema = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS}
        if self.pattern:
            schema["pattern"] = f"^{self.pattern}$"
        if self.portable:
            schema["not"] = {"pattern": reserved_pattern()}
        return schema


@dataclass
class Integer(FieldType):
    minimum: int
    maximum: int

    def read(self, node: Node, r: Reader, name: str) -> Any:
        text = node.value.strip()
        if not re.fullmatch(r"\d+", text) or not self.minimum <= int(text) <= self.maximum:
            return r.error(node, f"`{name}` must be a whole number from {self.minimum} to {self.maximum}, "
                                 f"found {text!r}")
        return int(text)

    def json_schema(self) -> dict:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


@dataclass
class Choice(FieldType):
    choices: tuple[str, ...]

    def read(self, node: Node, r: Reader, name: str) -> Any:
        text = node.value.strip()
        if text not in self.choices:
            return r.error(node, f"`{name}` must be one of {', '.join(self.choices)}; found {text!r}",
                           did_you_mean(text, self.choices))
        return text

    def json_schema(self) -> dict:
        return {"type": "string", "enum": list(self.choices)}


class Boolean(FieldType):
    """Only `true` or `false`: YAML 1.1's yes/no/on/off are not booleans here."""

    def read(self, node: Node, r: Reader, name: str) -> Any:
        text = node.value.strip()
        if text not in ("true", "false"):
            return r.error(node, f"`{name}` must be true or false, found {text!r}")
        return text == "true"

    def json_schema(self) -> dict:
        return {"type": "boolean"}


@immutable
class Amount:
    """Money as written. `value` is None for a blank cell, which is not the same as 0."""

    raw: str
    value: Decimal | None

    @property
    def is_blank(self) -> bool:
        return self.value is None

    def or_zero(self) -> Decimal:
        return self.value if self.value is not None else Decimal(0)


# How real documents write "nothing here" (DOMAIN.md).
BLANK_AMOUNTS = ("", "/", "-", "—", "——", "－", "无")


class Money(FieldType):
    """An exact amount in the document's money unit: `100000.00`, `1,250,000.00`, blank."""

    def read(self, node: Node, r: Reader, name: str) -> Any:
        text = node.value.strip()
        if node.is_null or text in BLANK_AMOUNTS:
            return Amount(raw=text if not node.is_null else "", value=None)
        try:
            value = parse_decimal(text)
        except NumberError as exc:
            if exc.malformed:
                return r.error(node, f"`{name}` {text!r} is not an amount",
                               "write digits with an optional decimal point, e.g. 100000.00 or 1,250,000.00; "
                               "leave it empty (or /) for a blank cell; the unit is the department's money_unit")
            return r.error(node, f"`{name}` {exc.message}", exc.hint)
        return Amount(raw=text, value=value)

    def json_schema(self) -> dict:
        return {"type": ["string", "number", "null"],
                "pattern": r"^(\s*|/|-|—|——|－|无|\d{1,3}(,\d{3}){1,4}(\.\d{1,6})?|\d{1,15}(\.\d{1,6})?)$"}


class Percent(FieldType):
    """A percentage: `25%` or `25`."""

    def read(self, node: Node, r: Reader, name: str) -> Any:
        text = unicodedata.normalize("NFKC", node.value).strip()
        try:
            return parse_decimal(re.sub(r"\s*%$", "", text))
        except NumberError as exc:
            if exc.malformed:
                return r.error(node, f"`{name}` {node.value!r} is not a percentage", "write it like 25% or 25")
            return r.error(node, f"`{name}` {exc.message}", exc.hint)

    def json_schema(self) -> dict:
        return {"type": ["string", "number"], "pattern": r"^\d{1,15}(\.\d{1,6})?\s*[%％]?$"}


class TargetText(FieldType):
    """A 指标值: kept verbatim, parsed into comparator, number and unit."""

    def read(self, node: Node, r: Reader, name: str) -> Any:
        if node.is_null:
            return r.error(node, f"`{name}` is empty", "write the target value, e.g. ≥4次 or ≥80%")
        text = scalar_text(node, r, name)
        if isinstance(text, Invalid):  # not `is INVALID`: then mypy knows text is a str
            return text
        try:
            return parse_target(text.strip())
        except TargetError as exc:
            return r.error(node, exc.message, exc.hint)

    def json_schema(self) -> dict:
        return {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS}


class Points(FieldType):
    """A weight or a score (分值, 得分): `15`, `13.88`, `15分`; never negative."""

    def read(self, node: Node, r: Reader, name: str) -> Any:
        text = re.sub(r"\s*分$", "", unicodedata.normalize("NFKC", node.value).strip())
        if node.is_null or text in BLANK_AMOUNTS:
            return r.error(node, f"`{name}` is empty", "write the points as a number, e.g. 15 or 13.88")
        try:
            return parse_decimal(text)
        except NumberError as exc:
            if exc.malformed:
                return r.error(node, f"`{name}` {node.value!r} is not a number of points",
                               "write it like 15 or 13.88 (分 may follow)")
            return r.error(node, f"`{name}` {exc.message}", exc.hint)

    def json_schema(self) -> dict:
        return {"type": ["string", "number"], "pattern": r"^\d{1,15}(\.\d{1,6})?\s*分?$"}


@immutable
class Actual:
    """A value as reported (实际完成值, 1–N月完成值, 全年预计值): verbatim, and read like a target.

    `parsed` is None when the text does not read as any target form (it is then shown verbatim and
    compared with nothing)."""

    raw: str
    parsed: Target | None


class ActualText(FieldType):
    """An actual or forecast value: kept verbatim, parsed like a 指标值 where it can be."""

    def read(self, node: Node, r: Reader, name: str) -> Any:
        if node.is_null:
            return r.error(node, f"`{name}` is empty", "write the value as the form gives it, e.g. 3260人次 or 已完成")
        text = scalar_text(node, r, name)
        if isinstance(text, Invalid):
            return text
        text = text.strip()
        if not text:
            return r.error(node, f"`{name}` is empty")
        try:
            parsed: Target | None = parse_target(text)
        except TargetError:
            parsed = None
        return Actual(raw=text, parsed=parsed)

    def json_schema(self) -> dict:
        return {"type": ["string", "number"], "minLength": 1, "maxLength": MAX_TEXT_CHARS}


__all__ = ["BLANK_AMOUNTS", "Actual", "ActualText", "Amount", "Boolean", "Choice", "Integer", "Money", "Percent",
           "Points", "TargetText", "Text", "scalar_text"]
