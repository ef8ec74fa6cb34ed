"""Themes fail like content does: a positioned diagnostic, exit 1, output/ untouched; a child theme
or a site's overrides folder replaces one block of a parent's page (docs/themes.md)."""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, tree_snapshot

from builder.pipeline import DEFAULT_THEMES
from builder.render.template_problems import TemplateFailure, diagnose

EXAMPLE = ROOT / "tests" / "fixtures" / "theme-example" / "themes"
PAGE = "2022/100001/projects/P001.html"
SITE = "title: 测试站点\npublisher: 测试财政局\ntheme: county\n"


@pytest.fixture
def themes(tmp_path: Path) -> Path:
    """A themes folder beside the scratch content: a copy of default and an empty child `county`."""
    folder = tmp_path / "themes"
    shutil.copytree(DEFAULT_THEMES / "default", folder / "default")
    (folder / "county" / "templates").mkdir(parents=True)
    (folder / "county" / "theme.yaml").write_text("name: county\nextends: default\n", encoding="utf-8")
    return folder


def child_template(themes: Path, name: str, text: str) -> None:
    path = themes / "county" / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def built_once(scratch, cli, themes: Path) -> dict[str, bytes]:
    """A good build first, so that a failed one can be shown to leave it as it was."""
    scratch.site.write_text(SITE, encoding="utf-8")
    run = cli("build", "--no-pdf", "--themes", str(themes), cwd=scratch.root)
    assert run.code == 0, run.err
    return tree_snapshot(scratch.root / "output")


def errors_and_hints(err: str) -> list[str]:
    """Each error line with the hint line under it."""
    lines = err.splitlines()
    return [f"{line}\n{lines[i + 1] if i + 1 < len(lines) else ''}" for i, line in enumerate(lines)
            if ": error: " in line]


def test_a_syntax_error_in_a_child_theme_is_positioned_and_leaves_the_output(scratch, cli, themes):
    before = built_once(scratch, cli, themes)
    child_template(themes, "project.html",
                   '{% extends "default:project.html" %}\n{% block indicators %}\n{% if project %}\n{% endblock %}\n')
    run = cli("build", "--no-pdf", "--themes", str(themes), cwd=scratch.root)
    assert run.code == 1
    assert run.diagnostics == ["themes/county/templates/project.html:4: error: template syntax error: Encountered "
                               "unknown tag 'endblock'. You probably made a nesting mistake. Jinja is expecting "
                               "this tag, but currently looking for 'elif' or 'else' or 'endif'. The innermost "
                               "block that needs to be closed is 'if'."]
    assert "internal error" not in run.err and "Traceback" not in run.err
    assert tree_snapshot(scratch.root / "output") == before


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_undefined_name_names_its_line_and_the_page(scratch, cli, themes, jobs):
    before = built_once(scratch, cli, themes)
    child_template(themes, "project.html",
                   '{% extends "default:project.html" %}\n{% block goals %}\n<p>{{ projct.name }}</p>\n'
                   '{% endblock %}\n')
    run = cli("build", "--no-pdf", "--jobs", jobs, "--themes", str(themes), cwd=scratch.root)
    assert run.code == 1
    assert errors_and_hints(run.err) == [
        "themes/county/templates/project.html:3: error: undefined name or attribute: 'projct' is undefined\n"
        f"  hint: while rendering {PAGE}"]
    assert "internal error" not in run.err
    assert tree_snapshot(scratch.root / "output") == before


def test_a_misspelt_attribute_is_named_as_the_template_knows_it_not_as_a_python_class(scratch, cli, themes):
    built_once(scratch, cli, themes)
    child_template(themes, "project.html",
                   '{% extends "default:project.html" %}\n{% block goals %}\n<p>{{ project.nme }}</p>\n'
                   '{% endblock %}\n')
    run = cli("build", "--no-pdf", "--themes", str(themes), cwd=scratch.root)
    assert run.code == 1
    assert errors_and_hints(run.err) == [
        "themes/county/templates/project.html:3: error: undefined name or attribute: a Project has no attribute "
        f"'nme'\n  hint: while rendering {PAGE}"]


def test_a_failing_filter_inside_a_macro_names_the_macro_line(scratch, cli, themes):
    before = built_once(scratch, cli, themes)
    child_template(themes, "macros/indicators.html",
                   (DEFAULT_THEMES / "default/templates/macros/indicators.html").read_text(encoding="utf-8")
                   .replace("{{ i.name }}</th>", "{{ i.name | amount }}</th>"))
    line = 1 + (themes / "county/templates/macros/indicators.html").read_text(encoding="utf-8") \
        .split("| amount")[0].count("\n")
    run = cli("build", "--no-pdf", "--jobs", "2", "--themes", str(themes), cwd=scratch.root)
    assert run.code == 1
    assert errors_and_hints(run.err) == [
        f"themes/county/templates/macros/indicators.html:{line}: error: the template failed with TypeError: "
        f"money must be Decimal, got str\n  hint: while rendering {PAGE}"]
    assert tree_snapshot(scratch.root / "output") == before


def test_a_print_template_fails_naming_the_pdf(scratch, cli, themes):
    scratch.site.write_text(SITE, encoding="utf-8")
    child_template(themes, "print/annex.html",
                   (DEFAULT_THEMES / "default/templates/print/annex.html").read_text(encoding="utf-8")
                   .replace("{% block body %}\n", "{% block body %}\n{{ t('no.such.string') }}\n"))
    line = 1 + (themes / "county/templates/print/annex.html").read_text(encoding="utf-8") \
        .split("no.such.string")[0].count("\n")
    run = cli("build", "--themes", str(themes), cwd=scratch.root)
    assert run.code == 1
    assert errors_and_hints(run.err) == [
        f"themes/county/templates/print/annex.html:{line}: error: no UI string `no.such.string` in the theme's "
        "catalog\n  hint: while rendering 2022/100001/projects/P001.pdf"]
    assert not (scratch.root / "output").exists()


def test_check_finds_every_syntax_error_and_unknown_filter_in_one_run(scratch, cli, themes):
    scratch.site.write_text(SITE, encoding="utf-8")
    child_template(themes, "project.html", '{% extends "default:project.html" %}\n{% block goals %}\n{{ x }\n'
                   '{% endblock %}\n')
    child_template(themes, "index.html", '{% extends "base.html" %}\n{% block main %}\n{{ site.title | shout }}\n'
                   '{{ site.title | upper }}{% if site is palindrome %}{% endif %}\n'
                   '{% include "partials/nope.html" %}\n{% endblock %}\n')
    run = cli("check", "--themes", str(themes), cwd=scratch.root)
    assert run.code == 1
    assert run.diagnostics == [
        "themes/county/templates/index.html:3: error: unknown filter `shout`",
        "themes/county/templates/index.html:4: error: unknown test `palindrome`",
        "themes/county/templates/index.html:5: error: template not found: partials/nope.html",
        "themes/county/templates/project.html:3: error: template syntax error: unexpected '}'",
    ]


def test_check_passes_the_default_theme(scratch, cli):
    run = cli("check", cwd=scratch.root)
    assert run.code == 0, run.err
    assert run.diagnostics == []


def test_a_template_failure_travels_between_processes_as_data():
    import jinja2

    chain = (ROOT / "themes" / "default",)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(chain[0] / "templates")),
                             undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError) as raised:
        env.get_template("partials/footer.html").render()
    diagnostic = diagnose(raised.value, chain, "index.html")
    assert diagnostic is not None and diagnostic.pos.path.endswith("templates/partials/footer.html")
    footer = (chain[0] / "templates" / "partials" / "footer.html").read_text(encoding="utf-8").splitlines()
    first_t = next(n for n, line in enumerate(footer, start=1) if "t(" in line)  # the first undefined name
    assert diagnostic.pos.line == first_t and diagnostic.hint == "while rendering index.html"
    copy = pickle.loads(pickle.dumps(TemplateFailure(diagnostic)))
    assert copy.diagnostic == diagnostic
    assert diagnose(ValueError("not from a template"), chain, "index.html") is None


def test_an_overrides_folder_must_be_a_folder_and_not_a_theme(scratch, cli, themes):
    scratch.site.write_text(SITE + "overrides: nosuch\n", encoding="utf-8")
    run = cli("check", "--themes", str(themes), cwd=scratch.root)
    assert run.code == 1
    assert run.diagnostics == [f"content/site.yaml:4:12: error: overrides folder `nosuch` not found: "
                               f"{themes / 'nosuch'} is not a folder"]
    scratch.site.write_text(SITE + "overrides: default\n", encoding="utf-8")
    run = cli("check", "--themes", str(themes), cwd=scratch.root)
    assert run.diagnostics == ["content/site.yaml:4:12: error: `default` is a theme (it has a theme.yaml): name it "
                               "as `theme:`, not as `overrides:`"]
    scratch.site.write_text(SITE + "overrides: ../x\n", encoding="utf-8")
    assert cli("check", "--themes", str(themes), cwd=scratch.root).code == 1


def fenced_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```$", markdown, flags=re.M | re.S)


def test_the_documented_example_is_the_one_built_here(scratch, cli, tmp_path):
    blocks = fenced_blocks((ROOT / "docs" / "themes.md").read_text(encoding="utf-8"))
    for path in sorted(EXAMPLE.rglob("*")):
        if path.is_file():
            assert path.read_text(encoding="utf-8") in blocks, f"docs/themes.md does not show {path.name} as it is"
    themes = tmp_path / "themes"
    shutil.copytree(EXAMPLE, themes)
    shutil.copytree(DEFAULT_THEMES / "default", themes / "default")
    output = scratch.root / "output"
    assert cli("build", "--no-pdf", "--themes", str(themes), cwd=scratch.root).code == 0  # theme: default
    parent_project = (output / PAGE).read_text(encoding="utf-8")
    parent_department = (output / "2022/100001/index.html").read_text(encoding="utf-8")
    scratch.site.write_text(SITE + "overrides: ytx-overrides\n", encoding="utf-8")
    run = cli("build", "--no-pdf", "--themes", str(themes), cwd=scratch.root)
    assert run.code == 0, run.err
    # The child's indicators block adds its note; every other byte of the page is the parent's.
    heading = '<h2 id="indicators">绩效指标</h2>\n'
    assert heading in parent_project
    assert (output / PAGE).read_text(encoding="utf-8") == parent_project.replace(
        heading, heading + '<p class="note">指标值以县财政局批复为准。</p>\n')
    # The overrides folder's department.html: the parent's header, then its line.
    header_end = parent_department.index("<p class=\"download\">")
    assert (output / "2022/100001/index.html").read_text(encoding="utf-8") == (
        parent_department[:header_end] + '<p class="notice">玉田县财政局统一公开。</p>\n' + parent_department[header_end:])
