"""How printed text fits the print templates' given columns: how wide a line is (`text_em`), and
where a label breaks: between its words, never inside one (一级/指标, not 一级指/标).

A form's label cells are narrow (一级指标, 服务对象满意度指标, 预算规模及资金用途), and a renderer
breaks Chinese between any two characters. Chinese has no spaces to say where a word ends, so
the words of the labels a form prints, the indicator framework's and the forms' own, are listed
here; a label is read left to right taking the longest listed word at each place, and a
character no listed word holds is a piece of its own (a run of Latin letters, digits and signs is
one piece, and punctuation keeps to the piece it may not be parted from: 其中：, （续）).

The print templates know how wide each cell is (their columns are given: print.css
`table-layout: fixed`), so a label's lines are made here, as many pieces on a line as fit
(`text_em`), and the template prints them with `<br>` between: the renderer then has nothing
left to break. (A `white-space: nowrap` or `inline-block` span per word does the same in the
renderer, at a quarter more of a volume's layout time.) A piece wider than its cell gets a line
of its own, which the renderer wraps inside the cell as it must.
"""

from __future__ import annotations

from unicodedata import east_asian_width

from markupsafe import Markup, escape

from builder.base.diagnostics import BuildError

WORDS = frozenset("""
一级 二级 三级 指标 指标值 绩效 目标 描述 性质 度量 单位 上年 实际值 实际 权重 方向 计算 公式 确定 依据 备注
产出 效益 效果 满意度 成本 数量 质量 时效 经济 社会 生态 生态环境 环境 可持续 影响 服务对象 社会公众
项目 编码 名称 预算 预算数 规模 资金 用途 财政 其他 其中 支出 计划 主管 部门 实施 实施期 负责人 联系 电话
类型 属性 期限 拨款 情况 总体 年度 总额 合计 金额 收入 构成 职能 概述 中长期 占比 分值 得分 总分 执行 执行率
执行数 偏差 原因 分析 改进 措施 纠偏 预计 完成 完成值 可能性 状态 说明 类别 评价 结论 等级 存在 问题 调整 年初
全年 预期 整体 基本 工资 福利 商品 服务 公用 经费 一般 公共 政府性 基金 专户 管理 结转 年底
""".split())
LONGEST = max(len(word) for word in WORDS)
NOT_FIRST = "：、，。；！？）】」』》〉%％)]:;,.!? "  # may not open a line: kept with the piece before
NOT_LAST = "（【「『《〈([“‘"  # may not close a line: kept with the piece after
SLACK = 0.01  # em: a line this close to the width of its cell is not risked on it (rounding)


def text_em(text: str) -> float:
    """How wide a line of `text` is at most, in em, in the faces print.css names.

    A table with `table-layout: fixed` is laid out without measuring its cells (an automatic
    layout breaks a long CJK cell at every character to find its narrowest width, and that
    was the slowest part of an annex), so a template gives the columns their widths and
    needs to know what will fit. Chinese characters are 1 em in every face. Digits are at
    most 0.56 em and `,` `.` 0.33 em (Noto CJK's, the widest of these faces; the official
    faces' are 0.5 em); other Latin letters are taken as 0.75 em, which `W` and `M` exceed in
    some faces, so a column sized by them keeps some slack.
    """
    return sum(_char_em(c) for c in text)


def _char_em(c: str) -> float:
    if c.isascii():
        return 0.56 if c.isdigit() else 0.33 if c in ",. " else 0.75
    return 1.0 if east_asian_width(c) in "WFA" else 0.75


def pieces(text: str) -> list[str]:
    """`text` in the pieces a line may break between."""
    found: list[str] = []
    at = 0
    while at < len(text):
        size = next((n for n in range(min(LONGEST, len(text) - at), 1, -1) if text[at:at + n] in WORDS), 1)
        if size == 1 and _latin(text[at]):
            while at + size < len(text) and _latin(text[at + size]):
                size += 1
        piece = text[at:at + size]
        if found and (found[-1][-1] in NOT_LAST or piece[0] in NOT_FIRST):
            found[-1] += piece
        else:
            found.append(piece)
        at += size
    return found


def _latin(c: str) -> bool:
    return c.isascii() and not c.isspace()


def label_lines(text: str, width: float) -> list[str]:
    """`text`'s lines in a cell `width` em wide (its content box, in em of its text): its pieces, as
    many on a line as fit. A line break in `text` stays."""
    if text is None:  # as a template that prints None (themes._refuse_none)
        raise BuildError("a template gave the `words` filter None; test the value with `is none` first")
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for piece in pieces(paragraph):
            if line and text_em(line + piece) > width - SLACK:
                lines.append(line)
                line = piece
            else:
                line += piece
        lines.append(line)
    return lines


def label_words(text: str, width: float) -> Markup:
    """The `words` filter: `text` (plain text, escaped here) as HTML lines that fit a cell `width` em wide."""
    return Markup("<br>").join(escape(line) for line in label_lines(text, width))


def label_text(text: str, width: float) -> str:
    """The `word_lines` filter: the same lines as plain text, one a line, for an attribute
    (`data-continued`: continued.py prints them)."""
    return "\n".join(label_lines(text, width))
