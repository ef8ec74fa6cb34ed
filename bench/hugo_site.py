"""The peer: a Hugo site made from the same corpus, with the same data on each page.

    .venv/bin/python bench/hugo_site.py CONTENT OUT      # then: hugo --source OUT

Each of the corpus's YAML files becomes a Hugo content file whose front matter
is that file's own text, unchanged (so Hugo parses the same YAML gongkai
does), with a title added:

- `content/YEAR/DEPT/_index.md`: the department (a section): its duties, its
  measures, and a table of its projects in its own order with their budgets;
- `content/YEAR/DEPT/PROJECT.md`: the project: code, name, budget (total,
  fiscal, other), purpose, spending plan, goals and every indicator row
  (一级/二级/三级指标, 指标值, 依据; a row that leaves out its 一级指标 carries the
  one above, as in gongkai's tables);
- the home page: every department with its number of projects and its total.

The layouts are small: one template per kind of page, no theme, no assets, no
taxonomies, one RSS feed and a sitemap (gongkai writes one of each). Pages are
`lang="zh-CN"` and mark their text `data-pagefind-body` with a department and
a year filter, as gongkai's do, so Pagefind (the extended binary, which
segments Chinese) indexes the same pages the same way.

Money is printed with two decimals by Hugo's own number formatting (a float
there; gongkai uses Decimal): the work is the same order, one format a value.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

CONFIG = """\
baseURL = "/"
title = "某省预算绩效目标公开（基准测试）"
languageCode = "zh-CN"
hasCJKLanguage = true
disablePathToLower = true
disableKinds = ["taxonomy", "term"]
[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
page = ["HTML"]
"""

BASE = """\
<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} - {{ site.Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
{{ block "main" . }}{{ end }}
</body></html>
"""

HOME = """\
{{ define "main" }}<main><h1>{{ site.Title }}</h1>
{{ range site.Sections }}{{ range .Sections }}{{ $total := 0.0 }}{{ range .Pages }}{{ $total = add $total (float .Params.budget.total) }}{{ end }}
<p><a href="{{ .RelPermalink }}">{{ .Params.name }}</a> {{ .Params.year }}年：{{ len .Pages }}个项目，{{ lang.FormatNumber 2 $total }}{{ .Params.money_unit }}</p>
{{ end }}{{ end }}</main>{{ end }}
"""

DEPARTMENT = """\
{{ define "main" }}{{ $unit := .Params.money_unit }}<main data-pagefind-body>
<h1>{{ .Params.name }}</h1>
<span hidden data-pagefind-filter="部门:{{ .Params.name }}"></span><span hidden data-pagefind-filter="年度:{{ .Params.year }}"></span>
<dl><dt>部门编码</dt><dd>{{ .Params.code }}</dd><dt>范围</dt><dd>{{ .Params.scope }}</dd></dl>
<section><h2>{{ .Params.overall.title }}</h2><ol>{{ range .Params.overall.duties }}<li>{{ . }}</li>{{ end }}</ol></section>
<section><h2>{{ .Params.measures.title }}</h2><ol>{{ range .Params.measures.items }}<li>{{ . }}</li>{{ end }}</ol></section>
<section><h2>项目</h2><table><caption>单位：{{ $unit }}</caption>
<thead><tr><th scope="col">项目编码</th><th scope="col">项目名称</th><th scope="col">预算总额</th></tr></thead><tbody>
{{ range .Params.projects }}{{ with $.GetPage . }}<tr><td>{{ .Params.code }}</td><td><a href="{{ .RelPermalink }}">{{ .Params.name }}</a></td><td>{{ lang.FormatNumber 2 .Params.budget.total }}</td></tr>
{{ end }}{{ end }}</tbody></table></section>
</main>{{ end }}
"""

PROJECT = """\
{{ define "main" }}{{ $dept := .Parent }}{{ $unit := $dept.Params.money_unit }}<main data-pagefind-body>
<p><a href="{{ $dept.RelPermalink }}">{{ $dept.Params.name }} {{ $dept.Params.year }}</a></p>
<h1>{{ .Params.name }}</h1>
<span hidden data-pagefind-filter="部门:{{ $dept.Params.name }}"></span><span hidden data-pagefind-filter="年度:{{ $dept.Params.year }}"></span>
<dl><dt>项目编码</dt><dd>{{ .Params.code }}</dd><dt>项目名称</dt><dd>{{ .Params.name }}</dd></dl>
<section><h2>项目资金（{{ $unit }}）</h2><dl>
<dt>年度资金总额</dt><dd>{{ lang.FormatNumber 2 .Params.budget.total }}</dd>
<dt>其中：财政拨款</dt><dd>{{ with .Params.budget.fiscal }}{{ lang.FormatNumber 2 . }}{{ else }}—{{ end }}</dd>
<dt>其他资金</dt><dd>{{ with .Params.budget.other }}{{ lang.FormatNumber 2 . }}{{ else }}—{{ end }}</dd>
<dt>资金用途</dt><dd>{{ .Params.purpose }}</dd></dl></section>
{{ with .Params.spending_plan }}<section><h2>资金支出计划</h2><table>
<thead><tr><th scope="col">时间节点</th><th scope="col">累计支出</th></tr></thead><tbody>
{{ range . }}<tr><th scope="row">{{ .milestone }}</th><td>{{ .percent }}</td></tr>
{{ end }}</tbody></table></section>{{ end }}
<section><h2>绩效目标</h2>{{ range .Params.goals }}<p>{{ . }}</p>{{ end }}</section>
<section><h2>绩效指标</h2><table>
<thead><tr><th scope="col">一级指标</th><th scope="col">二级指标</th><th scope="col">三级指标</th><th scope="col">指标值</th><th scope="col">依据</th></tr></thead><tbody>
{{ $level1 := "" }}{{ range .Params.indicators }}{{ with .level1 }}{{ $level1 = . }}{{ end }}<tr><td>{{ $level1 }}</td><td>{{ .level2 }}</td><td>{{ .name }}</td><td>{{ .target }}</td><td>{{ .basis }}</td></tr>
{{ end }}</tbody></table></section>
</main>{{ end }}
"""

YEAR = "---\ntitle: '{year}'\n_build: {{render: never, list: always}}\n---\n"

LAYOUTS = {"_default/baseof.html": BASE, "index.html": HOME, "_default/list.html": DEPARTMENT,
           "_default/single.html": PROJECT}


def page(source: Path, title: str) -> str:
    """A content file: the corpus file's YAML as front matter, its title added (Hugo's <title>)."""
    text = source.read_text(encoding="utf-8")
    return f"---\ntitle: '{title}'\n{text}---\n"


def title_of(source: Path) -> str:
    """The `name:` of a corpus file, as the corpus writes it (a quoted scalar on one line)."""
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("name: '"):
                return line[len("name: '"):].rstrip().removesuffix("'")
    return source.stem


def target_of(content: Path, out: Path, source: Path) -> Path:
    """Where a corpus file's page goes in the Hugo project."""
    relative = source.relative_to(content)
    if source.name == "department.yaml":
        return out / "content" / relative.parent / "_index.md"
    return out / "content" / relative.parent.parent / f"{source.stem}.md"  # DEPT/projects/P.yaml -> DEPT/P.md


def write_page(content: Path, out: Path, source: Path) -> None:
    target = target_of(content, out, source)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page(source, title_of(source)), encoding="utf-8")


def write(content: Path, out: Path) -> int:
    """The Hugo project for `content` in `out` (made again whole); returns the number of pages."""
    shutil.rmtree(out, ignore_errors=True)
    (out / "layouts/_default").mkdir(parents=True)
    (out / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        (out / "layouts" / name).write_text(text, encoding="utf-8")
    for year in sorted(p for p in content.iterdir() if p.is_dir()):
        # The year is a section for Hugo, not a page gongkai has: listed, never written.
        (out / "content" / year.name).mkdir(parents=True)
        (out / "content" / year.name / "_index.md").write_text(YEAR.format(year=year.name), encoding="utf-8")
    sources = sorted(p for p in content.rglob("*.yaml") if p.name != "site.yaml")
    for source in sources:
        write_page(content, out, source)
    return len(sources)


def hugo_argv(site: Path) -> list[str]:
    """Hugo's build of `site` into `site/public` (its cache kept inside, so a run deletes it all)."""
    return ["hugo", "--source", str(site), "--destination", str(site / "public"),
            "--cacheDir", str(site / ".hugo-cache"), "--quiet"]


def pagefind_argv(binary: str, site: Path) -> list[str]:
    """Pagefind over Hugo's output, as a Hugo site runs it: the whole folder, one index."""
    return [binary, "--site", str(site / "public"), "--silent"]


def clean(site: Path) -> None:
    """Hugo's outputs and caches, deleted before a full build."""
    for name in ("public", "resources", ".hugo-cache"):
        shutil.rmtree(site / name, ignore_errors=True)
    (site / ".hugo_build.lock").unlink(missing_ok=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("content", type=Path)
    p.add_argument("out", type=Path)
    args = p.parse_args()
    print(f"{write(args.content, args.out)} pages written to {args.out}")


if __name__ == "__main__":
    main()
