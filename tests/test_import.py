"""`build.py import`: the seed round trip, each export shape, each variant, and garbage."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CONTENT, SEED, tree_snapshot

from builder.pipeline import check_content

# A small disclosure with the variety of DOMAIN.md: 单位：万元, thousands separators,
# a "/" amount, header synonyms, a spacer column, comparator spellings, milestones
# other than 3/6/10/12, numbering （1） and ①, runs of spaces inside labels.
VARIANT_ROWS = [
    ["100200测试县农业农村局机关", "", "", "", "", "", "单位：万元"],
    ["项目编码", "13022922P00AAA000001", "", "项目名称", "高标准农田建设", "", ""],
    ["预算规模及资金用途", "预算数", "1,250.50", "其中：财政    资金", "1,000.00", "其他资金", "250.50"],
    ["", "用于高标准农田建设和农田水利设施维护，提升耕地质量。", "", "", "", "", ""],
    ["资金支出计划（%）", "6月底", "", "9月底", "11月底", "12月底", ""],
    ["", "30%", "", "60%", "90%", "100%", ""],
    ["绩效目标", "（1）建成高标准农田。\n（2）提升耕地质量。", "", "", "", "", ""],
]
VARIANT_TABLE = [
    ["一级指标", "二级指标", "三级指标", "指标解释", "", "年度指标值", "指标标准或依据"],
    ["成本指标", "经济成本指标", "亩均投资", "亩均投资", "", "≦3000元/亩", "省定标准"],
    ["产出指标", "数量指标", "新建高标准农田面积", "新建面积", "", "＞＝ 1.2万亩", "年度计划"],
    ["", "质量指标", "耕地质量等级提升", "提升等级", "", "≥0.5等", "验收标准"],
    ["", "时效指标", "完工时间", "完工时间", "", "2022年11月底前", "年度计划"],
    ["效益指标", "社会效益指标", "受益农户", "受益农户", "", "≥ 2000户", "年度计划"],
    ["满意度指标", "服务对象满意度指标", "农户满意度", "农户满意度", "", "≥90%", "抽样调查"],
]
VARIANT_PART1 = [
    "第一部分",
    "一、总体绩效目标",
    "测试县农业农村局部门整体绩效",
    "1、负责全县农业农村发展规划。",
    "2、负责高标准农田建设。 3、负责农田水利。",
    "二、分项绩效目标",
    "测试县农业农村局分项绩效目标",
    "2022年我单位安排项目支出1250.50万元，其中：高标准农田建设1250.50万元。",
    "高标准农田建设",
    "项目共设成本指标、产出指标、效益指标和满意度指标四个一级指标，下设6个二、三级指标。",
    "三、工作保障措施",
    "测试县农业农村局工作保障措施",
    "①加强组织领导。",
    "②强化资金监管。",
]


def word_text(part1: list[str], rows: list[list[str]], table: list[list[str]]) -> str:
    """The Word text export: one cell per TAB-led line, a blank line between rows."""
    lines = list(part1) + ["第二部分", "[bookmark: _Toc_1]1.高标准农田建设绩效目标表"]
    for row in rows + [[" "]] + table:
        for cell in row:
            first, *rest = cell.split("\n")
            lines.append("\t" + first)
            lines += rest
        lines.append("")
    return "\n".join(lines) + "\n"


def excel_paste(part1: list[str], rows: list[list[str]], table: list[list[str]]) -> str:
    """Tables pasted from Excel/WPS: one row per line, TAB between cells (multi-line cells joined)."""
    lines = list(part1) + ["第二部分", "1.高标准农田建设绩效目标表"]
    for row in rows + table:
        lines.append("\t".join(cell.replace("\n", " ") for cell in row))
    return "\n".join(lines) + "\n"


def run_import(cli, tmp_path: Path, source: Path, *extra: str):
    return cli("import", str(source), "--out", str(tmp_path / "content"), *extra, cwd=tmp_path)


def test_the_seed_imports_as_the_hand_made_content_field_for_field(tmp_path, cli):
    run = run_import(cli, tmp_path, SEED)
    assert run.code == 0, run.err
    imported = check_content(tmp_path / "content")
    assert imported.report.errors == []
    (department,) = imported.site.departments
    targets = tmp_path / "targets"  # the hand-made content as far as the seed goes: the targets, no later stages
    shutil.copytree(CONTENT, targets)
    for stage in ("evaluations", "monitoring"):
        shutil.rmtree(targets / "2022/304001" / stage, ignore_errors=True)
    (targets / "2022/304001/evaluation.yaml").unlink(missing_ok=True)
    (expected,) = check_content(targets).site.departments
    assert department == expected  # every field of the model, every project and indicator
    assert len(department.projects) == 4 and department.indicator_count == 52
    assert department.total == Decimal("20150000.00")
    # The same findings as the hand-made content, each with its source line.
    assert "  source: seed_000_197cfe662bbdfdb7.txt:147" in run.err
    assert run.err.rstrip().endswith("0 errors, 10 warnings in the imported content")


def test_reimporting_is_idempotent(tmp_path, cli):
    assert run_import(cli, tmp_path, SEED).code == 0
    first = tree_snapshot(tmp_path / "content")
    assert run_import(cli, tmp_path, SEED).code == 0
    assert tree_snapshot(tmp_path / "content") == first


@pytest.mark.parametrize("shape", [word_text, excel_paste])
def test_each_variant_imports_in_both_text_shapes(shape, tmp_path, cli):
    source = tmp_path / "source.txt"
    source.write_text(shape(VARIANT_PART1, VARIANT_ROWS, VARIANT_TABLE), encoding="utf-8")
    run = run_import(cli, tmp_path, source)
    assert run.code == 0, run.err
    check_variant(tmp_path / "content")


def check_variant(content: Path) -> None:
    result = check_content(content)
    assert result.report.errors == [], [d.format() for d in result.report.errors]
    (department,) = result.site.departments
    assert (department.code, department.name, department.scope, department.year) == (
        "100200", "测试县农业农村局", "机关", 2022)
    assert department.money_unit == "万元" and department.framework.id == "caiyu-2021-101"
    assert [d.raw for d in department.duties] == ["1、负责全县农业农村发展规划。", "2、负责高标准农田建设。",
                                                  "3、负责农田水利。"]
    assert [m.raw for m in department.measures] == ["①加强组织领导。", "②强化资金监管。"]
    (project,) = department.projects
    assert project.budget.total.value == Decimal("1250.50") and project.budget.total.raw == "1,250.50"
    assert project.budget.other.value == Decimal("250.50")
    assert [(m.label, m.percent) for m in project.spending_plan] == [
        ("6月底", 30), ("9月底", 60), ("11月底", 90), ("12月底", 100)]
    assert [g.raw for g in project.goals] in (["（1）建成高标准农田。", "（2）提升耕地质量。"],)
    rows = [(i.level1.raw, i.level2.raw, i.name, i.description, i.target.raw, i.basis) for i in project.indicators]
    assert rows[0] == ("成本指标", "经济成本指标", "亩均投资", "亩均投资", "≦3000元/亩", "省定标准")
    assert rows[1][4] == "＞＝ 1.2万亩" and project.indicators[1].target.value == Decimal("1.2")
    assert project.indicators[2].level1_continues and not project.indicators[2].level2_continues
    assert [i.target.comparator for i in project.indicators] == ["≤", "≥", "≥", "≤", "≥", "≥"]
    assert project.indicators[3].target.kind == "deadline"


def test_a_docx_with_merged_cells_imports(tmp_path, cli):
    import docx

    document = docx.Document()
    for line in VARIANT_PART1 + ["第二部分", "1.高标准农田建设绩效目标表"]:
        document.add_paragraph(line)
    form = document.add_table(rows=len(VARIANT_ROWS), cols=7)
    for r, row in enumerate(VARIANT_ROWS):
        for c, text in enumerate(row):
            form.cell(r, c).text = text
    form.cell(0, 0).merge(form.cell(0, 5))  # the unit line spans six columns
    form.cell(3, 1).merge(form.cell(3, 6))  # the purpose spans the row
    form.cell(2, 0).merge(form.cell(3, 0))  # 预算规模及资金用途 spans two rows
    table = document.add_table(rows=len(VARIANT_TABLE), cols=7)
    for r, row in enumerate(VARIANT_TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(2, 0).text = "产出指标"
    table.cell(2, 0).merge(table.cell(4, 0))  # a real vertical merge of 一级指标
    source = tmp_path / "source.docx"
    document.save(source)
    run = run_import(cli, tmp_path, source)
    assert run.code == 0, run.err
    check_variant(tmp_path / "content")


def test_an_xlsx_with_merged_ranges_imports(tmp_path, cli):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in VARIANT_PART1 + ["第二部分", "1.高标准农田建设绩效目标表"]:
        sheet.append([line, None])
    start = sheet.max_row + 1
    for row in VARIANT_ROWS + VARIANT_TABLE:
        sheet.append([cell or None for cell in row])
    sheet.merge_cells(start_row=start, start_column=1, end_row=start, end_column=6)
    table_start = start + len(VARIANT_ROWS)
    sheet.merge_cells(start_row=table_start + 2, start_column=1, end_row=table_start + 4, end_column=1)
    source = tmp_path / "source.xlsx"
    book.save(source)
    run = run_import(cli, tmp_path, source)
    assert run.code == 0, run.err
    check_variant(tmp_path / "content")


@pytest.mark.parametrize("garbage", ["binary", "empty", "cut in half", "huge", "not a disclosure", "bad docx"])
def test_garbage_gives_a_clear_error_and_writes_nothing(garbage, tmp_path, cli):
    source = tmp_path / "source.txt"
    if garbage == "binary":
        source.write_bytes(bytes(range(256)) * 10)
    elif garbage == "empty":
        source.write_bytes(b"")
    elif garbage == "cut in half":
        text = SEED.read_text(encoding="utf-8")
        source.write_text(text[: text.index("\t一级指标")], encoding="utf-8")
    elif garbage == "huge":
        source.write_bytes(b"x" * (10 * 1024 * 1024))
    elif garbage == "not a disclosure":
        source.write_text("这不是绩效目标表。\n只是一段文字。\n", encoding="utf-8")
    else:
        source = tmp_path / "source.docx"
        source.write_bytes(b"PK\x03\x04 not really a zip")
    run = run_import(cli, tmp_path, source)
    assert run.code == 1
    assert re.match(r"source\.(txt|docx)(:\d+)?: error: ", run.err) and "nothing was written" in run.err
    assert "Traceback" not in run.err
    assert not (tmp_path / "content").exists()


def test_one_bad_source_among_good_ones_writes_nothing(tmp_path, cli):
    bad = tmp_path / "bad.txt"
    bad.write_text("没有表格\n", encoding="utf-8")
    run = cli("import", str(SEED), str(bad), "--out", str(tmp_path / "content"), cwd=tmp_path)
    assert run.code == 1
    assert not (tmp_path / "content").exists()


def test_text_that_cannot_be_placed_is_kept_as_a_note(tmp_path, cli):
    text = SEED.read_text(encoding="utf-8").replace("第二部分", "本表由财务股填报。\n第二部分", 1)
    source = tmp_path / "source.txt"
    source.write_text(text, encoding="utf-8")
    run = run_import(cli, tmp_path, source)
    assert run.code == 0
    department = (tmp_path / "content/2022/304001/department.yaml").read_text(encoding="utf-8")
    assert "本表由财务股填报。" in department  # as a comment, not dropped


def test_lint_finds_planted_narrative_mismatches_and_is_quiet_on_consistent_content(tmp_path, cli):
    consistent = tmp_path / "consistent"
    shutil.copytree(CONTENT, consistent)
    department = consistent / "2022/304001/department.yaml"
    text = department.read_text(encoding="utf-8")
    # Make the narrative agree with the tables, as it should.
    text = (text.replace("指标值为≥2次", "指标值为≥2个").replace("效果指标", "效益指标")
            .replace("- name: 疫情防控专项经费", "- name: 疫情防控经费")
            .replace("5、效益指标—经济效益指标--税收增长率--税收增长率，指标值为≥70%。6、效益指标—社会效益指标--社会影响力",
                     "5、效益指标—经济效益指标--税收增长率--税收增长率，指标值为≥80%。6、效益指标—社会效益指标--社会影响力"))
    department.write_text(text, encoding="utf-8")
    quiet = [d.message for d in check_content(consistent).report.warnings if "narrative" in d.message]
    assert quiet == []
    # Plant: a wrong value, a wrong count, a wrong total.
    planted = (text.replace("指标值为≥4次", "指标值为≥6次").replace("下设11个二、三级指标。具体为：1、产出指标—数量指标—开展",
                                                             "下设12个二、三级指标。具体为：1、产出指标—数量指标—开展")
               .replace("需安排专项项目支出15万元", "需安排专项项目支出16万元"))
    department.write_text(planted, encoding="utf-8")
    messages = [d.message for d in check_content(consistent).report.warnings if "narrative" in d.message]
    assert "the narrative states 1、开展产业优势产业项目宣传推介活动数量 as ≥6次; the table says ≥4次" in messages
    assert ("the narrative says 12 indicators (`下设12个二、三级指标`); the table of 13022922P00JXC411757B has 11"
            in messages)
    assert "the narrative states a total of 160,000.00 元 but lists 150,000.00 元" in messages


@pytest.mark.parametrize("shape", [word_text, excel_paste])
@pytest.mark.parametrize("fiscal, other, blank", [("1,250.50", "", True), ("1,250.50", "/", True),
                                                  ("1,250.50", "——", True), ("1,250.50", "0", False),
                                                  ("1250.50", "0.00", False)])
def test_blank_and_zero_amounts_stay_distinct(shape, fiscal, other, blank, tmp_path, cli):
    rows = [list(r) for r in VARIANT_ROWS]
    rows[2] = ["预算规模及资金用途", "预算数", "1,250.50", "其中：财政资金", fiscal, "其他资金", other]
    source = tmp_path / "source.txt"
    source.write_text(shape(VARIANT_PART1, rows, VARIANT_TABLE), encoding="utf-8")
    assert run_import(cli, tmp_path, source).code == 0
    (project,) = check_content(tmp_path / "content").site.departments[0].projects
    assert project.budget.other.is_blank is blank
    assert project.budget.fiscal.value == Decimal("1250.50")


def test_source_problems_become_findings_not_crashes(tmp_path, cli):
    table = [list(r) for r in VARIANT_TABLE]
    table[2][5] = "≥**万亩"  # a template placeholder left in the source
    source = tmp_path / "source.txt"
    source.write_text(word_text(VARIANT_PART1, VARIANT_ROWS, table), encoding="utf-8")
    run = run_import(cli, tmp_path, source)
    assert run.code == 1  # the content has an error to fix; the import itself worked
    assert "error: target '≥**万亩' still holds a template placeholder" in run.err
    assert "  source: source.txt:" in run.err
    assert (tmp_path / "content/2022/100200/projects/13022922P00AAA000001.yaml").is_file()


def test_narrative_findings_point_back_at_the_source_line(tmp_path, cli):
    run = run_import(cli, tmp_path, SEED)
    lines = run.err.splitlines()
    finding = next(i for i, line in enumerate(lines) if "税收增长率 as ≥70%" in line)
    assert lines[finding + 2] == "  source: seed_000_197cfe662bbdfdb7.txt:30"


def test_new_scaffolds_files_to_fill_in(tmp_path, cli):
    content = tmp_path / "content"
    (content).mkdir()
    (content / "site.yaml").write_text("title: 测试\npublisher: 测试\n", encoding="utf-8")
    folder = content / "2023" / "999001"
    assert cli("new", "department", str(folder), "--code", "999001", cwd=tmp_path).code == 0
    assert cli("new", "project", str(folder), "--code", "P1", cwd=tmp_path).code == 0
    project = (folder / "projects/P1.yaml").read_text(encoding="utf-8")
    assert project.startswith("# yaml-language-server: $schema=")
    assert "# 指标值确定依据 — optional: where the target comes from, verbatim" in project
    # Every field is there to fill in; check lists exactly what is left.
    run = cli("check", "--content", str(content), cwd=tmp_path)
    assert run.code == 1
    assert any("`target` still holds the placeholder 待填写" in d for d in run.diagnostics)
    # Never overwrites, and refuses a code unsafe for paths.
    again = cli("new", "project", str(folder), "--code", "P1", cwd=tmp_path)
    assert again.code == 1 and "never overwrites" in again.err
    assert cli("new", "project", str(folder), "--code", "../x", cwd=tmp_path).code == 1
