"""`build`: all or nothing. A failing build leaves the previous output/ byte-identical."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT, ROOT, reproducible, tree_snapshot

from builder.publish.staging import MARKER, OutputError, Staging
from builder.render import pages as render_html


def test_build_writes_pages_and_replaces_the_previous_output(scratch, cli):
    run = cli("build", cwd=scratch.root)
    assert run.code == 0, run.err
    output = scratch.root / "output"
    assert (output / "index.html").is_file()
    assert (output / "2022/100001/index.html").is_file()
    assert (output / "2022/100001/projects/P001.html").is_file()
    assert (output / MARKER).is_file()
    (output / "2022/100001/projects/P001.html").write_text("stale", encoding="utf-8")
    assert cli("build", cwd=scratch.root).code == 0
    assert "测试项目" in (output / "2022/100001/projects/P001.html").read_text(encoding="utf-8")
    # No temporary or retired folders are left beside it; only the build cache (cache.py).
    assert sorted(p.name for p in scratch.root.iterdir()) == [".output.cache", "content", "output"]


def test_content_error_leaves_previous_output_byte_identical(scratch, cli):
    assert cli("build", cwd=scratch.root).code == 0
    output = scratch.root / "output"
    before = tree_snapshot(output)
    scratch.project().write_text(PROJECT.replace("total: 100000.00", "total: 1.00"), encoding="utf-8")
    run = cli("build", cwd=scratch.root)
    assert run.code == 1
    assert "build stopped; output was left as it was" in run.err
    assert tree_snapshot(output) == before
    assert sorted(p.name for p in scratch.root.iterdir()) == [".output.cache", "content", "output"]


def test_render_failure_midway_leaves_previous_output_byte_identical(scratch, cli, monkeypatch):
    assert cli("build", cwd=scratch.root).code == 0
    output = scratch.root / "output"
    before = tree_snapshot(output)

    def explode(*args, **kwargs):
        raise RuntimeError("template blew up on page 37")

    monkeypatch.setattr(render_html, "indicator_table", explode)
    run = cli("build", "--no-cache", cwd=scratch.root)
    assert run.code == 1
    assert "internal error: RuntimeError: template blew up on page 37" in run.err
    assert "Traceback" not in run.err
    assert tree_snapshot(output) == before


def test_write_failure_midway_leaves_previous_output_and_no_temp_folder(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    content.mkdir()
    write_output({"index.html": b"old"}, output, content)
    before = tree_snapshot(output)
    with pytest.raises(OutputError):
        write_output({"a.html": b"new", "../escape.html": b"x"}, output, content)
    with pytest.raises(FileExistsError):  # a file where a folder must go: fails while writing
        write_output({"a": b"file", "a/b.html": b"x"}, output, content)
    assert tree_snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_killed_build_leaves_previous_output(scratch, cli):
    """A build killed mid-write (SIGKILL) never leaves a half-written output/."""
    assert cli("build", cwd=scratch.root).code == 0
    output = scratch.root / "output"
    before = tree_snapshot(output)
    code = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "import builder.publish.staging as w\n"
        "real = Path.write_bytes\n"
        "def dying(self, data):\n"
        "    real(self, data)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "Path.write_bytes = dying\n"
        "from builder.cli import main\n"
        "main(['build', '--no-cache', '--jobs', '1'])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT)], cwd=scratch.root, capture_output=True)
    assert proc.returncode == -9
    assert tree_snapshot(output) == before
    # The next build clears what the killed one left behind.
    assert cli("build", cwd=scratch.root).code == 0
    assert sorted(p.name for p in scratch.root.iterdir()) == [".output.cache", "content", "output"]


@pytest.mark.parametrize("where", ["inside content", "is content", "contains content"])
def test_output_overlapping_content_is_refused(scratch, cli, where):
    target = {"inside content": scratch.content / "out", "is content": scratch.content,
              "contains content": scratch.root}[where]
    run = cli("build", "--output", str(target), cwd=scratch.root)
    assert run.code == 1
    assert "must be outside the content folder" in run.err


def test_output_with_foreign_files_is_refused(scratch, cli):
    foreign = scratch.root / "mysite"
    foreign.mkdir()
    (foreign / "important.docx").write_bytes(b"not ours")
    run = cli("build", "--output", "mysite", cwd=scratch.root)
    assert run.code == 1
    assert "holds files gongkai did not write" in run.err
    assert (foreign / "important.docx").read_bytes() == b"not ours"


def test_colliding_output_paths_are_refused(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    with pytest.raises(OutputError, match="collide"):
        write_output({"P1.html": b"a", "p1.html": b"b"}, tmp_path / "output", content)


def test_paths_that_share_a_hash_are_still_told_apart(tmp_path, monkeypatch):
    """Paths are remembered by the hash of their folded form; with every hash equal, distinct paths
    are all written and a real collision is still refused."""
    from builder.publish import staging as write

    monkeypatch.setattr(write, "_slot", lambda key: 7)
    content = tmp_path / "content"
    content.mkdir()
    files = {"a.html": b"a", "b/c.html": b"c", "d.html": b"d"}
    write_output(files, tmp_path / "output", content)
    assert {p: (tmp_path / "output" / p).read_bytes() for p in files} == files
    with pytest.raises(OutputError, match="collide"):
        write_output({"a.html": b"a", "P1.html": b"b", "p1.html": b"c"}, tmp_path / "other", content)


def test_two_builds_are_byte_identical(scratch, tmp_path):
    env = {**os.environ, "PYTHONHASHSEED": "random", "TZ": "Asia/Shanghai", "LANG": "C"}
    outputs = []
    for n, extra in enumerate([{}, {"PYTHONHASHSEED": "123", "TZ": "UTC", "LANG": "zh_CN.UTF-8"}]):
        out = tmp_path / f"out{n}"
        subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--output", str(out)],
                       cwd=scratch.root, env={**env, **extra}, check=True, capture_output=True)
        outputs.append(reproducible(tree_snapshot(out)))
    assert len(outputs[0]) > 20 and outputs[0] == outputs[1]


def test_build_py_runs_as_a_script_and_never_shows_a_traceback(scratch):
    scratch.project().write_text("code: [\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build"], cwd=scratch.root,
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "content/2022/100001/projects/P001.yaml:2:1: error: YAML syntax error" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (scratch.root / "output").exists()


def test_output_files_are_world_readable(scratch, cli):
    assert cli("build", cwd=scratch.root).code == 0
    for path in (scratch.root / "output").rglob("*"):
        assert path.stat().st_mode & 0o777 == (0o755 if path.is_dir() else 0o644), path


def test_output_files_are_world_readable_whatever_the_umask(scratch, cli):
    """Modes are set as files are made (workers and Pagefind included), and kept by a rebuild that
    reuses most files; a reused file whose mode was changed by hand is given 0644 again."""
    previous = os.umask(0o077)
    try:
        assert cli("build", cwd=scratch.root).code == 0
        output = scratch.root / "output"
        (output / "static/style.css").chmod(0o600)  # reused by the rebuild below
        scratch.project().write_text(PROJECT.replace("测试用途。", "测试用途，改过。"), encoding="utf-8")
        assert cli("build", cwd=scratch.root).code == 0
        assert os.umask(0o077) == 0o077  # the build gave the user's umask back
    finally:
        os.umask(previous)
    modes = {p.relative_to(output).as_posix(): p.stat().st_mode & 0o777 for p in [output, *output.rglob("*")]}
    assert any(p.startswith("pagefind/") for p in modes)
    assert {p: m for p, m in modes.items() if m != (0o755 if (output / p).is_dir() else 0o644)} == {}


def test_the_marker_keeps_a_rebuild_allowed(scratch, cli, tmp_path: Path):
    assert cli("build", "--output", "site", cwd=scratch.root).code == 0
    assert cli("build", "--output", "site", cwd=scratch.root).code == 0


def test_swap_is_atomic_on_linux(tmp_path):
    """The previous output and the new one trade places in one step: no moment without output/."""
    from builder.publish.staging import _exchange

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "new").write_text("new")
    (b / "old").write_text("old")
    if sys.platform != "linux":
        pytest.skip("renameat2 is Linux only; elsewhere the two-rename swap is used")
    assert _exchange(a, b)
    assert [p.name for p in b.iterdir()] == ["new"] and [p.name for p in a.iterdir()] == ["old"]


def test_a_dead_worker_fails_the_build_cleanly(scratch, cli):
    """A rendering process killed mid-build (the OOM killer) is an error, not a build that waits forever."""
    assert cli("build", "--no-pdf", cwd=scratch.root).code == 0
    output = scratch.root / "output"
    before = tree_snapshot(output)
    code = (
        "import os, signal, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "import builder.publish.pages as p\n"
        "parent = os.getpid()\n"
        "real = p._render_pages\n"
        "def dying(state, batch):\n"
        "    if os.getpid() != parent:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(state, batch)\n"
        "p._render_pages = dying\n"
        "from builder.cli import main\n"
        "sys.exit(main(['build', '--no-pdf', '--no-cache', '--jobs', '2']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT)], cwd=scratch.root, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "a rendering process died" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert tree_snapshot(output) == before


def write_output(files: dict[str, bytes], output: Path, content: Path) -> None:
    """Write `files` (output-relative path -> bytes) as the new output folder through Staging, as a build does."""
    staging = Staging(output, content)
    try:
        for path, data in sorted(files.items()):
            staging.write(path, data)
    except BaseException:
        staging.abort()
        raise
    staging.commit()
