"""Open data of other provinces' forms: the 申报表's header cells, funding sources, 实施期 money and goals,
the indicator tables' optional columns, and the department-wide target (部门整体), read back from the
CSV, JSON and XLSX made of tests/fixtures/provinces, whose every new field is used."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import CONTENT, ROOT

from builder.pipeline import check_content
from builder.publish.data import SITE_DATA, datapackage, department_data, join, scope_files

PROVINCES = ROOT / "tests" / "fixtures" / "provinces" / "content"
DEPT = "data/2024-501001"
FARMLAND = "50100124P000001"  # every header cell, a breakdown, 实施期 money and goals
MONITORING = "50100124P000002"  # some header cells, no 实施期
DATE = datetime(2024, 1, 1, tzinfo=timezone.utc)


def site_files(content: Path) -> dict[str, bytes]:
    """Every data file of a site's departments and of the site, as the build makes them."""
    site = check_content(content).site
    assert site is not None
    files: dict[str, bytes] = {}
    parts = []
    for index in range(len(site.departments)):
        made, encoded = department_data(site, index, DATE)
        files.update(made)
        parts.append(encoded)
    files.update(scope_files(SITE_DATA, join(parts), DATE))
    files["data/datapackage.json"] = datapackage(site, files)
    return files


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return site_files(PROVINCES)


def table(files: dict[str, bytes], path: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[path].decode("utf-8-sig"))))


def test_projects_have_the_header_cells_and_the_period_money(files):
    projects = {r["project_code"]: r for r in table(files, f"{DEPT}/projects.csv")}
    farmland = projects[FARMLAND]
    assert {k: farmland[k] for k in ("supervisor", "implementer", "manager", "phone", "kind", "attribute", "period",
                                     "period_budget_total", "period_budget_fiscal", "period_budget_other",
                                     "purpose")} == {
        "supervisor": "501-示例市农业农村局", "implementer": "501001-示例市农业农村局本级", "manager": "王建国",
        "phone": "0315-1234567", "kind": "经常性项目", "attribute": "延续项目", "period": "2023年-2025年",
        "period_budget_total": "2400.00", "period_budget_fiscal": "1800.00", "period_budget_other": "600.00",
        "purpose": ""}
    # A cell the form does not have is an empty cell, never a missing column.
    assert list(projects[MONITORING]) == list(farmland)
    assert (projects[MONITORING]["manager"], projects[MONITORING]["period_budget_total"]) == ("", "")
    funding = table(files, f"{DEPT}/funding.csv")
    assert [(r["project_code"], r["budget"], r["row"], r["name"], r["amount"], r["money_unit"]) for r in funding] == [
        (FARMLAND, "年度", "1", "一般公共预算", "500.00", "万元"), (FARMLAND, "年度", "2", "政府性基金", "100.00", "万元"),
        (FARMLAND, "年度", "3", "单位资金", "200.00", "万元")]
    # A project's files are its indicator table and its JSON: its funding rows are in the JSON, as in the CSV.
    assert {p.removeprefix(f"{DEPT}/{FARMLAND}/") for p in files if p.startswith(f"{DEPT}/{FARMLAND}/")} == {
        "indicators.csv", "data.json"}
    own = json.loads(files[f"{DEPT}/{FARMLAND}/data.json"])["funding"]
    assert [{k: "" if v is None else str(v) for k, v in r.items()} for r in own] == funding


def test_indicators_have_the_optional_columns_as_written(files):
    rows = [r for r in table(files, f"{DEPT}/indicators.csv") if r["project_code"] == FARMLAND]
    assert {r["target_of"] for r in rows} == {"项目"}
    area = next(r for r in rows if r["name"] == "新建高标准农田面积")
    assert {k: area[k] for k in ("target", "value_cell", "nature", "measure_unit", "previous", "weight", "direction",
                                 "note", "formula")} == {
        "target": "5万亩", "value_cell": "5", "nature": "定量", "measure_unit": "万亩", "previous": "4.2",
        "weight": "20", "direction": "正向", "note": "以竣工验收面积为准", "formula": ""}
    rate = next(r for r in rows if r["name"] == "工程验收合格率")
    # The target read from 指标性质 + 指标值 + 度量单位 together, and the 指标值 cell as the form has it.
    assert (rate["target"], rate["comparator"], rate["value"], rate["unit"], rate["value_cell"], rate["nature"],
            rate["formula"]) == ("≥95%", "≥", "95", "%", "95", "≥", "验收合格工程数/完工工程数×100%")
    cost = next(r for r in rows if r["name"] == "亩均建设成本")
    assert (cost["weight"], cost["direction"], cost["measure_unit"]) == ("5", "反向", "元/亩")
    assert sum(Decimal(r["weight"]) for r in rows) == 100


def test_the_department_wide_target_is_the_departments_not_a_projects(files):
    composition = table(files, f"{DEPT}/compositions.csv")
    assert [(r["composition"], r["row"], r["name"], r["amount"], r["share"], r["total"], r["total_share"])
            for r in composition] == [
        ("收入构成", "1", "财政拨款", "1200.00", "80", "1500.00", "100"),
        ("收入构成", "2", "其他资金", "300.00", "20", "1500.00", "100"),
        ("支出构成", "1", "基本支出", "600.00", "40", "1500.00", "100"),
        ("支出构成", "2", "项目支出", "900.00", "60", "1500.00", "100")]
    assert {r["money_unit"] for r in composition} == {"万元"}
    indicators = table(files, f"{DEPT}/indicators.csv")
    own = [r for r in indicators if r["target_of"] == "部门整体"]
    assert indicators[:len(own)] == own and len(own) == 6  # before the projects' rows
    assert all(r["project_code"] == "" for r in own)
    assert [r["row"] for r in own] == ["1", "2", "3", "4", "5", "6"]
    quality = own[1]
    assert (quality["name"], quality["target"], quality["value_cell"], quality["weight"], quality["formula"]) == (
        "农产品质量安全抽检合格率", "≥98%", "98", "20", "抽检合格批次/抽检总批次×100%")
    assert own[4]["note"] == "按年底统计口径" and own[0]["previous"] == "4.2万亩"
    goals = table(files, f"{DEPT}/goals.csv")
    assert [(g["target_of"], g["project_code"], g["term"], g["number"]) for g in goals[:3]] == [
        ("部门整体", "", "年度", "1"), ("部门整体", "", "年度", "2"), ("部门整体", "", "实施期", "1")]
    assert goals[2]["goal"] == "1.到2025年建成高标准农田20万亩。"
    assert ("项目", FARMLAND, "实施期", "1") in [(g["target_of"], g["project_code"], g["term"], g["number"])
                                               for g in goals]
    # The site's files hold it too; a project's never do.
    assert table(files, f"{SITE_DATA}/compositions.csv") == composition
    assert json.loads(files[f"{DEPT}/{FARMLAND}/data.json"])["compositions"] == []
    assert all(r["target_of"] == "项目" for r in table(files, f"{DEPT}/{FARMLAND}/indicators.csv"))


def test_json_keeps_money_and_weights_exact_and_blanks_null(files):
    data = json.loads(files[f"{DEPT}/data.json"])
    assert list(data) == ["projects", "funding", "spending_plan", "goals", "indicators", "compositions"]
    income = data["compositions"][0]
    assert (income["name"], income["amount"], income["share"]) == ("财政拨款", "1200.00", "80")
    farmland = next(p for p in data["projects"] if p["project_code"] == FARMLAND)
    assert (farmland["manager"], farmland["period_budget_total"], farmland["purpose"]) == ("王建国", "2400.00", None)
    area = next(i for i in data["indicators"] if i["project_code"] == FARMLAND and i["name"] == "新建高标准农田面积")
    assert (area["weight"], area["nature"], area["formula"]) == ("20", "定量", None)
    assert data["indicators"][0]["project_code"] is None and data["indicators"][0]["target_of"] == "部门整体"


def test_xlsx_has_the_new_sheets_and_columns(files):
    book = openpyxl.load_workbook(io.BytesIO(files[f"{DEPT}/data.xlsx"]))
    assert book.sheetnames == ["项目", "资金来源", "资金支出计划", "绩效目标", "绩效指标", "收入支出构成"]
    sheet = book["绩效指标"]
    header = [c.value for c in sheet[1]]
    assert {"所属绩效目标表", "指标值（原表单元格）", "指标性质", "度量单位", "上年实际值", "权重", "指标方向", "计算公式",
            "备注"} <= set(header)
    area = next(r for r in sheet.iter_rows(min_row=2, values_only=True)
                if r[header.index("三级指标")] == "新建高标准农田面积" and r[header.index("所属绩效目标表")] == "项目")
    assert (area[header.index("权重")], area[header.index("度量单位")]) == (20, "万亩")
    sheet = book["收入支出构成"]
    header = [c.value for c in sheet[1]]
    first = sheet.cell(row=2, column=header.index("金额") + 1)
    assert (first.value, first.number_format, sheet.cell(row=2, column=header.index("名称") + 1).value) == (
        1200, "#,##0.00", "财政拨款")
    projects = book["项目"]
    header = [c.value for c in projects[1]]
    assert "王建国" in [c.value for c in projects[2]] and "实施期资金总额" in header


def test_datapackage_describes_and_validates_the_new_tables(files, tmp_path):
    from frictionless import validate

    for path, data in files.items():
        if path.startswith(SITE_DATA + "/") or path == "data/datapackage.json":
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_bytes(data)
    report = validate(str(tmp_path / "data/datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]
    package = json.loads(files["data/datapackage.json"])
    fields = {r["title"]: {f["name"]: f for f in r["schema"]["fields"]} for r in package["resources"]}
    assert fields["收入支出构成"]["amount"]["unit"] == "CNY" and fields["资金来源"]["amount"]["type"] == "number"
    assert fields["绩效指标"]["weight"]["type"] == "number" and fields["绩效指标"]["target_of"]["type"] == "string"
    assert fields["项目"]["period_budget_total"]["unit"] == "CNY"


def test_the_seeds_files_have_the_same_columns_empty():
    files = site_files(CONTENT)
    seed, provinces = table(files, f"{SITE_DATA}/projects.csv"), table(site_files(PROVINCES), f"{SITE_DATA}/projects.csv")
    assert list(seed[0]) == list(provinces[0])
    assert all(r[k] == "" for r in seed for k in ("supervisor", "manager", "kind", "period_budget_total"))
    indicators = table(files, f"{SITE_DATA}/indicators.csv")
    assert {r["target_of"] for r in indicators} == {"项目"}
    assert all(r["value_cell"] == r["target"] and r["weight"] == "" for r in indicators)
    assert table(files, f"{SITE_DATA}/compositions.csv") == table(files, f"{SITE_DATA}/funding.csv") == []
