"""Item numbers (content/numbering.py): the model and the importer read the same numbers, 百 included."""

from __future__ import annotations

import pytest

from builder.content.model import Numbered
from builder.content.numbering import split_number
from builder.importers.forms import split_numbered

NUMBERED = [("1. 开展培训", "1.", "开展培训"), ("（一）贯彻落实", "（一）", "贯彻落实"), ("一、职能", "一、", "职能"),
            ("十一、保障", "十一、", "保障"), ("一百、宣传", "一百、", "宣传"), ("一百零一、宣传", "一百零一、", "宣传"),
            ("（一百零一）宣传", "（一百零一）", "宣传"), ("一〇一、宣传", "一〇一、", "宣传"), ("(12) 验收", "(12)", "验收"),
            ("② 推广", "②", "推广")]


@pytest.mark.parametrize(("raw", "number", "text"), NUMBERED)
def test_the_model_splits_every_numbering_style_off_its_text(raw, number, text):
    assert split_number(raw) == (number, text)
    assert Numbered.parse(raw) == Numbered(raw=raw, number=number, text=text)


def test_text_without_a_number_is_kept_whole():
    for raw in ("百分之百完成", "一百家企业参加", "2022年完成", "零星支出"):
        assert split_number(raw) == (None, raw)


def test_the_importer_starts_an_item_at_every_number_the_model_reads():
    lines = "\n".join(raw for raw, _, _ in NUMBERED)
    assert split_numbered(lines) == [raw for raw, _, _ in NUMBERED]
    # A line without a number continues the item above it.
    assert split_numbered("九十九、甲\n一百零一、乙\n续写") == ["九十九、甲", "一百零一、乙\n续写"]
    assert split_numbered("一百、甲。 （一百零一）乙") == ["一百、甲。", "（一百零一）乙"]


def test_items_glued_after_a_sentence_end_are_split_and_a_decimal_is_no_item():
    from builder.importers.forms import split_numbered

    assert split_numbered("1.完成农村公路养护任务；2.优良中等路率达到85%；3.群众出行满意度提高。") == [
        "1.完成农村公路养护任务；", "2.优良中等路率达到85%；", "3.群众出行满意度提高。"]
    assert split_numbered("1.新建高标准农田 1.2万亩。2.提升耕地质量。") == ["1.新建高标准农田 1.2万亩。", "2.提升耕地质量。"]
