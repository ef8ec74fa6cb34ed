"""Git: the few questions gongkai asks of the repository its content lives in.

Content in git is the client's choice: adjustments during the year are
commits, and the history is public. Everything here runs `git` as a
subprocess (no library to install) and turns its failures into GitError
messages a person can act on.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Literal, overload

from builder.base.diagnostics import BuildError


class GitError(BuildError):
    pass


@overload
def _git(cwd: Path, *args: str, binary: Literal[True], check: bool = True) -> bytes: ...
@overload
def _git(cwd: Path, *args: str, binary: Literal[False] = False, check: bool = True) -> str: ...
def _git(cwd: Path, *args: str, binary: bool = False, check: bool = True) -> str | bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than 2 minutes") from None
    if check and proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return proc.stdout if binary else proc.stdout.decode("utf-8", "replace")


def work_tree(path: Path) -> tuple[Path, str]:
    """The repository root holding `path`, and `path` relative to it (posix)."""
    path = path.resolve()
    try:
        root = Path(_git(path, "rev-parse", "--show-toplevel").strip()).resolve()
    except GitError:
        raise GitError(f"{path} is not inside a git work tree") from None
    relative = path.relative_to(root).as_posix()
    return root, "" if relative == "." else relative


def resolve(root: Path, rev: str) -> str:
    if rev.startswith("-"):
        raise GitError(f"unknown revision {rev!r}")
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    except GitError:
        raise GitError(f"unknown revision {rev!r}") from None


def commit_time(root: Path, rev: str, path: str) -> int | None:
    out = _git(root, "log", "-1", "--format=%ct", rev, "--", path or ".").strip()
    return int(out) if out else None


def export(root: Path, rev: str, path: str, dest: Path) -> Path:
    """Write the tree of `path` at `rev` into `dest` without touching the work tree; return its copy of `path`.

    The blobs exactly as committed, read with ls-tree and cat-file: not `git archive`, which obeys
    the archived commit's own .gitattributes, so a commit could leave files out of what `diff` and
    `build --rev` see (`export-ignore`) or change their text (`export-subst`) while a checkout
    publishes them. A link is written as a link (so `check` refuses it as it would in the work
    tree); submodules are left out. Paths come from git, which refuses `..` and absolute ones;
    they are checked again before any is joined."""
    commit = resolve(root, rev)
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", path or ".", binary=True)
    entries: dict[str, tuple[str, str]] = {}
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, name = record.split(b"\t", 1)
        mode, kind, sha = meta.decode("ascii").split()
        relative = os.fsdecode(name)
        if relative.startswith("/") or any(p in ("", ".", "..") for p in relative.split("/")):
            raise GitError(f"{rev} holds a path gongkai will not write: {relative!r}")
        if kind == "blob":
            if relative in entries:
                raise GitError(f"{rev} holds {relative!r} twice: a malformed tree (git fsck refuses it)")
            entries[relative] = (mode, sha)
    # A tree git itself refuses (fsck: duplicateEntries) can hold a link `zz` and a folder `zz/`:
    # writing `zz/x` after the link would write wherever it points. No entry may sit under another.
    for relative in entries:
        parent = relative.rpartition("/")[0]
        while parent:
            if parent in entries:
                raise GitError(f"{rev} holds both {parent!r} and {relative!r}: a malformed tree "
                               "(git fsck refuses it); nothing was written")
            parent = parent.rpartition("/")[0]
    blobs = cat_blobs(root, {sha for _, sha in entries.values()})
    if len(blobs) != len({sha for _, sha in entries.values()}):
        raise GitError(f"some files of {rev} are not in this clone (a partial or shallow clone?)")
    dest = dest.resolve()
    for relative, (mode, sha) in sorted(entries.items()):
        target = dest.joinpath(*relative.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            os.symlink(os.fsdecode(blobs[sha]), target)
        else:  # O_EXCL | O_NOFOLLOW: never through anything already there
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(fd, "wb") as out:
                out.write(blobs[sha])
    target = dest / path if path else dest
    # The folder itself may be a link in the commit (`content -> /home/…/draft`): check refuses links
    # only inside content, so this one would make diff and --rev read a folder outside git.
    if target.is_symlink() or not target.resolve().is_relative_to(dest):
        raise GitError(f"{path or '.'} is a symbolic link at {rev}; gongkai reads content only from the commit")
    if not target.is_dir():
        raise GitError(f"{path or '.'} does not exist at {rev}")
    return target


def cat_blobs(root: Path, shas: set[str]) -> dict[str, bytes]:
    """The contents of many blobs, by id, from one `git cat-file --batch`; a blob this clone does
    not have (a shallow clone) is left out, for the caller to decide."""
    order = sorted(shas)
    if not order:
        return {}
    try:
        proc = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input="".join(f"{s}\n" for s in order).encode(),
                              capture_output=True, timeout=300)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError("git cat-file took longer than 5 minutes") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip() or "git cat-file failed")
    out, at, blobs = proc.stdout, 0, {}
    for sha in order:
        end = out.index(b"\n", at)
        header = out[at:end].split(b" ")
        at = end + 1
        if len(header) < 3:  # "<id> missing"
            continue
        size = int(header[2])
        blobs[sha] = out[at:at + size]
        at += size + 1
    return blobs
