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

import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from markupsafe import Markup

from .diagnostics import keep_path
from .model import Department

Category = tuple[str, str]  # (一级, 二级) as the framework names them
Render = Callable[[Department], dict[Category, str]]  # one department's rows, HTML by category


class IndicatorRows:
    """`kept[i]`: where department i's rows are kept in the cache (None: not kept, as in `serve`
    or `--no-cache`); `spool`: the folder the per-category files go in while the page is made."""

    def __init__(self, kept: list[Path | None], spool: Path | None = None):
        self.kept, self.spool = kept, spool

    def spooled(self, departments: list[Department], render: Render):
        """A context manager: every department's rows, spooled by category; `render(department)`
        renders a department's rows when the cache does not have them."""
        return _Spool(self, departments, render)

    def rows_of(self, index: int, department: Department, render: Render) -> dict[Category, str]:
        path = self.kept[index] if index < len(self.kept) else None
        if path is not None:
            try:
                return pickle.loads(path.read_bytes())
            except (OSError, pickle.UnpicklingError, EOFError):
                pass  # not there yet, or damaged: rendered again
        rows = render(department)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            with keep_path(tmp):
                tmp.write_bytes(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, path)
        return rows


class _Spool:
    def __init__(self, rows: IndicatorRows, departments: list[Department], render: Render):
        self.rows, self.departments, self.render = rows, departments, render

    def __enter__(self) -> Callable[[object], Iterator[Markup]]:
        self.folder = tempfile.TemporaryDirectory(prefix=".gongkai-rows-", dir=self.rows.spool)
        self.files: dict[Category, object] = {}
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

    def read(self, group) -> Iterator[Markup]:
        """Each department's rows of `group` (an IndicatorGroup), in the site's order."""
        spool = self.files.get((group.level1, group.level2))
        if spool is None:
            return
        spool.seek(0)
        while True:
            try:
                yield Markup(pickle.load(spool))
            except EOFError:
                return

    def __exit__(self, *exc) -> None:
        for spool in self.files.values():
            spool.close()
        self.folder.cleanup()
