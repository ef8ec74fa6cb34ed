"""Load: turn each content file (found by tree.py) into a tree of positioned nodes.

YAML here is untrusted data (RELIABILITY.md). We never let PyYAML construct
Python objects: we read its event stream and compose our own plain nodes, so
every value keeps its source text and position, and nothing YAML 1.1 "helps"
with (`0123`, `NO`, `12:30`) changes a value before our schema sees its text.
Tags, anchors, aliases and multi-document files are refused while composing;
duplicate keys are left for validate, which knows both lines.

Longer than 300 lines: one path from a file's bytes to its nodes (read, decode, scan, compose) and
the hints for YAML's syntax errors; each part is read only with the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Final, NoReturn

import yaml

from builder.base.characters import forbidden_character, has_forbidden
from builder.base.diagnostics import Pos, Report, os_problem
from builder.base.files import NotRegularFile, TooLarge, read_regular
from builder.base.limits import MAX_DEPTH, MAX_FILE_BYTES
from builder.base.messages import Message, msg, verbatim

# libyaml is much faster; the pure-Python parser gives identical events.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Node:
    """One YAML value. `kind` is "scalar", "map" or "seq"."""

    # A plain class with slots: a project file is ~200 nodes and a province has tens of thousands of files.
    __slots__ = ("kind", "pos", "value", "style")

    def __init__(self, kind: str, pos: Pos, value: Any, style: str = "") -> None:
        self.kind = kind
        self.pos = pos
        self.value = value  # str | list[Node] | list[tuple[Node, Node]]
        self.style = style  # scalar style: "" plain, "'", '"', "|", ">"

    def __repr__(self) -> str:
        return f"Node({self.kind!r}, {self.pos!r}, {self.value!r}, {self.style!r})"

    @property
    def is_null(self) -> bool:
        """A plain empty or null scalar: YAML's way of writing nothing."""
        return self.kind == "scalar" and self.style == "" and self.value in ("", "~", "null", "Null", "NULL")


@dataclass
class Document:
    path: Path
    root: Node | None  # None for an empty file
    kind: str  # "site", "framework", "department", "project"
    failed: bool = False  # could not be read or parsed; the reason was reported


class Unreadable(Enum):
    """What parse_file gives for a file it reported as unreadable: one value, compared with `is`."""

    UNREADABLE = "unreadable"


UNREADABLE: Final = Unreadable.UNREADABLE


def parse_file(path: Path, report: Report) -> Node | None | Unreadable:
    """Bytes -> Node, or UNREADABLE after reporting why."""
    data = read_content_file(path, report)
    if data is None:
        return UNREADABLE
    text = decode(path, data, report)
    if text is None:
        return UNREADABLE
    if not scan_characters(path, text, report):
        return UNREADABLE
    return parse_text(path, text, report)


def read_content_file(path: Path, report: Report) -> bytes | None:
    """The bytes of a regular file of at most MAX_FILE_BYTES, or None after reporting why not
    (files.read_regular: never a FIFO, device or link, even one put in place after discover looked)."""
    try:
        return read_regular(path, MAX_FILE_BYTES)
    except OSError as exc:  # unreadable (permissions, a broken disk): said like any other problem, with the rest
        what, hint = os_problem(exc)
        report.error(Pos(str(path), 1, 1), msg("load.unreadable", problem=what), hint or msg("load.unreadable_hint"))
    except NotRegularFile:
        report.error(Pos(str(path), 1, 1), msg("load.not_regular"))
    except TooLarge:
        report.error(Pos(str(path), 1, 1), msg("load.too_large", limit=MAX_FILE_BYTES))
    return None


def decode(path: Path, data: bytes, report: Report) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        report.error(Pos(str(path), line, col), msg("load.not_utf8"))
        return None
    return text[1:] if text.startswith("\ufeff") else text


def scan_characters(path: Path, text: str, report: Report) -> bool:
    """Refuse invisible and control characters anywhere in the file, at their exact spot."""
    if not has_forbidden(text):
        return True
    ok = True
    for lineno, line in enumerate(text.split("\n"), start=1):
        for col, ch in enumerate(line, start=1):
            problem = forbidden_character(ch)
            if problem:
                report.error(Pos(str(path), lineno, col), msg("load.forbidden_character", kind=problem,
                                                              code=f"{ord(ch):04X}"))
                ok = False
    return ok


def parse_text(path: Path, text: str, report: Report) -> Node | None | Unreadable:
    parser = _Loader(text)
    composer = _Composer(str(path), report)
    try:
        return composer.compose(parser.get_event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        fullwidth = find_fullwidth_colon(text, line)
        if fullwidth:
            report.error(Pos(str(path), *fullwidth), msg("load.fullwidth_colon"))
            return UNREADABLE
        unclosed = never_closed(text, exc)
        if unclosed:
            report.error(Pos(str(path), *unclosed[:2]), unclosed[2], unclosed[3])
            return UNREADABLE
        message = msg("load.syntax", problem=verbatim(str(exc.problem or exc.context)))
        report.error(Pos(str(path), line, col), message, syntax_hint(text, line, col, exc))
        return UNREADABLE
    except yaml.YAMLError as exc:  # reader errors carry no mark object
        report.error(Pos(str(path), 1, 1), msg("load.yaml_error", problem=verbatim(str(exc))))
        return UNREADABLE
    except _Refused:
        return UNREADABLE
    finally:
        parser.dispose()


_CLOSERS = {"'": "'", '"': '"', "[": "]", "{": "}"}


def never_closed(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, Message, Message] | None:
    """A quote, `[` or `{` left open: (line, col, message, hint) at where it opened.

    The parser reads on, looking for the closing character, and gives up only at the end of
    the file or at a line it cannot take as part of the value; its own mark (problem_mark) is
    that place, often the last line. Where the value began is its context_mark.
    """
    start, end, context, problem = exc.context_mark, exc.problem_mark, exc.context or "", exc.problem or ""
    if start is None or end is None:
        return None
    quote = "quoted scalar" in context and ("end of stream" in problem or "document" in problem)
    flow = "flow" in context and "expected ','" in problem
    if not (quote or flow):
        return None
    lines = text.split("\n")
    source = lines[start.line] if start.line < len(lines) else ""
    opener = source[start.column:start.column + 1]
    if opener not in _CLOSERS:
        return None
    closer = _CLOSERS[opener]
    gave_up = msg("load.to_line", line=end.line + 1) if end.line + 1 < len(lines) or not quote else msg("load.to_end")
    if quote:
        said = msg("load.quote_never_closed")
        hint = msg("load.close_quote", closer=closer, gave_up=gave_up,
                   inside=msg("load.quote_doubled" if opener == "'" else "load.quote_escaped"))
    else:
        said = msg("load.bracket_never_closed", opener=opener)
        hint = msg("load.close_bracket", closer=closer, gave_up=gave_up, opener=opener,
                   kind=msg("load.flow_list" if opener == "[" else "load.flow_mapping"),
                   example=source[start.column:].strip())
    return start.line + 1, start.column + 1, said, hint


def find_fullwidth_colon(text: str, line: int) -> tuple[int, int] | None:
    """Where a key was typed with `：`. libyaml notices only lines later, so look back from `line`."""
    lines = text.split("\n")
    for number in range(min(line, len(lines)), max(line - 3, 0), -1):
        source = lines[number - 1]
        key = re.match(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*\s*(：)", source)
        if key:
            return number, key.start(1) + 1
    return None


def syntax_hint(text: str, line: int, col: int, exc: yaml.MarkedYAMLError) -> Message | None:
    """Name the usual causes, in the words of someone who types Chinese."""
    lines = text.split("\n")
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    problem = exc.problem or ""
    if "\t" in source[: max(col, 1)] or "tab" in problem:
        return msg("load.tabs")
    value = source.split(":", 1)[1].lstrip() if ":" in source else source.lstrip(" -")
    if value[:1] in (">", "<", "|", "@", "`", "%", "*", "&", "!", "[", "{"):
        return msg("load.quote_value", start=value[:1], example=value.strip())
    if "mapping values are not allowed" in problem:
        return msg("load.quote_colon")
    return None


class _Refused(Exception):
    """Raised after the composer has reported a refused construct."""


class _Composer:
    """Events -> Nodes, refusing what content must not use.

    The hot loop of a build: one iteration per YAML event, ~180 per project
    file. Hence events taken straight from the parser's get_event (not through
    yaml.parse's generator), an explicit stack instead of recursion, `type(e) is`
    instead of isinstance, a mapping's keys and values gathered in one flat list
    and paired when it closes, and positions made with tuple.__new__ (a
    NamedTuple's own __new__ is a Python function).
    """

    def __init__(self, path: str, report: Report):
        self.path = path
        self.report = report

    def pos(self, event: Any) -> Pos:
        return Pos(self.path, event.start_mark.line + 1, event.start_mark.column + 1)

    def refuse(self, event: Any, said: Message) -> NoReturn:
        self.report.error(self.pos(event), said)
        raise _Refused

    # PyYAML's events are Any here: each kind has attributes of its own, and the code tells them apart by type.
    def compose(self, next_event: Callable[[], Any]) -> Node | None:
        next_event()  # StreamStart
        event = next_event()
        if type(event) is yaml.StreamEndEvent:
            return None
        root = self.tree(next_event)  # after DocumentStart
        next_event()  # DocumentEnd
        event = next_event()
        if type(event) is not yaml.StreamEndEvent:
            self.refuse(event, msg("load.second_document"))
        return root

    def tree(self, next_event: Callable[[], Any]) -> Node:
        """The document's root node and everything under it."""
        path, new = self.path, tuple.__new__
        scalar, seq_start, map_start, seq_end, map_end = (yaml.ScalarEvent, yaml.SequenceStartEvent,
                                                          yaml.MappingStartEvent, yaml.SequenceEndEvent,
                                                          yaml.MappingEndEvent)
        # Each open collection: (its node, its children so far); a mapping's as key, value, key, value...
        stack: list[tuple[Node, list]] = []
        children: list = []  # the innermost open collection's
        while True:
            event = next_event()
            kind = type(event)
            if kind is scalar:
                if event.anchor is not None or event.tag is not None:
                    self.check_properties(event)
                mark = event.start_mark
                node = Node("scalar", new(Pos, (path, mark.line + 1, mark.column + 1)), event.value,
                            event.style or "")
                if not stack:
                    return node
                children.append(node)
            elif kind is map_end or kind is seq_end:
                node, children = stack.pop()
                if kind is map_end:
                    node.value = list(zip(children[::2], children[1::2], strict=True))
                else:
                    node.value = children
                if not stack:
                    return node
                children = stack[-1][1]
                children.append(node)
            elif kind is map_start or kind is seq_start:
                if event.anchor is not None or event.tag is not None:
                    self.check_properties(event)
                if len(stack) >= MAX_DEPTH:
                    self.refuse(event, msg("load.too_deep", limit=MAX_DEPTH))
                mark = event.start_mark
                children = []
                stack.append((Node("map" if kind is map_start else "seq",
                                   new(Pos, (path, mark.line + 1, mark.column + 1)), children), children))
            else:  # an alias: the only other event inside a document
                self.refuse(event, msg("load.alias"))

    def check_properties(self, event: Any) -> None:
        """Refuse an anchor or a tag (an anchor first, as written: `&a !!str x`)."""
        if event.anchor is not None:
            self.refuse(event, msg("load.anchor", anchor=event.anchor))
        if event.tag is not None:
            self.refuse(event, msg("load.tag", tag=event.tag))
