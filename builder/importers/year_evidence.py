"""The budget year, from every piece of evidence a disclosure holds, weighed.

- a title or heading (`2024年度部门预算`, `2024年项目支出绩效目标表`): strong;
- a sentence of the text that states the year's budget (`2024年我单位安排项目支出…`): medium;
- a project code: Hebei's and Sichuan's (`13099524P…`, `51000021R…`) are the region's six digits, then
  the two digits of the year the project was set up (positions 7-8): medium, as a project carried
  on from an earlier year keeps its code;
- a deadline in a target (`2024年12月底前`): medium;
- a document number (`冀财预〔2023〕12号`): a notice of year N often allocates year N+1's budget: weak;
- a year inside a project's name or a notice's name (`关于下达2023年…的通知`): allocation notices
  name earlier years, so weak; a basis (`2023年工作计划`, last year's actuals) likewise.

Weak clues never decide alone; a clue that contradicts the year chosen (another title, a code or a
document of a later year, a deadline before it) is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.base.messages import Message, msg
from builder.content.frameworks import squeeze
from builder.importers.evidence import MEDIUM, STRONG, WEAK, Clue, chain, describe, lines_of, scores
from builder.importers.sources import Block, Para

_YEAR = re.compile(r"(20\d\d)年")
_DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔【\[（(](20\d\d)[〕】\]）)]第?\d{1,5}号")
_NOTICE = re.compile(r"关于.*?(?:通知|批复|决定|意见|函|办法|方案|报告)")
_MONTH = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:\d{1,2}日)?"
_DEADLINE = re.compile(rf"(20\d\d)年(?:{_MONTH})?(?:年?底|末|份|[上中下]旬)?(?:之?前|以前|内)")
_DATE_TARGET = re.compile(rf"^[≤<＜≦=＝]*(20\d\d)年{_MONTH}(?:底|末)?$")
_TITLE_WORDS = re.compile(r"预算|绩效目标|申报表|批复表|绩效|项目支出|公开")
_STATEMENT = re.compile(r"(20\d\d)年度?(?:我单位|本单位|我部门|本部门|我局|本局|部门预算|预算|安排|项目支出|全年)")
_SENTENCE = re.compile(r"[，。；！？,;]")
_CODE_YEAR = re.compile(r"^\d{6}(\d\d)[0-9A-Z]")
MAX_TITLE_CHARS = 60
_CONFLICT = ("year_evidence.conflict", "year_evidence.conflict_then")


@dataclass(frozen=True)
class YearChoice:
    year: int
    evidence: Message | str  # the clues for it, as the note lists them
    where: str  # the strongest clue's position
    conflicts: Message | str | None  # the clues for other years that contradict it
    cited: frozenset[str]  # the positions of the clues named in evidence and conflicts


class NoYear(Exception):
    def __init__(self, said: Message):
        super().__init__(said.key)
        self.said = said


def year_clues(blocks: list[Block], projects: list[dict], sources: dict) -> list[Clue]:
    names = sorted({squeeze(p.get("name", "")) for p in projects if len(squeeze(p.get("name", ""))) >= 4},
                   key=len, reverse=True)
    clues: list[Clue] = []
    for line in lines_of(blocks):
        clues += _line_clues(line, names)
    for index, project in enumerate(projects):
        key = f"project:{index + 1}"
        code_where = sources.get((key, "code"), "?")
        clues += _name_clues(squeeze(project.get("name", "")), code_where)
        code_year = _CODE_YEAR.match(project.get("code", ""))
        if code_year and 10 <= int(code_year.group(1)) <= 60:
            clues.append(Clue(f"20{code_year.group(1)}", "code", MEDIUM, project["code"][:8] + "…", code_where))
        for i, indicator in enumerate(project.get("indicators", [])):
            where = sources.get((key, f"indicators.{i}.target"), code_where)
            target = squeeze(str(indicator.get("target", "")))
            deadline = _DEADLINE.search(target) or _DATE_TARGET.match(target)
            if deadline:
                clues.append(Clue(deadline.group(1), "deadline", MEDIUM, target, where))
            basis = _YEAR.search(squeeze(str(indicator.get("basis", ""))))
            if basis:
                clues.append(Clue(basis.group(1), "basis", WEAK, indicator["basis"], sources.get((key, f"indicators.{i}"),
                                                                                               where)))
    return clues


def _line_clues(line: Para, names: list[str]) -> list[Clue]:
    text = squeeze(line.text)
    for name in names:  # a project's name is read once, from the project (_name_clues)
        text = text.replace(name, "〈〉")
    clues = _name_clues(text, line.where, keep_rest=True)
    rest = _blank(_blank(text, _DOCUMENT_NUMBER), _NOTICE)
    title_like = len(rest) <= MAX_TITLE_CHARS and not _SENTENCE.search(rest) and _TITLE_WORDS.search(rest)
    statements = {m.start(): m.group(0) for m in _STATEMENT.finditer(rest)}
    for found in _YEAR.finditer(rest):
        if title_like:
            clues.append(Clue(found.group(1), "title", STRONG, line.text, line.where))
        elif found.start() in statements:
            clues.append(Clue(found.group(1), "text", MEDIUM, statements[found.start()] + "…", line.where))
    return clues


def _name_clues(text: str, where: str, keep_rest: bool = False) -> list[Clue]:
    """Document numbers (for the next year) and years inside a notice's or project's name: weak."""
    clues = [Clue(str(int(m.group(1)) + 1), "document number", WEAK, m.group(0), where)
             for m in _DOCUMENT_NUMBER.finditer(text)]
    text = _blank(text, _DOCUMENT_NUMBER)
    notices = list(_NOTICE.finditer(text))
    for notice in notices:
        clues += [Clue(m.group(1), "notice name", WEAK, notice.group(0), where) for m in _YEAR.finditer(notice.group(0))]
    if not keep_rest:
        clues += [Clue(m.group(1), "project name", WEAK, text, where) for m in _YEAR.finditer(_blank(text, _NOTICE))]
    return clues


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: "〈〉", text)


def choose_year(clues: list[Clue], source: str) -> YearChoice:
    """The year the clues weigh most for; NoYear when none is found or only weak clues name one."""
    if not clues:
        raise NoYear(msg("year_evidence.none"))
    weights = scores(clues)
    ranked = sorted(weights, key=lambda y: (weights[y], max(c.weight for c in clues if c.value == y), y),
                    reverse=True)
    year = ranked[0]
    supporting = [c for c in clues if c.value == year]
    if max(c.weight for c in supporting) == WEAK:
        raise NoYear(msg("year_evidence.only_weak", evidence=describe(supporting, source), year=year))
    strongest = max(supporting, key=lambda c: c.weight)
    against = [c for c in clues if c.weight > WEAK and _contradicts(c, int(year))]
    conflicts = chain([(_CONFLICT, {"year": y, "evidence": describe([c for c in against if c.value == y], source)})
                       for y in sorted({c.value for c in against})])
    return YearChoice(int(year), describe(supporting, source), strongest.where, conflicts or None,
                      frozenset(c.where for c in supporting + against))


def _contradicts(clue: Clue, year: int) -> bool:
    value = int(clue.value)
    if clue.kind == "code":
        return value > year  # a project set up in an earlier year keeps its code
    if clue.kind == "deadline":
        return value < year  # a multi-year project's deadline may be later
    return value != year
