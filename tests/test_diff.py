"""`build.py diff` and `build --rev`: the content's git history in the domain's words."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CONTENT, reproducible, tree_snapshot, without_stages

P1 = "content/2022/304001/projects/13022922P00JXC411757B.yaml"
P2 = "content/2022/304001/projects/13022922P000BR0103603.yaml"
P3 = "content/2022/304001/projects/13022922P00JXC411759J.yaml"
DEPT = "content/2022/304001/department.yaml"
STAGED = "130229214I5FK2QU161C5"  # the seed's project with an example monitoring round and self-evaluation
EVALUATION = f"content/2022/304001/evaluations/{STAGED}.yaml"
MONITORING = f"content/2022/304001/monitoring/{STAGED}.yaml"
STAGED_NAME = "玉财建【2021】31号关于下达2021年中央服务业发展资金预算的通知"
GIT_ENV = {"GIT_AUTHOR_NAME": "财政局", "GIT_AUTHOR_EMAIL": "czj@example.invalid", "GIT_COMMITTER_NAME": "财政局",
           "GIT_COMMITTER_EMAIL": "czj@example.invalid"}


class Repo:
    def __init__(self, root: Path):
        self.root = root
        self.count = 0

    def git(self, *args: str) -> str:
        self.count += 1
        date = f"2022-0{1 + min(self.count // 5, 8)}-{10 + self.count % 18:02d}T10:00:00+08:00"
        env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        return subprocess.run(["git", *args], cwd=self.root, env=env, check=True, capture_output=True,
                              text=True).stdout

    def edit(self, path: str, old: str, new: str) -> None:
        file = self.root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, old
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path) -> Repo:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(CONTENT, root / "content")
    r = Repo(root)
    r.git("init", "-q", "-b", "main")
    r.commit("2022年预算绩效目标（人大批准版）")
    r.git("tag", "approved")
    return r


def targets_only(scratch_repo) -> None:
    """The approved commit without the example stage files, whose figures a changed target would change
    too: these tests are about the one change each edit makes."""
    without_stages(scratch_repo.root / "content/2022/304001")
    scratch_repo.git("add", "-A")
    scratch_repo.git("commit", "-q", "--amend", "--no-edit")
    scratch_repo.git("tag", "-f", "approved")


def diff(cli, repo: Repo, a: str, b: str, *extra: str):
    return cli("diff", a, b, *extra, cwd=repo.root)


def test_every_kind_of_change_in_the_domains_words(repo, cli):
    # Reordering indicators and projects is not a change.
    repo.edit(DEPT, "  - 13022922P00JXC411757B  # 1. #招商经费\n  - 13022922P000BR0103603",
              "  - 13022922P000BR0103603\n  - 13022922P00JXC411757B  # 1. #招商经费")
    text = (repo.root / P1).read_text(encoding="utf-8")
    block = text[text.index("  - level1: 满意度指标"):]
    rows = block.split("  - level2: ")
    (repo.root / P1).write_text(text.replace(block, rows[0] + "  - level2: " + rows[2] + "  - level2: " + rows[1]),
                                encoding="utf-8")
    # A department folder moved elsewhere: its projects did not change.
    (repo.root / "content/2022/304001").rename(repo.root / "content/2022/yutian-304001")
    repo.commit("整理：调整顺序，移动文件夹")
    assert diff(cli, repo, "approved", "HEAD").out == "没有变化。\n"

    moved = "content/2022/yutian-304001/projects/"
    repo.edit(moved + "13022922P00JXC411757B.yaml", "  total: 100000.00\n  fiscal: 100000.00",
              "  total: 150000.00\n  fiscal: 150000.00")
    repo.edit(moved + "13022922P00JXC411757B.yaml", "percent: 50%}", "percent: 40%}")
    repo.edit(moved + "13022922P00JXC411757B.yaml", "target: ≥70百分比", "target: ≥60%")
    repo.edit(moved + "13022922P00JXC411757B.yaml", "target: ≥4次", "target: ≤4次")
    repo.edit(moved + "13022922P00JXC411757B.yaml", "    basis: 2022年招商引资工作计划\n  - level2: 质量指标",
              "    basis: 2022年招商引资工作方案\n  - level2: 质量指标")
    repo.edit(moved + "13022922P00JXC411757B.yaml", "    description: 促成合作意向数",
              "    description: 促成的合作意向数量")
    # An indicator moves to another category, one is reworded, one added, one removed.
    repo.edit(moved + "13022922P000BR0103603.yaml",
              "  - level2: 可持续影响指标\n    name: 示范县促进电商精准扶贫",
              "  - level2: 生态效益指标\n    name: 示范县促进电商精准扶贫")
    repo.edit(moved + "13022922P000BR0103603.yaml", "    name: 新增农村网商（店）", "    name: 新增农村网商（网店）")
    repo.edit(moved + "13022922P000BR0103603.yaml", "  - level2: 时效指标\n    name: 按时完成工作",
              "  - level2: 时效指标\n    name: 按期完成全部建设任务")
    # A project renamed, one removed, one added.
    repo.edit(moved + "13022922P00JXC411759J.yaml", "name: 疫情防控经费", "name: 疫情防控专项经费")
    (repo.root / moved / "130229214I5FK2QU161C5.yaml").unlink()
    for stage in ("monitoring", "evaluations"):  # a removed project's stages go with it; so do those of
        for code in ("130229214I5FK2QU161C5", "13022922P00JXC411757B", "13022922P000BR0103603"):  # the others
            (repo.root / f"content/2022/yutian-304001/{stage}/{code}.yaml").unlink()  # changed, to be redone
    repo.edit("content/2022/yutian-304001/department.yaml", "  - 130229214I5FK2QU161C5", "  - 13022922P00NEW00001")
    new = (repo.root / moved / "13022922P00JXC411759J.yaml").read_text(encoding="utf-8")
    new = new.replace("code: 13022922P00JXC411759J", "code: 13022922P00NEW00001").replace(
        "name: 疫情防控专项经费", "name: 外贸企业纾困补助").replace("  total: 50000.00\n  fiscal: 50000.00",
                                                                    "  total: 300000.00\n  fiscal: 300000.00")
    (repo.root / moved / "13022922P00NEW00001.yaml").write_text(new, encoding="utf-8")
    repo.commit("预算调整")

    run = diff(cli, repo, "approved", "HEAD")
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        "[2022 304001 13022922P00NEW00001] 项目 外贸企业纾困补助 新增: 300,000.00 元",
        "[2022 304001 130229214I5FK2QU161C5] 项目 玉财建【2021】31号关于下达2021年中央服务业发展资金预算的通知 删除: "
        "10,000,000.00 元",
        "[2022 304001 13022922P000BR0103603] 冀财建【2021】192号河北省财政厅关于提前下达2022年中央服务业发展资金预算的通知 "
        "指标 示范县促进电商精准扶贫，对接电商企业，落地电商帮扶项目 调整类别: 效益指标/可持续影响指标 → 效益指标/生态效益指标",
        "[2022 304001 13022922P000BR0103603] 冀财建【2021】192号河北省财政厅关于提前下达2022年中央服务业发展资金预算的通知 "
        "指标名称: 新增农村网商（店） → 新增农村网商（网店）",
        "[2022 304001 13022922P000BR0103603] 冀财建【2021】192号河北省财政厅关于提前下达2022年中央服务业发展资金预算的通知 "
        "新增指标 产出指标/时效指标/按期完成全部建设任务: 按时完成工作，完善农村电子商务公共服务体系",
        "[2022 304001 13022922P000BR0103603] 冀财建【2021】192号河北省财政厅关于提前下达2022年中央服务业发展资金预算的通知 "
        "删除指标 产出指标/时效指标/按时完成工作: 按时完成工作，完善农村电子商务公共服务体系",
        "[2022 304001 13022922P000BR0103603] 冀财建【2021】192号河北省财政厅关于提前下达2022年中央服务业发展资金预算的通知 "
        "删除监控表: 1-7月",
        "[2022 304001 13022922P000BR0103603] 冀财建【2021】192号河北省财政厅关于提前下达2022年中央服务业发展资金预算的通知 "
        "删除自评表: 总分 99.78",
        "[2022 304001 13022922P00JXC411757B] #招商经费 预算数: 100,000.00 元 → 150,000.00 元 (+50,000.00 元)",
        "[2022 304001 13022922P00JXC411757B] #招商经费 财政资金: 100,000.00 元 → 150,000.00 元 (+50,000.00 元)",
        "[2022 304001 13022922P00JXC411757B] #招商经费 资金支出计划: 3月底25%，6月底50%，10月底75%，12月底100% → "
        "3月底25%，6月底40%，10月底75%，12月底100%",
        "[2022 304001 13022922P00JXC411757B] #招商经费 开展产业优势产业项目宣传推介活动数量 指标值: ≥4次 → ≤4次 "
        "(比较符号 ≥ → ≤)",
        "[2022 304001 13022922P00JXC411757B] #招商经费 开展产业优势产业项目宣传推介活动数量 指标值确定依据: "
        "2022年招商引资工作计划 → 2022年招商引资工作方案",
        "[2022 304001 13022922P00JXC411757B] #招商经费 促成合作意向数 绩效指标描述: 促成合作意向数 → 促成的合作意向数量",
        "[2022 304001 13022922P00JXC411757B] #招商经费 税收增长率 指标值: ≥70百分比 → ≥60%",
        "[2022 304001 13022922P00JXC411757B] #招商经费 删除监控表: 1-7月",
        "[2022 304001 13022922P00JXC411757B] #招商经费 删除自评表: 总分 97.36",
        "[2022 304001 13022922P00JXC411759J] 项目名称: 疫情防控经费 → 疫情防控专项经费",
    ]


def evaluate_more_training(repo: Repo) -> None:
    """The self-evaluation's training row reaches 2400人次 of 3000: 8 points instead of 7.4."""
    repo.edit(EVALUATION, "    actual: 2220人次\n    weight: 10\n    score: 7.4",
              "    actual: 2400人次\n    weight: 10\n    score: 8")
    repo.edit(EVALUATION, "total: 96.9", "total: 97.5")


def test_stage_changes_in_the_forms_words(repo, cli):
    evaluate_more_training(repo)
    repo.edit(MONITORING, "    progress: 900人次\n    forecast: 2400人次", "    progress: 1200人次\n    forecast: 3000人次")
    repo.edit(MONITORING, "    likelihood: 有可能\n  - name: 示范县物流", "    likelihood: 确定能\n  - name: 示范县物流")
    repo.commit("自评：培训人次更正")
    run = diff(cli, repo, "approved", "HEAD")
    assert run.code == 0, run.err
    where = f"[2022 304001 {STAGED}] {STAGED_NAME}"
    assert run.out.splitlines() == [
        f"{where} 监控 示范县开展电商培训次数 1–7月完成值: 900人次 → 1200人次",
        f"{where} 监控 示范县开展电商培训次数 全年预计完成值: 2400人次 → 3000人次",
        f"{where} 监控 示范县开展电商培训次数 完成可能性: 有可能 → 确定能",
        f"{where} 监控 示范县开展电商培训次数 监控状态: 偏离 → 正常",
        f"{where} 自评 示范县开展电商培训次数 实际完成值: 2220人次 → 2400人次",
        f"{where} 自评 示范县开展电商培训次数 得分: 7.4 → 8",
        f"{where} 自评 总分: 96.9 → 97.5",
    ]
    changes = json.loads(diff(cli, repo, "approved", "HEAD", "--format", "json").out)
    assert {c["kind"] for c in changes} == {"monitoring-changed", "evaluation-changed"}

    # A stage file removed, and (the other way round) added; reordering its rows is no change.
    (repo.root / MONITORING).unlink()
    text = (repo.root / EVALUATION).read_text(encoding="utf-8")
    first, second = text.index("  - name: 示范县开展电商培训次数"), text.index("  - name: 示范县物流配送中心")
    third = text.index("  - name: 新增农村网商")
    (repo.root / EVALUATION).write_text(text[:first] + text[second:third] + text[first:second] + text[third:],
                                        encoding="utf-8")
    repo.commit("撤回监控表")
    assert diff(cli, repo, "HEAD~1", "HEAD").out.splitlines() == [f"{where} 删除监控表: 1-7月"]
    assert diff(cli, repo, "HEAD", "HEAD~1").out.splitlines() == [f"{where} 新增监控表: 1-7月"]


def test_the_department_wide_self_evaluation(repo, cli):
    own = "content/2022/304001/evaluation.yaml"
    repo.edit(own, "    actual: 1.6万元\n    weight: 10\n    score: 10",
              "    actual: 2.5万元\n    weight: 10\n    score: 7.5\n    deviation: 疫情防控物资采购增加。")
    repo.edit(own, "total: 94.63", "total: 92.13")
    repo.commit("部门整体自评：一般性支出更正")
    (repo.root / own).unlink()
    repo.commit("撤回部门整体自评")
    assert diff(cli, repo, "approved", "HEAD~1").out.splitlines() == [
        "[2022 304001] 部门整体 自评 一般性支出控制 实际完成值: 1.6万元 → 2.5万元",
        "[2022 304001] 部门整体 自评 一般性支出控制 得分: 10 → 7.5",  # (1 − (2.5 − 2) / 2) × 10
        "[2022 304001] 部门整体 自评 一般性支出控制 完成情况: 达成 → 未达成",
        "[2022 304001] 部门整体 自评 一般性支出控制 偏差原因分析: （空） → 疫情防控物资采购增加。",
        "[2022 304001] 部门整体 自评 总分: 94.63 → 92.13",
    ]
    assert diff(cli, repo, "HEAD~1", "HEAD").out.splitlines() == ["[2022 304001] 部门整体 删除自评表: 总分 92.13"]
    assert diff(cli, repo, "HEAD", "HEAD~1").out.splitlines() == ["[2022 304001] 部门整体 新增自评表: 总分 92.13"]


def test_formats(repo, cli):
    repo.edit(P1, "target: ≥70百分比", "target: ≥60%")
    repo.commit("调整税收增长率")
    changes = json.loads(diff(cli, repo, "approved", "HEAD", "--format", "json").out)
    assert changes == [{"kind": "target-changed", "year": 2022, "department": "304001",
                        "project": "13022922P00JXC411757B", "subject": "#招商经费 税收增长率 指标值",
                        "before": "≥70百分比", "after": "≥60%", "detail": None}]
    assert diff(cli, repo, "approved", "HEAD", "--format", "markdown").out.startswith("# approved → HEAD\n\n- [2022")
    page = diff(cli, repo, "approved", "HEAD", "--format", "html").out
    assert page.startswith("<!DOCTYPE html>") and "≥70百分比 → ≥60%" in page


def test_clear_errors_for_unknown_revisions_and_no_git(repo, cli, tmp_path):
    run = diff(cli, repo, "approved", "no-such-tag")
    assert run.code == 1 and run.err == "error: unknown revision 'no-such-tag'\n"
    outside = tmp_path / "plain"
    shutil.copytree(CONTENT, outside / "content")
    run = cli("diff", "HEAD~1", "HEAD", cwd=outside)
    assert run.code == 1 and "is not inside a git work tree" in run.err
    assert "Traceback" not in run.err


def test_build_rev_equals_checking_out_and_building(repo, cli, tmp_path):
    repo.edit(P1, "target: ≥70百分比", "target: ≥60%")
    repo.commit("调整")
    before = tree_snapshot(repo.root / "content")
    run = cli("build", "--rev", "approved", "--no-pdf", "--output", str(tmp_path / "rev"), cwd=repo.root)
    assert run.code == 0, run.err
    assert tree_snapshot(repo.root / "content") == before  # the work tree was not touched
    assert "≥70百分比" in (tmp_path / "rev/2022/304001/projects/13022922P00JXC411757B.html").read_text("utf-8")
    repo.git("checkout", "-q", "approved")
    run = cli("build", "--no-pdf", "--output", str(tmp_path / "checkout"), cwd=repo.root)
    assert run.code == 0, run.err
    assert reproducible(tree_snapshot(tmp_path / "rev")) == reproducible(tree_snapshot(tmp_path / "checkout"))


def test_build_rev_pdfs_carry_the_revisions_date(repo, cli, tmp_path):
    from pypdf import PdfReader

    targets_only(repo)  # the annexes say it; the stage forms' dates are in the golden copy
    repo.edit(P1, "target: ≥70百分比", "target: ≥60%")
    repo.commit("调整")
    run = cli("build", "--rev", "approved", "--output", str(tmp_path / "rev"), cwd=repo.root)
    assert run.code == 0, run.err
    created = PdfReader(tmp_path / "rev/2022/304001/projects/13022922P00JXC411757B.pdf").metadata.creation_date
    approved = int(repo.git("log", "-1", "--format=%ct", "approved").strip())
    assert int(created.timestamp()) == approved


def test_build_rev_reports_findings_at_the_real_paths(repo, cli, tmp_path):
    repo.edit(P1, "  total: 100000.00", "  total: 1.00")
    repo.commit("一个错误")
    run = cli("build", "--rev", "HEAD", "--no-pdf", "--output", str(tmp_path / "out"), cwd=repo.root)
    assert run.code == 1
    assert any(d.startswith("content/2022/304001/projects/13022922P00JXC411757B.yaml:6:10: error: 预算数 1.00 元")
               for d in run.diagnostics), run.err


PROVINCES = CONTENT.parent / "tests" / "fixtures" / "provinces" / "content"
FARMLAND = "content/2024/501001/projects/50100124P000001.yaml"
WHOLE = "content/2024/501001/department.yaml"


@pytest.fixture
def provinces(tmp_path) -> Repo:
    """A scratch repository of the fixture site in the 申报表 and 部门整体 layouts, then one commit that
    changes a cell of each kind those forms add."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(PROVINCES, root / "content")
    r = Repo(root)
    r.git("init", "-q", "-b", "main")
    r.commit("2024年绩效目标申报表")
    r.git("tag", "approved")
    r.edit(FARMLAND, "manager: 王建国", "manager: 李四")
    r.edit(FARMLAND, "kind: 经常性项目", "kind: 一次性项目")
    r.edit(FARMLAND, "{name: 一般公共预算, amount: '500.00'}", "{name: 一般公共预算, amount: '450.00'}")
    r.edit(FARMLAND, "{name: 政府性基金, amount: '100.00'}", "{name: 政府性基金, amount: '150.00'}")
    r.edit(FARMLAND, "  total: '2,400.00'", "  total: '2,500.00'")
    r.edit(FARMLAND, "  other: '600.00'", "  other: '700.00'")
    r.edit(FARMLAND, "    previous: '4.2'\n    weight: 20", "    previous: '4.2'\n    weight: 15")
    r.edit(FARMLAND, "    previous: 96%\n    weight: 15", "    previous: 96%\n    weight: 20")
    r.edit(FARMLAND, "    direction: 反向", "    direction: 正向")
    r.edit(WHOLE, "{name: 财政拨款, amount: '1,200.00', share: 80%}",
           "{name: 财政拨款, amount: '1,300.00', share: 81.25%}")
    r.edit(WHOLE, "{name: 其他资金, amount: '300.00', share: 20%}", "{name: 其他资金, amount: '300.00', share: 18.75%}")
    r.edit(WHOLE, "    total: '1,500.00'\n    total_share: 100%\n  expenditure",
           "    total: '1,600.00'\n    total_share: 100%\n  expenditure")
    r.edit(WHOLE, "{name: 基本支出, amount: '600.00', share: 40%}", "{name: 基本支出, amount: '700.00', share: 43.75%}")
    r.edit(WHOLE, "{name: 项目支出, amount: '900.00', share: 60%}", "{name: 项目支出, amount: '900.00', share: 56.25%}")
    r.edit(WHOLE, "    total: '1,500.00'\n    total_share: 100%\n  long_term_goals",
           "    total: '1,600.00'\n    total_share: 100%\n  long_term_goals")
    r.edit(WHOLE, "      name: 受益农户数\n      target: ≥8000户\n      weight: 20",
           "      name: 受益农户数\n      target: ≥9000户\n      weight: 10")
    r.edit(WHOLE, "      name: 农户满意度\n      target: ≥90%\n      weight: 10",
           "      name: 农户满意度\n      target: ≥90%\n      weight: 20")
    r.commit("按批复调整")
    return r


def test_the_forms_cells_and_the_department_wide_target_in_the_forms_words(provinces, cli):
    run = diff(cli, provinces, "approved", "HEAD")
    assert run.code == 0, run.err
    whole, project = "[2024 501001] 部门整体", "[2024 501001 50100124P000001] 高标准农田建设项目"
    assert run.out.splitlines() == [
        f"{whole} 收入构成 财政拨款: 1,200.00 万元 → 1,300.00 万元",
        f"{whole} 收入构成 财政拨款 占比: 80% → 81.25%",
        f"{whole} 收入构成 其他资金 占比: 20% → 18.75%",
        f"{whole} 收入构成 合计: 1,500.00 万元 → 1,600.00 万元",
        f"{whole} 支出构成 基本支出: 600.00 万元 → 700.00 万元",
        f"{whole} 支出构成 基本支出 占比: 40% → 43.75%",
        f"{whole} 支出构成 项目支出 占比: 60% → 56.25%",
        f"{whole} 支出构成 合计: 1,500.00 万元 → 1,600.00 万元",
        f"{whole} 受益农户数 指标值: ≥8000户 → ≥9000户",
        f"{whole} 受益农户数 权重: 20 → 10",
        f"{whole} 农户满意度 权重: 10 → 20",
        f"{project} 项目负责人: 王建国 → 李四",
        f"{project} 项目类型: 经常性项目 → 一次性项目",
        f"{project} 资金来源 一般公共预算: 500.00 万元 → 450.00 万元",
        f"{project} 资金来源 政府性基金: 100.00 万元 → 150.00 万元",
        f"{project} 实施期资金总额: 2,400.00 万元 → 2,500.00 万元",
        f"{project} 实施期其他资金: 600.00 万元 → 700.00 万元",
        f"{project} 新建高标准农田面积 权重: 20 → 15",
        f"{project} 工程验收合格率 权重: 15 → 20",
        f"{project} 亩均建设成本 指标方向: 反向 → 正向",
    ]
    changes = json.loads(diff(cli, provinces, "approved", "HEAD", "--format", "json").out)
    assert {c["kind"] for c in changes} == {"composition-changed", "target-changed", "indicator-cell-changed",
                                            "header-changed", "funding-changed", "period-budget-changed"}
    assert all(c["project"] is None for c in changes if c["subject"].startswith("部门整体"))


def test_the_forms_cells_in_the_revision_history(provinces):
    from builder.base.diagnostics import Report
    from builder.history.revisions import HistoryReader
    from builder.pipeline import check_content

    site = check_content(provinces.root / "content").site
    assert site is not None
    department = site.departments[0]
    frameworks = {department.source: department.framework,
                  **{p.source: department.framework for p in department.projects}}
    head = provinces.git("rev-parse", "HEAD").strip()
    history = HistoryReader(provinces.root, "content", head).read(Report(), provinces.root, frameworks,
                                                                 {p.source: p.money_unit for p in department.projects})
    latest = history.of(department.source)[0]
    assert latest.note is None  # its message, 按批复调整, has no 修订说明
    assert latest.summary == ("收入构成 财政拨款：1,200.00 万元 → 1,300.00 万元",
                              "收入构成 财政拨款 占比：80% → 81.25%", "收入构成 其他资金 占比：20% → 18.75%",
                              "收入构成 合计：1,500.00 万元 → 1,600.00 万元",
                              "支出构成 基本支出：600.00 万元 → 700.00 万元",
                              "支出构成 基本支出 占比：40% → 43.75%",
                              "支出构成 项目支出 占比：60% → 56.25%",
                              "支出构成 合计：1,500.00 万元 → 1,600.00 万元",
                              "指标“受益农户数”的指标值：≥8000户 → ≥9000户", "指标“受益农户数”的权重：20 → 10",
                              "指标“农户满意度”的权重：10 → 20")
    project = history.of(department.projects[0].source)[0]
    assert "项目负责人：王建国 → 李四" in project.summary
    assert "指标“新建高标准农田面积”的权重：20 → 15" in project.summary
