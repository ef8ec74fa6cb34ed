"""A seed-like content folder of any size, the same every time for the same seed number.

    .venv/bin/python bench/corpus.py OUT [--departments 200] [--projects 10] [--seed 1]

Departments x projects in gongkai's own content format, shaped like the seed
(../shared/seeds): a department file with duties, narrative and measures, and
per project a budget, a spending plan, goals and ~13 indicators across the
classic framework's categories, with Chinese names and every notation of target
the seed uses (≥4次, ≥80百分比, ≤20万元, a sentence). Codes and amounts vary;
every file passes `check` without errors.
"""

from __future__ import annotations

import argparse
import random
from decimal import Decimal
from pathlib import Path

SITE = """\
title: 某省预算绩效目标公开（基准测试）
publisher: 某省财政厅
languages: [zh-CN]
theme: default
base_path: /
framework: classic
"""

PLACES = "玉田 丰润 遵化 迁安 滦州 乐亭 迁西 滦南 曹妃甸 古冶 开平 路南 路北 丰南".split()
BUREAUS = ["商务和投资促进局", "教育局", "卫生健康局", "农业农村局", "交通运输局", "文化广电和旅料局",
           "民政局", "人力资源和社会保障局", "自然资源和规划局", "住房和城乡建设局", "水务局", "市场监督管理局"]
SUBJECTS = ["招商", "疫情防控", "电商进农村", "农村公路养护", "义务教育营养餐", "基层医疗卫生", "高标准农田建设",
            "城乡低保", "就业培训", "河道治理", "食品安全抽检", "文化惠民演出", "老旧小区改造", "乡村振兴示范"]
ACTIONS = ["开展", "完成", "组织", "建设", "培训", "检查", "推广", "改造"]
OBJECTS = ["宣传推介活动", "专项检查", "培训班", "示范点", "服务站", "监测点位", "入户走访", "应急演练"]

# (level1, level2, names, targets): the classic framework's categories, as the seed fills them.
ROWS = [
    ("产出指标", "数量指标", None, ["≥{n}次", "≥{n}个", "≥{k}份", "≥{n}人次"]),
    ("产出指标", "数量指标", None, ["≥{n}次", "≥{n}个", "={n}处"]),
    ("产出指标", "质量指标", ["验收合格率", "完成率", "达标率"], ["≥{p}百分比", "≥{p}%", "=100%"]),
    ("产出指标", "时效指标", ["任务完成及时率", "资金拨付及时率"], ["≥{p}百分比", "2022年{m}月底前"]),
    ("产出指标", "成本指标", ["资金成本", "项目总成本"], ["≤{cost}万元"]),
    # Each name with targets in its own unit (check warns on a rate in 人, a count in %).
    ("效益指标", "经济效益指标", ["税收增长率", "带动就业人数"],
     {"税收增长率": ["≥{p}百分比", "≥{p}%"], "带动就业人数": ["≥{n}人", "≥{n}人次"]}),
    ("效益指标", "社会效益指标", ["社会知晓度", "群众受益面"], ["有效提升", "明显改善", "≥{p}%"]),
    ("效益指标", "生态效益指标", ["生态环境改善", "资源节约率"], ["逐步改善", "≥{p}百分比"]),
    ("效益指标", "可持续影响指标", ["长效机制建设", "持续发挥作用年限"], ["持续发挥作用", "≥{y}年"]),
    ("满意度指标", "服务对象满意度指标", ["企业满意度"], ["≥{p}百分比"]),
    ("满意度指标", "服务对象满意度指标", ["服务对象满意度"], ["≥{p}%"]),
    ("满意度指标", "服务对象满意度指标", ["群众满意率"], ["≥{p}百分比"]),
    ("满意度指标", "服务对象满意度指标", ["满意率"], ["≥{p}百分比"]),
]


def q(text: str) -> str:
    """A YAML scalar that stays a string (codes of digits, leading #, ≥ ...)."""
    return "'" + text.replace("'", "''") + "'"


def project_yaml(rng: random.Random, code: str, subject: str, budget: Decimal) -> str:
    name = f"{subject}专项经费"
    lines = [f"code: {q(code)}", f"name: {q(name)}", "budget:",
             f"  total: {budget:.2f}", f"  fiscal: {budget:.2f}", "  other:",
             f"purpose: {q(f'保障{subject}工作顺利开展，提升公共服务水平，推动全县经济社会高质量发展。')}",
             "spending_plan:"]
    for milestone, percent in (("3月底", 25), ("6月底", 50), ("10月底", 75), ("12月底", 100)):
        lines.append(f"  - {{milestone: {milestone}, percent: {percent}%}}")
    action, obj = rng.choice(ACTIONS), rng.choice(OBJECTS)
    lines += ["goals:", f"  - {q(f'1.全年{action}{obj}，完成{subject}年度任务。')}",
              f"  - {q('2.提高资金使用效益，服务对象满意度保持较高水平。')}", "indicators:"]
    ceiling = max(1, int(budget / 10000))
    last = (None, None)
    for n, (level1, level2, names, targets) in enumerate(ROWS):
        # The first indicator measures goal 1, as a reviewer expects.
        indicator = rng.choice(names) if names else (
            f"{action}{obj}数量" if n == 0 else f"{rng.choice(ACTIONS)}{rng.choice(OBJECTS)}数量")
        if n == 1 and indicator == f"{action}{obj}数量":  # one indicator twice in a table is an error
            indicator = f"{action}{OBJECTS[(OBJECTS.index(obj) + 1) % len(OBJECTS)]}数量"
        options = targets[indicator] if isinstance(targets, dict) else targets
        target = rng.choice(options).format(n=rng.randint(2, 60), k=rng.randint(1, 50) * 100,
                                            p=rng.choice((80, 85, 90, 95, 98)), m=rng.choice((6, 10, 12)),
                                            cost=rng.randint(max(1, ceiling // 2), ceiling), y=rng.randint(1, 10))
        lines.append(f"  - level1: {level1}" if level1 != last[0] else f"  - level2: {level2}")
        if level1 != last[0]:
            lines.append(f"    level2: {level2}")
        last = (level1, level2)
        lines += [f"    name: {q(indicator)}", f"    description: {q(indicator)}",
                  f"    target: {q(target)}", f"    basis: {q(f'{subject}工作方案')}"]
    return "\n".join(lines) + "\n"


def department_yaml(code: str, name: str, year: int, project_codes: list[str]) -> str:
    lines = [f"code: {q(code)}", f"name: {q(name)}", "scope: 本级", f"year: {year}", "money_unit: 元",
             "overall:", f"  title: {q(name + '部门整体绩效')}", "  duties:"]
    for n, duty in enumerate(("贯彻落实国家、省、市有关方针政策，拟订本行业发展规划及措施。",
                              "负责本行业的监督管理，组织实施重点项目，做好服务保障工作。",
                              "完成县委、县政府交办的其他任务。"), 1):
        lines.append(f"    - {q(f'（{n}）{duty}')}")
    lines += ["measures:", f"  title: {q(name + '工作保障措施')}", "  items:",
              f"    - {q('1、加强预算绩效管理，严格资金使用，确保专款专用。')}",
              f"    - {q('2、建立健全绩效监控机制，及时纠正偏差，确保绩效目标如期实现。')}",
              "projects:"]
    lines += [f"  - {q(c)}" for c in project_codes]
    return "\n".join(lines) + "\n"


def generate(out: Path, departments: int, projects: int, seed: int = 1, year: int = 2022) -> list[Path]:
    """Write the corpus into `out` (which must not exist); returns the project files."""
    rng = random.Random(seed)
    out.mkdir(parents=True)
    (out / "site.yaml").write_text(SITE, encoding="utf-8")
    written = []
    for d in range(departments):
        code = f"{300000 + d * 7 + rng.randint(0, 6):06d}"
        name = f"{PLACES[d % len(PLACES)]}县{BUREAUS[(d // len(PLACES)) % len(BUREAUS)]}"
        if d >= len(PLACES) * len(BUREAUS):
            name += f"第{d // (len(PLACES) * len(BUREAUS)) + 1}分局"
        folder = out / str(year) / code
        (folder / "projects").mkdir(parents=True)
        codes = []
        for p in range(projects):
            project_code = f"1302{year % 100}22P{d:04d}{rng.randint(0, 0xFFFFF):05X}{p:04d}"
            budget = Decimal(rng.randint(5, 5000) * 10000 + rng.choice((0, 0, 5000, 1234))) / 1
            text = project_yaml(rng, project_code, SUBJECTS[(d + p) % len(SUBJECTS)], budget)
            path = folder / "projects" / f"{project_code}.yaml"
            path.write_text(text, encoding="utf-8")
            codes.append(project_code)
            written.append(path)
        (folder / "department.yaml").write_text(department_yaml(code, name, year, codes), encoding="utf-8")
    return written


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--departments", type=int, default=200)
    p.add_argument("--projects", type=int, default=10, help="projects per department")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    files = generate(args.out, args.departments, args.projects, args.seed)
    print(f"{len(files)} projects in {args.departments} departments written to {args.out}")


if __name__ == "__main__":
    main()
