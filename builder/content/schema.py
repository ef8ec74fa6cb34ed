"""The content schema: every key a content file may have, its type and its meaning.

This is the single definition behind `check`, the JSON Schemas in schemas/
(`python build.py schema` writes them) and the field tables in docs/content.md.
Titles are the labels of the official form, so a reader can map each key to
the cell of the 绩效目标表 it comes from.
"""

from __future__ import annotations

import json

from builder.base.limits import MAX_GOALS, MAX_INDICATORS, MAX_PLAN_ROWS, MAX_PROJECTS
from builder.base.messages import msg
from builder.content.codes import ID_PATTERN, Code
from builder.content.fields import Field, ListOf, Record
from builder.content.scalars import Boolean, Choice, Integer, Money, Percent, Points, TargetText, Text
from builder.content.stage_schema import DEPARTMENT_EVALUATION, EVALUATION, MONITORING

# The theme a site is shown in when site.yaml names none.
DEFAULT_THEME = "default"
# The layout of the PDF annexes (the theme's print/forms/<form>.html) when neither site.yaml nor
# department.yaml names one: the 预算项目绩效目标表 of the shipped content.
DEFAULT_FORM = "hebei"

SITE = Record("site", "site.yaml", [
    Field("title", Text(), "网站标题", "the site's title, e.g. 玉田县预算绩效目标公开"),
    Field("publisher", Text(), "发布机构", "who publishes the site, e.g. 玉田县财政局"),
    Field("languages", ListOf(Text(pattern=r"[a-z]{2}(-[A-Za-z0-9]{2,8})*"), min_items=1), "语言",
          "BCP 47 language tags, the first is the main one; default [zh-CN]", required=False),
    Field("theme", Text(pattern=ID_PATTERN), "主题", "a folder name under themes/; default `default`", required=False),
    Field("overrides", Text(pattern=ID_PATTERN), "主题覆盖",
          "a folder name under themes/ (without theme.yaml) whose templates/, static/ and i18n/ files replace "
          "the theme's, e.g. `ytx-overrides`; default none", required=False),
    Field("base_path", Text(pattern=r"/((?!\.\.?/)[A-Za-z0-9._~-]+/)*",
                            pattern_hint=msg("schema.base_path_hint")),
          "站点路径", "the path the site is served under, e.g. /budget/; default /", required=False),
    Field("framework", Text(pattern=ID_PATTERN), "指标体系",
          "the indicator framework used unless a department names another; default `classic`", required=False),
    Field("scoring", Text(pattern=ID_PATTERN), "自评评分规则",
          "the scoring profile of self-evaluations unless a year or a department names another: `default`, "
          "`sichuan`, `hubei` (builder/content/scoring/); default `default`", required=False),
    Field("scoring_by_year", ListOf(Record("year's scoring", "a year's scoring profile", [
        Field("year", Integer(2000, 2100), "年度", "the budget year, e.g. 2023"),
        Field("scoring", Text(pattern=ID_PATTERN), "自评评分规则", "the profile for that year's self-evaluations"),
    ])), "分年度评分规则", "profiles for particular years, e.g. [{year: 2023, scoring: sichuan}]", required=False),
    Field("form", Text(pattern=ID_PATTERN), "附件版式",
          "the official layout of every department's PDF annex unless a department names another: `hebei` "
          "(the 预算项目绩效目标表 of the shipped content) or `shenbao` (the 项目支出绩效目标申报表), or a "
          "template print/forms/<name>.html of the theme; default `hebei`", required=False),
    Field("url", Text(pattern=r"https?://[A-Za-z0-9.-]+(:\d+)?", pattern_hint=msg("schema.url_hint")),
          "网站地址", "the public address (scheme and host) for sitemap.xml, e.g. https://czj.example.gov.cn",
          required=False),
    Field("contact", Record("contact", "联系方式 (contact)", [
        Field("phone", Text(), "联系电话", "the telephone readers call with questions, e.g. 0315-1234567", required=False),
        Field("email", Text(pattern=r"[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}",
                            pattern_hint=msg("schema.email_hint")),
              "电子邮箱", "the address readers write to, e.g. gongkai@example.gov.cn", required=False),
        Field("address", Text(), "通信地址", "the postal address, e.g. 某县某路1号", required=False),
        Field("postcode", Text(pattern=r"\d{6}", pattern_hint=msg("schema.postcode_hint")), "邮政编码",
              "the address's postcode, e.g. 064100", required=False),
        Field("hours", Text(), "办公时间", "when the phone is answered, e.g. 工作日 8:30—17:30", required=False),
    ]), "联系方式", "how readers reach the publisher, shown at the foot of every page: `phone`, `email`, `address`, "
        "`postcode`, `hours` (each optional)", required=False),
])

_LEVEL2 = Record("level2", "second-level category", [
    Field("name", Text(), "二级指标", "the canonical name, e.g. 数量指标"),
    Field("aliases", ListOf(Text()), "同义名称", "other names documents use for it, e.g. 可持续效益指标", required=False),
    Field("cost", Boolean(), "成本类", "true when its indicators are cost ceilings", required=False),
])

FRAMEWORK = Record("framework", "indicator framework", [
    Field("id", Text(pattern=ID_PATTERN), "标识", "the name site.yaml and departments use to choose it"),
    Field("title", Text(), "名称", "what the framework is called"),
    Field("basis", Text(), "依据", "the rule it follows, e.g. 财预〔2021〕101号", required=False),
    Field("categories", ListOf(Record("level1", "first-level category", [
        Field("name", Text(), "一级指标", "the canonical name, e.g. 产出指标"),
        Field("aliases", ListOf(Text()), "同义名称", "other names documents use for it, e.g. 效果指标", required=False),
        Field("cost", Boolean(), "成本类", "true when its indicators are cost ceilings", required=False),
        Field("children", ListOf(_LEVEL2, min_items=1), "二级指标", "its second-level categories"),
    ]), min_items=1), "一级指标", "the first-level categories, in the order of the form"),
])

_OVERALL = Record("overall", "总体绩效目标 (overall)", [
    Field("title", Text(), "标题", "the heading line, e.g. 玉田县商务和投资促进局部门整体绩效"),
    Field("duties", ListOf(Text(), min_items=1), "职能",
          "the numbered duties, each verbatim with its number: （一）贯彻落实…"),
])

_NARRATIVE_ITEM = Record("narrative item", "分项绩效目标 item", [
    Field("name", Text(), "项目名称", "the project name as the narrative writes it"),
    Field("project", Code, "项目编码", "the code of the project this text describes", required=False),
    Field("paragraphs", ListOf(Text(), min_items=1), "内容", "the paragraphs, verbatim"),
])

_NARRATIVE = Record("narrative", "分项绩效目标 (narrative)", [
    Field("title", Text(), "标题", "the heading line, e.g. 玉田县商务和投资促进局分项绩效目标"),
    Field("intro", Text(), "说明", "the paragraph before the projects", required=False),
    Field("items", ListOf(_NARRATIVE_ITEM), "分项", "one entry per project the narrative describes"),
])

_MEASURES = Record("measures", "工作保障措施 (measures)", [
    Field("title", Text(), "标题", "the heading line, e.g. 玉田县商务和投资促进局工作保障措施"),
    Field("items", ListOf(Text(), min_items=1), "措施", "the numbered measures, each verbatim with its number"),
])

_COMPOSITION_ROW = Record("composition row", "收入构成/支出构成 row", [
    Field("name", Text(), "项目", "the row's label as the form writes it, e.g. 财政拨款, 其他资金, 基本支出"),
    Field("amount", Money(), "金额", "the amount in the table's money unit; empty when the form leaves it blank"),
    Field("share", Percent(), "占比", "its share of the total as the form states it, e.g. 80%", required=False),
])

_COMPOSITION = Record("composition", "收入构成/支出构成", [
    Field("rows", ListOf(_COMPOSITION_ROW, min_items=1), "构成", "the rows above the 合计, in the form's order"),
    Field("total", Money(), "合计", "the 合计 row's amount as the form states it", required=False),
    Field("total_share", Percent(), "合计占比", "the 合计 row's share as the form states it, e.g. 100%",
          required=False),
])

_INDICATOR = Record("indicator", "indicator", [
    Field("level1", Text(), "一级指标",
          "e.g. 产出指标; leave it out to continue the merged cell above", required=False),
    Field("level2", Text(), "二级指标",
          "e.g. 数量指标; leave it out to continue the merged cell above", required=False),
    Field("name", Text(), "三级指标", "the indicator itself, verbatim"),
    Field("description", Text(), "绩效指标描述", "what it measures, verbatim", required=False),
    Field("target", TargetText(), "指标值", "verbatim: ≥4次, ≥80百分比, ≤20万元, 2022年12月底前, or a sentence"),
    Field("period_target", TargetText(), "实施期指标值", "the target for the whole implementation period, "
          "verbatim, where the form has a column for it", required=False),
    Field("basis", Text(), "指标值确定依据", "where the target comes from, verbatim", required=False),
    # The optional columns of the 申报表/批复表 family: each kept as its cell has it.
    Field("nature", Text(), "指标性质", "as the form writes it: 定量 or 定性, or the comparator some forms put "
          "here (≥, ≤, =, 大于等于 …), which then stands before the 指标值", required=False),
    Field("unit", Text(), "度量单位", "the unit column (度量单位, 计量单位), when the form keeps the unit out of "
          "the 指标值, e.g. %", required=False),
    Field("previous", Text(), "上年实际值", "last year's actual value (上年实际值, 历史值), verbatim", required=False),
    Field("weight", Points(), "权重", "the indicator's weight or points (权重, 分值), e.g. 10", required=False),
    Field("direction", Choice(("正向", "反向")), "指标方向", "正向 when more is better, 反向 when less is",
          required=False),
    Field("formula", Text(), "计算公式", "how the value is computed, verbatim", required=False),
    Field("note", Text(), "备注", "the row's remark, verbatim", required=False),
])

_WHOLE = Record("whole", "部门整体支出绩效目标表", [
    Field("title", Text(), "标题", "the table's title, e.g. 2023年部门整体支出绩效目标表", required=False),
    Field("money_unit", Choice(("元", "万元")), "金额单位", "the table's money unit when it differs from the "
          "department's", required=False),
    Field("functions", Text(), "部门职能概述", "the department's duties as the table summarises them, verbatim",
          required=False),
    Field("income", _COMPOSITION, "收入构成", "the year's budget by source: 财政拨款, 其他资金 …, and 合计"),
    Field("expenditure", _COMPOSITION, "支出构成", "the year's budget by use: 基本支出, 项目支出 …, and 合计",
          required=False),
    Field("long_term_goals", ListOf(Text(), min_items=1, max_items=MAX_GOALS), "中长期目标",
          "the goals for the whole period (中长期目标, 实施期目标), each verbatim", required=False),
    Field("goals", ListOf(Text(), min_items=1, max_items=MAX_GOALS), "年度总体目标",
          "the year's goals, each verbatim with its number"),
    Field("weight_total", Points(), "权重合计", "the total the indicators' weights (权重, 分值) add up to when the "
          "form states one other than 100, e.g. 90 when 10 is kept for budget execution", required=False),
    Field("indicators", ListOf(_INDICATOR, min_items=1, max_items=MAX_INDICATORS), "绩效指标",
          "the department's own indicator table, rows in source order"),
])

DEPARTMENT = Record("department", "department", [
    Field("code", Code, "单位编码", "the budget unit code, e.g. 304001"),
    Field("name", Text(), "单位名称", "the unit's name, e.g. 玉田县商务和投资促进局"),
    Field("scope", Text(), "范围", "which part of the unit the budget covers, e.g. 本级"),
    Field("year", Integer(2000, 2100), "预算年度", "the budget year, e.g. 2022"),
    Field("money_unit", Choice(("元", "万元")), "金额单位", "the unit of every amount: 元 or 万元"),
    Field("framework", Text(pattern=ID_PATTERN), "指标体系", "overrides the site's framework", required=False),
    Field("scoring", Text(pattern=ID_PATTERN), "自评评分规则", "overrides the site's scoring profile for this "
          "department's self-evaluations", required=False),
    Field("form", Text(pattern=ID_PATTERN), "附件版式", "overrides the site's layout of the PDF annexes "
          "(`hebei`, `shenbao`, or a template print/forms/<name>.html of the theme)", required=False),
    Field("overall", _OVERALL, "总体绩效目标", "第一部分 一、the duties; leave it out when the disclosure has "
          "no such text (a 批复表 or a flat sheet)", required=False),
    Field("narrative", _NARRATIVE, "分项绩效目标", "第一部分 二、the per-project narrative", required=False),
    Field("measures", _MEASURES, "工作保障措施", "第一部分 三、the safeguard measures", required=False),
    Field("whole", _WHOLE, "部门整体支出绩效目标表", "the department-wide target: money composition, goals and its "
          "own indicator table", required=False),
    Field("projects", ListOf(Code, max_items=MAX_PROJECTS), "预算项目",
          "the project codes in the order of 第二部分; each has a file projects/<code>.yaml"),
])

_BUDGET = Record("budget", "预算规模 (budget)", [
    Field("total", Money(), "预算数", "the project's total budget"),
    Field("fiscal", Money(), "其中：财政资金", "of which fiscal funds; empty when the form leaves it blank", required=False),
    Field("other", Money(), "其他资金", "other funds; empty when the form leaves it blank", required=False),
    Field("breakdown", ListOf(Record("funding source", "资金来源 row", [
        Field("name", Text(), "资金来源", "the row's label, e.g. 一般公共预算, 政府性基金, 财政专户管理资金, 单位资金, 上年结转"),
        Field("amount", Money(), "金额", "its amount; empty when the form leaves it blank"),
    ]), min_items=1), "资金来源", "further rows the form breaks the budget into, in its order", required=False),
])

_MILESTONE = Record("milestone", "资金支出计划 milestone", [
    Field("milestone", Text(), "时间节点", "as the form writes it, e.g. 3月底"),
    Field("percent", Percent(), "累计支出比例", "cumulative share spent by then, e.g. 25%"),
])

PROJECT = Record("project", "project", [
    Field("code", Code, "项目编码", "the project code, always quoted text, e.g. 13022922P00JXC411757B"),
    Field("name", Text(), "项目名称", "verbatim; quote it when it starts with #, e.g. '#招商经费'"),
    Field("money_unit", Choice(("元", "万元")), "金额单位", "overrides the department's money_unit", required=False),
    Field("supervisor", Text(), "主管部门", "as the form writes it, e.g. 304-玉田县商务和投资促进局", required=False),
    Field("implementer", Text(), "实施单位", "as the form writes it", required=False),
    Field("manager", Text(), "项目负责人", "the person responsible, as the form writes it", required=False),
    Field("phone", Text(), "联系电话", "the responsible person's telephone, as the form writes it", required=False),
    Field("kind", Text(), "项目类型", "as the form writes it, e.g. 一次性项目, 经常性项目", required=False),
    Field("attribute", Text(), "项目属性", "as the form writes it, e.g. 新增项目, 延续项目", required=False),
    Field("period", Text(), "项目期限", "the implementation period as the form writes it, e.g. 2022年-2024年",
          required=False),
    Field("budget", _BUDGET, "预算规模", "预算数 (年度资金总额), 财政资金 and 其他资金 in the money unit"),
    Field("period_budget", _BUDGET, "实施期资金总额", "the whole period's money, for a project that runs several "
          "years", required=False),
    Field("purpose", Text(), "资金用途", "what the money is used for, verbatim; leave it out when the form has "
          "no such cell", required=False),
    Field("spending_plan", ListOf(_MILESTONE, min_items=1, max_items=MAX_PLAN_ROWS), "资金支出计划（%）",
          "milestones in order with the cumulative percent spent; leave it out when the form has none",
          required=False),
    Field("long_term_goals", ListOf(Text(), min_items=1, max_items=MAX_GOALS), "实施期目标",
          "the goals for the whole implementation period, each verbatim with its number", required=False),
    Field("goals", ListOf(Text(), min_items=1, max_items=MAX_GOALS), "绩效目标",
          "the year's goals (年度绩效目标), each verbatim with its number"),
    Field("weight_total", Points(), "权重合计", "the total the indicators' weights (权重, 分值) add up to when the "
          "form states one other than 100, e.g. 90 when 10 is kept for budget execution", required=False),
    Field("indicators", ListOf(_INDICATOR, min_items=1, max_items=MAX_INDICATORS), "绩效指标", "the indicator table, rows in source order"),
])

RECORDS = {"site": SITE, "framework": FRAMEWORK, "department": DEPARTMENT, "project": PROJECT,
           "evaluation": EVALUATION, "monitoring": MONITORING, "department-evaluation": DEPARTMENT_EVALUATION}


def json_schema(kind: str) -> str:
    """The JSON Schema (draft 2020-12) for one kind of content file, as stable text."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://gongkai.invalid/schemas/{kind}.schema.json",
        **RECORDS[kind].json_schema(),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
