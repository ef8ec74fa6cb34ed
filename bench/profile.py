"""Where a build's CPU goes: py-spy samples the build and its workers; the samples are summed by stage.

    .venv/bin/python bench/profile.py -- --content C --output O --no-pdf   # record a build, then sum it
    .venv/bin/python bench/profile.py --raw build.raw                      # sum a recording again

Everything after `--` goes to `build.py build`. py-spy (requirements-dev.txt) records every
process of the build (`--subprocesses`) in its raw format, one line per distinct stack with
its sample count; it counts busy samples only, so a stage's figure is CPU seconds summed over
processes, not wall time. A forked worker's stack begins with its parent's frames at the
fork, so a worker's samples count for the stage that started it. Pagefind's indexer is not
Python: its seconds show in the build's wall time only.

Not part of `make test`: a profile measures, tests assert.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A sample counts for the deepest of these on its stack; the order is the build's.
STAGES = {
    "fingerprint": "the no-op check's fingerprint",
    "check_content": "load, validate, check, assemble",
    "site_history": "history (git)",
    "Cache.load_outputs": "the last build's list of outputs",
    "make": "the build's keys, theme, feed",
    "Build.pdfs": "PDFs",
    "Build.data": "data files",
    "Build.pages": "pages",
    "Build.finish": "search index parts, SHA256SUMS",
    "Staging.commit": "linking what was kept, the swap",
    "output_state": "listing output/ for the next no-op",
    "Cache.save": "saving the cache",
}
IMPORTS, REST, NATIVE = "imports", "the rest", "no Python frame"
# Plumbing on every stack: left out of the list of functions.
_PLUMBING = {"main", "run_build", "build_site", "Build.run", "Processes.map", "_call_with_inherited_state"}
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def read_raw(path: Path) -> list[tuple[list[tuple[str, str]], int]]:
    """(frames from the outermost, as (function, file)), samples) for each line of a raw recording."""
    stacks = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = []
        for frame in stack.split(";")[1:]:  # the first is the process
            match = _FRAME.match(frame)
            frames.append((match["function"], match["file"]) if match else (frame, ""))
        stacks.append((frames, int(count)))
    return stacks


def stage_of(frames: list[tuple[str, str]]) -> str:
    """The deepest stage on the stack; a thread's stack begins in the stage's closure (`Build.finish.<locals>`)."""
    if not frames:
        return NATIVE
    found = REST
    for depth, (function, _) in enumerate(frames):
        name = function.split(".<locals>")[0]
        if name in STAGES:
            found = name
        elif function == "<module>" and depth > 0:
            found = IMPORTS
    return found


def summarize(stacks, rate: float, top: int) -> str:
    by_stage = collections.Counter()
    inclusive = collections.Counter()
    for frames, count in stacks:
        by_stage[stage_of(frames)] += count
        for key in {f"{function} ({file})" for function, file in frames if file.startswith("builder/")
                    and function not in STAGES and function.split(".<locals>")[0] not in _PLUMBING}:
            inclusive[key] += count
    total = sum(by_stage.values())
    lines = [f"CPU sampled: {total / rate:.2f} s (all processes; Pagefind not included)", "",
             f"| {'stage':<56} | {'CPU s':>6} | {'share':>5} |", f"|{'-' * 58}|{'-' * 7}:|{'-' * 6}:|"]
    for stage in [*STAGES, IMPORTS, REST, NATIVE]:
        if by_stage[stage]:
            label = f"{STAGES[stage]} ({stage})" if stage in STAGES else stage
            lines.append(f"| {label:<56} | {by_stage[stage] / rate:>6.2f} | {by_stage[stage] / total:>5.0%} |")
    lines += ["", f"builder functions by inclusive CPU, stages and plumbing left out (top {top}):"]
    lines += [f"{count / rate:7.2f} s  {key}" for key, count in inclusive.most_common(top)]
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--raw", type=Path, help="the recording: read it if no build is given, else write it here")
    p.add_argument("--rate", type=float, default=100, help="samples per second")
    p.add_argument("--top", type=int, default=30)
    p.add_argument("build", nargs="*", help="arguments of `build.py build` (after --)")
    args = p.parse_args()
    raw = args.raw or ROOT / "bench" / "profile.raw"
    if args.build:
        spy = shutil.which("py-spy", path=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
        if not spy:
            raise SystemExit("profile: py-spy not found; `make test` installs it (requirements-dev.txt)")
        started = time.perf_counter()
        done = subprocess.run([spy, "record", "--subprocesses", "--rate", str(args.rate), "--format", "raw",
                               "--output", str(raw), "--", sys.executable, "build.py", "build", *args.build],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"profile: the build or py-spy failed ({done.returncode}):\n{done.stderr[-2000:]}")
        print(f"build: {wall:.2f} s wall under py-spy; recording: {raw}")
    elif not raw.is_file():
        raise SystemExit(f"profile: no recording at {raw}; give the build's arguments after --")
    print(summarize(read_raw(raw), args.rate, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
