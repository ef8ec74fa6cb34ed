"""Search: a full-text index of the written site, built with Pagefind (extended), in parts.

The extended Pagefind binary segments Chinese, so a two-character word such
as 招商 or 疫苗 finds its pages (the standard one indexes whole runs of Han
characters and finds nothing). It runs on the staging folder, inside the
atomic swap, and needs no network. Pages mark what is indexed with
`data-pagefind-body` and their facets with `data-pagefind-filter`.

Pagefind holds every page it indexes in memory, about 0.2 MB each, and has
no incremental mode: one index of a province (22,000 pages) took 4.3 GB and
was made again whole for any edit. So a large site is indexed in parts of
at most PAGES_PER_PART pages, a department's pages always in one part: the
first part is `pagefind/`, the others `pagefind/parts/N/`, and the search
page merges them in the browser (Pagefind's mergeIndex). An edit makes its
department's part again; the other parts are kept. A site of up to
PAGES_PER_PART pages (a county, a city bureau) has one part, as before.
"""

from __future__ import annotations

import functools
import json
import math
import re
import subprocess
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from builder.base.diagnostics import BuildError
from builder.base.messages import msg

SEARCH_INDEX = "pagefind"
PARTS = SEARCH_INDEX + "/parts"
PARTS_LIST = SEARCH_INDEX + "/gongkai-parts.json"  # the merged parts, for the search page's script
PAGES_PER_PART = 1000  # about 250 MB of Pagefind's memory

# What Pagefind looks for, as an attribute inside a tag: content text cannot contain it, because
# it is escaped (a literal `<` in text is `&lt;`).
_MARKED = re.compile(rb"<[A-Za-z][^<>]*\sdata-pagefind-body(?=[\s=/>])")


class SearchIndexError(BuildError):
    pass


def is_marked(html: bytes) -> bool:
    """Does this page say what of it is indexed (`data-pagefind-body`)?"""
    return _MARKED.search(html) is not None


class MarkScanner:
    """is_marked over a page written in chunks (Jinja yields many small ones), a tag split
    between two chunks included."""

    def __init__(self) -> None:
        self.found, self._size, self._tail = False, 0, b""
        self._pending: list[bytes] = []

    def feed(self, data: bytes) -> None:
        if not self.found:
            self._pending.append(data)
            self._size += len(data)
            if self._size >= 1 << 16:
                self._scan()

    @property
    def marked(self) -> bool:
        self._scan()
        return self.found

    def _scan(self) -> None:
        if self._pending and not self.found:
            window = self._tail + b"".join(self._pending)
            self.found = is_marked(window)
            self._tail, self._pending, self._size = window[-4096:], [], 0


@dataclass
class Part:
    """One part of the index: the pages in it, and the globs that name them for Pagefind."""

    pages: list[str] = field(default_factory=list)
    globs: set[str] = field(default_factory=set)


def plan(pages: dict[str, str], marked: set[str]) -> dict[str, Part]:
    """The parts of the index, by folder. `pages`: path -> its group, a folder whose pages stay
    together in one part (a department's), or the page's own path (a site-wide page).

    As Pagefind does for a whole site: if any page is marked, only the marked pages are indexed.
    A part is chosen by a hash of the group, so a new department moves no other department to
    another part (until the number of parts changes).
    """
    indexed = sorted(p for p in pages if p in marked) if marked else sorted(pages)
    count = max(1, math.ceil(len(indexed) / PAGES_PER_PART))
    numbered: dict[int, Part] = {}
    for path in indexed:
        group = pages[path]
        part = numbered.setdefault(zlib.crc32(group.encode("utf-8")) % count, Part())
        part.pages.append(path)
        # A folder's glob keeps the argument short (one page name each would pass Linux's 128 kB
        # limit on one argument); its unmarked pages are left out by Pagefind itself.
        part.globs.add(path if group == path else f"{group}/**/*.html")
    parts = {}
    for n, number in enumerate(sorted(numbered)):  # the first part that has pages holds the UI
        parts[SEARCH_INDEX if n == 0 else f"{PARTS}/{number}"] = numbered[number]
    return parts


def part_of(path: str) -> str:
    """The part folder an index file belongs to."""
    if path.startswith(PARTS + "/"):
        return "/".join(path.split("/", 3)[:3])
    return SEARCH_INDEX


def parts_list(parts: list[str]) -> bytes:
    """The parts the search page merges into the first, relative to `pagefind/`."""
    merged = [folder[len(SEARCH_INDEX) + 1:] + "/" for folder in sorted(parts) if folder != SEARCH_INDEX]
    return json.dumps({"merge": merged}, separators=(",", ":")).encode("utf-8") + b"\n"


@functools.cache
def pagefind() -> str:
    """The extended binary itself, not `python -m pagefind`: that starts a Python for every part just
    to find the binary (0.2 s), and would quietly take the standard one, which finds no Chinese word."""
    try:
        from pagefind_bin_extended import get_executable

        return str(get_executable())
    except (ImportError, FileNotFoundError):
        raise SearchIndexError(msg("search.no_pagefind")) from None


def index_part(site: Path, folder: str, part: Part) -> None:
    """Index the pages of `part` (under `site`) into `site/folder`."""
    # Output paths hold no glob character (write.py checks each), so they need no quoting.
    globs = sorted(part.globs)
    pattern = globs[0] if len(globs) == 1 else "{" + ",".join(globs) + "}"
    try:
        done = subprocess.run([pagefind(), "--site", str(site), "--output-path", str(site / folder),
                               "--glob", pattern, "--silent"], capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        raise SearchIndexError(msg("search.too_slow", minutes=10)) from None
    except OSError as exc:
        raise SearchIndexError(msg("search.cannot_start", detail=str(exc))) from None
    if done.returncode != 0:  # Pagefind's own words, as it says them
        raise SearchIndexError(msg("search.failed", detail=done.stderr.strip() or done.stdout.strip()))
