"""Pages and PDFs of other provinces' forms, on the fixture site in the 申报表 and 部门整体 layouts
(tests/fixtures/provinces/content): the project header cells, the whole period's money and goals
beside the year's, the optional indicator columns shown exactly where a row has them, the
部门整体支出绩效目标表 on the department page and in the volume, and the annex layout each
department's PDFs follow (site.yaml or department.yaml `form`: print/forms/<form>.html)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pdfplumber
import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import CONTENT, ROOT
from playwright.sync_api import sync_playwright
from pypdf import PdfReader
from test_browser import CHROMIUM, LAUNCH_ARGS
from test_pdf import broken_labels, squeeze, text_of

from builder.pipeline import DEFAULT_THEMES, build_site, check_content
from builder.render.themes import load_theme, make_environment, translator

PROVINCES = ROOT / "tests" / "fixtures" / "provinces" / "content"
DEPARTMENT = "2024/501001"
FARMLAND = "50100124P000001"  # every header cell, 实施期 money and goals, breakdown, every optional column
TESTING = "50100124P000002"  # some header cells, no 实施期, only 权重 and 指标方向 among the optional columns


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The fixture site built once for the module, PDFs included, from a copy outside git."""
    root = tmp_path_factory.mktemp("provinces")
    shutil.copytree(PROVINCES, root / "content")
    result = build_site(root / "content", root / "output")
    assert result.site is not None, [str(d) for d in result.report.items]
    return root / "output"


def parse(path: Path) -> Element:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_bytes(), transport_encoding="utf-8")  # raises on any parse error


def text(element: Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def facts(page: Element) -> dict[str, str]:
    """The page's definition lists, label -> value."""
    found = {}
    for dl in page.iter("dl"):
        items = [item for child in dl for item in (list(child) if child.tag == "div" else [child])]  # <div> groups
        found |= {text(dt): text(dd) for dt, dd in zip(items[::2], items[1::2], strict=True)}
    return found


def table(page: Element, caption: str) -> Element:
    (found,) = [t for t in page.iter("table") if (c := t.find("caption")) is not None and text(c).startswith(caption)]
    return found


def heads(table: Element) -> list[str]:
    return [text(th) for th in table.find("thead").iter("th")]


def body_rows(table: Element) -> list[list[str]]:
    return [[text(cell) for cell in row] for row in table.find("tbody").findall("tr")]


def test_no_page_or_pdf_prints_none_and_every_page_is_valid_html(site):
    for path in sorted(site.rglob("*.html")):
        parse(path)
        assert "None" not in path.read_text(encoding="utf-8"), path
    for path in sorted(site.rglob("*.pdf")):
        assert "None" not in text_of(path), path


def test_the_project_page_shows_each_header_cell_it_has(site):
    page = parse(site / DEPARTMENT / "projects" / f"{FARMLAND}.html")
    shown = facts(page)
    assert {k: shown[k] for k in ("主管部门", "实施单位", "项目负责人", "联系电话", "项目类型", "项目属性", "项目期限")} == {
        "主管部门": "501-示例市农业农村局", "实施单位": "501001-示例市农业农村局本级", "项目负责人": "王建国",
        "联系电话": "0315-1234567", "项目类型": "经常性项目", "项目属性": "延续项目", "项目期限": "2023年-2025年"}
    other = facts(parse(site / DEPARTMENT / "projects" / f"{TESTING}.html"))
    assert other["项目类型"] == "一次性项目" and other["实施单位"] == "501002-示例市农产品质量安全检测中心"
    assert not {"项目负责人", "联系电话", "项目期限"} & set(other)  # its form has no such cells


def test_the_whole_period_money_stands_beside_the_year_with_the_breakdown(site):
    page = parse(site / DEPARTMENT / "projects" / f"{FARMLAND}.html")
    funds = table(page, "资金情况")
    assert heads(funds) == ["资金", "实施期资金总额", "年度资金总额"]
    assert body_rows(funds) == [
        ["资金总额", "2,400.00", "800.00"], ["其中：财政资金", "1,800.00", "600.00"], ["其他资金", "600.00", "200.00"],
        ["其中：一般公共预算", "未填", "500.00"], ["其中：政府性基金", "未填", "100.00"], ["其中：单位资金", "未填", "200.00"]]
    goals = [text(h) for h in page.iter("h3")]
    assert "实施期目标" in goals and "年度目标" in goals
    html = (site / DEPARTMENT / "projects" / f"{FARMLAND}.html").read_text(encoding="utf-8")
    # No 资金用途 and no 资金支出计划 in this form: no heading, no empty cell for them.
    assert "资金用途" not in html and "资金支出计划" not in html and "预算规模及资金用途" not in html


def test_a_project_without_a_whole_period_keeps_the_year_alone(site):
    page = parse(site / DEPARTMENT / "projects" / f"{TESTING}.html")
    assert [t for t in page.iter("table") if "funds" in t.get("class", "")] == []
    assert facts(page)["预算数"] == "100.00 万元" and facts(page)["其他资金"] == "未填"
    assert [text(h) for h in page.iter("h2")][:2] == ["资金情况", "绩效目标"]


OPTIONAL = ["绩效指标描述", "指标性质", "度量单位", "上年实际值", "权重", "指标方向", "计算公式", "指标值确定依据", "备注"]


def test_each_optional_column_is_shown_exactly_where_a_row_has_it(site):
    farmland = table(parse(site / DEPARTMENT / "projects" / f"{FARMLAND}.html"), "高标准农田建设项目绩效指标")
    assert heads(farmland) == ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "上年实际值", "权重",
                               "指标方向", "计算公式", "备注"]
    testing = table(parse(site / DEPARTMENT / "projects" / f"{TESTING}.html"), "农产品质量安全监测经费绩效指标")
    assert heads(testing) == ["一级指标", "二级指标", "三级指标", "指标值", "权重", "指标方向"]
    assert not set(OPTIONAL) - {"权重", "指标方向"} & set(heads(testing))


def test_the_target_is_the_cell_as_written_with_its_unit_beside_it(site):
    farmland = table(parse(site / DEPARTMENT / "projects" / f"{FARMLAND}.html"), "高标准农田建设项目绩效指标")
    rows = {}
    for row in farmland.find("tbody").findall("tr"):
        cells = {cell.get("data-label"): cell for cell in row if cell.get("data-label")}
        name = row.find("th[@scope='row']")
        assert text(name.find("span[@class='card-category']")).count(" › ") == 1  # its categories, on a card
        rows[name.find("span").tail.strip()] = cells
    quality = rows["工程验收合格率"]
    # 指标性质 ≥, 指标值 95, 度量单位 %: each as the form has it; on a phone's card the target they state
    # together (style.css shows .card-target and hides .form-value below 40rem).
    assert text(quality["指标性质"]) == "≥"
    assert text(quality["度量单位"]) == "%"
    value = quality["指标值"]
    assert [(span.get("class"), text(span)) for span in value.iter("span")] == [
        ("kind", "定量"), ("form-value", "95"), ("card-target", "≥95%")]
    assert text(quality["上年实际值"]) == "96%" and text(quality["权重"]) == "15"
    assert text(quality["计算公式"]) == "验收合格工程数/完工工程数×100%"
    assert text(rows["新建高标准农田面积"]["备注"]) == "以竣工验收面积为准"
    assert text(rows["工程设施管护机制"]["指标值"]) == "定性 建立健全"


def test_the_department_page_shows_the_whole_target(site):
    page = parse(site / DEPARTMENT / "index.html")
    headings = [text(h) for h in page.iter("h3")]
    # No 总体绩效目标 text in this department: the sections are numbered from what it has.
    assert headings[:2] == ["一、部门整体支出绩效目标", "二、分项绩效目标"]
    toc = [text(a) for a in page.find(".//nav[@class='toc']").iter("a")]
    assert toc[:3] == ["第一部分 部门整体绩效目标", "一、部门整体支出绩效目标", "二、分项绩效目标"]
    assert "部门职能概述" in [text(h) for h in page.iter("h4")]
    income = table(page, "收入构成")
    assert body_rows(income) == [["财政拨款", "1,200.00", "80%"], ["其他资金", "300.00", "20%"]]
    assert [text(c) for c in income.find("tfoot/tr")] == ["合计", "1,500.00", "100%"]
    expenditure = table(page, "支出构成（单位：万元）")
    assert body_rows(expenditure) == [["基本支出", "600.00", "40%"], ["项目支出", "900.00", "60%"]]
    indicators = table(page, "部门整体绩效指标")
    assert heads(indicators) == ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "上年实际值", "权重",
                                 "指标方向", "计算公式", "备注"]
    assert len(body_rows(indicators)) == 6
    assert {"中长期目标", "年度总体目标"} <= set(text(h) for h in page.iter("h4"))


def test_the_seed_department_keeps_its_numbered_sections():
    """The shipped content has 总体绩效目标 and measures but no whole table: 一、二、三 as before."""
    result = check_content(CONTENT)
    department = result.site.departments[0]
    theme = load_theme(DEFAULT_THEMES, "default")
    env = make_environment(theme)
    module = env.get_template("macros/department.html").make_module({"t": translator(theme.catalog("zh-CN"))})
    assert [module.heading(department, s) for s in ("overall", "narrative", "measures")] == [
        "一、总体绩效目标", "二、分项绩效目标", "三、工作保障措施"]


def test_a_project_with_a_monitoring_round_keeps_its_form_s_columns_under_the_name(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROVINCES, content)
    names = ["新建高标准农田面积", "工程验收合格率", "工程完工时间", "亩均建设成本", "项目区粮食产能提高率", "工程设施管护机制",
             "项目区农户满意度"]
    rows = "".join(f"  - name: {name}\n    progress: 进行中\n    forecast: 可以完成\n" for name in names)
    (content / DEPARTMENT / "monitoring").mkdir()
    (content / DEPARTMENT / "monitoring" / f"{FARMLAND}.yaml").write_text(
        f"project: {FARMLAND}\nperiod: 1-7月\nmoney:\n  budget: 800.00\n  executed: 400.00\nindicators:\n{rows}",
        encoding="utf-8")
    result = build_site(content, tmp_path / "output", pdfs=False)
    assert result.site is not None, [str(d) for d in result.report.errors]
    page = parse(tmp_path / "output" / DEPARTMENT / "projects" / f"{FARMLAND}.html")
    stages = next(t for t in page.iter("table") if "stages" in t.get("class", ""))
    notes = {}
    for row in stages.find("tbody").findall("tr"):
        name = row.find("th[@scope='row']")
        notes[name.find("span[@class='card-category']").tail.strip()] = [text(n) for n in name.iter("span")
                                                                          if n.get("class") == "note"]
    assert notes["工程验收合格率"] == ["上年实际值：96%", "权重：15", "指标方向：正向", "计算公式：验收合格工程数/完工工程数×100%"]
    assert notes["新建高标准农田面积"] == ["上年实际值：4.2", "权重：20", "指标方向：正向", "备注：以竣工验收面积为准"]
    assert notes["工程设施管护机制"] == ["权重：20"]


# The shenbao annex, read back.

def test_the_shenbao_annex_has_the_form_title_header_cells_and_indicator_columns(site):
    path = site / DEPARTMENT / "projects" / f"{FARMLAND}.pdf"
    flat = squeeze(text_of(path))
    for cell in ["项目支出绩效目标申报表", "（2024年度）", "单位：万元", "项目名称", "高标准农田建设项目", "主管部门",
                 "501-示例市农业农村局", "实施单位", "项目负责人", "王建国", "联系电话", "0315-1234567", "项目类型",
                 "经常性项目", "项目属性", "延续项目", "项目期限", "2023年-2025年", "资金情况（万元）", "实施期资金总额",
                 "年度资金总额", "其中：财政拨款", "2,400.00", "其中：一般公共预算", "总体目标", "实施期目标", "年度目标",
                 "三年新建高标准农田15万亩"]:
        assert squeeze(cell) in flat, cell
    # The form is one grid (its head, money and goals tables are joined to the indicators'), so
    # pdfplumber reads them as one table: the indicator cells are found under their heads.
    heads_seen, by_name = [], {}
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for extracted in page.extract_tables():
                columns: dict[str, int] = {}
                for row in extracted:
                    row = [squeeze(c or "") for c in row]
                    if "三级指标" in row:
                        columns = {cell: index for index, cell in enumerate(row) if cell}
                        heads_seen.append(list(columns))
                    elif columns and row[columns["三级指标"]]:
                        by_name[row[columns["三级指标"]]] = {head: row[index] for head, index in columns.items()}
    assert heads_seen == [["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "指标方向",
                           "上年实际值", "计算公式", "备注"]] * 2  # repeated on the second page
    assert len(by_name) == 7
    quality = by_name["工程验收合格率"]
    assert [quality[h] for h in ("指标性质", "指标值", "度量单位", "权重", "指标方向", "上年实际值", "计算公式", "备注")] == [
        "≥", "95", "%", "15", "正向", "96%", "验收合格工程数/完工工程数×100%", ""]
    area = by_name["新建高标准农田面积"]
    assert [area[h] for h in ("指标性质", "指标值", "度量单位", "权重", "指标方向", "上年实际值", "备注")] == [
        "定量", "5", "万亩", "20", "正向", "4.2", "以竣工验收面积为准"]
    assert [by_name["亩均建设成本"][h] for h in ("指标性质", "指标值", "度量单位", "权重", "指标方向")] == [
        "≤", "1600", "元/亩", "5", "反向"]


def test_the_shenbao_annex_is_archival_with_its_yaml_and_embedded_fonts(site):
    path = site / DEPARTMENT / "projects" / f"{FARMLAND}.pdf"
    reader = PdfReader(path)
    assert reader.metadata.subject == f"示例市农业农村局 2024年 项目支出绩效目标申报表 {FARMLAND}"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert reader.attachments[f"{FARMLAND}.yaml"][0] == (PROVINCES / DEPARTMENT / "projects" / f"{FARMLAND}.yaml").read_bytes()
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = [line.split() for line in listing.splitlines()[2:]]
    assert fonts and all((font[-5], font[-4]) == ("yes", "yes") for font in fonts), listing


def test_the_volume_has_the_whole_target_and_the_department_s_annex_layout(site):
    path = site / DEPARTMENT / "501001-2024.pdf"
    reader = PdfReader(path)

    def titles(outline, depth=0):
        for item in outline:
            yield from titles(item, depth + 1) if isinstance(item, list) else [("  " * depth) + item.title]

    outline = [title for title in titles(reader.outline) if not title.startswith("    ")]  # two levels
    assert outline == ["第一部分　部门整体绩效目标", "  一、部门整体支出绩效目标", "  二、分项绩效目标",
                       "第二部分　预算项目绩效目标", "  1.高标准农田建设项目项目支出绩效目标申报表",
                       "  2.农产品质量安全监测经费项目支出绩效目标申报表"]
    flat = squeeze(text_of(path))
    contents = squeeze(reader.pages[1].extract_text())
    assert "一、部门整体支出绩效目标" in contents and "总体绩效目标" not in contents
    for cell in ["示例市农业农村局2024年部门整体支出绩效目标表", "部门职能概述", "收入构成", "支出构成", "财政拨款",
                 "1,200.00", "80%", "基本支出", "合计", "1,500.00", "100%", "中长期目标", "年度总体目标",
                 "按年底统计口径", "抽检合格批次/抽检总批次×100%"]:
        assert squeeze(cell) in flat, cell
    assert flat.count("项目支出绩效目标申报表") == 2  # each project's form, in the department's layout
    assert "预算项目绩效目标表" not in flat  # not the Hebei one


def test_the_shenbao_form_and_the_whole_table_break_labels_only_between_words(site):
    """The 申报表's eleven columns, set a size smaller, and the 部门整体支出绩效目标表 of the volume: every
    head and category on whole words (一级指标 and 权重 on one line, 可持续/影响指标, 指标/性质)."""
    between, inside = broken_labels(site / DEPARTMENT / "projects" / f"{FARMLAND}.pdf")
    whole, whole_inside = broken_labels(site / DEPARTMENT / "501001-2024.pdf", slice(2, 3))
    assert inside == [] and whole_inside == []
    assert ["指标", "性质"] in between and ["可持续", "影响指标"] in between and ["服务对象", "满意度", "指标"] in whole
    assert not [lines for lines in between + whole if "一级指标" in "".join(lines) or "权重" == "".join(lines)]


# The annex layout is checked where the theme is known.

def test_an_unknown_annex_layout_is_an_error_at_its_key(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROVINCES, content)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("form: shenbao", "form: sichuan"),
                         encoding="utf-8")
    department = content / DEPARTMENT / "department.yaml"
    department.write_text(department.read_text(encoding="utf-8").replace("money_unit: 万元\n",
                                                                         "money_unit: 万元\nform: pifu\n"),
                          encoding="utf-8")
    report = check_content(content).report
    errors = [(f"{Path(d.pos.path).name}:{d.pos.line}:{d.pos.col}", d.message, d.hint) for d in report.errors]
    hint = "available: hebei, shenbao (a layout is a template print/forms/NAME.html of the theme)"
    assert sorted(errors) == [
        ("department.yaml:6:7", "annex layout `pifu` not found: theme `default` has no print/forms/pifu.html", hint),
        ("site.yaml:8:7", "annex layout `sichuan` not found: theme `default` has no print/forms/sichuan.html", hint)]


def test_a_department_s_own_layout_overrides_the_site_s(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROVINCES, content)
    department = content / DEPARTMENT / "department.yaml"
    department.write_text(department.read_text(encoding="utf-8").replace("money_unit: 万元\n",
                                                                         "money_unit: 万元\nform: hebei\n"),
                          encoding="utf-8")
    result = check_content(content)
    assert result.site is not None and result.site.departments[0].form == "hebei"
    (content / "site.yaml").write_text((content / "site.yaml").read_text(encoding="utf-8").replace("form: shenbao\n", ""),
                                       encoding="utf-8")
    department.write_text(department.read_text(encoding="utf-8").replace("form: hebei\n", ""), encoding="utf-8")
    assert check_content(content).site.departments[0].form == "hebei"  # the default


# In a browser at a phone's width.

def test_the_new_pages_pass_axe_and_do_not_scroll_sideways_on_a_phone(site):
    pages = [f"{DEPARTMENT}/index.html", f"{DEPARTMENT}/projects/{FARMLAND}.html", f"{DEPARTMENT}/projects/{TESTING}.html"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            wide_page = browser.new_page(viewport={"width": 1280, "height": 900})
            for path in pages:
                wide_page.goto((site / path).as_uri())
                results = Axe().run(wide_page, options={"runOnly": {"type": "tag", "values": [
                    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
                serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
                           if v["impact"] in ("serious", "critical")]
                assert serious == [], path
            page = browser.new_page(viewport={"width": 390, "height": 900})
            for path in pages:
                page.goto((site / path).as_uri())
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px"
                # The indicator tables are cards there: nothing in them scrolls either.
                wide = page.evaluate("[...document.querySelectorAll('table.indicators')]"
                                     ".filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1).length")
                assert wide == 0, path
        finally:
            browser.close()


def test_a_department_that_publishes_only_its_whole_table_has_no_empty_project_parts(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROVINCES, content)
    shutil.rmtree(content / DEPARTMENT / "projects")
    department = content / DEPARTMENT / "department.yaml"
    yaml_text = department.read_text(encoding="utf-8")
    department.write_text(yaml_text[:yaml_text.index("projects:")] + "projects: []\n", encoding="utf-8")
    output = tmp_path / "output"
    result = build_site(content, output)
    assert result.site is not None, [d.format() for d in result.report.errors]
    page = (output / DEPARTMENT / "index.html").read_text(encoding="utf-8")
    assert "部门整体支出绩效目标" in page and "1,500.00" in page
    # No generated summary of no projects (共安排预算项目0个，预算合计0.00) and no empty 第二部分.
    assert "0.00 万元" not in page and 'id="projects"' not in page and 'id="narrative"' not in page
    volume = squeeze(text_of(output / DEPARTMENT / "501001-2024.pdf"))
    assert "部门整体支出绩效目标" in volume and "第二部分" not in volume and "0.00万元" not in volume
