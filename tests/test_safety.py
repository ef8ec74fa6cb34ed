"""Untrusted content: escaped everywhere, never run as a template, never typed by YAML 1.1."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields, is_dataclass
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from conftest import CONTENT, PROJECT

from builder.pipeline import check_content

PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "{{ 7*7 }}", "{% raw %}",
            "javascript:alert(1)", "<a href='javascript:alert(1)'>x</a>"]


def poison(text: str, payload: str) -> str:
    for key in ("name: 测试项目", "purpose: 测试用途。", "  - 1.开展活动，提高满意度。", "    name: 活动次数"):
        head = key.split(":")[0] if ":" in key else "  -"
        text = text.replace(key, f"{head}: '{payload.replace(chr(39), chr(39) * 2)}'" if ":" in key
                            else f"  - '{payload.replace(chr(39), chr(39) * 2)}'", 1)
    return text


class Elements(HTMLParser):
    """Every element a browser would build from the page, with its attributes."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def test_every_payload_comes_out_inert(scratch, cli):
    theme_tags = None
    for payload in PAYLOADS:
        scratch.project().write_text(poison(PROJECT, payload), encoding="utf-8")
        scratch.site.write_text(f"title: '{payload.replace(chr(39), chr(39) * 2)}'\npublisher: 测试\n",
                                encoding="utf-8")
        assert cli("build", cwd=scratch.root).code == 0
        for page in sorted((scratch.root / "output").rglob("*.html")):
            html = page.read_text(encoding="utf-8")
            elements = Elements(html).elements
            tags = [tag for tag, _ in elements]
            assert "img" not in tags
            # The only script is the theme's own file; no content ever becomes one.
            scripts = [a.get("src", "").rsplit("/", 1)[-1] for t, a in elements if t == "script"]
            assert set(scripts) <= {"filter.js", "pagefind-ui.js", "search.js"}
            for tag, attrs in elements:
                assert not any(name.startswith("on") for name in attrs), (tag, attrs)
                assert not (attrs.get("href") or "").strip().lower().startswith("javascript"), attrs
            if page.name not in ("data.html", "verify.html"):  # sizes and SHA-256 digests may hold any digits
                assert "49" not in html  # {{ 7*7 }} printed literally, not evaluated
        # The payload's elements are no elements at all: the same tags come out for every payload.
        project_page = (scratch.root / "output/2022/100001/projects/P001.html").read_text(encoding="utf-8")
        tags = [tag for tag, _ in Elements(project_page).elements]
        assert theme_tags is None or tags == theme_tags
        theme_tags = tags
        escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;") \
            .replace("'", "&#39;")
        assert escaped in project_page


def test_yaml_11_values_stay_the_text_that_was_written(scratch, cli):
    scratch.department.write_text(scratch.department.read_text(encoding="utf-8")
                                  .replace("code: '100001'", "code: 0123")
                                  .replace("scope: 本级", "scope: NO"), encoding="utf-8")
    (scratch.content / "2022/100001").rename(scratch.content / "2022/0123")
    project = (PROJECT.replace("name: 测试项目", "name: 07.10")
               .replace("purpose: 测试用途。", "purpose: 12:30")
               .replace("name: 活动次数", "name: yes")
               .replace("total: 100000.00", "total: 1e5").replace("fiscal: 100000.00", "fiscal: 100000"))
    (scratch.content / "2022/0123/projects/P001.yaml").write_text(project, encoding="utf-8")
    run = cli("check", cwd=scratch.root)
    # 1e5 is a float in YAML 1.1; as money it is not an amount we accept.
    assert run.diagnostics == ["content/2022/0123/projects/P001.yaml:4:10: error: `total` '1e5' is not an amount"]
    (scratch.content / "2022/0123/projects/P001.yaml").write_text(project.replace("1e5", "100000.00"),
                                                                  encoding="utf-8")
    result = check_content(scratch.content)
    assert result.report.errors == []
    (department,) = result.site.departments
    (p,) = department.projects
    assert (department.code, department.scope) == ("0123", "NO")
    assert (p.name, p.purpose, p.indicators[0].name) == ("07.10", "12:30", "yes")
    assert p.budget.fiscal.value == Decimal("100000") and p.budget.fiscal.raw == "100000"


def test_text_is_nfc_normalized(scratch):
    decomposed = "e\u0301"  # é as two code points
    scratch.project().write_text(PROJECT.replace("purpose: 测试用途。", f"purpose: caf{decomposed}"), encoding="utf-8")
    (p,) = check_content(scratch.content).site.departments[0].projects
    assert p.purpose == "caf\u00e9"


def walk(value, path="site"):
    """Yield (path, value) for everything reachable from the model."""
    yield path, value
    if is_dataclass(value):
        for f in fields(value):
            yield from walk(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from walk(item, f"{path}[{i}]")


def test_no_float_anywhere_in_the_model_of_the_seed():
    site = check_content(CONTENT).site
    values = list(walk(site))
    assert len(values) > 500
    floats = [p for p, v in values if isinstance(v, float)]
    assert floats == []
    money = [v for p, v in values if p.endswith((".total.value", ".fiscal.value"))]
    assert money and all(type(v) is Decimal for v in money)


def test_model_is_frozen():
    site = check_content(CONTENT).site
    project = site.departments[0].projects[0]
    for obj, field_name in ((site, "title"), (site.departments[0], "name"), (project, "name"),
                            (project.indicators[0], "name"), (project.budget, "total")):
        with pytest.raises(FrozenInstanceError):
            setattr(obj, field_name, "changed")
    assert isinstance(site.departments, tuple) and isinstance(project.indicators, tuple)


def test_templates_render_with_autoescape_and_strict_undefined(tmp_path):
    import jinja2

    from builder.pipeline import DEFAULT_THEMES
    from builder.render.themes import load_theme, make_environment

    env = make_environment(load_theme(DEFAULT_THEMES, "default"))
    assert env.autoescape is True
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    with pytest.raises(Exception, match="printed None"):
        env.from_string("{{ value }}").render(value=None)
    assert env.from_string("{{ value }}").render(value="<b>") == "&lt;b&gt;"
