"""A Dask cluster as docs/scale.md starts it: a scheduler and workers as processes of their own.

They run from `.venv/bin/dask` in a folder outside the checkout and without PYTHONPATH, as on a
worker machine, so they find gongkai only because `make` installed it into the virtualenv. A
scheduler that is not there, or a worker that does not run this gongkai, is said as what it is.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import CONTENT, ROOT, reproducible, tree_snapshot

VENV_BIN = Path(sys.executable).parent
DASK = VENV_BIN / "dask"
STARTUP_SECONDS = 120  # a loaded machine imports Dask slowly; a working cluster is up in seconds


def clean_env() -> dict[str, str]:
    """The environment of a process started by hand on a worker machine: no PYTHONPATH."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("DASK_")}


class Cluster:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        self.log_files: list = []
        self.address = ""

    def start(self, *command: str | Path, env: dict[str, str] | None = None, name: str) -> None:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - closed by stop()
        self.log_files.append(log)
        self.processes.append(subprocess.Popen([str(part) for part in command], cwd=self.folder, env=env or clean_env(),
                                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True))

    def scheduler(self) -> None:
        info = self.folder / "scheduler.json"
        self.start(DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                   "--scheduler-file", info, name="scheduler")
        deadline = time.monotonic() + STARTUP_SECONDS
        while not info.exists() or not info.read_text(encoding="utf-8").strip():
            assert time.monotonic() < deadline and self.processes[0].poll() is None, self.logs()
            time.sleep(0.2)
        self.address = json.loads(info.read_text(encoding="utf-8"))["address"]

    def worker(self, *command: str | Path, env: dict[str, str] | None = None) -> None:
        """A worker as docs/scale.md starts one; `command` another way of starting one."""
        command = command or (DASK, "worker", "--nworkers", "1", "--nthreads", "1")
        self.start(*command, self.address, "--host", "127.0.0.1", "--no-dashboard", "--local-directory", self.folder,
                   env=env, name=f"worker-{len(self.processes)}")

    def wait_for_workers(self, count: int) -> None:
        """Until exactly `count` workers are connected (one that was stopped has left)."""
        from distributed import Client

        deadline = time.monotonic() + STARTUP_SECONDS
        with Client(self.address, timeout="30s") as client:
            while len(client.scheduler_info(n_workers=-1)["workers"]) != count:
                assert time.monotonic() < deadline, self.logs()
                time.sleep(0.2)

    def stop_workers(self) -> None:
        self.stop(self.processes[1:])
        del self.processes[1:]

    def logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
                         for log in sorted(self.folder.glob("*.log")))

    def stop(self, processes: list[subprocess.Popen] | None = None) -> None:
        processes = self.processes if processes is None else processes
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def close(self) -> None:
        self.stop()
        for log in self.log_files:
            log.close()


@contextmanager
def cluster(folder: Path) -> Iterator[Cluster]:
    folder.mkdir(parents=True, exist_ok=True)
    running = Cluster(folder)
    try:
        running.scheduler()
        yield running
    finally:
        running.close()


def build(*args: str | Path) -> subprocess.CompletedProcess:
    """`build.py build` as the recipe runs it on the build machine, in English for the assertions."""
    return subprocess.run([sys.executable, ROOT / "build.py", "--lang", "en", "build", *map(str, args)],
                          cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=600)


def test_gongkai_is_installed_in_its_virtualenv(tmp_path):
    # What the workers rely on: the venv's python imports this checkout's builder from any folder.
    found = subprocess.run([sys.executable, "-c", "import builder; print(builder.__file__)"], cwd=tmp_path,
                           env=clean_env(), capture_output=True, text=True)
    assert found.returncode == 0, f"gongkai is not installed in {VENV_BIN.parent}: run make\n{found.stderr}"
    assert Path(found.stdout.strip()).resolve() == (ROOT / "builder" / "__init__.py").resolve()


def test_a_scheduler_and_two_workers_build_the_seed_as_a_local_build(tmp_path):
    # Without PDFs: the seed's 13 PDFs would add half a minute of both cores to the suite, and
    # test_parallel.py already builds PDFs on Dask workers (a local cluster) byte for byte.
    from builder.base.parallel import Serial
    from builder.pipeline import build_site

    with cluster(tmp_path / "cluster") as running:
        running.worker()
        running.worker()
        running.wait_for_workers(2)
        done = build("--content", CONTENT, "--output", tmp_path / "out", "--no-pdf", "--scheduler", running.address)
        assert done.returncode == 0, done.stderr + running.logs()
    assert "Traceback" not in done.stderr
    local = build_site(CONTENT, tmp_path / "local", pdfs=False, runner=Serial())
    assert local.site is not None
    assert reproducible(tree_snapshot(tmp_path / "out")) == reproducible(tree_snapshot(tmp_path / "local"))


def test_a_scheduler_that_is_not_there_is_said_at_once(cli, scratch):
    with socket.socket() as unused:  # a port nothing listens on: bound, never listening
        unused.bind(("127.0.0.1", 0))
        address = "tcp://127.0.0.1:%d" % unused.getsockname()[1]
        run = cli("--lang", "en", "build", "--no-pdf", "--scheduler", address, cwd=scratch.root)
    assert run.code == 1
    assert f"error: cannot reach the Dask scheduler {address}: nothing listens there" in run.err
    assert "hint: start the scheduler on that machine first: `.venv/bin/dask scheduler --port" in run.err
    run = cli("--lang", "en", "build", "--no-pdf", "--scheduler", "http://127.0.0.1:8786", cwd=scratch.root)
    assert run.code == 1 and "unknown scheme `http://`" in run.err and "tcp://HOST:PORT" in run.err
    run = cli("--lang", "en", "build", "--no-pdf", "--scheduler", "tcp://127.0.0.1", cwd=scratch.root)
    assert run.code == 1 and "it has no port" in run.err
    assert not (scratch.root / "output").exists()


def test_a_worker_without_gongkai_or_with_another_builder_is_refused(tmp_path, scratch, cli):
    # Another checkout's builder, one byte apart, first on that worker's path.
    other = tmp_path / "other"
    shutil.copytree(ROOT / "builder", other / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    init = other / "builder" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace("gongkai:", "gongkai;", 1), encoding="utf-8")
    site_packages = next((VENV_BIN.parent / "lib").glob("python3*/site-packages"))
    command = ("build", "--no-pdf", "--scheduler")
    with cluster(tmp_path / "cluster") as running:
        # The venv's packages without its .pth files (-S): Dask is there, gongkai's install is not,
        # as on a machine where `make site` was never run.
        running.worker(VENV_BIN / "python", "-S", "-m", "distributed.cli.dask_worker", "--no-nanny", "--nthreads", "1",
                       env={**clean_env(), "PYTHONPATH": str(site_packages)})
        running.wait_for_workers(1)
        without = cli("--lang", "en", *command, running.address, cwd=scratch.root)
        running.stop_workers()
        running.wait_for_workers(0)
        running.worker(DASK, "worker", "--no-nanny", "--nthreads", "1", env={**clean_env(), "PYTHONPATH": str(other)})
        running.wait_for_workers(1)
        another = cli("--lang", "en", *command, running.address, cwd=scratch.root)
    assert without.code == 1 and "Traceback" not in without.err and "bug" not in without.err
    assert "cannot import gongkai (No module named 'builder')" in without.err, without.err
    assert another.code == 1 and "Traceback" not in another.err
    assert "does not run this machine's gongkai: builder is " in another.err, another.err
    assert "hint: on that machine, check out the same commit of gongkai" in another.err
    assert not (scratch.root / "output").exists()
