"""The 分项绩效目标 narrative: the department's own text as published, and a summary written from the tables.

In real documents the prose and the tables disagree (the seed's prose says
"≥70%" where its table says "≥80百分比"). The department's text is what it
published, so it is shown as it stands, and what check found (lint.py, kept in
the model as NarrativeNotice) is put beside the sentence it concerns
(source_narrative). The summary written from the tables (summarize_department)
is an aid a theme may offer beside it, never in its place; where a department
publishes no text of its own, it is all there is, and says how it was made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from builder.content.model import Department, NarrativeItem, NarrativeNotice, Project

T = TypeVar("T")


@dataclass(frozen=True)
class ProjectSummary:
    project: Project
    overview: str  # 项目共设3个一级指标（…），8个二级指标，11个三级指标。
    indicators: tuple[str, ...]  # 1、产出指标—数量指标—…，指标值为≥4次。


def _unique(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))


def summarize_project(project: Project) -> ProjectSummary:
    level1 = _unique(i.level1.raw for i in project.indicators)
    level2 = _unique((i.level1.raw, i.level2.raw) for i in project.indicators)
    overview = (f"项目共设{len(level1)}个一级指标（{'、'.join(level1)}），{len(level2)}个二级指标，"
                f"{len(project.indicators)}个三级指标。")
    sentences = []
    for number, indicator in enumerate(project.indicators, start=1):
        path = f"{indicator.level1.raw}—{indicator.level2.raw}—{indicator.name}"
        if indicator.target.is_quantitative:
            sentence = f"{number}、{path}，指标值为{indicator.target.raw}"
        else:
            sentence = f"{number}、{path}：{indicator.target.raw}"
        sentences.append(sentence if sentence.endswith(("。", "；", "！")) else sentence + "。")
    return ProjectSummary(project, overview, tuple(sentences))


def summarize_department(department: Department) -> tuple[ProjectSummary, ...]:
    return tuple(summarize_project(p) for p in department.projects)


# Where a sentence ends: a notice goes after the sentence it concerns, not in the middle of it.
_SENTENCE_ENDS = "。；！？!?;"


@dataclass(frozen=True)
class Passage:
    """A stretch of a paragraph as published, and the notices that follow it."""

    text: str
    notices: tuple[NarrativeNotice, ...] = ()


@dataclass(frozen=True)
class SourceItem:
    item: NarrativeItem
    project: Project | None  # the project it describes, when the department has it
    paragraphs: tuple[tuple[Passage, ...], ...]


@dataclass(frozen=True)
class SourceNarrative:
    """The department's own 分项绩效目标 with check's notices beside its sentences."""

    intro: tuple[Passage, ...]  # empty where it has no intro
    items: tuple[SourceItem, ...]
    notices: int  # how many notices there are, in all


def passages(text: str, notices: tuple[NarrativeNotice, ...]) -> tuple[Passage, ...]:
    """`text` cut after each sentence a notice concerns (the notices of a sentence follow it, in their order);
    joined, the passages' texts are `text`."""
    cuts: dict[int, list[NarrativeNotice]] = {}
    for notice in notices:
        at = min(max(notice.end, notice.start, 0), len(text))
        ends = [i for i in (text.find(c, at) for c in _SENTENCE_ENDS) if i >= 0]
        cuts.setdefault(min(ends) + 1 if ends else len(text), []).append(notice)
    pieces, start = [], 0
    for cut in sorted(cuts):
        pieces.append(Passage(text[start:cut], tuple(cuts[cut])))
        start = cut
    if start < len(text) or not pieces:
        pieces.append(Passage(text[start:]))
    return tuple(pieces)


def source_narrative(department: Department) -> SourceNarrative:
    by_code = {p.code: p for p in department.projects}
    items = tuple(SourceItem(item, by_code.get(item.project_code or ""),
                             tuple(passages(text, item.notices[n] if n < len(item.notices) else ())
                                   for n, text in enumerate(item.paragraphs)))
                  for item in department.narrative)
    intro = passages(department.narrative_intro, department.narrative_intro_notices) \
        if department.narrative_intro is not None else ()
    count = len(department.narrative_intro_notices) + sum(
        len(i.name_notices) + sum(len(n) for n in i.notices) for i in department.narrative)
    return SourceNarrative(intro, items, count)
