"""The later stages on the pages, without a browser: a project's self-evaluation and monitoring beside
its targets, a department's summaries, the all-indicators page's statuses.

The pages are rendered through the render layer (render.pages.PageRenderer) from a scratch site that
passes check. What check refuses (a stated score that differs from the computed one) is planted in
the checked model, after showing that check does refuse it.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CONTENT, SITE, write

from builder.content.model import Site
from builder.content.stage_model import Figure
from builder.pipeline import DEFAULT_THEMES, build_site, check_content
from builder.render.pages import PageRenderer, page_jobs
from builder.render.themes import load_theme

DEPARTMENT = """\
code: '100001'
name: 测试局
scope: 本级
year: 2022
money_unit: 元
overall:
  title: 测试局部门整体绩效
  duties:
    - （一）测试职能。
projects:
  - P001
  - P002
  - P003
"""

INDICATORS = """\
indicators:
  - level1: 产出指标
    level2: 数量指标
    name: 活动次数
    target: ≥4次
  - level2: 成本指标
    name: 资金成本
    target: ≤10万元
  - level1: 效益指标
    level2: 社会效益指标
    name: 受益人数
    target: ≥200人
  - level1: 满意度指标
    level2: 服务对象满意度指标
    name: 满意度
    target: ≥80%
"""


def project(code: str, name: str) -> str:
    return f"""\
code: {code}
name: {name}
budget:
  total: 100000.00
  fiscal: 100000.00
  other:
purpose: 测试用途。
spending_plan:
  - {{milestone: 6月底, percent: 50%}}
  - {{milestone: 12月底, percent: 100%}}
goals:
  - 1.开展活动，提高满意度。
""" + INDICATORS


# P001: one target missed (3 of 4 activities: 3 / 4 × 30 = 22.5), 9 + 22.5 + 20 + 30 + 10 = 91.5.
EVALUATION = """\
project: P001
money:
  total: {initial: 100000.00, adjusted: 100000.00, executed: 90000.00}
  current: {initial: 100000.00, adjusted: 100000.00, executed: 90000.00}
  weight: 10
  rate: 90%
  score: 9
goal:
  actual: 开展活动3次，受益220人，满意度85%。
indicators:
  - name: 活动次数
    actual: 3次
    weight: 30
    score: 22.5
    deviation: 天气原因取消1次。
    improvement: 提前安排活动。
  - name: 资金成本
    actual: 9万元
    weight: 20
    score: 20
  - name: 受益人数
    actual: 220人
    weight: 30
    score: 30
  - name: 满意度
    actual: 85%
    weight: 10
    score: 10
total: 91.5
grade: 优
conclusion: 基本完成年度目标。
"""

# P002: every target met, 95 points: it ranks above P001.
EVALUATION_P002 = EVALUATION.replace("P001", "P002").replace("executed: 90000.00", "executed: 95000.00") \
    .replace("rate: 90%", "rate: 95%").replace("score: 9\n", "score: 9.5\n").replace("actual: 3次", "actual: 4次") \
    .replace("score: 22.5", "score: 30").replace("total: 91.5", "total: 99.5") \
    .replace("    deviation: 天气原因取消1次。\n    improvement: 提前安排活动。\n", "")

MONITORING = """\
project: P001
period: 1-6月
money:
  budget: 100000.00
  executed: 30000.00
  forecast: 90000.00
  reason: 活动集中在下半年。
indicators:
  - name: 活动次数
    progress: 1次
    forecast: 3次
    reason_category: 其他
    reason: 天气原因。
    action: 下半年加开活动。
    likelihood: 有可能
  - name: 资金成本
    progress: 3万元
    forecast: 9万元
    likelihood: 确定能
  - name: 受益人数
    progress: 80人
    forecast: 210人
    likelihood: 有可能
    reason: 报名人数少于预期。
    action: 加强宣传。
  - name: 满意度
    progress: 未开展调查
    forecast: 85%
    likelihood: 确定能
"""

DEPARTMENT_EVALUATION = """\
money:
  total: {initial: 300000.00, adjusted: 300000.00, executed: 285000.00}
  weight: 10
  rate: 95%
  score: 9.5
goal:
  actual: 完成部门年度工作任务。
indicators:
  - level1: 产出指标（50分）
    level2: 数量指标
    name: 重点工作完成数
    target: ≥10项
    actual: 10项
    weight: 50
    score: 50
  - level1: 效益指标（30分）
    level2: 社会效益指标
    name: 政策知晓率
    target: ≥90%
    actual: 92%
    weight: 30
    score: 30
  - level1: 满意度指标（10分）
    level2: 服务对象满意度指标
    name: 群众满意度
    target: ≥85%
    actual: 90%
    weight: 10
    score: 10
total: 99.5
grade: 优
"""

PROJECT_PAGE = "2022/100001/projects/P001.html"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """Three projects: P001 evaluated and monitored, P002 evaluated, P003 neither."""
    root = tmp_path / "content"
    folder = root / "2022" / "100001"
    write(root / "site.yaml", SITE)
    write(folder / "department.yaml", DEPARTMENT)
    for code, name in (("P001", "测试项目"), ("P002", "第二个项目"), ("P003", "第三个项目")):
        write(folder / "projects" / f"{code}.yaml", project(code, name))
    write(folder / "evaluations" / "P001.yaml", EVALUATION)
    write(folder / "evaluations" / "P002.yaml", EVALUATION_P002)
    write(folder / "monitoring" / "P001.yaml", MONITORING)
    return root


def checked(content: Path) -> Site:
    result = check_content(content)
    assert result.report.errors == [], [d.format() for d in result.report.errors]
    assert result.site is not None
    return result.site


def render(site: Site, *paths: str) -> dict[str, str]:
    renderer = PageRenderer(site, load_theme(DEFAULT_THEMES, "default"))
    jobs = {job.path: job for job in page_jobs(site)}
    return {path: renderer.render(jobs[path]).decode("utf-8") for path in paths}


def text(html: str) -> str:
    """The page's text, tags dropped and whitespace squeezed, as a reader sees it."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def row_of(html: str, name: str) -> str:
    """The table row (<tr>…</tr>) whose 三级指标 is `name`."""
    rows = [row for row in re.findall(r"<tr[ >].*?</tr>", html, re.S) if f">{name}" in row]
    assert len(rows) == 1, (name, len(rows))
    return rows[0]


def with_evaluation(site: Site, code: str, **changes) -> Site:
    """The site with project `code`'s self-evaluation changed (dataclasses.replace on the frozen model)."""
    department = site.departments[0]
    projects = tuple(dataclasses.replace(p, evaluation=dataclasses.replace(p.evaluation, **changes))
                     if p.code == code else p for p in department.projects)
    return dataclasses.replace(site, departments=(dataclasses.replace(department, projects=projects),))


def test_the_project_table_has_the_columns_of_both_stages_and_the_status_words(content):
    page = render(checked(content), PROJECT_PAGE)[PROJECT_PAGE]
    head = text(page[page.index('<table class="stages'):page.index("<tbody>", page.index('<table class="stages'))])
    for column in ("一级指标", "二级指标", "三级指标", "指标值", "监控（1-6月）", "1-6月完成值", "全年预计完成值", "状态",
                   "自评", "实际完成值", "得分/分值", "偏差原因分析及改进措施"):
        assert column in head, column
    missed = text(row_of(page, "活动次数"))
    assert "≥4次" in missed and "1次" in missed and "3次" in missed
    assert "✕ 偏离" in missed and "✕ 未达成" in missed  # the forecast misses; the actual missed
    assert "22.5 / 30" in missed and "天气原因取消1次。" in missed and "改进措施：提前安排活动。" in missed
    assert "表中填报" not in missed  # the stated score is the computed one
    on_track = text(row_of(page, "资金成本"))
    assert "✓ 正常" in on_track and "✓ 达成" in on_track and "20 / 20" in on_track
    assert "△ 有风险" in text(row_of(page, "受益人数"))  # forecast 210 of 200, but only 有可能
    # The sign is never the only cue: the symbol is hidden from screen readers, the word is read.
    assert '<span class="symbol" aria-hidden="true">✕</span>偏离' in page
    legend = text(page[page.index('<dl class="legend">'):page.index("</dl>", page.index('<dl class="legend">'))])
    assert "正常" in legend and "有风险" in legend and "偏离" in legend and "未达成" in legend


def test_the_blocks_above_the_table_show_money_scores_and_monitoring(content):
    page = text(render(checked(content), PROJECT_PAGE)[PROJECT_PAGE])
    evaluation = page[page.index("绩效自评"):page.index("绩效监控（1-6月）")]
    for shown in ("总分 91.5 / 100", "评价等级 优", "执行率 90%", "年初预算数", "全年预算数", "全年执行数",
                  "年度资金总额", "其中：当年财政拨款", "100,000.00", "90,000.00", "预算执行率 10 9", "产出指标 50 42.5",
                  "效益指标 30 30", "满意度指标 10 10", "实际完成情况 开展活动3次，受益220人，满意度85%。",
                  "年度总体目标（预期） 1.开展活动，提高满意度。", "评价结论 基本完成年度目标。"):
        assert shown in evaluation, shown
    assert "✓ 达成 3 项" in evaluation and "✕ 未达成 1 项" in evaluation
    start = page.index("绩效监控（1-6月）")
    monitoring = page[start:page.index("绩效指标", start)]
    for shown in ("1-6月执行率 30%", "时间进度 50%", "✓ 正常 2 项", "△ 有风险 1 项", "✕ 偏离 1 项",
                  "年度预算数 100,000.00 元", "1-6月执行数 30,000.00 元", "全年预计执行数 90,000.00 元",
                  "执行率低于时间进度 20 个百分点", "执行偏差原因 活动集中在下半年。", "偏差原因（其他） 天气原因。",
                  "纠偏措施 下半年加开活动。"):
        assert shown in monitoring, shown


def test_a_stated_score_that_differs_is_an_error_for_check_and_shown_beside_the_computed_one(content):
    evaluation = content / "2022/100001/evaluations/P001.yaml"
    evaluation.write_text(EVALUATION.replace("score: 22.5", "score: 30"), encoding="utf-8")
    refused = check_content(content)
    assert refused.site is None
    line = EVALUATION.splitlines().index("    score: 22.5") + 1
    assert any(d.pos.path == str(evaluation) and d.pos.line == line and "得分 30" in d.message
               for d in refused.report.errors), [d.format() for d in refused.report.errors]
    evaluation.write_text(EVALUATION, encoding="utf-8")

    site = checked(content)
    ev = site.departments[0].projects[0].evaluation
    missed = dataclasses.replace(ev.indicators[0], score=dataclasses.replace(ev.indicators[0].score,
                                                                            stated=Decimal("30")))
    site = with_evaluation(site, "P001", indicators=(missed, *ev.indicators[1:]),
                           total=dataclasses.replace(ev.total, stated=Decimal("99")), grade_stated="良")
    page = render(site, PROJECT_PAGE)[PROJECT_PAGE]
    # The computed score first, the form's beside it: never silently one of them.
    assert '22.5<span class="of"> / 30</span><span class="stated">（表中填报 30）</span>' in row_of(page, "活动次数")
    blocks = text(page[page.index('id="evaluation"'):page.index('id="monitoring"')])
    assert "总分 91.5 / 100 （表中填报 99）" in blocks
    assert "评价等级 优 （表中填报 良）" in blocks
    assert "表中填报" not in text(row_of(page, "资金成本"))


def test_added_and_unreported_rows_are_shown_never_dropped(content):
    site = checked(content)
    ev = site.departments[0].projects[0].evaluation
    added = dataclasses.replace(ev.indicators[1], approved=None, level1="产出指标", level2="数量指标",
                                name="培训人次", added="上级要求新增培训任务。",
                                score=Figure(Decimal("5"), Decimal("5"), ""), weight=Decimal("5"))
    # 资金成本 (index 1) not reported; 培训人次 added among the 产出/数量 rows.
    site = with_evaluation(site, "P001", indicators=(ev.indicators[0], added, *ev.indicators[2:]), missing=(1,))
    page = render(site, PROJECT_PAGE)[PROJECT_PAGE]
    table = page[page.index('<table class="stages'):]
    names = re.findall(r'<th scope="row" class="level3">(?:<span class="card-category">[^<]*</span>)?([^<]+)', table)
    assert [name.strip() for name in names] == ["活动次数", "培训人次", "资金成本", "受益人数", "满意度"]
    assert "新增 新增原因：上级要求新增培训任务。" in text(row_of(page, "培训人次"))
    unreported = text(row_of(page, "资金成本"))
    assert "≤10万元" in unreported and "未填报此指标" in unreported and "✓ 正常" in unreported


def test_example_figures_carry_their_notice_wherever_they_appear(content):
    notice = "示例数据：演示用，非真实数字"
    for name in ("evaluations/P001.yaml", "monitoring/P001.yaml"):
        path = content / "2022/100001" / name
        path.write_text(path.read_text(encoding="utf-8").replace("project: P001\n", f"project: P001\nexample: {notice}\n"),
                        encoding="utf-8")
    pages = render(checked(content), PROJECT_PAGE, "2022/100001/index.html", "indicators.html")
    project_page = pages[PROJECT_PAGE]
    # Above the self-evaluation, the monitoring round and the table.
    assert project_page.count(f'<p class="example-notice" role="note"><span aria-hidden="true">⚠ </span>{notice}</p>') == 3
    assert text(pages["2022/100001/index.html"]).count(notice) == 2  # its 自评 and its 监控 sections
    assert notice in pages["indicators.html"]
    # P002's figures are not examples: only P001's rows are marked so on the all-indicators page.
    rows = re.findall(r'<tr data-department[^>]*>.*?</tr>', pages["indicators.html"], re.S)
    marked = [r for r in rows if '<span class="flag">示例</span>' in r]
    assert len(marked) == 4 and all("P001.html" in r for r in marked)


def test_a_project_without_stages_renders_as_it_did_without_any_stage_in_the_site(content, tmp_path):
    bare = tmp_path / "bare"
    for path in content.rglob("*.yaml"):
        if "evaluations" not in path.parts and "monitoring" not in path.parts:
            write(bare / path.relative_to(content), path.read_text(encoding="utf-8"))
    p003 = "2022/100001/projects/P003.html"
    with_stages = render(checked(content), p003)[p003]
    without = render(checked(bare), p003)[p003]
    assert with_stages == without
    for marker in ("stages", "绩效自评", "监控", "example-notice", "sign-"):
        assert marker not in with_stages
    assert '<table class="indicators cards">' in with_stages


def test_only_the_columns_of_the_stages_the_year_has(content):
    (content / "2022/100001/monitoring/P001.yaml").unlink()
    page = render(checked(content), PROJECT_PAGE)[PROJECT_PAGE]
    assert "实际完成值" in page and "得分/分值" in page
    assert "全年预计完成值" not in page and 'id="monitoring"' not in page
    (content / "2022/100001/evaluations/P001.yaml").unlink()
    (content / "2022/100001/evaluations/P002.yaml").unlink()
    write(content / "2022/100001/monitoring/P001.yaml", MONITORING)
    page = render(checked(content), PROJECT_PAGE)[PROJECT_PAGE]
    assert "全年预计完成值" in page and "实际完成值" not in page and 'id="evaluation"' not in page


def test_the_department_page_ranks_sums_and_summarises_monitoring(content):
    write(content / "2022/100001/evaluation.yaml", DEPARTMENT_EVALUATION)
    page = render(checked(content), "2022/100001/index.html")["2022/100001/index.html"]
    ranked = page[page.index('<table class="ranked'):page.index("</table>", page.index('<table class="ranked'))]
    order = [text(r) for r in re.findall(r"<tr>.*?</tr>", ranked.split("<tbody>")[1], re.S)]
    assert [r.split()[1] for r in order] == ["第二个项目", "测试项目"]  # 99.5 before 91.5
    assert order[0].split()[0] == "1" and order[1].split()[0] == "2"
    assert "95% 99.5 优 0" in order[0] and "90% 91.5 优 1" in order[1]
    summary = text(page[page.index('id="evaluation"'):page.index('id="monitoring"')])
    assert "已自评项目 2 / 3" in summary and "执行率 92.5%" in summary and "优 2 个" in summary
    assert "全年预算数合计 200,000.00 元，全年执行数合计 185,000.00 元" in summary
    assert "预算执行率 20 18.5 92.5%" in summary and "产出指标 100 92.5 92.5%" in summary
    # The department-wide self-evaluation, with its own indicators.
    assert "部门整体支出绩效自评" in summary and "重点工作完成数" in summary and "总分 99.5 / 100" in summary
    monitoring = text(page[page.index('id="monitoring"'):page.index("修订记录") if "修订记录" in page else None])
    assert "测试项目 1-6月 30% 50% 2 1 1" in monitoring


def test_the_all_indicators_page_has_a_status_column_and_filter(content):
    page = render(checked(content), "indicators.html")["indicators.html"]
    assert '<select id="filter-stage">' in page
    for value in ("met", "missed", "on-track", "at-risk", "off-track"):
        assert f'<option value="{value}">' in page
    rows = re.findall(r'<tr data-department="2022-100001" data-status="([^"]*)">(.*?)</tr>', page, re.S)
    statuses = {(re.search(r'<th scope="row">([^<]+)</th>', r).group(1), s) for s, r in rows if "P001.html" in r}
    assert statuses == {("活动次数", "missed off-track"), ("资金成本", "met on-track"),
                        ("受益人数", "met at-risk"), ("满意度", "met on-track")}
    missed = next(r for s, r in rows if s == "missed off-track")
    assert "✕ 未达成 自评" in text(missed) and "✕ 偏离 监控（1-6月）" in text(missed)
    assert all(s == "" for s, r in rows if "P003.html" in r)


def test_a_site_without_stages_has_no_status_column(tmp_path):
    root = tmp_path / "content"
    write(root / "site.yaml", SITE)
    write(root / "2022/100001/department.yaml", DEPARTMENT.replace("  - P002\n  - P003\n", ""))
    write(root / "2022/100001/projects/P001.yaml", project("P001", "测试项目"))
    page = render(checked(root), "indicators.html")["indicators.html"]
    assert "filter-stage" not in page and "data-status" not in page and "执行情况" not in page


def test_editing_a_stage_file_remakes_the_pages_that_show_it(content, tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    assert build_site(content, output, pdfs=False, cache=cache).ok
    assert "22.5 / 30" in text((output / PROJECT_PAGE).read_text(encoding="utf-8"))
    evaluation = content / "2022/100001/evaluations/P001.yaml"
    evaluation.write_text(EVALUATION.replace("actual: 3次", "actual: 2次").replace("score: 22.5", "score: 15")
                          .replace("total: 91.5", "total: 84").replace("grade: 优", "grade: 良"), encoding="utf-8")
    result = build_site(content, output, pdfs=False, cache=cache)
    assert result.ok and PROJECT_PAGE in result.rendered and "2022/100001/index.html" in result.rendered
    assert "15 / 30" in text((output / PROJECT_PAGE).read_text(encoding="utf-8"))
    assert "missed" in (output / "indicators.html").read_text(encoding="utf-8")


def test_the_seed_example_shows_its_missed_target_with_its_score():
    site = checked(CONTENT)
    path = "2022/304001/projects/130229214I5FK2QU161C5.html"
    page = render(site, path)[path]
    row = text(row_of(page, "示范县开展电商培训次数"))
    assert "≥3000人次" in row and "2220人次" in row and "✕ 未达成" in row and "7.4 / 10" in row
    assert "示例数据：为演示监控与自评功能编写" in page


def test_points_and_shown_figures():
    from builder.render.stage_rows import percent, points, shown

    assert [points(Decimal(v)) for v in ("7.40", "10.00", "9.5", "0", "13.875")] == ["7.4", "10", "9.5", "0", "13.88"]
    assert percent(Decimal("58.33")) == "58.33%" and percent(Decimal("95.00")) == "95%"
    assert shown(Figure(Decimal("7.40"), Decimal("10"), "")).stated == "10"
    assert shown(Figure(Decimal("7.40"), Decimal("7.4"), "")).stated is None
    assert shown(Figure(None, Decimal("4"), "")).value == "4"  # nothing to compute it from: the form's


def test_a_not_applicable_row_is_not_scored_and_its_points_shared_out_are_said(content):
    """受益人数 does not apply: its 30 points go to the other rows (× 90 / 60), which the page says."""
    evaluation = EVALUATION.replace("    actual: 220人\n    weight: 30\n    score: 30\n",
                                    "    weight: 30\n    not_applicable: 本年度未开展受益人统计。\n") \
        .replace("score: 22.5", "score: 33.75").replace("    weight: 20\n    score: 20", "    weight: 20\n    score: 30") \
        .replace("    weight: 10\n    score: 10", "    weight: 10\n    score: 15") \
        .replace("total: 91.5", "total: 87.75").replace("grade: 优", "grade: 良")
    write(content / "2022/100001/evaluations/P001.yaml", evaluation)
    pages = render(checked(content), PROJECT_PAGE, "2022/100001/index.html")
    page = pages[PROJECT_PAGE]
    dropped = text(row_of(page, "受益人数"))
    assert "不计分" in dropped and "表中分值 30" in dropped and "不适用：本年度未开展受益人统计。" in dropped
    assert "33.75 / 45 表中分值 30" in text(row_of(page, "活动次数"))
    assert "其分值按评分规则分摊给其余指标" in text(page)
    scores = text(page[page.index('id="evaluation-scores-caption"'):page.index("</table>", page.index(
        'id="evaluation-scores-caption"'))])
    # Each 一级 out of the points its rows are scored out of: 产出 45 + 30, 效益 0, 满意度 15.
    assert "产出指标 75 63.75" in scores and "效益指标 0 0" in scores and "满意度指标 15 15" in scores
    assert "总分 100 87.75" in scores
    shares = text(pages["2022/100001/index.html"])
    assert "产出指标 125 113.75 91%" in shares  # P001's 75 and P002's 50: never above 100%


def test_an_adjusted_target_reads_initial_then_adjusted_with_its_reason(content):
    from builder.content.stage_model import Adjustment
    from builder.content.targets import parse_target

    site = checked(content)
    ev = site.departments[0].projects[0].evaluation
    adjusted = dataclasses.replace(ev.indicators[0], target=parse_target("≥3次"), initial_target=parse_target("≥4次"),
                                   adjustment=Adjustment(None, parse_target("≥3次"), "汛期停办1次，经局党组批准。"))
    page = render(with_evaluation(site, "P001", indicators=(adjusted, *ev.indicators[1:])), PROJECT_PAGE)[PROJECT_PAGE]
    assert "年初 ≥4次 → 调整 ≥3次 调整原因：汛期停办1次，经局党组批准。" in text(row_of(page, "活动次数"))


def test_a_stated_score_within_the_tolerance_passes_check_and_is_still_shown_beside_the_computed_one(content):
    """Forms round; 22.45 for a computed 22.5 is no error, but the page does not pick one silently."""
    evaluation = content / "2022/100001/evaluations/P001.yaml"
    evaluation.write_text(EVALUATION.replace("score: 22.5", "score: 22.45"), encoding="utf-8")
    page = render(checked(content), PROJECT_PAGE)[PROJECT_PAGE]
    assert '22.5<span class="of"> / 30</span><span class="stated">（表中填报 22.45）</span>' in row_of(page, "活动次数")
