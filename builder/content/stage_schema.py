"""The schema of the later stages of a project's year: 监控 (monitoring) and 自评 (self-evaluation).

Each stage is a file of its own beside the targets, which stay as approved: <department>/monitoring/
<code>.yaml, <department>/evaluations/<code>.yaml and the department-wide <department>/evaluation.yaml
(../shared/CYCLE.md describes the forms). Read with schema.py's records: one definition behind check,
the JSON Schemas and docs/content.md.
"""

from __future__ import annotations

from builder.base.limits import MAX_INDICATORS
from builder.base.messages import msg
from builder.content.codes import ID_PATTERN, Code
from builder.content.fields import Field, ListOf, Record
from builder.content.scalars import ActualText, Boolean, Choice, Money, Percent, Points, TargetText, Text

# The later stages of a project's year: 监控 (monitoring, mid-year) and 自评 (self-evaluation, after the
# year), each a file of its own beside the targets, which stay as approved. Every indicator row names
# the approved row it reports on by its 三级指标 (with 二级 where the name repeats); a changed name or
# value is an `adjustment` with its reason, a row the targets do not have is `added` with its reason.

EXAMPLE = Field("example", Text(), "示例说明",
                "set when the figures are an example, not real ones; shown on every page that shows them, "
                "e.g. 示例数据：演示用，非真实数字", required=False)

_ADJUSTMENT = Record("adjustment", "调整 (adjustment)", [
    Field("name", Text(), "调整后三级指标", "the indicator's new name, when it was renamed", required=False),
    Field("target", TargetText(), "调整后指标值", "the adjusted target (调整指标值), e.g. ≥2500人次", required=False),
    Field("reason", Text(), "调整原因", "why it was changed, and by whose approval"),
])


def _row_fields(*values: Field) -> list[Field]:
    """The columns every stage's indicator row shares, then the stage's own."""
    return [
        Field("level1", Text(), "一级指标", "as the form writes it, weight included, e.g. 产出指标（50分）; "
              "needed only for an added row", required=False),
        Field("level2", Text(), "二级指标", "e.g. 数量指标; needed for an added row, or when the 三级 name repeats",
              required=False),
        Field("name", Text(), "三级指标", "the approved indicator's name, exactly as in the targets file"),
        Field("target", TargetText(), "年度指标值", "as this form repeats it; it must be the approved (or adjusted) "
              "value", required=False),
        Field("adjustment", _ADJUSTMENT, "指标调整", "a recorded change of name or target value", required=False),
        Field("added", Text(), "新增原因", "for a row the approved targets do not have: why it was added",
              required=False),
        *values,
    ]


_FUNDING_ROW = Record("funding row", "资金 row", [
    Field("initial", Money(), "年初预算数", "the budget approved at the start of the year", required=False),
    Field("adjusted", Money(), "全年预算数", "the budget after the year's adjustments (调整后预算数)", required=False),
    Field("executed", Money(), "全年执行数", "what was spent in the year (预算执行数)", required=False),
])

_EVALUATION_MONEY = Record("evaluation money", "项目资金 (money)", [
    Field("total", _FUNDING_ROW, "年度资金总额", "the total row"),
    Field("current", _FUNDING_ROW, "其中：当年财政拨款", "this year's appropriation", required=False),
    Field("carried_over", _FUNDING_ROW, "上年结转资金", "funds carried over from last year", required=False),
    Field("other", _FUNDING_ROW, "其他资金", "other funds", required=False),
    Field("weight", Points(), "分值", "the points for budget execution as the form states them, e.g. 10",
          required=False),
    Field("rate", Percent(), "执行率", "as the form states it, e.g. 95.2%", required=False),
    Field("score", Points(), "得分", "the budget execution score as the form states it", required=False),
    Field("adjustment_reason", Text(), "预算调整原因", "why 全年预算数 differs from 年初预算数", required=False),
    Field("deviation", Text(), "执行偏差原因", "why the execution rate is low (below 90 %)", required=False),
])

_EVALUATED = Record("evaluated indicator", "自评 indicator", _row_fields(
    Field("actual", ActualText(), "实际完成值", "verbatim, e.g. 3260人次, 91.2%, 已完成", required=False),
    Field("weight", Points(), "分值", "the indicator's weight (权重), e.g. 15"),
    Field("score", Points(), "得分", "the score as the form states it", required=False),
    Field("band", Text(), "完成档次", "for a qualitative indicator, the tier the form states, e.g. 达成年度指标",
          required=False),
    Field("deviation", Text(), "偏差原因分析", "why the target was missed or exceeded", required=False),
    Field("improvement", Text(), "改进措施", "what will be done about it", required=False),
    Field("not_applicable", Text(), "不适用原因", "for an indicator that does not apply this year: why; it is "
          "dropped and the others rescaled as the scoring profile says", required=False),
))

_GOAL = Record("goal", "年度总体目标 (goal)", [
    Field("expected", Text(), "预期目标", "as the form repeats it; default the approved goals", required=False),
    Field("actual", Text(), "实际完成情况", "what was achieved"),
])

_CONCLUSION = [
    Field("total", Points(), "总分", "the total the form states", required=False),
    Field("grade", Text(), "评价等级", "the grade the form states, e.g. 优", required=False),
    Field("conclusion", Text(), "评价结论", "the form's conclusion", required=False),
    Field("problems", Text(), "存在问题", "problems found", required=False),
    Field("measures", Text(), "改进措施", "measures for next year", required=False),
]

EVALUATION = Record("evaluation", "项目支出绩效自评 (self-evaluation)", [
    Field("project", Code, "项目编码", "the project evaluated; the file is evaluations/<project>.yaml"),
    EXAMPLE,
    Field("scoring", Text(pattern=ID_PATTERN), "自评评分规则", "overrides the department's scoring profile",
          required=False),
    Field("money", _EVALUATION_MONEY, "项目资金", "年初预算数, 全年预算数 and 全年执行数 per funding row"),
    Field("goal", _GOAL, "年度总体目标", "预期目标 vs 实际完成情况"),
    Field("indicators", ListOf(_EVALUATED, min_items=1, max_items=MAX_INDICATORS), "绩效指标",
          "one row per approved indicator, in the targets' order"),
    *_CONCLUSION,
])

_MONITORED = Record("monitored indicator", "监控 indicator", _row_fields(
    Field("progress", ActualText(), "1–N月实际完成值", "what was achieved by the cut-off, verbatim", required=False),
    Field("forecast", ActualText(), "全年预计完成值", "what the year is expected to achieve, verbatim",
          required=False),
    Field("reason_category", Choice(("经费", "制度", "人员", "硬件", "其他")), "偏差原因类别",
          "经费, 制度, 人员, 硬件 or 其他", required=False),
    Field("reason", Text(), "偏差原因分析", "why the indicator is behind", required=False),
    Field("action", Text(), "纠偏措施", "what is done to bring it back", required=False),
    Field("likelihood", Choice(("确定能", "有可能", "完全不可能")), "完成目标可能性",
          "确定能, 有可能 or 完全不可能", required=False),
))

MONITORING = Record("monitoring", "绩效目标执行监控 (monitoring)", [
    Field("project", Code, "项目编码", "the project monitored; the file is monitoring/<project>.yaml"),
    EXAMPLE,
    Field("period", Text(pattern=r"(?:1\s*[-－—~～至到]\s*)?(?:[1-9]|1[0-2])\s*月(?:底|末)?",
                         pattern_hint=msg("stage_schema.period_hint")), "监控期间",
          "the months the figures cover, e.g. 1-7月"),
    Field("money", Record("monitoring money", "资金 (money)", [
        Field("budget", Money(), "年度预算数", "the year's budget (adjusted)"),
        Field("executed", Money(), "1–N月执行数", "spent by the cut-off"),
        Field("rate", Percent(), "执行率", "as the form states it", required=False),
        Field("forecast", Money(), "全年预计执行数", "expected spending for the year", required=False),
        Field("reason", Text(), "执行偏差原因", "why spending is behind the time elapsed", required=False),
    ]), "资金", "budget, executed to date and forecast"),
    Field("indicators", ListOf(_MONITORED, min_items=1, max_items=MAX_INDICATORS), "绩效指标",
          "one row per approved indicator, in the targets' order"),
])

_DEPARTMENT_EVALUATED = Record("department indicator", "部门整体自评 indicator", [
    Field("level1", Text(), "一级指标", "e.g. 产出指标（50分）; departments' forms may have none", required=False),
    Field("level2", Text(), "二级指标", "e.g. 数量指标", required=False),
    Field("name", Text(), "三级指标", "the indicator, verbatim"),
    Field("unit", Text(), "计量单位", "as the form gives it, e.g. 次", required=False),
    Field("nature", Choice(("定量", "定性")), "指标性质", "定量 or 定性", required=False),
    Field("core", Boolean(), "是否核心指标", "true for a core indicator", required=False),
    Field("target", TargetText(), "年初指标值", "the target set at the start of the year"),
    Field("adjustment", _ADJUSTMENT, "指标调整", "the adjusted target (调整指标值) with its reason", required=False),
    Field("actual", ActualText(), "实际完成值", "verbatim", required=False),
    Field("weight", Points(), "分值", "the indicator's weight"),
    Field("coefficient", Percent(), "得分系数", "the share of the weight earned, as the form states it",
          required=False),
    Field("score", Points(), "得分", "as the form states it", required=False),
    Field("band", Text(), "完成档次", "for a qualitative indicator, the tier the form states", required=False),
    Field("deviation", Text(), "偏差原因分析", "why it was missed", required=False),
    Field("improvement", Text(), "改进措施", "what will be done", required=False),
    Field("not_applicable", Text(), "不适用原因", "why it does not apply", required=False),
])

DEPARTMENT_EVALUATION = Record("department evaluation", "部门整体支出绩效自评 (department self-evaluation)", [
    EXAMPLE,
    Field("scoring", Text(pattern=ID_PATTERN), "自评评分规则", "overrides the department's scoring profile",
          required=False),
    Field("money", _EVALUATION_MONEY, "部门预算资金", "the department's budget rows"),
    Field("goal", _GOAL, "年度总体目标", "预期目标 vs 实际完成情况"),
    Field("indicators", ListOf(_DEPARTMENT_EVALUATED, min_items=1, max_items=MAX_INDICATORS), "绩效指标",
          "the department-wide indicators"),
    *_CONCLUSION,
])
