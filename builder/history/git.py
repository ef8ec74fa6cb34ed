"""Git: the few questions gongkai asks of the repository its content lives in.

Content in git is the client's choice: adjustments during the year are
commits, and the history is public. Everything here runs `git` as a
subprocess (no library to install), through `run` only: one timeout and one
policy, every failure a GitError with a message a person can act on. A
caller that can do without git asks so explicitly (`work_tree_or_none`:
content outside any repository); no failure is ever swallowed. No other
module of gongkai runs git.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from builder.base.diagnostics import BuildError
from builder.base.files import write_new
from builder.base.messages import Message, msg

# One limit for every call: the longest is the one `cat-file --batch` of a province's history.
TIMEOUT_S = 300


class GitError(BuildError):
    def __init__(self, message: Message, status: int | None = None):
        super().__init__(message)
        self.status = status  # git's exit status; None when git did not run (missing, too slow)


def run(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """git's output, or GitError: git missing, too slow, or exiting with an error (its message)."""
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=TIMEOUT_S)
    except FileNotFoundError:
        raise GitError(msg("git.missing")) from None
    except subprocess.TimeoutExpired:
        raise GitError(msg("git.too_slow", command=args[0], minutes=TIMEOUT_S // 60, folder=cwd)) from None
    except OSError as exc:
        raise GitError(msg("git.cannot_run", folder=cwd, problem=exc.strerror or str(exc))) from None
    if proc.returncode != 0:
        said = proc.stderr.decode("utf-8", "replace").strip()  # git's own words, as it says them
        problem = said or msg("git.exit_status", status=proc.returncode)
        raise GitError(msg("git.failed", command=args[0], folder=cwd, problem=problem), proc.returncode)
    return proc.stdout


def text(cwd: Path, *args: str) -> str:
    return run(cwd, *args).decode("utf-8", "replace")


def work_tree_or_none(path: Path) -> tuple[Path, str] | None:
    """The repository root holding `path` and `path` relative to it (posix), or None when no folder
    from `path` up holds a `.git`: content outside any repository, which needs no git.

    A `.git` that git does not take for a repository (damaged, half copied) is a GitError, not
    "outside git": building from it without its history would publish pages without their
    修订记录 and with the wrong date, silently. So is git missing where a `.git` is."""
    path = path.resolve()
    try:
        root = Path(text(path, "rev-parse", "--show-toplevel").strip()).resolve()
    except GitError as exc:
        dot_git = next((folder / ".git" for folder in (path, *path.parents) if os.path.lexists(folder / ".git")),
                       None)
        if dot_git is None:
            return None
        if exc.status is None:  # git missing or stuck: the repository may be fine
            raise GitError(msg("git.in_repository", problem=exc.said, dot_git=dot_git)) from None
        raise GitError(msg("git.unreadable", dot_git=dot_git, problem=exc.said)) from None
    relative = path.relative_to(root).as_posix()
    return root, "" if relative == "." else relative


def work_tree(path: Path) -> tuple[Path, str]:
    """The repository root holding `path`, and `path` relative to it (posix)."""
    found = work_tree_or_none(path)
    if found is None:
        raise GitError(msg("git.outside", folder=path.resolve()))
    return found


def resolve_or_none(root: Path, rev: str) -> str | None:
    """The commit `rev` names, or None when it names none (an unknown name, a branch with no commit yet)."""
    if rev.startswith("-"):
        return None
    try:
        return text(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    except GitError as exc:
        if exc.status == 1:  # --verify --quiet: status 1 for a name that is not a commit
            return None
        raise


def resolve(root: Path, rev: str) -> str:
    commit = resolve_or_none(root, rev)
    if commit is None:
        raise GitError(msg("git.unknown_revision", rev=repr(rev)))
    return commit


def is_shallow(root: Path) -> bool:
    return text(root, "rev-parse", "--is-shallow-repository").strip() == "true"


def commit_time(root: Path, rev: str, path: str) -> int | None:
    out = text(root, "log", "-1", "--format=%ct", rev, "--", path or ".").strip()
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
    listing = run(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", path or ".")
    entries: dict[str, tuple[str, str]] = {}
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, name = record.split(b"\t", 1)
        mode, kind, sha = meta.decode("ascii").split()
        relative = os.fsdecode(name)
        if relative.startswith("/") or any(p in ("", ".", "..") for p in relative.split("/")):
            raise GitError(msg("git.unsafe_path", rev=rev, path=repr(relative)))
        if kind == "blob":
            if relative in entries:
                raise GitError(msg("git.path_twice", rev=rev, path=repr(relative)))
            entries[relative] = (mode, sha)
    # A tree git itself refuses (fsck: duplicateEntries) can hold a link `zz` and a folder `zz/`:
    # writing `zz/x` after the link would write wherever it points. No entry may sit under another.
    for relative in entries:
        parent = relative.rpartition("/")[0]
        while parent:
            if parent in entries:
                raise GitError(msg("git.path_under_file", rev=rev, parent=repr(parent), path=repr(relative)))
            parent = parent.rpartition("/")[0]
    blobs = cat_blobs(root, {sha for _, sha in entries.values()})
    if len(blobs) != len({sha for _, sha in entries.values()}):
        raise GitError(msg("git.blobs_missing", rev=rev))
    dest = dest.resolve()
    for relative, (mode, sha) in sorted(entries.items()):
        target = dest.joinpath(*relative.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            os.symlink(os.fsdecode(blobs[sha]), target)
        else:  # never through anything already there
            write_new(target, blobs[sha])
    target = dest / path if path else dest
    # The folder itself may be a link in the commit (`content -> /home/…/draft`): check refuses links
    # only inside content, so this one would make diff and --rev read a folder outside git.
    if target.is_symlink() or not target.resolve().is_relative_to(dest):
        raise GitError(msg("git.folder_link", path=path or ".", rev=rev))
    if not target.is_dir():
        raise GitError(msg("git.folder_missing", path=path or ".", rev=rev))
    return target


def cat_blobs(root: Path, shas: set[str]) -> dict[str, bytes]:
    """The contents of many blobs, by id, from one `git cat-file --batch`; a blob this clone does
    not have (a shallow clone) is left out, for the caller to decide."""
    order = sorted(shas)
    if not order:
        return {}
    out = run(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in order).encode())
    at, blobs = 0, {}
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
