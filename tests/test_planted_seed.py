"""`check` on a copy of the real content with one planted error of each kind.

Where the error should point is found from the planted text itself: the line
that holds `anchor` after planting, and the column where `anchor` starts.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import CONTENT

DEPT = "2022/304001/department.yaml"
P1 = "2022/304001/projects/13022922P00JXC411757B.yaml"
P2 = "2022/304001/projects/13022922P000BR0103603.yaml"
EVALUATION = "2022/304001/evaluations/130229214I5FK2QU161C5.yaml"

# name: (file, old text, planted text, anchor, message)
PLANTED = {
    "syntax error": (P1, "  total: 100000.00", "\ttotal: 100000.00", "\t",
                     "error: YAML syntax error: found character that cannot start any token"),
    "duplicate key": (P1, "purpose: 积极", "name: 又一个名称\npurpose: 积极", "name: 又",
                      "error: duplicate key `name` (first at line 4)"),
    "explicit tag": (DEPT, "scope: 本级", "scope: !!str 本级", "!!str",
                     "error: explicit YAML tags (tag:yaml.org,2002:str) are not allowed"),
    "anchor": (DEPT, "year: 2022", "year: &y 2022", "&y", "error: YAML anchors (`&y`) are not allowed"),
    "alias": (P2, "    basis: 冀财建【2021】192号", "    basis: *b", "*b",
              "error: YAML aliases (`*name`) are not allowed"),
    "unknown key": (P1, "purpose:", "purpse:", "purpse", "error: unknown key `purpse` in project"),
    "wrong type": (DEPT, "year: 2022", "year: 二〇二二", "二〇二二",
                   "error: `year` must be a whole number from 2000 to 2100, found '二〇二二'"),
    "missing key": (P1, "    name: 促成合作意向数\n", "", "level2: 质量指标",
                    "error: indicator is missing `name` (三级指标)"),
    "pair not in framework": (P2, "level2: 质量指标", "level2: 效率指标", "效率指标",
                              "error: `效率指标` is not a 二级指标 under `产出指标` in framework `classic`"),
    "unparseable target": (P1, "target: ≥4次", "target: ≥**次", "≥**次",
                           "error: target '≥**次' still holds a template placeholder"),
    "budget does not add up": (P2, "  total: 10000000.00", "  total: 10000001.00", "10000001.00",
                               "error: 预算数 10,000,001.00 元 does not equal 财政资金 10,000,000.00 元 + "
                               "其他资金 (blank) = 10,000,000.00 元"),
    "spending plan goes down": (P1, "percent: 75%", "percent: 45%", "45%",
                                "error: spending plan goes down from 50% to 45% at 10月底"),
    "spending plan does not end at 100": (P2, "percent: 100%", "percent: 99%", "99%",
                                          "error: spending plan ends at 99% at 12月底; it must end at 100%"),
    "code unsafe for paths": (P1, "code: 13022922P00JXC411757B", "code: ../13022922P00JXC411757B", "../",
                              "error: `code` '../13022922P00JXC411757B' does not match"),
    "rate above 100": (P1, "    name: 满意率\n    description: 满意率\n    target: ≥80百分比",
                       "    name: 满意率\n    description: 满意率\n    target: ≥180百分比", "≥180百分比",
                       "warning: rate target ≥180百分比 is above 100%"),
    "direction against the comparator": (P1, "    target: ≥2个\n", "    target: ≥2个\n    direction: 反向\n", "反向",
                                         "warning: 指标方向 反向 (less is better) contradicts the target ≥2个, a floor"),
    "missed target scored full marks": (EVALUATION, "score: 7.4\n    deviation", "score: 10\n    deviation",
                                        "10\n",
                                        "error: 得分 10 is full marks for a missed target: 实际完成值 2220人次 "
                                        "does not reach 年度指标值 ≥3000人次"),
}


def plant(folder, relative: str, old: str, new: str, anchor: str) -> tuple[int, int]:
    path = folder / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    start = text.index(new) if new else text.index(anchor)
    offset = text.index(anchor, start)
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


@pytest.fixture
def copy(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path


@pytest.mark.parametrize("name", list(PLANTED))
def test_planted_error_names_the_right_line(name, copy, cli):
    relative, old, new, anchor, message = PLANTED[name]
    line, col = plant(copy / "content", relative, old, new, anchor)
    if not message.startswith("error") and "/projects/" in relative:
        # A changed target also contradicts the project's monitoring round and self-evaluation
        # (their errors are test_stage_checks.py's); a warning's case is about the targets alone.
        for stage in ("monitoring", "evaluations"):
            (copy / "content" / relative.replace("/projects/", f"/{stage}/")).unlink(missing_ok=True)
    run = cli("check", cwd=copy)
    expected = f"content/{relative}:{line}:{col}: {message}"
    assert any(d.startswith(expected) for d in run.diagnostics), (expected, run.diagnostics)
    assert run.code == (1 if message.startswith("error") else 0)


def test_missing_key_points_at_the_parent_mapping(copy, cli):
    line, col = plant(copy / "content", P1, "name: '#招商经费'\n", "", "code:")
    run = cli("check", cwd=copy)
    assert f"content/{P1}:{line}:{col}: error: project is missing `name` (项目名称)" in run.diagnostics


def test_duplicate_project_codes_across_departments(copy, cli):
    shutil.copytree(copy / "content/2022/304001", copy / "content/2022/304002")
    dept = copy / "content/2022/304002/department.yaml"
    dept.write_text(dept.read_text(encoding="utf-8").replace("code: '304001'", "code: '304002'"), encoding="utf-8")
    run = cli("check", cwd=copy)
    assert ("content/2022/304002/projects/13022922P00JXC411757B.yaml:3:7: error: project code "
            "`13022922P00JXC411757B` is used twice in 2022 (also at 304001/projects/13022922P00JXC411757B.yaml:3)"
            in run.diagnostics)
    assert run.code == 1


def test_every_non_fatal_plant_at_once_is_reported_in_one_run(copy, cli):
    """Problems that do not stop a file from being read all come out together."""
    fatal = {"syntax error", "explicit tag", "anchor", "alias", "code unsafe for paths", "missing key"}
    expected = []
    for name, (relative, old, new, anchor, message) in PLANTED.items():
        if name in fatal:
            continue
        line, col = plant(copy / "content", relative, old, new, anchor)
        expected.append((relative, line, col, message))
    run = cli("check", cwd=copy)
    # Lines are re-read after all plants: a plant above another moves it down.
    for relative, _, _, message in expected:
        assert any(d.startswith(f"content/{relative}:") and message in d for d in run.diagnostics), message
    assert run.code == 1
