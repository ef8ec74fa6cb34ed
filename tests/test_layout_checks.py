"""`check` on the fields of the 申报表/批复表 family and the 部门整体支出绩效目标表 (issue 20).

Each test plants one problem in a scratch site and asserts the whole diagnostic line: where it
is (found from the planted text, the line holding `anchor` and the column where it starts) and
what it says; beside each, the same content put right is quiet.
"""

from __future__ import annotations

from pathlib import Path

from conftest import DEPARTMENT, PROJECT

PROJECT_FILE = "content/2022/100001/projects/P001.yaml"
DEPARTMENT_FILE = "content/2022/100001/department.yaml"

# A project of the 申报表 family: weights, directions, a 度量单位 column.
WEIGHTED = """\
code: P001
name: 测试项目
budget:
  total: 100000.00
  fiscal: 100000.00
  other:
goals:
  - 1.开展活动，提高覆盖率和满意度。
indicators:
  - level1: 产出指标
    level2: 数量指标
    name: 活动次数
    target: '4'
    nature: ≥
    unit: 次
    weight: 50
    direction: 正向
  - level1: 效益指标
    level2: 社会效益指标
    name: 活动覆盖率
    target: ≥80%
    weight: 30
  - level1: 满意度指标
    level2: 服务对象满意度指标
    name: 满意度
    target: ≥80%
    weight: 20
"""

# The department-wide table of a department whose one project has a budget of 100,000.00 元.
WHOLE = """\
whole:
  income:
    rows:
      - {name: 财政拨款, amount: 80000.00, share: 80%}
      - {name: 其他资金, amount: 20000.00, share: 20%}
    total: 100000.00
    total_share: 100%
  expenditure:
    rows:
      - {name: 基本支出, amount: 0.00, share: 0%}
      - {name: 项目支出, amount: 100000.00, share: 100%}
    total: 100000.00
  goals:
    - 1.完成年度工作。
  indicators:
    - level1: 产出指标
      level2: 数量指标
      name: 活动次数
      target: ≥4次
    - level1: 满意度指标
      level2: 服务对象满意度指标
      name: 群众满意度
      target: ≥80%
"""


def at(path: Path, anchor: str, occurrence: int = 1) -> str:
    """`line:col` of the `occurrence`th `anchor` in the file."""
    text = path.read_text(encoding="utf-8")
    offset = -1
    for _ in range(occurrence):
        offset = text.index(anchor, offset + 1)
    return f"{text.count(chr(10), 0, offset) + 1}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def project(scratch, text: str = WEIGHTED, old: str = "", new: str = "") -> Path:
    assert old in text
    return scratch.write(scratch.project(), text.replace(old, new, 1))


def department(scratch, old: str = "", new: str = "") -> Path:
    text = DEPARTMENT.replace("projects:\n", WHOLE + "projects:\n")
    assert old in text
    return scratch.write(scratch.department, text.replace(old, new, 1))


def diagnostics(scratch, cli) -> list[str]:
    return cli("check", cwd=scratch.root).diagnostics


# 权重

def test_weights_adding_up_to_100_are_quiet(scratch, cli):
    project(scratch)
    assert diagnostics(scratch, cli) == []


def test_weights_not_adding_up_to_100_name_each_level1(scratch, cli):
    path = project(scratch, old="    weight: 20", new="    weight: 15")
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '- level1: 产出指标')}: error: 权重 add up to 95, not 100 "
        "(产出 50 + 效益 30 + 满意度 15)"]


def test_weights_follow_the_total_the_form_states(scratch, cli):
    text = WEIGHTED.replace("    weight: 20", "    weight: 10").replace("indicators:", "weight_total: 90\nindicators:")
    project(scratch, text)
    assert diagnostics(scratch, cli) == []
    path = project(scratch, text, "    weight: 10", "    weight: 15")
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '90')}: error: 权重 add up to 95, not 90 (产出 50 + 效益 30 + 满意度 15)"]


def test_a_row_without_a_weight_among_weighted_rows(scratch, cli):
    path = project(scratch, old="    weight: 30\n", new="")
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, 'level1: 效益指标')}: error: this row has no `weight` (权重); 2 other row(s) "
        "of the table have one"]


def test_a_category_label_stating_other_points_than_its_rows(scratch, cli):
    path = project(scratch, old="level1: 产出指标", new="level1: 产出指标（40分）")
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '产出指标（40分）')}: error: 一级指标 `产出指标（40分）` states 40 points; "
        "the 权重 of its rows add up to 50",
        f"{PROJECT_FILE}:{at(path, '产出指标（40分）')}: warning: 一级指标 `产出指标（40分）` is read as `产出指标`"]
    project(scratch, old="level1: 产出指标", new="level1: 产出指标（50分）")
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '产出指标（50分）')}: warning: 一级指标 `产出指标（50分）` is read as `产出指标`"]


# 指标方向

def test_a_direction_against_the_comparator(scratch, cli):
    path = project(scratch, old="    direction: 正向", new="    direction: 反向")
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '反向')}: warning: 指标方向 反向 (less is better) contradicts the target ≥4次, "
        "a floor"]
    path = project(scratch, old="    target: ≥80%\n    weight: 30", new="    target: ≤80%\n    weight: 30\n"
                   "    direction: 正向")
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '正向', 2)}: warning: 指标方向 正向 (more is better) contradicts the target "
        "≤80%, a ceiling"]


def test_a_direction_that_agrees_with_the_comparator_is_quiet(scratch, cli):
    project(scratch, old="    target: ≥80%\n    weight: 30", new="    target: ≤80%\n    weight: 30\n"
            "    direction: 反向")
    assert diagnostics(scratch, cli) == []


# 度量单位 and the indicator's name

def test_a_rate_in_people(scratch, cli):
    path = project(scratch, old="target: ≥80%\n    weight: 30", new="target: ≥80人\n    weight: 30")
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '≥80人')}: warning: `活动覆盖率` names a rate or share, but its target ≥80人 "
        "is in 人"]


def test_a_rate_whose_unit_column_says_a_count(scratch, cli):
    path = project(scratch, old="target: ≥80%\n    weight: 30", new="target: '80'\n    nature: ≥\n    unit: 个\n"
                   "    weight: 30")
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '个')}: warning: `活动覆盖率` names a rate or share, but its target ≥80个 is in 个"]


def test_money_in_percent(scratch, cli):
    path = project(scratch, old="name: 活动覆盖率", new="name: 项目资金（万元）")
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '≥80%')}: warning: `项目资金（万元）` names an amount of money, but its target "
        "≥80% is in %"]


def test_a_count_in_percent_and_a_frequency_in_times(scratch, cli):
    path = project(scratch, old="name: 活动覆盖率", new="name: 受益人数")
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '≥80%')}: warning: `受益人数` names a count, but its target ≥80% is in %"]
    project(scratch, old="name: 活动覆盖率\n    target: ≥80%", new="name: 巡查频率\n    target: ≥4次")
    assert diagnostics(scratch, cli) == []


def test_a_unit_column_against_the_values_own_unit(scratch, cli):
    path = project(scratch, old="target: ≥80%\n    weight: 30", new="target: 90%\n    unit: 人\n    weight: 30")
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '人')}: warning: 度量单位 `人` contradicts the 指标值 90%, which is in %"]


def test_units_that_agree_with_the_name_are_quiet(scratch, cli):
    project(scratch, old="target: ≥80%\n    weight: 30", new="target: '90'\n    nature: 大于等于\n    unit: 百分比\n"
            "    weight: 30")
    assert diagnostics(scratch, cli) == []
    project(scratch, old="target: ≥80%\n    weight: 30", new="target: ≥90%\n    unit: '%'\n    weight: 30")
    assert diagnostics(scratch, cli) == []


# The same indicator twice

def test_the_same_indicator_twice_under_one_category(scratch, cli):
    path = project(scratch, old="    name: 满意度\n", new="    name: 满意度\n    target: ≥80%\n    weight: 10\n"
                   "  - name: 满 意 度（%）\n")
    path.write_text(path.read_text(encoding="utf-8").replace("weight: 20", "weight: 10"), encoding="utf-8")
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '满 意 度（%）')}: error: `满 意 度（%）` is in this table twice under "
        f"满意度指标/服务对象满意度指标 (first at line {at(path, 'name: 满意度').split(':')[0]})"]


def test_the_same_indicator_twice_under_two_categories(scratch, cli):
    path = project(scratch, old="name: 满意度", new="name: 活动覆盖率")
    first = at(path, "活动覆盖率").split(":")[0]
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '活动覆盖率', 2)}: warning: `活动覆盖率` is in this table twice: here under "
        f"满意度指标/服务对象满意度指标, at line {first} under 效益指标/社会效益指标"]


# The department-wide table

def test_a_correct_department_wide_table_is_quiet(scratch, cli):
    department(scratch)
    assert diagnostics(scratch, cli) == []


def test_the_department_wide_table_is_checked_like_a_project(scratch, cli):
    path = department(scratch, "      target: ≥80%\n", "      target: ≥80%\n      weight: 40\n"
                      "    - level2: 服务对象满意度指标\n      name: 群众满意度\n      target: ≥90%\n      weight: 45\n")
    text = path.read_text(encoding="utf-8").replace("      target: ≥4次\n", "      target: ≥4次\n      weight: 10\n")
    path.write_text(text, encoding="utf-8")
    assert diagnostics(scratch, cli) == [
        f"{DEPARTMENT_FILE}:{at(path, '- level1: 产出指标')}: error: 权重 add up to 95, not 100 (产出 10 + 满意度 85)",
        f"{DEPARTMENT_FILE}:{at(path, '群众满意度', 2)}: error: `群众满意度` is in this table twice under "
        f"满意度指标/服务对象满意度指标 (first at line {at(path, '群众满意度').split(':')[0]})"]


def test_a_pair_outside_the_framework_in_a_project_and_in_the_whole_table(scratch, cli):
    department(scratch, "      level2: 数量指标", "      level2: 效率指标")
    path = project(scratch, old="level2: 社会效益指标", new="level2: 数量指标")
    assert diagnostics(scratch, cli) == [
        f"{DEPARTMENT_FILE}:{at(scratch.department, '效率指标')}: error: `效率指标` is not a 二级指标 under "
        "`产出指标` in framework `classic`",
        f"{PROJECT_FILE}:{at(path, '数量指标', 2)}: error: `数量指标` is not a 二级指标 under `效益指标` in "
        "framework `classic`"]


# 收入构成, 支出构成 and the projects' budgets

def test_shares_not_adding_up_to_100(scratch, cli):
    path = department(scratch, "share: 20%}", "share: 19%}")
    assert diagnostics(scratch, cli) == [
        f"{DEPARTMENT_FILE}:{at(path, '80%}')}: error: 收入构成's 占比 add up to 99%, not 100% "
        "(财政拨款 80% + 其他资金 19%)",
        f"{DEPARTMENT_FILE}:{at(path, '19%}')}: warning: 其他资金's 占比 19% contradicts its amount: "
        "20,000.00 元 of 100,000.00 元 is 20%"]


def test_rows_not_adding_up_to_the_total(scratch, cli):
    path = department(scratch, "amount: 20000.00", "amount: 25000.00")
    assert diagnostics(scratch, cli) == [
        f"{DEPARTMENT_FILE}:{at(path, '20%}')}: warning: 其他资金's 占比 20% contradicts its amount: 25,000.00 元 "
        "of 100,000.00 元 is 25%",
        f"{DEPARTMENT_FILE}:{at(path, '100000.00')}: error: 收入构成's rows add up to 105,000.00 元, not the 合计 "
        "100,000.00 元"]


def test_income_and_expenditure_totals_differ(scratch, cli):
    path = department(scratch)
    text = path.read_text(encoding="utf-8")
    text = text.replace("{name: 基本支出, amount: 0.00, share: 0%}", "{name: 基本支出, amount: 10000.00, share: 9.09%}")
    text = text.replace("{name: 项目支出, amount: 100000.00, share: 100%}",
                        "{name: 项目支出, amount: 100000.00, share: 90.91%}")
    text = text.replace("  total: 100000.00\n  goals", "  total: 110000.00\n  goals")
    path.write_text(text, encoding="utf-8")
    assert diagnostics(scratch, cli) == [
        f"{DEPARTMENT_FILE}:{at(path, '110000.00')}: error: 支出构成 adds up to 110,000.00 元; 收入构成 to "
        "100,000.00 元"]


def test_project_spending_against_the_projects_budgets(scratch, cli):
    path = department(scratch)
    scratch.write(scratch.project(), WEIGHTED.replace("total: 100000.00\n  fiscal: 100000.00",
                                                      "total: 90000.00\n  fiscal: 90000.00"))
    assert diagnostics(scratch, cli) == [
        f"{DEPARTMENT_FILE}:{at(path, '100000.00, share: 100%')}: warning: 支出构成's 项目支出 is 100,000.00 元; "
        "the budgets of its 1 project(s) add up to 90,000.00 元"]


def test_the_department_wide_table_in_its_own_money_unit(scratch, cli):
    path = department(scratch, "whole:\n", "whole:\n  money_unit: 万元\n")
    text = path.read_text(encoding="utf-8").replace("100000.00", "10").replace("80000.00", "8")
    path.write_text(text.replace("20000.00", "2").replace("amount: 0.00", "amount: 0"), encoding="utf-8")
    assert diagnostics(scratch, cli) == []
    path.write_text(text.replace("20000.00", "2").replace("{name: 项目支出, amount: 10,",
                                                        "{name: 项目支出（万元）, amount: 9.5,")
                    .replace("{name: 基本支出, amount: 0.00, share: 0%}", "{name: 基本支出, amount: 0.5, share: 5%}")
                    .replace("share: 100%}", "share: 95%}"), encoding="utf-8")
    assert diagnostics(scratch, cli) == [
        f"{DEPARTMENT_FILE}:{at(path, '9.5')}: warning: 支出构成's 项目支出（万元） is 95,000.00 元; the budgets of its "
        "1 project(s) add up to 100,000.00 元"]


def test_a_total_below_the_projects_budgets_without_a_project_row(scratch, cli):
    path = department(scratch, "  expenditure:\n    rows:\n      - {name: 基本支出, amount: 0.00, share: 0%}\n"
                      "      - {name: 项目支出, amount: 100000.00, share: 100%}\n    total: 100000.00\n", "")
    text = path.read_text(encoding="utf-8").replace("80000.00", "70000.00").replace("share: 80%", "share: 77.78%")
    text = text.replace("share: 20%", "share: 22.22%").replace("total: 100000.00", "total: 90000.00")
    path.write_text(text, encoding="utf-8")
    assert diagnostics(scratch, cli) == [
        f"{DEPARTMENT_FILE}:{at(path, '90000.00')}: warning: the department-wide budget is 90,000.00 元; the "
        "budgets of its 1 project(s) add up to 100,000.00 元, more than the whole"]


# The same indicator under two categories (lint), in a department and across years

SECOND = PROJECT.replace("code: P001", "code: P002").replace("name: 测试项目", "name: 另一项目")


def two_projects(scratch, second: str = SECOND) -> Path:
    scratch.write(scratch.department, DEPARTMENT.replace("  - P001\n", "  - P001\n  - P002\n"))
    scratch.write(scratch.project(), PROJECT)
    return scratch.write(scratch.project("P002"), second)


def test_one_indicator_under_two_categories_in_two_projects(scratch, cli):
    first = scratch.project()
    path = two_projects(scratch, SECOND.replace("  - level2: 成本指标\n", "  - level2: 质量指标\n    name: 活动次数\n"
                                                "    target: ≥4次\n  - level2: 成本指标\n")
                        .replace("    level2: 数量指标\n    name: 活动次数\n    target: ≥4次\n",
                                 "    level2: 数量指标\n    name: 活动场次\n    target: ≥4次\n"))
    assert diagnostics(scratch, cli) == [
        f"content/2022/100001/projects/P002.yaml:{at(path, '活动次数')}: warning: `活动次数` is filed under 质量指标 "
        f"here but under 数量指标 in project P001 (projects/P001.yaml:{at(first, '活动次数').split(':')[0]})"]


def test_one_indicator_under_one_category_everywhere_is_quiet(scratch, cli):
    two_projects(scratch)
    department(scratch)  # its table files 活动次数 as both projects do
    text = scratch.department.read_text(encoding="utf-8").replace("  - P001\n", "  - P001\n  - P002\n")
    scratch.write(scratch.department, text.replace("amount: 100000.00, share: 100%", "amount: 200000.00, share: 100%")
                  .replace("80000.00", "180000.00").replace("share: 80%", "share: 90%")
                  .replace("share: 20%", "share: 10%").replace("total: 100000.00", "total: 200000.00"))
    assert diagnostics(scratch, cli) == []


def test_the_department_wide_table_and_a_project_file_one_indicator_differently(scratch, cli):
    path = department(scratch, "      level2: 数量指标\n      name: 活动次数", "      level2: 质量指标\n      name: 活动次数")
    scratch.write(scratch.project(), PROJECT)
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(scratch.project(), '活动次数')}: warning: `活动次数` is filed under 数量指标 here but "
        f"under 质量指标 in the department-wide table (department.yaml:{at(path, '活动次数').split(':')[0]})"]


def another_year(scratch, year: int, project: str) -> Path:
    folder = scratch.content / str(year) / "100001"
    scratch.write(folder / "department.yaml", DEPARTMENT.replace("year: 2022", f"year: {year}"))
    return scratch.write(folder / "projects" / "P001.yaml", project)


def test_one_project_filing_an_indicator_otherwise_than_the_year_before(scratch, cli):
    before = another_year(scratch, 2021, PROJECT.replace("level2: 成本指标", "level2: 质量指标\n    name: 资金投入\n"
                                                         "    target: ≥1次\n  - level2: 成本指标"))
    path = scratch.write(scratch.project(), PROJECT.replace("  - level2: 成本指标\n", "  - level2: 时效指标\n"
                                                           "    name: 资金投入\n    target: ≥1次\n  - level2: 成本指标\n"))
    assert diagnostics(scratch, cli) == [
        f"{PROJECT_FILE}:{at(path, '资金投入')}: warning: `资金投入` is filed under 时效指标 here but under 质量指标 "
        f"in 2021 (2021/100001/projects/P001.yaml:{at(before, '资金投入').split(':')[0]})"]
    # Under another framework, which moved its categories on purpose, or unchanged: nothing to say.
    scratch.write(before.parent.parent / "department.yaml", DEPARTMENT.replace("year: 2022", "year: 2021\n"
                  "framework: caiyu-2021-101"))
    scratch.write(before, PROJECT.replace("  - level2: 成本指标\n", "  - level2: 质量指标\n    name: 资金投入\n"
                                          "    target: ≥1次\n  - level1: 成本指标\n    level2: 经济成本指标\n"))
    assert diagnostics(scratch, cli) == []
    another_year(scratch, 2021, PROJECT)
    assert diagnostics(scratch, cli) == []


# The narrative against the tables, names spelt differently

NARRATIVE = """\
narrative:
  title: 测试局分项绩效目标
  items:
    - name: 测试项目
      project: P001
      paragraphs:
        - 1、产出指标—数量指标—开展产业优势项目宣传推介活动数量--反映宣传推介活动情况，指标值为≥5次。
"""


def test_the_narrative_spelling_an_indicator_differently(scratch, cli):
    path = scratch.write(scratch.department, DEPARTMENT.replace("projects:\n", NARRATIVE + "projects:\n"))
    project = scratch.write(scratch.project(), PROJECT.replace("name: 活动次数", "name: 开展产业优势产业项目宣传推介活动数量"))
    run = cli("check", cwd=scratch.root)
    assert run.diagnostics == [
        f"{DEPARTMENT_FILE}:{at(path, '1、')}: warning: the narrative states 1、开展产业优势项目宣传推介活动数量 as ≥5次; "
        "the table says ≥4次 for `开展产业优势产业项目宣传推介活动数量`"]
    assert (f"hint: table row at projects/{Path(project).name}:{at(project, '≥4次').split(':')[0]}, taken to be the "
            "one the narrative spells "
            "differently") in run.err
    scratch.write(scratch.department, DEPARTMENT.replace("projects:\n", NARRATIVE.replace("≥5次", "≥4次") + "projects:\n"))
    assert diagnostics(scratch, cli) == []
