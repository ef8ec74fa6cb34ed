"""One build's bookkeeping of its outputs: each one reused from the last build or written anew.

The makers (pdfs.py, open_data.py, pages.py, search_index.py) decide per output
whether its key is unchanged; this is the one place that records what they
did: what was linked from the last build, what was written, with its key,
size and SHA-256 (the next manifest), and which pages the search index holds.
It also runs their jobs, here or on workers (parallel.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from builder.base import parallel
from builder.base.diagnostics import Diagnostic, keep_path
from builder.base.messages import say
from builder.cache.manifest import Manifest
from builder.content.model import Site
from builder.history.revisions import History
from builder.publish.context import BuildContext
from builder.publish.data import Download
from builder.publish.keys import Keys
from builder.publish.search import is_marked
from builder.publish.staging import Staging, safe_relative


class Closable(Protocol):
    def close(self) -> None: ...


class Build:
    """One build's rendering: each stage decides per output whether to reuse or render it."""

    def __init__(self, context: BuildContext, site: Site, history: History | None, keys: Keys,
                 manifest: Manifest) -> None:
        self.site, self.theme, self.content, self.date, self.history = \
            site, context.site_theme(), context.content, context.date, history
        self.keys, self.previous, self.store = keys, manifest.outputs, context.cache
        self.runner, self.progress = context.runner, context.progress
        self.was_marked = set(manifest.marked)
        self.marked: set[str] = set()  # pages that say what of them is indexed (data-pagefind-body)
        self.search_groups: dict[str, str] = {}  # page -> the group it is indexed with (search.plan)
        self.outputs: dict[str, list] = {}  # path -> [key, size, sha256, mtime_ns], the next manifest
        self.rendered: set[str] = set()
        self.problems: list = []  # (PDF job, what WeasyPrint or the limits refused)
        self.failures: list[Diagnostic] = []  # templates that failed, once per template line
        self.parts_used: set[str] = set()
        self.rows_used: set[str] = set()
        self.stale: dict[str, list] = {}  # path -> the last build's entry of a file being made again
        self.staging: Staging
        self.early_parts: Closable | None = None  # search_index.EarlyParts: the index's parts made beside the pages

    def reuse(self, path: str, key: str) -> bool:
        # Taken out of the last build's list either way: reused, the entry moves to the next list;
        # not, it waits in `stale` for the file made again (wrote). A province's 177,000 paths are
        # then never held twice.
        old = self.previous.pop(path, None)
        if old and old[0] == key and self.staging.reuse(path, *old[1:4]):
            self.outputs[path] = old
            if path in self.was_marked:
                self.marked.add(path)
            return True
        if old:
            self.stale[path] = old
        return False

    def wrote(self, path: str, key: str, data: "bytes | Written | None" = None) -> None:
        if isinstance(data, Written):
            size, sha = self.staging.adopt(path, data.size, data.sha256)
            marked = data.marked
        else:
            size, sha = self.staging.write(path, data) if data is not None else self.staging.hashes[path]
            marked = isinstance(data, bytes) and path.endswith(".html") and is_marked(data)
        if marked:
            self.marked.add(path)
        old = self.stale.pop(path, None) or self.previous.pop(path, None)
        if old and old[1] == size and old[2] == sha and self.staging.keep(path, size, old[3]):
            # Made again, to the byte what the last build published: that file stays, not a copy of
            # it (the files a build changes are the ones whose bytes changed, for a reader's mirror too).
            self.outputs[path] = [key, size, sha, old[3]]
            return
        self.outputs[path] = [key, size, sha, None]  # the mtime: cache.output_state, once in output/
        self.rendered.add(path)

    def failed(self, diagnostic: Diagnostic) -> None:
        """A template failed: said once per template line and message, with the first page it failed on
        (a typo in project.html fails every project page)."""
        if all((d.pos, d.message) != (diagnostic.pos, diagnostic.message) for d in self.failures):
            self.failures.append(diagnostic)

    def run(self, label: str, fn: parallel.Fn, state: object, todo: list, batch: int | None) -> Iterator:
        """`fn` over `todo`, with a progress bar named by `label`, a catalogue id (outputs.pages …)."""
        # Workers on this machine write their files into the staging folder themselves (writing is
        # a fifth of a build); a Dask worker elsewhere sends the bytes back instead.
        sink = None if isinstance(self.runner, parallel.DaskCluster) else str(self.staging.root)
        work = todo if batch is None else parallel.batches(todo, batch)  # None: `todo` is batches already
        stage = self.progress.stage(say(label), sum(len(b) for b in work))
        for results in self.runner.map(fn, (state, sink), work):
            yield from results
            stage.advance(len(results))

    def downloads(self) -> dict[str, Download]:
        return {p: Download(p, size, sha) for p, (size, sha) in sorted(self.staging.hashes.items())}

    @property
    def reused(self) -> set[str]:
        """The files linked from the last build: every file of this one that was not made again.
        Worked out when asked, not kept along the way: a province's is 177,000 paths. (The search
        parts' folders are entries too, without a SHA-256: they are not files.)"""
        return {path for path, (_, _, sha, _) in self.outputs.items() if sha and path not in self.rendered}


@dataclass(frozen=True)
class Written:
    """A file a worker wrote into the staging folder itself."""

    size: int
    sha256: str
    marked: bool = False  # a page that says what of it is indexed (search.is_marked)


def deliver(sink: str | None, path: str, data: bytes) -> Written | bytes:
    """In a worker: write the file into the staging folder `sink`, or return the bytes (no sink: Dask)."""
    if sink is None:
        return data
    target = Path(sink) / safe_relative(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # never write through a hard link into the last build's output
    with keep_path(target):
        target.write_bytes(data)
    return Written(len(data), hashlib.sha256(data).hexdigest(), path.endswith(".html") and is_marked(data))


