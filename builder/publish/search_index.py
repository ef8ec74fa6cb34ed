"""The search index: one Pagefind part per department (and one for the site-wide pages), each kept
from the last build when none of its pages changed."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from builder.cache.digests import digest
from builder.publish.outputs import Build
from builder.publish.search import PARTS_LIST, SEARCH_INDEX, index_part, part_of, parts_list, plan


def make_search(build: Build, staging: Path) -> None:
    """The search index, each part kept if none of its pages changed (in the staging folder, last:
    it indexes the pages as written)."""
    parts = plan(build.search_groups, build.marked)
    todo = []
    for folder, part in parts.items():
        key = digest(folder, *(f"{p}:{build.outputs[p][0]}" for p in part.pages))
        old = build.previous.get(folder)
        if not (old and old[0] == key and _reuse_part(build, folder)):
            todo.append(folder)
        build.outputs[folder] = [key, 0, "", None]
    # As many indexers at once as the build has workers (each holds its part's pages in memory).
    # Pagefind adds its files to a folder without clearing it, so the parts inside the first
    # part's folder may be written at the same time.
    with ThreadPoolExecutor(max(1, min(build.runner.workers, len(todo)))) as pool:
        for _ in pool.map(lambda folder: index_part(staging, folder, parts[folder]), todo):
            pass
    for folder in todo:
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


