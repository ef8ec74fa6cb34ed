"""`build.py import` of the 项目支出绩效目标申报表/批复表 family: each fixture of form_fixtures.py in every
shape import reads (tests/shapes.py), compared field by field with the hand-written content files of
tests/fixtures/import/<layout>/, checked, and rebuilt into the fixture's tables from the YAML; a
column no field takes is reported at its header; every label import knows is in docs/import.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from form_fixtures import PIFU, PIFU_TEMPLATE, SHENBAO, SHENBAO_TEMPLATE, TWO_FORMS, TWO_FORMS_TEMPLATE
from shapes import SHAPES, Document, Table, write_source

from builder.importers import labels, sources
from builder.pipeline import check_content

EXPECTED = ROOT / "tests" / "fixtures" / "import"
LAYOUTS = {
    "shenbao": (SHENBAO, SHENBAO_TEMPLATE),
    "pifu": (PIFU, PIFU_TEMPLATE),
    "two-forms": (TWO_FORMS, TWO_FORMS_TEMPLATE),
}
# A PDF is read once the importer has a PDF reader; until then its cases are skipped, not dropped.
SHAPE_PARAMS = [pytest.param(shape, marks=pytest.mark.skipif(
    shape == "pdf" and not hasattr(sources, "read_pdf"), reason="import reads no PDF yet")) for shape in SHAPES]


def load(path: Path) -> object:
    """A content file as text values (BaseLoader: `300.00` stays `300.00`, as gongkai reads it)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def differences(expected: object, got: object, path: str = "") -> list[str]:
    """Every field where `got` differs from `expected`, by its path."""
    if isinstance(expected, dict) and isinstance(got, dict):
        found = []
        for key in expected.keys() | got.keys():
            if key not in got:
                found.append(f"{path}{key}: missing (expected {expected[key]!r})")
            elif key not in expected:
                found.append(f"{path}{key}: {got[key]!r} is not expected")
            else:
                found += differences(expected[key], got[key], f"{path}{key}.")
        return found
    if isinstance(expected, list) and isinstance(got, list):
        found = [f"{path}: {len(got)} items, expected {len(expected)}"] if len(got) != len(expected) else []
        for i, (one, other) in enumerate(zip(expected, got, strict=False)):
            found += differences(one, other, f"{path}{i}.")
        return found
    return [] if expected == got else [f"{path.rstrip('.')}: {got!r}, expected {expected!r}"]


def yaml_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.yaml") if p.name != "site.yaml")


def run_import(cli, tmp_path: Path, document: Document, shape: str, *extra: str):
    source = write_source(shape, document, tmp_path, "source")
    return source, cli("import", str(source), "--out", str(tmp_path / "content"), *extra, cwd=tmp_path)


@pytest.mark.parametrize("shape", SHAPE_PARAMS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_imports_field_for_field_checks_and_rebuilds_its_tables(layout, shape, tmp_path, cli):
    document, templates = LAYOUTS[layout]
    _, run = run_import(cli, tmp_path, document, shape)
    assert run.code == 0, run.err
    content, expected = tmp_path / "content", EXPECTED / layout
    assert yaml_files(content) == yaml_files(expected)
    for relative in yaml_files(expected):
        found = differences(load(expected / relative), load(content / relative))
        assert not found, f"{relative}:\n" + "\n".join(sorted(found))
    checked = check_content(content)
    assert [d.format() for d in checked.report.errors] == []
    # The round trip: the fixture's tables, cell by cell, from the files written.
    (folder,) = {p.parent for p in content.rglob("department.yaml")}
    department = load(folder / "department.yaml")
    assert isinstance(department, dict)
    projects = [load(folder / "projects" / f"{code}.yaml") for code in department["projects"]]
    for table, project, (head, row) in zip(document.tables(), projects, templates, strict=True):
        assert isinstance(project, dict)
        assert rebuild(head, row, project) == table.rows


def rebuild(head: list[list[str]], row: list[str], project: dict) -> list[list[str]]:
    """A table of the layout from a project file: the head's `{path}` cells filled, a row per indicator."""
    return [[fill(cell, project) for cell in line] for line in head] + \
        [[fill(cell, indicator) for cell in row] for indicator in project["indicators"]]


def fill(cell: str, values: dict) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: _at(values, m.group(1)), cell).strip()


def _at(values: object, path: str) -> str:
    for part in path.split("."):
        if isinstance(values, list):
            values = values[int(part)] if int(part) < len(values) else ""
        elif isinstance(values, dict):
            values = values.get(part, "")
    return "\n".join(values) if isinstance(values, list) else str(values)


def test_the_notes_of_an_import_say_what_was_interpreted(tmp_path, cli):
    _, run = run_import(cli, tmp_path, TWO_FORMS, "text")
    assert run.code == 0, run.err
    folder = tmp_path / "content/2024/306001"
    department = (folder / "department.yaml").read_text(encoding="utf-8")
    assert "# scope not stated in the 实施单位 `306001-测试县教育局`; 本级 assumed (source.txt:15)" in department
    # Each choice about the department names its evidence, as the year's does.
    assert "# unit 306001 测试县教育局 (实施单位 `306001-测试县教育局`) (source.txt:15)" in department
    assert re.search(r"# money unit 万元 \((in every form|the first form's; \d of \d forms state it, each project file "
                     r"keeps its own)\)", department), department
    assert re.search(r"# year 2024 \(title", department), department
    second = (folder / "projects/13099524P0000004.yaml").read_text(encoding="utf-8")
    assert "# no 项目编码 cell: the code is taken from the 项目名称 `13099524P0000004-校园安全设施改造`" in second
    assert "# warning: 项目负责人及电话 `赵六` is kept whole as 项目负责人" in second
    assert "source.txt:116: warning: 项目负责人及电话 `赵六` is kept whole as 项目负责人" in run.err
    pifu = tmp_path / "pifu"
    pifu.mkdir()
    _, run = run_import(cli, pifu, PIFU, "text")
    assert "项目负责人及电话 `李四 13900001111` is split into 项目负责人 and 联系电话" in run.err


# Where the header cell of a column with no field is, in each shape: the column is the 9th, its
# header the table's 9th row, under the title and the 单位 line.
UNKEPT_AT = {"text": None, "rows": "source.txt:12 col 9", "docx": "source.docx table 1 row 9 col 9",
             "xlsx": "source.xlsx Sheet!I11", "pdf": None}


@pytest.mark.parametrize("shape", [s for s in SHAPES if s != "pdf"])
def test_a_column_no_field_takes_is_reported_at_its_header(shape, tmp_path, cli):
    (table,) = PIFU.tables()
    extra = {8: "责任科室", 9: "环卫所", 10: "环卫所", 14: "城管执法大队"}
    rows = [row + [extra.get(r, "")] for r, row in enumerate(table.rows)]
    document = Document([p for p in PIFU.parts if isinstance(p, str)] + [Table(rows, table.merges)])
    source, run = run_import(cli, tmp_path, document, shape)
    assert run.code == 0, run.err
    where = UNKEPT_AT[shape] or f"source.txt:{source.read_text(encoding='utf-8').split(chr(10)).index(chr(9) + '责任科室') + 1}"
    message = "warning: the column `责任科室` is not kept (text in 3 of its rows): a project file has no field for it"
    assert f"{where}: {message}" in run.err
    project = (tmp_path / "content/2024/305001/projects/13099524P0000002.yaml").read_text(encoding="utf-8")
    assert f"# {message} (" in project


def test_forms_naming_no_unit_code_are_refused_with_the_reason(tmp_path, cli):
    (table,) = PIFU.tables()
    rows = [list(row) for row in table.rows]
    rows[1][4], rows[1][7] = "测试县城市管理局", "测试县城市管理局机关"
    document = Document([p for p in PIFU.parts if isinstance(p, str)] + [Table(rows, table.merges)])
    _, run = run_import(cli, tmp_path, document, "rows")
    assert run.code == 1
    assert "source.txt: error: no unit code in the forms: neither 实施单位 nor 主管部门 reads as CODE-名称" in run.err
    assert "nothing was written" in run.err and not (tmp_path / "content").exists()


def label_strings() -> list[str]:
    """Every label of importers/labels.py's tables (not the regular expressions of placeholder names,
    nor the scoring profiles' layout keys)."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)

    for name in dir(labels):
        if name.isupper() and name not in ("PLACEHOLDER_NAMES", "LAYOUT_PROFILES", "FORM_TABLES"):
            walk(getattr(labels, name))
    return found


def test_every_label_import_knows_is_documented():
    page = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    missing = sorted({label for label in label_strings() if f"`{label}`" not in page})
    assert not missing, f"docs/import.md does not list: {missing}"


def test_a_unit_line_above_untitled_forms_names_the_department(tmp_path, cli):
    """A Hebei-style unit line and a 单位 line above a form without a title belong to it; the 实施单位
    cell then needs no code, and the year comes from --year."""
    (table,) = PIFU.tables()
    rows = [list(row) for row in table.rows]
    rows[1][4], rows[1][7] = "测试县城市管理局", "测试县城市管理局机关"
    document = Document(["305001测试县城市管理局机关", "单位：元", Table(rows, table.merges)])
    _, run = run_import(cli, tmp_path, document, "docx", "--year", "2024")
    assert run.code == 0, run.err
    expected = EXPECTED / "pifu" / "2024/305001"
    assert differences(load(expected / "department.yaml"), load(tmp_path / "content/2024/305001/department.yaml")) == []
    project = load(tmp_path / "content/2024/305001/projects/13099524P0000002.yaml")
    assert isinstance(project, dict)
    assert project["implementer"] == "测试县城市管理局机关" and project["budget"]["total"] == "1,200,000.00"
    assert "text not placed" not in run.err


def test_the_money_unit_is_each_forms_own(tmp_path, cli):
    """The department takes the first form's unit; a form in another unit says so in its own file."""
    first, second = TWO_FORMS.tables()
    rows = [list(row) for row in second.rows]
    rows[3][0], rows[4][1], rows[4][2] = "项目资金（元）", "800,000.00", "800,000.00"
    document = Document([TWO_FORMS.parts[0], first, Table(rows, second.merges)])
    _, run = run_import(cli, tmp_path, document, "xlsx")
    assert run.code == 0, run.err
    folder = tmp_path / "content/2024/306001"
    department, other = load(folder / "department.yaml"), load(folder / "projects/13099524P0000004.yaml")
    assert isinstance(department, dict) and isinstance(other, dict)
    assert department["money_unit"] == "万元"
    assert (other["money_unit"], other["budget"]["total"]) == ("元", "800,000.00")
    assert "money_unit" not in load(folder / "projects/13099524P0000003.yaml")


@pytest.mark.parametrize("shape", ["rows", "xlsx"])
def test_an_excel_date_serial_in_a_timely_target_is_read_as_the_date_it_stands_for(shape, tmp_path, cli):
    (table,) = SHENBAO.tables()
    rows = [list(row) for row in table.rows]
    timely = next(r for r, row in enumerate(rows) if row[3] == "完工时间")
    rows[timely][5] = "45657"  # 2024-12-31, as Excel keeps a date typed into a cell formatted as a number
    count = next(r for r, row in enumerate(rows) if row[3] == "养护路段数")
    rows[count][5] = "45657"  # a count is a count, even one that looks like a serial
    document = Document([p for p in SHENBAO.parts if isinstance(p, str)] + [Table(rows, table.merges)])
    _, run = run_import(cli, tmp_path, document, shape)
    assert run.code == 0, run.err
    assert "warning: `45657` in 指标值 is an Excel date serial: read as 2024-12-31 and written 2024年12月31日" in run.err
    project = yaml.load((tmp_path / "content/2024/304001/projects/13099524P0000001.yaml").read_text(encoding="utf-8"),
                        Loader=yaml.BaseLoader)
    targets = {i["name"]: i["target"] for i in project["indicators"]}
    assert targets["完工时间"] == "2024年12月31日" and targets["养护路段数"] == "45657"


def test_an_indicator_header_without_a_target_column_names_what_it_lacks_and_what_it_does_not_know(tmp_path, cli):
    (table,) = SHENBAO.tables()
    rows = [[("目标数值" if cell == "指标值" else cell) for cell in row] for row in table.rows]
    document = Document([p for p in SHENBAO.parts if isinstance(p, str)] + [Table(rows, table.merges)])
    source, run = run_import(cli, tmp_path, document, "rows")
    assert run.code == 1
    line = source.read_text(encoding="utf-8").split("\n").index(next(
        line for line in source.read_text(encoding="utf-8").split("\n") if line.startswith("绩效指标\t"))) + 1
    assert (f"source.txt:{line}: error: the indicator header of `项目支出绩效目标申报表` has no 指标值 column; import "
            "does not know `目标数值`") in run.err, run.err
    assert "give it a name import knows (docs/import.md lists them)" in run.err
    assert not (tmp_path / "content").exists()
