"""How much the 修订记录 costs: a build with git history against the same build without.

    .venv/bin/python bench/history.py [--departments 100] [--projects 20] [--commits 1000] [--runs 3]

Makes a repository (in a temporary folder) of departments x projects seed-like
project files and a history of `--commits` commits, each changing one target
(written with `git fast-import`, so making it takes seconds), then times
`build --no-pdf` in the repository and on a copy of the same content outside
git. Prints each as median (min-max) of `--runs` runs and their ratio.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_PROJECT = ROOT / "content/2022/304001/projects/13022922P00JXC411757B.yaml"


def make_content(root: Path, departments: int, projects: int) -> list[str]:
    template = SEED_PROJECT.read_text(encoding="utf-8")
    department = (ROOT / "content/2022/304001/department.yaml").read_text(encoding="utf-8")
    department = department[: department.index("\nprojects:")] + "\nprojects:\n"
    (root / "content").mkdir(parents=True)
    shutil.copy(ROOT / "content/site.yaml", root / "content/site.yaml")
    files = []
    for d in range(departments):
        code = f"{400000 + d}"
        folder = root / "content" / "2022" / code
        (folder / "projects").mkdir(parents=True)
        codes = [f"P{d:04d}X{p:04d}" for p in range(projects)]
        text = department.replace("code: '304001'", f"code: '{code}'")
        # The seed's narrative names the seed's projects; these departments have their own.
        text = re.sub(r"(?m)^\s+project: \S+\n", "", text)
        (folder / "department.yaml").write_text(text + "".join(f"  - {c}\n" for c in codes), encoding="utf-8")
        for c in codes:
            path = folder / "projects" / f"{c}.yaml"
            path.write_text(template.replace("code: 13022922P00JXC411757B", f"code: {c}"), encoding="utf-8")
            files.append(path.relative_to(root).as_posix())
    return files


def fast_import(root: Path, files: list[str], commits: int) -> None:
    """The first commit adds everything; each later one bumps one project's target."""
    rng = random.Random(7)
    contents = {f: (root / f).read_text(encoding="utf-8") for f in files}
    stream = []

    def blob(text: str) -> bytes:
        data = text.encode("utf-8")
        return b"data %d\n" % len(data) + data + b"\n"

    def commit(n: int, message: str, changes: dict[str, str]) -> None:
        stream.append(b"commit refs/heads/main\n")
        stream.append(b"committer bench <bench@example.invalid> %d +0800\n" % (1640995200 + n * 3600))
        stream.append(blob(message))
        for path, text in changes.items():
            stream.append(b"M 100644 inline " + path.encode() + b"\n" + blob(text))

    everything = {str(p.relative_to(root).as_posix()): p.read_text(encoding="utf-8")
                  for p in (root / "content").rglob("*.yaml")}
    commit(0, "seed", everything)
    for n in range(1, commits):
        path = rng.choice(files)
        contents[path] = contents[path].replace("target: ≥4次", f"target: ≥{n}次", 1).replace(
            f"target: ≥{n - 1}次", f"target: ≥{n}次", 1)
        commit(n, f"调整 {n}", {path: contents[path]})
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    done = subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), capture_output=True)
    if done.returncode:
        raise SystemExit(done.stderr.decode())
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)


def time_build(cwd: Path, runs: int) -> list[float]:
    times = []
    for n in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--no-pdf", "--no-cache", "--output",
                               f"../out-{cwd.name}-{n}"], cwd=cwd, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(done.stderr[-2000:])
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=100)
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        repo = Path(tmp) / "repo"
        files = make_content(repo, args.departments, args.projects)
        start = time.perf_counter()
        fast_import(repo, files, args.commits)
        print(f"{len(files)} project files, {args.commits} commits (made in {time.perf_counter() - start:.1f} s)")
        plain = Path(tmp) / "plain"
        shutil.copytree(repo / "content", plain / "content")
        without = time_build(plain, args.runs)
        with_history = time_build(repo, args.runs)
    for label, times in (("without history", without), ("with history", with_history)):
        print(f"{label:<16} {statistics.median(times):6.2f} s ({min(times):.2f}-{max(times):.2f})")
    print(f"ratio            {statistics.median(with_history) / statistics.median(without):6.2f}x")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
