"""Open data: every number of the site as CSV, XLSX and JSON, described by a data package.

Four tables, the same at each level (one project, one department, the whole
site): 项目 (projects), 资金支出计划 (spending_plan), 绩效目标 (goals) and
绩效指标 (indicators). Money is written as the exact decimal text in CSV
and JSON (a JSON number is a float to most readers) and as a number with
the format #,##0.00 in XLSX. Each indicator carries its parsed target
(comparator, value, unit) next to the text as written. Everything is
byte-identical from one build to the next: no clock, fixed zip timestamps.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .model import Department, Project, Site


@dataclass(frozen=True)
class Download:
    """A file readers can download, as the pages list it."""

    path: str
    size: int
    sha256: str


def downloads_of(files: dict[str, bytes]) -> dict[str, Download]:
    return {path: Download(path, len(data), hashlib.sha256(data).hexdigest()) for path, data in sorted(files.items())}


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # Chinese, for people and for the data package
    type: str  # Frictionless field type: string, integer, number
    money: bool = False


TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "projects": ("项目", (
        Column("year", "预算年度", "integer"), Column("department_code", "单位编码", "string"),
        Column("department_name", "单位名称", "string"), Column("project_code", "项目编码", "string"),
        Column("project_name", "项目名称", "string"), Column("money_unit", "金额单位", "string"),
        Column("budget_total", "预算数", "number", money=True), Column("budget_fiscal", "财政资金", "number", money=True),
        Column("budget_other", "其他资金", "number", money=True), Column("purpose", "资金用途", "string"),
        Column("indicator_count", "指标数", "integer"))),
    "spending_plan": ("资金支出计划", (
        Column("year", "预算年度", "integer"), Column("department_code", "单位编码", "string"),
        Column("project_code", "项目编码", "string"), Column("milestone", "时间节点", "string"),
        Column("cumulative_percent", "累计支出比例（%）", "number"))),
    "goals": ("绩效目标", (
        Column("year", "预算年度", "integer"), Column("department_code", "单位编码", "string"),
        Column("project_code", "项目编码", "string"), Column("number", "序号", "integer"),
        Column("goal", "绩效目标", "string"))),
    "indicators": ("绩效指标", (
        Column("year", "预算年度", "integer"), Column("department_code", "单位编码", "string"),
        Column("project_code", "项目编码", "string"), Column("row", "行号", "integer"),
        Column("level1", "一级指标", "string"), Column("level2", "二级指标", "string"),
        Column("level1_canonical", "一级指标（规范名称）", "string"),
        Column("level2_canonical", "二级指标（规范名称）", "string"), Column("name", "三级指标", "string"),
        Column("description", "绩效指标描述", "string"), Column("target", "指标值", "string"),
        Column("target_kind", "指标值类型", "string"), Column("comparator", "比较符号", "string"),
        Column("value", "数值", "number"), Column("upper", "数值上限", "number"), Column("unit", "单位", "string"),
        Column("basis", "指标值确定依据", "string"))),
}


def _s(value) -> str:
    return "" if value is None else str(value)


def rows(departments: list[tuple[Department, list[Project]]]) -> dict[str, list[dict]]:
    """The four tables for some projects of some departments, each row a dict of text (or Decimal) values."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    for department, projects in departments:
        base = {"year": department.year, "department_code": department.code}
        for p in projects:
            b = p.budget
            tables["projects"].append({**base, "department_name": department.name, "project_code": p.code,
                                       "project_name": p.name, "money_unit": p.money_unit,
                                       "budget_total": b.total.value, "budget_fiscal": b.fiscal.value,
                                       "budget_other": b.other.value, "purpose": p.purpose,
                                       "indicator_count": len(p.indicators)})
            for m in p.spending_plan:
                tables["spending_plan"].append({**base, "project_code": p.code, "milestone": m.label,
                                                "cumulative_percent": m.percent})
            for n, g in enumerate(p.goals, start=1):
                tables["goals"].append({**base, "project_code": p.code, "number": n, "goal": g.raw})
            for n, i in enumerate(p.indicators, start=1):
                t = i.target
                tables["indicators"].append({
                    **base, "project_code": p.code, "row": n, "level1": i.level1.raw, "level2": i.level2.raw,
                    "level1_canonical": i.level1.canonical, "level2_canonical": i.level2.canonical,
                    "name": i.name, "description": i.description, "target": t.raw, "target_kind": t.kind,
                    "comparator": t.comparator, "value": t.value, "upper": t.upper, "unit": t.unit,
                    "basis": i.basis})
    return tables


def to_csv(name: str, table: list[dict]) -> bytes:
    """UTF-8 with a BOM, so that Excel on Chinese Windows opens it as UTF-8; CRLF as RFC 4180 says."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = TABLES[name][1]
    writer.writerow([c.key for c in columns])
    for row in table:
        writer.writerow([_s(row.get(c.key)) for c in columns])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def to_json(tables: dict[str, list[dict]]) -> bytes:
    def plain(value):
        if isinstance(value, Decimal):
            return str(value)  # exact; a JSON number would be a float to most readers
        return value

    data = {name: [{c.key: plain(row.get(c.key)) for c in TABLES[name][1]} for row in table]
            for name, table in tables.items()}
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def to_xlsx(tables: dict[str, list[dict]], date: datetime) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, table in tables.items():
        title, columns = TABLES[name]
        sheet = book.create_sheet(title)
        sheet.append([c.title for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table:
            values = []
            for c in columns:
                value = row.get(c.key)
                if isinstance(value, Decimal):
                    value = float(value)  # a number in Excel; the exact text is in the CSV and JSON
                values.append(value)
            sheet.append(values)
        for index, c in enumerate(columns, start=1):
            if c.money:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "#,##0.00"
        sheet.freeze_panes = "A2"
    book.properties.created = book.properties.modified = date.replace(tzinfo=None)
    book.properties.creator = "gongkai"
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_zip(raw.getvalue(), date)


def _fixed_zip(data: bytes, date: datetime) -> bytes:
    """The same zip with fixed entry times and dates, so the same content gives the same bytes.

    openpyxl stamps dcterms:modified with the clock whatever the workbook says; put the source date back.
    """
    stamp = date.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>",
                                 content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def data_files(site: Site, date: datetime) -> dict[str, bytes]:
    """Every download, by output path: the site, each department, each project."""
    files: dict[str, bytes] = {}
    scopes = [("data/all", [(d, list(d.projects)) for d in site.departments])]
    for d in site.departments:
        scopes.append((f"data/{d.year}-{d.code}", [(d, list(d.projects))]))
        for p in d.projects:
            scopes.append((f"data/{d.year}-{d.code}/{p.code}", [(d, [p])]))
    for prefix, selection in scopes:
        tables = rows(selection)
        for name, table in tables.items():
            files[f"{prefix}/{name}.csv"] = to_csv(name, table)
        files[f"{prefix}/data.json"] = to_json(tables)
        files[f"{prefix}/data.xlsx"] = to_xlsx(tables, date)
    files["data/datapackage.json"] = datapackage(site, files)
    return files


def datapackage(site: Site, files: dict[str, bytes]) -> bytes:
    """A Frictionless Tabular Data Package describing every CSV."""
    resources = []
    for path in sorted(p for p in files if p.endswith(".csv")):
        name = path.removeprefix("data/").removesuffix(".csv").replace("/", "-").lower()
        table = path.rsplit("/", 1)[1].removesuffix(".csv")
        title, columns = TABLES[table]
        fields = []
        for c in columns:
            field = {"name": c.key, "title": c.title, "type": c.type}
            if c.money:
                field["description"] = "人民币金额，单位见 money_unit（元 = 1，万元 = 10000 元）"
                field["unit"] = "CNY"
            fields.append(field)
        resources.append({
            "name": name, "path": path.removeprefix("data/"), "title": title, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
            "hash": "sha256:" + hashlib.sha256(files[path]).hexdigest(),
            "schema": {"fields": fields},
        })
    package = {"name": "gongkai-budget-performance-targets", "title": site.title, "profile": "tabular-data-package",
               "resources": resources}
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def checksums(files: dict[str, bytes]) -> bytes:
    """SHA256SUMS in the format of sha256sum(1): anyone can check a file was not altered."""
    lines = [f"{hashlib.sha256(data).hexdigest()}  {path}" for path, data in sorted(files.items())]
    return ("\n".join(lines) + "\n").encode("utf-8")
