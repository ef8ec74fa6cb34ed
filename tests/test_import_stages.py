"""`build.py import` of the later stages: a 项目支出绩效自评表 and a 绩效目标执行监控表 of the seed's
e-commerce project, in every shape import reads (Word text, row-per-line paste, .docx, .xlsx, PDF),
imported beside the targets of a copy of content/ and checked.

The forms are written here from the layouts of ../shared/CYCLE.md, with figures that agree with
the scoring rules (execution 950 / 1000 = 95% → 9.5 points; 2220 / 3000 × 10 = 7.4; 总分 96.9),
so the imported files check with no error.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import shapes
import yaml
from conftest import CONTENT
from shapes import Document, Table

from builder.pipeline import check_content

CODE = "130229214I5FK2QU161C5"
NAME = "玉财建【2021】31号关于下达2021年中央服务业发展资金预算的通知"
DEPARTMENT = "304001-玉田县商务和投资促进局"
GOALS = ("1.推动农村商贸流通企业转型升级，使农村流通现代化水平明显提升，农村网络零售额显著增长。"
         "2.发挥电商企业的主体作用，强化电商培训，带动就业增收。3.完善农村电子商务公共服务体系。4.健全县乡村三级物流配送体系。")
ACTUAL_GOAL = "全县农村电商服务覆盖62%的行政村，新增农村网商58个；电商培训受疫情影响完成2220人次，未达年度目标。"
TRAINING_REASON = "受疫情影响，原定线下集中培训有3场取消，参训人次未达目标。2023年线上线下结合补足培训场次。"

# The approved indicators of the project (content/2022/304001/projects/130229214I5FK2QU161C5.yaml), one
# row each: 一级 label as the form writes it (on the first row of its block), 二级, 三级, 年度指标值.
INDICATORS = [
    ("产出指标（50分）", "数量指标", "示范县农村电商服务在行政村服务覆盖率", "≥50百分比"),
    ("", "数量指标", "示范县开展电商培训次数", "≥3000人次"),
    ("", "数量指标", "示范县物流配送中心，乡镇商贸中心，新型乡村电商服务站（便利店）升级改造", "≥400个"),
    ("", "数量指标", "新增农村网商（店）", "≥50个"),
    ("", "质量指标", "示范县提升农产品标准化程度，完善企业标准或地方标准", "≥1个"),
    ("", "质量指标", "示范县提升农产品品牌化程度，推广县域公用品牌或农产品品牌", "≥1个"),
    ("", "时效指标", "按时完成工作", "按时完成工作，完善农村电子商务公共服务体系"),
    ("", "成本指标", "资金成本", "≤1000万元"),
    ("效益指标（30分）", "经济效益指标", "示范县农产品网络零售额同比增速", "≥30百分比"),
    ("", "社会效益指标", "示范县农村网络零售额同比增速", "≥30百分比"),
    ("", "生态效益指标", "示范县促进电商精准扶贫，对接电商企业，落地电商帮扶项目", "≥2个"),
    ("", "可持续影响指标", "示范县电商典型案例与做法得到宣传推广", "≥2个"),
    ("满意度指标（10分）", "服务对象满意度指标", "企业满意度", "≥80百分比"),
    ("", "服务对象满意度指标", "满意率", "≥80百分比"),
    ("", "服务对象满意度指标", "通过走访调研，测定2021年示范县村站对县服务中心满意程度", "≥80百分比"),
]
# 实际完成值, 分值, 得分, 偏差原因分析及改进措施 per indicator.
RESULTS = [
    ("62%", "10", "10", ""), ("2220人次", "10", "7.4", TRAINING_REASON), ("410个", "10", "10", ""),
    ("56个", "5", "5", ""), ("1个", "5", "5", ""), ("2个", "3", "3", ""),
    ("按时完成，县乡村三级电子商务公共服务体系建成运行", "4", "4", ""), ("950万元", "3", "3", ""),
    ("31.5%", "8", "8", ""), ("33%", "8", "8", ""), ("3个", "7", "7", ""), ("2个", "7", "7", ""),
    ("92%", "4", "4", ""), ("90%", "3", "3", ""), ("88%", "3", "3", ""),
]
_ = ""


def evaluation_form(name_cell: str = f"{CODE}-{NAME}") -> tuple[list[str], list[list[str]]]:
    """The common 项目支出绩效自评表 (CYCLE.md): header, 项目资金 in 万元, 年度总体目标, indicators, 总分."""
    rows = [
        ["项目名称", name_cell, _, _, _, _, _, _, _],
        ["主管部门", DEPARTMENT, _, _, _, "实施单位", DEPARTMENT, _, _],
        ["项目资金（万元）", _, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", _],
        [_, "年度资金总额", "1000", "1000", "950", "10", "95%", "9.5", _],
        [_, "其中：当年财政拨款", "1000", "1000", "950", "—", "—", "—", _],
        [_, "上年结转资金", _, _, _, "—", "—", "—", _],
        [_, "其他资金", _, _, _, "—", "—", "—", _],
        ["年度总体目标", "预期目标", _, _, _, "实际完成情况", _, _, _],
        [_, GOALS, _, _, _, ACTUAL_GOAL, _, _, _],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ]
    for (level1, level2, name, target), (actual, weight, score, reason) in zip(INDICATORS, RESULTS, strict=True):
        rows.append([_, level1, level2, name, target, actual, weight, score, reason])
    rows += [
        ["总分", _, _, _, _, _, "100", "96.9", _],
        ["评价结论", "项目总体完成年度绩效目标，电商培训人次未达目标。", _, _, _, _, _, _, _],
        ["存在问题", "受疫情影响，线下培训组织不足。", _, _, _, _, _, _, _],
        ["改进措施", "加强培训计划管理，线上线下结合开展培训。", _, _, _, _, _, _, _],
    ]
    return ["项目支出绩效自评表", "（2022年度）"], rows


# 1-7月实际完成值, 全年预计完成值, 偏差原因分析 (category：reason), 纠偏措施, 完成目标可能性.
PROGRESS = [
    ("41%", "60%", "", "", "确定能"),
    ("900人次", "2400人次", "其他：受疫情影响，线下集中培训暂停。", "增加线上直播培训场次，疫情缓解后集中补训。", "有可能"),
    ("230个", "410个", "", "", "确定能"), ("31个", "55个", "", "", "确定能"), ("1个", "2个", "", "", "确定能"),
    ("0个", "1个", "", "", "确定能"), ("按计划推进", "按时完成", "", "", "确定能"), ("420万元", "960万元", "", "", "确定能"),
    ("24%", "31%", "", "", "确定能"),
    ("22%", "28%", "经费：上半年物流补贴资金未到位，部分乡镇网点开业推迟。", "加快补贴资金拨付，督促网点9月底前全部运营。", "有可能"),
    ("1个", "3个", "", "", "确定能"), ("1个", "2个", "", "", "确定能"), ("未开展调查", "90%", "", "", "确定能"),
    ("未开展调查", "90%", "", "", "确定能"), ("未开展调查", "85%", "", "", "确定能"),
]


def monitoring_form() -> tuple[list[str], list[list[str]]]:
    """The 绩效目标执行监控表 (CYCLE.md): data to the end of July, money in 万元."""
    rows = [
        ["项目名称", f"{CODE}-{NAME}", _, _, _, _, _, _, _, _],
        ["主管部门", DEPARTMENT, _, _, _, "实施单位", DEPARTMENT, _, _, _],
        ["项目资金（万元）", "年度预算数", "1-7月执行数", "执行率", "全年预计执行数", "偏差原因", _, _, _, _],
        [_, "1000", "420", "42%", "960", "物流配送中心改造工程按进度分期拨付，下半年集中支付。", _, _, _, _],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "1-7月实际完成值", "全年预计完成值", "偏差原因分析",
         "纠偏措施", "完成目标可能性"],
    ]
    for (level1, level2, name, target), values in zip(INDICATORS, PROGRESS, strict=True):
        rows.append([_, re.sub(r"（\d+分）", "", level1), level2, name, target, *values])
    return ["绩效目标执行监控表", "（2022年1-7月）"], rows


# --- the shapes import reads -------------------------------------------------------------


def stage_document(paras: list[str], rows: list[list[str]]) -> Document:
    """A stage form as a document: its first cell's value spans the row (项目名称), and each 一级 cell
    is merged down its block, as Word and Excel files have them."""
    width = len(rows[0])
    merges = []
    if rows and not any(rows[0][2:]):
        merges.append((0, 1, 0, width - 1))
    header = next((r for r, row in enumerate(rows) if "三级指标" in row), None)
    if header is not None:
        last = next((r for r in range(header + 1, len(rows)) if rows[r][0]), len(rows))
        blocks = [r for r in range(header + 1, last) if rows[r][1]] + [last]
        merges += [(start, 1, end - 1, 1) for start, end in zip(blocks, blocks[1:], strict=False) if end - 1 > start
                   and not any(rows[r][1] for r in range(start + 1, end))]
    return Document([*paras, Table(rows, merges)])


def write_source(shape: str, form: tuple[list[str], list[list[str]]], folder: Path, stem: str) -> Path:
    return shapes.write_source(shape, stage_document(*form), folder, stem)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of content/ without the example stage files, so the import writes them anew."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    for folder in ("evaluations", "monitoring"):
        shutil.rmtree(copy / "2022/304001" / folder)
    return copy


def run_import(cli, content: Path, *sources: Path):
    return cli("import", *map(str, sources), "--out", str(content), cwd=content.parent)


def stage_file(content: Path, kind: str) -> dict:
    """The written file, every value as the text it holds."""
    path = content / "2022/304001" / kind / f"{CODE}.yaml"
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def checked_project(content: Path):
    result = check_content(content)
    assert result.report.errors == [], [d.format() for d in result.report.errors]
    (department,) = result.site.departments
    return next(p for p in department.projects if p.code == CODE)


SHAPES = ["text", "rows", "docx", "xlsx", "pdf"]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_self_evaluation_imports_beside_its_targets_in_each_shape(shape, content, cli):
    source = write_source(shape, evaluation_form(), content.parent, "自评表")
    run = run_import(cli, content, source)
    assert run.code == 0, run.err
    assert f"wrote content/2022/304001/evaluations/{CODE}.yaml" in run.out
    written = stage_file(content, "evaluations")
    assert written["project"] == CODE and "scoring" not in written
    # Money in the project's 元, converted exactly from the form's 万元; rows left blank are not written.
    assert written["money"] == {
        "total": {"initial": "10000000.00", "adjusted": "10000000.00", "executed": "9500000.00"},
        "current": {"initial": "10000000.00", "adjusted": "10000000.00", "executed": "9500000.00"},
        "weight": "10", "rate": "95%", "score": "9.5"}
    assert written["goal"] == {"actual": ACTUAL_GOAL}  # 预期目标 repeats the approved goals: not written again
    rows = written["indicators"]
    assert [row["name"] for row in rows] == [name for _, _, name, _ in INDICATORS]
    assert [(row["actual"], row["weight"], row["score"]) for row in rows] == [r[:3] for r in RESULTS]
    assert [row.get("level1") for row in rows] == [level1 or None for level1, *_ in INDICATORS]
    assert rows[1]["deviation"] == TRAINING_REASON and all("target" not in row for row in rows)
    assert (written["total"], written["conclusion"]) == ("96.9", "项目总体完成年度绩效目标，电商培训人次未达目标。")
    assert written["measures"] == "加强培训计划管理，线上线下结合开展培训。"
    # The stated figures agree with the computed ones: check finds no error.
    evaluation = checked_project(content).evaluation
    assert evaluation.rate.computed == Decimal("95.00") and evaluation.budget_score.computed == Decimal("9.50")
    assert evaluation.total.computed == Decimal("96.90") and evaluation.grade == "优"
    assert evaluation.missing == () and all(i.approved == n for n, i in enumerate(evaluation.indicators))
    assert [t.stated_weight for t in evaluation.level1] == [50, 30, 10]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_monitoring_round_imports_beside_its_targets_in_each_shape(shape, content, cli):
    source = write_source(shape, monitoring_form(), content.parent, "监控表")
    run = run_import(cli, content, source)
    assert run.code == 0, run.err
    written = stage_file(content, "monitoring")
    assert written["period"] == "1-7月"
    assert written["money"] == {"budget": "10000000.00", "executed": "4200000.00", "rate": "42%",
                                "forecast": "9600000.00",
                                "reason": "物流配送中心改造工程按进度分期拨付，下半年集中支付。"}
    rows = written["indicators"]
    assert [(row["progress"], row["forecast"], row["likelihood"]) for row in rows] == [
        (p[0], p[1], p[4]) for p in PROGRESS]
    assert (rows[1]["reason_category"], rows[1]["reason"]) == ("其他", "受疫情影响，线下集中培训暂停。")
    assert rows[9]["reason_category"] == "经费" and rows[9]["action"] == "加快补贴资金拨付，督促网点9月底前全部运营。"
    assert [row.get("level1") for row in rows if "level1" in row] == ["产出指标", "效益指标", "满意度指标"]
    monitoring = checked_project(content).monitoring
    assert monitoring.month == 7 and monitoring.rate.computed == Decimal("42.00")
    # The two forecasts below their targets are off track, whatever the likelihood says.
    assert [n for n, i in enumerate(monitoring.indicators) if i.status != "on-track"] == [1, 9]
    assert {monitoring.indicators[n].status for n in (1, 9)} == {"off-track"}


# Sichuan's 项目支出绩效自评表 (CYCLE.md, "Variants seen"): 预算执行情况(10分) with 年初预算 / 调整后预算数 /
# 预算执行数 / 执行率 / 权重 / 得分 / 原因 in 元; 绩效指标(90分) with 指标性质 / 指标值 / 度量单位 / 完成值 /
# 权重 / 得分 / 未完成原因分析; 评价结论, 存在问题, 改进措施. The project is named without its code.
SICHUAN_VALUES = [  # 指标性质, 指标值, 度量单位, 完成值, 权重, 得分, 未完成原因分析
    ("≥", "50", "%", "58", "10", "10", ""), ("≥", "3000", "人次", "2600", "10", "8.67", "受疫情影响部分线下培训取消。"),
    ("≥", "400", "个", "405", "10", "10", ""), ("≥", "50", "个", "52", "5", "5", ""), ("≥", "1", "个", "1", "5", "5", ""),
    ("≥", "1", "个", "1", "3", "3", ""), ("定性", "按时完成工作，完善农村电子商务公共服务体系", "", "按时完成", "4", "4", ""),
    ("≤", "1000", "万元", "920", "3", "3", ""), ("≥", "30", "%", "32", "8", "8", ""),
    ("≥", "30", "%", "28", "8", "7.47", "部分乡镇网点开业推迟。"), ("≥", "2", "个", "2", "7", "7", ""),
    ("≥", "2", "个", "2", "7", "7", ""), ("≥", "80", "%", "90", "4", "4", ""), ("≥", "80", "%", "88", "3", "3", ""),
    ("≥", "80", "%", "85", "3", "3", ""),
]


def sichuan_form() -> tuple[list[str], list[list[str]]]:
    rows = [
        ["项目名称", NAME, _, _, _, _, _, _, _, _, _],
        ["主管部门及代码", DEPARTMENT, _, _, _, "实施单位", "玉田县商务和投资促进局", _, _, _, _],
        ["预算执行情况（10分）", _, "年初预算", "调整后预算数", "预算执行数", "执行率", "权重", "得分", "原因", _, _],
        [_, "年度资金总额", "10000000.00", "10000000.00", "9200000.00", "92%", "10", "9.2",
         "部分物流配送中心改造尾款未到结算期。", _, _],
        [_, "财政拨款", "10000000.00", "10000000.00", "9200000.00", "/", "/", "/", "/", _, _],
        ["年度总体目标", "预期目标", _, _, _, "实际完成目标", _, _, _, _, _],
        [_, GOALS, _, _, _, "基本完成年度绩效目标，电商培训和农村网络零售额增速未达目标。", _, _, _, _, _],
        ["绩效指标（90分）", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
         "未完成原因分析"],
    ]
    for (level1, level2, name, _target), values in zip(INDICATORS, SICHUAN_VALUES, strict=True):
        rows.append([_, level1, level2, name, *values])
    rows += [
        ["评价结论", "优。项目基本完成年度绩效目标。", _, _, _, _, _, _, _, _, _],
        ["存在问题", "线下培训受疫情影响。", _, _, _, _, _, _, _, _, _],
        ["改进措施", "提前安排培训计划。", _, _, _, _, _, _, _, _, _],
    ]
    return ["项目支出绩效自评表", "（2022年度）", "单位：元"], rows


@pytest.mark.parametrize("shape", ["text", "xlsx"])
def test_a_sichuan_self_evaluation_imports_with_its_profile(shape, content, cli):
    source = write_source(shape, sichuan_form(), content.parent, "四川自评表")
    run = run_import(cli, content, source)
    assert run.code == 0, run.err
    written = stage_file(content, "evaluations")
    assert written["scoring"] == "sichuan"  # its layout's profile; the seed's department scores with `default`
    assert written["money"] == {
        "total": {"initial": "10000000.00", "adjusted": "10000000.00", "executed": "9200000.00"},
        "current": {"initial": "10000000.00", "adjusted": "10000000.00", "executed": "9200000.00"},
        "weight": "10", "rate": "92%", "score": "9.2", "deviation": "部分物流配送中心改造尾款未到结算期。"}
    rows = written["indicators"]
    # 指标值 with 指标性质 and 度量单位 is the approved target: not repeated; 完成值 takes its unit.
    assert all("target" not in row for row in rows)
    assert [row["actual"] for row in rows][:3] == ["58%", "2600人次", "405个"]
    assert rows[6]["actual"] == "按时完成" and rows[7]["actual"] == "920万元"
    assert (rows[1]["score"], rows[1]["deviation"]) == ("8.67", "受疫情影响部分线下培训取消。")
    assert (written["conclusion"], written["problems"]) == ("优。项目基本完成年度绩效目标。", "线下培训受疫情影响。")
    evaluation = checked_project(content).evaluation
    assert evaluation.profile.id == "sichuan" and evaluation.total.computed == Decimal("97.34")


def test_a_form_of_no_project_is_reported_and_nothing_is_written_for_it(content, cli):
    source = write_source("text", evaluation_form(f"130229214I5FK2QU161C6-{NAME}号"), content.parent, "自评表")
    run = run_import(cli, content, source)
    assert run.code == 1
    assert re.search(r"^自评表\.txt:\d+: error: no project of 2022 in the content folder has the code "
                     r"`130229214I5FK2QU161C6` or the name `.*`; the self-evaluation \(绩效自评表\) was not imported\n"
                     rf"  hint: did you mean `{CODE}`\?$", run.err, re.M), run.err
    assert not (content / "2022/304001/evaluations").exists()
    assert "1 forms not imported" in run.err
    # The right project in another year than the one asked for: the hint says which.
    right = write_source("text", evaluation_form(), content.parent, "自评表")
    other_year = cli("import", str(right), "--out", str(content), "--year", "2023", cwd=content.parent)
    assert other_year.code == 1
    assert "error: no project of 2023 in the content folder has the code" in other_year.err
    assert "  hint: the project is in 2022: give that year with --year" in other_year.err
    assert not (content / "2022/304001/evaluations").exists()


def test_a_form_matched_by_name_when_its_code_is_wrong_says_so(content, cli):
    source = write_source("rows", evaluation_form(f"130229214I5FK2QU161C6-{NAME}"), content.parent, "自评表")
    run = run_import(cli, content, source)
    assert run.code == 0, run.err
    assert re.search(rf"自评表\.txt:\d+ col 2: warning: no project has the code `130229214I5FK2QU161C6`; matched by "
                     rf"its name to project {CODE}\n  hint: correct the code in the form to {CODE}", run.err)
    assert stage_file(content, "evaluations")["project"] == CODE


def test_an_excel_date_serial_and_a_placeholder_row_are_read_with_a_warning(content, cli):
    paras, rows = evaluation_form()
    timely = next(i for i, row in enumerate(rows) if row[3] == "按时完成工作")
    rows[timely][5] = "45275"  # a date typed into a cell formatted as a number
    rows.insert(timely + 1, [_, _, "时效指标", "指标2", _, _, _, _, _])  # the template's unused row
    source = write_source("xlsx", (paras, rows), content.parent, "自评表")
    run = run_import(cli, content, source)
    assert run.code == 0, run.err
    assert re.search(r"自评表\.xlsx Sheet!F\d+: warning: `45275` in 实际完成值 is an Excel date serial: read as "
                     r"2023-12-15 and written 2023年12月15日\n  hint: format the cell", run.err), run.err
    assert re.search(r"自评表\.xlsx Sheet!\d+: warning: a placeholder row \(`指标2`\) of the indicator table was left "
                     r"out: 时效指标 \| 指标2", run.err), run.err
    written = stage_file(content, "evaluations")
    assert written["indicators"][6]["actual"] == "2023年12月15日"
    assert [row["name"] for row in written["indicators"]] == [name for _, _, name, _ in INDICATORS]
    text = (content / f"2022/304001/evaluations/{CODE}.yaml").read_text(encoding="utf-8")
    assert "# warning: `45275` in 实际完成值 is an Excel date serial" in text  # the file says what was done


def test_a_row_that_names_no_approved_indicator_is_written_as_it_is_and_reported(content, cli):
    paras, rows = evaluation_form()
    coverage = next(i for i, row in enumerate(rows) if row[3] == INDICATORS[0][2])
    rows[coverage][3] = "示范县农村电商服务在行政村服务覆盖率 "  # trailing space: still the approved row
    rows[coverage + 1][3] = "示范县开展电商培训场次"  # renamed without a recorded adjustment
    rows[coverage + 2][3] = rows[coverage + 2][3].replace("（", "(").replace("）", ")")  # half-width brackets
    source = write_source("text", (paras, rows), content.parent, "自评表")
    run = run_import(cli, content, source)
    assert re.search(r"warning: `示范县开展电商培训场次` is not an approved indicator of project "
                     rf"{CODE}; written as the form has it\n  hint: did you mean `示范县开展电商培训次数`\?", run.err)
    names = [row["name"] for row in stage_file(content, "evaluations")["indicators"]]
    assert names[0] == INDICATORS[0][2] and names[2] == INDICATORS[2][2]  # the approved names
    assert names[1] == "示范县开展电商培训场次"


def test_importing_twice_is_harmless_and_an_edited_file_is_never_replaced(content, cli):
    source = write_source("text", evaluation_form(), content.parent, "自评表")
    assert run_import(cli, content, source).code == 0
    again = run_import(cli, content, source)
    assert again.code == 0 and "unchanged content/2022/304001/evaluations" in again.out
    path = content / f"2022/304001/evaluations/{CODE}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("96.9", "97"), encoding="utf-8")
    refused = run_import(cli, content, source)
    assert refused.code == 1 and "import never overwrites a content file" in refused.err


def test_ticked_reason_and_likelihood_columns_under_a_two_row_header(content, cli):
    """The monitoring form as the central template draws it: 偏差原因分析 split into 经费保障 … 其他 and
    完成目标可能性 into 确定能 / 有可能 / 完全不可能, each ticked (√), the reason in 原因说明."""
    paras, rows = monitoring_form()
    header = next(r for r, row in enumerate(rows) if "三级指标" in row)
    categories, likelihoods = ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"], ["确定能", "有可能", "完全不可能"]
    table = [rows[header][:7] + ["偏差原因分析", _, _, _, _, "原因说明", "纠偏措施", "完成目标可能性", _, _],
             [_] * 7 + categories + [_, _] + likelihoods]
    for row, (_progress, _forecast, reason, action, likelihood) in zip(rows[header + 1:], PROGRESS, strict=True):
        category, _sep, text = reason.partition("：")
        ticks = ["√" if category and name.startswith(category) else _ for name in categories]
        table.append(row[:7] + ticks + [text, action] + ["√" if name == likelihood else _ for name in likelihoods])
    rows = [row + [_] * 7 for row in rows[:header]] + table
    run = run_import(cli, content, write_source("rows", (paras, rows), content.parent, "监控表"))
    assert run.code == 0, run.err
    written = stage_file(content, "monitoring")["indicators"]
    assert [(row.get("reason_category"), row["likelihood"]) for row in written] == [
        ({"其他": "其他", "经费": "经费"}.get(p[2][:2]), p[4]) for p in PROGRESS]
    assert written[9]["reason"] == "上半年物流补贴资金未到位，部分乡镇网点开业推迟。"
    assert checked_project(content).monitoring.indicators[1].likelihood == "有可能"


HUBEI_WEIGHTS = ["6", "6", "6", "5", "5", "4", "4", "4", "6", "6", "6", "6", "6", "5", "5"]


def test_a_hubei_self_evaluation_with_two_goal_blocks_and_a_budget_weight_of_20(content, cli):
    """Hubei (CYCLE.md): budget execution weighs 20 points, the indicators 80 in two 年度绩效目标 blocks."""
    _paras, common = evaluation_form()
    money = common[:5]
    money[3] = [_, "年度资金总额", "1000", "1000", "950", "20", "95%", "19", _]
    header = next(row for row in common if "三级指标" in row)
    rows = list(money)
    for block, (start, end) in enumerate(((0, 8), (8, 15)), start=1):
        rows += [[f"年度绩效目标{block}（40分）", "预期目标", _, _, _, "实际完成情况", _, _, _],
                 [_, f"目标{block}：完善农村电商体系。", _, _, _, f"完成情况{block}：基本完成。", _, _, _], header]
        for n in range(start, end):
            level1, level2, name, target = INDICATORS[n]
            actual, _weight, _score, reason = RESULTS[n]
            score = "4.44" if n == 1 else HUBEI_WEIGHTS[n]  # 2220 / 3000 × 6
            rows.append([_, re.sub(r"（\d+分）", "", level1), level2, name, target, actual, HUBEI_WEIGHTS[n], score,
                         reason])
    rows.append(["总分", _, _, _, _, _, "100", "97.44", _])
    run = run_import(cli, content, write_source("text", (["项目支出绩效自评表"], rows), content.parent, "湖北"))
    assert run.code == 0, run.err
    written = stage_file(content, "evaluations")
    assert written["scoring"] == "hubei" and written["money"]["weight"] == "20"
    assert written["goal"] == {"expected": "目标1：完善农村电商体系。\n目标2：完善农村电商体系。",
                               "actual": "完成情况1：基本完成。\n完成情况2：基本完成。"}
    assert [row["weight"] for row in written["indicators"]] == HUBEI_WEIGHTS
    evaluation = checked_project(content).evaluation
    assert evaluation.profile.id == "hubei" and evaluation.budget_score.computed == Decimal("19.00")
    assert evaluation.total.computed == Decimal("97.44")


def test_a_column_the_file_has_no_field_for_is_reported_not_dropped_silently(content, cli):
    paras, rows = evaluation_form()
    header = next(r for r, row in enumerate(rows) if "三级指标" in row)
    rows = [row + [_] for row in rows]
    rows[header][-1] = "备注"
    rows[header + 2][-1] = "线上培训另计"
    run = run_import(cli, content, write_source("docx", (paras, rows), content.parent, "自评表"))
    assert run.code == 0, run.err
    assert re.search(r"自评表\.docx table 1 row \d+ col 10: warning: the column `备注` is not kept \(text in 1 of its "
                     r"rows\): the file has no field for it", run.err), run.err
