"""The later stages in the model: stage files joined to their targets, judged and scored.

The reviewer's checks on top of these have their own tests (test_stage_checks.py); here the
figures themselves: what the example self-evaluation and monitoring round of the seed become, how
rows find their approved indicator, how a profile is chosen, and how units are compared.
"""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
import yaml
from conftest import CONTENT

from builder.content.attainment import MET, MISSED, UNKNOWN, comparable, status
from builder.content.targets import parse_target
from builder.pipeline import check_content

DEPT = "2022/304001"
CODE = "130229214I5FK2QU161C5"


@pytest.fixture
def copy(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path / "content"


def project_of(result, code=CODE):
    assert result.site is not None, [str(d) for d in result.report.errors]
    return next(p for p in result.site.projects if p.code == code)


def test_the_example_self_evaluation_is_scored_from_its_data():
    project = project_of(check_content(CONTENT))
    evaluation = project.evaluation
    assert evaluation is not None and evaluation.example.startswith("示例数据")
    assert evaluation.profile.id == "default"
    assert evaluation.rate.computed == Decimal("95.00") and not evaluation.rate.differs
    assert evaluation.budget_score.computed == Decimal("9.50")
    training = next(i for i in evaluation.indicators if i.name == "示范县开展电商培训次数")
    assert training.status == MISSED
    assert training.score.computed == Decimal("7.40") and training.score.how == "2220 / 3000 × 10"
    assert project.indicators[training.approved].target.raw == "≥3000人次"
    on_time = next(i for i in evaluation.indicators if i.name == "按时完成工作")
    assert on_time.status == MET and on_time.band == "达成年度指标" and on_time.score.computed is None
    cost = next(i for i in evaluation.indicators if i.name == "资金成本")  # 950万元 against ≤1000万元
    assert cost.status == MET and cost.score.computed == Decimal("3.00")
    assert evaluation.total.computed == Decimal("96.90") and evaluation.grade == "优"
    assert [(t.name, t.stated_weight, t.weight) for t in evaluation.level1] == [
        ("产出指标", Decimal(50), Decimal(50)), ("效益指标", Decimal(30), Decimal(30)),
        ("满意度指标", Decimal(10), Decimal(10))]
    assert evaluation.missing == ()


def test_the_example_monitoring_round_has_a_status_per_indicator():
    monitoring = project_of(check_content(CONTENT)).monitoring
    assert monitoring is not None and monitoring.month == 7 and monitoring.elapsed == Decimal("58.33")
    assert monitoring.rate.computed == Decimal("42.00")
    by_name = {i.name: i for i in monitoring.indicators}
    assert by_name["示范县开展电商培训次数"].status == "off-track"  # the forecast 2400 misses ≥3000
    assert by_name["示范县农村网络零售额同比增速"].status == "off-track"  # 28% misses ≥30%
    assert by_name["新增农村网商（店）"].status == "on-track"
    assert by_name["按时完成工作"].status == "on-track"  # qualitative, 确定能


def evaluation_file(copy):
    return copy / DEPT / "evaluations" / f"{CODE}.yaml"


def test_rows_are_matched_by_name_not_by_position(copy):
    path = evaluation_file(copy)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = data["indicators"]
    rows[1], rows[5] = rows[5], rows[1]  # 培训次数 and a 质量指标 row change places
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    evaluation = project_of(check_content(copy)).evaluation
    training = next(i for i in evaluation.indicators if i.name == "示范县开展电商培训次数")
    assert training.approved == 1 and training.score.computed == Decimal("7.40")


def test_an_adjusted_target_is_measured_against_the_adjustment(copy):
    path = evaluation_file(copy)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    score: 7.4\n", "    score: 10\n    adjustment: {target: ≥2000人次, reason: 疫情期间经批准调减培训任务}\n"
    ).replace("total: 96.9", "total: 99.5"), encoding="utf-8")
    result = check_content(copy)
    training = next(i for i in project_of(result).evaluation.indicators if i.name == "示范县开展电商培训次数")
    assert training.status == MET and training.target.raw == "≥2000人次"
    assert training.initial_target.raw == "≥3000人次" and training.adjustment.reason.startswith("疫情")


def test_a_profile_is_chosen_by_the_file_the_department_the_year_then_the_site(copy):
    site = copy / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "scoring: hubei\nscoring_by_year: [{year: 2022, scoring: "
                    "sichuan}]\n", encoding="utf-8")
    assert project_of(check_content(copy)).evaluation.profile.id == "sichuan"
    department = copy / DEPT / "department.yaml"
    department.write_text(department.read_text(encoding="utf-8").replace("year: 2022", "year: 2022\nscoring: default"),
                          encoding="utf-8")
    assert project_of(check_content(copy)).evaluation.profile.id == "default"


def test_an_unknown_profile_is_an_error_at_its_line(copy):
    department = copy / DEPT / "department.yaml"
    department.write_text(department.read_text(encoding="utf-8").replace("year: 2022", "year: 2022\nscoring: sichaun"),
                          encoding="utf-8")
    errors = [d for d in check_content(copy).report.errors]
    assert any(d.message == "unknown scoring profile `sichaun`" and d.pos.path.endswith("department.yaml")
               and "sichuan" in (d.hint or "") for d in errors), errors


def test_a_site_may_add_its_own_profile_and_a_broken_one_is_reported(copy):
    (copy / "scoring").mkdir()
    own = (CONTENT.parent / "builder/content/scoring/default.yaml").read_text(encoding="utf-8")
    (copy / "scoring" / "county.yaml").write_text(own.replace("id: default", "id: county").replace(
        "weight: 10          # w_b", "weight: 20          # w_b").replace("total: 90 ", "total: 80 ").replace(
        "{产出指标: 50, 效益指标: 30, 满意度指标: 10}", "{产出指标: 40, 效益指标: 30, 满意度指标: 10}"), encoding="utf-8")
    site = copy / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "scoring: county\n", encoding="utf-8")
    messages = [d.message for d in check_content(copy).report.errors]
    # The form was scored with 10 points for the budget; the site's own profile gives it 20.
    assert "预算执行得分 9.5 ≠ 19 = 20 × min(95%, 100%)" in messages
    (copy / "scoring" / "broken.yaml").write_text("id: broken\ntitle: x\nbudget: {weight: 10, basis: monthly}\n",
                                                  encoding="utf-8")
    errors = check_content(copy).report.errors
    assert any(d.pos.path.endswith("broken.yaml") and d.message.startswith("scoring profile:") for d in errors)


@pytest.mark.parametrize("target, actual, expected", [
    ("≥85百分比", "91.2%", MET), ("≥85%", "80百分比", MISSED), ("≤20万元", "186000元", MET),
    ("≤20万元", "21万元", MISSED), ("≥3000人次", "2220人次", MISSED), ("≥50个", "50", MET),
    ("≥100人", "120人次", UNKNOWN), ("80%-90%", "85%", MET), ("80%-90%", "95%", MISSED),
    ("2022年12月底前", "2022年11月底前", MET), ("2022年6月底前", "2022年9月", MISSED),
    ("明显改善", "已改善", UNKNOWN), ("±3%以内", "2.5%", MET),
])
def test_an_actual_is_judged_in_its_targets_unit(target, actual, expected):
    assert status(parse_target(target), parse_target(actual)) == expected


def test_money_is_compared_exactly_across_units():
    assert comparable(parse_target("≤20万元"), parse_target("186000元")) == Decimal("18.6")
    assert comparable(parse_target("≥100人"), parse_target("120人次")) is None
