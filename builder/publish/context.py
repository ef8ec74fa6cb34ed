"""The one immutable record of a build: what it reads, where it writes, how, and with what.

Made once by pipeline.build_site and handed down whole, instead of a dozen
parameters passed from function to function; only the theme is added (as a
new record) once the checked site has named it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from builder.base.progress import Progress

if TYPE_CHECKING:  # not loaded by a build with nothing to do: the theme's module loads Jinja
    from builder.base.parallel import Runner
    from builder.cache.store import Cache
    from builder.history.tree import ContentTree
    from builder.render.themes import Theme


@dataclass(frozen=True)
class Options:
    """What the command line chose; every one of them is in the build's fingerprint."""

    pdfs: bool = True
    strict: bool = False  # warnings stop the build too
    date: datetime | None = None  # the date given by the caller; the build's is tree.date
    history_of: tuple[Path, str] | None = None  # the git folder and revision whose history pages show


@dataclass(frozen=True)
class BuildContext:
    content: Path
    output: Path  # as staging.output_path named it: one name for the folder all along
    themes: Path
    options: Options
    tree: ContentTree
    cache: Cache | None  # None: a full build that remembers nothing
    runner: Runner  # parallel.Serial, Processes or DaskCluster: where the work runs
    progress: Progress
    theme: Theme | None = None  # the site's theme, once the site is checked (with_theme)

    @property
    def date(self) -> datetime:
        return self.tree.date

    def with_theme(self, theme: Theme) -> "BuildContext":
        return replace(self, theme=theme)

    def site_theme(self) -> Theme:
        """The site's theme, for what makes outputs: they are made only from a checked site."""
        if self.theme is None:
            raise ValueError("outputs are made only once the checked site has named its theme (with_theme)")
        return self.theme
