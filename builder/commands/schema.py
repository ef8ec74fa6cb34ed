"""`build.py schema`: the JSON Schemas editors use, written from the content schema."""

from __future__ import annotations

from argparse import Namespace

from builder.base.diagnostics import display_path
from builder.base.files import write_atomic
from builder.base.messages import say
from builder.pipeline import PROJECT_ROOT


def run(args: Namespace) -> int:
    stale = []
    from builder.content.schema import RECORDS, json_schema

    for kind in RECORDS:
        path = PROJECT_ROOT / "schemas" / f"{kind}.schema.json"
        text = json_schema(kind)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(exist_ok=True)
            write_atomic(path, text.encode("utf-8"))
    for path in stale:
        print(say("schema.stale" if args.check else "schema.wrote", path=display_path(str(path))))
    return 1 if args.check and stale else 0
