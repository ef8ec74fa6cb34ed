"""schemas/ is generated from builder/schema.py and describes the content editors see."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml
from conftest import CONTENT, ROOT

from builder.base.messages import entries
from builder.cli import main
from builder.content.fields import ListOf, Record
from builder.content.frameworks import BUILTIN_DIR
from builder.content.schema import RECORDS, json_schema

CONTENT_FILES = sorted([*CONTENT.rglob("*.yaml"), *BUILTIN_DIR.glob("*.yaml")])


def test_schemas_are_up_to_date():
    for kind in RECORDS:
        path = ROOT / "schemas" / f"{kind}.schema.json"
        assert path.read_text(encoding="utf-8") == json_schema(kind), (
            f"{path} is stale: run `python build.py schema` and review the diff")
    assert main(["schema", "--check"]) == 0


def test_every_record_is_named_in_the_catalogue_as_its_title_in_english():
    """A message names a record by `record.<name>` (Record.said), an id the code makes: each one must be there."""
    def records(kind: object) -> list[Record]:
        kind = kind.item if isinstance(kind, ListOf) else kind
        return [kind, *(r for f in kind.fields for r in records(f.type))] if isinstance(kind, Record) else []

    for record in (r for top in RECORDS.values() for r in records(top)):
        assert record.said.key in entries(), record.name
        assert record.said.text("en") == record.title


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.name)
def test_each_content_file_names_its_schema_and_validates_against_it(path):
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert m, f"{path} must start with a yaml-language-server modeline"
    schema_path = (path.parent / m.group(1)).resolve()
    assert schema_path.parent == ROOT / "schemas"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    # Editors load YAML with YAML's own typing: 2022 is a number, 100000.00 a float.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)


def test_schema_rejects_what_check_rejects():
    schema = json.loads((ROOT / "schemas" / "project.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    project = yaml.safe_load((CONTENT / "2022/304001/projects/13022922P00JXC411757B.yaml").read_text(encoding="utf-8"))
    assert validator.is_valid(project)
    assert not validator.is_valid({**project, "purpse": "typo"})
    assert not validator.is_valid({**project, "code": "../etc"})
    del project["indicators"]
    assert not validator.is_valid(project)


def test_every_schema_field_is_documented():
    docs = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")

    def keys(record):
        for field in record.fields:
            yield field.key
            inner = getattr(field.type, "item", field.type)
            if hasattr(inner, "fields"):
                yield from keys(inner)

    for kind, record in RECORDS.items():
        for key in keys(record):
            assert f"`{key}`" in docs, f"docs/content.md does not document `{key}` ({kind})"


def test_the_complete_example_in_the_docs_is_the_real_file():
    docs = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    real = (CONTENT / "2022/304001/projects/13022922P00JXC411757B.yaml").read_text(encoding="utf-8")
    assert f"```yaml\n{real}```" in docs


def test_every_command_and_option_is_in_the_readme():
    import argparse

    from builder.cli import parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        assert f"python build.py {name}" in readme, name
        for action in command._actions:
            for flag in action.option_strings:
                if flag not in ("-h", "--help"):
                    assert flag in readme, f"{name} {flag}"


@pytest.mark.parametrize("kind, pattern", [("evaluation", "2022/*/evaluations/*.yaml"),
                                           ("monitoring", "2022/*/monitoring/*.yaml"),
                                           ("department-evaluation", "2022/*/evaluation.yaml")])
def test_the_example_stage_files_are_valid_for_their_json_schema(kind, pattern):
    """What editors check as you type agrees with check on the later stages' files too."""
    schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted(CONTENT.glob(pattern))
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(data)), path
        assert not validator.is_valid({**data, "acutal": "typo"})
