"""The tables of the open data: their columns, Chinese titles and types (data.py writes them).

Six tables, the same at each level: 项目 (projects), 资金来源 (funding), 资金支出计划
(spending_plan), 绩效目标 (goals), 绩效指标 (indicators) and 收入支出构成 (compositions). Every
column a form may have is always there, empty where a source has none (the header cells of the
申报表, the optional columns of an indicator table, the later stages 监控 and 自评, which
stage_data.py fills), so that a script written for one department's or one year's files reads
every other's. The department-wide target (部门整体支出绩效目标表) has its goals and indicators in
the goals and indicators tables, marked 部门整体 in `target_of` and without a project code, and its
收入构成 and 支出构成 in compositions. docs/data.md lists every column; a test holds the two together.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # Chinese, for people and for the data package
    type: str  # Frictionless field type: string, integer, number
    money: bool = False
    description: str | None = None  # for the data package, where the title alone does not say it


_COMPUTED = "由本站按评分规则从填报数据计算；与填报值不同时两者都列出"
_STATED = "自评表（或监控表）上填报的数值，原样列出"

MONITORING_PROJECT = (
    Column("monitoring_period", "监控期间", "string", description="监控数据截至的月份，如 1-7月；空：尚无监控"),
    Column("monitoring_budget", "监控年度预算数", "number", money=True),
    Column("monitoring_executed", "1–N月执行数", "number", money=True),
    Column("monitoring_rate", "监控执行率（%）", "number", description=_COMPUTED),
    Column("monitoring_rate_stated", "监控填报执行率（%）", "number", description=_STATED),
    Column("monitoring_forecast", "全年预计执行数", "number", money=True),
    Column("monitoring_reason", "监控执行偏差原因", "string"),
    Column("monitoring_example", "监控示例说明", "string",
           description="非空时，监控数字为演示用的示例，并非真实数字"),
)

EVALUATION_PROJECT = (
    Column("evaluation_profile", "自评评分规则", "string", description="计算得分所用的评分规则编号，如 default"),
    Column("evaluation_initial", "年初预算数", "number", money=True),
    Column("evaluation_adjusted", "全年预算数", "number", money=True),
    Column("evaluation_executed", "全年执行数", "number", money=True),
    Column("evaluation_rate", "自评执行率（%）", "number", description=_COMPUTED),
    Column("evaluation_rate_stated", "自评填报执行率（%）", "number", description=_STATED),
    Column("evaluation_budget_weight", "预算执行分值", "number"),
    Column("evaluation_budget_score", "预算执行得分", "number", description=_COMPUTED),
    Column("evaluation_budget_score_stated", "填报预算执行得分", "number", description=_STATED),
    Column("evaluation_total", "总分", "number", description=_COMPUTED),
    Column("evaluation_total_stated", "填报总分", "number", description=_STATED),
    Column("evaluation_grade", "评价等级", "string", description="由计算的总分按评分规则定出"),
    Column("evaluation_grade_stated", "填报评价等级", "string", description=_STATED),
    Column("evaluation_goal_actual", "年度总体目标实际完成情况", "string"),
    Column("evaluation_example", "自评示例说明", "string",
           description="非空时，自评数字为演示用的示例，并非真实数字"),
)

STAGE_INDICATOR = (
    Column("stage_example", "示例说明", "string",
           description="非空时，本行的监控或自评数字为演示用的示例，并非真实数字"),
    Column("added_reason", "新增原因", "string",
           description="非空时，本行不在批复的绩效目标中，由监控表或自评表新增"),
    Column("adjusted_name", "调整后三级指标", "string"),
    Column("adjusted_target", "调整后指标值", "string"),
    Column("adjustment_reason", "调整原因", "string"),
    Column("monitoring_period", "监控期间", "string", description="监控数据截至的月份，如 1-7月；空：尚无监控"),
    Column("monitoring_progress", "1–N月完成值", "string"),
    Column("monitoring_forecast", "全年预计完成值", "string"),
    Column("monitoring_status", "监控状态", "string", description="正常、有风险、偏离或不适用，由预计完成值和完成可能性判定"),
    Column("monitoring_reason_category", "偏差原因类别", "string", description="经费、制度、人员、硬件或其他"),
    Column("monitoring_reason", "偏差原因", "string"),
    Column("monitoring_action", "纠偏措施", "string"),
    Column("monitoring_likelihood", "完成可能性", "string", description="确定能、有可能或完全不可能"),
    Column("evaluation_actual", "实际完成值", "string"),
    Column("evaluation_status", "完成情况", "string", description="达成、未达成、未判定或不适用"),
    Column("evaluation_band", "完成档次", "string", description="定性指标填报的档次，如 达成年度指标"),
    Column("evaluation_weight", "分值", "number"),
    Column("evaluation_score", "得分", "number", description=_COMPUTED),
    Column("evaluation_score_stated", "填报得分", "number", description=_STATED),
    Column("evaluation_deviation", "偏差原因分析", "string"),
    Column("evaluation_improvement", "改进措施", "string"),
    Column("evaluation_not_applicable", "不适用原因", "string"),
)

# Which target a goal or an indicator belongs to (`target_of`).
OF_PROJECT, OF_DEPARTMENT = "项目", "部门整体"
_TARGET_OF = Column("target_of", "所属绩效目标表", "string",
                    description=f"{OF_PROJECT}：项目支出绩效目标表的行；{OF_DEPARTMENT}：部门整体支出绩效目标表的行（无项目编码）")

# The header cells of the 项目支出绩效目标申报表/批复表 family, and its 实施期 money (empty where a form has none).
PROJECT_HEADER = (
    Column("supervisor", "主管部门", "string"), Column("implementer", "实施单位", "string"),
    Column("manager", "项目负责人", "string"), Column("phone", "联系电话", "string"),
    Column("kind", "项目类型", "string"), Column("attribute", "项目属性", "string"),
    Column("period", "项目期限", "string"),
    Column("period_budget_total", "实施期资金总额", "number", money=True),
    Column("period_budget_fiscal", "实施期财政资金", "number", money=True),
    Column("period_budget_other", "实施期其他资金", "number", money=True),
)

# The optional columns of an indicator table, each as written (empty where a form has no such column).
INDICATOR_CELLS = (
    Column("value_cell", "指标值（原表单元格）", "string",
           description="表中指标值一格原样；指标性质、度量单位另列时，指标值列是三格合读的结果"),
    Column("nature", "指标性质", "string", description="定量、定性，或比较符号如 ≥、大于等于"),
    Column("measure_unit", "度量单位", "string"), Column("previous", "上年实际值", "string"),
    Column("weight", "权重", "number", description="权重或分值"),
    Column("direction", "指标方向", "string", description="正向或反向"),
    Column("formula", "计算公式", "string"), Column("note", "备注", "string"),
)

TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "projects": ("项目", (
        Column("year", "预算年度", "integer"), Column("department_code", "单位编码", "string"),
        Column("department_name", "单位名称", "string"), Column("project_code", "项目编码", "string"),
        Column("project_name", "项目名称", "string"), Column("money_unit", "金额单位", "string"),
        Column("budget_total", "预算数", "number", money=True), Column("budget_fiscal", "财政资金", "number", money=True),
        Column("budget_other", "其他资金", "number", money=True), Column("purpose", "资金用途", "string"),
        *PROJECT_HEADER, Column("indicator_count", "指标数", "integer"), *MONITORING_PROJECT, *EVALUATION_PROJECT)),
    "funding": ("资金来源", (
        Column("year", "预算年度", "integer"), Column("department_code", "单位编码", "string"),
        Column("project_code", "项目编码", "string"), Column("money_unit", "金额单位", "string"),
        Column("budget", "资金口径", "string", description="年度：当年预算数的来源；实施期：实施期资金总额的来源"),
        Column("row", "行号", "integer"), Column("name", "资金来源", "string",
                                             description="表中所列的资金来源，如 一般公共预算、政府性基金"),
        Column("amount", "金额", "number", money=True))),
    "spending_plan": ("资金支出计划", (
        Column("year", "预算年度", "integer"), Column("department_code", "单位编码", "string"),
        Column("project_code", "项目编码", "string"), Column("milestone", "时间节点", "string"),
        Column("cumulative_percent", "累计支出比例（%）", "number"))),
    "goals": ("绩效目标", (
        Column("year", "预算年度", "integer"), Column("department_code", "单位编码", "string"),
        _TARGET_OF, Column("project_code", "项目编码", "string"),
        Column("term", "目标期间", "string", description="年度：年度绩效目标；实施期：实施期（中长期）目标"),
        Column("number", "序号", "integer"), Column("goal", "绩效目标", "string"))),
    "indicators": ("绩效指标", (
        Column("year", "预算年度", "integer"), Column("department_code", "单位编码", "string"),
        _TARGET_OF, Column("project_code", "项目编码", "string"), Column("row", "行号", "integer"),
        Column("level1", "一级指标", "string"), Column("level2", "二级指标", "string"),
        Column("level1_canonical", "一级指标（规范名称）", "string"),
        Column("level2_canonical", "二级指标（规范名称）", "string"), Column("name", "三级指标", "string"),
        Column("description", "绩效指标描述", "string"), Column("target", "指标值", "string"),
        Column("target_kind", "指标值类型", "string"), Column("comparator", "比较符号", "string"),
        Column("value", "数值", "number"), Column("upper", "数值上限", "number"), Column("unit", "单位", "string"),
        Column("basis", "指标值确定依据", "string"), *INDICATOR_CELLS, *STAGE_INDICATOR)),
    "compositions": ("收入支出构成", (
        Column("year", "预算年度", "integer"), Column("department_code", "单位编码", "string"),
        Column("money_unit", "金额单位", "string"),
        Column("composition", "构成", "string", description="收入构成或支出构成（部门整体支出绩效目标表）"),
        Column("row", "行号", "integer"), Column("name", "名称", "string",
                                             description="如 财政拨款、其他资金、基本支出、项目支出"),
        Column("amount", "金额", "number", money=True), Column("share", "占比（%）", "number"),
        Column("total", "合计", "number", money=True, description="表中所填的合计，各行相同"),
        Column("total_share", "合计占比（%）", "number", description="表中所填的合计占比，各行相同"))),
}

__all__ = ["OF_DEPARTMENT", "OF_PROJECT", "TABLES", "Column"]
