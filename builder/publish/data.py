"""Open data: every number of the site as CSV, XLSX and JSON, described by a data package.

Six tables, the same at each level (one project, one department, the whole
site), their columns in tables.py and their rows in table_rows.py: 项目,
资金来源, 资金支出计划, 绩效目标, 绩效指标 and 收入支出构成; the projects and
indicators tables carry the monitoring and self-evaluation figures too
(stage_data.py), and a department's own target (部门整体) is in its files
and the site's, not a project's. Money is written as the exact decimal text in CSV and JSON
(a JSON number is a float to most readers) and as a number with the format
#,##0.00 in XLSX. Each indicator carries its parsed target
(comparator, value, unit) next to the text as written. In CSV and XLSX a
text that a spreadsheet would take for a formula starts with `'`
(spreadsheet.py); JSON keeps it as written. Everything is
byte-identical from one build to the next: no clock, fixed zip timestamps.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from builder.content.model import Site
from builder.publish import xlsx
from builder.publish.spreadsheet import spreadsheet_text
from builder.publish.staging import Staging
from builder.publish.table_rows import Tables, add_whole, rows
from builder.publish.tables import TABLES
from builder.render.routes import routes


@dataclass(frozen=True)
class Download:
    """A file readers can download, as the pages list it."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Encoded:
    """Some projects' rows, already written in each format: a department's or the site's files are joins."""

    csv: dict[str, str]  # table -> CSV lines, CRLF-terminated
    json: dict[str, list[str]]  # table -> one JSON object per row
    xlsx: dict[str, str]  # table -> <row> elements


def _json_decimal(value: Decimal) -> str:
    return encode_basestring(str(value))  # exact text: a JSON number would be a float to most readers


# A value as json.dumps(ensure_ascii=False) writes it, by its exact type; another type goes to json.dumps.
_JSON_VALUES: dict[type, Callable[[Any], str]] = {
    type(None): lambda _: "null", bool: lambda v: "true" if v else "false", int: int.__repr__,
    str: encode_basestring, Decimal: _json_decimal}


def _json_other(value: object) -> str:
    return json.dumps(str(value) if isinstance(value, Decimal) else value, ensure_ascii=False)


def encode(tables: dict[str, list[dict]]) -> Encoded:
    """Each row in each format, as csv.writer and json.dumps would write it, a cell at a time without
    their per-row set-up: a site's data is a million cells."""
    csv_text: dict[str, str] = {}
    json_rows: dict[str, list[str]] = {}
    xlsx_rows: dict[str, str] = {}
    for name, table in tables.items():
        columns = TABLES[name][1]
        keys = [c.key for c in columns]
        labels = [encode_basestring(k) + ": " for k in keys]
        row_xml = xlsx.row_writer(len(columns), frozenset(i for i, c in enumerate(columns) if c.money))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        json_rows[name], cells = [], []
        for row in table:
            values = [row.get(k) for k in keys]
            # csv.writer writes None as an empty cell and a number as str() does; text is quoted where a
            # spreadsheet would read a formula (spreadsheet.py).
            writer.writerow([spreadsheet_text(v) if isinstance(v, str) else v for v in values])
            json_rows[name].append("{" + ", ".join([label + _JSON_VALUES.get(type(v), _json_other)(v)
                                                    for label, v in zip(labels, values, strict=True)]) + "}")
            cells.append(row_xml(values))
        csv_text[name] = out.getvalue()
        xlsx_rows[name] = "".join(cells)
    return Encoded(csv_text, json_rows, xlsx_rows)


def join(parts: list[Encoded]) -> Encoded:
    return Encoded({n: "".join(p.csv[n] for p in parts) for n in TABLES},
                   {n: [r for p in parts for r in p.json[n]] for n in TABLES},
                   {n: "".join(p.xlsx[n] for p in parts) for n in TABLES})


def to_csv(name: str, encoded: Encoded) -> bytes:
    """UTF-8 with a BOM, so that Excel on Chinese Windows opens it as UTF-8; CRLF as RFC 4180 says."""
    header = ",".join(c.key for c in TABLES[name][1]) + "\r\n"
    return ("\ufeff" + header + encoded.csv[name]).encode("utf-8")


def to_json(encoded: Encoded) -> bytes:
    """The tables as one object; a row per line, so a diff of two versions reads row by row."""
    tables = [f'"{name}": [' + ("\n" + ",\n".join(rows) + "\n" if rows else "") + "]"
              for name, rows in encoded.json.items()]
    return ("{\n" + ",\n".join(tables) + "\n}\n").encode("utf-8")


def to_xlsx(encoded: Encoded, date: datetime) -> bytes:
    """One sheet per table; money stays a number (exact decimal text in the cell), shown as #,##0.00."""
    return xlsx.workbook([xlsx.Sheet(TABLES[n][0], [c.title for c in TABLES[n][1]], rows)
                          for n, rows in encoded.xlsx.items()], date)


# The files of a department and of the site: every table as CSV, and all of them as JSON and XLSX.
DATA_NAMES = [*(f"{n}.csv" for n in TABLES), "data.json", "data.xlsx"]
# A project's: the files its page offers, its indicator table as CSV and all its rows as JSON. Its other
# tables as CSV and its workbook would be the same rows a third time (they are in its department's
# files, which have a project_code column): at 2,000 projects 12,000 files, half the data's CPU.
PROJECT_DATA_NAMES = ["indicators.csv", "data.json"]


def scope_files(prefix: str, encoded: Encoded, date: datetime, names: list[str] = DATA_NAMES) -> dict[str, bytes]:
    files = {f"{prefix}/{name}": to_csv(name.removesuffix(".csv"), encoded) for name in names if name.endswith(".csv")}
    if "data.json" in names:
        files[f"{prefix}/data.json"] = to_json(encoded)
    if "data.xlsx" in names:
        files[f"{prefix}/data.xlsx"] = to_xlsx(encoded, date)
    return files


def department_data(site: Site, index: int, date: datetime) -> tuple[dict[str, bytes], Encoded]:
    """The data files of one department and of each of its projects (PROJECT_DATA_NAMES), and its encoded
    rows for the site's files."""
    department = site.departments[index]
    files: dict[str, bytes] = {}
    own: Tables = {name: [] for name in TABLES}
    add_whole(own, department)  # the department's own target (部门整体) before its projects
    parts = [encode(own)]
    for p in department.projects:
        parts.append(encode(rows([(department, [p])])))
        files.update(scope_files(f"data/{department.year}-{department.code}/{p.code}", parts[-1], date,
                                 PROJECT_DATA_NAMES))
    joined = join(parts)
    files.update(scope_files(f"data/{department.year}-{department.code}", joined, date))
    return files, joined


class SiteData:
    """The site-wide data files, written a department at a time: memory stays one department's worth.

    CSVs are appended as departments come; JSON arrays and XLSX sheets need
    each table whole in turn, so their rows wait in spool files until `finish`.
    """

    def __init__(self, staging: Staging, spool: Path, date: datetime) -> None:
        self.staging, self.spool, self.date = staging, spool, date
        self.csv: dict[str, Any] = {}  # table -> the staging's file (Staging.open)
        for name in TABLES:
            self.csv[name] = staging.open(f"{SITE_DATA}/{name}.csv")
            self.csv[name].write(to_csv(name, Encoded({name: ""}, {}, {})))
        self.json = {n: open(spool / f"{n}.json", "w+", encoding="utf-8") for n in TABLES}
        self.xlsx = {n: open(spool / f"{n}.xml", "w+", encoding="utf-8") for n in TABLES}
        self.first = {n: True for n in TABLES}

    def add(self, encoded: Encoded) -> None:
        for name in TABLES:
            self.csv[name].write(encoded.csv[name].encode("utf-8"))
            if encoded.json[name]:
                self.json[name].write(("" if self.first[name] else ",\n") + ",\n".join(encoded.json[name]))
                self.first[name] = False
            self.xlsx[name].write(encoded.xlsx[name])

    def finish(self) -> None:
        for f in self.csv.values():
            f.__exit__(None, None, None)
        with self.staging.open(f"{SITE_DATA}/data.json") as out:
            out.write(b"{\n")
            for n, name in enumerate(TABLES):
                out.write(f'"{name}": ['.encode())
                if not self.first[name]:
                    out.write(b"\n")
                    _copy(self.json[name], out)
                    out.write(b"\n")
                out.write(b"]\n" if n == len(TABLES) - 1 else b"],\n")
            out.write(b"}\n")
        sheets = [xlsx.Sheet(TABLES[n][0], [c.title for c in TABLES[n][1]], _chunks(self.xlsx[n])) for n in TABLES]
        with self.staging.open(f"{SITE_DATA}/data.xlsx") as out:
            out.write(xlsx.workbook(sheets, self.date))
        for f in [*self.json.values(), *self.xlsx.values()]:
            f.close()


def _chunks(spool: TextIO, size: int = 1 << 20) -> Iterator[str]:
    spool.seek(0)
    while chunk := spool.read(size):
        yield chunk


def _copy(spool: TextIO, out: Any) -> None:
    for chunk in _chunks(spool):
        out.write(chunk.encode("utf-8"))


SITE_DATA = routes.site_data_folder


def datapackage(site: Site, files: dict, hashes: dict[str, str] | None = None) -> bytes:
    """A Frictionless Tabular Data Package of the site's tables.

    Only the site-wide CSVs: the department and project files are the same tables cut
    smaller, and describing each (a schema per file) made the package 15 MB at 2,000 projects.
    """
    resources = []
    for path in sorted(p for p in files if p.endswith(".csv") and p.startswith(SITE_DATA + "/")):
        name = path.removeprefix("data/").removesuffix(".csv").replace("/", "-").lower()
        table = path.rsplit("/", 1)[1].removesuffix(".csv")
        title, columns = TABLES[table]
        fields = []
        for c in columns:
            field = {"name": c.key, "title": c.title, "type": c.type}
            if c.money:
                field["description"] = "人民币金额，单位见 money_unit（元 = 1，万元 = 10000 元）"
                field["unit"] = "CNY"
            if c.description:
                field["description"] = "；".join(filter(None, (c.description, field.get("description"))))
            fields.append(field)
        resources.append({
            "name": name, "path": path.removeprefix("data/"), "title": title, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
            "hash": "sha256:" + (hashes[path] if hashes else hashlib.sha256(files[path]).hexdigest()),
            "schema": {"fields": fields},
        })
    package = {"name": "gongkai-budget-performance-targets", "title": site.title, "profile": "tabular-data-package",
               "resources": resources}
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_checksums(hashes: dict[str, tuple[int, str]], out: BinaryIO) -> None:
    """SHA256SUMS (path -> (size, SHA-256)) in the format of sha256sum(1): anyone can check a file
    was not altered. A line at a time: a province's is 177,000 lines, 18 MB as one string."""
    for path in sorted(hashes):
        out.write(f"{hashes[path][1]}  {path}\n".encode("utf-8"))
