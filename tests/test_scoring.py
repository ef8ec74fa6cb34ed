"""Self-evaluation scoring (content/scoring.py) against examples computed by hand from ../shared/CYCLE.md."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from builder.content.scoring import (
    ProfileError,
    band_of,
    budget_score,
    builtin_profiles,
    execution_rate,
    grade,
    in_band,
    indicator_score,
    over_achieved,
    profile_from_data,
    rescaled,
)

PROFILES = builtin_profiles()
DEFAULT = PROFILES["default"]


def test_the_shipped_profiles_are_the_default_sichuan_and_hubei():
    assert sorted(PROFILES) == ["default", "hubei", "sichuan"]
    assert DEFAULT.budget_weight == 10 and DEFAULT.indicator_total == 90
    assert DEFAULT.level1_weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert PROFILES["hubei"].budget_weight == 20 and PROFILES["hubei"].indicator_total == 80
    assert [g for g, _ in DEFAULT.grades] == ["优", "良", "中", "差"]


@pytest.mark.parametrize(("profile", "executed", "budget", "score"), [
    ("default", "95", "100", "9.50"),      # 10 × 95 %
    ("default", "740", "800", "9.25"),     # 10 × 92.5 %
    ("default", "110", "100", "10.00"),    # overspent: capped at the weight
    ("default", "0", "0", "0"),            # no budget: nothing to execute, no score
    ("hubei", "90", "100", "18.00"),       # 20 × 90 %
    ("sichuan", "1", "3", "3.33"),         # 10 × 33.33… % rounded half up
])
def test_budget_score_is_the_weight_times_the_execution_rate_capped(profile, executed, budget, score):
    assert budget_score(PROFILES[profile], D(executed), D(budget)) == D(score)


def test_execution_rate_is_a_fraction_and_none_without_budget():
    assert execution_rate(D(95), D(100)) == D("0.95")
    assert execution_rate(D(5), D(0)) is None


@pytest.mark.parametrize(("comparator", "target", "actual", "weight", "score"), [
    ("≥", "800", "740", "15", "13.88"),     # the example: 740 / 800 × 15 = 13.875
    ("≥", "800", "800", "15", "15.00"),
    ("≥", "800", "900", "15", "15.00"),     # over-achievement earns no more than the weight
    (">", "80", "81", "10", "10.00"),
    (">", "80", "40", "10", "5.00"),
    ("≥", "0", "0", "5", "5.00"),
    ("=", "5", "4", "10", "8.00"),          # as ≥
    ("=", "0", "0", "10", "10.00"),         # T = 0: full when A ≤ 0
    ("=", "0", "1", "10", "0"),
    ("≤", "20", "20", "10", "10.00"),
    ("≤", "20", "25", "10", "7.50"),        # (1 − 5 / 20) × 10
    ("≤", "20", "39", "10", "0.50"),
    ("≤", "20", "40", "10", "0"),           # A ≥ 2T: nothing
    ("≤", "20", "45", "10", "0"),
    ("<", "20", "19", "10", "10.00"),
    ("≤", "0", "1", "10", "0"),             # a ceiling of nothing, exceeded
])
def test_indicator_scores_follow_the_comparators_curve(comparator, target, actual, weight, score):
    assert indicator_score(DEFAULT, comparator, D(target), D(actual), D(weight)) == D(score)


def test_the_older_ceiling_curve_is_target_over_actual():
    ratio = dataclasses.replace(DEFAULT, ceiling_curve="ratio")
    assert indicator_score(ratio, "≤", D(20), D(25), D(10)) == D("8.00")
    assert indicator_score(ratio, "≤", D(20), D(50), D(10)) == D("4.00")  # never zero on this curve


@pytest.mark.parametrize(("wording", "label"), [
    ("达成年度指标", "达成年度指标"), ("效果明显", "达成年度指标"), ("达成 预期指标", "达成年度指标"),
    ("部分达成年度指标并具有一定效果", "部分达成年度指标并具有一定效果"),
    ("未达成年度指标且效果较差", "未达成年度指标且效果较差"), ("另有说法", None),
])
def test_qualitative_wordings_name_their_band(wording, label):
    band = band_of(DEFAULT, wording)
    assert (band.label if band else None) == label


@pytest.mark.parametrize(("label", "score", "inside"), [
    ("达成年度指标", "8", True), ("达成年度指标", "10", True), ("达成年度指标", "7.99", False),
    ("部分达成年度指标并具有一定效果", "6", True), ("部分达成年度指标并具有一定效果", "8", False),
    ("未达成年度指标且效果较差", "0", True), ("未达成年度指标且效果较差", "6", False),
])
def test_a_qualitative_score_must_lie_in_its_band(label, score, inside):
    assert in_band(band_of(DEFAULT, label), D(score), D(10)) is inside


def test_over_achievement_is_a_floor_target_beaten_by_the_profiles_factor():
    assert over_achieved(DEFAULT, "≥", D(100), D(130))
    assert not over_achieved(DEFAULT, "≥", D(100), D(129))
    assert not over_achieved(DEFAULT, "≤", D(100), D(10))
    assert not over_achieved(dataclasses.replace(DEFAULT, over_achievement=None), "≥", D(1), D(100))


def test_not_applicable_indicators_are_dropped_and_the_rest_rescaled_to_the_total():
    assert rescaled(DEFAULT, [D(10), D(10), D(20)], [True, False, True]) == [D("30.00"), D(0), D("60.00")]
    zero = dataclasses.replace(DEFAULT, not_applicable="zero")
    assert rescaled(zero, [D(10), D(10), D(20)], [True, False, True]) == [D(10), D(0), D(20)]
    assert rescaled(DEFAULT, [D(10)], [False]) == [D(0)]


@pytest.mark.parametrize(("total", "expected"), [
    ("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差"),
    ("0", "差"),
])
def test_grades_follow_the_bands(total, expected):
    assert grade(DEFAULT, D(total)) == expected


def profile_data(**changes):
    data = {"id": "x", "title": "x", "budget": {"weight": 10, "basis": "adjusted"},
            "indicators": {"total": 90, "level1": {}, "ceiling_curve": "linear", "not_applicable": "rescale"},
            "qualitative": [], "grades": [{"grade": "优", "min": 90}]}
    for path, value in changes.items():
        *parents, key = path.split("__")
        node = data
        for parent in parents:
            node = node[parent]
        if value is None:
            del node[key]
        else:
            node[key] = value
    return data


@pytest.mark.parametrize(("changes", "message"), [
    ({"budget__basis": "last_year"}, "budget.basis is `adjusted` or `initial`, found `last_year`"),
    ({"indicators__total": 80}, "budget.weight 10 and indicators.total 80 must add up to 100"),
    ({"indicators__level1": {"产出指标": 50}}, "the 一级 weights add up to 50, not indicators.total 90"),
    ({"indicators__ceiling_curve": "cubic"}, "indicators.ceiling_curve is `linear` or `ratio`, found `cubic`"),
    ({"grades": None}, "a scoring profile needs 'grades'"),
    ({"budget__weight": "ten"}, "budget.weight must be a number, found 'ten'"),
    ({"budget__weight": "NaN"}, "budget.weight must be a number, found 'NaN'"),
    ({"budget__weight": True}, "budget.weight must be a number, found True"),
])
def test_a_profile_that_does_not_say_what_it_must_is_refused_by_name(changes, message):
    with pytest.raises(ProfileError) as caught:
        profile_from_data(profile_data(**changes))
    assert str(caught.value) == message
