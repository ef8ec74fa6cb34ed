"""Paired whole-process timing: A B A B …, medians, and the ratio A/B pair by pair.

This machine's speed drifts (a third within a minute, at times), so two
commands are never timed far apart: A and B run in turn, and each pair gives
one ratio A/B; the table quotes the median ratio and its min and max. A run
is one or more whole processes one after another (Hugo, then Pagefind),
started from a clean state prepared untimed (`Side.before`).

For each run: wall seconds (monotonic clock around the processes), CPU
seconds (user + system of the processes and every descendant they waited
for, from wait4), and peak RSS: the largest single process, from wait4 and
from sampling the process tree every 100 ms (psutil), which also gives the
peak of each program by name (python, pagefind, hugo).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


@dataclass
class Side:
    """One side of a pair: processes run one after another, timed together."""

    label: str
    steps: list[list[str]]
    before: Callable[[int], None] | None = None  # untimed, given the run's number: clean, edit
    after: Callable[[int], dict] | None = None  # untimed: figures of the run (e.g. files re-made)
    output: Path | None = None  # counted (files, MB) after the last run
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_mb: int
    peaks: dict[str, int]  # program name -> its largest process, MB
    extra: dict = field(default_factory=dict)


def program(name: str) -> str:
    """A process's program, as the table groups them (python3.11 -> python, pagefind_extended -> pagefind)."""
    for known in ("python", "pagefind", "hugo"):
        if name.startswith(known):
            return known
    return name


def run_process(argv: list[str], env: dict[str, str]) -> Sample:
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **env})
    peaks: dict[str, int] = {}
    done = threading.Event()

    def sample() -> None:
        try:
            root = psutil.Process(proc.pid)
            while not done.wait(0.1):
                for p in [root, *root.children(recursive=True)]:
                    try:
                        name, rss = program(p.name()), p.memory_info().rss
                    except psutil.Error:
                        continue
                    peaks[name] = max(peaks.get(name, 0), rss)
        except psutil.Error:
            pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = proc.stderr.read() if proc.stderr else b""  # read as it comes: a full pipe would stall the build
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        text = stderr.decode("utf-8", "replace")[-2000:]
        raise SystemExit(f"{' '.join(argv)} failed ({os.waitstatus_to_exitcode(status)}):\n{text}")
    waited = usage.ru_maxrss * 1024  # kB; the largest of the process and the descendants it waited for
    mb = {name: rss // MB for name, rss in peaks.items()}
    return Sample(wall, usage.ru_utime + usage.ru_stime, max(waited, *peaks.values(), 0) // MB, mb)


def run_side(side: Side, number: int) -> Sample:
    if side.before:
        side.before(number)
    total = Sample(0.0, 0.0, 0, {})
    for argv in side.steps:
        one = run_process(argv, side.env)
        total.wall += one.wall
        total.cpu += one.cpu
        total.peak_mb = max(total.peak_mb, one.peak_mb)
        for name, mb in one.peaks.items():
            total.peaks[name] = max(total.peaks.get(name, 0), mb)
    if side.after:
        total.extra = side.after(number)
    return total


def outputs(folder: Path) -> dict:
    """Files and MB under a folder (what a build wrote)."""
    files, size = 0, 0
    for path, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(path, name)).st_size
    return {"files": files, "mb": round(size / MB, 1)}


def spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summary(side: Side, samples: list[Sample]) -> dict:
    peaks: dict[str, int] = {}
    for s in samples:
        for name, mb in s.peaks.items():
            peaks[name] = max(peaks.get(name, 0), mb)
    out = {"label": side.label, "runs": len(samples), "wall_s": spread([s.wall for s in samples]),
           "cpu_s": spread([s.cpu for s in samples]), "peak_rss_mb": max(s.peak_mb for s in samples),
           "peak_rss_mb_by_program": peaks, "each": [s.extra for s in samples if s.extra]}
    if side.output is not None and side.output.is_dir():
        out["output"] = outputs(side.output)
    return out


def progress(label: str, number: int, sample: Sample, warmup: bool) -> None:
    import sys

    note = " (warm-up)" if warmup else ""
    print(f"  {label}: run {number + 1}{note} {sample.wall:.2f} s, CPU {sample.cpu:.2f} s, "
          f"peak {sample.peak_mb} MB", file=sys.stderr, flush=True)


def pair(a: Side, b: Side, runs: int, warmup: int = 0) -> dict:
    """A and B in turn, `warmup` pairs uncounted then `runs` pairs; ratios A/B pair by pair."""
    kept_a, kept_b = [], []
    for n in range(warmup + runs):
        sample_a = run_side(a, n)
        progress(a.label, n, sample_a, n < warmup)
        sample_b = run_side(b, n)
        progress(b.label, n, sample_b, n < warmup)
        if n >= warmup:
            kept_a.append(sample_a)
            kept_b.append(sample_b)
    return {"kind": "pair", "a": summary(a, kept_a), "b": summary(b, kept_b),
            "wall_ratio": spread([x.wall / y.wall for x, y in zip(kept_a, kept_b, strict=True)]),
            "cpu_ratio": spread([x.cpu / y.cpu for x, y in zip(kept_a, kept_b, strict=True)])}


def single(a: Side, runs: int) -> dict:
    """One side alone (too long to pair): its runs, no ratio."""
    kept = []
    for n in range(runs):
        kept.append(run_side(a, n))
        progress(a.label, n, kept[-1], False)
    return {"kind": "single", "a": summary(a, kept)}
