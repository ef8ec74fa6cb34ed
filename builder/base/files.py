"""Reading files someone else may have put there, and writing files whole or not at all.

Files someone else may have put there (content, import sources, cache entries, attachments) are
each opened once, without blocking (opening a FIFO would wait forever for a writer) and, unless
the caller was handed the name by the user, without following a link; it is checked on the open
file, so a name swapped for something else after a look is never read; and it is read up to a
limit, since a device or a growing file never ends. Callers say in their own words what a refusal
means for them.

Written files are whole or absent: a reader, a killed build or a full disk never leaves half of one
(write_atomic, write_new). Published files are hashed as they are written (HashingWriter).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from pathlib import Path
from typing import BinaryIO


class NotRegularFile(Exception):
    """A folder, FIFO, socket or device where a file was expected."""

    def __init__(self, path: Path, folder: bool):
        super().__init__(f"{path} is not a regular file")
        self.folder = folder


class TooLarge(Exception):
    """More bytes than the caller's limit."""


def read_regular(path: Path, limit: int | None = None, follow_links: bool = False) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them. Raises OSError (it cannot be
    opened; a link, unless `follow_links`), NotRegularFile or TooLarge."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_links else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, stat.S_ISDIR(mode))
        with os.fdopen(fd, "rb") as file:
            fd = -1  # the file object closes it now
            data = file.read() if limit is None else file.read(limit + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    if limit is not None and len(data) > limit:
        raise TooLarge(f"{path} is over {limit:,} bytes")
    return data


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace `path` with `data` at once: a reader sees the old file or the new one, never part of
    one. Written to a temporary file in the same folder (a rename is atomic only on one file system),
    then renamed over `path`: a link planted at `path` is replaced, never written through. On any
    failure the temporary file is removed and `path` is as it was. `mode` is narrowed by the umask."""
    temporary = _write_aside(path, data, mode)
    try:
        os.replace(temporary, path)
    except BaseException:
        _remove(temporary)
        raise


def write_new(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` as the new file `path`, never over anything already there (FileExistsError, also
    for a link or a broken link). Written aside, then hard-linked into place: the file appears whole
    or not at all. Where the file system has no hard links, it is created exclusively and written in
    place (removed again if the write fails)."""
    temporary = _write_aside(path, data, mode)
    try:
        os.link(temporary, path, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:
        _write_exclusive(path, data, mode)  # no hard links here (FAT, some network shares)
    finally:
        _remove(temporary)


def _write_aside(path: Path, data: bytes, mode: int) -> Path:
    """`data` in a new temporary file beside `path`, named after it (a leftover says whose it is)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    _write_exclusive(temporary, data, mode)
    return temporary


def _write_exclusive(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            fd = -1  # the file object closes it now
            out.write(data)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        _remove(path)
        raise


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


class HashingWriter:
    """Writes to an open binary file and keeps the size and SHA-256 of what went through, in one pass:
    a published file is never read back to be hashed."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.size = 0
        self._sha = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.file.write(data)
        self._sha.update(data)
        self.size += len(data)

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()
