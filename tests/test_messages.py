"""The message catalogue: every id said in both languages, every id the code names is there, and
the commands speak Chinese unless asked for English."""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from builder.base.messages import CATALOGUE, LANGUAGES, Message, choose_language, msg

BUILDER = ROOT / "builder"
CJK = re.compile(r"[\u4e00-\u9fff]")


def catalogue() -> dict[str, tuple[str, dict]]:
    found: dict[str, tuple[str, dict]] = {}
    for path in sorted(CATALOGUE.glob("*.yaml")):
        for key, entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            assert key not in found, f"{key} is in {path.name} and {found[key][0]}"
            found[key] = (path.name, entry)
    return found


def fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_both_languages_with_the_same_arguments():
    problems = []
    for key, (file, entry) in catalogue().items():
        for part, words in (("text", {k: v for k, v in entry.items() if k != "hint"}), ("hint", entry.get("hint"))):
            if words is None:
                continue
            if set(words) != set(LANGUAGES) or not all(words[lang] for lang in LANGUAGES):
                problems.append(f"{file} {key} {part}: needs exactly {LANGUAGES}, has {sorted(words)}")
                continue
            english = words["en"]
            if isinstance(english, dict):  # plural forms, chosen by `count`
                if set(english) != {"one", "other"} or "count" not in fields(words["zh-CN"]):
                    problems.append(f"{file} {key} {part}: plural forms are one/other, chosen by {{count}}")
                    continue
                if fields(english["one"]) - {"count"} != fields(english["other"]) - {"count"}:
                    problems.append(f"{file} {key} {part}: the plural forms take different arguments")
                english = english["other"]
            if fields(words["zh-CN"]) != fields(english):
                problems.append(f"{file} {key} {part}: arguments differ: {fields(words['zh-CN'])} vs {fields(english)}")
            words_only = re.sub(r"\{[^}]*\}|`[^`]*`", "", words["zh-CN"])  # without arguments and code
            if re.search(r"[A-Za-z]{3}", words_only) and not CJK.search(words_only):
                problems.append(f"{file} {key} {part}: the zh-CN words are not Chinese: {words['zh-CN']!r}")
    assert not problems, "\n".join(problems)


def code_keys() -> dict[str, str]:
    """Every catalogue id the code names: the first argument of msg()/say(), a literal."""
    named: dict[str, str] = {}
    for path in BUILDER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("msg", "say"):
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    named[first.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return named


def test_every_id_the_code_names_is_in_the_catalogue_and_every_entry_is_used():
    entries, named = catalogue(), code_keys()
    missing = {key: where for key, where in named.items() if key not in entries}
    assert not missing, missing
    source = "\n".join(p.read_text(encoding="utf-8") for p in BUILDER.rglob("*.py"))
    unused = [key for key in entries if f'"{key}"' not in source and f"'{key}'" not in source
              and f"{key.rsplit('.', 1)[0]}.{{" not in source  # a family said by name: f"severity.{value}"
              and f'family("{key.split(".", 1)[0]}.")' not in source]  # or all at once: family("argparse.")
    assert not unused, f"catalogue entries no code says: {unused}"


def test_a_message_is_said_in_the_language_asked():
    said = msg("severity.error")
    assert said.text("zh-CN") == "错误" and said.text("en") == "error"
    nested = msg("verbatim", text=msg("severity.warning"))
    assert nested.text("zh-CN") == "警告" and nested.text("en") == "warning"
    assert Message.from_json(nested.to_json()) == nested


@pytest.mark.parametrize(("option", "environ", "language"), [
    (None, {}, "zh-CN"),
    (None, {"LANG": "C.UTF-8"}, "zh-CN"),
    (None, {"LANG": "zh_CN.UTF-8"}, "zh-CN"),
    (None, {"LANG": "en_US.UTF-8"}, "en"),
    (None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh-CN"),
    (None, {"GONGKAI_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
    ("zh-CN", {"GONGKAI_LANG": "en"}, "zh-CN"),
    ("en", {}, "en"),
])
def test_the_language_is_the_option_then_the_environment_then_chinese(option, environ, language):
    assert choose_language(option, environ) == language


def run(*args: str, env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_check_speaks_chinese_by_default_and_english_when_asked():
    """The seed's findings: the same positions in both languages, Chinese words by default."""
    chinese = run("check", env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    english = run("check", "--lang", "en", env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert chinese.returncode == english.returncode == 0

    def positions(err: str) -> list[str]:
        return re.findall(r"^(\S+:\d+:\d+): ", err, re.M)

    assert positions(chinese.stderr) == positions(english.stderr) and positions(chinese.stderr)
    assert ": 警告: " in chinese.stderr and "  提示: " in chinese.stderr
    assert ": warning: " in english.stderr and ": 警告: " not in english.stderr
    english_words = re.compile(r"\b[a-z]+ [a-z]+ [a-z]+\b")  # three English words in a row, outside `code`
    for line in chinese.stderr.splitlines():
        assert not english_words.search(re.sub(r"`[^`]*`", "", line)), line


def test_the_command_lines_help_and_refusals_speak_the_language():
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    helped = run("check", "--help", env=env)
    assert helped.returncode == 0 and "用法：" in helped.stdout and "把警告当作错误" in helped.stdout
    refused = run("check", "--bogus", env=env)
    assert refused.returncode == 2 and "错误：无法识别的参数：--bogus" in refused.stderr
    english = run("check", "--bogus", "--lang", "en", env=env)
    assert "error: unrecognized arguments: --bogus" in english.stderr
