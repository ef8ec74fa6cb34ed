"""The numbers of items in Chinese official documents, one definition for the model and the importer.

（一） (一) 一、 十一、 一百零一、 1、 1. 1． （1） (1) ①: a number in Chinese numerals (with 百 and
零 for the hundredth item on), in Arabic digits, or circled.
"""

from __future__ import annotations

import re

# 一 … 九, 十, 百, and 零 for a gap (一百零一); 〇 as some documents write it (一〇一).
CHINESE_DIGITS = "一二三四五六七八九十百零〇"
ITEM_NUMBER = rf"[（(][{CHINESE_DIGITS}\d]+[）)]|[{CHINESE_DIGITS}]+、|\d+[、.．]|[①-⑳]"
# An item's number at the start of its text, with the space around it.
NUMBERING = re.compile(rf"^\s*(?P<number>{ITEM_NUMBER})\s*")
# Where an item glued to the one before it on a line begins: after a space ("…。 3、…", "…。 （三）…")
# or right after the sentence's end ("…任务；2.…", "…。3、…"). `1.2万亩` is a number, not item 1.
# The run of spaces is taken whole from its first space (no backtracking into it): a cell of thousands of
# spaces is split in one pass, not tried at each of them.
GLUED_ITEM = re.compile(rf"(?:(?<!\s)\s++|(?<=[；;。]))(?=(?:\d+[、.．](?!\d)|[（(][{CHINESE_DIGITS}\d]+[）)]))")


def split_number(raw: str) -> tuple[str | None, str]:
    """The number an item starts with (None without one) and the text after it."""
    m = NUMBERING.match(raw)
    if not m:
        return None, raw
    return m.group("number"), raw[m.end():]
