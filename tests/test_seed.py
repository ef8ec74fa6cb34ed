"""End to end on the shipped content: the 2022 disclosure of 玉田县商务和投资促进局.

The seed export is read here independently of gongkai's own code, so these
tests catch content/ drifting from the source document, and pages dropping
what content/ has.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CONTENT, SEED, SHARED_SEED
from test_targets import seed_targets

from builder.pipeline import check_content


@pytest.fixture(scope="module")
def site():
    result = check_content(CONTENT)
    assert result.report.errors == []
    return result.site


@pytest.fixture
def built(seed_build) -> Path:
    """The seed as built once for the session (conftest.seed_build)."""
    return seed_build


@pytest.mark.skipif(not SHARED_SEED.is_file(), reason="../shared/ is not beside this checkout")
def test_vendored_seed_is_the_shared_seed():
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_check_on_content_reports_zero_errors_through_the_cli(cli):
    run = cli("check", "--content", str(CONTENT))
    assert run.code == 0, run.err
    assert "0 errors" in run.err
    assert "4 projects, 52 indicators, total 20,150,000.00 元" in run.out


def test_counts_and_total(site):
    (department,) = site.departments
    assert department.unit_line == "304001玉田县商务和投资促进局本级"
    assert department.year == 2022
    assert len(department.projects) == 4
    assert sum(len(p.indicators) for p in department.projects) == 52
    assert department.total == Decimal("20150000.00")
    assert [p.budget.total.value for p in department.projects] == [
        Decimal("100000.00"), Decimal("10000000.00"), Decimal("50000.00"), Decimal("10000000.00")]


def test_projects_keep_their_codes_names_and_order(site):
    projects = site.departments[0].projects
    assert [(p.number, p.code, p.name) for p in projects] == [
        (1, "13022922P00JXC411757B", "#招商经费"),
        (2, "13022922P000BR0103603", "冀财建【2021】192号河北省财政厅关于提前下达2022年中央服务业发展资金预算的通知"),
        (3, "13022922P00JXC411759J", "疫情防控经费"),
        (4, "130229214I5FK2QU161C5", "玉财建【2021】31号关于下达2021年中央服务业发展资金预算的通知"),
    ]


def test_blank_other_funds_stay_blank_not_zero(site):
    for project in site.departments[0].projects:
        assert project.budget.other.is_blank
        assert project.budget.other.value is None
        assert project.budget.fiscal.value == project.budget.total.value


def test_a_department_shares_what_repeats_and_keeps_each_value_as_written(site):
    """One object per distinct target, basis and label in a department, also after the trip through
    pickle that every checked department makes (worker, cache); equal values written differently
    stay apart."""
    import pickle

    from builder.content.assemble import Shared

    for department in (site.departments[0], pickle.loads(pickle.dumps(site.departments[0]))):
        indicators = [i for p in department.projects for i in p.indicators]
        for field in ("target", "basis", "level1", "level2"):
            objects: dict = {}
            for indicator in indicators:
                value = getattr(indicator, field)
                objects.setdefault(value, set()).add(id(value))
            assert all(len(ids) == 1 for ids in objects.values()), field
        assert len({id(i.target) for i in indicators}) < len(indicators)  # the seed repeats 100% and ≥90%
    shared = Shared()
    fifty, written_fifty = shared.milestone("6月底", Decimal("50")), shared.milestone("6月底", Decimal("50.0"))
    assert fifty is not written_fifty and str(written_fifty.percent) == "50.0"
    assert shared.milestone("6月底", Decimal("50")) is fifty


def test_the_model_comes_back_from_pickle_equal_and_still_frozen(site):
    """Every checked department is pickled (worker, cache) and read back: it must come back whole,
    every value in its field, and as immutable as it was."""
    import dataclasses
    import pickle

    again = pickle.loads(pickle.dumps(site))
    assert again == site
    project = again.departments[0].projects[0]
    assert project.budget.total.value == site.departments[0].projects[0].budget.total.value
    for obj in (again, project, project.budget.total, project.indicators[0], project.indicators[0].target):
        with pytest.raises(dataclasses.FrozenInstanceError):
            obj.__setattr__(dataclasses.fields(obj)[0].name, None)


def test_seed_targets_are_in_content_in_source_order(site):
    in_content = [i.target.raw for p in site.departments[0].projects for i in p.indicators]
    assert in_content == seed_targets()


def test_the_seed_warnings_are_the_real_problems_of_the_source():
    """Each of these is in the source document; a reviewer should see every one. The example
    monitoring and self-evaluation files are not from the source (test_stage_checks.py has theirs)."""
    result = check_content(CONTENT)
    found = sorted((Path(d.pos.path).name, d.pos.line, d.message) for d in result.report.warnings
                   if Path(d.pos.path).parent.name not in ("monitoring", "evaluations"))
    assert found == [
        ("130229214I5FK2QU161C5.yaml", 74, "`示范县促进电商精准扶贫，对接电商企业，落地电商帮扶项目` is filed under "
         "生态效益指标 here but under 可持续影响指标 in project 13022922P000BR0103603 "
         "(projects/13022922P000BR0103603.yaml:74)"),
        ("130229214I5FK2QU161C5.yaml", 79, "`示范县电商典型案例与做法得到宣传推广` is filed under 可持续影响指标 here "
         "but under 生态效益指标 in project 13022922P000BR0103603 (projects/13022922P000BR0103603.yaml:79)"),
        # 资金成本 ≤20万元 on projects of 10万元 and 5万元
        ("13022922P00JXC411757B.yaml", 39,
         "成本指标 ceiling ≤20万元 (200,000.00 元) is above the project's budget 100,000.00 元"),
        # goal 3, 组织开展核酸检测及疫苗接种, has no indicator
        ("13022922P00JXC411759J.yaml", 18, "no indicator of project 13022922P00JXC411759J seems to measure this goal"),
        ("13022922P00JXC411759J.yaml", 39,
         "成本指标 ceiling ≤20万元 (200,000.00 元) is above the project's budget 50,000.00 元"),
        # The narrative says 效果指标 where the tables say 效益指标
        ("department.yaml", 39, "the narrative names 一级指标 `效果指标`; the table of 13022922P00JXC411757B has "
         "产出指标、效益指标、满意度指标"),
        ("department.yaml", 39, "the narrative states 2、促成合作意向数 as ≥2次; the table says ≥2个"),
        ("department.yaml", 41, "the narrative calls project 13022922P00JXC411759J `疫情防控专项经费`; its table "
         "calls it `疫情防控经费`"),
        ("department.yaml", 46, "the narrative names 一级指标 `效果指标`; the table of 13022922P00JXC411759J has "
         "产出指标、效益指标、满意度指标"),
        ("department.yaml", 46, "the narrative states 5、税收增长率 as ≥70%; the table says ≥80百分比"),
    ]


def page_text(path: Path) -> str:
    """The visible text of a page, tags removed and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def test_every_seed_target_appears_verbatim_in_its_project_page(built, site):
    department = site.departments[0]
    for project in department.projects:
        text = page_text(built / "2022" / "304001" / "projects" / f"{project.code}.html")
        for indicator in project.indicators:
            assert indicator.target.raw in text
    all_pages = "".join(page_text(p) for p in (built / "2022").rglob("*.html"))
    for raw in seed_targets():
        assert raw in all_pages


def seed_cells() -> list[str]:
    """Every non-empty line and cell of the seed, bookmarks removed."""
    cells = []
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        line = re.sub(r"^\[bookmark: [^\]]*\]", "", line.lstrip("\t")).strip()
        if line:
            cells.append(line)
    return cells


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# What check found in the department's own text, shown beside its sentences: not the source's words.
NOTICE = re.compile(r'<span class="notice" role="note"><span class="notice-label">[^<]*</span>[^<]*</span>')


def test_nothing_of_the_seed_is_lost_in_the_built_site(built):
    """Each cell of the source, spacing aside, is somewhere in the site's text (check's notices aside)."""
    pages = squeeze("".join(html.unescape(re.sub(r"<[^>]+>", "", NOTICE.sub("", p.read_text(encoding="utf-8"))))
                            for p in sorted(built.rglob("*.html"))))
    # Amounts are shown with thousands separators: 100000.00 -> 100,000.00.
    shown = [f"{Decimal(c):,}" if re.fullmatch(r"\d+\.\d{2}", c) else c for c in seed_cells()]
    missing = [cell for cell in shown if squeeze(cell) not in pages]
    assert missing == []


def test_indicator_table_merges_level1_cells_as_the_source_does(built):
    page = (built / "2022/304001/projects/13022922P00JXC411757B.html").read_text(encoding="utf-8")
    assert '<th scope="rowgroup" rowspan="4">产出指标</th>' in page
    assert '<th scope="rowgroup" rowspan="4">效益指标</th>' in page
    assert '<th scope="rowgroup" rowspan="3">满意度指标</th>' in page
    # The source repeats 服务对象满意度指标 on each row rather than merging it.
    assert page.count('<th scope="rowgroup" rowspan="1">服务对象满意度指标</th>') == 3
    # With its example self-evaluation and monitoring round the table is the stages' table, merged the same way.
    table = page[page.index('<table class="stages'):]
    table = table[: table.index("</table>")]
    body = table[table.index("<tbody>"):]
    assert len(re.findall(r"<tr[ >]", body)) == 11


def test_pages_are_chinese_first_and_link_relatively(built):
    for path in built.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
        if path.name == "404.html":
            continue  # shown at any depth, so it links from base_path (test_site.py)
        for href in re.findall(r'href="([^"#][^"#]*)', page):  # the file a link names (its anchor aside)
            if href == "data:,":
                continue  # the empty favicon
            assert not href.startswith(("/", "http:", "https:", "file:")), href
            assert (path.parent / href).resolve().is_file(), f"{path}: dead link {href}"
