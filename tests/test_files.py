"""base/files.py: files written whole or not at all, and hashed as they are written."""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from builder.base.files import HashingWriter, write_atomic, write_new


def test_write_atomic_replaces_the_file_and_leaves_nothing_beside_it(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old")
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["a.yaml"]
    assert path.stat().st_mode & 0o777 == 0o644 & ~_umask()


def test_write_atomic_replaces_a_planted_link_and_never_writes_through_it(tmp_path):
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    path = tmp_path / "a.yaml"
    path.symlink_to(victim)
    write_atomic(path, b"new")
    assert not path.is_symlink() and path.read_bytes() == b"new"
    assert victim.read_bytes() == b"keep"


def test_a_failed_write_atomic_keeps_the_old_file_and_removes_its_temporary(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["a.yaml"]


def test_write_new_never_overwrites_a_file_a_link_or_a_broken_link(tmp_path):
    path = tmp_path / "a.yaml"
    write_new(path, b"first")
    assert path.read_bytes() == b"first"
    with pytest.raises(FileExistsError):
        write_new(path, b"second")
    assert path.read_bytes() == b"first"
    dangling = tmp_path / "b.yaml"
    dangling.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(FileExistsError):
        write_new(dangling, b"x")
    assert not (tmp_path / "elsewhere").exists()
    assert sorted(os.listdir(tmp_path)) == ["a.yaml", "b.yaml"]


def test_hashing_writer_gives_the_size_and_sha256_of_what_went_through():
    out = io.BytesIO()
    writer = HashingWriter(out)
    for chunk in (b"\xe9\xa2\x84", b"", "算".encode()):
        writer.write(chunk)
    assert out.getvalue() == "预算".encode()
    assert (writer.size, writer.sha256) == (6, hashlib.sha256("预算".encode()).hexdigest())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
