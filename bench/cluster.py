"""The Dask cluster's scaling: full builds on a real scheduler with 1 worker, then 2, in turns.

    .venv/bin/python bench/cluster.py                          # 2,000 projects, no PDFs, 3 pairs
    .venv/bin/python bench/cluster.py --pairs 5 --keep DIR     # reuse DIR/content between runs
    .venv/bin/python bench/cluster.py --pdf-departments 2      # and 2 departments with PDFs

Starts two clusters as docs/scale.md does, each a `dask scheduler` and `dask worker --nthreads 1`
processes (one worker for A, two for B), from `.venv/bin/dask` in a folder outside the checkout
and without PYTHONPATH; then runs `build.py build --scheduler ADDRESS --no-cache` against A and B
in turns (A B A B: this machine's speed drifts within a minute, so each pair shares its drift),
and reports each side's median, min and max wall time and the median of the pairs' ratios.

Only rendering goes to the workers: loading and checking, the site-wide files, the search index
and the swap stay on the build machine, so the whole build gains less than its rendering does.
On a machine of two cores, two workers can at best give about 1.8x on the rendering alone.
`main(argv)` returns the results, for a runner that calls it (bench/run.py).
Not part of `make test`: a benchmark measures, tests assert.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402  (bench/corpus.py, beside this file)

PY = Path(sys.executable)
DASK = PY.parent / "dask"


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("DASK_")}


class Cluster:
    """A scheduler and `workers` worker processes, started as the recipe starts them."""

    def __init__(self, folder: Path, workers: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.processes, self.logs = folder, [], []
        info = folder / "scheduler.json"
        self._start(DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                    "--scheduler-file", info)
        deadline = time.monotonic() + 120
        while not info.exists() or not info.read_text(encoding="utf-8").strip():
            if time.monotonic() > deadline or self.processes[0].poll() is not None:
                raise SystemExit(f"the scheduler did not start; see {folder}")
            time.sleep(0.2)
        self.address = json.loads(info.read_text(encoding="utf-8"))["address"]
        for _ in range(workers):
            self._start(DASK, "worker", self.address, "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1",
                        "--no-dashboard", "--local-directory", folder)
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=120)

    def _start(self, *command: object) -> None:
        log = open(self.folder / f"process-{len(self.processes)}.log", "wb")  # noqa: SIM115 - closed by stop()
        self.logs.append(log)
        self.processes.append(subprocess.Popen([str(c) for c in command], cwd=self.folder, env=clean_env(),
                                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True))

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for log in self.logs:
            log.close()


def build(content: Path, output: Path, address: str, pdfs: bool) -> float:
    """One full build's wall time in seconds (output and cache deleted first)."""
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(output.parent / f".{output.name}.cache", ignore_errors=True)
    command = [PY, ROOT / "build.py", "build", "--content", content, "--output", output, "--no-cache",
               "--scheduler", address, *([] if pdfs else ["--no-pdf"])]
    start = time.perf_counter()
    done = subprocess.run([str(c) for c in command], cwd=ROOT, env=clean_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the build failed:\n{done.stderr[-3000:]}")
    return seconds


def paired(content: Path, work: Path, clusters: dict[int, Cluster], pairs: int, pdfs: bool) -> dict:
    """A B A B ...: each side's times, and the ratio (1 worker / 2 workers) of each pair."""
    times: dict[int, list[float]] = {n: [] for n in clusters}
    for _ in range(pairs):
        for n, running in clusters.items():
            times[n].append(build(content, work / f"output-{n}", running.address, pdfs))
            print(f"  {n} worker{'s' if n > 1 else ''}: {times[n][-1]:.1f} s", flush=True)
    one, two = times[min(times)], times[max(times)]
    ratios = sorted(a / b for a, b in zip(one, two, strict=True))
    return {"seconds": {str(n): {"median": statistics.median(t), "min": min(t), "max": max(t), "all": t}
                        for n, t in times.items()},
            "speedup": {"median": statistics.median(ratios), "min": ratios[0], "max": ratios[-1]}}


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--projects", type=int, default=2000, help="projects, 10 per department (default 2,000)")
    p.add_argument("--pairs", type=int, default=3, help="A B pairs of full builds")
    p.add_argument("--pdf-departments", type=int, default=0,
                   help="also build this many departments (10 projects each) with PDFs, paired the same way")
    p.add_argument("--keep", type=Path, help="work in this folder and keep it; its content/ is reused")
    p.add_argument("--json", type=Path, help="write the results here")
    args = p.parse_args(argv)
    work = args.keep.absolute() if args.keep else Path(tempfile.mkdtemp(prefix="gongkai-cluster-"))
    content = work / "content"
    if not content.exists():
        corpus.generate(content, departments=max(1, args.projects // 10), projects=10)
    clusters: dict[int, Cluster] = {}
    results: dict = {"projects": args.projects, "pairs": args.pairs, "cores": os.cpu_count()}
    try:
        for n in (1, 2):
            clusters[n] = Cluster(work / f"cluster-{n}", n)
        print(f"{args.projects} projects, no PDFs, {args.pairs} pairs:", flush=True)
        results["no_pdf"] = paired(content, work, clusters, args.pairs, pdfs=False)
        if args.pdf_departments:
            pdf_content = work / f"content-pdf-{args.pdf_departments}"
            if not pdf_content.exists():
                corpus.generate(pdf_content, departments=args.pdf_departments, projects=10, seed=2)
            print(f"{args.pdf_departments} departments with PDFs, {args.pairs} pairs:", flush=True)
            results["pdf"] = paired(pdf_content, work, clusters, args.pairs, pdfs=True)
            results["pdf_departments"] = args.pdf_departments
    finally:
        for running in clusters.values():
            running.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    for name in ("no_pdf", "pdf"):
        if name in results:
            r = results[name]
            print(f"{name}: 1 worker {r['seconds']['1']['median']:.1f} s, 2 workers {r['seconds']['2']['median']:.1f} s "
                  f"(medians); speed-up {r['speedup']['median']:.2f}x "
                  f"({r['speedup']['min']:.2f}-{r['speedup']['max']:.2f})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
