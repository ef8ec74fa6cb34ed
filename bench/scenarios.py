"""What bench/run.py measures: each scenario a pair (gongkai beside its peer) or one side alone.

| name | A | B |
|---|---|---|
| pagefind | full build, no PDFs | Hugo, then Pagefind (extended) over its output |
| hugo | full build, no PDFs | Hugo alone |
| floor | full build, no PDFs | bench/floor.py, one process |
| floor-2 | bench/floor.py, one process | bench/floor.py, two (A/B: what two cores give) |
| jobs | full build, `--jobs 1` | full build, `--jobs 2` (A/B: gongkai's speed-up) |
| noop | rebuild, nothing changed | Hugo over its last output |
| edit | one 指标值 changed, then build | the same change, then Hugo over its last output |
| pdf-build | full build with PDFs (alone: minutes a run) | |
| pdf-probe | seed-size annexes in one worker, and two workers (bench/pdf_probe.py) | |

A full build (and Hugo's) starts with its output and caches deleted; the
edit scenario also counts the files the build made again (a new inode in
the output: gongkai links the files it did not make again from the last
build). More scenarios (the Dask cluster's) join by adding a factory to
SCENARIOS and its name to a set in SETS.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import hugo_site
from pairs import ROOT, Side

PY = sys.executable


@dataclass
class Bench:
    """The work folder of one run of the benchmark, and what every scenario shares."""

    work: Path
    project_files: list[Path]
    pagefind: str  # the extended binary, as gongkai starts it
    env: dict[str, str] = field(default_factory=lambda: {"SOURCE_DATE_EPOCH": "1640995200"})

    @property
    def content(self) -> Path:
        return self.work / "content"

    @property
    def output(self) -> Path:
        return self.work / "output"

    @property
    def hugo(self) -> Path:
        return self.work / "hugo"

    def build(self, *extra: str, output: Path | None = None) -> list[str]:
        return [PY, "build.py", "build", "--content", str(self.content), "--output", str(output or self.output),
                *extra]

    def clean(self, output: Path | None = None) -> Callable[[int], None]:
        """Delete a build's output and its cache (before a full build)."""
        folder = output or self.output

        def clean(_: int) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(folder.parent / f".{folder.name}.cache", ignore_errors=True)
        return clean


@dataclass
class Scenario:
    name: str
    title: str
    a: Side
    b: Side | None = None  # None: A alone
    prepare: Callable[[], None] | None = None  # untimed, once before the first run
    finish: Callable[[], None] | None = None  # untimed, once after the last (even on failure)


@dataclass
class Probe:
    """A measurement that is not a timed process (it reports its own figures)."""

    name: str
    title: str
    run: Callable[[], dict]


def full(bench: Bench, *extra: str, label: str = "gongkai full build") -> Side:
    return Side(label, [bench.build("--no-pdf", *extra)], before=bench.clean(), output=bench.output, env=bench.env)


def hugo_full(bench: Bench, pagefind: bool) -> Side:
    steps = [hugo_site.hugo_argv(bench.hugo)]
    if pagefind:
        steps.append(hugo_site.pagefind_argv(bench.pagefind, bench.hugo))
    return Side("Hugo + Pagefind" if pagefind else "Hugo", steps,
                before=lambda _: hugo_site.clean(bench.hugo), output=bench.hugo / "public")


def pagefind_pair(bench: Bench) -> Scenario:
    return Scenario("pagefind", "full build, no PDFs, vs Hugo + Pagefind", full(bench), hugo_full(bench, True))


def hugo_pair(bench: Bench) -> Scenario:
    return Scenario("hugo", "full build vs Hugo alone", full(bench), hugo_full(bench, False))


def floor_side(bench: Bench, processes: int) -> Side:
    out = bench.work / "floor"
    return Side(f"floor, {processes} process{'es' if processes > 1 else ''}",
                [[PY, "bench/floor.py", str(bench.content), str(out), "--processes", str(processes)]],
                before=lambda _: shutil.rmtree(out, ignore_errors=True), env=bench.env)


def floor_pair(bench: Bench) -> Scenario:
    return Scenario("floor", "full build vs bench/floor.py (1 process)", full(bench), floor_side(bench, 1))


def floor_jobs(bench: Bench) -> Scenario:
    return Scenario("floor-2", "floor: 1 process vs 2 (the speed-up)", floor_side(bench, 1), floor_side(bench, 2))


def jobs_pair(bench: Bench) -> Scenario:
    return Scenario("jobs", "full build: --jobs 1 vs --jobs 2 (the speed-up)",
                    full(bench, "--jobs", "1", label="--jobs 1"), full(bench, "--jobs", "2", label="--jobs 2"))


def hugo_again(bench: Bench, before: Callable[[int], None] | None = None) -> Side:
    """Hugo over its last output: it has no incremental build outside its server, so this is its rebuild."""
    return Side("Hugo (over its output)", [hugo_site.hugo_argv(bench.hugo)], before=before)


def up_to_date(bench: Bench) -> Callable[[], None]:
    """Both outputs there before a rebuild is timed (an untimed build each: quick if they are)."""
    def prepare() -> None:
        from pairs import run_process

        run_process(bench.build("--no-pdf"), bench.env)
        run_process(hugo_site.hugo_argv(bench.hugo), {})
    return prepare


def noop_pair(bench: Bench) -> Scenario:
    return Scenario("noop", "no-op rebuild vs a Hugo build",
                    Side("gongkai no-op rebuild", [bench.build("--no-pdf")], env=bench.env), hugo_again(bench),
                    prepare=up_to_date(bench))


_TARGET = re.compile(r"(    target: '≥)(\d+)")


def inodes(folder: Path) -> dict[str, int]:
    found = {}
    for path, _, names in os.walk(folder):
        for name in names:
            full_path = os.path.join(path, name)
            found[full_path] = os.lstat(full_path).st_ino
    return found


def edit_pair(bench: Bench) -> Scenario:
    """One 指标值 (the first '≥N' target of the middle project) set to N+1, N+2, N+1 … run after run."""
    project = bench.project_files[len(bench.project_files) // 2]
    original = project.read_text(encoding="utf-8")
    found = _TARGET.search(original)
    assert found, f"no '≥N' target in {project}"
    before_build: dict[str, int] = {}

    def edit(n: int) -> None:
        value = int(found.group(2)) + 1 + n % 2
        project.write_text(original[:found.start(2)] + str(value) + original[found.end(2):], encoding="utf-8")
        before_build.clear()
        before_build.update(inodes(bench.output))

    def remade(_: int) -> dict:
        after = inodes(bench.output)
        return {"files_remade": sum(1 for path, ino in after.items() if before_build.get(path) != ino)}

    def restore() -> None:
        project.write_text(original, encoding="utf-8")
        hugo_site.write_page(bench.content, bench.hugo, project)

    return Scenario("edit", "one target edited, then build, vs Hugo",
                    Side("gongkai, one 指标值 edited", [bench.build("--no-pdf")], before=edit, after=remade,
                         env=bench.env),
                    hugo_again(bench, before=lambda _: hugo_site.write_page(bench.content, bench.hugo, project)),
                    prepare=up_to_date(bench), finish=restore)


def pdf_build(bench: Bench) -> Scenario:
    output = bench.work / "output-pdf"
    return Scenario("pdf-build", "full build with PDFs (alone)",
                    Side("gongkai full build with PDFs", [bench.build(output=output)], before=bench.clean(output),
                         output=output, env=bench.env))


def pdf_probe(bench: Bench) -> Probe:
    def run() -> dict:
        import json
        import subprocess

        import corpus

        small = bench.work / "pdf-corpus"
        shutil.rmtree(small, ignore_errors=True)
        corpus.generate(small, 2, 10)
        done = subprocess.run([PY, "bench/pdf_probe.py", str(small), "20"], cwd=ROOT, capture_output=True, text=True,
                              check=True, env={**os.environ, **bench.env})
        return {"kind": "probe", **json.loads(done.stdout)}
    return Probe("pdf-probe", "PDF annexes of seed size, one worker and two", run)


SCENARIOS: dict[str, Callable[[Bench], Scenario | Probe]] = {
    "pagefind": pagefind_pair, "hugo": hugo_pair, "floor": floor_pair, "floor-2": floor_jobs, "jobs": jobs_pair,
    "noop": noop_pair, "edit": edit_pair, "pdf-build": pdf_build, "pdf-probe": pdf_probe,
}

SETS = {
    "default": ["pagefind", "hugo", "floor", "floor-2", "jobs", "noop", "edit"],
    "large": ["pagefind"],
    "pdf": ["pdf-build", "pdf-probe"],
    "large-pdf": ["pdf-build"],  # the probe's annexes are of seed size whatever the corpus
}
