"""The all-indicators page's rows, rendered a department at a time and kept in the build cache.

The page lists every indicator of the site by category: 26,000 rows (7.5 MB)
at 2,000 projects, ten times that at a province. It shows every department,
so any edit makes it again, and it was the longest job of a rebuild. But one
department's rows depend only on that department's files and the
`partials/indicator-rows.html` template: each department's rows are kept in
the build cache under a key of those (outputs.Keys.indicator_rows), and an
edit renders its own department's rows again and reads back the others'.

The page goes by category across departments, a department's rows are by
department: they are spooled to one file per category, one department in
memory at a time, and the page template reads each category's file back as
it is written (`indicator_rows(group)` yields one department's rows at a
time), so the page is never whole in memory.
"""

from __future__ import annotations

import contextlib
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from markupsafe import Markup

from builder.cache.store import Cache
from builder.content.model import Department

Category = tuple[str, str]  # (一级, 二级) as the framework names them
Render = Callable[[Department], dict[Category, str]]  # one department's rows, HTML by category


class IndicatorRows:
    """`kept[i]`: where department i's rows are kept in `store`, the build cache (none: not kept,
    as in `serve` or `--no-cache`); `scratch()`: a temporary folder for the per-category files
    while the page is made (write.Staging.scratch in a build: cleaned up with the staging)."""

    def __init__(self, kept: list[Path | None],
                 scratch: Callable[[], tempfile.TemporaryDirectory[str]] = tempfile.TemporaryDirectory,
                 store: Cache | None = None) -> None:
        self.kept, self.scratch, self.store = kept, scratch, store

    def spooled(self, departments: Sequence[Department], render: Render) -> _Spool:
        """A context manager: every department's rows, spooled by category; `render(department)`
        renders a department's rows when the cache does not have them."""
        return _Spool(self, departments, render)

    def rows_of(self, index: int, department: Department, render: Render) -> dict[Category, str]:
        path = self.kept[index] if index < len(self.kept) and self.store is not None else None
        if path is not None and self.store is not None:
            rows = self.store.get(path)
            if isinstance(rows, dict):
                return rows  # else not there yet, foreign or damaged: rendered again
        rows = render(department)
        if path is not None and self.store is not None:
            self.store.put(path, rows)
        return rows


class _Spool:
    def __init__(self, rows: IndicatorRows, departments: Sequence[Department], render: Render):
        self.rows, self.departments, self.render = rows, departments, render

    def __enter__(self) -> Callable[[object], Iterator[Markup]]:
        self.folder = self.rows.scratch()
        self.files: dict[Category, IO[bytes]] = {}
        try:
            for index, department in enumerate(self.departments):
                for category, html in self.rows.rows_of(index, department, self.render).items():
                    if category not in self.files:
                        self.files[category] = open(Path(self.folder.name) / f"{len(self.files)}", "w+b")
                    pickle.dump(html, self.files[category], protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self.read

    def read(self, group: Any) -> Iterator[Markup]:
        """Each department's rows of `group` (a pages.IndicatorGroup: Any, as pages.py imports this module),
        in the site's order."""
        spool = self.files.get((group.level1, group.level2))
        if spool is None:
            return
        spool.seek(0)
        while True:
            try:
                yield Markup(pickle.load(spool))
            except EOFError:
                return

    def __exit__(self, *exc: object) -> None:
        try:
            for spool in self.files.values():
                with contextlib.suppress(OSError):  # a full disk fails the last flush: the folder goes all the same
                    spool.close()
        finally:
            self.folder.cleanup()
