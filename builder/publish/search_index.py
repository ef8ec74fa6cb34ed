"""The search index: one Pagefind part per department (and one for the site-wide pages), each kept
from the last build when none of its pages changed.

With a pool of workers, a part is indexed as soon as its last page is written (`EarlyParts`), while
the workers render the next part's pages: the pages are handed out part by part, so Pagefind,
a third of a full build's CPU, runs beside the rendering instead of after it on cores left idle
(three parts on two cores left one idle for a part's length). The parts are planned from the pages
expected to be marked; if the pages as written say otherwise, what was indexed early is thrown
away and the index is made after the pages, as with one core (`--jobs 1`, where nothing runs beside
the build's own process).
"""

from __future__ import annotations

import hashlib
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from builder.cache.digests import digest
from builder.publish.outputs import Build
from builder.publish.search import PARTS_LIST, SEARCH_INDEX, Part, index_part, part_of, parts_list, plan


class EarlyParts:
    """Parts of the index started while the pages are still being rendered. `expected`: the pages
    expected to be marked (data-pagefind-body), from which the parts are planned before any page is."""

    def __init__(self, build: Build, staging: Path, expected: set[str]) -> None:
        self.build, self.staging = build, staging
        self.plan = plan(build.search_groups, expected) if expected else {}
        self.folder_of = {page: folder for folder, part in self.plan.items() for page in part.pages}
        self.order = {folder: n for n, folder in enumerate(self.plan)}
        self.waiting = {folder: set(part.pages) for folder, part in self.plan.items()}
        self.started: dict[str, tuple[str, list[str], Future]] = {}  # folder -> (key, pages, Pagefind)
        self.pool: ThreadPoolExecutor | None = None

    def rank(self, path: str) -> int:
        """Where a page goes in the queue: part by part, so the first parts are complete early."""
        folder = self.folder_of.get(path)
        return len(self.plan) if folder is None else self.order[folder]

    def written(self, path: str) -> None:
        """`path` is in the staging folder (written or linked): start its part if it was the last."""
        folder = self.folder_of.get(path)
        if folder is not None and path in self.waiting[folder]:
            self.waiting[folder].discard(path)
            if not self.waiting[folder]:
                self._start(folder)

    def _start(self, folder: str) -> None:
        build, part = self.build, self.plan[folder]
        if not all(page in build.marked for page in part.pages):
            return  # not the part it will be: made after the pages
        key = part_key(build, folder, part)
        old = build.previous.get(folder)
        if old and old[0] == key:
            return  # kept from the last build, linked when the index is made
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max(1, build.runner.workers))
        self.started[folder] = (key, list(part.pages), self.pool.submit(index_part, self.staging, folder, part))

    def close(self, cancel: bool = True) -> None:
        """Wait for the Pagefinds running (a failed one raises in `take`), the ones queued too unless
        `cancel`: on a build that stops, none is left writing into a staging folder being removed."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=cancel)
            self.pool = None

    def take(self, parts: dict[str, Part]) -> set[str]:
        """The folders of `parts` (the index as the pages are) indexed early, after all of them are
        done; if any early one is not a part of `parts` as it was started, none is."""
        self.close(cancel=False)
        done = {folder for folder, (key, pages, _) in self.started.items()
                if folder in parts and pages == parts[folder].pages and key == part_key(self.build, folder,
                                                                                        parts[folder])}
        for _, _, future in self.started.values():
            future.result()  # Pagefind's own failure, as it said it
        if done != set(self.started):
            shutil.rmtree(self.staging / SEARCH_INDEX, ignore_errors=True)  # nothing of it is recorded yet
            return set()
        return done


def part_key(build: Build, folder: str, part: Part) -> str:
    return digest(folder, *(f"{p}:{build.outputs[p][0]}" for p in part.pages))


def make_search(build: Build, staging: Path) -> None:
    """The search index, each part kept if none of its pages changed (in the staging folder, last:
    it indexes the pages as written), or indexed already beside the pages (build.early_parts)."""
    parts = plan(build.search_groups, build.marked)
    made = build.early_parts.take(parts) if isinstance(build.early_parts, EarlyParts) else set()
    todo = []
    for folder, part in parts.items():
        key = part_key(build, folder, part)
        old = build.previous.get(folder)
        if folder not in made and not (old and old[0] == key and _reuse_part(build, folder)):
            todo.append(folder)
        build.outputs[folder] = [key, 0, "", None]
    # As many indexers at once as the build has workers (each holds its part's pages in memory).
    # Pagefind adds its files to a folder without clearing it, so the parts inside the first
    # part's folder may be written at the same time.
    with ThreadPoolExecutor(max(1, min(build.runner.workers, len(todo) or 1))) as pool:
        for _ in pool.map(lambda folder: index_part(staging, folder, parts[folder]), todo):
            pass
    for folder in [*made, *todo]:
        for path in sorted((staging / folder).rglob("*")):
            relative = path.relative_to(staging).as_posix()
            if path.is_file() and part_of(relative) == folder:
                data = path.read_bytes()
                size, sha = build.staging.hashes[relative] = (len(data), hashlib.sha256(data).hexdigest())
                old = build.previous.get(relative)
                # Pagefind writes every file of a part again; most (the fragments of the pages that did
                # not change, its scripts) are the last build's bytes: those files are kept.
                if not (old and old[0] == "search" and old[1] == size and old[2] == sha
                        and build.staging.keep(relative, size, old[3])):
                    build.rendered.add(relative)
    key = digest(*parts)
    if not build.reuse(PARTS_LIST, key):
        build.wrote(PARTS_LIST, key, parts_list(list(parts)))
    build.previous.clear()  # all of it that could be reused was: a province's is 177,000 entries
    for name, (size, sha) in build.staging.hashes.items():
        if name.startswith(SEARCH_INDEX + "/") and name != PARTS_LIST:
            build.outputs[name] = ["search", size, sha, None]


def _reuse_part(build: Build, folder: str) -> bool:
    """Link a part of the last build's search index, file by file; False if any is missing."""
    listed = {p: v for p, v in build.previous.items()
              if p.startswith(SEARCH_INDEX + "/") and v[0] == "search" and part_of(p) == folder}
    if not listed or not all((build.staging.output / p).is_file() for p in listed):
        return False
    for path, (_, *state) in listed.items():
        if not build.staging.reuse(path, *state):
            return False
    return True


