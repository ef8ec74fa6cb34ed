"""Open data read back: CSV, XLSX and JSON give exactly the content's values."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import CONTENT

from builder.pipeline import build_site, check_content
from builder.render.downloads import file_size


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("data") / "output"
    assert build_site(CONTENT, output, pdfs=False).site is not None
    return output


@pytest.fixture(scope="module")
def site():
    return check_content(CONTENT).site


def read_csv(path: Path) -> list[dict]:
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()), "CSV must start with the UTF-8 BOM for Excel"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_round_trip_is_exact(built, site):
    department = site.departments[0]
    projects = read_csv(built / "data/all/projects.csv")
    assert [(r["project_code"], Decimal(r["budget_total"]), r["budget_other"]) for r in projects] == [
        (p.code, p.budget.total.value, "") for p in department.projects]
    indicators = read_csv(built / "data/all/indicators.csv")
    expected = [i for p in department.projects for i in p.indicators]
    assert len(indicators) == 52
    for row, indicator in zip(indicators, expected, strict=True):
        assert row["target"] == indicator.target.raw
        assert row["name"] == indicator.name and row["basis"] == (indicator.basis or "")
        assert row["comparator"] == (indicator.target.comparator or "")
        assert (Decimal(row["value"]) if row["value"] else None) == indicator.target.value
        assert row["unit"] == (indicator.target.unit or "")
    plan = [r for r in read_csv(built / "data/2022-304001/spending_plan.csv")
            if r["project_code"] == "13022922P00JXC411757B"]
    assert [(r["milestone"], r["cumulative_percent"]) for r in plan] == [
        ("3月底", "25"), ("6月底", "50"), ("10月底", "75"), ("12月底", "100")]


def test_a_projects_own_files_are_its_indicators_csv_and_json_and_lose_no_row(built):
    """A project's other tables and its workbook would repeat its department's rows a third time: a
    project has its indicator table as CSV and every table as JSON; the department's files hold
    every row of each of its projects, with the project's code."""
    department = built / "data/2022-304001"
    projects = sorted(p for p in department.iterdir() if p.is_dir())
    assert len(projects) == 4
    for folder in projects:
        assert sorted(p.name for p in folder.iterdir()) == ["data.json", "indicators.csv"]
        own = json.loads((folder / "data.json").read_text(encoding="utf-8"))
        whole = json.loads((department / "data.json").read_text(encoding="utf-8"))
        for name, rows in own.items():
            assert rows == [r for r in whole[name] if r.get("project_code") == folder.name], name
        assert read_csv(folder / "indicators.csv") == [r for r in read_csv(department / "indicators.csv")
                                                        if r["project_code"] == folder.name]
    book = openpyxl.load_workbook(department / "data.xlsx", read_only=True)
    sheet = book["绩效指标"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    codes = [r[header.index("项目编码")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert {c for c in codes if c} == {p.name for p in projects}


def test_json_round_trip_is_exact(built, site):
    data = json.loads((built / "data/all/data.json").read_text(encoding="utf-8"))
    assert list(data) == ["projects", "funding", "spending_plan", "goals", "indicators", "compositions"]
    assert sum(Decimal(p["budget_total"]) for p in data["projects"]) == Decimal("20150000.00")
    assert data["projects"][0]["budget_other"] is None  # blank, not zero
    assert [i["target"] for i in data["indicators"]] == [
        i.target.raw for p in site.departments[0].projects for i in p.indicators]
    assert "\\u" not in (built / "data/all/data.json").read_text(encoding="utf-8")  # Chinese as written


def test_xlsx_has_numeric_money_and_a_frozen_header(built, site):
    book = openpyxl.load_workbook(built / "data/all/data.xlsx")
    assert book.sheetnames == ["项目", "资金来源", "资金支出计划", "绩效目标", "绩效指标", "收入支出构成"]
    sheet = book["项目"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    total = header.index("预算数") + 1
    cells = [sheet.cell(row=r, column=total) for r in range(2, sheet.max_row + 1)]
    assert all(isinstance(c.value, (int, float)) and c.number_format == "#,##0.00" for c in cells)
    assert [Decimal(str(c.value)).quantize(Decimal("0.01")) for c in cells] == [
        p.budget.total.value for p in site.departments[0].projects]
    assert book["绩效指标"].max_row == 1 + 52


def test_datapackage_validates_with_frictionless(built):
    from frictionless import validate

    report = validate(str(built / "data/datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]
    package = json.loads((built / "data/datapackage.json").read_text(encoding="utf-8"))
    money = [f for r in package["resources"] for f in r["schema"]["fields"] if f.get("unit") == "CNY"]
    assert money and all(f["type"] == "number" for f in money)
    assert {r["title"] for r in package["resources"]} == {"项目", "资金来源", "资金支出计划", "绩效目标", "绩效指标",
                                                          "收入支出构成"}


def test_sha256sums_match_every_file(built):
    listed = {}
    for line in (built / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, path = line.split("  ", 1)
        listed[path] = digest
    files = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    assert set(listed) == files - {"SHA256SUMS", ".gongkai-output"}
    for path, digest in listed.items():
        assert hashlib.sha256((built / path).read_bytes()).hexdigest() == digest, path


def parsed(path: Path):
    import html5lib

    return html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False).find(".//main")


def text(element) -> str:
    return "".join(element.itertext()).strip()


def test_the_download_page_lists_documents_by_year_department_and_project(built):
    """Titles first, each format a link named by its format and sized as readers expect; no file
    name or digest on the page (those are on the verification page)."""
    main = parsed(built / "data.html")
    year = main.findall("./section")[0]
    assert text(year.find("h2")) == "2022年"
    (department,) = year.findall("./section")
    assert text(department.find("h3")) == "玉田县商务和投资促进局"
    assert text(department.find("p")).startswith("《玉田县商务和投资促进局 2022年预算绩效目标》 Excel，")
    projects = department.findall("./ol/li")
    assert [text(p.find("h4")) for p in projects] == [
        "1. #招商经费", "2. 冀财建【2021】192号河北省财政厅关于提前下达2022年中央服务业发展资金预算的通知",
        "3. 疫情防控经费", "4. 玉财建【2021】31号关于下达2021年中央服务业发展资金预算的通知"]
    annex = projects[0].find("ul/li")  # built without PDFs: the table's data only
    folder = "data/2022-304001/13022922P00JXC411757B"
    sizes = {name: file_size((built / folder / name).stat().st_size) for name in ("indicators.csv", "data.json")}
    # No workbook of its own: the department's, with every project's rows, is listed once, above.
    assert text(annex) == f"《#招商经费绩效目标表》 CSV，{sizes['indicators.csv']}\xa0· JSON，{sizes['data.json']}"
    links = annex.findall(".//a")
    assert [(a.text, a.get("href"), a.get("aria-label")) for a in links] == [
        (label, f"{folder}/{name}", f"#招商经费绩效目标表 {label}，{sizes[name]}")
        for label, name in (("CSV", "indicators.csv"), ("JSON", "data.json"))]
    assert department.find("p/span/span/a").get("href") == "data/2022-304001/data.xlsx"
    # The project's page offers the department's workbook, saying that it is the department's.
    project_page = parsed(built / "2022/304001/projects/13022922P00JXC411757B.html")
    under_title = project_page.find("p[@class='download']")
    # Without its size, which changes with every project of the department (data.html gives it).
    assert text(under_title) == ("下载：《#招商经费绩效目标表》 Excel（含本部门全部项目）"
                                 f"\xa0· CSV，{sizes['indicators.csv']}\xa0· JSON，{sizes['data.json']}")
    assert [(a.text, a.get("href"), a.get("aria-label")) for a in under_title.findall(".//a")] == [
        ("Excel（含本部门全部项目）", "../../../data/2022-304001/data.xlsx", "#招商经费绩效目标表 Excel（含本部门全部项目）"),
        *((label, f"../../../{folder}/{name}", f"#招商经费绩效目标表 {label}，{sizes[name]}")
          for label, name in (("CSV", "indicators.csv"), ("JSON", "data.json")))]
    page = text(main)
    assert ".csv" not in page and ".xlsx" not in page and "SHA" not in page
    assert main.find(".//a[@href='verify.html']") is not None
    # The department's page names its downloads the same way, under its title.
    department_page = parsed(built / "2022/304001/index.html")
    under_title = department_page.find("p[@class='download']")
    assert text(under_title).startswith("下载：《玉田县商务和投资促进局 2022年预算绩效目标》 Excel，")
    assert [a.text for a in under_title.findall(".//a")] == ["Excel", "CSV", "JSON"]


def test_the_verification_page_gives_every_download_with_its_size_and_sha256(built):
    rows = parsed(built / "verify.html").findall(".//table[@class='checksums']/tbody/tr")
    listed = {}
    for row in rows:
        link, size, digest = row.find("th/a"), row.find("td[@class='num']"), row.find("td[@class='code sha']")
        data = (built / link.get("href")).read_bytes()
        assert link.text == link.get("href")
        assert text(size) == f"{file_size(len(data))}（{len(data):,} 字节）"
        listed[link.text] = text(digest)
        assert hashlib.sha256(data).hexdigest() == listed[link.text], link.text
    downloads = {p.relative_to(built).as_posix() for p in (built / "data").rglob("*") if p.is_file()}
    assert set(listed) == downloads  # built without PDFs: every data file, nothing else
    assert "sha256sum -c SHA256SUMS" in text(parsed(built / "verify.html"))


def test_exports_are_byte_identical_across_builds(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert build_site(CONTENT, a, pdfs=False).site is not None
    assert build_site(CONTENT, b, pdfs=False).site is not None
    for path in (a / "data").rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (b / path.relative_to(a)).read_bytes(), path


STAGED = "130229214I5FK2QU161C5"  # the seed's project with an example monitoring round and self-evaluation
TRAINING = "示范县开展电商培训次数"
UNSTAGED = "13022922P00JXC411757B"


def test_stage_columns_give_the_monitoring_and_evaluation_figures(built):
    projects = {r["project_code"]: r for r in read_csv(built / "data/all/projects.csv")}
    staged = projects[STAGED]
    assert {k: staged[k] for k in ("monitoring_period", "monitoring_budget", "monitoring_executed", "monitoring_rate",
                                   "monitoring_rate_stated", "monitoring_forecast")} == {
        "monitoring_period": "1-7月", "monitoring_budget": "10000000.00", "monitoring_executed": "4200000.00",
        "monitoring_rate": "42.00", "monitoring_rate_stated": "42", "monitoring_forecast": "9600000.00"}
    assert {k: staged[k] for k in ("evaluation_profile", "evaluation_initial", "evaluation_adjusted",
                                   "evaluation_executed", "evaluation_rate", "evaluation_rate_stated",
                                   "evaluation_budget_weight", "evaluation_budget_score",
                                   "evaluation_budget_score_stated", "evaluation_total", "evaluation_total_stated",
                                   "evaluation_grade", "evaluation_grade_stated")} == {
        "evaluation_profile": "default", "evaluation_initial": "10000000.00", "evaluation_adjusted": "10000000.00",
        "evaluation_executed": "9500000.00", "evaluation_rate": "95.00", "evaluation_rate_stated": "95",
        "evaluation_budget_weight": "10", "evaluation_budget_score": "9.50", "evaluation_budget_score_stated": "9.5",
        "evaluation_total": "96.90", "evaluation_total_stated": "96.9", "evaluation_grade": "优",
        "evaluation_grade_stated": "优"}
    assert staged["evaluation_example"].startswith("示例数据") and staged["monitoring_example"].startswith("示例数据")

    rows = [r for r in read_csv(built / "data/all/indicators.csv") if r["project_code"] == STAGED]
    assert len(rows) == 15
    training = next(r for r in rows if r["name"] == TRAINING)
    assert {k: training[k] for k in training if k.startswith(("monitoring_", "evaluation_"))} == {
        "monitoring_period": "1-7月", "monitoring_progress": "900人次", "monitoring_forecast": "2400人次",
        "monitoring_status": "偏离", "monitoring_reason_category": "其他",
        "monitoring_reason": "受疫情影响，线下集中培训暂停。", "monitoring_action": "增加线上直播培训场次，疫情缓解后集中补训。",
        "monitoring_likelihood": "有可能", "evaluation_actual": "2220人次", "evaluation_status": "未达成",
        "evaluation_band": "", "evaluation_weight": "10", "evaluation_score": "7.40", "evaluation_score_stated": "7.4",
        "evaluation_deviation": "受疫情影响，原定线下集中培训有3场取消，部分课程改为线上直播，参训人次未达目标。",
        "evaluation_improvement": "2023年提前安排培训计划，线上线下结合，年内补足培训场次。",
        "evaluation_not_applicable": ""}
    on_time = next(r for r in rows if r["name"] == "按时完成工作")
    assert (on_time["evaluation_band"], on_time["evaluation_status"], on_time["monitoring_status"]) == (
        "达成年度指标", "达成", "正常")
    assert all(r["stage_example"].startswith("示例数据") for r in rows)
    # A qualitative row has no computed score (its band allows a range): its stated one counts in 总分.
    assert (on_time["evaluation_score"], on_time["evaluation_score_stated"]) == ("", "4")
    assert sum(Decimal(r["evaluation_score"] or r["evaluation_score_stated"]) for r in rows) == Decimal("87.40")


def test_stage_figures_in_json_are_exact_text_and_in_xlsx_numbers(built):
    data = json.loads((built / f"data/2022-304001/{STAGED}/data.json").read_text(encoding="utf-8"))
    training = next(r for r in data["indicators"] if r["name"] == TRAINING)
    assert (training["evaluation_score"], training["evaluation_score_stated"], training["evaluation_weight"]) == (
        "7.40", "7.4", "10")
    assert training["evaluation_band"] is None and training["adjusted_target"] is None
    assert data["projects"][0]["evaluation_total"] == "96.90" and data["projects"][0]["monitoring_budget"] == \
        "10000000.00"
    book = openpyxl.load_workbook(built / "data/2022-304001/data.xlsx")
    header = [c.value for c in book["项目"][1]]
    (staged,) = [r for r in book["项目"].iter_rows(min_row=2) if r[header.index("项目编码")].value == STAGED]
    executed = staged[header.index("1–N月执行数")]
    assert executed.value == 4200000 and executed.number_format == "#,##0.00"
    sheet = book["绩效指标"]
    header = [c.value for c in sheet[1]]
    assert {"监控状态", "1–N月完成值", "全年预计完成值", "实际完成值", "分值", "得分", "填报得分", "偏差原因分析"} <= set(header)
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True)
               if (r[header.index("项目编码")], r[header.index("三级指标")]) == (STAGED, TRAINING))
    assert (row[header.index("监控状态")], row[header.index("得分")], row[header.index("填报得分")]) == ("偏离", 7.4, 7.4)


def test_datapackage_describes_the_stage_fields(built):
    package = json.loads((built / "data/datapackage.json").read_text(encoding="utf-8"))
    fields = {r["title"]: {f["name"]: f for f in r["schema"]["fields"]} for r in package["resources"]}
    score = fields["绩效指标"]["evaluation_score"]
    assert (score["title"], score["type"]) == ("得分", "number") and "计算" in score["description"]
    assert fields["绩效指标"]["monitoring_status"]["type"] == "string"
    executed = fields["项目"]["monitoring_executed"]
    assert executed["unit"] == "CNY" and executed["type"] == "number"


def test_adjusted_added_and_absent_stage_rows(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    for stage in ("monitoring", "evaluations"):  # a project without its later stages (yet)
        (content / f"2022/304001/{stage}/{UNSTAGED}.yaml").unlink()
    monitoring = content / f"2022/304001/monitoring/{STAGED}.yaml"
    text = monitoring.read_text(encoding="utf-8")
    text = text.replace("  - name: 示范县开展电商培训次数\n", "  - name: 示范县开展电商培训次数\n"
                        "    adjustment: {target: ≥2400人次, reason: 受疫情影响，经县财政局批准调减}\n")
    text += ("  - level1: 产出指标\n    level2: 数量指标\n    name: 直播带货场次\n    target: ≥10场\n"
             "    added: 疫情期间新增线上销售任务\n    progress: 4场\n    forecast: 12场\n    likelihood: 确定能\n")
    monitoring.write_text(text, encoding="utf-8")
    output = tmp_path / "output"
    result = build_site(content, output, pdfs=False)
    assert result.site is not None, [d.message for d in result.report.errors]
    rows = read_csv(output / f"data/2022-304001/{STAGED}/indicators.csv")
    training = next(r for r in rows if r["name"] == TRAINING)
    assert (training["adjusted_target"], training["adjustment_reason"], training["monitoring_status"]) == (
        "≥2400人次", "受疫情影响，经县财政局批准调减", "有风险")  # 2400 meets the adjusted target; 有可能
    added = rows[-1]
    assert {k: added[k] for k in ("row", "name", "target", "comparator", "value", "unit", "added_reason",
                                  "monitoring_progress", "monitoring_status", "evaluation_actual")} == {
        "row": "16", "name": "直播带货场次", "target": "≥10场", "comparator": "≥", "value": "10", "unit": "场",
        "added_reason": "疫情期间新增线上销售任务", "monitoring_progress": "4场", "monitoring_status": "正常",
        "evaluation_actual": ""}
    # The columns are there for every project, empty where it has no stage: scripts never break.
    projects = {r["project_code"]: r for r in read_csv(output / "data/all/projects.csv")}
    assert list(projects[UNSTAGED]) == list(projects[STAGED])
    assert all(v == "" for k, v in projects[UNSTAGED].items() if k.startswith(("monitoring_", "evaluation_")))
    unstaged = [r for r in read_csv(output / "data/all/indicators.csv") if r["project_code"] == UNSTAGED]
    assert unstaged and all(r[k] == "" for r in unstaged for k in r
                            if k.startswith(("monitoring_", "evaluation_", "stage_")))
    data = json.loads((output / f"data/2022-304001/{UNSTAGED}/data.json").read_text(encoding="utf-8"))
    assert data["projects"][0]["evaluation_total"] is None and data["indicators"][0]["monitoring_status"] is None


def test_an_edited_stage_file_remakes_its_projects_data_and_page(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    first = build_site(content, tmp_path / "output", pdfs=False, cache=tmp_path / "cache")
    assert first.site is not None
    evaluation = content / f"2022/304001/evaluations/{STAGED}.yaml"
    evaluation.write_text(evaluation.read_text(encoding="utf-8").replace(
        "部分课程改为线上直播，参训人次未达目标。", "部分课程改为线上直播，参训2220人次，未达目标。"), encoding="utf-8")
    again = build_site(content, tmp_path / "output", pdfs=False, cache=tmp_path / "cache")
    assert again.site is not None
    folder = f"data/2022-304001/{STAGED}"
    assert {f"{folder}/indicators.csv", f"{folder}/data.json", "data/all/indicators.csv",
            f"2022/304001/projects/{STAGED}.html"} <= again.rendered
    assert "2022/304001/projects/13022922P00JXC411757B.html" in again.reused  # another project's page: kept
    training = next(r for r in read_csv(tmp_path / f"output/{folder}/indicators.csv") if r["name"] == TRAINING)
    assert training["evaluation_deviation"] == "受疫情影响，原定线下集中培训有3场取消，部分课程改为线上直播，参训2220人次，未达目标。"


def test_every_export_column_is_documented():
    from conftest import ROOT

    from builder.publish.data import TABLES

    docs = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    assert "always there" in docs  # the stage columns' promise to data users
    for name, (title, columns) in TABLES.items():
        assert f"## `{name}` ({title})" in docs
        for column in columns:
            assert f"| `{column.key}` | {column.title} |" in docs
