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

from builder.base.characters import forbidden_character, has_forbidden
from builder.base.immutable import immutable
from builder.base.limits import MAX_TEXT_CHARS
from builder.base.messages import Message, msg
from builder.base.names import reserved_pattern, unportable
from builder.base.numbers import NumberError, parse_decimal
from builder.base.suggest import suggestion
from builder.content.fields import LIMITS_HINT, FieldType, Invalid, Reader
from builder.content.load import Node
from builder.content.targets import Target, TargetError, parse_target


def scalar_text(node: Node, r: Reader, name: str) -> str | Invalid:
    """The text of a scalar, checked for characters the file scan could not see (escapes)."""
    text = node.value
    for ch in text if has_forbidden(text) else ():
        problem = forbidden_character(ch)
        if problem:
            return r.error(node, msg("scalars.forbidden_character", name=name, kind=problem, code=f"{ord(ch):04X}"))
    if len(text) > MAX_TEXT_CHARS:
        return r.error(node, msg("scalars.too_long", name=name, count=len(text), limit=MAX_TEXT_CHARS), LIMITS_HINT)
    # NFC so that the same character typed two ways compares equal (RELIABILITY.md).
    return unicodedata.normalize("NFC", text)


@dataclass
class Text(FieldType):
    """Free text, kept verbatim (only surrounding whitespace is trimmed)."""

    pattern: str | None = None
    pattern_hint: Message | None = None
    portable: bool = False  # the value names a file or folder: it must be a name every system can hold

    def read(self, node: Node, r: Reader, name: str) -> Any:
        if node.is_null:
            return r.error(node, msg("scalars.empty", name=name), msg("scalars.empty_text_hint", name=name))
        text = scalar_text(node, r, name)
        if isinstance(text, Invalid):  # not `is INVALID`: then mypy knows text is a str
            return text
        text = text.strip()
        if not text:
            return r.error(node, msg("scalars.empty", name=name))
        if self.pattern and not re.fullmatch(self.pattern, text):
            return r.error(node, msg("scalars.no_match", name=name, value=repr(text), pattern=self.pattern),
                           self.pattern_hint)
        problem = unportable(text) if self.portable else None
        if problem:
            return r.error(node, msg("scalars.unportable", name=name, problem=problem))
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
            return r.error(node, msg("scalars.integer", name=name, minimum=self.minimum, maximum=self.maximum,
                                     value=repr(text)))
        return int(text)

    def json_schema(self) -> dict:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


@dataclass
class Choice(FieldType):
    choices: tuple[str, ...]

    def read(self, node: Node, r: Reader, name: str) -> Any:
        text = node.value.strip()
        if text not in self.choices:
            return r.error(node, msg("scalars.choice", name=name, choices=", ".join(self.choices), value=repr(text)),
                           suggestion(text, self.choices))
        return text

    def json_schema(self) -> dict:
        return {"type": "string", "enum": list(self.choices)}


class Boolean(FieldType):
    """Only `true` or `false`: YAML 1.1's yes/no/on/off are not booleans here."""

    def read(self, node: Node, r: Reader, name: str) -> Any:
        text = node.value.strip()
        if text not in ("true", "false"):
            return r.error(node, msg("scalars.boolean", name=name, value=repr(text)))
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
                return r.error(node, msg("scalars.not_an_amount", name=name, value=repr(text)))
            return r.error(node, msg("scalars.number", name=name, problem=exc.said), exc.advice)
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
                return r.error(node, msg("scalars.not_a_percentage", name=name, value=repr(node.value)))
            return r.error(node, msg("scalars.number", name=name, problem=exc.said), exc.advice)

    def json_schema(self) -> dict:
        return {"type": ["string", "number"], "pattern": r"^\d{1,15}(\.\d{1,6})?\s*[%％]?$"}


class TargetText(FieldType):
    """A 指标值: kept verbatim, parsed into comparator, number and unit."""

    def read(self, node: Node, r: Reader, name: str) -> Any:
        if node.is_null:
            return r.error(node, msg("scalars.empty", name=name), msg("scalars.empty_target_hint"))
        text = scalar_text(node, r, name)
        if isinstance(text, Invalid):  # not `is INVALID`: then mypy knows text is a str
            return text
        try:
            return parse_target(text.strip())
        except TargetError as exc:
            return r.error(node, exc.said, exc.advice)

    def json_schema(self) -> dict:
        return {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS}


class Points(FieldType):
    """A weight or a score (分值, 得分): `15`, `13.88`, `15分`; never negative."""

    def read(self, node: Node, r: Reader, name: str) -> Any:
        text = re.sub(r"\s*分$", "", unicodedata.normalize("NFKC", node.value).strip())
        if node.is_null or text in BLANK_AMOUNTS:
            return r.error(node, msg("scalars.empty", name=name), msg("scalars.empty_points_hint"))
        try:
            return parse_decimal(text)
        except NumberError as exc:
            if exc.malformed:
                return r.error(node, msg("scalars.not_points", name=name, value=repr(node.value)))
            return r.error(node, msg("scalars.number", name=name, problem=exc.said), exc.advice)

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
            return r.error(node, msg("scalars.empty", name=name), msg("scalars.empty_actual_hint"))
        text = scalar_text(node, r, name)
        if isinstance(text, Invalid):
            return text
        text = text.strip()
        if not text:
            return r.error(node, msg("scalars.empty", name=name))
        try:
            parsed: Target | None = parse_target(text)
        except TargetError:
            parsed = None
        return Actual(raw=text, parsed=parsed)

    def json_schema(self) -> dict:
        return {"type": ["string", "number"], "minLength": 1, "maxLength": MAX_TEXT_CHARS}


__all__ = ["BLANK_AMOUNTS", "Actual", "ActualText", "Amount", "Boolean", "Choice", "Integer", "Money", "Percent",
           "Points", "TargetText", "Text", "scalar_text"]
