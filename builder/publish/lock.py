"""Lock: one build at a time into an output folder.

Two builds into one folder would interleave their staging folders, link files
from an output the other is replacing, and publish a site whose SHA256SUMS
lists files that are not there. So a build holds an exclusive lock on
`.OUTPUT.lock` beside the output folder (never inside it: the folder is
swapped whole) from before it reads the cache until after the swap; the second
build says that it waits, and waits. The lock is flock(2): the kernel lets go
of it when the holder exits, killed or not, so a crashed build never holds a
lock (the holder removes the file as it lets go; a killed one leaves an
unheld file, which the next build simply locks), and the staging folders it left are removed by the next
build, which holds the lock (write.remove_leftovers).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Callable
from pathlib import Path

from builder.base.diagnostics import BuildError
from builder.base.messages import msg, say


class LockError(BuildError):
    """Something that is not gongkai's lock file stands where it goes."""


def lock_path(output: Path) -> Path:
    return output.parent / f".{output.name}.lock"


class OutputLock:
    """`with OutputLock(output, on_wait):` holds the output folder's lock; `on_wait(message)` is
    called once if another build holds it, before waiting for it."""

    def __init__(self, output: Path, on_wait: Callable[[str], None] | None = None):
        self.output, self.path = output, lock_path(output)
        self.on_wait = on_wait or (lambda message: None)
        self.fd: int | None = None

    def __enter__(self) -> "OutputLock":
        waited = False
        while True:
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not waited:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
                    self.on_wait(say("lock.waiting", process=holder, output=self.output))
                    waited = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            # The holder before us removes the file as it lets go: a lock on a file no longer at the
            # path is no lock (a third build would make a new file and lock that). Try again.
            try:
                same = os.fstat(fd).st_ino == os.lstat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        self.fd = fd
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        return self

    def _open(self) -> int:
        try:
            # O_NOFOLLOW: a link planted in the lock's place must not make us create or truncate its
            # target; O_NONBLOCK: nor a FIFO make us wait for a writer.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
        except OSError as exc:  # reported (cli.os_error) as what it is, naming the folder that refused
            if exc.errno == errno.ELOOP:
                raise LockError(msg("lock.link", path=self.path)) from None
            raise OSError(exc.errno, exc.strerror, str(self.path.parent)) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise LockError(msg("lock.not_regular", path=self.path))
        return fd

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            # Removed while still held, so no build can lock the old file after we let go.
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            os.close(self.fd)
            self.fd = None
