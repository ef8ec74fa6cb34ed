"""Digests: keys made of strings and bytes, and the SHA-256 of files, remembered by their stamps.

File digests are remembered with the file's size, mtime, ctime and inode (as git's index does),
so an unchanged file is not read again.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path

BUILDER_DIR = Path(__file__).resolve().parent.parent  # builder/: every stage's source


def digest(*parts: object) -> str:
    """A key from any mix of strings, bytes and numbers."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


class FileDigests:
    """SHA-256 of files, read again when size, mtime, ctime or inode changed, as git's index does.

    The ctime counts because no one can set it: an edit that keeps the size and puts the old mtime
    back (`touch -d`, a copy that keeps times) still changes it. A file changed less than
    RACY_NS before it was hashed may change again within the same clock tick, unseen by any of
    them ("racy git"): its stamp is not kept, so the next build reads it again."""

    RACY_NS = 2_000_000_000

    def __init__(self, known: dict) -> None:
        self.known = known
        self.seen: dict = {}

    def of(self, path: Path) -> str:
        st = path.stat()
        key = str(path)
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        old = self.known.get(key)
        if old and old[:4] == stamp:
            sha = old[4]
        else:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < self.RACY_NS:
                stamp[2] = -1  # never equal: read again next time
        self.seen[key] = [*stamp, sha]
        return sha


def tree_files(root: Path) -> list[Path]:
    """Every regular file under `root`, hidden ones aside, in a stable order.

    Only regular files: hashing a FIFO would wait forever, a device could be read without end, and
    a link could reach outside the project (`check` reports all three in content)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if not name.startswith(".") and _is_regular(path):
                found.append(path)
    return found


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def builder_files() -> list[Path]:
    """The builder's own source: a change to it may change any output."""
    return [p for p in tree_files(BUILDER_DIR) if p.suffix in (".py", ".yaml")]
