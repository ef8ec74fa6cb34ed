"""The floor: the least a Python site generator can do with the same corpus.

    .venv/bin/python bench/floor.py CONTENT OUT [--processes N]

For each content file: read it with PyYAML's C loader, render one Jinja
template (a page with the project's indicator table), write it. No checks,
no positions, no PDFs, no search, no data files. `bench/run.py` times it in
the same run as gongkai, so gongkai's figures are also ratios to this.
"""

from __future__ import annotations

import argparse
import os
import sys
from multiprocessing import get_context
from pathlib import Path

import jinja2
import yaml

TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ data.name }}</title></head>
<body><main><h1>{{ data.name }}</h1>
{% if data.indicators %}<table><thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th><th>依据</th></tr></thead><tbody>
{% for i in data.indicators %}<tr><td>{{ i.level1 }}</td><td>{{ i.level2 }}</td><td>{{ i.name }}</td><td>{{ i.target }}</td><td>{{ i.basis }}</td></tr>
{% endfor %}</tbody></table>{% endif %}
</main></body></html>
"""


def files_of(content: Path) -> list[Path]:
    return sorted(p for p in content.rglob("*.yaml") if p.name != "site.yaml")


def render(paths: list[Path], content: Path, out: Path) -> int:
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    for path in paths:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
        target = out / path.relative_to(content).with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.render(data=data), encoding="utf-8")
    return len(paths)


def _render_share(args) -> int:
    return render(*args)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("content", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--processes", type=int, default=1)
    args = p.parse_args()
    paths = files_of(args.content)
    if args.processes <= 1:
        done = render(paths, args.content, args.out)
    else:
        shares = [(paths[i::args.processes], args.content, args.out) for i in range(args.processes)]
        with get_context("fork").Pool(args.processes) as pool:
            done = sum(pool.map(_render_share, shares))
    print(f"{done} pages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
