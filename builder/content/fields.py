"""Typed field handlers: one small class per kind of value in content.

Each handler turns a positioned YAML node into a Python value (or reports why
it cannot and returns INVALID) and describes itself as JSON Schema, so the
checker and the schema editors use are generated from one definition and
cannot disagree.

Every scalar is read from its source text: a code like `0123` or
`13022922P00JXC411757B` stays that exact string, `NO` is not a boolean and
money goes from text straight to Decimal, never through float.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from builder.base.characters import ANY_FORBIDDEN, forbidden_character
from builder.base.diagnostics import Pos, Report
from builder.base.immutable import immutable
from builder.base.limits import MAX_LIST_ITEMS, MAX_TEXT_CHARS
from builder.base.names import reserved_pattern, unportable
from builder.base.numbers import NumberError, parse_decimal
from builder.content.load import Node
from builder.content.targets import Target, TargetError, parse_target


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:  # unpickled (from a worker process) as the one INVALID, so `is INVALID` holds
        return "INVALID"


INVALID = _Invalid()  # a value that was reported as wrong; later rules skip it

LIMITS_HINT = "the limits (docs/content.md, Limits) are far above any real disclosure; is this a runaway copy?"

_KIND_WORDS = {"scalar": "a single value", "map": "a mapping (key: value lines)", "seq": "a list (- lines)"}


class Reader:
    """What a handler needs while converting one file: where to report."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def error(self, node_or_pos: Node | Pos, message: str, hint: str | None = None) -> _Invalid:
        pos = node_or_pos.pos if isinstance(node_or_pos, Node) else node_or_pos
        self.report.error(pos, message, hint)
        return INVALID

    def warning(self, node_or_pos: Node | Pos, message: str, hint: str | None = None) -> None:
        pos = node_or_pos.pos if isinstance(node_or_pos, Node) else node_or_pos
        self.report.warning(pos, message, hint)


class FieldType:
    expects = "scalar"

    def convert(self, node: Node, r: Reader, name: str) -> Any:
        if node.kind != self.expects:
            return r.error(node, f"`{name}` must be {_KIND_WORDS[self.expects]}, found {_KIND_WORDS[node.kind]}",
                           self.example_hint(name))
        return self.read(node, r, name)

    def read(self, node: Node, r: Reader, name: str) -> Any:
        raise NotImplementedError

    def example_hint(self, name: str) -> str | None:
        return None

    def json_schema(self) -> dict:
        raise NotImplementedError


def _scalar_text(node: Node, r: Reader, name: str) -> str | _Invalid:
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
        text = _scalar_text(node, r, name)
        if isinstance(text, _Invalid):
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
                           _did_you_mean(text, self.choices))
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
        text = _scalar_text(node, r, name)
        if isinstance(text, _Invalid):
            return text
        try:
            return parse_target(text.strip())
        except TargetError as exc:
            return r.error(node, exc.message, exc.hint)

    def json_schema(self) -> dict:
        return {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS}


@dataclass
class ListOf(FieldType):
    item: FieldType
    min_items: int = 0
    max_items: int = MAX_LIST_ITEMS
    expects = "seq"

    def read(self, node: Node, r: Reader, name: str) -> Any:
        if len(node.value) < self.min_items:
            return r.error(node, f"`{name}` needs at least {self.min_items} item(s)")
        if len(node.value) > self.max_items:  # at the first item too many; none of them is read
            return r.error(node.value[self.max_items], f"`{name}` has {len(node.value):,} items; "
                           f"at most {self.max_items:,} are allowed", LIMITS_HINT)
        return Items([self.item.convert(child, r, f"{name}[{i + 1}]") for i, child in enumerate(node.value)],
                     [child.pos for child in node.value])

    def json_schema(self) -> dict:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        schema["maxItems"] = self.max_items
        return schema


class Items(list):
    """A converted list that remembers where each item stood."""

    def __init__(self, values: list, positions: list[Pos]) -> None:
        super().__init__(values)
        self.positions = positions

    def valid(self) -> list[tuple[Pos, Any]]:
        """(position, value) of the items that converted cleanly."""
        return [(p, v) for p, v in zip(self.positions, self, strict=True) if v is not INVALID]


@dataclass
class Field:
    key: str
    type: FieldType
    title: str  # the label a Chinese reader knows it by: 项目编码
    description: str
    required: bool = True


@dataclass
class Values:
    """A converted mapping: values by key, and where each one stood."""

    at: Pos
    data: dict = field(default_factory=dict)
    pos: dict = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.data.get(key, default)
        return default if value is INVALID else value

    def ok(self, *keys: str) -> bool:
        """True when each key is present and was valid."""
        return all(key in self.data and self.data[key] is not INVALID for key in keys)

    def where(self, key: str) -> Pos:
        return self.pos.get(key, self.at)


@dataclass
class Record(FieldType):
    """A mapping with a fixed set of keys."""

    name: str
    title: str
    fields: list[Field]
    expects = "map"

    def read(self, node: Node, r: Reader, name: str) -> Any:
        by_key = {f.key: f for f in self.fields}
        values = Values(at=node.pos)
        seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if key_node.kind != "scalar":
                r.error(key_node, "a key must be a plain word")
                continue
            key = key_node.value
            if key in seen:
                r.error(key_node, f"duplicate key `{key}` (first at line {seen[key].pos.line})",
                        "YAML keeps only one of them; delete or rename one")
                continue
            seen[key] = key_node
            spec = by_key.get(key)
            if spec is None:
                r.error(key_node, f"unknown key `{key}` in {self.title}", self.key_hint(key))
                continue
            values.pos[key] = value_node.pos
            values.data[key] = spec.type.convert(value_node, r, key)
        for spec in self.fields:
            if spec.required and spec.key not in seen:
                values.data[spec.key] = r.error(
                    node, f"{self.title} is missing `{spec.key}` ({spec.title})",
                    f"add `{spec.key}:` {spec.description}")
        return values

    def key_hint(self, key: str) -> str:
        by_title = {f.title: f.key for f in self.fields}
        if key in by_title:
            return f"did you mean `{by_title[key]}`? keys are written in English; {key} is `{by_title[key]}`"
        close = difflib.get_close_matches(key, [f.key for f in self.fields], n=1, cutoff=0.6)
        if close:
            return f"did you mean `{close[0]}`?"
        return "valid keys: " + ", ".join(f.key for f in self.fields)

    def json_schema(self) -> dict:
        return {
            "type": "object",
            "title": self.title,
            "additionalProperties": False,
            "required": [f.key for f in self.fields if f.required],
            "properties": {
                f.key: {"title": f.title, "description": f.description, **f.type.json_schema()} for f in self.fields
            },
        }


def _did_you_mean(text: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(text, list(choices), n=1, cutoff=0.5)
    return f"did you mean `{close[0]}`?" if close else None


__all__ = ["INVALID", "Amount", "Boolean", "Choice", "Field", "FieldType", "Integer", "ListOf", "Money", "Percent",
           "Reader", "Record", "Target", "TargetText", "Text", "Values"]
