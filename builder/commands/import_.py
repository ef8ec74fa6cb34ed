"""`build.py import`: existing disclosures into content files, then checked as `check` would."""

from __future__ import annotations

import sys
from argparse import Namespace

from builder.base.diagnostics import display_path
from builder.base.messages import say
from builder.pipeline import PROJECT_ROOT, check_content


def run(args: Namespace) -> int:
    from builder.importers import ImportFailed, import_sources

    try:
        result = import_sources(args.sources, args.out.absolute(), PROJECT_ROOT / "schemas", args.year, args.force)
    except ImportFailed as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        if exc.written:
            print(say("import.written_before_failure", paths=", ".join(display_path(str(p)) for p in exc.written)),
                  file=sys.stderr)
        else:
            print(say("import.nothing_written"), file=sys.stderr)
        return 1
    for path in result.written:
        print(say("import.wrote", path=display_path(str(path))))
    for path in result.unchanged:
        print(say("import.unchanged", path=display_path(str(path))))
    for note in result.notes:
        print(note, file=sys.stderr)
    for problem in result.unmatched:
        print(problem.format(), file=sys.stderr)
    # What a reviewer should look at, with both the YAML and the source position.
    checked = check_content(args.out.absolute())
    for diagnostic in checked.report.sorted():
        print(diagnostic.format(), file=sys.stderr)
        origin = result.origins.get((diagnostic.pos.path, diagnostic.pos.line))
        if origin:
            print(say("import.source", origin=origin), file=sys.stderr)
    errors, warnings = len(checked.report.errors), len(checked.report.warnings)
    if result.unmatched or result.warnings:
        print(say("import.sources_summary", forms=len(result.unmatched), warnings=result.warnings), file=sys.stderr)
    print(say("import.content_summary", errors=errors, warnings=warnings), file=sys.stderr)
    return 1 if errors or result.unmatched else 0
