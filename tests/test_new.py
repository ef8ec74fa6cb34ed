"""`build.py new monitoring|evaluation|department-evaluation`: stage files that list the approved
indicators, hold 待填写 where the publisher must write, and pass `check` once filled."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import CONTENT

STAGED = "130229214I5FK2QU161C5"
DEPARTMENT = "content/2022/304001"


@pytest.fixture
def site(tmp_path) -> Path:
    """The seed content without its example stage files (the projects' and the department's), in tmp_path/content."""
    shutil.copytree(CONTENT, tmp_path / "content")
    for stage in ("monitoring", "evaluations"):
        shutil.rmtree(tmp_path / DEPARTMENT / stage)
    (tmp_path / DEPARTMENT / "evaluation.yaml").unlink()
    return tmp_path


def approved_names(root: Path, code: str) -> list[str]:
    project = yaml.safe_load((root / DEPARTMENT / f"projects/{code}.yaml").read_text(encoding="utf-8"))
    return [row["name"] for row in project["indicators"]]


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each `key: 待填写` line; TARGET in a value is the row's approved target without its comparator."""
    target, out = "", []
    for line in text.split("\n"):
        found = re.search(r"— 年度指标值 [≥≤<>=]?(.*)$", line)
        target = found.group(1) if found else target
        field = re.fullmatch(r"( *(?:- )?)([a-z_]+): 待填写", line)
        if field and field.group(2) in values:
            line = f"{field.group(1)}{field.group(2)}: {values[field.group(2)].replace('TARGET', target)}"
        out.append(line)
    return "\n".join(out)


def test_new_monitoring_lists_the_approved_indicators_and_check_fails_until_it_is_filled(site, cli):
    run = cli("new", "monitoring", "--department", DEPARTMENT, "--code", STAGED, cwd=site)
    assert run.code == 0, run.err
    path = site / DEPARTMENT / f"monitoring/{STAGED}.yaml"
    assert run.out == f"wrote {DEPARTMENT}/monitoring/{STAGED}.yaml; fill it in, then run `python build.py check`\n"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert [row["name"] for row in data["indicators"]] == approved_names(site, STAGED)  # every one, names exact
    assert data["money"]["budget"] == 10000000.00  # the approved budget, as the targets write it
    assert "  budget: 10000000.00\n" in text
    assert "# 产出指标 / 数量指标 — 年度指标值 ≥3000人次\n  - name: 示范县开展电商培训次数\n" in text

    check = cli("check", cwd=site)
    assert check.code == 1
    lines = text.split("\n")
    period = lines.index("period: 待填写") + 1
    assert f"{DEPARTMENT}/monitoring/{STAGED}.yaml:{period}:9: error: `period` still holds the placeholder 待填写" \
        in check.diagnostics
    placeholders = [d for d in check.diagnostics if "still holds the placeholder 待填写" in d]
    assert len(placeholders) == 3 + 3 * 15  # period, and the money's executed and forecast; 3 per indicator row
    assert all(d.startswith(f"{DEPARTMENT}/monitoring/") for d in placeholders)

    text = fill(text, {"period": "1-7月", "executed": "4200000.00", "progress": "按计划推进", "forecast": "TARGET",
                       "likelihood": "确定能"})
    text = re.sub(r"(?m)^  forecast: .*$", "  forecast: 9600000.00", text)  # the money's (rows are indented more)
    path.write_text(text, encoding="utf-8")
    check = cli("check", cwd=site)
    assert check.code == 0, check.err
    assert not [d for d in check.diagnostics if "/monitoring/" in d and ": error: " in d]


def test_new_evaluation_shares_the_profiles_points_and_passes_check_when_filled(site, cli):
    assert cli("new", "evaluation", f"{DEPARTMENT}", "--code", STAGED, cwd=site).code == 0
    path = site / DEPARTMENT / f"evaluations/{STAGED}.yaml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    rows = data["indicators"]
    assert [row["name"] for row in rows] == approved_names(site, STAGED)
    assert [row["level1"] for row in rows if "level1" in row] == ["产出指标（50分）", "效益指标（30分）", "满意度指标（10分）"]
    # Each row's even share of its 一级's points is suggested beside its weight, which is left to write.
    weights = [Decimal(w) for w in re.findall(r"(?m)^    weight: 待填写  # ([\d.]+)$", text)]
    assert (sum(weights[:8]), sum(weights[8:12]), sum(weights[12:])) == (50, 30, 10)  # the default profile's split
    assert weights[:8] == [Decimal("6.25")] * 8 and weights[12:] == [Decimal("3.33"), Decimal("3.33"), Decimal("3.34")]
    assert data["money"]["total"]["initial"] == 10000000.00
    assert rows[6] == {"name": "按时完成工作", "actual": "待填写", "band": "待填写", "weight": "待填写"}  # a text target

    check = cli("check", cwd=site)
    assert check.code == 1
    assert any(re.fullmatch(rf"{DEPARTMENT}/evaluations/{STAGED}.yaml:\d+:\d+: error: `actual` still holds the "
                            "placeholder 待填写", d) for d in check.diagnostics)

    text = re.sub(r"(?m)^    weight: 待填写  # ([\d.]+)$", r"    weight: \1", text)  # the form's weights
    text = fill(text, {"actual": "TARGET", "band": "达成年度指标"}).replace(
        "adjusted: 待填写, executed: 待填写", "adjusted: 10000000.00, executed: 9500000.00", 1)
    text = re.sub(r"(?m)^  actual: .*$", "  actual: 全年目标完成", text)  # the goal's (rows are indented more)
    path.write_text(text, encoding="utf-8")
    check = cli("check", cwd=site)
    assert check.code == 0, check.err


def test_weights_are_left_to_fill_in_where_the_profile_does_not_fit(scratch, cli):
    # The scratch project has 产出指标 and 满意度指标 but no 效益指标; one name needs quoting in YAML.
    project = scratch.project()
    project.write_text(project.read_text(encoding="utf-8").replace("name: 活动次数", "name: '#活动次数: 全年'"),
                       encoding="utf-8")
    run = cli("new", "evaluation", "--department", str(scratch.department.parent), "--code", "P001", cwd=scratch.root)
    assert run.code == 0, run.err
    text = (scratch.department.parent / "evaluations/P001.yaml").read_text(encoding="utf-8")
    assert "# 分值: the weights add up to 90 (scoring profile `default`: 产出指标 50，效益指标 30，满意度指标 10); " \
           "this project's 一级 are 产出指标，满意度指标," in text
    data = yaml.safe_load(text)
    assert [row["name"] for row in data["indicators"]] == ["#活动次数: 全年", "资金成本", "满意度"]
    assert all(row["weight"] == "待填写" and "level1" not in row for row in data["indicators"])
    assert cli("check", cwd=scratch.root).code == 1
    path = scratch.department.parent / "evaluations/P001.yaml"
    text = fill(text, {"actual": "TARGET"}).replace(
        "{initial: 100000.00, adjusted: 待填写, executed: 待填写}", "{initial: 100000.00, adjusted: 100000.00, "
        "executed: 100000.00}")
    for weight in ("25", "25", "10"):  # the profile's 产出 50 and 满意度 10; it has no 效益 for the rest
        text = text.replace("    weight: 待填写", f"    weight: {weight}", 1)
    path.write_text(re.sub(r"(?m)^  actual: .*$", "  actual: 全年目标完成", text), encoding="utf-8")
    check = cli("check", cwd=scratch.root)
    # The rows are the approved indicators (the quoted name matched); what is left is what the note said:
    # this project's 一级 cannot make up the profile's 90.
    (error,) = [d for d in check.diagnostics if ": error: " in d]
    assert re.fullmatch(r"content/2022/100001/evaluations/P001\.yaml:\d+:\d+: error: the indicators' 分值 add up to 60, "
                        r"not 90: scoring profile `default` gives the indicators 90 beside the budget's 10", error)


def test_new_department_evaluation_and_refusals(site, cli):
    assert cli("new", "department-evaluation", DEPARTMENT, cwd=site).code == 0
    check = cli("check", cwd=site)
    assert any(d.startswith(f"{DEPARTMENT}/evaluation.yaml:") and "`name` still holds the placeholder 待填写" in d
               for d in check.diagnostics)
    # Never overwrites; needs a project of this department whose targets pass check.
    again = cli("new", "department-evaluation", DEPARTMENT, cwd=site)
    assert again.code == 1 and again.err == f"error: {DEPARTMENT}/evaluation.yaml exists; gongkai never overwrites " \
        "a content file\n"
    unknown = cli("new", "monitoring", DEPARTMENT, "--code", "NOSUCHCODE", cwd=site)
    assert unknown.code == 1 and "project `NOSUCHCODE` is not one of this department's projects" in unknown.err
    assert cli("new", "monitoring", DEPARTMENT, cwd=site).code == 2  # no --code
    targets = site / DEPARTMENT / f"projects/{STAGED}.yaml"
    targets.write_text(targets.read_text(encoding="utf-8").replace("target: ≥3000人次", "target: ≥**人次"),
                       encoding="utf-8")
    broken = cli("new", "monitoring", DEPARTMENT, "--code", STAGED, cwd=site)
    assert broken.code == 1
    assert any("projects/130229214I5FK2QU161C5.yaml" in d and "template placeholder" in d for d in broken.diagnostics)
    assert broken.err.endswith("error: the project's targets have errors; nothing was written: correct them "
                               "(`python build.py check`), then run `new` again\n")
    assert not (site / DEPARTMENT / "monitoring").exists()
    assert "Traceback" not in broken.err


def placeholder_lines(text: str) -> set[int]:
    """The lines of a file that still hold a placeholder outside a comment: what check must report."""
    return {line for line, _ in placeholders(text)}


def placeholders(text: str) -> set[tuple[int, int]]:
    """Where a file holds 待填写 outside a comment, as (line, column) from 1: a value `new` left to write."""
    found = set()
    for n, line in enumerate(text.split("\n"), start=1):
        code = line.split(" #")[0] if not line.lstrip().startswith("#") else ""
        found |= {(n, m.start() + 1) for m in re.finditer("待填写", code)}
    return found


def uncomment(text: str, key: str) -> str:
    """An optional block of a scaffold made live, as an editor's toggle-comment does: one `# ` off its
    key line and the lines of the block below it."""
    lines = text.split("\n")
    start = next(n for n, line in enumerate(lines) if line.lstrip() == f"# {key}:")
    pad = lines[start][:len(lines[start]) - len(lines[start].lstrip())]
    end = start + 1
    while end < len(lines) and lines[end].startswith(pad + "#   "):
        end += 1
    return "\n".join([*lines[:start], *(pad + line[len(pad) + 2:] for line in lines[start:end]), *lines[end:]])


def errors_by_file(check, path: str) -> dict[int, str]:
    found = {}
    for d in check.diagnostics:
        where = re.match(rf"{re.escape(path)}:(\d+):\d+: error: (.*)", d)
        if where:
            found[int(where.group(1))] = where.group(2)
    return found


def test_new_files_show_the_other_forms_keys_commented_and_check_only_their_placeholders(tmp_path, cli):
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text("title: 测试\npublisher: 测试\n", encoding="utf-8")
    folder = content / "2024" / "999001"
    assert cli("new", "department", str(folder), "--code", "999001", cwd=tmp_path).code == 0
    assert cli("new", "project", str(folder), "--code", "P1", cwd=tmp_path).code == 0
    department_path, project_path = folder / "department.yaml", folder / "projects/P1.yaml"
    department_path.write_text(department_path.read_text(encoding="utf-8").replace(
        "projects:\n  - 待填写", "projects:\n  - P1"), encoding="utf-8")
    department, project = (p.read_text(encoding="utf-8") for p in (department_path, project_path))
    # The 申报表's header cells, 实施期 money and goals, funding sources and the indicators' optional columns:
    # there to see, commented out, so none of them is asked for.
    for line in ("# supervisor: 待填写", "# implementer: 待填写", "# manager: 待填写", "# phone: 待填写",
                 "# kind: 待填写", "# attribute: 待填写", "# period: 待填写", "# period_budget:", "  # breakdown:",
                 "# long_term_goals:", "    # nature: 待填写", "    # weight: 待填写", "    # direction: 待填写",
                 "    # previous: 待填写", "    # formula: 待填写", "    # note: 待填写", "    # unit: 待填写"):
        assert f"\n{line}\n" in project, line
    assert "\n# 主管部门 — optional:" in project and "\n# 实施期资金总额 — optional:" in project
    assert "\n# whole:\n" in department and "\n#   income:\n" in department
    assert "\n# 部门整体支出绩效目标表 — optional:" in department
    assert "purpose: 待填写" in project.split("\n")  # the default layout's cells stay to fill in
    assert "spending_plan:" in project.split("\n") and "overall:" in department.split("\n")

    run = cli("check", "--content", str(content), cwd=tmp_path)
    assert run.code == 1
    for path, text in (("content/2024/999001/department.yaml", department),
                       ("content/2024/999001/projects/P1.yaml", project)):
        errors = errors_by_file(run, path)
        assert set(errors) == placeholder_lines(text), path  # exactly the placeholders, nothing else
        assert all("placeholder" in message for message in errors.values())

    # Uncommented, a block is valid YAML whose placeholders are the errors, like any other.
    department = uncomment(department, "whole")
    project = uncomment(uncomment(uncomment(project, "period_budget"), "long_term_goals"), "breakdown")
    department_path.write_text(department, encoding="utf-8")
    project_path.write_text(project, encoding="utf-8")
    assert yaml.safe_load(department)["whole"]["income"]["rows"] == [{"name": "待填写", "amount": "待填写"}]
    assert yaml.safe_load(project)["long_term_goals"] == ["待填写"]
    run = cli("check", "--content", str(content), cwd=tmp_path)
    for path, text in (("content/2024/999001/department.yaml", department),
                       ("content/2024/999001/projects/P1.yaml", project)):
        errors = errors_by_file(run, path)
        assert set(errors) == placeholder_lines(text), (path, errors)
        assert all("placeholder" in message for message in errors.values())


def error_positions(check, path: str) -> set[tuple[int, int]]:
    return {(int(m.group(1)), int(m.group(2))) for d in check.diagnostics
            if (m := re.match(rf"{re.escape(path)}:(\d+):(\d+): error: `[^`]+` still holds the placeholder 待填写$", d))}


def test_every_value_new_leaves_to_write_is_a_check_error_at_its_place(site, cli):
    """Whatever `new` writes for the publisher to replace is 待填写, and each one, at its line and column,
    is an error of `check` until it is replaced: in a department, a project and each stage's file. It
    writes no example value that check would pass (a year, a unit, a category, an even share of points)."""
    folder = f"{DEPARTMENT[:-6]}999001"
    made = {f"{folder}/department.yaml": cli("new", "department", folder, "--code", "999001", cwd=site),
            f"{folder}/projects/P1.yaml": cli("new", "project", folder, "--code", "P1", cwd=site),
            f"{DEPARTMENT}/monitoring/{STAGED}.yaml": cli("new", "monitoring", DEPARTMENT, "--code", STAGED, cwd=site),
            f"{DEPARTMENT}/evaluations/{STAGED}.yaml": cli("new", "evaluation", DEPARTMENT, "--code", STAGED, cwd=site),
            f"{DEPARTMENT}/evaluation.yaml": cli("new", "department-evaluation", DEPARTMENT, cwd=site)}
    assert all(run.code == 0 for run in made.values()), [run.err for run in made.values()]
    check = cli("check", cwd=site)
    for path in made:
        text = (site / path).read_text(encoding="utf-8")
        assert placeholders(text), path
        assert error_positions(check, path) == placeholders(text), path
    project = yaml.safe_load((site / folder / "projects/P1.yaml").read_text(encoding="utf-8"))
    filled = {key: value for key, value in project.items() if value != "待填写" and not isinstance(value, (dict, list))}
    assert filled == {"code": "P1"}  # nothing else but the code it was given
    assert yaml.safe_load((site / folder / "department.yaml").read_text(encoding="utf-8"))["projects"] == ["P1"]


def test_new_project_is_listed_in_its_department_keeping_the_file_as_it_was(site, cli):
    department = site / DEPARTMENT / "department.yaml"
    before = department.read_text(encoding="utf-8")
    run = cli("new", "project", DEPARTMENT, "--code", "P9", cwd=site)
    assert run.code == 0 and f"listed P9 in `projects:` of {DEPARTMENT}/department.yaml" in run.out
    after = department.read_text(encoding="utf-8")
    last = "  - 130229214I5FK2QU161C5  # 4. 玉财建【2021】31号…中央服务业发展资金\n"
    assert after == before.replace(last, last + "  - P9\n")  # after the last item, its comment kept
    department.write_text(before.replace("projects:\n", "projects: [P0]\n# was:\n").replace("  - 13", "  # - 13"),
                          encoding="utf-8")
    flow = department.read_text(encoding="utf-8")
    run = cli("new", "project", DEPARTMENT, "--code", "P10", cwd=site)
    assert run.code == 0 and run.out.endswith(f"add this line to `projects:` in {DEPARTMENT}/department.yaml "
                                              "(where it stands in 第二部分):\n  - P10\n")
    assert department.read_text(encoding="utf-8") == flow  # a flow list is left to the publisher


@pytest.mark.parametrize(("before", "after"), [
    ("code: '1'\nprojects:\n  - A\n", "code: '1'\nprojects:\n  - A\n  - P9\n"),
    ("projects:\r\n- 'A'   # first\r\nname: x\r\n", "projects:\r\n- 'A'   # first\r\n- P9\r\nname: x\r\n"),
    ("projects:\n    - A", "projects:\n    - A\n    - P9\n"),  # no line end after the last item
    ("projects:\n  - 待填写  # the codes\n", "projects:\n  - P9  # the codes\n"),
    ("projects:\n  - P9\n  - A\n", "projects:\n  - P9\n  - A\n"),  # already listed
    ("projects: [A]\n", None), ("projects:\n  - A\n  -   B\n", None),
    ("projects:\n  - A\n  - - B\n", None), ("projects:\n  - >\n    A\n", None), ("projects: []\n", None),
    ("whole:\n  projects:\n    - A\n", None), ("projects:\n  - A\n  - B\u2028\n", None),
])
def test_listing_a_project_edits_only_a_plain_list(tmp_path, before, after):
    from builder.content.scaffold import list_project

    path = tmp_path / "department.yaml"
    path.write_bytes(before.encode("utf-8"))
    assert list_project(path, "P9") is (after is not None)
    assert path.read_bytes().decode("utf-8") == (after if after is not None else before)
