"""Git: the few questions gongkai asks of the repository its content lives in.

Content in git is the client's choice: adjustments during the year are
commits, and the history is public. Everything here runs `git` as a
subprocess (no library to install) and turns its failures into GitError
messages a person can act on.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from .diagnostics import BuildError


class GitError(BuildError):
    pass


def _git(cwd: Path, *args: str, binary: bool = False, check: bool = True):
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
    """Write the tree of `path` at `rev` into `dest` without touching the work tree; return its copy of `path`."""
    commit = resolve(root, rev)
    data = _git(root, "archive", "--format=tar", commit, "--", path or ".", binary=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(dest, filter="data")  # no absolute paths, no links out, no devices
    target = dest / path if path else dest
    if not target.is_dir():
        raise GitError(f"{path or '.'} does not exist at {rev}")
    return target
