"""No input makes `check` crash: every line of the real content, mangled every way we could think of.

Each mutation is a small broken copy of the seed; whatever it breaks must come
out as diagnostics, never as an exception (a traceback shown to a user is a bug).
"""

from __future__ import annotations

import shutil

import pytest
from conftest import CONTENT

from builder.pipeline import check_content

FILES = ["2022/304001/department.yaml", "2022/304001/projects/13022922P00JXC411757B.yaml", "site.yaml"]

MUTATIONS = {
    "delete the line": lambda line: None,
    "empty the value": lambda line: line.split(":", 1)[0] + ":" if ":" in line else "",
    "value becomes a list": lambda line: line.split(":", 1)[0] + ": [a, b]" if ":" in line else line + " [x",
    "value becomes a mapping": lambda line: line.split(":", 1)[0] + ": {a: b}" if ":" in line else "- {a: b}",
    "value becomes junk": lambda line: line.split(":", 1)[0] + ": '≥**%'" if ":" in line else "  - ≥**%",
    "dedent": lambda line: line.lstrip(),
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pristine") / "content"
    shutil.copytree(CONTENT, folder)
    return folder


@pytest.mark.parametrize("relative", FILES)
@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_every_mangled_line_gives_diagnostics_not_an_exception(relative, mutation, pristine):
    path = pristine / relative
    original = path.read_text(encoding="utf-8")
    lines = original.split("\n")
    try:
        for index, line in enumerate(lines):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            changed = MUTATIONS[mutation](line)
            mutated = lines[:index] + ([] if changed is None else [changed]) + lines[index + 1:]
            path.write_text("\n".join(mutated), encoding="utf-8")
            result = check_content(pristine)  # must not raise
            for diagnostic in result.report.items:
                assert diagnostic.pos.line >= 1 and diagnostic.pos.col >= 1
                diagnostic.format()
    finally:
        path.write_text(original, encoding="utf-8")
