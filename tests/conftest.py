"""Shared fixtures: tiny scratch content folders and an in-process CLI runner.

A scratch site is written into tmp_path from the texts below; a test replaces
one file's text to plant exactly one problem, so the line numbers a test
asserts are the ones you can count in the text it wrote.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from builder.base.messages import use_language
from builder.cli import main

# The suite asserts on messages in English, the catalogue's second language, in this process and in
# the commands it runs; tests/test_messages.py checks the Chinese default (and every id's two languages).
os.environ["GONGKAI_LANG"] = "en"
use_language("en")

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
# The system's temporary folder, before the session moves it into pytest's (temporary_folder below):
# for the few tests that need one another user may enter.
SYSTEM_TEMPORARY = Path(tempfile.gettempdir())
# The seed document, vendored so that a clone runs its tests alone; test_seed.py
# checks it against ../shared/seeds/ when that folder is there.
SEED = ROOT / "tests" / "fixtures" / "seed_000_197cfe662bbdfdb7.txt"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "000_197cfe662bbdfdb7.txt"

SITE = """\
title: 测试站点
publisher: 测试财政局
"""

DEPARTMENT = """\
code: '100001'
name: 测试局
scope: 本级
year: 2022
money_unit: 元
overall:
  title: 测试局部门整体绩效
  duties:
    - （一）测试职能。
projects:
  - P001
"""

PROJECT = """\
code: P001
name: 测试项目
budget:
  total: 100000.00
  fiscal: 100000.00
  other:
purpose: 测试用途。
spending_plan:
  - {milestone: 6月底, percent: 50%}
  - {milestone: 12月底, percent: 100%}
goals:
  - 1.开展活动，提高满意度。
indicators:
  - level1: 产出指标
    level2: 数量指标
    name: 活动次数
    target: ≥4次
  - level2: 成本指标
    name: 资金成本
    target: ≤10万元
  - level1: 满意度指标
    level2: 服务对象满意度指标
    name: 满意度
    target: ≥80%
"""


def seed_in_another_year(content: Path, year: int) -> Path:
    """Copy the seed department's targets (2022/304001) of `content` into `year`; its folder. A new
    year starts with its targets: the monitoring and self-evaluation come later."""
    folder = content / str(year) / "304001"
    shutil.copytree(content / "2022" / "304001", folder)
    without_stages(folder)
    department = folder / "department.yaml"
    department.write_text(department.read_text(encoding="utf-8").replace("year: 2022", f"year: {year}"),
                          encoding="utf-8")
    return folder


def without_stages(department: Path) -> Path:
    """A department folder without its monitoring rounds and self-evaluations: for tests that change
    the targets, which the example stage files report on."""
    for stage in ("monitoring", "evaluations"):
        shutil.rmtree(department / stage, ignore_errors=True)
    (department / "evaluation.yaml").unlink(missing_ok=True)
    return department


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@dataclass
class Scratch:
    """A scratch content folder at tmp_path/content."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def site(self) -> Path:
        return self.content / "site.yaml"

    @property
    def department(self) -> Path:
        return self.content / "2022" / "100001" / "department.yaml"

    def project(self, code: str = "P001") -> Path:
        return self.content / "2022" / "100001" / "projects" / f"{code}.yaml"

    def write(self, path: Path, text: str) -> Path:
        return write(path, text)


@pytest.fixture
def scratch(tmp_path: Path) -> Scratch:
    s = Scratch(tmp_path)
    s.write(s.site, SITE)
    s.write(s.department, DEPARTMENT)
    s.write(s.project(), PROJECT)
    return s


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def diagnostics(self) -> list[str]:
        """The `path:line:col: severity: message` lines, without hints and summary."""
        return [line for line in self.err.splitlines() if ": error: " in line or ": warning: " in line]


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run build.py's main in-process from a given folder, as a user would from a shell."""

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def reproducible(snapshot: dict[str, bytes]) -> dict[str, bytes]:
    """What gongkai promises to reproduce byte for byte: everything but the search index.

    Pagefind writes its filter indexes in hash-map order, so they (and SHA256SUMS,
    which lists them) differ between two runs on the same pages (Pagefind issue 638:
    fragments are stable since 1.3.0, filter and metadata indexes are not).
    """
    return {path: data for path, data in snapshot.items()
            if not path.startswith("pagefind/") and path != "SHA256SUMS"}


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, plus folder names, for byte-identical comparisons."""
    snapshot: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        # A build cache's retired/ is the previous output being deleted in the background after the
        # swap: it is in no state a build promises, and files vanish from it while it is walked.
        dirnames[:] = [name for name in dirnames if not (name == "retired" and dirpath.endswith(".cache"))]
        for name in dirnames:
            snapshot[os.path.relpath(os.path.join(dirpath, name), folder) + "/"] = b""
        for name in filenames:
            path = os.path.join(dirpath, name)
            snapshot[os.path.relpath(path, folder)] = Path(path).read_bytes()
    return snapshot


@pytest.fixture(scope="session", autouse=True)
def temporary_folder(tmp_path_factory):
    """The system's temporary folder, for this process and the commands it runs, is one inside
    pytest's own (which keeps the last three runs): a test that leaves something there, or a
    library that does (plain WeasyPrint's font folders in a worker that ends without collecting
    them), does not fill the machine's /tmp run after run."""
    folder = tmp_path_factory.mktemp("tmp")
    saved = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = str(folder), str(folder)
    yield folder
    if saved[0] is None:
        del os.environ["TMPDIR"]
    else:
        os.environ["TMPDIR"] = saved[0]
    tempfile.tempdir = saved[1]


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output (read its diff before committing)")


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """The shipped content built once, PDFs included, for every test that only reads the result.

    A seed build with its stage forms takes as long as the rest of a module's tests: building it
    once for the session, not once per module, keeps the suite's time. Tests must not change it."""
    from builder.pipeline import build_site

    output = tmp_path_factory.mktemp("seed-build") / "output"
    result = build_site(CONTENT, output)
    assert result.site is not None, [d.format() for d in result.report.errors]
    return output
