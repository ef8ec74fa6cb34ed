"""The 分项绩效目标 narrative, written from the project tables.

In real documents the prose and the tables disagree (the seed's prose says
"≥80%" where its table says "≥70百分比"). Generating the prose from the
tables means the published narrative can never contradict them; the source
narrative is still published next to it where the content has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from builder.content.model import Department, Project

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
