"""One small broken fixture per diagnostic, through the real CLI, asserting exact output.

Each case plants one problem in an otherwise valid scratch site (conftest.py)
and asserts the full `path:line:col: severity: message` line(s) `check` prints,
and the exit code. Count the lines in the text to see where they point.
"""

from __future__ import annotations

import pytest
from conftest import DEPARTMENT, PROJECT

P = "content/2022/100001/projects/P001.yaml"
D = "content/2022/100001/department.yaml"
S = "content/site.yaml"


def replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


CASES = {
    # --- YAML itself -------------------------------------------------------
    "syntax error": ("project", replace(PROJECT, "name: 测试项目", "name: [测试项目"),
                     [f"{P}:2:7: error: YAML syntax error: the `[` opened here is never closed"]),
    "full-width colon": ("project", replace(PROJECT, "purpose: 测试用途。", "purpose：测试用途。"),
                         [f"{P}:7:8: error: YAML syntax error: `：` (full-width colon) after a key"]),
    "duplicate key": ("project", replace(PROJECT, "purpose: 测试用途。", "purpose: 测试用途。\nname: 另一个名称"),
                      [f"{P}:8:1: error: duplicate key `name` (first at line 2)"]),
    "explicit tag": ("project", replace(PROJECT, "name: 测试项目", "name: !!python/object:os.system 测试项目"),
                     [f"{P}:2:7: error: explicit YAML tags (tag:yaml.org,2002:python/object:os.system) are not allowed"]),
    "anchor": ("project", replace(PROJECT, "purpose: 测试用途。", "purpose: &p 测试用途。"),
               [f"{P}:7:10: error: YAML anchors (`&p`) are not allowed"]),
    "alias": ("department", replace(DEPARTMENT, "scope: 本级", "scope: *x"),
              [f"{D}:3:8: error: YAML aliases (`*name`) are not allowed"]),
    "two documents": ("project", PROJECT + "---\ncode: P002\n",
                      [f"{P}:25:1: error: a content file holds one YAML document; found a second one"]),
    "bidi override": ("project", replace(PROJECT, "name: 测试项目", "name: 测试\u202e项目"),
                      [f"{P}:2:9: error: bidirectional control character U+202E is not allowed"]),
    "zero width": ("project", replace(PROJECT, "purpose: 测试用途。", "purpose: 测试\u200b用途。"),
                   [f"{P}:7:12: error: zero-width character U+200B is not allowed"]),
    "escaped control character": ("project", replace(PROJECT, "purpose: 测试用途。", 'purpose: "测试\\a用途"'),
                                  [f"{P}:7:10: error: `purpose` contains a control character U+0007"]),
    # --- the schema ----------------------------------------------------------
    "unknown key": ("project", replace(PROJECT, "goals:", "gaols:"),
                    [f"{P}:1:1: error: project is missing `goals` (绩效目标)",
                     f"{P}:11:1: error: unknown key `gaols` in project"]),
    "chinese key": ("project", replace(PROJECT, "goals:", "绩效目标:"),
                    [f"{P}:1:1: error: project is missing `goals` (绩效目标)",
                     f"{P}:11:1: error: unknown key `绩效目标` in project"]),
    "missing key": ("project", replace(PROJECT, "    name: 活动次数\n", ""),
                    [f"{P}:14:5: error: indicator is missing `name` (三级指标)"]),
    "wrong type": ("project", replace(PROJECT, "goals:\n  - 1.开展活动，提高满意度。", "goals: 1.开展活动，提高满意度。"),
                   [f"{P}:11:8: error: `goals` must be a list (- lines), found a single value"]),
    "bad amount": ("project", replace(PROJECT, "total: 100000.00", "total: 十万元"),
                   [f"{P}:4:10: error: `total` '十万元' is not an amount"]),
    "bad year": ("department", replace(DEPARTMENT, "year: 2022", "year: 二〇二二"),
                 [f"{D}:4:7: error: `year` must be a whole number from 2000 to 2100, found '二〇二二'"]),
    "bad money unit": ("department", replace(DEPARTMENT, "money_unit: 元", "money_unit: 万"),
                       [f"{D}:5:13: error: `money_unit` must be one of 元, 万元; found '万'"]),
    "name that YAML reads as a comment": ("project", replace(PROJECT, "name: 测试项目", "name: #招商经费"),
                                          [f"{P}:2:6: error: `name` is empty"]),
    # --- codes -----------------------------------------------------------
    "code unsafe for paths": ("project", replace(PROJECT, "code: P001", "code: ../P001"),
                              [f"{P}:1:7: error: `code` '../P001' does not match [0-9A-Za-z][0-9A-Za-z_-]{{0,63}}"]),
    "code does not match file": ("project", replace(PROJECT, "code: P001", "code: P002"),
                                 [f"{P}:1:7: error: project code `P002` does not match its file name `P001.yaml`"]),
    "listed project without file": ("department", replace(DEPARTMENT, "  - P001\n", "  - P001\n  - P009\n"),
                                    [f"{D}:12:5: error: no file projects/P009.yaml for project `P009`"]),
    # --- the framework ---------------------------------------------------
    "unknown level1": ("project", replace(PROJECT, "level1: 产出指标", "level1: 产量指标"),
                       [f"{P}:14:13: error: `产量指标` is not a 一级指标 in framework `classic`"]),
    "level2 under the wrong level1": ("project", replace(PROJECT, "    level2: 服务对象满意度指标", "    level2: 数量指标"),
                                      [f"{P}:22:13: error: `数量指标` is not a 二级指标 under `满意度指标` in framework `classic`"]),
    "first row without level1": ("project", replace(PROJECT, "  - level1: 产出指标\n    level2: 数量指标", "  - level2: 数量指标"),
                                 [f"{P}:14:5: error: the first indicator has no `level1` (一级指标)"]),
    "alias label": ("project", replace(PROJECT, "level1: 满意度指标", "level1: 满意度指标（10分）"),
                    [f"{P}:21:13: warning: 一级指标 `满意度指标（10分）` is read as `满意度指标`"]),
    "2021 framework has cost as a first level": (
        "department", replace(DEPARTMENT, "money_unit: 元", "money_unit: 元\nframework: caiyu-2021-101"),
        ["content/2022/100001/projects/P001.yaml:18:13: error: `成本指标` is not a 二级指标 under `产出指标` "
         "in framework `caiyu-2021-101`"]),
    "unknown framework": ("site", "title: 测试站点\npublisher: 测试财政局\nframework: cz2012\n",
                          [f"{S}:3:12: error: unknown indicator framework `cz2012`"]),
    # --- targets -----------------------------------------------------------
    "placeholder target": ("project", replace(PROJECT, "target: ≥4次", "target: ≥**次"),
                           [f"{P}:17:13: error: target '≥**次' still holds a template placeholder"]),
    "unreadable target": ("project", replace(PROJECT, "target: ≥4次", "target: ≥4次/年/人次"),
                          [f"{P}:17:13: error: cannot read the unit '次/年/人次' of target '≥4次/年/人次'"]),
    "unquoted > target": ("project", replace(PROJECT, "target: ≥4次", "target: >=4次"),
                          [f"{P}:17:14: error: YAML syntax error: did not find expected comment or line break"]),
    # --- money and plans ---------------------------------------------------------
    "budget does not add up": ("project", replace(PROJECT, "other:", "other: 5000.00"),
                               [f"{P}:4:10: error: 预算数 100,000.00 元 does not equal 财政资金 100,000.00 元 + "
                                "其他资金 5,000.00 元 = 105,000.00 元"]),
    "plan goes down": ("project", replace(PROJECT, "{milestone: 12月底, percent: 100%}",
                                          "{milestone: 10月底, percent: 40%}\n  - {milestone: 12月底, percent: 100%}"),
                       [f"{P}:10:32: error: spending plan goes down from 50% to 40% at 10月底"]),
    "plan above 100": ("project", replace(PROJECT, "percent: 100%}", "percent: 120%}"),
                       [f"{P}:10:32: error: spending plan reaches 120% at 12月底; it cannot exceed 100%"]),
    "plan does not end at 100": ("project", replace(PROJECT, "percent: 100%}", "percent: 90%}"),
                                 [f"{P}:10:32: error: spending plan ends at 90% at 12月底; it must end at 100%"]),
    # --- warnings ----------------------------------------------------------
    "cost ceiling above budget": ("project", replace(PROJECT, "target: ≤10万元", "target: ≤20万元"),
                                  [f"{P}:20:13: warning: 成本指标 ceiling ≤20万元 (200,000.00 元) is above the "
                                   "project's budget 100,000.00 元"]),
    "rate above 100": ("project", replace(PROJECT, "target: ≥80%", "target: ≥120%"),
                       [f"{P}:24:13: warning: rate target ≥120% is above 100%"]),
    "rate at least 100": ("project", replace(PROJECT, "target: ≥80%", "target: ≥100%"),
                          [f"{P}:24:13: warning: rate target ≥100% can only be met at exactly 100%"]),
    "growth rate above 100 is fine": ("project", replace(replace(PROJECT, "target: ≥80%", "target: ≥150%"),
                                                         "name: 满意度", "name: 销售额增长率"), []),
    "deadline outside the budget year": ("project", replace(PROJECT, "target: ≥4次", "target: 2023年11月底前"),
                                         [f"{P}:17:13: warning: deadline 2023年11月底前 is outside the budget year 2022"]),
    "number without unit": ("project", replace(PROJECT, "target: ≥4次", "target: '45275'"),
                            [f"{P}:17:13: warning: target 45275 has no unit"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_planted_problem_is_reported_exactly(name, scratch, cli):
    which, text, expected = CASES[name]
    path = {"project": scratch.project(), "department": scratch.department, "site": scratch.site}[which]
    path.write_text(text, encoding="utf-8")
    run = cli("check", cwd=scratch.root)
    assert run.diagnostics == expected, run.err
    has_error = any(": error: " in line for line in expected)
    assert run.code == (1 if has_error else 0)
    assert "Traceback" not in run.err


def test_the_scratch_site_itself_is_clean(scratch, cli):
    run = cli("check", cwd=scratch.root)
    assert run.code == 0, run.err
    assert run.diagnostics == []
    assert "1 projects, 3 indicators, total 100,000.00 元" in run.out


def test_all_problems_are_reported_in_one_run_sorted(scratch, cli):
    scratch.project().write_text(replace(replace(PROJECT, "target: ≥80%", "target: ≥**%"), "total: 100000.00",
                                         "total: 90000.00"), encoding="utf-8")
    scratch.department.write_text(replace(DEPARTMENT, "scope: 本级", "scope: 本级\nscoop: x"), encoding="utf-8")
    run = cli("check", cwd=scratch.root)
    assert run.code == 1
    assert run.diagnostics == [
        f"{D}:4:1: error: unknown key `scoop` in department",
        f"{P}:4:10: error: 预算数 90,000.00 元 does not equal 财政资金 100,000.00 元 + 其他资金 (blank) = 100,000.00 元",
        f"{P}:20:13: warning: 成本指标 ceiling ≤10万元 (100,000.00 元) is above the project's budget 90,000.00 元",
        f"{P}:24:13: error: target '≥**%' still holds a template placeholder",
    ]
    assert run.err.rstrip().endswith("3 errors, 1 warning")


def test_hints_tell_what_to_do(scratch, cli):
    scratch.project().write_text(replace(PROJECT, "purpose:", "purpse:"), encoding="utf-8")
    run = cli("check", cwd=scratch.root)
    assert "  hint: did you mean `purpose`?" in run.err
    scratch.project().write_text(replace(PROJECT, "purpose:", "资金用途:"), encoding="utf-8")
    assert "  hint: did you mean `purpose`? keys are written in English" in cli("check", cwd=scratch.root).err
    scratch.project().write_text(replace(PROJECT, "name: 测试项目", "name: #招商经费"), encoding="utf-8")
    assert "put it in quotes, e.g. '#招商经费'" in cli("check", cwd=scratch.root).err
    scratch.project().write_text(replace(PROJECT, "target: ≥4次", "target: >=4次"), encoding="utf-8")
    assert "hint: a value that starts with `>` must be quoted, e.g. '>=4次'" in cli("check", cwd=scratch.root).err
    scratch.project().write_text(replace(PROJECT, "target: ≥4次", "target: ≥4次/年/人次"), encoding="utf-8")
    assert "accepted forms: ≥4次, ≤20万元" in cli("check", cwd=scratch.root).err


def test_strict_turns_warnings_into_failure(scratch, cli):
    scratch.project().write_text(replace(PROJECT, "target: ≥80%", "target: ≥120%"), encoding="utf-8")
    assert cli("check", cwd=scratch.root).code == 0
    run = cli("check", "--strict", cwd=scratch.root)
    assert run.code == 1
    assert "(--strict: warnings count as errors)" in run.err


def test_usage_errors_exit_2(scratch, cli):
    assert cli("check", "--no-such-flag", cwd=scratch.root).code == 2
    assert cli(cwd=scratch.root).code == 2
    assert cli("check", "--content", "missing", cwd=scratch.root).code == 2


def test_invalid_utf8_points_at_the_byte(scratch, cli):
    scratch.project().write_bytes(PROJECT.encode("utf-8").replace("测试用途".encode(), "测试".encode() + b"\xff\xfe"))
    run = cli("check", cwd=scratch.root)
    assert run.diagnostics == [f"{P}:7:12: error: file is not valid UTF-8"]


def test_gbk_file_is_refused_with_a_hint(scratch, cli):
    scratch.project().write_bytes(PROJECT.encode("gbk"))
    run = cli("check", cwd=scratch.root)
    assert run.diagnostics == [f"{P}:2:7: error: file is not valid UTF-8"]
    assert "GBK is not accepted" in run.err


def test_symlinked_content_is_refused(scratch, cli, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("code: P002\n", encoding="utf-8")
    (scratch.project().parent / "P002.yaml").symlink_to(outside)
    run = cli("check", cwd=scratch.root)
    assert run.diagnostics == [
        "content/2022/100001/projects/P002.yaml:1:1: error: symbolic links are not allowed in content"]


def test_a_symlinked_department_file_is_refused_and_its_projects_are_not_read_as_one(scratch, cli, tmp_path):
    outside = tmp_path / "department.yaml"
    outside.write_text(scratch.department.read_text(encoding="utf-8"), encoding="utf-8")
    scratch.department.unlink()
    scratch.department.symlink_to(outside)
    run = cli("check", cwd=scratch.root)
    assert run.code == 1
    assert run.diagnostics == [
        "content/2022/100001/department.yaml:1:1: error: symbolic links are not allowed in content",
        "content/2022/100001/projects/P001.yaml:1:7: error: this project is not listed in its department's `projects`"]


def test_duplicate_project_code_across_departments(scratch, cli):
    other = scratch.content / "2022" / "100002"
    scratch.write(other / "department.yaml", replace(DEPARTMENT, "code: '100001'", "code: '100002'"))
    scratch.write(other / "projects" / "P001.yaml", PROJECT)
    run = cli("check", cwd=scratch.root)
    assert run.diagnostics == [
        "content/2022/100002/projects/P001.yaml:1:7: error: project code `P001` is used twice in 2022 "
        "(also at 100001/projects/P001.yaml:1)"]


def test_unlisted_project_file(scratch, cli):
    scratch.write(scratch.project("P002"), replace(PROJECT, "code: P001", "code: P002"))
    run = cli("check", cwd=scratch.root)
    assert run.diagnostics == [
        "content/2022/100001/projects/P002.yaml:1:7: error: this project is not listed in its department's `projects`"]


def test_billion_laughs_is_refused_without_expanding(scratch, cli):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    scratch.project().write_text(bomb, encoding="utf-8")
    run = cli("check", cwd=scratch.root)
    assert run.diagnostics == [f"{P}:1:4: error: YAML anchors (`&a`) are not allowed"]


def test_deep_nesting_is_refused(scratch, cli):
    scratch.project().write_text("a: " + "[" * 40 + "]" * 40 + "\n", encoding="utf-8")
    run = cli("check", cwd=scratch.root)
    assert run.diagnostics == [f"{P}:1:35: error: nesting deeper than 32 levels"]


def test_an_unknown_framework_does_not_hide_other_problems(scratch, cli):
    scratch.site.write_text("title: 测试站点\npublisher: 测试财政局\nframework: cz2012\n", encoding="utf-8")
    scratch.project().write_text(replace(PROJECT, "total: 100000.00", "total: 1.00"), encoding="utf-8")
    run = cli("check", cwd=scratch.root)
    assert run.diagnostics == [
        f"{P}:4:10: error: 预算数 1.00 元 does not equal 财政资金 100,000.00 元 + 其他资金 (blank) = 100,000.00 元",
        f"{S}:3:12: error: unknown indicator framework `cz2012`",
    ]
