"""Issue 17, classes 5-7: output folders, builds that run at once, the build cache.

Each test is one class of hostile case (docs/red-team.md); each failed on the code before its fix.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, reproducible, tree_snapshot


# A pickle that runs code when loaded: it makes the file named by `marker`.
class _Payload:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _evil(marker: Path) -> bytes:
    return pickle.dumps(_Payload(marker))


def _sha256sums_verify(output: Path) -> None:
    """Every line of SHA256SUMS names a file that is there, with that hash; every file is listed."""
    listed = {}
    for line in (output / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        sha, name = line.split("  ", 1)
        listed[name] = sha
    for name, sha in listed.items():
        assert hashlib.sha256((output / name).read_bytes()).hexdigest() == sha, name
    on_disk = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}
    assert on_disk - {"SHA256SUMS", ".gongkai-output"} == set(listed)


# 5. Output folders --------------------------------------------------------------------------------

def test_a_refused_output_folder_creates_nothing_beside_it(scratch, cli):
    """Before: the departments were checked, and the cache written, before the output was looked at."""
    foreign = scratch.root / "output"
    foreign.mkdir()
    (foreign / "thesis.docx").write_bytes(b"someone's work")
    before = sorted(p.name for p in scratch.root.iterdir())
    run = cli("build", "--no-pdf", cwd=scratch.root)
    assert run.code == 1
    assert "holds files gongkai did not write" in run.err
    assert sorted(p.name for p in scratch.root.iterdir()) == before  # no cache, no lock, no staging
    assert (foreign / "thesis.docx").read_bytes() == b"someone's work"


def test_a_symlinked_output_folder_is_refused_never_replaced(scratch, cli):
    """Before: the swap exchanged the link itself for a folder, silently."""
    real = scratch.root / "real-site"
    assert cli("build", "--no-pdf", "--output", str(real), cwd=scratch.root).code == 0
    link = scratch.root / "output"
    link.symlink_to(real)
    run = cli("build", "--no-pdf", cwd=scratch.root)
    assert run.code == 1
    assert "is a symbolic link" in run.err and "--output" in run.err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert not (scratch.root / ".output.cache").exists()


# 6. A lock ----------------------------------------------------------------------------------------

def _build_process(root: Path, log: Path) -> subprocess.Popen:
    with open(log, "w") as stderr:  # a file, not a pipe: read while the build runs, never filling up
        return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", "--no-pdf"], cwd=root,
                                stdout=subprocess.DEVNULL, stderr=stderr)


def test_a_second_build_waits_for_the_first_and_every_published_tree_is_whole(scratch, tmp_path):
    """Before: nothing stopped two builds from interleaving; one published a SHA256SUMS listing
    files the other had replaced."""
    from builder.publish.lock import OutputLock

    output = scratch.root / "output"
    with OutputLock(output):
        log = tmp_path / "waiting.log"
        waiting = _build_process(scratch.root, log)
        deadline = time.monotonic() + 60
        message = ""
        while "waiting" not in message and time.monotonic() < deadline:
            time.sleep(0.2)
            assert waiting.poll() is None, log.read_text()
            message = log.read_text()
        assert "another build" in message and "waiting for it to finish" in message
        time.sleep(1)
        assert waiting.poll() is None  # still waiting: it made nothing meanwhile
        assert not output.exists()
        assert not list(scratch.root.glob(".output.tmp-*"))
    assert waiting.wait(120) == 0
    _sha256sums_verify(output)
    # Two at once, for real, editing between them: both succeed and what is published is whole.
    project = scratch.project()
    project.write_text(project.read_text(encoding="utf-8").replace("测试用途。", "测试用途（修订）。"),
                       encoding="utf-8")
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    builds = [_build_process(scratch.root, log) for log in logs]
    assert [b.wait(180) for b in builds] == [0, 0], [log.read_text() for log in logs]
    _sha256sums_verify(output)
    assert not list(scratch.root.glob(".output.tmp-*")) and not (scratch.root / ".output.lock").exists()


def test_leftover_staging_folders_are_removed_only_by_the_build_that_holds_the_lock(scratch, cli):
    from builder.publish.lock import OutputLock

    output = scratch.root / "output"
    assert cli("build", "--no-pdf", cwd=scratch.root).code == 0
    leftover = scratch.root / ".output.tmp-killed"
    leftover.mkdir()
    (leftover / "index.html").write_text("half", encoding="utf-8")
    with OutputLock(output):  # another build holds the output: its staging folder is left alone
        assert leftover.is_dir()
    (scratch.project()).write_text(scratch.project().read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cli("build", "--no-pdf", cwd=scratch.root).code == 0
    assert not leftover.exists()


# 7. The cache is data, not code --------------------------------------------------------------------

def test_a_planted_cache_folder_is_refused_runs_no_code_and_is_not_pruned(scratch, cli, tmp_path):
    """Before: a pickle planted as .output.cache/outputs.pickle ran when the build loaded it."""
    marker = tmp_path / "pwned"
    planted = scratch.root / ".output.cache"
    (planted / "parts" / "ab").mkdir(parents=True)
    (planted / "outputs.pickle").write_bytes(_evil(marker))
    (planted / "parts" / "ab" / "abcdef").write_bytes(_evil(marker))
    run = cli("build", "--no-pdf", cwd=scratch.root)
    assert run.code == 1
    assert "was not made by gongkai" in run.err and str(planted) in run.err
    assert not marker.exists()
    assert (planted / "parts" / "ab" / "abcdef").is_file()  # refused, not pruned
    assert not (scratch.root / "output").exists()


def test_foreign_or_corrupt_cache_entries_are_ignored_with_a_warning_never_loaded(scratch, cli, tmp_path):
    """A real cache whose files were replaced (or copied from another machine): every entry is
    sealed with this user's key, so none of them is unpickled; the build makes them again."""
    from builder.cache.seal import MAGIC
    from builder.cache.store import Cache

    assert cli("build", "--no-pdf", cwd=scratch.root).code == 0
    cache = scratch.root / ".output.cache"
    marker = tmp_path / "pwned"
    entries = [p for p in cache.rglob("*") if p.is_file() and p.name != Cache.MARKER]
    assert {p.name for p in entries} >= {"manifest.json", "outputs.pickle"}
    assert all(p.read_bytes().startswith(MAGIC) for p in entries)
    for path in entries:
        path.write_bytes(_evil(marker) if path.suffix != ".json" else b'{"manifest_version": 4}')
    scratch.project().write_text(scratch.project().read_text(encoding="utf-8") + "\n", encoding="utf-8")
    run = cli("build", "--no-pdf", cwd=scratch.root)
    assert run.code == 0, run.err
    assert not marker.exists()
    assert "were not sealed by this user's gongkai" in run.err
    clean = scratch.root / "clean"
    assert cli("build", "--no-pdf", "--no-cache", "--output", str(clean), cwd=scratch.root).code == 0
    assert reproducible(tree_snapshot(scratch.root / "output")) == reproducible(tree_snapshot(clean))
    # A sealed entry from another key (another user or machine) is foreign too.
    other = tmp_path / "other-config"
    env = {**os.environ, "XDG_CONFIG_HOME": str(other)}
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--no-pdf"], cwd=scratch.root,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "not sealed by this user's gongkai" in done.stderr
    assert (other / "gongkai" / "cache-key").stat().st_mode & 0o777 == 0o600


def test_a_cache_is_never_placed_in_content_or_output_nor_taken_from_another_user(scratch, cli):
    from builder.cache.store import Cache

    for cache, why in ((scratch.content / ".cache", "outside the content folder"),
                       (scratch.root / "output" / "cache", "outside the output folder")):
        run = cli("build", "--no-pdf", "--cache", str(cache), cwd=scratch.root)
        assert run.code == 1 and why in run.err, run.err
        assert not cache.exists()
    theirs = scratch.root / "theirs"
    theirs.mkdir()
    (theirs / Cache.MARKER).write_text("", encoding="utf-8")
    os.chown(theirs, 65534, 65534)
    run = cli("build", "--no-pdf", "--cache", str(theirs), cwd=scratch.root)
    assert run.code == 1 and "belongs to another user" in run.err


# Found by a review of the classes above ------------------------------------------------------------

def test_a_link_planted_inside_the_cache_is_removed_never_followed(scratch, cli, tmp_path):
    """Before: prune globbed through `parts -> ~/docs` and deleted the files there; writes went through it."""
    assert cli("build", "--no-pdf", cwd=scratch.root).code == 0
    cache = scratch.root / ".output.cache"
    victim = tmp_path / "victim"
    (victim / "docs").mkdir(parents=True)
    (victim / "docs" / "thesis.txt").write_text("precious", encoding="utf-8")
    for shelf in ("parts", "rows"):
        shutil.rmtree(cache / shelf, ignore_errors=True)
        (cache / shelf).symlink_to(victim)
    for entry in list((cache / "departments").iterdir()):
        shutil.rmtree(entry)
        entry.symlink_to(victim)
    scratch.project().write_text(scratch.project().read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cli("build", "--no-pdf", cwd=scratch.root).code == 0
    assert (victim / "docs" / "thesis.txt").read_text(encoding="utf-8") == "precious"
    assert sorted(p.relative_to(victim).as_posix() for p in victim.rglob("*")) == ["docs", "docs/thesis.txt"]
    assert not any((cache / path.rstrip("/")).is_symlink() for path in tree_snapshot(cache))


def test_an_output_named_with_glob_characters_removes_only_its_own_leftovers(scratch, cli):
    """Before: `--output '/x/*'` removed every `.NAME.tmp-*` and `.NAME.old-*` folder beside it."""
    others = [scratch.root / ".site.tmp-inflight", scratch.root / ".backup.old-2024"]
    for folder in others:
        folder.mkdir()
        (folder / "f").write_text("keep", encoding="utf-8")
    assert cli("build", "--no-pdf", "--no-cache", "--output", str(scratch.root / "*"), cwd=scratch.root).code == 0
    assert all((folder / "f").is_file() for folder in others)


def test_a_lock_path_that_is_not_a_file_and_an_output_spelt_with_dots(scratch, cli):
    """Before: a FIFO as the lock gave `error: Invalid argument` (no path); `out/sub/..` took another
    lock than `out` and staged inside the live output."""
    lock = scratch.root / ".output.lock"
    os.mkfifo(lock)
    run = cli("build", "--no-pdf", cwd=scratch.root)
    assert run.code == 1 and ".output.lock is not a regular file" in run.err
    lock.unlink()
    assert cli("build", "--no-pdf", cwd=scratch.root).code == 0
    from builder.publish.lock import OutputLock

    with OutputLock(scratch.root / "output"):
        log = scratch.root.parent / "dots.log"
        with open(log, "w") as stderr:
            waiting = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", "--no-pdf", "--no-cache",
                                        "--output", "output/2022/.."], cwd=scratch.root, stdout=subprocess.DEVNULL,
                                       stderr=stderr)
        deadline = time.monotonic() + 60
        while "waiting" not in log.read_text() and time.monotonic() < deadline:
            assert waiting.poll() is None, log.read_text()
            time.sleep(0.2)
        assert "waiting for it to finish" in log.read_text()
    assert waiting.wait(120) == 0, log.read_text()
    _sha256sums_verify(scratch.root / "output")


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(scratch, cli):
    """Found by review: digests were trusted on size, mtime and inode, so an edit of the same size with
    its mtime put back (touch -d, rsync -t) left the build 'up to date' with content check refuses."""
    project = scratch.project()
    assert cli("build", "--no-pdf", cwd=scratch.root).code == 0
    time.sleep(2.1)  # past the racy window: this build trusts the stamps it records
    assert cli("build", "--no-pdf", cwd=scratch.root).code == 0
    st = project.stat()
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("total: 100000.00", "total: 900000.00"), encoding="utf-8")
    os.utime(project, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert project.stat().st_size == st.st_size and project.stat().st_mtime_ns == st.st_mtime_ns
    run = cli("build", "--no-pdf", cwd=scratch.root)
    assert run.code == 1 and "up to date" not in run.out, run.out + run.err


def test_an_output_spelt_with_dots_has_its_cache_beside_the_real_folder(scratch, cli):
    """Found by review: `--output output/2022/..` waited for the lock correctly, then refused its
    default cache, worked out from the unresolved name (inside the output)."""
    assert cli("build", "--no-pdf", cwd=scratch.root).code == 0
    scratch.project().write_text(scratch.project().read_text(encoding="utf-8") + "\n", encoding="utf-8")
    run = cli("build", "--no-pdf", "--output", "output/2022/..", cwd=scratch.root)
    assert run.code == 0, run.err
    assert sorted(p.name for p in scratch.root.iterdir()) == [".output.cache", "content", "output"]
