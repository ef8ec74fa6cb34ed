"""The build benchmark: gongkai beside Hugo + Pagefind and a floor script, on one corpus, in pairs.

    make bench                                   # Hugo from Debian, then every set (--all): hours
    .venv/bin/python bench/run.py --all          # every set below in turn, each to bench/results/
    .venv/bin/python bench/run.py                # 2,000 projects: every pair, 5 runs each
    .venv/bin/python bench/run.py --large        # 20,000 projects: full build vs Hugo + Pagefind, 1 pair
    .venv/bin/python bench/run.py --pdf          # full build with PDFs (minutes), and the annex probe
    .venv/bin/python bench/run.py --only noop,edit --runs 3 --json FILE

Generates a seed-like corpus (bench/corpus.py, deterministic from --seed) and
the same corpus as a Hugo site (bench/hugo_site.py), then runs each scenario
(bench/scenarios.py) as pairs of whole processes, A B A B … (bench/pairs.py),
and prints for each the medians of wall and CPU seconds, the ratio A/B
(median, min and max of the pairs' ratios) and the peak RSS of the largest
process of each side, Pagefind's included. The results go to
bench/results/<projects>-<no-pdf|pdf>.json unless --json names a file.

--all runs every set of ALL in turn, each in a process of its own and with its
own corpus, then the Dask cluster's scaling (bench/cluster.py), and writes each
set's results; the 20,000 projects with PDFs alone take hours on two cores.
Not part of `make test`: a benchmark measures, tests assert.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402
import hugo_site  # noqa: E402
import pairs  # noqa: E402
import scenarios  # noqa: E402


def version(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip().splitlines()[0]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "not found"


def ratio(r: dict) -> str:
    return f"{r['median']:.2f}x ({r['min']:.2f}-{r['max']:.2f})"


def table(results: list[dict]) -> list[str]:
    lines = ["| scenario | A | B | A wall s | B wall s | wall A/B | A CPU s | B CPU s | CPU A/B | A peak MB | B peak MB |",
             "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    notes = []
    for r in results:
        if r["kind"] == "probe":
            continue
        a, b = r["a"], r.get("b")
        cells = [r["title"], a["label"], b["label"] if b else "", f"{a['wall_s']['median']:.2f}",
                 f"{b['wall_s']['median']:.2f}" if b else "", ratio(r["wall_ratio"]) if b else "",
                 f"{a['cpu_s']['median']:.2f}", f"{b['cpu_s']['median']:.2f}" if b else "",
                 ratio(r["cpu_ratio"]) if b else "", str(a["peak_rss_mb"]), str(b["peak_rss_mb"]) if b else ""]
        lines.append("| " + " | ".join(cells) + " |")
        for side in (a, b) if b else (a,):
            by_program = sorted(side["peak_rss_mb_by_program"].items(), key=lambda item: -item[1])
            said = ["peak MB by program: " + ", ".join(f"{name} {mb}" for name, mb in by_program)]
            if "output" in side:
                said.insert(0, f"wrote {side['output']['files']} files, {side['output']['mb']} MB")
            remade = [e["files_remade"] for e in side["each"] if "files_remade" in e]
            if remade:
                said.insert(0, f"files made again {remade}")
            notes.append(f"- {r['name']}, {side['label']}: " + "; ".join(said))
    return lines + [""] + notes


def probe_lines(probe: dict) -> list[str]:
    return [f"PDF annexes ({probe['annexes']}, one worker, warmed up): median {probe['median_s_per_annex']:.3f} s "
            f"(min {probe['min_s']:.3f}, max {probe['max_s']:.3f}), {probe['median_bytes'] / 1024:.0f} kB; "
            f"plain WeasyPrint on the same HTML {probe['plain_weasyprint_median_s']:.3f} s, "
            f"{probe['plain_median_bytes'] / 1024:.0f} kB; gongkai {probe['ratio_to_plain']:.2f}x plain",
            f"two workers {probe['speedup']:.2f}x one (rounds: {', '.join(f'{x:.2f}' for x in probe['speedups'])}); "
            f"a pure-Python loop, same pools, same rounds: {probe['cpu_speedup']:.2f}x "
            f"({', '.join(f'{x:.2f}' for x in probe['cpu_speedups'])})"]


def run(item: scenarios.Scenario | scenarios.Probe, runs: int, warmup: int, pdf_runs: int) -> dict:
    print(f"{item.name}: {item.title}", file=sys.stderr, flush=True)
    if isinstance(item, scenarios.Probe):
        return {"name": item.name, "title": item.title, **item.run()}
    try:
        if item.prepare:
            item.prepare()
        if item.b is None:
            done = pairs.single(item.a, pdf_runs)
        else:
            done = pairs.pair(item.a, item.b, runs, warmup)
    finally:
        if item.finish:
            item.finish()
    return {"name": item.name, "title": item.title, **done}


# --all: every set, as the options that run it, and the file its results go to.
ALL = [(["--runs", "3"], "2000-no-pdf.json"), (["--pdf"], "2000-pdf.json"), (["--large"], "20000-no-pdf.json"),
       (["--large", "--pdf"], "20000-pdf.json")]


def run_all(results: Path) -> int:
    """Every figure of docs/scale.md's results, one set after another; stops at the first that fails."""
    import cluster

    for options, name in ALL:
        print(f"\n== bench/run.py {' '.join(options)}", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, __file__, *options, "--json", str(results / name)])
        if done.returncode != 0:
            return done.returncode
    print("\n== bench/cluster.py --pairs 3", file=sys.stderr, flush=True)
    cluster.main(["--pairs", "3", "--pdf-departments", "2", "--json", str(results / "cluster-2000.json")])
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--all", action="store_true", help="every set in turn, each to bench/results/ (hours)")
    p.add_argument("--large", action="store_true", help="20,000 projects (2,000 departments x 10), one pair")
    p.add_argument("--pdf", action="store_true", help="the full build with PDFs (alone) and the annex probe")
    p.add_argument("--no-pdf", action="store_true", help="the pairs without PDFs (the default)")
    p.add_argument("--only", help="scenarios by name, comma-separated: " + ", ".join(scenarios.SCENARIOS))
    p.add_argument("--departments", type=int)
    p.add_argument("--projects", type=int, default=10, help="projects per department")
    p.add_argument("--runs", type=int, help="pairs counted per scenario (default 5; 1 with --large)")
    p.add_argument("--warmup", type=int, help="pairs run first and not counted (default 1; 0 with --large)")
    p.add_argument("--pdf-runs", type=int, default=1, help="runs of the full build with PDFs (minutes each)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", type=Path, help="where to write the results (default: bench/results/N-no-pdf.json "
                                             "or N-pdf.json; none with --only)")
    p.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    p.add_argument("--corpus-only", action="store_true", help="make the corpus and the Hugo site, measure nothing")
    args = p.parse_args()
    if args.all:
        return run_all(ROOT / "bench" / "results")
    departments = args.departments or (2000 if args.large else 200)
    runs = args.runs or (1 if args.large else 5)
    warmup = args.warmup if args.warmup is not None else (0 if args.large else 1)
    names = (args.only.split(",") if args.only else
             scenarios.SETS[("large-" if args.large else "") + "pdf" if args.pdf
                            else "large" if args.large else "default"])
    unknown = [n for n in names if n not in scenarios.SCENARIOS]
    if unknown:
        p.error(f"unknown scenario {', '.join(unknown)}; known: {', '.join(scenarios.SCENARIOS)}")
    if shutil.which("hugo") is None and any(n not in ("floor-2", "jobs", "pdf-build", "pdf-probe") for n in names):
        p.error("hugo is not installed: `make bench` installs it (Debian's package `hugo`)")

    # Beside the repository, not in the system's temporary folder: on the build machine that one made
    # a file 15x slower to create than the repository's disk, which measured the folder, not the builders.
    work = (args.keep or Path(tempfile.mkdtemp(prefix="gongkai-bench-", dir=ROOT / "bench"))).resolve()
    work.mkdir(parents=True, exist_ok=True)  # absolute: Hugo wants its folders so
    from pagefind_bin_extended import get_executable

    bench = scenarios.Bench(work, [], str(get_executable()))
    shutil.rmtree(bench.content, ignore_errors=True)
    started = time.perf_counter()
    bench.project_files = corpus.generate(bench.content, departments, args.projects, args.seed)
    hugo_site.write(bench.content, bench.hugo)
    total = departments * args.projects
    print(f"corpus: {total} projects in {departments} departments, and its Hugo site "
          f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    if args.corpus_only:
        return 0
    os.environ.update(bench.env)

    results = [run(scenarios.SCENARIOS[name](bench), runs, warmup, args.pdf_runs) for name in names]
    info = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "projects": total, "departments": departments,
            "nproc": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine(),
            "hugo": version(["hugo", "version"]), "pagefind": version([bench.pagefind, "--version"]),
            "runs": runs, "warmup": warmup, "results": results}
    print(f"\n{total} projects, {departments} departments; nproc {os.cpu_count()}; pairs per scenario: {runs} "
          f"after {warmup} uncounted; {info['hugo']}; {info['pagefind']}\n")
    print("\n".join(table(results)))
    for r in results:
        if r["kind"] == "probe":
            print("\n" + "\n".join(probe_lines(r)))
    target = args.json or (None if args.only else
                           ROOT / "bench" / "results" / f"{total}-{'pdf' if args.pdf else 'no-pdf'}.json")
    if target:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nwritten to {target}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
