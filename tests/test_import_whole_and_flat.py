"""`build.py import` of a 部门整体支出绩效目标表 and of a flat multi-project sheet, in every shape.

Each fixture is one description (tests/shapes.py) written as a Word text export, an Excel paste, a .docx,
an .xlsx and a PDF; each import is compared field by field with the expected YAML written here by hand,
checked as `check` would, and its values written back into the source's table, cell by cell.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from shapes import SHAPES, Document, Table, write_source

import builder.importers.sources
from builder.pipeline import check_content

# The PDF shape needs a PDF reader in importers/sources.py; until it has one, that shape is skipped.
PDF_READER = hasattr(builder.importers.sources, "read_pdf")
EVERY_SHAPE = [pytest.param(shape, marks=pytest.mark.skipif(shape == "pdf" and not PDF_READER,
                                                            reason="no PDF reader in importers/sources.py yet"))
               for shape in SHAPES]

# --- the 部门整体支出绩效目标表 --------------------------------------------------------------------

UNIT = "100200-测试县农业农村局"
FUNCTIONS = "（一）负责全县农业农村发展规划。\n（二）负责高标准农田建设。\n（三）负责农产品质量安全监管。"
LONG_TERM = "1.到2025年建成高标准农田10万亩。\n2.农民人均可支配收入年均增长7%。"
GOALS = "1.新建高标准农田1.2万亩。\n2.农产品质量安全抽检合格率达到98%以上。\n3.培训高素质农民500人次。"
WHOLE_INDICATORS = [
    ["产出指标", "数量指标", "新建高标准农田面积", "年度新建面积", "≥1.2万亩", "年度计划"],
    ["", "", "培训高素质农民", "培训人次", "≥500人次", "年度计划"],
    ["", "质量指标", "农产品质量安全抽检合格率", "抽检合格率", "≥98%", "省定标准"],
    ["", "", "高标准农田验收合格率", "验收合格率", "100%", "验收标准"],
    ["", "时效指标", "项目完工时间", "完工时间", "2024年11月底前", "年度计划"],
    ["", "成本指标", "亩均建设成本", "亩均投资", "≤1500元/亩", "省定标准"],
    ["效益指标", "经济效益指标", "农民人均可支配收入增长率", "收入增长", "≥7%", "统计数据"],
    ["", "社会效益指标", "带动农户增收", "受益农户", "≥3000户", "年度计划"],
    ["", "可持续影响指标", "耕地质量等级提升", "提升等级", "≥0.5等", "验收标准"],
    ["满意度指标", "服务对象满意度指标", "农户满意度", "满意度", "≥90%", "抽样调查"],
]
INCOME = [["财政拨款", "1,600.00", "80.00%"], ["其他资金", "400.00", "20.00%"], ["合计", "2000.00", "100.00%"]]
EXPENDITURE = [["基本支出", "1200.00", "60%"], ["项目支出", "800.00", "40%"], ["合计", "2000.00", "100%"]]
WHOLE_HEADER = ["年度绩效指标", "一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]


def whole_rows(unit: str = UNIT) -> list[list[str]]:
    """The table as the form shows it: merged cells "" but where they start."""
    rows = [["部门（单位）名称", unit, "", "", "", "", ""],
            ["部门职能概述", FUNCTIONS, "", "", "", "", ""],
            ["年度预算", "收入构成", "金额", "占比", "支出构成", "金额", "占比"]]
    rows += [[""] + income + expenditure for income, expenditure in zip(INCOME, EXPENDITURE, strict=True)]
    rows += [["中长期目标", LONG_TERM, "", "", "", "", ""],
             ["年度总体目标", GOALS, "", "", "", "", ""],
             WHOLE_HEADER]
    rows += [[""] + row for row in WHOLE_INDICATORS]
    return rows


def merges_down(rows: list[list[str]], column: int, first: int, last: int) -> list[tuple[int, int, int, int]]:
    """The vertical merges of `column` from `first` to `last`: each filled cell down to the next one."""
    starts = [r for r in range(first, last + 1) if rows[r][column]] + [last + 1]
    return [(a, column, b - 1, column) for a, b in zip(starts, starts[1:], strict=False) if b - 1 > a]


def whole_table(rows: list[list[str]]) -> Table:
    header = rows.index(WHOLE_HEADER)
    merges = [(r, 1, r, 6) for r in (0, 1, header - 2, header - 1)]  # a label's text across the row
    merges += [(2, 0, 5, 0), (header, 0, len(rows) - 1, 0)]  # 年度预算, 年度绩效指标 down the left
    merges += merges_down(rows, 1, header + 1, len(rows) - 1) + merges_down(rows, 2, header + 1, len(rows) - 1)
    return Table(rows, merges)


def whole_document(rows: list[list[str]] | None = None) -> Document:
    return Document(["2024年部门整体支出绩效目标表", "单位：万元", whole_table(rows or whole_rows())])


EXPECTED_WHOLE = """\
code: '100200'
name: 测试县农业农村局
scope: 本级
year: 2024
money_unit: 万元
whole:
  title: 2024年部门整体支出绩效目标表
  functions: |-
    （一）负责全县农业农村发展规划。
    （二）负责高标准农田建设。
    （三）负责农产品质量安全监管。
  income:
    rows:
      - {name: 财政拨款, amount: '1,600.00', share: 80.00%}
      - {name: 其他资金, amount: '400.00', share: 20.00%}
    total: '2000.00'
    total_share: 100.00%
  expenditure:
    rows:
      - {name: 基本支出, amount: '1200.00', share: 60%}
      - {name: 项目支出, amount: '800.00', share: 40%}
    total: '2000.00'
    total_share: 100%
  long_term_goals:
    - 1.到2025年建成高标准农田10万亩。
    - 2.农民人均可支配收入年均增长7%。
  goals:
    - 1.新建高标准农田1.2万亩。
    - 2.农产品质量安全抽检合格率达到98%以上。
    - 3.培训高素质农民500人次。
  indicators:
    - {level1: 产出指标, level2: 数量指标, name: 新建高标准农田面积, description: 年度新建面积, target: ≥1.2万亩, basis: 年度计划}
    - {name: 培训高素质农民, description: 培训人次, target: ≥500人次, basis: 年度计划}
    - {level2: 质量指标, name: 农产品质量安全抽检合格率, description: 抽检合格率, target: ≥98%, basis: 省定标准}
    - {name: 高标准农田验收合格率, description: 验收合格率, target: 100%, basis: 验收标准}
    - {level2: 时效指标, name: 项目完工时间, description: 完工时间, target: 2024年11月底前, basis: 年度计划}
    - {level2: 成本指标, name: 亩均建设成本, description: 亩均投资, target: ≤1500元/亩, basis: 省定标准}
    - {level1: 效益指标, level2: 经济效益指标, name: 农民人均可支配收入增长率, description: 收入增长, target: ≥7%,
       basis: 统计数据}
    - {level2: 社会效益指标, name: 带动农户增收, description: 受益农户, target: ≥3000户, basis: 年度计划}
    - {level2: 可持续影响指标, name: 耕地质量等级提升, description: 提升等级, target: ≥0.5等, basis: 验收标准}
    - {level1: 满意度指标, level2: 服务对象满意度指标, name: 农户满意度, description: 满意度, target: ≥90%, basis: 抽样调查}
projects: []
"""

# --- the flat sheet ------------------------------------------------------------------------------

FLAT_HEADER = ["项目编码", "项目名称", "主管部门", "实施单位", "年度资金总额", "财政资金", "其他资金", "年度目标",
               "一级指标", "二级指标", "三级指标", "指标值"]
PROJECT_CELLS = 8  # the project's columns, left of the indicator's
FLAT_PROJECTS = [
    (["13022924P00AAA000001", "高标准农田建设", UNIT, "100201-测试县农田建设服务中心", "1200.00", "1000.00", "200.00",
      "1.新建高标准农田1.2万亩。\n2.提升耕地质量。"],
     [["产出指标", "数量指标", "新建高标准农田面积", "≥1.2万亩"],
      ["", "质量指标", "工程验收合格率", "100%"],
      ["", "时效指标", "完工时间", "2024年11月底前"],
      ["效益指标", "社会效益指标", "受益农户", "≥2000户"],
      ["满意度指标", "服务对象满意度指标", "农户满意度", "≥90%"]]),
    (["13022924P00AAA000002", "农产品质量安全监管", UNIT, "100202-测试县农产品质量安全检测站", "80.00", "80.00", "",
      "1.完成农产品抽检2000批次。"],
     [["产出指标", "数量指标", "抽检批次", "≥2000批次"],
      ["", "质量指标", "抽检合格率", "≥98%"],
      ["效益指标", "社会效益指标", "群众食品安全知晓率", "≥85%"],
      ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"]]),
    (["13022924P00AAA000003", "高素质农民培训", UNIT, UNIT, "50.50", "50.50", "",
      "1.培训高素质农民500人次。\n2.培训合格率达到95%以上。"],
     [["产出指标", "数量指标", "培训人次", "≥500人次"],
      ["", "质量指标", "培训合格率", "≥95%"],
      ["", "成本指标", "人均培训成本", "≤1000元"],
      ["效益指标", "可持续影响指标", "农民技能提升", "明显提升"],
      ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%"]]),
]


def flat_rows(projects=FLAT_PROJECTS, header=FLAT_HEADER) -> list[list[str]]:
    rows = [list(header)]
    for cells, indicators in projects:
        for n, indicator in enumerate(indicators):
            rows.append((list(cells) if n == 0 else [""] * len(cells)) + indicator)
    return rows


def flat_table(rows: list[list[str]]) -> Table:
    """Each project's cells merged down its rows, and each 一级 down its block."""
    merges = []
    first = 1
    while first < len(rows):
        last = next((r - 1 for r in range(first + 1, len(rows)) if rows[r][0]), len(rows) - 1)
        if last > first:
            merges += [(first, c, last, c) for c in range(PROJECT_CELLS) if rows[first][c]]
        merges += merges_down(rows, PROJECT_CELLS, first, last)
        first = last + 1
    return Table(rows, merges)


def flat_document(rows: list[list[str]] | None = None, unit_line: str = "单位：万元") -> Document:
    return Document(["2024年测试县农业农村局项目支出绩效目标表", unit_line, flat_table(rows or flat_rows())])


EXPECTED_FLAT_DEPARTMENT = """\
code: '100200'
name: 测试县农业农村局
scope: 本级
year: 2024
money_unit: 万元
form: shenbao
projects: [13022924P00AAA000001, 13022924P00AAA000002, 13022924P00AAA000003]
"""

EXPECTED_FLAT_PROJECTS = {
    "13022924P00AAA000001": """\
code: 13022924P00AAA000001
name: 高标准农田建设
supervisor: 100200-测试县农业农村局
implementer: 100201-测试县农田建设服务中心
budget: {total: '1200.00', fiscal: '1000.00', other: '200.00'}
goals: [1.新建高标准农田1.2万亩。, 2.提升耕地质量。]
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 新建高标准农田面积, target: ≥1.2万亩}
  - {level2: 质量指标, name: 工程验收合格率, target: 100%}
  - {level2: 时效指标, name: 完工时间, target: 2024年11月底前}
  - {level1: 效益指标, level2: 社会效益指标, name: 受益农户, target: ≥2000户}
  - {level1: 满意度指标, level2: 服务对象满意度指标, name: 农户满意度, target: ≥90%}
""",
    "13022924P00AAA000002": """\
code: 13022924P00AAA000002
name: 农产品质量安全监管
supervisor: 100200-测试县农业农村局
implementer: 100202-测试县农产品质量安全检测站
budget: {total: '80.00', fiscal: '80.00', other: ''}
goals: [1.完成农产品抽检2000批次。]
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 抽检批次, target: ≥2000批次}
  - {level2: 质量指标, name: 抽检合格率, target: ≥98%}
  - {level1: 效益指标, level2: 社会效益指标, name: 群众食品安全知晓率, target: ≥85%}
  - {level1: 满意度指标, level2: 服务对象满意度指标, name: 群众满意度, target: ≥90%}
""",
    "13022924P00AAA000003": """\
code: 13022924P00AAA000003
name: 高素质农民培训
supervisor: 100200-测试县农业农村局
implementer: 100200-测试县农业农村局
budget: {total: '50.50', fiscal: '50.50', other: ''}
goals: [1.培训高素质农民500人次。, 2.培训合格率达到95%以上。]
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 培训人次, target: ≥500人次}
  - {level2: 质量指标, name: 培训合格率, target: ≥95%}
  - {level2: 成本指标, name: 人均培训成本, target: ≤1000元}
  - {level1: 效益指标, level2: 可持续影响指标, name: 农民技能提升, target: 明显提升}
  - {level1: 满意度指标, level2: 服务对象满意度指标, name: 学员满意度, target: ≥90%}
""",
}


# --- helpers -------------------------------------------------------------------------------------


def run_import(cli, content: Path, *sources: Path, extra: tuple[str, ...] = ()):
    return cli("import", *map(str, sources), "--out", str(content), *extra, cwd=content.parent)


def load(path: Path) -> dict:
    """A content file, every value as the text it holds (BaseLoader: 2024 stays '2024', as the form has it)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def assert_fields(actual: object, expected: object, path: str = "") -> None:
    """The same keys and values, compared one field at a time so that a failure names the field."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r} is not a mapping"
        assert list(actual) == list(expected), f"{path}: keys {list(actual)} != {list(expected)}"
        for key, value in expected.items():
            assert_fields(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: {actual!r} != {expected!r}"
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_fields(a, e, f"{path}[{index}]")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def checked(content: Path):
    result = check_content(content)
    assert result.report.errors == [], [d.format() for d in result.report.errors]
    (department,) = result.site.departments
    return department


# --- the 部门整体支出绩效目标表 in every shape -----------------------------------------------------


@pytest.mark.parametrize("shape", EVERY_SHAPE)
def test_a_department_wide_target_table_imports_in_each_shape(shape, tmp_path, cli):
    content = tmp_path / "content"
    source = write_source(shape, whole_document(), tmp_path, "部门整体支出绩效目标表")
    run = run_import(cli, content, source)
    assert run.code == 0, run.err
    assert "wrote content/2024/100200/department.yaml" in run.out
    assert not (content / "2024/100200/projects").exists()
    written = load(content / "2024/100200/department.yaml")
    assert_fields(written, yaml.load(EXPECTED_WHOLE, Loader=yaml.BaseLoader))
    # What import assumed is said, each at its place in the source.
    assert re.search(r"note: year 2024 \(title [^)]*\)", run.err), run.err
    assert re.search(r"note: scope not stated with the unit; 本级 assumed", run.err), run.err
    assert "warnings on the sources" not in run.err, run.err
    department = checked(content)
    whole = department.whole
    assert whole is not None and whole.money_unit == "万元" and department.money_unit == "万元"
    assert [(r.name, r.amount.raw, r.share) for r in whole.income.rows] == [
        ("财政拨款", "1,600.00", 80), ("其他资金", "400.00", 20)]
    assert whole.expenditure is not None and whole.expenditure.total.raw == "2000.00"
    assert len(whole.indicators) == 10 and department.projects == ()
    # The round trip: the YAML written back into the form's table is the table, cell by cell.
    assert rebuilt_whole(written) == whole_rows()


def rebuilt_whole(department: dict) -> list[list[str]]:
    whole = department["whole"]
    rows = [["部门（单位）名称", f"{department['code']}-{department['name']}", "", "", "", "", ""],
            ["部门职能概述", whole["functions"], "", "", "", "", ""],
            ["年度预算", "收入构成", "金额", "占比", "支出构成", "金额", "占比"]]
    income, expenditure = (whole[k]["rows"] + [{"name": "合计", "amount": whole[k]["total"],
                                                 "share": whole[k]["total_share"]}] for k in ("income", "expenditure"))
    rows += [["", i["name"], i["amount"], i["share"], e["name"], e["amount"], e["share"]]
             for i, e in zip(income, expenditure, strict=True)]
    rows += [["中长期目标", "\n".join(whole["long_term_goals"]), "", "", "", "", ""],
             ["年度总体目标", "\n".join(whole["goals"]), "", "", "", "", ""],
             WHOLE_HEADER]
    rows += [["", i.get("level1", ""), i.get("level2", ""), i["name"], i["description"], i["target"], i["basis"]]
             for i in whole["indicators"]]
    return rows


# --- the flat sheet in every shape ---------------------------------------------------------------


@pytest.mark.parametrize("shape", EVERY_SHAPE)
def test_a_flat_sheet_of_three_projects_imports_in_each_shape(shape, tmp_path, cli):
    content = tmp_path / "content"
    source = write_source(shape, flat_document(), tmp_path, "项目支出绩效目标表")
    run = run_import(cli, content, source)
    assert run.code == 0, run.err
    folder = content / "2024/100200"
    written = load(folder / "department.yaml")
    assert_fields(written, yaml.load(EXPECTED_FLAT_DEPARTMENT, Loader=yaml.BaseLoader))
    projects = {}
    for code, expected in EXPECTED_FLAT_PROJECTS.items():
        projects[code] = load(folder / f"projects/{code}.yaml")
        assert_fields(projects[code], yaml.load(expected, Loader=yaml.BaseLoader), code)
    assert sorted(p.name for p in (folder / "projects").iterdir()) == [f"{c}.yaml" for c in EXPECTED_FLAT_PROJECTS]
    assert "warnings on the sources" not in run.err, run.err  # a clean sheet: nothing for a person to look at
    department = checked(content)
    assert [p.code for p in department.projects] == list(EXPECTED_FLAT_PROJECTS)
    assert sum(len(p.indicators) for p in department.projects) == 14
    assert department.projects[1].budget.other.value is None  # blank, not zero
    assert department.projects[0].supervisor == UNIT
    # The round trip: the projects written back into the sheet are the sheet, cell by cell.
    assert rebuilt_flat([projects[c] for c in written["projects"]]) == flat_rows()


def rebuilt_flat(projects: list[dict]) -> list[list[str]]:
    rows = [list(FLAT_HEADER)]
    for project in projects:
        budget = project["budget"]
        cells = [project["code"], project["name"], project["supervisor"], project["implementer"], budget["total"],
                 budget["fiscal"], budget["other"], "\n".join(project["goals"])]
        for n, indicator in enumerate(project["indicators"]):
            rows.append((cells if n == 0 else [""] * PROJECT_CELLS) +
                        [indicator.get("level1", ""), indicator.get("level2", ""), indicator["name"],
                         indicator["target"]])
    return rows


# --- what a sheet or table states that cannot be written as it is ------------------------------------


@pytest.mark.parametrize("shape", ["rows", "xlsx"])
def test_a_flat_sheet_mixing_two_money_units_is_refused_at_the_second_unit(shape, tmp_path, cli):
    header = [label + "（元）" if label == "财政资金" else label for label in FLAT_HEADER]
    source = write_source(shape, flat_document(flat_rows(header=header)), tmp_path, "mixed")
    run = run_import(cli, tmp_path / "content", source)
    assert run.code == 1
    where = {"rows": r"mixed\.txt:3 col 6", "xlsx": r"mixed\.xlsx Sheet!F3"}[shape]
    position = {"rows": "mixed.txt:2", "xlsx": "mixed.xlsx Sheet!A2"}[shape]
    assert re.search(rf"{where}: error: `财政资金（元）` states the amounts of the flat sheet in 元, but "
                     rf"{re.escape(position)} states them in 万元\n  hint: one table's amounts are in one unit",
                     run.err), run.err
    assert "nothing was written" in run.err and not (tmp_path / "content").exists()


def test_a_project_cell_that_changes_mid_project_and_an_unknown_column_are_positioned_warnings(tmp_path, cli):
    rows = flat_rows()
    rows[2][4] = "1300.00"  # the project's second row states another 年度资金总额
    rows = [row + [cell] for row, cell in zip(rows, ["责任科室"] + ["农田建设股"] * 5 + [""] * 9, strict=True)]
    source = tmp_path / "flat.txt"
    source.write_text("2024年测试县农业农村局项目支出绩效目标表\n单位：万元\n"
                      + "\n".join("\t".join(c.replace("\n", " ") for c in row) for row in rows) + "\n",
                      encoding="utf-8")
    run = run_import(cli, tmp_path / "content", source)
    assert run.code == 0, run.err
    assert re.search(r"flat\.txt:5 col 5: warning: 年度资金总额 of project 13022924P00AAA000001 is `1300\.00` here but "
                     r"`1200\.00` on its first row \(flat\.txt:4 col 5\); the first is kept\n  hint: a project's cells "
                     r"are stated once", run.err), run.err
    assert re.search(r"flat\.txt:3 col 13: warning: the column `责任科室` is not kept \(text in 5 rows, the first at "
                     r"flat\.txt:4 col 13\): the file has no field for it", run.err), run.err
    project = load(tmp_path / "content/2024/100200/projects/13022924P00AAA000001.yaml")
    assert project["budget"]["total"] == "1200.00"
    text = (tmp_path / "content/2024/100200/projects/13022924P00AAA000001.yaml").read_text(encoding="utf-8")
    assert "# warning: 年度资金总额 of project 13022924P00AAA000001 is `1300.00` here" in text
    assert "# warning: the column `责任科室` is not kept" in \
        (tmp_path / "content/2024/100200/department.yaml").read_text(encoding="utf-8")
    checked(tmp_path / "content")


def test_a_whole_table_for_a_department_already_in_the_content_says_how_to_add_it(tmp_path, cli):
    content = tmp_path / "content"
    flat = write_source("text", flat_document(), tmp_path, "flat")
    assert run_import(cli, content, flat).code == 0
    before = (content / "2024/100200/department.yaml").read_bytes()
    whole = write_source("text", whole_document(), tmp_path, "whole")
    run = run_import(cli, content, whole)
    assert run.code == 1
    assert re.search(r"content/2024/100200/department\.yaml: error: exists and differs from the imported text; import "
                     r"never overwrites a content file\n  hint: whole\.txt holds the department's 部门整体支出绩效目标表 "
                     r"\(and nothing else of the department\): import it into an empty folder \(--out\) and copy its "
                     r"`whole:` block into this file", run.err), run.err
    assert (content / "2024/100200/department.yaml").read_bytes() == before


def test_a_whole_table_and_a_flat_sheet_in_one_source_make_one_department(tmp_path, cli):
    document = Document(whole_document().parts + flat_document().parts)
    source = write_source("docx", document, tmp_path, "部门预算绩效目标")
    run = run_import(cli, tmp_path / "content", source)
    assert run.code == 0, run.err
    written = load(tmp_path / "content/2024/100200/department.yaml")
    whole = yaml.load(EXPECTED_WHOLE, Loader=yaml.BaseLoader)
    # The flat sheet's projects have the 申报表's cells: their annexes follow it.
    expected = {**{k: v for k, v in whole.items() if k not in ("whole", "projects")}, "form": "shenbao",
                "whole": whole["whole"], "projects": list(EXPECTED_FLAT_PROJECTS)}
    assert_fields(written, expected)
    department = checked(tmp_path / "content")
    assert department.whole is not None and len(department.projects) == 3


def test_a_two_row_header_and_a_stacked_money_block_are_read_by_their_labels(tmp_path, cli):
    header = ["项目编码", "项目名称", "主管部门", "实施单位", "资金情况（万元）", "", "", "年度目标",
              "一级指标", "二级指标", "三级指标", "指标值"]
    second = ["", "", "", "", "年度资金总额", "财政资金", "其他资金", "", "", "", "", ""]
    rows = flat_rows(header=header)
    rows.insert(1, second)
    table = flat_table(rows[:1] + rows[2:])  # the projects' merges, then the header's own
    merges = [(r0 + 1 if r0 > 0 else r0, c0, r1 + 1, c1) for r0, c0, r1, c1 in table.merges]
    merges += [(0, 4, 0, 6)] + [(0, c, 1, c) for c in (0, 1, 2, 3, 7, 8, 9, 10, 11)]
    flat = Document(["2024年测试县农业农村局项目支出绩效目标表", Table(rows, merges)])
    stacked = whole_rows()
    money = [["年度预算", "项目", "金额（万元）", "占比", "", "", ""],
             ["收入构成", "财政拨款", "1,600.00", "80.00%", "", "", ""],
             ["", "其他资金", "400.00", "20.00%", "", "", ""],
             ["", "合计", "2000.00", "100.00%", "", "", ""],
             ["支出构成", "基本支出", "1200.00", "60%", "", "", ""],
             ["", "项目支出", "800.00", "40%", "", "", ""],
             ["", "合计", "2000.00", "100%", "", "", ""]]
    stacked[2:6] = money
    header_row = stacked.index(WHOLE_HEADER)
    whole = Document(["2024年部门整体支出绩效目标表",
                      Table(stacked, [(r, 1, r, 6) for r in (0, 1, header_row - 2, header_row - 1)] +
                            [(2 + r, 4, 2 + r, 6) for r in range(7)] + [(3, 0, 5, 0), (6, 0, 8, 0)] +
                            [(header_row, 0, len(stacked) - 1, 0)])])
    for document, stem in ((flat, "flat"), (whole, "whole")):
        out = tmp_path / stem
        run = run_import(cli, out, write_source("xlsx", document, tmp_path, stem))
        assert run.code == 0, run.err
        written = load(out / "2024/100200/department.yaml")
        if stem == "flat":
            for code, expected in EXPECTED_FLAT_PROJECTS.items():
                assert_fields(load(out / f"2024/100200/projects/{code}.yaml"), yaml.load(expected, Loader=yaml.BaseLoader))
        else:
            assert_fields(written, yaml.load(EXPECTED_WHOLE, Loader=yaml.BaseLoader))
        checked(out)


def test_cells_of_the_whole_table_with_no_field_are_positioned_warnings_never_dropped(tmp_path, cli):
    rows = whole_rows()
    rows[0][2:4] = ["联系人", "张三"]  # beside the unit: the file has no field for a contact
    rows[3][0] = "含上年结转"  # a remark left of the money block's names
    header = rows.index(WHOLE_HEADER)
    rows[header] = WHOLE_HEADER[:-1] + ["责任科室"]  # a column the indicator rows have no key for
    source = write_source("rows", Document(["2024年部门整体支出绩效目标表", "单位：万元", Table(rows)]), tmp_path, "whole")
    run = run_import(cli, tmp_path / "content", source)
    assert run.code == 0, run.err

    def line(r: int) -> int:  # the pasted row's first line: a quoted cell runs over the lines it holds
        return 3 + r + sum(cell.count("\n") for row in rows[:r] for cell in row)

    for where, message in (("whole.txt:3 col 3", "`联系人` is not placed: the file has no field for it"),
                           ("whole.txt:3 col 4", "`张三` is not placed: the file has no field for it"),
                           (f"whole.txt:{line(3)} col 1", "`含上年结转` is in no column of the money block (名称, 金额, "
                                                          "占比); not written"),
                           (f"whole.txt:{line(header)} col 7", f"the column `责任科室` is not kept (text in 10 rows, "
                                                               f"the first at whole.txt:{line(header + 1)} col 7): the "
                                                               "file has no field for it")):
        assert f"{where}: warning: {message}\n  hint: " in run.err, run.err
    assert "0 forms not imported, 4 warnings on the sources" in run.err
    text = (tmp_path / "content/2024/100200/department.yaml").read_text(encoding="utf-8")
    comments = text[:text.index("\nwhole:\n")].split("\n")  # said above the block they are about
    assert "# warning: `张三` is not placed: the file has no field for it (whole.txt:3 col 4)" in comments
    written = load(tmp_path / "content/2024/100200/department.yaml")["whole"]
    assert all("basis" not in row for row in written["indicators"])
    assert written["income"]["rows"][0] == {"name": "财政拨款", "amount": "1,600.00", "share": "80.00%"}
    checked(tmp_path / "content")


def test_a_flat_sheet_names_its_unit_on_a_line_and_a_merged_category_runs_on_into_the_next_project(tmp_path, cli):
    header = [label for label in FLAT_HEADER if label != "主管部门"]
    first = (FLAT_PROJECTS[0][0][:2] + FLAT_PROJECTS[0][0][3:], FLAT_PROJECTS[0][1])
    second = (FLAT_PROJECTS[1][0][:2] + FLAT_PROJECTS[1][0][3:],
              [["", "服务对象满意度指标", "群众满意度", "≥90%"], ["产出指标", "数量指标", "抽检批次", "≥2000批次"]])
    rows = [row[:] for row in flat_rows([first, second], header)]
    source = tmp_path / "flat.txt"
    source.write_text("测试县农业农村局项目支出绩效目标表\n单位名称：100200测试县农业农村局本级\n单位：万元\n"
                      + "\n".join("\t".join(c.replace("\n", " ") for c in row) for row in rows) + "\n",
                      encoding="utf-8")
    run = run_import(cli, tmp_path / "content", source, extra=("--year", "2024"))
    assert run.code == 0, run.err
    department = load(tmp_path / "content/2024/100200/department.yaml")
    assert (department["code"], department["name"], department["scope"]) == ("100200", "测试县农业农村局", "本级")
    assert "scope not stated" not in run.err
    project = load(tmp_path / "content/2024/100200/projects/13022924P00AAA000002.yaml")
    assert "supervisor" not in project
    assert project["indicators"][0] == {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "群众满意度",
                                        "target": "≥90%"}
    assert re.search(r"flat\.txt:10 col 8: note: 一级指标 `满意度指标` runs on from the project above \(merged at "
                     r"flat\.txt:9 col 8\)", run.err), run.err
    checked(tmp_path / "content")


def test_a_whole_table_in_another_unit_than_its_projects_keeps_its_own(tmp_path, cli):
    document = Document(flat_document(unit_line="单位：元").parts + whole_document().parts)
    run = run_import(cli, tmp_path / "content", write_source("rows", document, tmp_path, "budget"))
    assert run.code == 0, run.err
    written = load(tmp_path / "content/2024/100200/department.yaml")
    assert (written["money_unit"], written["whole"]["money_unit"]) == ("元", "万元")
    assert list(written["whole"])[:3] == ["title", "money_unit", "functions"]
    department = checked(tmp_path / "content")
    assert department.whole is not None and department.whole.money_unit == "万元"
    assert department.projects[0].budget.total.raw == "1200.00"
