"""Typed field handlers: one small class per kind of value in content.

Each handler turns a positioned YAML node into a Python value (or reports why
it cannot and returns INVALID) and describes itself as JSON Schema, so the
checker and the schema editors use are generated from one definition and
cannot disagree. This module holds what every handler shares (FieldType,
Reader, INVALID) and the structures (ListOf, Record and the Values it reads);
the handlers of single values (text, numbers, money, targets) are in scalars.py.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from builder.base.diagnostics import Pos, Report
from builder.base.limits import MAX_LIST_ITEMS
from builder.base.messages import Message, msg
from builder.base.suggest import suggestion
from builder.content.load import Node


class Invalid:
    def __repr__(self) -> str:
        return "INVALID"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:  # unpickled (from a worker process) as the one INVALID, so `is INVALID` holds
        return "INVALID"


INVALID = Invalid()  # a value that was reported as wrong; later rules skip it

LIMITS_HINT = msg("fields.limits_hint")

# What `build.py new` (scaffold.py, stage_scaffold.py) writes in every value left to fill in. No field
# of any type accepts it, so a file is never published half filled: check names each one left.
PLACEHOLDER = "待填写"

_KIND_WORDS = {"scalar": "fields.kind_scalar", "map": "fields.kind_map", "seq": "fields.kind_seq"}


class Reader:
    """What a handler needs while converting one file: where to report."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def error(self, node_or_pos: Node | Pos, message: Message, hint: Message | None = None) -> Invalid:
        pos = node_or_pos.pos if isinstance(node_or_pos, Node) else node_or_pos
        self.report.error(pos, message, hint)
        return INVALID

    def warning(self, node_or_pos: Node | Pos, message: Message, hint: Message | None = None) -> None:
        pos = node_or_pos.pos if isinstance(node_or_pos, Node) else node_or_pos
        self.report.warning(pos, message, hint)


class FieldType:
    expects = "scalar"

    def convert(self, node: Node, r: Reader, name: str) -> Any:
        if node.kind == "scalar" and isinstance(node.value, str) and node.value.strip() == PLACEHOLDER:
            return r.error(node, msg("fields.placeholder", name=name, placeholder=PLACEHOLDER))
        if node.kind != self.expects:
            return r.error(node, msg("fields.wrong_kind", name=name, expected=msg(_KIND_WORDS[self.expects]),
                                     found=msg(_KIND_WORDS[node.kind])), self.example_hint(name))
        return self.read(node, r, name)

    def read(self, node: Node, r: Reader, name: str) -> Any:
        raise NotImplementedError

    def example_hint(self, name: str) -> Message | None:
        return None

    def json_schema(self) -> dict:
        raise NotImplementedError


@dataclass
class ListOf(FieldType):
    item: FieldType
    min_items: int = 0
    max_items: int = MAX_LIST_ITEMS
    expects = "seq"

    def read(self, node: Node, r: Reader, name: str) -> Any:
        if len(node.value) < self.min_items:
            return r.error(node, msg("fields.too_few_items", name=name, count=self.min_items))
        if len(node.value) > self.max_items:  # at the first item too many; none of them is read
            return r.error(node.value[self.max_items], msg("fields.too_many_items", name=name, count=len(node.value),
                                                           limit=self.max_items), LIMITS_HINT)
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

    @functools.cached_property
    def by_key(self) -> dict[str, Field]:
        """The fields by key, made once: a project file reads a record for each of its ~13 indicators."""
        return {f.key: f for f in self.fields}

    def read(self, node: Node, r: Reader, name: str) -> Any:
        by_key = self.by_key
        values = Values(at=node.pos)
        seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if key_node.kind != "scalar":
                r.error(key_node, msg("fields.key_not_plain"))
                continue
            key = key_node.value
            if key in seen:
                r.error(key_node, msg("fields.duplicate_key", field=key, line=seen[key].pos.line))
                continue
            seen[key] = key_node
            spec = by_key.get(key)
            if spec is None:
                r.error(key_node, msg("fields.unknown_key", field=key, record=self.said), self.key_hint(key))
                continue
            values.pos[key] = value_node.pos
            values.data[key] = spec.type.convert(value_node, r, key)
        for spec in self.fields:
            if spec.required and spec.key not in seen:
                values.data[spec.key] = r.error(
                    node, msg("fields.missing_key", record=self.said, field=spec.key, title=spec.title,
                              description=spec.description))
        return values

    @property
    def said(self) -> Message:
        """The record's name in a message: `record.<name>` of the catalogue (its title in English)."""
        key = re.sub(r"\W+", "_", self.name)
        return msg(f"record.{key}")

    def key_hint(self, key: str) -> Message:
        by_title = {f.title: f.key for f in self.fields}
        if key in by_title:
            return msg("fields.title_as_key", field=by_title[key], title=key)
        return suggestion(key, [f.key for f in self.fields]) or \
            msg("fields.valid_keys", keys=", ".join(f.key for f in self.fields))

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


__all__ = ["INVALID", "PLACEHOLDER", "Field", "FieldType", "Invalid", "ListOf", "Reader", "Record", "Values"]
