"""Write: put rendered files into output/ all at once, or not at all.

Everything is written into a temporary sibling folder first; only when every
file is there does it replace output/. A failure at any point (a bad path, a
full disk, a kill) leaves the previous output/ exactly as it was, the way
Lektor writes each artifact to a temp file and renames it into place.

We refuse to delete a folder we did not make: output/ must be empty or carry
the marker file that an earlier gongkai build left in it.

Longer than 300 lines: the output folder's whole life (accepting it, writing,
linking and keeping files, the swap, retiring the old one) is in one place,
where the promise that a killed build changes nothing can be read at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import glob
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from builder.base.diagnostics import BuildError, keep_path
from builder.base.files import HashingWriter
from builder.base.messages import msg

MARKER = ".gongkai-output"
MARKER_TEXT = "This folder is written by gongkai (python build.py build) and replaced on every build.\n"
_SAFE_PATH = re.compile(r"(?:[0-9A-Za-z\u4e00-\u9fff_.-]+/)*[0-9A-Za-z\u4e00-\u9fff_.-]+")


class OutputError(BuildError):
    """A problem with the output folder itself, not with content."""


def output_path(output: Path) -> Path:
    """`output` with its folders resolved but not itself (a link there is refused, not followed):
    `out/sub/..` and `out` name one folder, with one lock and one cache beside it."""
    output = output.absolute()
    if output.name in ("", ".", ".."):
        return output.resolve()
    return output.parent.resolve() / output.name


def check_output_folder(output: Path, content: Path) -> None:
    """Accept `output` as a build's output folder, or raise OutputError. The first thing a build
    does: nothing (cache, lock, staging) is created before it.

    A symbolic link is refused, not followed: the swap would replace the link itself with a
    folder, and whoever planted the link chose where the site goes. `--output` its target, if
    that is what is meant."""
    if output.is_symlink():
        raise OutputError(msg("staging.output_link", output=output, target=os.readlink(output)))
    output, content = output.resolve(), content.resolve()
    if output.parent == output:
        raise OutputError(msg("staging.output_root", output=output))
    if output == content or output.is_relative_to(content) or content.is_relative_to(output):
        raise OutputError(msg("staging.output_in_content", output=output, content=content))
    if output.exists() and not output.is_dir():
        raise OutputError(msg("staging.output_not_folder", output=output))
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise OutputError(msg("staging.output_foreign", output=output))


def safe_relative(path: str) -> str:
    """Refuse any path that could leave the output folder or is not a plain name.

    One regular expression over the whole path, not a PurePosixPath per call: an incremental
    build checks every one of its 17,000 paths, most of them only to link them again."""
    if not _SAFE_PATH.fullmatch(path) or "/./" in f"/{path}/" or "/../" in f"/{path}/":
        raise OutputError(msg("staging.unsafe_path", path=repr(path)))
    return path


class Staging:
    """The next output folder, filled file by file beside the current one, then swapped in whole.

    Files come from three places: bytes rendered now (`write`), a stream for a
    large file (`open`), or the previous output, linked (`reuse`): a file whose
    key did not change is hard-linked from the folder being replaced, which costs
    no copy and leaves the swap exactly as atomic.
    """

    def __init__(self, output: Path, content: Path, retired: Path | None = None):
        """`retired`: where the previous output is deleted from in the background (retire)."""
        check_output_folder(output, content)
        self.output = output.absolute()
        self.retired = retired
        self.output.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self.output)
        if retired is not None and not retired.is_symlink():
            remove_retired(retired)
        try:
            self.root = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.tmp-", dir=self.output.parent))
        except OSError as exc:  # name the folder it is made in, not a random name that never existed
            raise OSError(exc.errno, exc.strerror, str(self.output.parent)) from exc
        # A published site must be readable by the web server, whatever the user's umask: every file
        # and folder made for it is 0644 or 0755 as it is made, by this process, the workers it forks
        # and Pagefind. (Setting the modes after the fact was a chmod of every file, reused or not:
        # 177,000 at a province.) Given back by commit and abort.
        self._umask: int | None = os.umask(0o022)
        os.chmod(self.root, 0o755)  # mkdtemp's is 0700
        # Each path by the hash of its folded form (below): a province writes 177,000 paths, and
        # their folded copies would be 20 MB. Two paths with one hash are told apart by folding again.
        self.folded: dict[int, str] = {}
        self.unhashed: dict[str, str] = {}
        self.folders: set[str] = set()  # made already: one mkdir per folder, not per file
        self.hashes: dict[str, tuple[int, str]] = {}  # path -> (size, sha256) of everything written

    def _target(self, path: str, keep: bool = False) -> str:
        safe_relative(path)
        # Two paths that differ only in case or Unicode form are one file on
        # macOS and Windows: the second would silently replace the first.
        key = _folded(path)
        target = os.path.join(self.root, path)
        # Any: a name is looked up by its hash in `folded`, by itself in `unhashed`.
        table: dict[Any, str]
        slot: Any
        table, slot = self.folded, _slot(key)
        known = table.get(slot)
        if known is not None and known != path and _folded(known) != key:
            table, slot = self.unhashed, key  # another name with the same hash: these are kept by name
            known = table.get(slot)
        if known is None:
            table[slot] = path
        elif known != path:
            raise OutputError(msg("staging.collision", known=repr(known), path=repr(path)))
        elif not keep:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)  # linked from the last build, now rendered after all
        folder = os.path.dirname(target)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        return target

    def write(self, path: str, data: bytes) -> tuple[int, str]:
        target = self._target(path)
        with keep_path(target), open(target, "wb") as out:
            writer = HashingWriter(out)
            writer.write(data)
        self.hashes[path] = (writer.size, writer.sha256)
        return self.hashes[path]

    def adopt(self, path: str, size: int, sha256: str) -> tuple[int, str]:
        """A file a worker wrote into the folder itself: check its path like any other, and record it."""
        self._target(path, keep=True)
        self.hashes[path] = (size, sha256)
        return self.hashes[path]

    def open(self, path: str) -> "_HashingFile":
        return _HashingFile(self, path, self._target(path))

    def reuse(self, path: str, size: int, sha256: str, mtime_ns: int | None = None) -> bool:
        """Link `path` from the current output if it is there as the last build left it: a regular
        file of `size` bytes, modified at `mtime_ns` (not edited since). Without the mtime, never."""
        previous = os.path.join(self.output, path)
        try:
            st = os.lstat(previous)
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode) or st.st_size != size or st.st_mtime_ns != mtime_ns:
            return False
        target = self._target(path)
        try:
            os.link(previous, target)
        except OSError:
            shutil.copyfile(previous, target)  # a file system without hard links
        if stat.S_IMODE(st.st_mode) != 0o644:  # changed by hand since
            os.chmod(target, 0o644)
        self.hashes[path] = (size, sha256)
        return True

    def keep(self, path: str, size: int, mtime_ns: int | None) -> bool:
        """`path`, written into the folder with the same bytes as the last build's file: put that file
        (linked) in its place, if it is still as the last build left it, so it is not a new file."""
        previous = os.path.join(self.output, path)
        try:
            st = os.lstat(previous)
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode) or st.st_size != size or st.st_mtime_ns != mtime_ns \
                or stat.S_IMODE(st.st_mode) != 0o644:
            return False
        target = os.path.join(self.root, path)
        try:
            os.link(previous, target + ".same")
        except OSError:
            return False  # a file system without hard links: the new file, the same bytes
        os.replace(target + ".same", target)
        return True

    @property
    def scratch(self) -> "functools.partial[tempfile.TemporaryDirectory]":
        """Makes a temporary folder for work files beside the staging folder, on its disk, named
        like it, so a killed build's are removed with it (remove_leftovers). A partial, not a
        method: it travels to workers without the staging's record of every path."""
        return functools.partial(tempfile.TemporaryDirectory, prefix=f".{self.output.name}.tmp-",
                                 dir=self.output.parent)

    def commit(self, finalize: Callable[[Path], None] | None = None) -> None:
        """`finalize(staging)` runs on the complete folder before the swap (search index, checksums)."""
        try:
            if finalize is not None:
                finalize(self.root)
            self._mark()
            swap_into_place(self.root, self.output, self.retired)
        except BaseException:
            self.abort()
            raise
        self._restore_umask()

    def _mark(self) -> None:
        """The marker file: the last build's, if it says what it should (one file fewer made again)."""
        previous, marker = self.output / MARKER, self.root / MARKER
        try:
            if not previous.is_symlink() and previous.read_text(encoding="utf-8") == MARKER_TEXT:
                os.link(previous, marker)
                return
        except (OSError, UnicodeDecodeError):
            pass
        marker.write_text(MARKER_TEXT, encoding="utf-8")

    def abort(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self._restore_umask()

    def _restore_umask(self) -> None:
        if self._umask is not None:
            os.umask(self._umask)
            self._umask = None


def _folded(path: str) -> str:
    return unicodedata.normalize("NFKC", path).casefold()


_slot = hash  # a name of its own, so a test can make every path share one hash


class _HashingFile:
    """A file in the staging folder that hashes what is written to it."""

    def __init__(self, staging: Staging, path: str, target: str):
        self.staging, self.path = staging, path
        self.file = open(target, "wb")
        self.writer = HashingWriter(self.file)

    def write(self, data: bytes) -> None:
        with keep_path(self.file.name):
            self.writer.write(data)

    def __enter__(self) -> _HashingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        with keep_path(self.file.name):
            self.file.close()
        self.staging.hashes[self.path] = (self.writer.size, self.writer.sha256)


def remove_leftovers(output: Path) -> None:
    """Staging folders a killed build could not clean up (only ours, by their prefix)."""
    for prefix in (f".{output.name}.tmp-", f".{output.name}.old-"):
        # Escaped: an output named `*` must not make every `.X.tmp-` folder beside it a leftover.
        for path in output.parent.glob(glob.escape(prefix) + "*"):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)


def swap_into_place(staging: Path, output: Path, retired: Path | None = None) -> None:
    """Replace `output` with `staging`.

    On Linux both folders trade places in one atomic step (renameat2 with
    RENAME_EXCHANGE), so a reader never sees output/ missing. Elsewhere it is
    two renames: output/ is briefly absent, but never half-written. The previous
    output is then deleted: in the background from `retired` (a folder of the build
    cache) when it can be moved there, else here (retire).
    """
    if not output.exists():
        os.replace(staging, output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.rmdir(old)
    if _exchange(staging, output):
        os.replace(staging, old)  # now holds the previous output
    else:
        os.replace(output, old)
        try:
            os.replace(staging, output)
        except BaseException:
            os.replace(old, output)
            raise
    retire(old, retired)


def retire(folder: Path, retired: Path | None) -> None:
    """Delete the previous output `folder`, without the build waiting for it where it can.

    The new output is in place before this is called: deleting the previous one (22,000 files at
    2,000 projects, 0.5 s of unlinking, 14 s on a busy disk) is no part of publishing it. It is
    moved into `retired` (the build cache's `retired/`, on the same disk: nothing is left beside
    output/ but its cache) and a shell starts `rm` on it in the background, in a session of its own,
    and returns at once. What `rm` did not finish (the machine stopped) the next build removes
    (remove_retired). Without a cache, on another disk, or without a shell (Windows): deleted here."""
    if retired is not None and not retired.is_symlink():  # a link planted in the cache is not followed
        try:
            retired.mkdir(mode=0o700, exist_ok=True)
            os.replace(folder, retired / folder.name)
            folder = retired / folder.name
            subprocess.run(["sh", "-c", 'rm -rf -- "$1" </dev/null >/dev/null 2>&1 &', "sh", str(folder)],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True, check=True, timeout=60)
            return
        except (OSError, subprocess.SubprocessError):
            pass
    shutil.rmtree(folder, ignore_errors=True)


def remove_retired(retired: Path) -> None:
    """Previous outputs a background `rm` did not finish deleting (only real folders, never a link)."""
    for entry in _real_folders(retired):
        shutil.rmtree(entry, ignore_errors=True)


def _real_folders(folder: Path) -> list[Path]:
    try:
        return [Path(e.path) for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(2); False where the system cannot."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0
