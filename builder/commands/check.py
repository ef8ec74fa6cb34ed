"""`build.py check`: every problem in the content, without building."""

from __future__ import annotations

from argparse import Namespace

from builder.commands.report import content_missing, print_report
from builder.pipeline import check_content


def run(args: Namespace) -> int:
    if content_missing(args.content):
        return 2
    result = check_content(args.content.absolute(), args.themes.absolute(), strict=args.strict)
    print_report(result, args.strict, args.verbose)
    return 1 if result.report.failed(args.strict) else 0
