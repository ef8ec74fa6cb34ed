"""The target parser over every notation in DOMAIN.md and every target in the seed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from conftest import SEED

from builder.content.targets import TargetError, parse_target

# raw text -> (kind, comparator, value, upper, unit)
NOTATIONS = {
    # every comparator spelling, with and without spaces
    "≥80%": ("number", "≥", D(80), None, "%"),
    "≤20万元": ("number", "≤", D(20), None, "万元"),
    "≧80%": ("number", "≥", D(80), None, "%"),
    "≦20万元": ("number", "≤", D(20), None, "万元"),
    "＞＝90%": ("number", "≥", D(90), None, "%"),
    "＜＝5天": ("number", "≤", D(5), None, "天"),
    ">=95%": ("number", "≥", D(95), None, "%"),
    "<=20万元": ("number", "≤", D(20), None, "万元"),
    "＞5个": ("number", ">", D(5), None, "个"),
    "＜3次": ("number", "<", D(3), None, "次"),
    "＝100%": ("number", "=", D(100), None, "%"),
    "≥ 80 %": ("number", "≥", D(80), None, "%"),
    "> = 90 %": ("number", "≥", D(90), None, "%"),
    "不低于80%": ("number", "≥", D(80), None, "%"),
    "80%以上": ("number", "≥", D(80), None, "%"),
    "20万元以内": ("number", "≤", D(20), None, "万元"),
    # ranges and tolerances
    "80%-90%": ("range", None, D(80), D(90), "%"),
    "80～90%": ("range", None, D(80), D(90), "%"),
    "3至5个": ("range", None, D(3), D(5), "个"),
    "±3%以内": ("tolerance", "±", D(3), None, "%"),
    # no comparator at all
    "100%": ("number", None, D(100), None, "%"),
    "10辆": ("number", None, D(10), None, "辆"),
    # units: 百分比 and % are one unit; money; counts; measures; time; compound
    "≥80百分比": ("number", "≥", D(80), None, "%"),
    "≥80％": ("number", "≥", D(80), None, "%"),
    "250万": ("number", None, D(250), None, "万元"),
    "≤1.5亿元": ("number", "≤", D("1.5"), None, "亿元"),
    "≤36.50万元": ("number", "≤", D("36.50"), None, "万元"),
    "≤1,250,000.00元": ("number", "≤", D("1250000.00"), None, "元"),
    "≥3000人次": ("number", "≥", D(3000), None, "人次"),
    "≥5000份": ("number", "≥", D(5000), None, "份"),
    "≥2件": ("number", "≥", D(2), None, "件"),
    "≥1座": ("number", "≥", D(1), None, "座"),
    "≥100户": ("number", "≥", D(100), None, "户"),
    "≥20人": ("number", "≥", D(20), None, "人"),
    "≥3场": ("number", "≥", D(3), None, "场"),
    "≥2批次": ("number", "≥", D(2), None, "批次"),
    "≥500亩": ("number", "≥", D(500), None, "亩"),
    "≥1.2万亩": ("number", "≥", D("1.2"), None, "万亩"),
    "≥800平方米": ("number", "≥", D(800), None, "平方米"),
    "≥12公里": ("number", "≥", D(12), None, "公里"),
    "≥12km": ("number", "≥", D(12), None, "公里"),
    "≥50公斤": ("number", "≥", D(50), None, "公斤"),
    "≤30天": ("number", "≤", D(30), None, "天"),
    "≤12个月": ("number", "≤", D(12), None, "月"),
    "≤1年": ("number", "≤", D(1), None, "年"),
    "≤3月": ("number", "≤", D(3), None, "月"),
    "≤30日": ("number", "≤", D(30), None, "天"),
    "≤300元/亩": ("number", "≤", D(300), None, "元/亩"),
    "≤2万元/人": ("number", "≤", D(2), None, "万元/人"),
    "≤5000元/场": ("number", "≤", D(5000), None, "元/场"),
    # deadlines
    "2022年12月底前": ("deadline", "≤", None, None, None),
    "2023年11月底前": ("deadline", "≤", None, None, None),
}

DEADLINES = {"2022年12月底前": date(2022, 12, 31), "2023年11月底前": date(2023, 11, 30),
             "2022年底前": date(2022, 12, 31), "2022年6月30日前": date(2022, 6, 30)}

QUALITATIVE = ["全方位、多渠道开展招商引资活动，有效宣传我县投资环境。", "明显改善", "稳步提高", "优良", "达标", "是",
               "按时完成工作，完善农村电子商务公共服务体系"]

DAMAGED = {
    "≥**个": "still holds a template placeholder",
    "≥XX%": "still holds a template placeholder",
    "≥80%以上": "states its comparator twice",
    "90%-80%": "runs backwards",
    "≥": "cannot read a number",
    "≥80%/年/人": "cannot read the unit",
}


@pytest.mark.parametrize("raw", list(NOTATIONS))
def test_every_domain_notation_parses(raw):
    kind, comparator, value, upper, unit = NOTATIONS[raw]
    target = parse_target(raw)
    assert (target.kind, target.comparator, target.value, target.upper, target.unit) == (
        kind, comparator, value, upper, unit)
    assert target.raw == raw  # verbatim, always


def test_unit_spelling_is_kept_next_to_the_normalized_unit():
    target = parse_target("≥80百分比")
    assert (target.unit, target.unit_raw, target.unit_kind) == ("%", "百分比", "percent")
    assert (parse_target("250万").unit_raw, parse_target("250万").unit_kind) == ("万", "money")


@pytest.mark.parametrize("raw", list(DEADLINES))
def test_deadlines_resolve_to_their_last_day(raw):
    target = parse_target(raw)
    assert target.kind == "deadline"
    assert target.deadline == DEADLINES[raw]


@pytest.mark.parametrize("raw", QUALITATIVE)
def test_qualitative_targets_are_text(raw):
    target = parse_target(raw)
    assert (target.kind, target.text, target.value, target.comparator) == ("text", raw, None, None)


@pytest.mark.parametrize("raw", list(DAMAGED))
def test_damage_is_an_error_not_prose(raw):
    with pytest.raises(TargetError) as excinfo:
        parse_target(raw)
    assert DAMAGED[raw] in excinfo.value.message


def test_excel_serial_parses_as_a_number_without_unit():
    # `check` warns about it (test_diagnostics); the parser keeps the number.
    target = parse_target("45275")
    assert (target.kind, target.value, target.unit) == ("number", D(45275), None)


def test_values_are_decimal_never_float():
    for raw in NOTATIONS:
        target = parse_target(raw)
        for value in (target.value, target.upper):
            assert value is None or type(value) is D


def seed_targets() -> list[str]:
    """The 指标值 column of every indicator row in the seed, read straight from the export.

    Rows of the indicator table are 7 TAB-led cells (一级, 二级, 三级, 描述,
    an empty spacer column, 指标值, 依据) between blank lines.
    """
    targets, row, in_table = [], [], False
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        if line.startswith("\t"):
            row.append(line[1:])
            continue
        if row and row[0] == "一级指标":
            in_table = True
        elif row and in_table and len(row) == 7:
            targets.append(row[5])
        if line.startswith("[bookmark"):
            in_table = False
        row = []
    return targets


def test_the_seed_has_52_targets():
    assert len(seed_targets()) == 52


@pytest.mark.parametrize("raw", sorted(set(seed_targets())))
def test_every_seed_target_parses(raw):
    target = parse_target(raw)
    if raw[0] in "≥≤":
        assert target.kind == "number"
        assert target.comparator == raw[0]
        assert target.unit in {"次", "个", "%", "万元", "份", "人次"}
        assert target.value == D("".join(ch for ch in raw if ch.isdigit()))
    else:
        assert target.kind == "text"
        assert target.text == raw
