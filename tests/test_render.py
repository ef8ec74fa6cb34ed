"""Rendering details: merged cells, theme inheritance, money display."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import PROJECT

from builder.base.money import format_amount, format_money
from builder.pipeline import DEFAULT_THEMES, check_content
from builder.render.pages import PageRenderer, extra_files, indicator_table, page_jobs
from builder.render.themes import ThemeError, load_theme


def test_omitted_level2_merges_the_cell_like_the_form(scratch):
    scratch.project().write_text(PROJECT.replace(
        "  - level2: 成本指标\n    name: 资金成本\n    target: ≤10万元\n",
        "  - level2: 成本指标\n    name: 资金成本\n    target: ≤10万元\n"
        "  - name: 人员成本\n    target: ≤2万元\n"), encoding="utf-8")
    result = check_content(scratch.content)
    assert result.report.errors == []
    (project,) = result.site.departments[0].projects
    rows = indicator_table(project)
    assert [(r.indicator.name, r.level1_rowspan, r.level2_rowspan) for r in rows] == [
        ("活动次数", 3, 1), ("资金成本", 0, 2), ("人员成本", 0, 0), ("满意度", 1, 1)]
    assert rows[2].indicator.level2.raw == "成本指标" and rows[2].indicator.cost


def test_a_child_theme_overrides_one_template_and_keeps_the_rest(scratch, tmp_path: Path):
    themes = tmp_path / "themes"
    (themes / "county" / "templates").mkdir(parents=True)
    (themes / "county" / "theme.yaml").write_text("name: county\nextends: default\n", encoding="utf-8")
    (themes / "county" / "templates" / "index.html").write_text(
        '{% extends "base.html" %}{% block main %}<p id="county">县级首页</p>{% endblock %}', encoding="utf-8")
    for name in ("default",):
        (themes / name).symlink_to(DEFAULT_THEMES / name)
    theme = load_theme(themes, "county")
    assert [p.name for p in theme.chain] == ["county", "default"]
    site = check_content(scratch.content).site
    pages = render_pages(site, theme)
    assert '<p id="county">县级首页</p>' in pages["index.html"].decode()
    assert "测试项目" in pages["2022/100001/projects/P001.html"].decode()  # from the parent theme
    assert pages["static/style.css"] == (DEFAULT_THEMES / "default/static/style.css").read_bytes()


def test_site_yaml_picks_the_theme_and_the_override_reaches_the_output(scratch, cli, tmp_path):
    themes = tmp_path / "themes"
    shutil.copytree(DEFAULT_THEMES / "default", themes / "default")
    (themes / "county" / "static").mkdir(parents=True)
    (themes / "county" / "theme.yaml").write_text("name: county\nextends: default\n", encoding="utf-8")
    (themes / "county" / "static" / "style.css").write_text("body { background: #fffbe6; }\n", encoding="utf-8")
    scratch.site.write_text("title: 测试站点\npublisher: 测试财政局\ntheme: county\n", encoding="utf-8")
    run = cli("build", "--themes", str(themes), cwd=scratch.root)
    assert run.code == 0, run.err
    output = scratch.root / "output"
    assert (output / "static/style.css").read_text(encoding="utf-8") == "body { background: #fffbe6; }\n"
    assert (output / "static/filter.js").is_file()  # not overridden: the parent's
    assert "测试项目" in (output / "2022/100001/projects/P001.html").read_text(encoding="utf-8")
    scratch.site.write_text("title: 测试站点\npublisher: 测试财政局\ntheme: nosuch\n", encoding="utf-8")
    run = cli("check", "--themes", str(themes), cwd=scratch.root)
    assert run.diagnostics == ["content/site.yaml:3:8: error: theme `nosuch` not found in " + str(themes)]


def test_a_theme_that_extends_itself_is_an_error(tmp_path):
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "theme.yaml").write_text("extends: loop\n", encoding="utf-8")
    with pytest.raises(ThemeError, match="extends itself"):
        load_theme(tmp_path, "loop")


@pytest.mark.parametrize("value, shown", [
    (Decimal("20150000"), "20,150,000.00"), (Decimal("10606.7522"), "10,606.75"),
    (Decimal("0.005"), "0.01"), (Decimal("2.675"), "2.68"), (Decimal("0"), "0.00"), (None, "")])
def test_money_rounds_half_up_for_display_only(value, shown):
    assert format_amount(value) == shown


def test_money_refuses_float():
    with pytest.raises(TypeError):
        format_amount(0.1)  # type: ignore[arg-type]
    assert format_money(Decimal("36.5"), "万元") == "36.50 万元"


def test_english_ui_strings_come_from_the_en_catalog(scratch, cli):
    scratch.site.write_text("title: Test site\npublisher: Test bureau\nlanguages: [en, zh-CN]\n", encoding="utf-8")
    assert cli("build", cwd=scratch.root).code == 0
    home = (scratch.root / "output/index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in home and "All indicators" in home and "全部指标" not in home
    project = (scratch.root / "output/2022/100001/projects/P001.html").read_text(encoding="utf-8")
    assert "测试项目" in project  # content stays as written
    assert "Indicators of 测试项目 (3)" in project


def test_a_language_without_a_catalog_is_a_clear_error(scratch, cli):
    scratch.site.write_text("title: 测试\npublisher: 测试\nlanguages: [fr]\n", encoding="utf-8")
    run = cli("build", cwd=scratch.root)
    assert run.code == 1
    assert run.diagnostics == [
        "content/site.yaml:3:12: error: theme `default` has no strings for language `fr` (i18n/fr.yaml)"]


def test_relative_links_lead_to_their_target_from_any_page():
    import posixpath
    import random

    from builder.render.routes import relative_url

    assert relative_url("2022/304001/projects/P1.html", "2022/304001/index.html") == "../index.html"
    assert relative_url("2022/304001/index.html", "static/style.css") == "../../static/style.css"
    assert relative_url("index.html", "2022/304001/index.html") == "2022/304001/index.html"
    assert relative_url("about.html", "about.html") == "about.html"
    segments = ["2022", "2023", "304001", "projects", "data", "a.html", "index.html"]
    rng = random.Random(7)
    for _ in range(5000):
        page = "/".join(rng.choice(segments) for _ in range(rng.randint(1, 4)))
        target = "/".join(rng.choice(segments) for _ in range(rng.randint(1, 4)))
        link = relative_url(page, target)
        # A browser resolves the link against the page's folder.
        assert posixpath.normpath(posixpath.join(posixpath.dirname(page), link)) == target, (page, target, link)
        assert not link.startswith("/")


def render_pages(site, theme) -> dict[str, bytes]:
    """Every page of the site and the theme's static files, by output path, in this process."""
    renderer = PageRenderer(site, theme, None, None)
    jobs = page_jobs(site)
    pages = {job.path: renderer.render(job) for job in jobs}
    pages.update(extra_files(site, theme, [job.path for job in jobs]))
    return pages


@pytest.mark.parametrize("size, shown", [(0, "0 KB"), (88, "0.1 KB"), (8704, "8.5 KB"), (10188, "9.9 KB"),
                                         (10239, "10 KB"), (176128, "172 KB"), (1048063, "1023 KB"),
                                         (1048575, "1.0 MB"), (1258291, "1.2 MB"), (36700160, "35 MB")])
def test_file_sizes_read_as_chinese_government_sites_give_them(size, shown):
    from builder.render.downloads import file_size

    assert file_size(size) == shown
