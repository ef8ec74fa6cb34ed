"""Open data read back: CSV, XLSX and JSON give exactly the content's values."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import CONTENT

from builder.pipeline import build_site, check_content


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
    plan = read_csv(built / "data/2022-304001/13022922P00JXC411757B/spending_plan.csv")
    assert [(r["milestone"], r["cumulative_percent"]) for r in plan] == [
        ("3月底", "25"), ("6月底", "50"), ("10月底", "75"), ("12月底", "100")]


def test_json_round_trip_is_exact(built, site):
    data = json.loads((built / "data/all/data.json").read_text(encoding="utf-8"))
    assert set(data) == {"projects", "spending_plan", "goals", "indicators"}
    assert sum(Decimal(p["budget_total"]) for p in data["projects"]) == Decimal("20150000.00")
    assert data["projects"][0]["budget_other"] is None  # blank, not zero
    assert [i["target"] for i in data["indicators"]] == [
        i.target.raw for p in site.departments[0].projects for i in p.indicators]
    assert "\\u" not in (built / "data/all/data.json").read_text(encoding="utf-8")  # Chinese as written


def test_xlsx_has_numeric_money_and_a_frozen_header(built, site):
    book = openpyxl.load_workbook(built / "data/all/data.xlsx")
    assert book.sheetnames == ["项目", "资金支出计划", "绩效目标", "绩效指标"]
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
    assert {r["title"] for r in package["resources"]} == {"项目", "资金支出计划", "绩效目标", "绩效指标"}


def test_sha256sums_match_every_file(built):
    listed = {}
    for line in (built / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, path = line.split("  ", 1)
        listed[path] = digest
    files = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    assert set(listed) == files - {"SHA256SUMS", ".gongkai-output"}
    for path, digest in listed.items():
        assert hashlib.sha256((built / path).read_bytes()).hexdigest() == digest, path


def test_pages_link_the_downloads_with_sizes_and_the_data_page_lists_hashes(built):
    project = (built / "2022/304001/projects/13022922P00JXC411757B.html").read_text(encoding="utf-8")
    assert 'href="../../../data/2022-304001/13022922P00JXC411757B/data.xlsx"' in project
    page = (built / "data.html").read_text(encoding="utf-8")
    digest = hashlib.sha256((built / "data/all/indicators.csv").read_bytes()).hexdigest()
    assert digest in page and 'href="data/all/indicators.csv"' in page


def test_exports_are_byte_identical_across_builds(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert build_site(CONTENT, a, pdfs=False).site is not None
    assert build_site(CONTENT, b, pdfs=False).site is not None
    for path in (a / "data").rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (b / path.relative_to(a)).read_bytes(), path


def test_every_export_column_is_documented():
    from conftest import ROOT

    from builder.publish.data import TABLES

    docs = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for name, (title, columns) in TABLES.items():
        assert f"## `{name}` ({title})" in docs
        for column in columns:
            assert f"| `{column.key}` | {column.title} |" in docs
