"""The labels the importer recognises, in one place: data, not code.

Longer than 300 lines: one table of every label of every layout is the point, so that a province's
variant is one entry here (docs/import.md lists them all, and a test holds the two together).

A province's label for a known column or row is one entry here. Labels are compared without
whitespace, NFKC-folded (full-width ：（） read as :()), and with a bracketed unit or weight
dropped (`年初预算数（万元）`, `产出指标（50分）`); `N` in a label stands for a month number and
`1-` for any dash between the months (`1-N月执行数` reads 1-7月执行数, 1—8月执行数, 1至6月执行数).

    HEBEI_CELLS            the labelled cells of the Hebei 预算项目绩效目标表 (项目编码, 预算数, 资金用途 …)
    HEADER_SYNONYMS        the columns of a 绩效目标表's indicator table (the Hebei form's and the 申报表's)
    INDICATOR_BLOCK        the label of the column left of 一级指标 that only names the table (绩效指标)
    DIRECTIONS             指标方向, as the schema writes it
    PROJECT_TITLES         the titles that start a 项目支出绩效目标申报表/批复表
    PROJECT_CELLS          that form's labelled header cells (项目名称, 主管部门, 项目负责人 …)
    PROJECT_MONEY          its 资金情况 block: which money each label names (实施期/年度 × 总额/财政拨款/其他资金 …)
    MONEY_BLOCK            the labels of that block itself (资金情况（万元）, 项目资金)
    PROJECT_GOALS          its goals: 实施期目标 and 年度目标; GOAL_BLOCK the block's own label (总体目标)
    STAGE_TITLES           the titles that start a monitoring or self-evaluation form
    FORM_CELLS             the labelled cells of a stage form's header; DEPARTMENT_CELLS a 部门整体 form's
    UNIT_CELLS             the cells that name the unit a disclosure is about (metadata.py), strongest first
    EVALUATION_MONEY       the columns of a 自评表's 项目资金 block, and FUNDING_ROWS its rows
    MONITORING_MONEY       the columns of a 监控表's 资金 block
    EVALUATION_COLUMNS     the columns of a 自评表's indicator table
    MONITORING_COLUMNS     the columns of a 监控表's indicator table
    DEPARTMENT_COLUMNS     the columns of a 部门整体支出绩效自评表's indicator table (年初/调整指标值 …)
    FORM_TABLES            each kind of form -> its header cells, money columns and indicator columns
    GOAL_LABELS            年度总体目标: 预期目标 vs 实际完成情况
    CONCLUSION_LABELS      总分, 评价等级, 评价结论, 存在问题, 改进措施
    NATURES                指标性质 (Sichuan) -> the comparator it puts before 指标值
    QUANTITIES             指标性质 (a 部门整体 form) -> 定量 or 定性, as the schema writes them
    CORE                   是否核心指标 -> true or false
    REASON_CATEGORIES      偏差原因 categories, as the schema writes them
    LIKELIHOODS            完成目标可能性, as the schema writes them
    MARKS                  what ticks a box in a category column
    PLACEHOLDER_NAMES      三级指标 names a template leaves behind
    LAYOUT_PROFILES        a layout's own columns -> the scoring profile the form was made under
    WHOLE_TITLES           the titles of a 部门整体支出绩效目标表 (whole_forms.py)
    WHOLE_CELLS            its labelled cells (部门（单位）名称, 部门职能概述, 中长期目标, 年度总体目标 …)
    WHOLE_SECTIONS         labels that head one of its blocks and state nothing themselves (年度预算 …)
    COMPOSITIONS           its money blocks: 收入构成 and 支出构成 (compositions.py)
    COMPOSITION_COLUMNS    their columns (金额, 占比 …), and COMPOSITION_ROWS their 合计 row
    FLAT_PROJECT_COLUMNS   a flat sheet's project columns (flat_sheets.py): 项目编码, 年度资金总额, 年度目标 …
    FLAT_BREAKDOWN         its columns of further funding sources (一般公共预算, 政府性基金 …)
    FLAT_GROUPS            the labels over a second header row (资金情况（万元）, 绩效指标 …)
    ROW_NUMBERS            a column of row numbers (序号): the order of the rows, which the files keep
"""

from __future__ import annotations

# The Hebei form's cells (forms.py): a cell is the label when its text, without spaces, is or starts
# with one of these; its value is the next filled cell.
HEBEI_CELLS = {
    "code": ("项目编码", "项目代码"),
    "name": ("项目名称",),
    "total": ("预算数", "预算金额", "年度预算数", "资金总额"),
    "fiscal": ("其中：财政资金", "财政资金", "其中:财政资金", "财政拨款"),
    "other": ("其他资金",),
    "purpose": ("预算规模及资金用途", "资金用途"),
    "goals": ("绩效目标", "年度绩效目标", "年度目标"),
}

# The keys are the indicator fields of the project schema (content/schema.py). A column whose header
# is none of these is reported at its header, never dropped silently (indicator_table.py).
HEADER_SYNONYMS = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "三级指标名称", "指标名称"),
    "description": ("绩效指标描述", "指标描述", "指标解释", "指标内容", "指标说明"),
    "target": ("指标值", "年度指标值", "目标值", "绩效指标值", "年度目标值", "指标目标值", "指标值及单位",
               "年度指标值及单位", "绩效目标值", "年度绩效目标值"),
    "period_target": ("实施期指标值", "中期指标值", "实施期目标值", "中期目标值"),
    "basis": ("指标值确定依据", "指标标准或依据", "绩效标准", "指标值设定依据", "确定依据", "评（扣）分标准"),
    "nature": ("指标性质",),
    "unit": ("度量单位", "计量单位", "单位"),
    "previous": ("上年实际值", "历史值", "上年完成值", "上年指标值"),
    "weight": ("权重", "分值", "指标权重"),
    "direction": ("指标方向",),
    "formula": ("计算公式", "指标计算公式"),
    "note": ("备注",),
}
INDICATOR_BLOCK = ("绩效指标", "年度绩效指标", "项目绩效指标", "产出及效益指标")
DIRECTIONS = {
    "正向": ("正向", "正向指标"),
    "反向": ("反向", "反向指标"),
}

# --- the 项目支出绩效目标申报表/批复表 family (project_forms.py) ---
# A title ends with one of these; before it there may be a year (（2024年度）, 2024年) or the unit's name.
PROJECT_TITLES = ("项目支出绩效目标申报表", "项目支出绩效目标批复表", "项目绩效目标申报表", "项目绩效目标批复表",
                  "项目支出绩效目标表")
PROJECT_CELLS = {
    "name": ("项目名称",),
    "code": ("项目编码", "项目代码"),
    "supervisor": ("主管部门", "主管部门及代码", "主管单位"),
    "implementer": ("实施单位", "项目实施单位", "实施单位及代码"),
    "manager": ("项目负责人", "负责人"),
    "phone": ("联系电话", "负责人电话"),
    "manager_phone": ("项目负责人及电话", "项目负责人及联系电话", "负责人及电话"),
    "kind": ("项目类型",),
    "attribute": ("项目属性",),
    "period": ("项目期限", "实施期限", "项目实施期限", "项目周期"),
}
# Each label of the 资金情况 block names `period.source`: the period is `period` (实施期) or `year`
# (年度), the source `total`, `fiscal`, `other` or `breakdown` (a further row, kept with its label);
# a label that names one half (实施期, 其他资金) takes the other from the row or column it crosses.
PROJECT_MONEY = {
    "period.total": ("实施期资金总额", "中期资金总额", "实施期资金", "实施期总额"),
    "year.total": ("年度资金总额", "年度资金", "本年度资金总额", "年度总额", "年度预算金额", "年度预算资金"),
    "period": ("实施期", "中期"),
    "year": ("年度", "本年度"),
    "total": ("资金总额", "合计", "总计"),
    "fiscal": ("财政拨款", "财政资金", "财政拨款资金"),
    "other": ("其他资金",),
    "breakdown": ("一般公共预算", "一般公共预算资金", "一般公共预算拨款", "政府性基金", "政府性基金预算",
                  "政府性基金预算拨款", "国有资本经营预算", "财政专户管理资金", "单位资金", "上年结转",
                  "上年结转资金", "事业收入", "其他收入"),
}
MONEY_BLOCK = ("资金情况", "项目资金", "项目资金情况", "资金来源", "预算资金")
PROJECT_GOALS = {
    "long_term_goals": ("实施期目标", "中期目标", "实施期绩效目标", "中长期目标", "实施期总体目标"),
    "goals": ("年度目标", "年度绩效目标", "年度总体目标", "本年度目标", "绩效目标"),
}
GOAL_BLOCK = ("总体目标", "项目总体目标", "总体绩效目标")

# A department-wide form is not a project's: its titles are tried first, so that it is never read as
# one. The department's self-evaluation becomes its evaluation.yaml; its monitoring form, which the
# content has no file for, is named so that it is refused.
STAGE_TITLES = {
    "department-evaluation": ("部门整体支出绩效自评表", "部门整体绩效自评表", "部门整体支出绩效自评情况表"),
    "department-monitoring": ("部门整体支出绩效目标执行监控表", "部门整体绩效目标执行监控表", "部门整体绩效监控表",
                              "部门整体支出绩效运行监控表"),
    "evaluation": ("项目支出绩效自评表", "项目绩效自评表", "项目支出绩效目标自评表", "绩效自评表"),
    "monitoring": ("项目支出绩效目标执行监控表", "绩效目标执行监控表", "绩效目标执行情况监控表",
                   "项目绩效目标执行监控表", "绩效运行监控表", "绩效监控表"),
}

FORM_CELLS = {
    "project": ("项目名称",),
    "code": ("项目编码", "项目代码"),
    "department": ("主管部门", "主管部门及代码", "主管单位"),
    "unit": ("实施单位", "项目实施单位"),
    "period": ("监控期间", "监控时段", "监控时间"),
}
# The unit a 部门整体 form is about (often `CODE-名称`): its own cell first, then its 主管部门.
DEPARTMENT_CELLS = {
    "unit": ("单位名称", "部门（单位）名称", "部门名称", "预算单位", "预算单位名称", "填报单位", "单位名称及代码"),
    "department": ("主管部门", "主管部门及代码", "主管单位"),
    "code": ("单位编码", "单位代码", "部门编码", "部门代码", "预算单位编码", "预算单位代码"),
}

# The unit a disclosure is about: its own cell or code, then its 主管部门, then a project's 实施单位.
UNIT_CELLS = {**DEPARTMENT_CELLS, "implementer": FORM_CELLS["unit"]}

EVALUATION_MONEY = {
    "initial": ("年初预算数", "年初预算", "年初预算金额"),
    "adjusted": ("全年预算数", "调整后预算数", "调整后预算", "全年预算"),
    "executed": ("全年执行数", "预算执行数", "全年实际执行数", "实际执行数", "执行数"),
    "weight": ("分值", "权重"),
    "rate": ("执行率", "预算执行率"),
    "score": ("得分",),
    "deviation": ("原因", "偏差原因", "执行偏差原因", "偏差原因分析"),
}
FUNDING_ROWS = {
    "total": ("年度资金总额", "资金总额", "合计", "总额", "总计"),
    "current": ("当年财政拨款", "财政拨款", "财政资金", "当年财政资金"),
    "carried_over": ("上年结转资金", "上年结转", "结转资金"),
    "other": ("其他资金",),
}

MONITORING_MONEY = {
    "budget": ("年度预算数", "全年预算数", "调整后预算数", "预算数", "年初预算数"),
    "executed": ("1-N月执行数", "截至N月底执行数", "截至N月末执行数", "N月底执行数", "执行数"),
    "rate": ("执行率", "1-N月执行率", "预算执行率"),
    "forecast": ("全年预计执行数", "预计全年执行数", "全年预计支出数"),
    "reason": ("偏差原因", "执行偏差原因", "资金执行偏差原因"),
}

_ROW_HEAD = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "三级指标名称", "指标名称"),
}
EVALUATION_COLUMNS = {
    **_ROW_HEAD,
    "target": ("年度指标值", "指标值", "目标值", "年度目标值", "年初指标值"),
    "nature": ("指标性质",),
    "unit": ("度量单位", "计量单位", "单位"),
    "actual": ("实际完成值", "完成值", "全年实际完成值", "实际值", "实际完成情况"),
    "weight": ("分值", "权重"),
    "score": ("得分",),
    "deviation": ("偏差原因分析及改进措施", "偏差原因分析", "未完成原因分析", "偏差原因", "原因分析",
                  "未完成原因分析及改进措施", "偏差原因及改进措施"),
    "improvement": ("改进措施",),
}
# Chongqing's department-wide form: a flat table (no 一级/二级 is needed) with the target set at the
# start of the year (年初指标值) and the one in force after an adjustment (调整指标值).
DEPARTMENT_COLUMNS = {
    **EVALUATION_COLUMNS,
    "adjusted_target": ("调整指标值", "调整后指标值", "调整后目标值"),
    "adjustment_reason": ("调整原因", "指标调整原因", "调整理由"),
    "coefficient": ("得分系数",),
    "core": ("是否核心指标", "核心指标"),
}
MONITORING_COLUMNS = {
    **_ROW_HEAD,
    "target": ("年度指标值", "指标值", "目标值", "年度目标值"),
    "progress": ("1-N月实际完成值", "1-N月执行情况", "1-N月完成值", "1-N月实际完成情况", "截至N月底完成值",
                 "截至N月底完成情况"),
    "forecast": ("全年预计完成值", "全年预计完成情况", "预计全年完成值", "全年预计完成"),
    "reason": ("偏差原因分析", "原因说明", "偏差原因说明", "偏差原因"),
    "reason_category": ("偏差原因类别", "原因类别"),
    "action": ("纠偏措施", "拟采取的纠偏措施", "整改措施"),
    "likelihood": ("完成目标可能性", "完成可能性"),
}

FORM_TABLES = {
    "evaluation": {"cells": FORM_CELLS, "money": EVALUATION_MONEY, "columns": EVALUATION_COLUMNS},
    "monitoring": {"cells": FORM_CELLS, "money": MONITORING_MONEY, "columns": MONITORING_COLUMNS},
    "department-evaluation": {"cells": DEPARTMENT_CELLS, "money": EVALUATION_MONEY, "columns": DEPARTMENT_COLUMNS},
}

GOAL_LABELS = {
    "expected": ("预期目标", "年度预期目标"),
    "actual": ("实际完成情况", "实际完成目标", "实际完成", "目标实际完成情况"),
}

CONCLUSION_LABELS = {
    "total": ("总分", "自评总分", "综合得分", "自评得分", "合计", "总计"),
    "grade": ("评价等级", "自评等级", "自评结果等级", "等级"),
    "conclusion": ("评价结论", "自评结论", "综合评价结论"),
    "problems": ("存在问题", "存在的问题", "主要问题"),
    "measures": ("改进措施", "改进建议", "下一步改进措施", "整改措施"),
}

NATURES = {
    "≥": ("≥", "正向指标", "正向", "大于等于", ">=", "≧"),
    "≤": ("≤", "反向指标", "反向", "小于等于", "<=", "≦"),
    "=": ("=", "等于"),
    ">": (">", "大于"),
    "<": ("<", "小于"),
    "": ("定性", "定性指标", "定量", "定量指标"),
}

QUANTITIES = {
    "定量": ("定量", "定量指标"),
    "定性": ("定性", "定性指标"),
}
CORE = {
    "true": ("是", "核心指标", "核心", "√", "✓", "✔"),
    "false": ("否", "非核心指标", "非核心", "×"),
}

# What a form may write for each category; the key is the schema's word.
REASON_CATEGORIES = {
    "经费": ("经费", "经费保障", "资金", "资金保障"),
    "制度": ("制度", "制度保障"),
    "人员": ("人员", "人员保障"),
    "硬件": ("硬件", "硬件条件保障", "硬件保障", "硬件条件"),
    "其他": ("其他", "其它"),
}
LIKELIHOODS = {
    "确定能": ("确定能", "能", "确定能完成"),
    "有可能": ("有可能", "可能", "有可能完成"),
    "完全不可能": ("完全不可能", "不可能", "完全不可能完成"),
}
MARKS = ("√", "✓", "✔", "☑", "■", "●", "是", "v", "V", "x", "X", "×")

# 三级指标 names a template leaves behind, as regular expressions over the squeezed name.
PLACEHOLDER_NAMES = (r"(三级)?指标[0-9一二三四五六七八九十]+", r"[…．.。\-—/]+")

# A layout that only one province's form has: the scoring profile (builder/content/scoring/) its
# figures were computed with. `columns` are EVALUATION_COLUMNS keys; `budget_weight` the 分值 of
# the 项目资金 block.
LAYOUT_PROFILES = (
    {"profile": "sichuan", "columns": ("nature", "unit")},
    {"profile": "hubei", "budget_weight": "20"},
)

# The 部门整体支出绩效目标表 (whole_forms.py). A title may carry a year or the unit before it
# (2024年部门整体支出绩效目标表); 部门（单位） reads as 部门, since labels drop what is in brackets.
WHOLE_TITLES = ("部门整体支出绩效目标表", "部门整体绩效目标表", "部门整体支出绩效目标申报表", "部门整体绩效目标申报表",
                "整体支出绩效目标申报表", "部门整体支出绩效目标批复表", "部门整体绩效目标批复表", "单位整体支出绩效目标表",
                "整体支出绩效目标表")
WHOLE_CELLS = {
    "unit": DEPARTMENT_CELLS["unit"],
    "code": DEPARTMENT_CELLS["code"],
    "department": DEPARTMENT_CELLS["department"],
    "functions": ("部门职能概述", "部门职能职责", "部门职能", "部门主要职能", "主要职能", "职能概述", "单位职能概述",
                  "部门职责"),
    "long_term_goals": ("中长期目标", "实施期目标", "中长期绩效目标", "部门中长期目标", "整体中长期目标"),
    "goals": ("年度总体目标", "年度目标", "年度绩效目标", "年度总体绩效目标", "部门年度目标"),
}
WHOLE_SECTIONS = ("年度预算", "年度主要任务", "部门预算", "年度预算情况", "预算情况", "资金情况", "年度预算安排",
                  "年度绩效指标", "绩效指标", "部门整体绩效指标", "年度部门整体绩效指标")
COMPOSITIONS = {
    "income": ("收入构成", "收入预算", "按收入性质分", "收入"),
    "expenditure": ("支出构成", "支出预算", "按支出性质分", "支出"),
}
COMPOSITION_COLUMNS = {
    "amount": ("金额", "预算金额", "预算数", "资金金额", "数额"),
    "share": ("占比", "比重", "比例", "所占比例", "占总额比例", "占比%", "比重%"),
}
COMPOSITION_ROWS = {
    "total": ("合计", "总计", "收入合计", "支出合计", "总额", "资金总额", "收入总计", "支出总计"),
}

# A flat sheet (flat_sheets.py): one row per indicator, a project's cells on its first row only, then the
# indicator columns of HEADER_SYNONYMS. Amount columns may carry the money unit (年度资金总额（万元）).
FLAT_PROJECT_COLUMNS = {
    "code": FORM_CELLS["code"] + ("项目编号",),
    "name": FORM_CELLS["project"],
    "supervisor": FORM_CELLS["department"],
    "implementer": FORM_CELLS["unit"],
    "manager": ("项目负责人", "负责人"),
    "phone": ("联系电话", "负责人电话", "负责人及电话"),
    "kind": ("项目类型",),
    "attribute": ("项目属性",),
    "period": ("项目期限", "实施期限", "项目实施期"),
    "total": ("年度资金总额", "预算数", "年度预算数", "资金总额", "预算金额", "项目资金总额", "年度预算",
              "年度预算金额"),
    "fiscal": ("财政资金", "财政拨款", "当年财政拨款"),
    "other": ("其他资金",),
    "purpose": ("资金用途", "资金主要用途", "主要用途"),
    "long_term_goals": ("实施期目标", "中长期目标", "实施期绩效目标"),
    "goals": ("年度目标", "绩效目标", "年度绩效目标", "年度总体目标"),
}
FLAT_BREAKDOWN = ("一般公共预算", "政府性基金", "财政专户管理资金", "单位资金", "上年结转", "上年结转资金",
                  "国有资本经营预算")
FLAT_GROUPS = ("资金情况", "项目资金", "资金来源", "项目信息", "项目基本情况", "绩效指标", "年度绩效指标")
ROW_NUMBERS = ("序号", "行次")
