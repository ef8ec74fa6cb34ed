"""The manifest: what the last build made from what, and the one key of everything it read.

`manifest.json` holds the last build's input fingerprint, its findings and summary, the
digests of the content files, and one digest of the output folder's state: all a build with
nothing to do reads. `outputs.pickle` holds, for every output file, the key it was made from,
its size, its SHA-256 and its mtime, read only by a build that has something to make.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from builder import __version__
from builder.base.diagnostics import Report
from builder.base.messages import Message
from builder.cache.digests import FileDigests, builder_files, digest, tree_files

MANIFEST_VERSION = 7  # 7: findings kept as catalogue messages


@dataclass
class Manifest:
    fingerprint: str = ""
    output_inode: int = 0
    files: int = 0
    report: list = field(default_factory=list)  # Diagnostic.to_json() of each finding
    summary: list = field(default_factory=list)  # the lines `build` prints about the site, Message.to_json()
    stats: dict = field(default_factory=dict)  # absolute path -> [size, mtime_ns, ctime_ns, inode, sha256]
    written: str = ""  # output_state of output/ as the build left it
    # From outputs.pickle, once Cache.load_outputs is called:
    outputs: dict = field(default_factory=dict)  # path -> [key, size, sha256, mtime_ns]
    marked: list = field(default_factory=list)  # the pages the search index holds (search.is_marked)

    SEPARATE = ("outputs", "marked")  # kept in outputs.pickle

    def findings(self) -> Report:
        """The last build's diagnostics, to report again when nothing was rebuilt."""
        from builder.base.diagnostics import Diagnostic

        return Report([Diagnostic.from_json(item) for item in self.report])

    def summaries(self) -> list[Message]:
        return [Message.from_json(line) for line in self.summary]


def output_state(output: Path, outputs: dict | None = None) -> str:
    """One digest of the path, size and mtime of every file in the output folder: an edit by hand
    changes it. Given `outputs` (the manifest's), each file's mtime is recorded in its entry, so the
    next build can tell whether the file is still as this one left it before linking it.

    A digest and not the listing itself: the listing of a province's output is 177,000 entries,
    which a build with nothing to do would have to read back, and every build to hold."""
    h = hashlib.sha256()
    folders = [("", str(output))]
    while folders:  # scandir, not os.walk + relpath: a third of the time for 17,000 files
        prefix, folder = folders.pop()
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)  # the digest must not depend on disk order
        for entry in reversed(entries):  # popped last: subfolders are taken in name order
            if entry.is_dir(follow_symlinks=False):
                folders.append((prefix + entry.name + "/", entry.path))
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                path = prefix + entry.name
                h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
                if outputs is not None and (known := outputs.get(path)) is not None:
                    known[3] = st.st_mtime_ns
    return h.hexdigest()


def up_to_date(manifest: Manifest, fingerprint: str, output: Path) -> bool:
    """Nothing the last build was made from has changed, and output/ is as it left it."""
    try:
        return (manifest.fingerprint == fingerprint and output.stat().st_ino == manifest.output_inode
                and output_state(output) == manifest.written)
    except OSError:
        return False


def fingerprint(digests: FileDigests, themes: Path, content_files: Iterable[Path], options: dict) -> str:
    """Everything a build's output depends on, as one key: if it is the same, so is the output.
    `content_files`: every file of the content, as the build's walk found them (content/tree.py);
    `options`: what the build was asked for, the commit and the date it builds from among them.

    The whole themes folder counts, not only the site's theme and its parents: finding those
    would mean reading theme.yaml files, and an edit to another theme only costs a build that
    finds every output unchanged."""
    parts: list = [__version__, json.dumps(options, sort_keys=True, default=str)]
    for path in [*builder_files(), *tree_files(themes), *content_files]:
        parts += [path, digests.of(path)]
    return digest(*parts)
