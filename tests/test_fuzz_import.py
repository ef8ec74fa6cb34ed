"""Property-based fuzzing of the text importer: bytes -> text -> blocks -> records -> planned YAML files.

Whatever the input, the importer either plans files whose YAML reads back, or
refuses with one of its own positioned problems (SourceError, ImportError_, a
plan problem); it never raises anything else and never takes long.

The normal run is short. To fuzz longer:

    GONGKAI_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz_import.py -q

Hypothesis keeps the failing examples it found in .hypothesis/ (git-ignored) and
replays them first next time.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml
from conftest import ROOT, SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.importers import ImportFailed, ImportProblem, interpret, plan_files
from builder.importers.encoding import decode_text
from builder.importers.sources import read_text

settings.register_profile(
    "gongkai-import-fuzz",
    max_examples=int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "40")),
    deadline=5000,  # ms per input: a hang or a quadratic blow-up fails, a slow CI machine does not
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings(settings.get_profile("gongkai-import-fuzz"))
SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
NAME = "fuzz.txt"


def import_bytes(data: bytes) -> None:
    """The whole text path of `build.py import`, short of writing: every stage, its own refusals only."""
    try:
        record = interpret(read_text(NAME, decode_text(data, NAME)), source=NAME)
    except ImportProblem as problem:
        assert problem.where.startswith(NAME) or problem.where == "--year", problem.where
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "content"
        try:
            planned = plan_files([(Path(tmp) / NAME, record)], out, ROOT / "schemas")
        except ImportFailed as failed:
            assert failed.problems
            return
        assert not out.exists()  # planning writes nothing
    for item in planned:
        assert item.path.is_relative_to(out)
        yaml.load(item.text, Loader=yaml.CSafeLoader)  # what import writes reads back as YAML


@st.composite
def mutated_seed(draw) -> str:
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "tab", "unicode", "truncate"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "tab":
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k] + "\t" + lines[i][k:]
        elif op == "unicode":
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k] + draw(st.text(max_size=12)) + lines[i][k:]
        elif op == "truncate":
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
    return "\n".join(lines)


@FUZZ
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_are_imported_or_refused(data):
    import_bytes(data)


@FUZZ
@given(mutated_seed(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_mutated_seed_is_imported_or_refused(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # a lone surrogate from st.text(): no file can hold it
        data = text.encode("utf-8", errors="surrogatepass")
    import_bytes(data)


def test_the_unmutated_seed_passes_the_property():
    import_bytes(SEED.read_bytes())
