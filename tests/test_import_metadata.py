"""`build.py import`: the budget year, the unit, its scope and each table's money unit, read from every
clue a document holds (titles, headings, codes, document numbers, deadlines, labelled cells), each
choice a note naming its evidence; and a section heading with its text on the same line."""

from __future__ import annotations

import pytest
from shapes import Document, Table, excel_paste, word_text

from builder.importers import interpret
from builder.importers.errors import ImportProblem
from builder.importers.sources import read_text
from builder.pipeline import check_content

UNIT_LINE = "304001玉田县商务和投资促进局本级"
NAME = "招商经费"


def form(*, unit_line: str = UNIT_LINE, money: str = "单位：元", code: str = "13022922P00JXC411757B",
         name: str = NAME, target: str = "≥4次", deadline: str = "", basis: str = "工作计划",
         header: list[list[str]] | None = None, total_label: str = "预算数") -> Table:
    """A Hebei 绩效目标表 (the seed's layout), 7 columns, with the cells a case varies."""
    rows = [[unit_line, "", "", "", "", "", money]] if unit_line or money else []
    rows += header or []
    rows += [
        ["项目编码", code, "", "项目名称", name, "", ""],
        ["预算规模及资金用途", total_label, "100000.00", "其中：财政资金", "100000.00", "其他资金", ""],
        ["", "用于开展招商引资各项工作，宣传推介投资环境。", "", "", "", "", ""],
        ["资金支出计划（%）", "6月底", "", "12月底", "", "", ""],
        ["", "50%", "", "100%", "", "", ""],
        ["绩效目标", "1.开展招商推介活动。", "", "", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "绩效指标描述", "", "指标值", "指标值确定依据"],
        ["产出指标", "数量指标", "推介活动次数", "推介活动次数", "", target, basis],
    ]
    if deadline:
        rows.append(["", "时效指标", "完成时间", "完成时间", "", deadline, basis])
    return Table(rows)


def document(*titles: str, projects: list[tuple[str, Table]] | None = None, part1: tuple[str, ...] = ()) -> Document:
    parts: list[str | Table] = [*titles, *part1]
    for number, (heading, table) in enumerate(projects or [(NAME, form())], start=1):
        parts += [f"{number}.{heading}绩效目标表", table]
    return Document(parts)


def imported(doc: Document, year: int | None = None, shape=word_text):
    return interpret(read_text("x.txt", shape(doc)), year, "x.txt")


def notes(result) -> list[str]:
    return [("warning: " if n.level == "warning" else "") + f"{n.text} ({n.where})" for n in result.notes]


NOTICE_TITLE = "玉田县商务和投资促进局关于下达2023年中央服务业发展资金预算的通知绩效目标表"
NOTICE_NAME = "关于下达2023年中央服务业发展资金预算的通知"

# (case, document, the year, the evidence the note names, the line it points at)
YEARS = [
    ("a statement of the text and codes (the seed's kind)",
     document(part1=("二、分项绩效目标", "玉田县商务和投资促进局分项绩效目标", "2022年我单位安排项目支出10万元，用于招商。")),
     2022, "text 2022年我单位…; code 13022922…", "x.txt:3"),
    ("a title", document("2024年度部门预算", projects=[(NAME, form(code="P001"))]),
     2024, "title line 1", "x.txt:1"),
    ("a heading `2024年…绩效目标表`",
     document("2024年项目支出绩效目标表", projects=[(NAME, form(code="P001", deadline="2024年12月底前"))]),
     2024, "title line 1; deadline 2024年12月底前", "x.txt:1"),
    ("reported: a title naming 2023 in a notice, the code gives 2024",
     document(NOTICE_TITLE, projects=[(NAME, form(code="13022924P00JXC411757B"))]),
     2024, "code 13022924…", "x.txt:12"),
    ("reported: a title naming 2023 in a notice, a deadline gives 2024",
     document(NOTICE_TITLE, projects=[(NAME, form(code="P001", deadline="2024年12月底前"))]),
     2024, "deadline 2024年12月底前", "x.txt:80"),
    ("reported: a title naming 2023 in a notice, a heading gives 2024",
     document(NOTICE_TITLE, "2024年项目支出绩效目标表", projects=[(NAME, form(code="P001"))]),
     2024, "title line 2", "x.txt:2"),
    ("reported: a 2024 document naming 2023 in its projects' names",
     document("玉田县商务和投资促进局2024年部门预算",
              projects=[(NOTICE_NAME, form(code="13022924P00JXC411757B", name=NOTICE_NAME, deadline="2024年12月底前",
                                           basis="2023年实际完成情况"))]),
     2024, "title line 1; code 13022924…; deadline 2024年12月底前", "x.txt:1"),
    ("a document number allocates the next year's budget (weak, beside a deadline)",
     document("冀财预〔2023〕12号", projects=[(NAME, form(code="P001", deadline="2024年11月底前"))]),
     2024, "deadline 2024年11月底前; document number 冀财预〔2023〕12号", "x.txt:80"),
    ("a project carried on from 2021 keeps its 2021 code",
     document(projects=[(NAME, form()), ("电商发展", form(code="130229214I5FK2QU161C5", name="电商发展"))]),
     2022, "code 13022922…", "x.txt:11"),
    ("Sichuan's codes: region, then the year",
     document(projects=[(NAME, form(code="51000024R000000019951"))]), 2024, "code 51000024…", "x.txt:11"),
    ("a deadline written 2024年底前", document(projects=[(NAME, form(code="P001", deadline="2024年底前"))]),
     2024, "deadline 2024年底前", "x.txt:79"),
    ("a date for a target (≤2024年11月)", document(projects=[(NAME, form(code="P001", deadline="≤2024年11月"))]),
     2024, "deadline ≤2024年11月", "x.txt:79"),
    ("a title as the only cell of a row (an .xlsx title in A1, a merged title row)",
     document(projects=[(NAME, form(code="P001", header=[["2024年部门预算项目绩效目标表", "", "", "", "", "", ""]]))]),
     2024, "title line 10", "x.txt:10"),
    ("a title naming the unit, then the year", document("玉田县商务和投资促进局2024年部门预算公开",
                                                       projects=[(NAME, form(code="P001"))]),
     2024, "title line 1", "x.txt:1"),
    ("a document number beside a code of the year it allocates",
     document("冀财预〔2023〕12号", projects=[(NAME, form(code="13022924P001"))]),
     2024, "code 13022924…; document number 冀财预〔2023〕12号", "x.txt:12"),
    ("many deadlines are not many votes: the title wins",
     document("2025年度部门预算",
              projects=[(NAME, form(code="P001", deadline="2025年6月底前")),
                        *[(f"项目{i}", form(code=f"P00{i}", name=f"项目{i}", deadline="2025年12月底前")) for i in range(2, 7)]]),
     2025, "title line 1; 6 deadlines", "x.txt:1"),
]


@pytest.mark.parametrize("case, doc, year, evidence, where", YEARS, ids=[c[0] for c in YEARS])
def test_the_budget_year_is_weighed_from_every_clue(case, doc, year, evidence, where):
    result = imported(doc)
    assert result.department["year"] == year
    assert f"year {year} ({evidence}) ({where})" in notes(result)
    assert not any("another year" in note for note in notes(result)), notes(result)


def test_the_year_is_read_in_the_row_per_line_shape_too():
    result = imported(document(NOTICE_TITLE, projects=[(NAME, form(code="13022924P00JXC411757B"))]), shape=excel_paste)
    assert result.department["year"] == 2024
    assert "year 2024 (code 13022924…) (x.txt:4 col 2)" in notes(result)


@pytest.mark.parametrize("doc, year, conflict", [
    (document("2024年度部门预算", projects=[(NAME, form(code="P001", deadline="2023年12月底前"))]),
     2024, "warning: other evidence names another year: 2023: deadline 2023年12月底前 (x.txt:1)"),
    (document("2023年度部门预算", projects=[(NAME, form(code="13022924P00JXC411757B"))]),
     2023, "warning: other evidence names another year: 2024: code 13022924… (x.txt:1)"),
    (document("2024年度部门预算", "2023年部门预算项目绩效目标表", projects=[(NAME, form(code="13022924P001"))]),
     2024, "warning: other evidence names another year: 2023: title line 2 (x.txt:1)"),
], ids=["a deadline before the year", "a code of a later year", "two titles"])
def test_evidence_against_the_year_is_a_warning(doc, year, conflict):
    result = imported(doc)
    assert result.department["year"] == year
    assert conflict in notes(result)


@pytest.mark.parametrize("doc, message", [
    (document(NOTICE_TITLE, projects=[(NAME, form(code="P001"))]),
     "no budget year found: only notice name 关于下达2023年中央服务业发展资金预算的通知 names 2023, and such names "
     "often give an earlier year than the budget's (looked at 3 lines, 1 project codes and names, and 1 targets)"),
    (document(projects=[(NAME, form(code="P001"))]),
     "no budget year found: no title, sentence, project code, deadline, document number or project name names one "
     "(looked at 2 lines, 1 project codes and names, and 1 targets)"),
], ids=["only a notice's name", "nothing at all"])
def test_without_a_year_the_refusal_says_what_was_looked_at(doc, message):
    with pytest.raises(ImportProblem) as refused:
        imported(doc)
    assert refused.value.message == message
    assert refused.value.hint == "give the budget year with --year, e.g. --year 2024"
    assert imported(doc, year=2023).department["year"] == 2023  # --year is enough


def test_a_given_year_that_the_document_contradicts_is_a_warning():
    doc = document("2024年度部门预算", projects=[(NAME, form(code="P001"))])
    result = imported(doc, year=2023)
    assert result.department["year"] == 2023
    assert "warning: --year 2023 given; the document names 2024 (title line 1) (x.txt:1)" in notes(result)
    assert not any(note.startswith("warning") for note in notes(imported(doc, year=2024)))


# (case, document, code, name, scope, the unit's note, the scope's note)
UNITS = [
    ("the unit line in the table", document(), "304001", "玉田县商务和投资促进局", "本级",
     "unit 304001 玉田县商务和投资促进局 (unit line at line 2) (x.txt:2)",
     "scope 本级 (unit line at line 2) (x.txt:2)"),
    ("the unit line above the table, with the money unit on it",
     Document(["1.招商经费绩效目标表", "304001玉田县商务和投资促进局机关    单位：万元",
               form(unit_line="", money="", code="13022922P001")]),
     "304001", "玉田县商务和投资促进局", "机关",
     "unit 304001 玉田县商务和投资促进局 (unit line at line 2) (x.txt:2)", "scope 机关 (unit line at line 2) (x.txt:2)"),
    ("a 预算单位 cell, CODE-名称", document(projects=[(NAME, form(
        unit_line="", money="单位：元", header=[["预算单位", "304001-玉田县商务和投资促进局", "", "", "", "", ""]]))]),
     "304001", "玉田县商务和投资促进局", "本级",
     "unit 304001 玉田县商务和投资促进局 (unit cell 304001-玉田县商务和投资促进局) (x.txt:11)",
     "scope not stated (the unit line, the unit's cells and the titles name none of 本级, 机关, 汇总 …); 本级 assumed "
     "(x.txt:11)"),
    ("主管部门 and 实施单位 cells (a 申报表)", document(projects=[(NAME, form(unit_line="", header=[
        ["主管部门", "304001玉田县商务和投资促进局", "", "实施单位", "304001002玉田县电子商务服务中心", "", ""]]))]),
     "304001", "玉田县商务和投资促进局", "本级",
     "unit 304001 玉田县商务和投资促进局 (主管部门 304001玉田县商务和投资促进局) (x.txt:11)", None),
    ("`单位名称：…` on a line, the title naming the unit and its scope",
     document("玉田县商务和投资促进局2024年部门预算（汇总）", "单位名称：304001玉田县商务和投资促进局",
              projects=[(NAME, form(unit_line=""))]),
     "304001", "玉田县商务和投资促进局", "汇总",
     "unit 304001 玉田县商务和投资促进局 (unit cell 304001玉田县商务和投资促进局; title line 1) (x.txt:2)",
     "scope 汇总 (title line 1) (x.txt:1)"),
    ("a code cell, the name from the title",
     document("玉田县商务和投资促进局2024年部门预算", projects=[(NAME, form(unit_line="", header=[
         ["单位编码", "304001", "", "", "", "", ""]]))]),
     "304001", "玉田县商务和投资促进局", "本级",
     "unit 304001 玉田县商务和投资促进局 (unit code cell 304001; title line 1) (x.txt:12)", None),
]


@pytest.mark.parametrize("case, doc, code, name, scope, unit_note, scope_note", UNITS, ids=[c[0] for c in UNITS])
def test_the_unit_and_its_scope_are_read_from_every_clue(case, doc, code, name, scope, unit_note, scope_note):
    result = imported(doc)
    department = result.department
    assert (department["code"], department["name"], department["scope"]) == (code, name, scope)
    assert unit_note in notes(result)
    if scope_note:
        assert scope_note in notes(result)


def test_no_unit_code_anywhere_is_refused_with_what_was_looked_for():
    with pytest.raises(ImportProblem) as refused:
        imported(document("2024年度部门预算", projects=[(NAME, form(unit_line=""))]))
    assert refused.value.message.startswith("no unit code found (looked for the unit line")
    assert refused.value.hint == "add the unit line, its code and name, above the first project table"


def test_two_unit_codes_are_a_warning():
    doc = document(projects=[(NAME, form()), ("电商", form(unit_line="304002玉田县电子商务服务中心本级", name="电商",
                                                            code="13022922P002"))])
    result = imported(doc)
    assert result.department["code"] == "304001"
    assert "warning: the document also names the unit code 304002 (x.txt:2)" in notes(result)


# (case, document, each project's money unit, the department's, a note on project 1 or None)
MONEY = [
    ("单位：万元 in the table", document(projects=[(NAME, form(money="单位：万元"))]), ["万元"], "万元", None),
    ("（万元） in the amounts' label", document(projects=[(NAME, form(money="", total_label="预算数（万元）"))]),
     ["万元"], "万元", None),
    ("单位：万元 on the line above the table",
     Document(["1.招商经费绩效目标表", "单位：万元", form(money="", code="13022922P001")]), ["万元"], "万元", None),
    ("the document's own 单位：万元 line, before every table",
     document("单位：万元", projects=[(NAME, form(money="")), ("电商", form(money="", name="电商", code="13022922P002"))]),
     ["万元", "万元"], "万元",
     "money unit 万元: the table states none; the document's `单位：万元` (line 1) is taken for every table (x.txt:85)"),
    ("tables in different units keep each its own",
     document(projects=[(NAME, form(money="单位：万元")), ("电商", form(name="电商", code="13022922P002")),
                        ("物流", form(money="单位：万元", name="物流", code="13022922P003"))]),
     ["万元", "元", "万元"], "万元", None),
    ("no unit stated: 元, said so", document(projects=[(NAME, form(money=""))]), ["元"], "元",
     "warning: the table states no money unit (单位：元 or 万元, or （万元） in a label); 元 assumed (x.txt:11)"),
    ("单位：元 beside a label in 万元", document(projects=[(NAME, form(total_label="预算数（万元）"))]), ["万元"], "万元",
     "warning: the table states both 元 and 万元 (cell 单位：元; label 预算数（万元）); 万元 is used (x.txt:8)"),
]


@pytest.mark.parametrize("case, doc, units, department_unit, note", MONEY, ids=[c[0] for c in MONEY])
def test_each_table_keeps_the_money_unit_it_states(case, doc, units, department_unit, note):
    result = imported(doc)
    assert [p["money_unit"] for p in result.projects] == units
    assert result.department["money_unit"] == department_unit
    if note:
        assert note in [n for n in notes(result) if n.startswith(("money unit 万元: the table", "warning: the table"))]


def test_a_project_in_another_unit_than_the_department_is_written_with_its_own(tmp_path, cli):
    doc = document("2024年度部门预算", projects=[(NAME, form(money="单位：万元")),
                                                ("电商", form(name="电商", code="13022922P002")),
                                                ("物流", form(money="单位：万元", name="物流", code="13022922P003"))])
    source = tmp_path / "x.txt"
    source.write_text(word_text(doc), encoding="utf-8")
    run = cli("import", str(source), "--out", str(tmp_path / "content"), cwd=tmp_path)
    assert run.code == 0, run.err
    (department,) = check_content(tmp_path / "content").site.departments
    assert department.money_unit == "万元"
    assert [(p.code, p.money_unit) for p in department.projects] == [
        ("13022922P00JXC411757B", "万元"), ("13022922P002", "元"), ("13022922P003", "万元")]
    written = (tmp_path / "content/2024/304001/department.yaml").read_text(encoding="utf-8")
    assert "# year 2024 (title line 1) (x.txt:1)" in written
    assert "# money unit 万元 (in 2 of 3 tables; 元 in project 13022922P002, which keep their own)" in written


def test_an_excerpt_heading_on_a_line_of_its_own_starts_its_section():
    doc = document(part1=("二、分项绩效目标（节选）", "玉田县商务和投资促进局分项绩效目标", "项目主要用于开展招商引资各项工作。"))
    narrative = imported(doc).department["narrative"]
    assert (narrative["title"], narrative["intro"]) == ("玉田县商务和投资促进局分项绩效目标", "项目主要用于开展招商引资各项工作。")


@pytest.mark.parametrize("heading", ["分项绩效目标（节选）", "二、分项绩效目标", "2.分项绩效目标"])
@pytest.mark.parametrize("colon", ["：", ":"])
def test_a_narrative_excerpt_on_the_heading_line_is_placed(heading, colon, tmp_path, cli):
    text = "项目主要用于开展招商引资各项工作，全年开展推介活动不少于4次。"
    doc = document(part1=("一、总体绩效目标", "玉田县商务和投资促进局部门整体绩效", "（一）负责全县招商工作。",
                          f"{heading}{colon}{text}", "三、工作保障措施：加强组织领导。"))
    result = imported(doc)
    narrative = result.department["narrative"]
    assert (narrative["title"], narrative["intro"]) == (heading, text)
    assert result.department["measures"] == {"title": "三、工作保障措施", "items": ["加强组织领导。"]}
    assert not any("not placed" in note for note in notes(result)), notes(result)
    source = tmp_path / "x.txt"  # and the department file it makes is valid content
    source.write_text(word_text(doc), encoding="utf-8")
    assert cli("import", str(source), "--out", str(tmp_path / "content"), cwd=tmp_path).code == 0
    (department,) = check_content(tmp_path / "content").site.departments
    assert (department.narrative_title, department.narrative_intro) == (heading, text)
