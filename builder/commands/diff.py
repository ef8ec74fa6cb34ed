"""`build.py diff REV_A REV_B`: what changed between two revisions of the content, in its own words."""

from __future__ import annotations

import sys
import tempfile
from argparse import Namespace
from pathlib import Path

from builder.base.messages import msg, say
from builder.commands.report import content_missing
from builder.pipeline import check_content


def run(args: Namespace) -> int:
    from builder.history import git
    from builder.history.diff import diff_sites, render

    if content_missing(args.content):
        return 2
    root, relative = git.work_tree(args.content)
    sites = []
    with tempfile.TemporaryDirectory(prefix="gongkai-diff-") as tmp:
        for n, rev in enumerate((args.rev_a, args.rev_b)):
            content = git.export(root, rev, relative, Path(tmp) / str(n))
            result = check_content(content)
            if result.site is None:
                errors = msg("report.errors", count=len(result.report.errors))
                print(say("report.error_line", text=msg("diff.revision_fails_check", rev=rev, errors=errors)),
                      file=sys.stderr)
                return 1
            sites.append(result.site)
    changes = diff_sites(*sites)
    sys.stdout.write(render(changes, args.format, f"{args.rev_a} → {args.rev_b}"))
    return 0
