"""`build.py build`: check, then make the site into the output folder (or a revision's, with --rev)."""

from __future__ import annotations

import sys
import tempfile
from argparse import Namespace
from pathlib import Path

from builder.base.diagnostics import display_path
from builder.base.limits import MAX_JOBS, max_jobs
from builder.base.messages import msg, say
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
            print(say("report.error_line", text=msg("build.jobs_out_of_range", option=option, most=max_jobs(),
                                                     value=value)), file=sys.stderr)
            print(say("report.hint_line", text=msg("build.jobs_out_of_range_hint", limit=MAX_JOBS)), file=sys.stderr)
            return 2
    output = output_path(args.output)
    runner = executor(args.jobs, args.scheduler, args.workers)
    try:
        if args.rev:
            result, note = build_revision(args, runner), say("build.revision_note", rev=args.rev)
        else:
            cache = None if args.no_cache else (args.cache or default_cache_dir(output)).absolute()
            result, note = build_site(args.content.absolute(), output, args.themes.absolute(), strict=args.strict,
                                      pdfs=not args.no_pdf, cache=cache, runner=runner, progress=Progress()), ""
    finally:
        runner.close()
    print_report(result, args.strict, args.verbose)
    shown = display_path(str(output))
    if not result.ok:
        print(say("build.stopped", output=shown), file=sys.stderr)
        return 1
    if result.up_to_date:
        print(say("build.up_to_date", output=shown, files=result.files))
        return 0
    made = say("build.made_and_reused", made=len(result.rendered), reused=len(result.reused)) if result.reused else ""
    print(say("build.wrote", files=result.files, output=shown, made=made, note=note))
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
                                      d.said, d.advice) for d in result.report.items]
    return result
