"""base/suggest.py: one measure of likeness, a low bar for hints and a high one for taking a name as meant."""

from __future__ import annotations

from builder.base.suggest import HINT, SAME, closest, did_you_mean


def test_a_hint_names_the_closest_choice_from_half_the_characters_in_common():
    assert did_you_mean("purpse", ["code", "name", "purpose"]) == "did you mean `purpose`?"
    assert did_you_mean("效率指标", ["数量指标", "质量指标", "时效指标", "成本指标"]) == "did you mean `时效指标`?"
    assert did_you_mean("预算", ["purpose", "code"]) is None
    assert closest("abcd", ["abxy"]) == "abxy"  # 4 of 8 characters: exactly half
    assert closest("abcd", ["axyz"]) is None


def test_taking_a_name_as_meant_needs_three_quarters_in_common():
    projects = ["电子商务进农村综合示范项目", "招商引资专项经费"]
    assert closest("电子商务进农村示范项目", projects, SAME) == projects[0]
    assert closest("招商经费", projects, SAME) is None  # 2×4 of 12 characters: a hint, not the same project
    assert closest("招商经费", projects, HINT) == projects[1]


def test_of_equally_close_choices_the_first_listed_wins():
    assert closest("ab", ["ax", "ay"]) == "ax"
    assert closest("ab", ["ay", "ax"]) == "ay"
