"""The command line. The only module that prints or chooses an exit code.

Exit codes: 0 success, 1 content has errors (or warnings under --strict) or
the build failed, 2 usage errors (argparse's convention).
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import socket
import sys
import tempfile
import threading
import traceback
from pathlib import Path

from . import __version__
from .cache import default_cache_dir
from .characters import printable
from .diagnostics import BuildError, display_path, os_problem
from .limits import MAX_JOBS, max_jobs
from .parallel import executor
from .pipeline import DEFAULT_THEMES, PROJECT_ROOT, build_site, check_content
from .progress import Progress
from .write import output_path


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535, not {text}")
    return port


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="gongkai: publish budget performance targets.")
    p.add_argument("--version", action="version", version=f"gongkai {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="check content and print every problem, without building")
    build = sub.add_parser("build", help="check content, then write the site into the output folder")
    for command in (check, build):
        command.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                             help="the content folder (default: content)")
        command.add_argument("--strict", action="store_true", help="treat warnings as errors")
        command.add_argument("--themes", type=Path, default=DEFAULT_THEMES, metavar="DIR",
                             help="where themes are looked up (default: the themes folder beside build.py)")
    build.add_argument("--output", type=Path, default=Path("output"), metavar="DIR",
                       help="the output folder, replaced as a whole on success (default: output)")
    build.add_argument("--no-pdf", action="store_true", help="skip the PDF annexes and volumes (a quick preview)")
    build.add_argument("--rev", metavar="REV", help="build the content as of a git tag or commit; the work tree is "
                       "not touched")
    build.add_argument("--jobs", "-j", type=int, metavar="N",
                       help=f"render with N processes on this machine (default: one per core; at most "
                       f"{MAX_JOBS}, or four per core where that is more)")
    build.add_argument("--scheduler", metavar="ADDRESS",
                       help="render on a Dask cluster, e.g. tcp://10.0.0.5:8786 (see docs/scale.md)")
    build.add_argument("--workers", type=int, metavar="N",
                       help=f"render on a local Dask cluster of N worker processes (at most {MAX_JOBS}, or four "
                       "per core where that is more)")
    build.add_argument("--cache", type=Path, metavar="DIR",
                       help="the build cache, so unchanged pages and PDFs are not made again "
                       "(default: .OUTPUT.cache beside the output folder)")
    build.add_argument("--no-cache", action="store_true", help="build everything afresh and keep no cache")

    diff = sub.add_parser("diff", help="what changed between two git revisions of the content, in its own words")
    diff.add_argument("rev_a", metavar="REV_A")
    diff.add_argument("rev_b", metavar="REV_B")
    diff.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                      help="the content folder, inside a git work tree (default: content)")
    diff.add_argument("--format", choices=["text", "markdown", "json", "html"], default="text")

    serve = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild when files change")
    serve.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                       help="the content folder (default: content)")
    serve.add_argument("--themes", type=Path, default=DEFAULT_THEMES, metavar="DIR",
                       help="where themes are looked up (default: the themes folder beside build.py)")
    serve.add_argument("--port", type=port_number, default=8000, help="the port to listen on (default: 8000; "
                       "0: any free port)")
    serve.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS",
                       help="the address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0: every "
                       "network, so others can see the site)")

    imp = sub.add_parser("import", help="turn existing disclosures (text export, Excel paste, .docx, .xlsx) into content")
    imp.add_argument("sources", type=Path, nargs="+", metavar="SOURCE", help="the files to import")
    imp.add_argument("--out", type=Path, required=True, metavar="DIR", help="the content folder to write into")
    imp.add_argument("--year", type=int, help="the budget year, when the text does not make it clear")
    imp.add_argument("--force", action="store_true",
                     help="replace content files that exist (import never overwrites one otherwise)")

    new = sub.add_parser("new", help="write a department or project file to fill in, every field explained")
    new.add_argument("kind", choices=["department", "project"])
    new.add_argument("path", type=Path, metavar="PATH",
                     help="the department folder (for a project: its department's folder)")
    new.add_argument("--code", required=True, help="the unit or project code")

    schema = sub.add_parser("schema", help="write the JSON Schemas of content files into schemas/")
    schema.add_argument("--check", action="store_true", help="only report whether schemas/ is up to date")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "schema":
            return run_schema(args.check)
        if args.command == "serve":
            return run_serve(args)
        if args.command == "import":
            return run_import(args)
        if args.command == "diff":
            return run_diff(args)
        if args.command == "new":
            return run_new(args)
        return run_build(args) if args.command == "build" else run_check(args)
    except BuildError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 1
    except OSError as exc:  # the machine said no: permissions, a full disk, a port in use
        if os.environ.get("GONGKAI_DEBUG"):
            traceback.print_exc()
        print(os_error(exc, args.command), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if args.command != "serve":
            print("interrupted; output/ was left as it was", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in gongkai, not in the content
        if os.environ.get("GONGKAI_DEBUG"):
            traceback.print_exc()
        print(f"internal error: {type(exc).__name__}: {exc}\n"
              "this is a bug in gongkai, not in your content; output/ was left as it was. "
              "Run again with GONGKAI_DEBUG=1 for details and report it.", file=sys.stderr)
        return 1


def os_error(exc: OSError, command: str) -> str:
    """One message for an OSError: what the system refused, where, and what to do.

    Whatever raises keeps the path in the exception (`filename`); a write that fails without one
    (ENOSPC from a file object) is given it by the writer (diagnostics.keep_path)."""
    what, hint = os_problem(exc)
    where = " → ".join(printable(display_path(os.fsdecode(name))) for name in (exc.filename, exc.filename2)
                       if isinstance(name, (str, bytes)))
    text = f"error: {where}: {what}" if where else f"error: {what}"
    if hint:
        text += f"\n  hint: {hint}"
    if command == "build":
        text += "\nthe output folder was left as it was"
    return text


def cannot_listen(exc: OSError, bind: str, port: int) -> str:
    """Why `serve` cannot listen on the address and port it was given."""
    what, hint = os_problem(exc)
    if isinstance(exc, socket.gaierror):
        what, hint = f"no such address ({exc.strerror})", "give --bind an IP address, e.g. 127.0.0.1"
    elif exc.errno == errno.EACCES:
        hint = "ports below 1024 need root: choose another with --port"
    text = f"error: cannot listen on {f'[{bind}]' if ':' in bind else bind}:{port}: {what}"
    return text + (f"\n  hint: {hint}" if hint else "")


def content_missing(content: Path) -> bool:
    if content.is_dir():
        return False
    print(f"error: content folder {content} not found", file=sys.stderr)
    return True


def print_report(result, strict: bool) -> None:
    for notice in result.notices:  # about the build itself, before what it found in content
        print(notice.format(), file=sys.stderr)
    for diagnostic in result.report.sorted():
        print(diagnostic.format(), file=sys.stderr)
    errors, warnings = len(result.report.errors), len(result.report.warnings)
    summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if strict and warnings:
        summary += " (--strict: warnings count as errors)"
    if result.ok:
        print("; ".join(result.summary) or "no departments", file=sys.stdout)
    print(summary, file=sys.stderr)


def run_check(args) -> int:
    if content_missing(args.content):
        return 2
    result = check_content(args.content.absolute(), args.themes.absolute(), strict=args.strict)
    print_report(result, args.strict)
    return 1 if result.report.failed(args.strict) else 0


def run_build(args) -> int:
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


def build_revision(args, runner):
    """Build the content as it was at a revision: exported into a temporary folder, never checked out."""
    from datetime import datetime, timezone

    from . import git
    from .diagnostics import Diagnostic, Pos

    root, relative = git.work_tree(args.content)
    with tempfile.TemporaryDirectory(prefix="gongkai-rev-") as tmp:
        content = git.export(root, args.rev, relative, Path(tmp))
        stamp = os.environ.get("SOURCE_DATE_EPOCH") or git.commit_time(root, git.resolve(root, args.rev), relative)
        date = datetime.fromtimestamp(int(stamp or 0), tz=timezone.utc)
        result = build_site(content, args.output.absolute(), args.themes.absolute(), strict=args.strict,
                            pdfs=not args.no_pdf, date=date, history_of=(args.content.absolute(), args.rev),
                            runner=runner, progress=Progress())
    # Point findings at the files as the reader knows them, not at the temporary copy.
    real, copy = str(args.content.absolute()), str(content)
    result.report.items = [Diagnostic(d.severity, Pos(d.pos.path.replace(copy, real, 1), d.pos.line, d.pos.col),
                                      d.message, d.hint) for d in result.report.items]
    return result


def run_serve(args) -> int:
    if content_missing(args.content):
        return 2
    from .serve import DevServer

    def on_build(result) -> None:
        print_report(result, strict=False)
        if result.site is None:
            print("the page shows these problems; the last good site is kept", file=sys.stderr)

    try:
        server = DevServer(args.content.absolute(), args.themes.absolute(), args.port, on_build=on_build,
                           bind=args.bind)
    except OSError as exc:
        print(cannot_listen(exc, args.bind, args.port), file=sys.stderr)
        return 1
    # `kill` and service managers send SIGTERM: stop as cleanly as on Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.start()
    try:  # from here on a SIGTERM or Ctrl-C stops the server and removes its folder
        print(f"serving {server.url} (rebuilds when content/, themes/ or builder/ change; Ctrl-C stops)",
              flush=True)
        forever = threading.Event()
        # Woken twice a second: a SIGTERM the kernel hands to another thread runs its handler only when
        # the main thread next runs Python code, and a wait without a timeout would never return.
        while not forever.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


def run_diff(args) -> int:
    from . import git
    from .diff import diff_sites, render

    if content_missing(args.content):
        return 2
    root, relative = git.work_tree(args.content)
    sites = []
    with tempfile.TemporaryDirectory(prefix="gongkai-diff-") as tmp:
        for n, rev in enumerate((args.rev_a, args.rev_b)):
            content = git.export(root, rev, relative, Path(tmp) / str(n))
            result = check_content(content)
            if result.site is None:
                errors = len(result.report.errors)
                print(f"error: the content at {rev} does not pass check ({errors} error{'s' * (errors != 1)}); "
                      f"see `python build.py build --rev {rev}`", file=sys.stderr)
                return 1
            sites.append(result.site)
    changes = diff_sites(*sites)
    sys.stdout.write(render(changes, args.format, f"{args.rev_a} → {args.rev_b}"))
    return 0


def run_import(args) -> int:
    from .importers import ImportFailed, import_sources

    try:
        result = import_sources(args.sources, args.out.absolute(), PROJECT_ROOT / "schemas", args.year, args.force)
    except ImportFailed as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        if exc.written:
            print("written before the failure: " + ", ".join(display_path(str(p)) for p in exc.written),
                  file=sys.stderr)
        else:
            print("nothing was written", file=sys.stderr)
        return 1
    for path in result.written:
        print(f"wrote {display_path(str(path))}")
    for path in result.unchanged:
        print(f"unchanged {display_path(str(path))} (it already holds the imported text)")
    for note in result.notes:
        print(note, file=sys.stderr)
    # What a reviewer should look at, with both the YAML and the source position.
    checked = check_content(args.out.absolute())
    for diagnostic in checked.report.sorted():
        print(diagnostic.format(), file=sys.stderr)
        origin = result.origins.get((diagnostic.pos.path, diagnostic.pos.line))
        if origin:
            print(f"  source: {origin}", file=sys.stderr)
    errors, warnings = len(checked.report.errors), len(checked.report.warnings)
    print(f"{errors} errors, {warnings} warnings in the imported content", file=sys.stderr)
    return 1 if errors else 0


def run_new(args) -> int:
    from .scaffold import scaffold

    try:
        path = scaffold(args.kind, args.path, args.code, PROJECT_ROOT / "schemas")
    except (FileExistsError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {display_path(str(path))}; fill it in, then run `python build.py check`")
    return 0


def run_schema(check_only: bool) -> int:
    stale = []
    from .schema import RECORDS, json_schema

    for kind in RECORDS:
        path = PROJECT_ROOT / "schemas" / f"{kind}.schema.json"
        text = json_schema(kind)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not check_only:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{'stale' if check_only else 'wrote'} {display_path(str(path))}")
    return 1 if check_only and stale else 0
