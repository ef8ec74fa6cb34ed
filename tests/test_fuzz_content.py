"""Property-based fuzzing of the content path: load -> validate -> check (issue 17).

Whatever a department.yaml or project.yaml holds (arbitrary bytes, or the seed's files with
lines deleted, duplicated, swapped, re-indented, with random unicode inserted or values
replaced by absurd numbers), `check_content` returns positioned diagnostics: it never
raises, and every Diagnostic has a path, line >= 1 and col >= 1. Each input gets a deadline.

The example count is modest in the normal run; run it longer with, e.g.

    GONGKAI_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz_content.py -q
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta

import pytest
from conftest import CONTENT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.pipeline import check_content

EXAMPLES = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "40"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=5), derandomize=EXAMPLES <= 40,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

DEPARTMENT = "2022/304001/department.yaml"
PROJECT = "2022/304001/projects/13022922P00JXC411757B.yaml"

ABSURD = ["1" * 30, "1e400", "1E5", "NaN", "-Infinity", "-0", "sNaN", "0." + "1" * 3000, "１２３", "١٢٣",
          "≥1" + "0" * 40 + "万元", "≥0." + "9" * 500 + "%", "0000年12月底前", "9" * 5000, "[", "{", "'", '"',
          "≥**个", "99999999999999999%", "&a", "*a", "!!python/object:os.system", "~", "", "- x", "a: b: c"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz") / "content"
    shutil.copytree(CONTENT, folder)
    return folder


def assert_positioned(content, relative: str, data: bytes) -> None:
    path = content / relative
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        result = check_content(content)  # must not raise
    finally:
        path.write_bytes(original)
    for diagnostic in result.report.items:
        assert diagnostic.pos.path, diagnostic
        assert diagnostic.pos.line >= 1 and diagnostic.pos.col >= 1, diagnostic
        assert "internal error" not in diagnostic.message
        diagnostic.format()


@SETTINGS
@given(relative=st.sampled_from([DEPARTMENT, PROJECT]), data=st.binary(max_size=2000))
def test_arbitrary_bytes_give_positioned_diagnostics(site, relative, data):
    assert_positioned(site, relative, data)


def _mutate(lines: list[str], draw) -> list[str]:
    index = draw(st.integers(0, max(len(lines) - 1, 0)))
    action = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "unicode", "absurd"]))
    line = lines[index] if lines else ""
    if action == "delete":
        return lines[:index] + lines[index + 1:]
    if action == "duplicate":
        return lines[:index + 1] + [line] + lines[index + 1:]
    if action == "swap" and index + 1 < len(lines):
        return lines[:index] + [lines[index + 1], line] + lines[index + 2:]
    if action == "indent":
        return lines[:index] + [" " * draw(st.integers(1, 5)) + line] + lines[index + 1:]
    if action == "dedent":
        return lines[:index] + [line.lstrip()] + lines[index + 1:]
    if action == "unicode":
        at = draw(st.integers(0, len(line)))
        inserted = draw(st.text(min_size=1, max_size=5))
        return lines[:index] + [line[:at] + inserted + line[at:]] + lines[index + 1:]
    if ":" in line:  # absurd: the value replaced
        key = line.split(":", 1)[0]
        value = draw(st.sampled_from(ABSURD))
        quoted = draw(st.booleans())
        return lines[:index] + [f"{key}: " + (f"'{value}'" if quoted else value)] + lines[index + 1:]
    return lines


@st.composite
def mutated(draw, relative: str):
    lines = (CONTENT / relative).read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 4))):
        lines = _mutate(lines, draw)
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@SETTINGS
@given(data=st.data(), relative=st.sampled_from([DEPARTMENT, PROJECT]))
def test_mutated_seed_files_give_positioned_diagnostics(site, data, relative):
    assert_positioned(site, relative, data.draw(mutated(relative)))
