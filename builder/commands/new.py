"""`build.py new`: a department or project file to fill in, every field explained."""

from __future__ import annotations

import sys
from argparse import Namespace

from builder.base.diagnostics import display_path
from builder.pipeline import PROJECT_ROOT


def run(args: Namespace) -> int:
    from builder.content.scaffold import scaffold

    try:
        path = scaffold(args.kind, args.path, args.code, PROJECT_ROOT / "schemas")
    except (FileExistsError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {display_path(str(path))}; fill it in, then run `python build.py check`")
    return 0
