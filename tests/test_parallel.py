"""Parallel and distributed rendering give the same output as one process; progress is quiet in logs."""

from __future__ import annotations

import importlib.util
import io

import pytest
from conftest import ROOT, reproducible, tree_snapshot

from builder.base.parallel import DaskCluster, Processes, Serial
from builder.base.progress import Progress
from builder.pipeline import build_site, check_content

_spec = importlib.util.spec_from_file_location("corpus", ROOT / "bench" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A corpus of 2 departments x 2 projects and its build in this process, PDFs included."""
    root = tmp_path_factory.mktemp("parallel")
    content = root / "content"
    corpus.generate(content, departments=2, projects=2, seed=11)
    result = build_site(content, root / "serial", runner=Serial())
    assert result.site is not None, [d.format() for d in result.report.errors]
    return content, reproducible(tree_snapshot(root / "serial"))


def test_a_process_pool_builds_the_same_bytes(reference, tmp_path):
    content, expected = reference
    result = build_site(content, tmp_path / "out", runner=Processes(2))
    assert result.site is not None
    assert reproducible(tree_snapshot(tmp_path / "out")) == expected


def test_a_local_dask_cluster_of_two_workers_builds_the_same_bytes(reference, tmp_path):
    content, expected = reference
    cluster = DaskCluster(workers=2)
    try:
        assert cluster.workers == 2
        result = build_site(content, tmp_path / "out", runner=cluster)
    finally:
        cluster.close()
    assert result.site is not None, [d.format() for d in result.report.errors]
    assert reproducible(tree_snapshot(tmp_path / "out")) == expected


def test_a_pdf_error_in_a_worker_is_a_diagnostic(scratch, tmp_path):
    # A character no installed font has: the worker's PDFError comes back as a finding, not a crash.
    project = scratch.project()
    project.write_text(project.read_text(encoding="utf-8").replace("测试用途。", "测试\ue000用途。"), encoding="utf-8")
    result = build_site(scratch.content, tmp_path / "out", runner=Processes(2))
    assert result.site is None
    assert any("cannot make the PDF of project P001" in d.message for d in result.report.errors)
    assert not (tmp_path / "out").exists()


def test_progress_in_a_log_is_a_few_lines_per_stage():
    stream = io.StringIO()
    stage = Progress(stream).stage("pages", 2000)
    for _ in range(2000):
        stage.advance()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "pages: 0/2000" and lines[-1].startswith("pages: 2000/2000")
    assert len(lines) == 5 and "\r" not in stream.getvalue()


def test_progress_on_a_terminal_redraws_one_line():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    stage = Progress(stream).stage("PDF", 60)
    for _ in range(60):
        stage.advance()
    text = stream.getvalue()
    assert text.count("\n") == 1 and text.count("\r") == 61 and "60/60" in text


def test_small_stages_print_nothing():
    stream = io.StringIO()
    stage = Progress(stream).stage("PDF", 5)
    stage.advance(5)
    assert stream.getvalue() == ""


def test_cli_builds_with_jobs_and_rejects_nonsense(scratch, cli):
    assert cli("build", "--no-pdf", "--jobs", "2", cwd=scratch.root).code == 0
    run = cli("build", "--jobs", "0", cwd=scratch.root)
    assert run.code == 2 and "at least 1" in run.err


def test_a_site_of_many_departments_is_summed_up_in_one_line(tmp_path):
    content = tmp_path / "content"
    corpus.generate(content, departments=6, projects=1, seed=3)
    result = check_content(content)
    assert [line.text("en") for line in result.summary] == ["6 departments, 6 projects, 78 indicators"]
    few = tmp_path / "few"
    corpus.generate(few, departments=2, projects=1, seed=3)
    assert [line.text("en").split(", total")[0] for line in check_content(few).summary] == ["1 projects, 13 indicators"] * 2


def test_departments_checked_on_a_pool_give_the_same_findings_and_model(tmp_path):
    from builder.check.departments import PARALLEL_FROM

    content = tmp_path / "content"
    corpus.generate(content, departments=PARALLEL_FROM + 4, projects=1, seed=8)
    # A warning and an error in two departments, so findings travel back from the workers too.
    first, last = sorted(content.glob("2022/*/projects/*.yaml"))[0], sorted(content.glob("2022/*/projects/*.yaml"))[-1]
    first.write_text(first.read_text(encoding="utf-8").replace("target: ", "target: ≥120百分比 #", 1), "utf-8")
    serial = check_content(content)
    pooled = check_content(content, runner=Processes(2))
    assert [d.format() for d in pooled.report.sorted()] == [d.format() for d in serial.report.sorted()]
    assert any("above 100%" in d.message for d in serial.report.warnings)
    assert pooled.site == serial.site and len(serial.site.departments) == PARALLEL_FROM + 4
    last.write_text(last.read_text(encoding="utf-8").replace("total: ", "total: 多少", 1), encoding="utf-8")
    broken = check_content(content, runner=Processes(2))
    assert broken.site is None
    assert [d.format() for d in broken.report.sorted()] == [d.format() for d in check_content(content).report.sorted()]
