"""Files someone else may have put there: content, import sources, cache entries, attachments.

Each is opened once, without blocking (opening a FIFO would wait forever for a writer) and, unless
the caller was handed the name by the user, without following a link; it is checked on the open
file, so a name swapped for something else after a look is never read; and it is read up to a
limit, since a device or a growing file never ends. Callers say in their own words what a refusal
means for them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


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
