"""The reviewer's checks of monitoring rounds and self-evaluations (../shared/CYCLE.md), one case each.

Each case edits a copy of the seed's example stage files (or its targets) and expects one
diagnostic at an exact file:line:col. The place is a caret in a text of the edited file:
`rate: ^96%` is where 96% starts, at the first `rate: 96%`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CONTENT

from builder.base.diagnostics import Severity
from builder.content.scoring import builtin_profiles
from builder.pipeline import check_content

CODE = "130229214I5FK2QU161C5"
FOLDER = "2022/304001"
FILES = {"E": f"{FOLDER}/evaluations/{CODE}.yaml", "M": f"{FOLDER}/monitoring/{CODE}.yaml",
         "P": f"{FOLDER}/projects/{CODE}.yaml", "D": f"{FOLDER}/evaluation.yaml"}
TRAINING = "  - name: 示范县开展电商培训次数\n"
EVAL_TOTAL = "  total: {initial: 10000000.00, adjusted: 10000000.00, executed: 9500000.00}\n"
EVAL_CURRENT = "  carried_over: {initial: 10000000.00, adjusted: 10000000.00, executed: 9500000.00}\n"
PROJECT_SOURCE = f"{FOLDER}/projects/{CODE}.yaml"
MONITORING_SOURCE = f"{FOLDER}/monitoring/{CODE}.yaml"
GOAL_ACTUAL = next(line for line in (CONTENT / FILES["E"]).read_text(encoding="utf-8").splitlines(keepends=True)
                   if line.startswith("  actual: "))

# name: (edits [(file, old, new)], (file, text with ^ at the place), "error"/"warning: message"[, hint part])
CASES: dict[str, tuple] = {
    # -- a self-evaluation's money
    "rate differs": ([("E", "rate: 95%", "rate: 96%")], ("E", "rate: ^96%"),
                     "error: 执行率 96% ≠ 95% = 9500000 / 10000000 × 100%", "correct 执行率 to 95%"),
    "rate from the initial budget": (
        [("E", EVAL_TOTAL, EVAL_TOTAL.replace("initial: 10000000.00", "initial: 12000000.00")),
         ("E", "rate: 95%", "rate: 79.17%")], ("E", "rate: ^79.17%"),
        "error: 执行率 79.17% is 全年执行数 / 年初预算数 (9500000 / 12000000), computed from 年初预算数 instead of "
        "全年预算数: 95% = 9500000 / 10000000 × 100%"),
    "budget score": ([("E", "  score: 9.5", "  score: 10")], ("E", "  score: ^10"),
                     "error: 预算执行得分 10 ≠ 9.5 = 10 × min(95%, 100%)"),
    "budget weight of another profile": (
        [("E", "  weight: 10\n  rate", "  weight: 20\n  rate")], ("E", "  weight: ^20"),
        "error: 预算执行分值 20 ≠ 10, the budget's weight in scoring profile `default`", "`scoring: hubei`"),
    "funding rows do not add up": (
        [("E", EVAL_CURRENT, EVAL_CURRENT.replace("executed: 9500000.00", "executed: 9000000.00"))],
        ("E", "executed: ^9500000.00}"),
        "error: 年度资金总额 全年执行数 9,500,000.00 元 ≠ 上年结转资金 9,000,000.00 元 = 9,000,000.00 元"),
    "rate above 100": (
        [("E", EVAL_TOTAL, EVAL_TOTAL.replace("9500000.00", "10500000.00")),
         ("E", EVAL_CURRENT, EVAL_CURRENT.replace("9500000.00", "10500000.00"))], ("E", "executed: ^10500000.00}"),
        "warning: 执行率 105% is above 100%: 全年执行数 10,500,000.00 元 exceeds 全年预算数 10,000,000.00 元"),
    "low rate without a reason": (
        [("E", EVAL_TOTAL, EVAL_TOTAL.replace("9500000.00", "8000000.00")),
         ("E", EVAL_CURRENT, EVAL_CURRENT.replace("9500000.00", "8000000.00")),
         ("E", "rate: 95%\n  score: 9.5", "rate: 80%\n  score: 8")], ("E", "rate: ^80%"),
        "error: 执行率 80% is below 90% and 执行偏差原因 is empty"),
    "budget changed without a reason": (
        [("E", EVAL_TOTAL, EVAL_TOTAL.replace("adjusted: 10000000.00", "adjusted: 12000000.00")),
         ("E", EVAL_CURRENT, EVAL_CURRENT.replace("adjusted: 10000000.00", "adjusted: 12000000.00")),
         ("E", "rate: 95%\n  score: 9.5", "rate: 79.17%\n  score: 7.92\n  deviation: 下半年追加资金未及拨付。")],
        ("E", "  total: {initial: 10000000.00, adjusted: ^12000000.00"),
        "warning: 全年预算数 12,000,000.00 元 differs from 年初预算数 10,000,000.00 元 and no adjustment reason is given"),
    # -- a self-evaluation's indicators
    "score differs from the formula": ([("E", "score: 7.4", "score: 8")], ("E", "score: ^8"),
                                       "error: 得分 8 ≠ 7.4 = 2220 / 3000 × 10"),
    "missed target scored full marks": (
        [("E", "score: 7.4", "score: 10")], ("E", "2220人次\n    weight: 10\n    score: ^10"),
        "error: 得分 10 is full marks for a missed target: 实际完成值 2220人次 does not reach 年度指标值 ≥3000人次",
        "7.4 = 2220 / 3000 × 10"),
    "missed target without a reason": (
        [("E", "    deviation: 受疫情影响，原定线下集中培训有3场取消，部分课程改为线上直播，参训人次未达目标。\n", "")],
        ("E", "actual: ^2220人次"), "error: 实际完成值 2220人次 misses 年度指标值 ≥3000人次 and 偏差原因分析 is empty"),
    "score above its weight": ([("E", "    score: 10\n", "    score: 12\n")], ("E", "    score: ^12"),
                               "error: 得分 12 is above its 分值 10"),
    "score below 0": ([("E", "    score: 10\n", "    score: -1\n")], ("E", "    score: ^-1"),
                      "error: `score` '-1' is negative"),
    "qualitative score outside its band": (
        [("E", "    weight: 4\n    score: 4\n  - name: 资金成本", "    weight: 4\n    score: 3\n  - name: 资金成本")],
        ("E", "    weight: 4\n    score: ^3"), "error: 得分 3 is outside the tier 达成年度指标: [3.2, 4] of 分值 4"),
    "unknown band wording": (
        [("E", "band: 达成年度指标", "band: 基本完成了")], ("E", "band: ^基本完成了"),
        "error: 完成档次 `基本完成了` is not a tier of scoring profile `default`", "did you mean `基本达成`?"),
    "over-achievement without a reason": ([("E", "    deviation: 超额完成：县农业农村局同步推进区域公用品牌建设，多完成1个企业标准。\n",
                                            "")], ("E", "    actual: ^2个"),
                                          "warning: 实际完成值 2个 is 2 × 年度指标值 ≥1个 and 偏差原因分析 does not "
                                          "explain it"),
    "level1 weights against the profile": (
        [("E", "  - level1: 产出指标（50分）", "  - level1: 产出指标"),
         ("E", "    weight: 10\n    score: 10\n", "    weight: 5\n    score: 5\n")], ("E", "  - level1: ^产出指标"),
        "error: the 分值 of the 产出指标 rows add up to 45; scoring profile `default` gives 产出指标 50"),
    "level1 label weight": ([("E", "产出指标（50分）", "产出指标（40分）")], ("E", "level1: ^产出指标（40分）"),
                            "error: 一级指标 `产出指标（40分）` states 40 points; the 分值 of its rows add up to 50"),
    "level2 label weight": ([("E", "level2: 数量指标", "level2: 数量指标（20分）")], ("E", "level2: ^数量指标（20分）"),
                            "error: 二级指标 `数量指标（20分）` states 20 points; the 分值 of its rows add up to 35"),
    "weights total": ([("E", "    weight: 4\n    score: 4\n  - name: 满意率", "    weight: 5\n    score: 5\n  - name: 满意率")],
                      ("E", "indicators:\n  ^-"),
                      "error: the indicators' 分值 add up to 91, not 90: scoring profile `default` gives the indicators "
                      "90 beside the budget's 10"),
    "total differs": ([("E", "total: 96.9", "total: 95")], ("E", "total: ^95"), "error: 总分 95 ≠ 96.9 = 9.5 + 87.4"),
    "grade contradicts the total": ([("E", "grade: 优", "grade: 良")], ("E", "grade: ^良"),
                                    "error: 评价等级 良 contradicts 总分 96.9: scoring profile `default` grades it 优"),
    "unknown grade": ([("E", "grade: 优", "grade: 好")], ("E", "grade: ^好"),
                      "error: 评价等级 `好` is not a grade of scoring profile `default`"),
    "row names no approved indicator": (
        [("E", "  - name: 资金成本\n", "  - name: 资金成本控制\n")], ("E", "  - name: ^资金成本控制"),
        "error: 三级指标 `资金成本控制` is not one of the approved indicators of project 130229214I5FK2QU161C5",
        "did you mean `资金成本`?"),
    "approved row missing": (
        [("E", "  - name: 资金成本\n    actual: 950万元\n    weight: 3\n    score: 3\n", "")], ("E", "indicators:\n  ^-"),
        f"error: approved indicator `资金成本` ({PROJECT_SOURCE}:58) has no row in this 自评"),
    "row reported twice": (
        [("E", "  - name: 资金成本\n    actual: 950万元\n    weight: 3\n    score: 3\n",
          "  - name: 资金成本\n    actual: 950万元\n    weight: 3\n    score: 3\n" * 2)],
        ("E", "    score: 3\n  - name: ^资金成本"),
        "error: `资金成本` has a row already (line 48): an approved indicator is reported once"),
    "placeholder row": ([("E", "  - name: 资金成本\n", "  - name: 指标2\n")], ("E", "  - name: ^指标2"),
                        "error: `指标2` is a placeholder row of the form template, not one of the approved indicators "
                        "of project 130229214I5FK2QU161C5"),
    "target changed without an adjustment": (
        [("E", TRAINING, TRAINING + "    target: ≥3500人次\n")], ("E", "target: ^≥3500人次"),
        "error: 年度指标值 ≥3500人次 differs from the approved ≥3000人次: a changed 年度指标值 without a recorded "
        "adjustment"),
    "target neither approved nor adjusted": (
        [("E", TRAINING, TRAINING + "    target: ≥3500人次\n    adjustment: {target: ≥2500人次, reason: 疫情调整}\n")],
        ("E", "target: ^≥3500人次"),
        "error: 年度指标值 ≥3500人次 is neither the approved ≥3000人次 nor the adjusted ≥2500人次"),
    "adjustment that changes nothing": (
        [("E", TRAINING, TRAINING + "    adjustment: {target: ≥3000人次, reason: 复核}\n")],
        ("E", "    adjustment: ^{"),
        "error: this adjustment changes nothing: `示范县开展电商培训次数` keeps its name and its 年度指标值 ≥3000人次"),
    "actual in another unit": ([("E", "actual: 2220人次", "actual: 2220人")], ("E", "actual: ^2220人"),
                               "warning: 实际完成值 2220人 is in 人, the target ≥3000人次 in 人次: they are not compared"),
    "non-numeric actual": ([("E", "actual: 2220人次", "actual: 部分完成")], ("E", "actual: ^部分完成"),
                           "warning: 实际完成值 `部分完成` is not a number; the target ≥3000人次 is"),
    "excel date serial": (
        [("P", "target: 按时完成工作，完善农村电子商务公共服务体系", "target: 2022年12月底前"),
         ("E", "    actual: 按时完成，县乡村三级电子商务公共服务体系建成运行\n    band: 达成年度指标\n", "    actual: 44910\n")],
        ("E", "actual: ^44910"),
        "warning: 实际完成值 44910 looks like an Excel date serial: 2022-12-15", "2022年12月15日"),
    "empty row": ([("E", "    actual: 56个\n    weight: 5\n    score: 5\n", "    weight: 5\n")],
                  ("E", "  - name: ^新增农村网商（店）"),
                  "warning: the row `新增农村网商（店）` is empty: no 实际完成值, no 得分"),
    "goal actual copies the expected goal": (
        [("E", GOAL_ACTUAL, "  expected: 完善农村电子商务公共服务体系。\n  actual: 完善 农村电子商务公共服务体系。\n")],
        ("E", "  actual: ^完善"), "warning: 实际完成情况 repeats 预期目标 word for word"),
    "goal actual says nothing": (
        [("E", GOAL_ACTUAL, "  actual: 无\n")], ("E", "  actual: ^无"),
        "warning: 实际完成情况 `无` says nothing"),
    "every score full with a deviation": (
        [("E", "actual: 2220人次\n    weight: 10\n    score: 7.4", "actual: 3100人次\n    weight: 10\n    score: 10"),
         ("E", "total: 96.9", "total: 99.5")], ("E", "    deviation: ^受疫情"),
        "warning: every indicator is scored full marks, yet 偏差原因分析 explains a deviation here"),
    "department label over flat rows": (
        [("D", "    weight: 20\n    score: 20\n  - level1: 效益指标", "    weight: 10\n    score: 10\n  - level1: 效益指标")],
        ("D", "  - level1: ^产出指标（40分）"),
        "error: 一级指标 `产出指标（40分）` states 40 points; the 分值 of its rows add up to 30"),
    # -- a monitoring round
    "monitoring rate differs": ([("M", "rate: 42%", "rate: 40%")], ("M", "rate: ^40%"),
                                "error: 执行率 40% ≠ 42% = 4200000 / 10000000 × 100%"),
    "spending far behind the time elapsed": (
        [("M", "executed: 4200000.00\n  rate: 42%", "executed: 2000000.00\n  rate: 20%"),
         ("M", "  reason: 物流配送中心改造工程按进度分期拨付，下半年集中支付。\n", "")], ("M", "rate: ^20%"),
        "warning: 执行率 20% by 1-7月 is far behind the time elapsed (58.33% of the year) and 执行偏差原因 is empty",
        "below 0.5 × the time elapsed, 29.17%"),
    "spending behind the plan": (
        [("M", "  reason: 物流配送中心改造工程按进度分期拨付，下半年集中支付。\n", "")], ("M", "rate: ^42%"),
        "warning: 执行率 42% by 1-7月 is behind the spending plan's 50% by 6月底 and 执行偏差原因 is empty"),
    "forecast above the budget": ([("M", "forecast: 9600000.00", "forecast: 11000000.00")], ("M", "  forecast: ^1"),
                                  "error: 全年预计执行数 11,000,000.00 元 is above 年度预算数 10,000,000.00 元"),
    "forecast below the spending so far": (
        [("M", "forecast: 9600000.00", "forecast: 4000000.00")], ("M", "  forecast: ^4"),
        "error: 全年预计执行数 4,000,000.00 元 is below the 4,200,000.00 元 already spent by 1-7月"),
    "spent above the budget": (
        [("M", "executed: 4200000.00\n  rate: 42%", "executed: 10200000.00\n  rate: 102%"),
         ("M", "forecast: 9600000.00", "forecast: 10200000.00")], ("M", "  executed: ^1"),
        "warning: 1-7月执行数 10,200,000.00 元 is already above 年度预算数 10,000,000.00 元"),
    "indicator without progress": ([("M", "    progress: 41%\n", "")], ("M", "  - name: ^示范县"),
                                   "error: `示范县农村电商服务在行政村服务覆盖率` has no 1–7月实际完成值 (`progress`)"),
    "forecast misses without a reason": ([("M", "    reason: 受疫情影响，线下集中培训暂停。\n", "")],
                                         ("M", "forecast: ^2400人次"),
                                         "error: 全年预计完成值 2400人次 misses 年度指标值 ≥3000人次 and 偏差原因分析 is empty"),
    "likelihood without a reason": ([("M", "    forecast: 60%\n    likelihood: 确定能", "    forecast: 60%\n    likelihood: 有可能")],
                                    ("M", "likelihood: ^有可能"),
                                    "error: 完成目标可能性 有可能 and 偏差原因分析 is empty"),
    "impossible without an action": (
        [("M", "    action: 增加线上直播培训场次，疫情缓解后集中补训。\n    likelihood: 有可能", "    likelihood: 完全不可能")],
        ("M", "likelihood: ^完全不可能"), "error: 完成目标可能性 完全不可能 and 纠偏措施 is empty"),
    "certain yet the forecast misses": (
        [("M", "    forecast: 60%\n    likelihood: 确定能", "    forecast: 45%\n    reason: 进度滞后。\n    likelihood: 确定能")],
        ("M", "45%\n    reason: 进度滞后。\n    likelihood: ^确定能"),
        "warning: 完成目标可能性 确定能 contradicts 全年预计完成值 45%, which misses 年度指标值 ≥50百分比"),
    "monitoring progress in another unit": (
        [("M", "progress: 900人次", "progress: 900人")], ("M", "progress: ^900人"),
        "warning: 1–7月实际完成值 900人 is in 人, the target ≥3000人次 in 人次: they are not compared"),
    "monitoring forecast not a number": (
        [("M", "forecast: 2400人次", "forecast: 基本完成")], ("M", "forecast: ^基本完成"),
        "warning: 全年预计完成值 `基本完成` is not a number; the target ≥3000人次 is"),
    "monitoring row missing": (
        [("M", "  - name: 资金成本\n    progress: 420万元\n    forecast: 960万元\n    likelihood: 确定能\n", "")],
        ("M", "indicators:\n  ^-"), f"error: approved indicator `资金成本` ({PROJECT_SOURCE}:58) has no row in this 监控"),
    # -- across stages
    "monitoring budget in another unit": (
        [("M", "budget: 10000000.00\n  executed: 4200000.00\n  rate: 42%\n  forecast: 9600000.00",
          "budget: 1000.00\n  executed: 420.00\n  rate: 42%\n  forecast: 960.00")], ("M", "  budget: ^1000.00"),
        "warning: 年度预算数 1,000.00 元 is about 1/10000 of the approved 预算数 10,000,000.00 元: written in another "
        "money unit than 元?"),
    "evaluation budget in another unit": (
        [("E", EVAL_TOTAL, EVAL_TOTAL.replace("initial: 10000000.00", "initial: 1000.00"))], ("E", "  total: {initial: ^1000.00"),
        "warning: 年初预算数 1,000.00 元 is about 1/10000 of the approved 预算数 10,000,000.00 元: written in another "
        "money unit than 元?"),
    "evaluation budget differs from the targets": (
        [("E", EVAL_TOTAL, EVAL_TOTAL.replace("initial: 10000000.00", "initial: 12000000.00")),
         ("E", "  weight: 10", "  adjustment_reason: 年中调减。\n  weight: 10")], ("E", "  total: {initial: ^12000000.00"),
        f"warning: 年初预算数 12,000,000.00 元 differs from the approved 预算数 10,000,000.00 元 of the targets "
        f"({PROJECT_SOURCE})"),
    "monitoring budget differs from the evaluation's": (
        [("M", "budget: 10000000.00\n  executed: 4200000.00\n  rate: 42%\n  forecast: 9600000.00",
          "budget: 9000000.00\n  executed: 4200000.00\n  rate: 46.67%\n  forecast: 8600000.00")], ("M", "  budget: ^9"),
        "warning: 年度预算数 9,000,000.00 元 differs from the self-evaluation's 全年预算数 10,000,000.00 元, and neither "
        "records an adjustment"),
    "year's spending below the monitoring round's": (
        [("M", "executed: 4200000.00\n  rate: 42%\n  forecast: 9600000.00", "executed: 9800000.00\n  rate: 98%\n"
          "  forecast: 9900000.00")], ("E", "executed: ^9500000.00}"),
        "warning: 全年执行数 9,500,000.00 元 is less than the 9,800,000.00 元 the monitoring round reports spent by 1-7月"),
    "renamed in monitoring, not in the evaluation": (
        [("M", TRAINING, TRAINING + "    adjustment: {name: 电商培训人次, reason: 按批复调整}\n")],
        ("E", "  - name: ^示范县开展电商培训次数"),
        "error: `示范县开展电商培训次数` was renamed `电商培训人次` in the monitoring round "
        f"({MONITORING_SOURCE}:17); this self-evaluation records no such adjustment: an indicator renamed between "
        "stages without a recorded adjustment"),
    "evaluation names the monitoring round's new name": (
        [("M", TRAINING, TRAINING + "    adjustment: {name: 电商培训人次, reason: 按批复调整}\n"),
         ("E", TRAINING, "  - name: 电商培训人次\n")], ("E", "  - name: ^电商培训人次"),
        "error: 三级指标 `电商培训人次` is `示范县开展电商培训次数` renamed in the monitoring round: an indicator renamed "
        "between stages without a recorded adjustment"),
    "target adjusted in monitoring, not in the evaluation": (
        [("M", TRAINING, TRAINING + "    adjustment: {target: ≥2500人次, reason: 疫情调整}\n")],
        ("E", "  - name: ^示范县开展电商培训次数"),
        "warning: the monitoring round adjusted the 年度指标值 of `示范县开展电商培训次数` to ≥2500人次 "
        f"({MONITORING_SOURCE}:17); this self-evaluation measures it against the approved ≥3000人次"),
}

DEPARTMENT_EVALUATION = """\
money:
  total: {initial: 20150000.00, adjusted: 20150000.00, executed: 19500000.00}
goal:
  actual: 完成年度工作。
indicators:
  - name: 指标2
    target: ≥10次
    actual: 12次
    weight: 90
    score: 90
"""

DEPARTMENT_CASES = {
    "department placeholder row": ("", ("D", "  - name: ^指标2"),
                                   "warning: `指标2` is a placeholder row of the form template"),
    "department weights total": ("weight: 80\n    score: 80", ("D", "indicators:\n  ^-"),
                                 "error: the indicators' 分值 add up to 80, not 90: scoring profile `default` gives the "
                                 "indicators 90 beside the budget's 10"),
}


def edit(content: Path, edits: list[tuple[str, str, str]]) -> None:
    for kind, old, new in edits:
        path = content / FILES[kind]
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= 1, (kind, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def place(content: Path, kind: str, marked: str) -> str:
    """file:line:col of the caret in `marked`, a text found in the file once the caret is taken out."""
    text = (content / FILES[kind]).read_text(encoding="utf-8")
    offset = text.index(marked.replace("^", "", 1)) + marked.index("^")
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"content/{FILES[kind]}:{line}:{col}"


def diagnostics(root: Path) -> list[str]:
    report = check_content(root / "content").report
    return [d.format(cwd=str(root)) for d in report.sorted()]


@pytest.fixture
def copy(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path


@pytest.mark.parametrize("name", list(CASES))
def test_each_check_names_its_place_and_the_computed_value(name, copy):
    edits, (kind, marked), message, *hint = CASES[name]
    edit(copy / "content", edits)
    expected = f"{place(copy / 'content', kind, marked)}: {message}"
    found = diagnostics(copy)
    matching = [d for d in found if d.split("\n")[0] == expected]
    assert matching, (expected, found)
    if hint:
        assert hint[0] in matching[0].split("\n  hint: ")[1], matching[0]


@pytest.mark.parametrize("name", list(DEPARTMENT_CASES))
def test_a_departments_own_evaluation_is_checked_without_targets(name, copy):
    change, (kind, marked), message = DEPARTMENT_CASES[name]
    text = DEPARTMENT_EVALUATION.replace("weight: 90\n    score: 90", change) if change else DEPARTMENT_EVALUATION
    (copy / "content" / FILES["D"]).write_text(text, encoding="utf-8")
    expected = f"{place(copy / 'content', kind, marked)}: {message}"
    found = diagnostics(copy)
    assert any(d.split("\n")[0] == expected for d in found), (expected, found)


def test_the_shipped_content_checks_without_errors(copy):
    report = check_content(copy / "content").report
    assert not report.errors, [d.format() for d in report.errors]
    stage = [d for d in report.items if "/evaluations/" in d.pos.path or "/monitoring/" in d.pos.path]
    assert all(d.severity is Severity.WARNING for d in stage), stage


def test_units_that_read_the_same_are_not_warned_about(copy):
    """`≥50百分比` vs `62%` is one unit; `≤1000万元` vs `9500000元` converts exactly."""
    edit(copy / "content", [("E", "actual: 950万元", "actual: 9500000元")])
    found = diagnostics(copy)
    assert not [d for d in found if "are not compared" in d or "is not a number" in d], found


def test_the_thresholds_are_settings_of_the_scoring_profile():
    for profile in builtin_profiles().values():
        assert profile.explain_below == 90 and profile.behind == 0.5, profile.id
