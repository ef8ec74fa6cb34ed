"""Wording: a change as the 修订记录 of a page tells a reader, in the forms' words.

diff.py, target_diff.py and stage_diff.py describe each change as (kind, subject, before, after,
detail), the subject naming its project ("#招商经费 开展…数量 指标值"), for `diff`'s reviewer. A
page says it as a sentence, without the project whose page it is (the department page names it,
revisions.History.of), in Chinese punctuation, an indicator's cell as that indicator's:

    预算数：100,000.00 元 → 120,000.00 元（+20,000.00 元）
    指标“招商活动次数”的指标值：≥3次 → ≥4次
    新增指标“招商活动次数”（产出指标/数量指标）：≥4次
    自评表中指标“示范县开展电商培训次数”的实际完成值：2220人次 → 2400人次

The subjects are the diff modules' own, made of the project's label, the indicator's name and a
field word from the lists below, so they are taken apart here by those words, never guessed at.
"""

from __future__ import annotations

import re

from builder.history.diff import one_line
from builder.history.target_diff import INDICATOR_CELLS

# The cells of an indicator's row a target's subject ends with ("#招商经费 税收增长率 指标值").
_ROW_CELLS = {"指标值", "指标值确定依据", "绩效指标描述", *(word for _, word in INDICATOR_CELLS)}
# The cells of a 监控表's or 自评表's row (stage_diff.py): "#招商经费 自评 税收增长率 实际完成值".
_STAGE_ROW_CELLS = {"全年预计完成值", "完成可能性", "监控状态", "偏差原因类别", "偏差原因分析", "纠偏措施",
                    "调整后指标值", "调整后名称", "调整原因", "新增原因", "实际完成值", "完成档次", "分值", "得分",
                    "填报得分", "完成情况", "改进措施", "不适用原因"}
_MONTHS_DONE = re.compile(r"1–\d+月完成值")
# The later stages as their subjects name them, and as a reader knows their forms.
_STAGES = {"监控": "监控表", "自评": "自评表"}


def sentence(kind: str, subject: str, before: str | None, after: str | None, detail: str | None = None,
             label: str = "") -> str:
    """One change, said on the page of `label`'s project (or department: 部门整体)."""
    rest = subject[len(label) + 1:] if label and subject.startswith(label + " ") else subject
    where = ""
    stage, _, inner = rest.partition(" ")
    if stage in _STAGES and inner:
        where, rest = f"{_STAGES[stage]}中", inner
    text = where + _named(rest, kind, stage in _STAGES)
    if before is not None and after is not None:
        text += f"：{one_line(before)} → {one_line(after)}"
    elif after is not None or before is not None:
        text += f"：{one_line(after if after is not None else before or '')}"
    return text + (f"（{one_line(detail)}）" if detail else "")


def _named(rest: str, kind: str, in_stage: bool) -> str:
    """`rest` with the indicator it is about named as one: 指标“NAME”的CELL, 新增指标“NAME”（一级/二级）."""
    for verb in ("新增指标 ", "删除指标 "):
        if rest.startswith(verb):
            path = rest[len(verb):]
            parts = path.split("/", 2) if kind in ("indicator-added", "indicator-removed") else []
            if len(parts) == 3:
                return f"{verb.strip()}“{parts[2]}”（{parts[0]}/{parts[1]}）"
            return f"{verb.strip()}“{path}”"
    if kind == "indicator-moved" and rest.startswith("指标 ") and rest.endswith(" 调整类别"):
        return f"指标“{rest[3:-5]}”调整类别"
    name, _, cell = rest.rpartition(" ")
    cells = _STAGE_ROW_CELLS if in_stage else _ROW_CELLS
    if name and (cell in cells or (in_stage and _MONTHS_DONE.fullmatch(cell))):
        return f"指标“{name}”的{cell}"
    return rest  # 预算数, 资金来源 一般公共预算, 收入构成 财政拨款 占比: the form's words as they are


__all__ = ["sentence"]
