"""Editions by year: a year switcher, links between a department's years, targets across years."""

from __future__ import annotations

import re
import shutil

from conftest import CONTENT, seed_in_another_year

from builder.pipeline import build_site


def two_years(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    project = seed_in_another_year(content, 2023) / "projects/13022922P00JXC411757B.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("target: ≥70百分比", "target: ≥75百分比")
                       .replace("    name: 促成合作意向数\n", "    name: 促成合作意向数量\n"), encoding="utf-8")
    return content


def test_years_link_to_each_other_and_targets_show_across_years(tmp_path):
    content = two_years(tmp_path)
    output = tmp_path / "out"
    assert build_site(content, output, pdfs=False).site is not None
    home = (output / "index.html").read_text(encoding="utf-8")
    assert 'href="index.html#year-2023"' in home and 'href="index.html#year-2022"' in home
    assert 'id="year-2023"' in home and 'id="year-2022"' in home
    older = (output / "2022/304001/index.html").read_text(encoding="utf-8")
    assert '其他年度：<a href="../../2023/304001/index.html">2023年</a>' in older
    page = (output / "2023/304001/projects/13022922P00JXC411757B.html").read_text(encoding="utf-8")
    section = page[page.index('id="continuity"'):]
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', section))
    cells = {name: re.findall(r'<td data-label="(\d+)">(.*?)</td>', row) for name, row in rows.items()}
    # Each year's cell names its year, the label of its line on a phone's card.
    assert cells["税收增长率"] == [("2022", "≥70百分比"), ("2023", "≥75百分比")]
    assert cells["促成合作意向数量"] == [("2022", "≥2个"), ("2023", "≥2个")]  # reworded, still the same indicator
    assert len(cells) == 11


def test_a_single_year_shows_no_switcher(tmp_path):
    output = tmp_path / "out"
    assert build_site(CONTENT, output, pdfs=False).site is not None
    assert 'class="years"' not in (output / "index.html").read_text(encoding="utf-8")
    assert 'id="continuity"' not in (output / "2022/304001/projects/13022922P00JXC411757B.html").read_text("utf-8")
