"""The shape of builder/: stages import only downwards, no cycles, no private names across modules.

The order is the story of a build (docs/architecture.md): a package may import
its own modules and those of the packages before it in LAYERS, never one
after it. Every import counts, also one inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

BUILDER = ROOT / "builder"
LAYERS = ["base", "cache", "content", "check", "history", "render", "publish", "importers", "pipeline", "commands",
          "cli"]
# A module longer than this says at its top why it is not split ("Longer than 300 lines: ...").
LONG = 300


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(BUILDER.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for each builder import of a module."""
    found = []
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([target] if target else []))
            if target == "builder" or target.startswith("builder."):
                names = [a.name for a in node.names]
                known = modules()
                # `from builder.render import pages`: the module pages, not a name of the package.
                subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
                found += [(s, [], node.lineno) for s in subs]
                rest = [n for n in names if f"{target}.{n}" not in known]
                if rest or not subs:
                    found.append((target, rest, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("builder")]
    return found


def layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:  # builder/__init__.py: the version, importable by all
        return -1
    return LAYERS.index(parts[1])


def test_every_package_is_a_known_layer_with_a_docstring_saying_what_it_owns():
    for name, path in modules().items():
        parts = name.split(".")
        if len(parts) > 1:
            assert parts[1] in LAYERS, f"{name}: add its package to LAYERS and docs/architecture.md"
        if path.name == "__init__.py":
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            assert len(doc) > 80 and "import" in doc, f"{path}: say what the package owns and what it may import"


def test_no_import_climbs_to_a_later_stage():
    climbs = []
    for name, path in modules().items():
        for target, _, line in imports(name, path):
            if layer(target) > layer(name):
                climbs.append(f"{path.relative_to(ROOT)}:{line}: {name} imports {target}")
    assert not climbs, "\n".join(climbs)


def test_no_import_cycles_between_modules():
    graph = {name: {t for t, _, _ in imports(name, path) if t in modules()} for name, path in modules().items()}
    # A package's __init__ that re-exports is not a cycle with its own modules.
    graph = {n: {t for t in ts if not n.startswith(t + ".") and not t.startswith(n + ".")} for n, ts in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]) if nxt in trail else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(cycles)


def test_no_private_name_is_imported_from_another_module():
    private = [f"{path.relative_to(ROOT)}:{line}: {', '.join(n for n in names if n.startswith('_'))} from {target}"
               for name, path in modules().items() for target, names, line in imports(name, path)
               if any(n.startswith("_") and not n.startswith("__") for n in names)]
    assert not private, "\n".join(private)


def test_long_modules_say_why_at_the_top():
    unexplained = []
    for path in modules().values():
        lines = path.read_text(encoding="utf-8").count("\n")
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if lines > LONG and f"Longer than {LONG} lines" not in doc:
            unexplained.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not unexplained, "\n".join(unexplained)


def test_the_architecture_page_and_the_readme_name_every_module_and_package():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    unnamed = [str(path.relative_to(BUILDER)) for path in modules().values()
               if path.name != "__init__.py" and path.relative_to(BUILDER).as_posix() not in page]
    assert not unnamed, f"docs/architecture.md does not name: {unnamed}"
    packages = {name.split(".")[1] for name in modules() if name.count(".") >= 1}
    missing = sorted(p for p in packages if f"`{p}/`" not in readme and f"`{p}.py`" not in readme)
    assert not missing, f"README's module map does not name: {missing}"
