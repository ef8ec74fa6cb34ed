"""The later stages' PDFs read back: the 项目支出绩效自评表 and the 绩效目标执行监控表 of a project,
and the volume's self-evaluation part: text, tables, margins, fonts, archival form, attachments,
what is made again after an edit."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from conftest import CONTENT, PROJECT, reproducible, tree_snapshot
from pypdf import PdfReader
from test_pdf import squeeze, text_of, text_over_rules

from builder.content.stage_model import Figure
from builder.pipeline import DEFAULT_THEMES, build_site, check_content
from builder.render.downloads import file_size
from builder.render.routes import routes
from builder.render.stage_forms import evaluation_form
from builder.render.themes import load_theme, make_environment, translator

EXAMPLE = "130229214I5FK2QU161C5"
PROJECTS = Path("2022/304001/projects")
MM = 72 / 25.4


@pytest.fixture
def seed_output(seed_build) -> Path:
    """The seed as built once for the session (conftest.seed_build)."""
    return seed_build


def test_only_a_project_with_a_stage_gets_its_form_and_its_page_links_it(seed_output):
    department = CONTENT / "2022/304001"
    codes = [p.stem for p in (department / "projects").glob("*.yaml")]
    assert EXAMPLE in codes
    for code in codes:
        page = (seed_output / PROJECTS / f"{code}.html").read_text(encoding="utf-8")
        for kind, folder in (("evaluation", "evaluations"), ("monitoring", "monitoring")):
            pdf = seed_output / PROJECTS / f"{code}.{kind}.pdf"
            assert pdf.exists() == (department / folder / f"{code}.yaml").exists(), pdf.name
            link = re.search(rf'<a href="{code}\.{kind}\.pdf" type="application/pdf"[^>]*>PDF</a>'
                             r'<span class="size">，([^<]+)</span>', page)
            assert bool(link) == pdf.exists(), pdf.name
            assert not link or link.group(1) == file_size(pdf.stat().st_size)
    stages = [f"{p.stem}.{kind}.pdf" for kind, folder in (("evaluation", "evaluations"), ("monitoring", "monitoring"))
              for p in (department / folder).glob("*.yaml")]
    assert sorted(p.name for p in (seed_output / PROJECTS).glob("*.pdf")) == sorted([f"{c}.pdf" for c in codes] + stages)


@pytest.mark.parametrize("kind,folder", [("evaluation", "evaluations"), ("monitoring", "monitoring")])
def test_stage_forms_are_archival_tagged_and_carry_their_stage_file(seed_output, kind, folder):
    reader = PdfReader(seed_output / PROJECTS / f"{EXAMPLE}.{kind}.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN" and "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert reader.metadata.author == "玉田县商务和投资促进局"
    assert EXAMPLE in reader.metadata.subject and "示例数据" in reader.metadata.subject
    # The stage's own file, byte for byte (not the targets file of the same name).
    assert {name: data for name, (data, *_) in reader.attachments.items()} == {
        f"{EXAMPLE}.yaml": (CONTENT / "2022/304001" / folder / f"{EXAMPLE}.yaml").read_bytes()}
    listing = subprocess.run(["pdffonts", str(seed_output / PROJECTS / f"{EXAMPLE}.{kind}.pdf")],
                             capture_output=True, text=True, check=True).stdout
    fonts = [line.split() for line in listing.splitlines()[2:]]
    assert fonts and all(f[-5:-3] == ["yes", "yes"] and ("CJK-SC" in f[0] or "CJKsc" in f[0]) for f in fonts), listing


def cells(path: Path) -> list[list[str]]:
    """Every table row pdfplumber reads, each cell without white space."""
    rows = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows += [[squeeze(c or "") for c in row] for row in table]
    return rows


def test_the_self_evaluation_reads_as_the_form(seed_output):
    path = seed_output / PROJECTS / f"{EXAMPLE}.evaluation.pdf"
    text = squeeze(text_of(path))
    for expected in ("项目支出绩效自评表", "（2022年度）", f"{EXAMPLE}-玉财建【2021】31号", "主管部门304001-玉田县商务和投资促进局",
                     "示例数据：为演示监控与自评功能编写", "产出指标（50分）", "效益指标（30分）", "满意度指标（10分）",
                     "偏差原因分析及改进措施", "评价等级：优", "通用自评评分规则"):
        assert expected in text, expected
    rows = cells(path)
    assert ["年度资金总额", "10,000,000.00", "10,000,000.00", "9,500,000.00", "10", "95%", "9.5"] in [r[-7:] for r in rows]
    # The 2021 funds were carried over into 2022: the form's 上年结转资金 row, not 当年财政拨款.
    assert ["上年结转资金", "10,000,000.00", "10,000,000.00", "9,500,000.00", "—", "—", "—"] in [r[-7:] for r in rows]
    assert ["其中：当年财政拨款", "", "", "", "—", "—", "—"] in [r[-7:] for r in rows]
    training = next(r for r in rows if "示范县开展电商培训次数" in r)
    assert training[-5:-1] == ["≥3000人次", "2220人次", "10", "7.4"]
    assert training[-1].startswith("原因：受疫情影响") and "措施：2023年提前安排培训计划" in training[-1]
    assert ["总分", "100", "96.9", "评价等级：优"] == [c for c in next(r for r in rows if "总分" in r) if c]
    # The form states the scores as computed: none shows a second figure, but the qualitative
    # row's, which cannot be computed and shows the stated one as such.
    assert "填报：" not in text
    assert next(r for r in rows if "按时完成工作" in r)[-2] == "4填报"


def test_the_monitoring_form_is_landscape_and_reads_as_the_form(seed_output):
    path = seed_output / PROJECTS / f"{EXAMPLE}.monitoring.pdf"
    reader = PdfReader(path)
    assert all(page.mediabox.width > page.mediabox.height for page in reader.pages)
    text = squeeze(text_of(path))
    for expected in ("项目支出绩效目标执行监控表", "（2022年1-7月）", "示例数据：为演示监控与自评功能编写", "1-7月执行数",
                     "1-7月实际完成值", "执行偏差原因：物流配送中心改造工程"):
        assert expected in text, expected
    rows = cells(path)
    assert ["10,000,000.00", "4,200,000.00", "42%", "9,600,000.00"] in [r[-4:] for r in rows]
    training = next(r for r in rows if "示范县开展电商培训次数" in r)
    assert training[-8:] == ["≥3000人次", "900人次", "2400人次", "其他", "受疫情影响，线下集中培训暂停。",
                             "增加线上直播培训场次，疫情缓解后集中补训。", "有可能", "预计难以完成"]
    on_track = next(r for r in rows if "新增农村网商（店）" in r)
    assert on_track[-3:] == ["", "确定能", "进展正常"]


def assert_gb9704_type_area(path: Path) -> None:
    """GB/T 9704-2012: a 156 x 225 mm type area 37 mm from the top and 28 mm from the binding edge
    (a page across: the same area turned, 28 mm from the top, 35 mm from the left). The tables
    run the full width, so their rules mark its edges; only the running head and the page number
    are outside it."""
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            across = page.width > page.height
            left, top, width, height = (35, 28, 225, 156) if across else (28, 37, 156, 225)
            x0, x1, y0, y1 = left * MM, (left + width) * MM, top * MM, (top + height) * MM
            rules = [e for e in page.edges if e["orientation"] == "v"]
            assert rules, (path.name, number)
            assert min(e["x0"] for e in rules) == pytest.approx(x0, abs=1), (path.name, number)
            assert max(e["x1"] for e in rules) == pytest.approx(x1, abs=1), (path.name, number)
            inside = [c for c in page.chars if x0 - 0.5 <= c["x0"] and c["x1"] <= x1 + 0.5
                      and y0 - 0.5 <= c["top"] and c["bottom"] <= y1 + 0.5]
            assert all(e["top"] >= y0 - 1 and e["bottom"] <= y1 + 1 for e in page.edges), (path.name, number)
            kept = {id(c) for c in inside}
            outside = "".join(c["text"] for c in page.chars if id(c) not in kept)
            assert squeeze(outside).endswith(f"—{number}—"), (path.name, number, outside)
            assert "玉田县商务和投资促进局2022年" in squeeze(outside), (path.name, number, outside)


def test_every_form_keeps_to_the_gb9704_type_area(seed_output):
    for name in (f"{EXAMPLE}.evaluation.pdf", f"{EXAMPLE}.monitoring.pdf", f"{EXAMPLE}.pdf"):
        assert_gb9704_type_area(seed_output / PROJECTS / name)
        assert text_over_rules(seed_output / PROJECTS / name) == [], name


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page number from 1) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def test_the_volume_has_a_self_evaluation_part_in_its_contents_and_bookmarks(seed_output):
    path = seed_output / "2022/304001/304001-2022.pdf"
    reader = PdfReader(path)
    marks = outline(reader)
    titles = [title for _, title, _ in marks]
    part3 = titles.index("第三部分　绩效自评")
    assert marks[part3][0] == 0 and part3 > titles.index("第二部分　预算项目绩效目标")
    forms = marks[part3 + 1:]
    assert len(forms) == len(list((CONTENT / "2022/304001/evaluations").glob("*.yaml"))) + \
        (CONTENT / "2022/304001/evaluation.yaml").exists()
    assert all(depth == 1 and title.endswith("支出绩效自评表") for depth, title, _ in forms)
    form = next(m for m in forms if m[1] == "4.玉财建【2021】31号关于下达2021年中央服务业发展资金预算的通知项目支出绩效自评表")
    assert forms[0][2] == marks[part3][2] > marks[part3 - 1][2]
    # The contents give the page the bookmark goes to, and that page says so at its foot.
    contents = squeeze(reader.pages[1].extract_text())
    assert re.search(rf"第三部分绩效自评\.+{marks[part3][2]}", contents), contents
    assert re.search(rf"{re.escape(form[1])}\.+{form[2]}", contents), contents
    page = squeeze(reader.pages[form[2] - 1].extract_text())
    assert page.endswith(f"—{form[2]}—") and "项目支出绩效自评表" in page and "示例数据" in page
    assert "9,500,000.00" in squeeze(text_of(path))


def test_a_figure_the_form_states_otherwise_shows_both():
    site = check_content(CONTENT).site
    department = site.departments[0]
    project = next(p for p in department.projects if p.code == EXAMPLE)
    evaluation = project.evaluation
    training = replace(evaluation.indicators[1], score=Figure(Decimal("7.40"), Decimal("10"), "2220 / 3000 × 10"))
    evaluation = replace(evaluation, indicators=(evaluation.indicators[0], training, *evaluation.indicators[2:]),
                         total=Figure(Decimal("96.90"), Decimal("99.5"), "9.5 + 87.4"), grade_stated="良")
    theme = load_theme(DEFAULT_THEMES, "default")
    html = make_environment(theme).get_template("print/evaluation.html").render(
        site=site, department=department, project=project, form=evaluation_form(project, evaluation),
        t=translator(theme.catalog("zh-CN")), lang="zh-CN", routes=routes, pdf_date="2022-01-01T00:00:00Z",
        generator="gongkai")
    flat = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "|", html))
    for computed, stated in (("7.4", "10"), ("96.9", "99.5"), ("优", "良")):  # computed first, the form's under it
        assert re.search(rf"\|{re.escape(computed)}\|+填报：{re.escape(stated)}\|", flat), (computed, stated)
    assert len(re.findall("填报：", flat)) == 3


EVALUATION = """\
project: P001
example: 示例数据：测试用
money:
  total: {initial: 1234567890.00, adjusted: 1234567890.00, executed: 1200000000.00}
  current: {initial: 1234567890.00, adjusted: 1234567890.00, executed: 1200000000.00}
goal:
  actual: 开展活动4次。
indicators:
  - level1: 产出指标（50分）
    level2: 数量指标
    name: 活动次数
    actual: 4次
    weight: 40
  - name: 资金成本
    actual: 9万元
    weight: 10
  - level1: 效益指标（30分）
    level2: 社会效益指标
    name: 受益人数
    actual: 120人
    weight: 30
  - level1: 满意度指标（10分）
    level2: 服务对象满意度指标
    name: 满意度
    actual: 85%
    weight: 10
"""

DEPARTMENT_EVALUATION = """\
money:
  total: {initial: 1234567890.00, adjusted: 1234567890.00, executed: 1200000000.00}
goal:
  expected: 履行部门职能。
  actual: 完成年度工作。
indicators:
  - name: 部门整体支出执行率
    target: ≥90%
    actual: 97%
    weight: 90
"""

MONITORING = """\
project: P001
period: 1-6月
money: {budget: 1234567890.00, executed: 600000000.00}
indicators:
  - {name: 活动次数, progress: 2次, forecast: 4次, likelihood: 确定能}
  - {name: 资金成本, progress: 5万元, forecast: 9万元, likelihood: 确定能}
  - {name: 受益人数, progress: 50人, forecast: 100人, likelihood: 确定能}
  - {name: 满意度, progress: 未开展调查, forecast: 85%, likelihood: 有可能, reason_category: 其他, reason: 满意度调查年底开展}
"""


@pytest.fixture
def staged(scratch):
    """The scratch project with a 1,234,567,890.00 budget, a self-evaluation and a monitoring round,
    and a department-wide self-evaluation."""
    scratch.write(scratch.project(), PROJECT.replace(
        "total: 100000.00\n  fiscal: 100000.00", "total: 1234567890.00\n  fiscal: 1234567890.00").replace(
        "  - level1: 满意度指标\n", "  - level1: 效益指标\n    level2: 社会效益指标\n    name: 受益人数\n    target: ≥100人\n"
                                  "  - level1: 满意度指标\n"))
    folder = scratch.department.parent
    scratch.write(folder / "evaluations/P001.yaml", EVALUATION)
    scratch.write(folder / "monitoring/P001.yaml", MONITORING)
    scratch.write(folder / "evaluation.yaml", DEPARTMENT_EVALUATION)
    return scratch


def test_a_department_with_its_own_self_evaluation_and_large_amounts(staged, tmp_path, monkeypatch):
    """The volume puts the department-wide form first; amounts stay on one line; an edited stage file
    remakes its form (and the volume, for a self-evaluation) and nothing else, a removed one removes
    its form, as a clean build would."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1640995200")
    output, cache = tmp_path / "out", tmp_path / "cache"
    result = build_site(staged.content, output, cache=cache)
    assert result.site is not None, [d.format() for d in result.report.errors]
    volume = output / "2022/100001/100001-2022.pdf"
    marks = outline(PdfReader(volume))
    part3 = [title for _, title, _ in marks].index("第三部分　绩效自评")
    assert [title for _, title, _ in marks[part3 + 1:]] == ["部门整体支出绩效自评表", "1.测试项目项目支出绩效自评表"]
    text = squeeze(text_of(volume))
    assert "部门预算资金（元）" in text and "部门整体支出执行率" in text
    for path in (volume, output / "2022/100001/projects/P001.evaluation.pdf",
                 output / "2022/100001/projects/P001.monitoring.pdf"):
        assert text_over_rules(path) == [], path
        assert "1,234,567,890.00" in text_of(path), path  # on one line
    assert "1-6月执行数" in squeeze(text_of(output / "2022/100001/projects/P001.monitoring.pdf"))

    evaluation = staged.department.parent / "evaluations/P001.yaml"
    evaluation.write_text(EVALUATION.replace("开展活动4次。", "开展活动4次，覆盖全县。"), encoding="utf-8")
    again = build_site(staged.content, output, cache=cache)
    assert {p for p in again.rendered if p.endswith(".pdf")} == {
        "2022/100001/projects/P001.evaluation.pdf", "2022/100001/100001-2022.pdf"}
    monitoring = staged.department.parent / "monitoring/P001.yaml"
    monitoring.write_text(MONITORING.replace("progress: 2次", "progress: 3次"), encoding="utf-8")
    again = build_site(staged.content, output, cache=cache)
    assert {p for p in again.rendered if p.endswith(".pdf")} == {"2022/100001/projects/P001.monitoring.pdf"}
    assert "开展活动4次，覆盖全县" in squeeze(text_of(output / "2022/100001/projects/P001.evaluation.pdf"))
    # Without its monitoring round the project has no monitoring form, and its page no link to one.
    monitoring.unlink()
    again = build_site(staged.content, output, cache=cache)
    assert not [p for p in again.rendered if p.endswith(".pdf")]
    assert not (output / "2022/100001/projects/P001.monitoring.pdf").exists()
    assert "P001.monitoring.pdf" not in (output / "2022/100001/projects/P001.html").read_text(encoding="utf-8")
    # What was made again is what a clean build makes, byte for byte.
    assert build_site(staged.content, tmp_path / "clean").site is not None
    assert reproducible(tree_snapshot(output)) == reproducible(tree_snapshot(tmp_path / "clean"))
