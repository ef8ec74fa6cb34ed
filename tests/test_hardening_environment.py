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
from conftest import ROOT, SYSTEM_TEMPORARY, tree_snapshot

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


# Class 16: `serve` answers only files inside the folder it serves, and fails to start cleanly.

@pytest.fixture
def served(scratch):
    """A real DevServer on an ephemeral port, with a secret beside the folder it serves and links out of it."""
    from builder.commands.serve import DevServer
    from builder.pipeline import DEFAULT_THEMES

    dev = DevServer(scratch.content, DEFAULT_THEMES, port=0, interval=60)
    dev.start()
    outside = dev.site_dir.parent
    (outside / "secret.html").write_text("<body>TOPSECRET</body>", encoding="utf-8")
    (outside / "secret.txt").write_text("TOPSECRET", encoding="utf-8")
    (dev.site_dir / "link.html").symlink_to(outside / "secret.html")
    (dev.site_dir / "link.txt").symlink_to(outside / "secret.txt")
    (dev.site_dir / "linked-folder").symlink_to(outside, target_is_directory=True)
    yield dev
    dev.stop()


def raw_get(port: int, target: bytes) -> tuple[int, bytes]:
    """Send one request line as it is (http.client would normalise it); the status and the body."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(b"GET " + target + b" HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    if not answer:
        return 0, b""  # the server closed the connection without answering
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


OUTSIDE = [b"/../secret.html", b"/../secret.txt", b"/%2e%2e/secret.html", b"/%2E%2E%2Fsecret.txt",
           b"/..%2fsecret.html", b"/2022/../../secret.html", b"/..\\..\\secret.html", b"/%2e%2e%5csecret.txt",
           b"//" + str(ROOT / "README.md").encode(), b"http://127.0.0.1/../secret.html",
           b"/link.html", b"/link.txt", b"/linked-folder/secret.html", b"/linked-folder/secret.txt",
           b"/linked-folder/"]
REJECTED_NAMES = [b"/index%00.html", b"/static/style%00.css", b"/%00", b"/" + b"a" * 300 + b".html",
                  b"/" + b"a" * 300 + b".css", b"/" + b"a/" * 3000 + b"x.html", b"/%ff.html", b"/%ff%fe/x.css",
                  b"/index.html%00", b"/%c0%ae%c0%ae/secret.html"]


def test_serve_answers_only_files_inside_the_folder_it_serves(served, capfd):
    port = served.httpd.server_port
    assert raw_get(port, b"/index.html")[0] == 200 and raw_get(port, b"/static/style.css")[0] == 200
    answers = {target: raw_get(port, target) for target in OUTSIDE + REJECTED_NAMES}
    wrong = {target: (status, body[:80]) for target, (status, body) in answers.items()
             if status != 404 or b"TOPSECRET" in body}
    assert not wrong, {t[:60]: v for t, v in wrong.items()}
    assert raw_get(port, b"/index.html")[0] == 200  # still serving
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Error" not in err, err


def test_serve_shows_content_errors_escaped_in_the_page(served, scratch):
    from conftest import PROJECT

    scratch.project().write_text(PROJECT.replace("total: 100000.00", 'total: "<script>alert(1)</script>"'),
                                 encoding="utf-8")
    assert served.rebuild_if_changed()
    status, body = raw_get(served.httpd.server_port, b"/index.html")
    assert status == 200 and "内容有错误".encode() in body
    assert b"&#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27; is not an amount" in body
    assert b"<script>alert(1)" not in body


def serve_py(*args: str, cwd: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, BUILD_PY, "serve", *args], cwd=cwd, env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_serve_binds_to_loopback_unless_told_and_fails_to_start_cleanly(scratch, tmp_path):
    import socket

    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {"TMPDIR": str(temp)}
    # A port in use: one error naming it, and no temporary folder left behind.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = serve_py("--port", str(port), cwd=scratch.root, env=env)
        out, err = done.communicate(timeout=60)
    assert done.returncode == 1 and f"127.0.0.1:{port}" in err and "in use" in err, err
    assert not any(sign in err for sign in CRASH_SIGNS), err
    assert list(temp.iterdir()) == []
    # Ports that do not exist are usage errors, not a crash.
    for port in ("70000", "-1"):
        done = serve_py("--port", port, cwd=scratch.root, env=env)
        err = done.communicate(timeout=60)[1]
        assert done.returncode == 2 and "0 to 65535" in err and "Traceback" not in err, err
    assert list(temp.iterdir()) == []
    # --bind: another address than the default 127.0.0.1, shown in the URL and answering there.
    proc = serve_py("--port", "0", "--bind", "127.0.0.2", cwd=scratch.root, env=env)
    try:
        line = proc.stdout.readline()
        while line and not line.startswith("serving "):
            line = proc.stdout.readline()
        assert line.startswith("serving http://127.0.0.2:"), (line, proc.stderr.read() if not line else "")
        port = int(line.split()[1].rsplit(":", 1)[1].split("/")[0])
        with socket.create_connection(("127.0.0.2", port), timeout=10):
            pass
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=10).close()
    finally:
        proc.terminate()
        err = proc.communicate(timeout=30)[1]
    assert proc.returncode == 0 and "Traceback" not in err
    assert list(temp.iterdir()) == []


def test_devserver_listens_on_loopback_by_default(scratch):
    from builder.commands.serve import DevServer
    from builder.pipeline import DEFAULT_THEMES

    dev = DevServer(scratch.content, DEFAULT_THEMES, port=0)
    try:
        assert dev.httpd.server_address[0] == "127.0.0.1"
    finally:
        dev.stop()
    assert not dev.site_dir.parent.exists()


# Class 15: the system's refusals (permissions, a full disk) are reported as what they are, with the path.

AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


@pytest.fixture
def shared_site(scratch):
    """The scratch site in a folder the user nobody may enter (pytest's tmp_path is root's alone)."""
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="gongkai-perm-", dir=SYSTEM_TEMPORARY))
    os.chmod(root, 0o755)
    shutil.copytree(scratch.content, root / "content")
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            os.chmod(os.path.join(dirpath, name), 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)
    (root / "writable").mkdir(mode=0o777)
    os.chmod(root / "writable", 0o777)
    yield root
    shutil.rmtree(root)


def as_nobody(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    if os.geteuid() != 0:
        pytest.skip("needs root, to drop to the user nobody")
    return subprocess.run([*AS_NOBODY, sys.executable, BUILD_PY, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "HOME": str(cwd / "writable"), "TMPDIR": str(SYSTEM_TEMPORARY),
                                            "XDG_CACHE_HOME": str(cwd / "writable" / "cache")})


def test_permission_denied_names_the_path(shared_site):
    project = shared_site / "content" / "2022" / "100001" / "projects" / "P001.yaml"
    os.chmod(project, 0o600)  # root's alone
    done = as_nobody("check", "--content", "content", cwd=shared_site)
    assert_honest_failure(done)
    assert "content/2022/100001/projects/P001.yaml:1:1: error: cannot read the file: permission denied" \
        in done.stderr, done.stderr
    os.chmod(project, 0o644)
    # An output folder whose parent nobody may write into.
    (shared_site / "locked").mkdir(mode=0o755)
    done = as_nobody("build", "--no-pdf", "--no-cache", "--content", "content", "--output", "locked/output",
                     cwd=shared_site)
    assert_honest_failure(done)
    assert "error: locked: permission denied" in done.stderr, done.stderr
    assert list((shared_site / "locked").iterdir()) == []
    # A cache folder nobody may write into; the output folder is writable.
    done = as_nobody("build", "--no-pdf", "--content", "content", "--output", "writable/output",
                     "--cache", "locked/cache", cwd=shared_site)
    assert_honest_failure(done)
    assert "locked/cache" in done.stderr and "permission denied" in done.stderr, done.stderr
    assert not (shared_site / "writable" / "output").exists()
    # A privileged port, for a user who may not listen on it.
    if int(Path("/proc/sys/net/ipv4/ip_unprivileged_port_start").read_text()) > 80:
        done = as_nobody("serve", "--content", "content", "--port", "80", cwd=shared_site)
        assert_honest_failure(done)
        assert "error: cannot listen on 127.0.0.1:80: permission denied" in done.stderr, done.stderr


@pytest.fixture
def tiny_disk(tmp_path):
    """A 200 kB file system (tmpfs), which a build of the scratch site fills."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr!r}")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_is_reported_as_one(scratch, tiny_disk):
    done = build_py("build", "--no-pdf", "--content", str(scratch.content), "--output", str(tiny_disk / "output"),
                    "--no-cache", cwd=scratch.root)
    assert_honest_failure(done)
    assert "no space left" in done.stderr and "disk/" in done.stderr, done.stderr
    assert list(tiny_disk.iterdir()) == []  # no half-written staging folder left on it


def test_serve_shows_a_refused_write_as_what_it_is_not_as_a_bug(served, scratch):
    import shutil

    from conftest import PROJECT

    folder = served.site_dir.parent
    shutil.rmtree(folder)
    folder.write_text("a file where serve's folder was")  # the next rebuild cannot write its site
    try:
        scratch.project().write_text(PROJECT.replace("name: 测试项目", "name: 改过的项目"), encoding="utf-8")
        served._watch_once()
        status, body = raw_get(served.httpd.server_port, b"/index.html")
    finally:
        folder.unlink()
    assert status == 200 and "内容有错误".encode() in body
    # The folder by its name: shown relative to the current folder when that is shorter (a checkout in /tmp).
    assert b"internal error" not in body and f"{folder.name}:1:1: error: File exists".encode() in body, body
