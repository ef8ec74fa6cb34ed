"""`build.py import` of a 部门整体支出绩效自评表 into the department's evaluation.yaml, in every shape
import reads (Word text, row-per-line paste, .docx, .xlsx, PDF), beside the seed department 304001 (2022)
of a copy of content/, then checked.

The form is written here from ../shared/CYCLE.md ("Also in use: department-wide forms", Chongqing's
variant): 部门预算资金 in 万元, 年度总体目标 预期 vs 实际, a flat indicator table with 指标性质,
计量单位, 年初指标值 and 调整指标值, 得分系数 and 是否核心指标, then 总分, 评价等级 and the conclusion.
Its figures agree with the scoring rules (18446500 / 19150000 = 96.33% → 9.63 points; the training
row meets its adjusted target ≥2500人次, not its 年初 ≥3000人次; 总分 9.63 + 85 = 94.63), so the
imported file checks with no error.
"""

from __future__ import annotations

import datetime
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import shapes
import yaml
from conftest import CONTENT
from shapes import Document, Table
from test_import_stages import SHAPES

from builder.importers.department_records import NO_REASON
from builder.pipeline import check_content

UNIT = "304001-玉田县商务和投资促进局"
EXPECTED = "贯彻落实县委县政府招商引资和商贸流通工作部署，完成电子商务进农村综合示范建设，做好商贸领域疫情防控。"
ACTUAL = "全年开展招商推介活动5次，促成合作意向3个；电商公共服务体系覆盖全县乡镇；商贸领域疫情防控措施落实到位。"
KEY_WORK = "完成县委县政府部署的招商引资和商贸流通重点任务"
KEY_WORK_DONE = "重点任务全部完成，电商培训人次未达年初目标"
KEY_WORK_REASON = "受疫情影响，电商培训人次未达年初目标。"
KEY_WORK_MEASURE = "2023年提前安排培训计划，线上线下结合。"
TRAINING_REASON = "受疫情影响，线下培训场次减少。"
_ = ""

HEADER = ["绩效指标", "指标名称", "指标性质", "计量单位", "年初指标值", "调整指标值", "实际完成值", "分值", "得分系数",
          "得分", "是否核心指标", "偏差原因", "改进措施"]
# One row per indicator, in HEADER's columns after 绩效指标. 调整指标值 is the 年初指标值 again where
# nothing was adjusted (满意度), as forms often write it, or blank.
INDICATORS = [
    ("部门预算执行率", "定量", "%", "≥90", _, "96.33", "20", "100%", "20", "是", _, _),
    ("项目绩效自评覆盖率", "定量", "%", "100", _, "100", "10", "100%", "10", "否", _, _),
    ("电商培训人次", "定量", "人次", "≥3000", "≥2500", "2600", "10", "100%", "10", "否", TRAINING_REASON, _),
    ("重点工作完成情况", "定性", _, KEY_WORK, _, KEY_WORK_DONE, "20", "75%", "15", "是", KEY_WORK_REASON,
     KEY_WORK_MEASURE),
    ("一般性支出控制", "定量", "万元", "≤2", _, "1.6", "10", "100%", "10", "否", _, _),
    ("服务对象满意度", "定量", "%", "≥80", "≥80", "91", "20", "100%", "20", "是", _, _),
]
WIDTH = len(HEADER)


def pad(*cells: str) -> list[str]:
    return list(cells) + [_] * (WIDTH - len(cells))


def department_form(unit_cell: str = UNIT, title: str = "部门整体支出绩效自评表") -> tuple[list[str], list[list[str]]]:
    rows = [
        pad("单位名称", unit_cell),
        pad("部门预算资金（万元）", _, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
        pad(_, "年度资金总额", "2015", "1915", "1844.65", "10", "96.33%", "9.63"),
        pad(_, "其中：财政拨款", "1015", "915", "894.65", "—", "—", "—"),
        pad(_, "上年结转资金", "1000", "1000", "950", "—", "—", "—"),
        pad(_, "其他资金", _, _, _, "—", "—", "—"),
        pad("年度总体目标", "预期目标", _, _, _, _, "实际完成情况"),
        pad(_, EXPECTED, _, _, _, _, ACTUAL),
        list(HEADER),
    ]
    rows += [[_, *indicator] for indicator in INDICATORS]
    rows += [
        pad("总分", _, _, _, _, _, _, "100", _, "94.63"),
        pad("评价等级", "优"),
        pad("评价结论", "部门整体支出绩效良好，电商培训任务受疫情影响按调整后目标完成。"),
        pad("存在问题", "线下培训受疫情影响。"),
        pad("改进措施", "提前安排培训计划，线上线下结合。"),
    ]
    return [title, "（2022年度）"], rows


def write_source(shape: str, form: tuple[list[str], list[list[str]]], folder: Path, stem: str) -> Path:
    """The form with its 单位名称 spanning the row and 绩效指标 merged down its rows, as a file."""
    paras, rows = form
    merges = [(0, 1, 0, WIDTH - 1)] if not any(rows[0][2:]) else []
    if HEADER in rows:
        header = rows.index(HEADER)
        merges.append((header + 1, 0, header + len(INDICATORS), 0))
    return shapes.write_source(shape, Document([*paras, Table(rows, merges)]), folder, stem)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of content/ without the department's example evaluation.yaml, so the import writes it anew."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    (copy / "2022/304001/evaluation.yaml").unlink()
    return copy


def run_import(cli, content: Path, *sources: Path, year: str | None = None):
    return cli("import", *map(str, sources), "--out", str(content), *(("--year", year) if year else ()),
               cwd=content.parent)


def written(content: Path) -> dict:
    """The written file, every value as the text it holds."""
    return yaml.load((content / "2022/304001/evaluation.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def checked_evaluation(content: Path):
    result = check_content(content)
    assert result.report.errors == [], [d.format() for d in result.report.errors]
    (department,) = result.site.departments
    assert department.evaluation is not None
    return department.evaluation


@pytest.mark.parametrize("shape", SHAPES)
def test_a_department_self_evaluation_imports_beside_its_department_in_each_shape(shape, content, cli):
    source = write_source(shape, department_form(), content.parent, "部门自评表")
    run = run_import(cli, content, source)
    assert run.code == 0, run.err
    assert "wrote content/2022/304001/evaluation.yaml" in run.out
    data = written(content)
    assert "project" not in data and "scoring" not in data
    # Money in the department's 元, converted exactly from the form's 万元; a blank row is not written.
    assert data["money"] == {
        "total": {"initial": "20150000.00", "adjusted": "19150000.00", "executed": "18446500.00"},
        "current": {"initial": "10150000.00", "adjusted": "9150000.00", "executed": "8946500.00"},
        "carried_over": {"initial": "10000000.00", "adjusted": "10000000.00", "executed": "9500000.00"},
        "weight": "10", "rate": "96.33%", "score": "9.63"}
    assert data["goal"] == {"expected": EXPECTED, "actual": ACTUAL}
    rows = data["indicators"]
    assert [row["name"] for row in rows] == [indicator[0] for indicator in INDICATORS]
    assert all("level1" not in row and "level2" not in row for row in rows)  # a flat table
    # A bare number takes its 计量单位; 定性 has none.
    assert [row["target"] for row in rows] == ["≥90%", "100%", "≥3000人次", KEY_WORK, "≤2万元", "≥80%"]
    assert [row["actual"] for row in rows] == ["96.33%", "100%", "2600人次", KEY_WORK_DONE, "1.6万元", "91%"]
    assert [row.get("unit") for row in rows] == ["%", "%", "人次", None, "万元", "%"]
    assert [row["nature"] for row in rows] == ["定量", "定量", "定量", "定性", "定量", "定量"]
    assert [row["core"] for row in rows] == ["true", "false", "false", "true", "false", "true"]
    assert [(row["weight"], row["coefficient"], row["score"]) for row in rows] == [
        (i[6], i[7], i[8]) for i in INDICATORS]
    # Only the changed target is an adjustment; the form gives no reason, and the reason written says so.
    assert [n for n, row in enumerate(rows) if "adjustment" in row] == [2]
    assert rows[2]["adjustment"] == {"target": "≥2500人次", "reason": NO_REASON}
    assert (rows[3]["deviation"], rows[3]["improvement"]) == (KEY_WORK_REASON, KEY_WORK_MEASURE)
    assert rows[2]["deviation"] == TRAINING_REASON
    assert (data["total"], data["grade"]) == ("94.63", "优")
    assert data["conclusion"] == "部门整体支出绩效良好，电商培训任务受疫情影响按调整后目标完成。"
    assert (data["problems"], data["measures"]) == ("线下培训受疫情影响。", "提前安排培训计划，线上线下结合。")
    assert re.search(r"warning: 调整指标值 `≥2500人次` \(年初 `≥3000人次`\) has no 调整原因 in the form: `reason` says so "
                     r"until you write why the target was changed and who approved it\n  hint: the schema asks", run.err), \
        run.err
    text = (content / "2022/304001/evaluation.yaml").read_text(encoding="utf-8")
    assert re.match(r"# yaml-language-server: \$schema=\S*/schemas/department-evaluation\.schema\.json\n", text)
    assert re.search(r"\n    # warning: 调整指标值 `≥2500人次` .*\n    adjustment:\n      target: ≥2500人次\n"
                     rf"      reason: {NO_REASON}\n", text), text  # the warning stands above what it is about
    assert "    core: true\n" in text  # a YAML boolean, not the text 'true'
    # The stated figures agree with the computed ones, the adjusted target in force: no error.
    evaluation = checked_evaluation(content)
    assert evaluation.rate.computed == Decimal("96.33") and evaluation.budget_score.computed == Decimal("9.63")
    assert evaluation.total.computed == Decimal("94.63") and evaluation.grade == "优"
    training = evaluation.indicators[2]
    assert training.target is not None and training.target.value == Decimal(2500)
    assert training.score.computed == Decimal("10.00") and training.status == "met"


def with_column(rows: list[list[str]], after: str, header: str, values: list[str]) -> list[list[str]]:
    """The form with one more column after the indicator table's `after` column (blank above it)."""
    start = next(r for r, row in enumerate(rows) if "指标名称" in row)
    position = rows[start].index(after) + 1
    out = []
    for r, row in enumerate(rows):
        cell = header if r == start else values[r - start - 1] if start < r <= start + len(values) else _
        out.append(row[:position] + [cell] + row[position:])
    return out


def test_a_department_form_with_level1_blocks_a_reason_column_a_share_a_date_serial_and_a_placeholder(content, cli):
    paras, rows = department_form()
    header = rows.index(HEADER)
    deadline_row = header + 2  # 项目绩效自评覆盖率 becomes a deadline, its actual a date typed as a number
    serial = (datetime.date(2022, 12, 31) - datetime.date(1899, 12, 30)).days
    rows[deadline_row][1:11] = ["年度工作按时完成", "定性", _, "2022年12月底前", _, str(serial), "10", "1", "10",
                                "否"]
    rows = with_column(rows, "调整指标值", "调整原因", [_, _, "经县政府批准，线下培训压减，目标调为2500人次。"])
    rows = with_column(rows, "绩效指标", "一级指标", ["产出指标（40分）", _, _, "效益指标（30分）", _, "满意度指标（20分）"])
    rows.insert(header + 6, [_, _, "指标2"] + [_] * (len(rows[0]) - 3))  # the template's unused row
    paras.append(f"填报单位（盖章）：{UNIT}")  # the unit on a line of its own, not in a cell
    rows = [row for row in rows if row[0] != "单位名称"]
    run = run_import(cli, content, write_source("text", (paras, rows), content.parent, "部门自评表"))
    assert run.code == 0, run.err
    assert re.search(rf"warning: `{serial}` in 实际完成值 is an Excel date serial: read as 2022-12-31 and written "
                     r"2022年12月31日\n", run.err), run.err
    assert re.search(r"warning: a placeholder row \(`指标2`\) of the indicator table was left out", run.err), run.err
    assert re.search(r"note: 得分系数 `1` read as a share: written 100%", run.err), run.err
    assert "has no 调整原因" not in run.err
    rows_written = written(content)["indicators"]
    assert [row.get("level1") for row in rows_written] == [
        "产出指标（40分）", None, None, "效益指标（30分）", None, "满意度指标（20分）"]
    assert rows_written[1]["actual"] == "2022年12月31日" and rows_written[1]["coefficient"] == "100%"
    assert rows_written[2]["adjustment"] == {"target": "≥2500人次", "reason": "经县政府批准，线下培训压减，目标调为2500人次。"}
    assert len(rows_written) == len(INDICATORS)
    evaluation = checked_evaluation(content)
    assert [t.stated_weight for t in evaluation.level1 if t.stated_weight is not None] == [40, 30, 20]


def test_a_department_form_of_no_department_in_the_content_folder_is_reported_and_not_written(content, cli):
    source = write_source("rows", department_form("304011-玉田县商务局"), content.parent, "部门自评表")
    run = run_import(cli, content, source)
    assert run.code == 1
    assert re.search(r"^部门自评表\.txt:\d+ col 2: error: no department of 2022 in the content folder has the code "
                     r"`304011` or the name `玉田县商务局`; the department-wide self-evaluation \(部门整体支出绩效自评表\) "
                     r"was not imported\n  hint: did you mean `304001`\?$", run.err, re.M), run.err
    assert "1 forms not imported" in run.err
    assert not (content / "2022/304001/evaluation.yaml").exists()
    # The right department, another year asked for: the hint names the year it is in.
    right = write_source("text", department_form(), content.parent, "部门自评表")
    other_year = run_import(cli, content, right, year="2023")
    assert other_year.code == 1
    assert "error: no department of 2023 in the content folder has the code `304001`" in other_year.err
    assert "  hint: the department is in 2022: give that year with --year" in other_year.err
    assert not (content / "2022/304001/evaluation.yaml").exists()


def test_a_department_form_with_a_wrong_code_is_matched_by_its_name_with_a_warning(content, cli):
    source = write_source("rows", department_form("304002-玉田县商务和投资促进局"), content.parent, "部门自评表")
    run = run_import(cli, content, source)
    assert run.code == 0, run.err
    assert re.search(r"部门自评表\.txt:\d+ col 2: warning: no department has the code `304002`; matched by its name "
                     r"to department 304001\n  hint: correct the code in the form to 304001", run.err), run.err
    assert written(content)["total"] == "94.63"


def test_a_department_wide_monitoring_form_is_left_out_with_a_warning(content, cli):
    source = write_source("text", department_form(title="部门整体支出绩效目标执行监控表"), content.parent, "部门监控表")
    run = run_import(cli, content, source)
    assert run.code == 1
    assert re.search(r"^部门监控表\.txt:1: error: `部门整体支出绩效目标执行监控表` was left out: the content has no file "
                     r"for a department-wide monitoring round\n  hint: import the projects' 绩效目标执行监控表 instead$",
                     run.err, re.M), run.err
    assert not (content / "2022/304001/evaluation.yaml").exists()
    assert not (content / "2022/304001/monitoring/部门监控表.yaml").exists()
