"""`build.py build`: check, then make the site into the output folder (or a revision's, with --rev)."""

from __future__ import annotations

import sys
import tempfile
from argparse import Namespace
from pathlib import Path

from builder.base.diagnostics import display_path
from builder.base.limits import MAX_JOBS, max_jobs
from builder.base.parallel import Runner, executor
from builder.base.progress import Progress
from builder.cache.store import default_cache_dir
from builder.commands.report import content_missing, print_report
from builder.pipeline import Result, build_site
from builder.publish.staging import output_path


def run(args: Namespace) -> int:
    if content_missing(args.content):
        return 2
    for option, value in (("--jobs", args.jobs), ("--workers", args.workers)):
        if value is not None and not 1 <= value <= max_jobs():
            print(f"error: {option} takes a number of at least 1 and at most {max_jobs()}, found {value}",
                  file=sys.stderr)
            print(f"  hint: more processes than cores only wait for one; the limit is {MAX_JOBS}, or four per "
                  "core on a machine with more cores", file=sys.stderr)
            return 2
    output = output_path(args.output)
    runner = executor(args.jobs, args.scheduler, args.workers)
    try:
        if args.rev:
            result, note = build_revision(args, runner), f" (content as of {args.rev})"
        else:
            cache = None if args.no_cache else (args.cache or default_cache_dir(output)).absolute()
            result, note = build_site(args.content.absolute(), output, args.themes.absolute(), strict=args.strict,
                                      pdfs=not args.no_pdf, cache=cache, runner=runner, progress=Progress()), ""
    finally:
        runner.close()
    print_report(result, args.strict)
    if not result.ok:
        print(f"build stopped; {display_path(str(output))} was left as it was", file=sys.stderr)
        return 1
    if result.up_to_date:
        print(f"{display_path(str(output))} is up to date ({result.files} files; nothing changed since the last build)")
        return 0
    made = f" ({len(result.rendered)} made, {len(result.reused)} unchanged)" if result.reused else ""
    print(f"wrote {result.files} files to {display_path(str(output))}{made}{note}")
    return 0


def build_revision(args: Namespace, runner: Runner) -> Result:
    """Build the content as it was at a revision: exported into a temporary folder, never checked out.
    Its history and its date are the revision's (the content tree decides both, history/tree.py)."""
    from builder.base.diagnostics import Diagnostic, Pos
    from builder.history import git

    root, relative = git.work_tree(args.content)
    with tempfile.TemporaryDirectory(prefix="gongkai-rev-") as tmp:
        content = git.export(root, args.rev, relative, Path(tmp))
        result = build_site(content, args.output.absolute(), args.themes.absolute(), strict=args.strict,
                            pdfs=not args.no_pdf, history_of=(args.content.absolute(), args.rev),
                            runner=runner, progress=Progress())
    # Point findings at the files as the reader knows them, not at the temporary copy.
    real, copy = str(args.content.absolute()), str(content)
    result.report.items = [Diagnostic(d.severity, Pos(d.pos.path.replace(copy, real, 1), d.pos.line, d.pos.col),
                                      d.message, d.hint) for d in result.report.items]
    return result
