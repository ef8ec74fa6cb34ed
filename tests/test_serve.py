"""`serve`: the page follows the files, errors show in the page, nothing is written into output/."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import PROJECT, ROOT

from builder.base.diagnostics import Pos, Report
from builder.commands.serve import VERSION_PATH, DevServer
from builder.commands.serve_pages import error_page
from builder.pipeline import DEFAULT_THEMES


@pytest.fixture
def server(scratch):
    dev = DevServer(scratch.content, DEFAULT_THEMES, port=0, interval=0.1)
    dev.start()
    yield dev
    dev.stop()


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_pages_are_served_with_the_reload_script_that_no_file_contains(server, scratch):
    page = get(server.url + "2022/100001/projects/P001.html")
    assert "测试项目" in page and VERSION_PATH in page
    for path in server.site_dir.rglob("*.html"):
        assert "__gongkai" not in path.read_text(encoding="utf-8")
    assert not (scratch.root / "output").exists()
    assert get(server.url + "static/style.css").startswith("/*")


def test_a_saved_change_is_rebuilt_and_served(server, scratch):
    version = get(server.url.rstrip("/") + "/__gongkai/version")
    scratch.project().write_text(PROJECT.replace("name: 测试项目", "name: 改过的项目"), encoding="utf-8")
    wait_for(lambda: get(server.url.rstrip("/") + "/__gongkai/version") != version)
    assert "改过的项目" in get(server.url + "2022/100001/projects/P001.html")


def test_a_content_error_shows_in_the_page_and_the_server_keeps_running(server, scratch):
    scratch.project().write_text(PROJECT.replace("total: 100000.00", "total: 1.00"), encoding="utf-8")
    wait_for(lambda: "内容有错误" in get(server.url + "index.html"))
    page = get(server.url + "index.html")
    assert "content/2022/100001/projects/P001.yaml:4:10: error: 预算数 1.00 元 does not equal" in page \
        or "P001.yaml:4:10: error: 预算数 1.00 元" in page
    assert VERSION_PATH in page  # it reloads by itself once fixed
    assert get(server.url + "static/style.css").startswith("/*")  # the last good site is still there
    scratch.project().write_text(PROJECT, encoding="utf-8")
    wait_for(lambda: "测试项目" in get(server.url + "2022/100001/projects/P001.html"))


def test_a_saved_project_re_renders_only_its_own_pages(tmp_path):
    from test_incremental import make_content

    content = make_content(tmp_path)
    builds = []
    dev = DevServer(content, DEFAULT_THEMES, port=0, interval=3600, on_build=builds.append)
    try:
        assert dev.rebuild_if_changed() and builds[-1].site is not None
        first = sorted(content.glob("2022/*/projects/*.yaml"))
        edited, sibling, other = first[0], first[1], first[-1]
        assert other.parent != edited.parent
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace("basis: '", "basis: '调整后", 1), encoding="utf-8")
        assert dev.rebuild_if_changed()
        result = builds[-1]
        assert result.site is not None, [d.format() for d in result.report.errors]

        def page(project):
            return f"2022/{project.parent.parent.name}/projects/{project.stem}.html"

        assert page(edited) in result.rendered
        assert {page(sibling), page(other), "static/style.css"} <= result.reused
        assert not result.rendered & {page(sibling), page(other)}
        assert (dev.site_dir / page(edited)).read_text(encoding="utf-8").count("调整后") >= 1
    finally:
        dev.stop()
    assert not dev.cache_dir.exists()  # removed with the site


def test_serve_command_starts_and_stops_cleanly(scratch):
    with subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", "0"], cwd=scratch.root,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            line = proc.stdout.readline()
            while line and not line.startswith("serving "):
                line = proc.stdout.readline()
            assert line.startswith("serving http://127.0.0.1:")
            assert "测试站点" in get(line.split()[1] + "index.html")
        finally:
            proc.terminate()
            errors = proc.communicate(timeout=10)[1]
    assert proc.returncode == 0
    assert "Traceback" not in errors


def test_serve_speaks_chinese_and_says_each_rebuild_with_its_time(scratch):
    env = {k: v for k, v in os.environ.items() if k != "GONGKAI_LANG"} | {"LANG": "C.UTF-8"}
    with subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", "0"], cwd=scratch.root, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            lines = [proc.stdout.readline() for _ in range(3)]  # the summary, 已生成, 正在提供
            assert re.fullmatch(r"已生成 \(\d+\.\d s\)\n", lines[1]), lines
            assert lines[2].startswith("正在提供 http://127.0.0.1:"), lines
            scratch.project().write_text(PROJECT.replace("name: 测试项目", "name: 改过的项目"), encoding="utf-8")
            lines = [proc.stdout.readline() for _ in range(2)]
            assert re.fullmatch(r"已重新生成 \(\d+\.\d s\)\n", lines[1]), lines
        finally:
            proc.terminate()
            errors = proc.communicate(timeout=10)[1]
    assert "Traceback" not in errors


def test_theerror_page_shows_errors_first_and_folds_the_warnings():
    report = Report()
    report.warning(Pos("/c/a.yaml", 1, 1), "a warning first in the file")
    report.error(Pos("/c/b.yaml", 9, 1), "the error")
    page = error_page(report, 1)
    assert page.index("the error") < page.index("<details>") < page.index("a warning first in the file")
    assert "<summary>1" in page
