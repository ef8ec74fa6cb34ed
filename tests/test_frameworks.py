"""Indicator frameworks are data: built in, chosen per site or department, or the site's own."""

from __future__ import annotations

from conftest import DEPARTMENT, PROJECT

from builder.content.frameworks import BUILTIN_DIR, normalize_label
from builder.pipeline import check_content

OWN = """\
id: county-2023
title: 县级项目支出绩效指标体系
categories:
  - name: 产出指标
    children:
      - name: 数量指标
      - name: 成本指标
        cost: true
  - name: 满意度指标
    aliases: [满意度]
    children:
      - name: 服务对象满意度指标
"""


def test_both_builtin_frameworks_load_cleanly(scratch):
    result = check_content(scratch.content)
    assert result.report.items == []
    assert sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml")) == ["caiyu-2021-101", "classic"]


def test_2021_framework_accepts_cost_as_a_first_level(scratch):
    scratch.department.write_text(DEPARTMENT.replace("money_unit: 元", "money_unit: 元\nframework: caiyu-2021-101"),
                                  encoding="utf-8")
    scratch.project().write_text(PROJECT.replace("  - level2: 成本指标\n", "  - level1: 成本指标\n    level2: 经济成本指标\n"),
                                 encoding="utf-8")
    result = check_content(scratch.content)
    assert result.report.items == []
    indicator = result.site.departments[0].projects[0].indicators[1]
    assert (indicator.level1.canonical, indicator.level2.canonical, indicator.cost) == ("成本指标", "经济成本指标", True)
    assert result.site.departments[0].framework.id == "caiyu-2021-101"


def test_a_site_can_bring_its_own_framework(scratch, cli):
    scratch.write(scratch.content / "frameworks" / "county.yaml", OWN)
    scratch.site.write_text("title: 测试站点\npublisher: 测试财政局\nframework: county-2023\n", encoding="utf-8")
    scratch.project().write_text(PROJECT.replace("level1: 满意度指标", "level1: 满意度"), encoding="utf-8")
    result = check_content(scratch.content)
    assert [d.message for d in result.report.items] == ["一级指标 `满意度` is read as `满意度指标`"]
    indicator = result.site.departments[0].projects[0].indicators[2]
    assert (indicator.level1.raw, indicator.level1.canonical) == ("满意度", "满意度指标")


def test_a_broken_framework_file_is_reported_where_it_is(scratch, cli):
    scratch.write(scratch.content / "frameworks" / "county.yaml", OWN.replace("  - name: 产出指标", "  - nmae: 产出指标"))
    run = cli("check", cwd=scratch.root)
    assert "content/frameworks/county.yaml:4:5: error: unknown key `nmae` in first-level category" in run.diagnostics


def test_labels_lose_spacing_and_weights_when_matched():
    assert normalize_label("产出指标（50分）") == "产出指标"
    assert normalize_label("产出指标(50分)") == "产出指标"
    assert normalize_label("满意度  指标 10分") == "满意度指标"
    assert normalize_label("数量指标") == "数量指标"
