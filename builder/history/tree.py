"""The content tree of one build: its files, the commit its history comes from, and its date.

Made once per build (pipeline.py) and read by everything that used to walk
the folder or ask git on its own: the check (the files and their kinds), the
cache's fingerprint (the digests and the head), the outputs' keys, the
history pages and the date PDFs, data files and the feed carry. The date is
decided here and nowhere else: SOURCE_DATE_EPOCH, else the last commit that
touched the content (at the revision built: `build --rev`), else the start
of the Unix epoch, never the clock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from builder.base.diagnostics import BuildError
from builder.base.messages import msg
from builder.cache.digests import FileDigests
from builder.content.tree import ContentFiles
from builder.history import git
from builder.history.revisions import HistoryReader


@dataclass(frozen=True)
class ContentTree:
    files: ContentFiles
    head: str  # the commit the history and the date come from; "" outside git
    date: datetime
    history: HistoryReader | None  # None: content outside git, or in a repository with no commit yet

    @classmethod
    def read(cls, content: Path, digests: FileDigests | None = None, date: datetime | None = None,
             history_of: tuple[Path, str] | None = None) -> "ContentTree":
        """`history_of`: the folder in a git work tree and the revision whose history the build shows
        (default: `content` at HEAD). `date`: given by the caller, else decided here (source_date).
        GitError when git fails where the content's history is; BuildError for a bad SOURCE_DATE_EPOCH."""
        files = ContentFiles.walk(content, digests)
        history = history_reader(*(history_of or (content, "HEAD")), required=history_of is not None)
        return cls(files, history.commit if history else "", date or source_date(history), history)


def history_reader(folder: Path, rev: str, required: bool = False) -> HistoryReader | None:
    """Where `folder`'s history up to `rev` is; None outside git or before the first commit, unless
    `required` (a revision asked for by name: it must be there)."""
    where = git.work_tree(folder) if required else git.work_tree_or_none(folder)
    if where is None:
        return None
    root, relative = where
    commit = git.resolve(root, rev) if required else git.resolve_or_none(root, rev)
    return HistoryReader(root, relative, commit) if commit else None


def source_date(history: HistoryReader | None) -> datetime:
    """The date a build's outputs carry: SOURCE_DATE_EPOCH, else the content's last commit."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            seconds = int(epoch or 0)  # set and empty: the fixed date below
        except ValueError:
            raise BuildError(msg("tree.epoch_not_a_number", epoch=repr(epoch))) from None
    else:
        seconds = (history.commit_time() if history else None) or 0
    # Without either, a fixed date keeps builds reproducible: the start of the Unix epoch
    # is obviously not a real date, where "now" would look like one and change every build.
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise BuildError(msg("tree.epoch_out_of_range", epoch=epoch)) from None
