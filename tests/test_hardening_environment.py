"""Issue 17, the machine and the network: missing fonts or Pagefind, permissions, a full disk, and `serve`.

Each failure is provoked the real way, in a subprocess where the state is per process
(fontconfig's configuration, the installed packages, the user id, a file size limit):
no Python function is replaced.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import ROOT, tree_snapshot

BUILD_PY = str(ROOT / "build.py")
CRASH_SIGNS = ("Traceback", "Segmentation fault", "internal error", "a bug in gongkai", "CRITICAL")


def build_py(*args: str, cwd: Path, env: dict | None = None, python: str = sys.executable,
             preexec_fn=None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([python, BUILD_PY, *args], cwd=cwd, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=timeout, preexec_fn=preexec_fn)


def assert_honest_failure(done: subprocess.CompletedProcess) -> None:
    """Exit 1 with `error:` lines, and nothing that looks like a crash."""
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "error:" in done.stderr
    for sign in CRASH_SIGNS:
        assert sign not in done.stderr, done.stderr


def folder_state(parent: Path) -> dict[str, bytes]:
    """Everything under the folder that holds output/ (its staging and cache siblings included)."""
    return tree_snapshot(parent)


@pytest.fixture
def built(scratch, cli):
    """The scratch site built once without PDFs into scratch.root/site/output: what a failed build must keep."""
    output = scratch.root / "site" / "output"
    assert cli("build", "--no-pdf", "--content", str(scratch.content), "--output", str(output)).code == 0
    return output


# Class 14: a machine without the fonts print.css needs, or without Pagefind.

def no_fonts_config(folder: Path) -> dict[str, str]:
    """A fontconfig set-up that finds no font at all: a configuration naming one empty folder."""
    (folder / "fonts").mkdir()
    config = folder / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
                      f'<dir>{folder / "fonts"}</dir><cachedir>{folder / "fc-cache"}</cachedir></fontconfig>\n')
    return {"FONTCONFIG_FILE": str(config), "XDG_CACHE_HOME": str(folder / "cache")}


def test_a_machine_without_the_cjk_fonts_is_told_what_to_install(scratch, built, tmp_path):
    before, env = folder_state(built.parent), no_fonts_config(tmp_path)
    done = build_py("build", "--jobs", "1", "--content", str(scratch.content), "--output", str(built),
                    cwd=scratch.root, env=env)
    assert_honest_failure(done)
    assert "fonts-noto-cjk" in done.stderr and "Noto Serif CJK SC" in done.stderr
    assert "make site" in done.stderr
    assert folder_state(built.parent) == before
    # Pages alone need no font: the preview still builds.
    assert build_py("build", "--no-pdf", "--content", str(scratch.content), "--output", str(built),
                    cwd=scratch.root, env=env).returncode == 0


def python_without_pagefind(folder: Path) -> str:
    """A virtual environment with every installed package but Pagefind's (`pip uninstall`, without touching
    the shared one): each entry of site-packages is linked, except pagefind and pagefind_bin_extended."""
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    mine = Path(sysconfig.get_paths()["purelib"])
    theirs = venv / mine.relative_to(Path(sys.prefix))
    for entry in mine.iterdir():
        if not entry.name.lower().startswith("pagefind") and not (theirs / entry.name).exists():
            (theirs / entry.name).symlink_to(entry)
    python = str(venv / "bin" / "python")
    found = subprocess.run([python, "-c", "import jinja2, weasyprint, importlib.util as u; "
                            "print(u.find_spec('pagefind_bin_extended'))"], capture_output=True, text=True)
    assert found.stdout.strip() == "None", found
    return python


def test_a_machine_without_pagefind_is_told_what_to_install_before_any_work(scratch, built, tmp_path):
    before = folder_state(built.parent)
    done = build_py("build", "--jobs", "1", "--content", str(scratch.content), "--output", str(built),
                    cwd=scratch.root, python=python_without_pagefind(tmp_path))
    assert_honest_failure(done)
    assert "pagefind_bin_extended" in done.stderr and "make site" in done.stderr
    assert folder_state(built.parent) == before
