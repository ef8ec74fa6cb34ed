"""The command line: parsing the arguments, running one command (builder/commands/), and the
last word on anything a command did not handle. Commands print; only here and in commands/ is an
exit code chosen.

Exit codes: 0 success, 1 content has errors (or warnings under --strict) or
the build failed, 2 usage errors (argparse's convention).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from pathlib import Path

from builder import __version__
from builder.base.characters import printable
from builder.base.diagnostics import BuildError
from builder.base.limits import MAX_JOBS
from builder.base.messages import LANGUAGES, choose_language, say, use_language
from builder.commands.report import os_error
from builder.pipeline import DEFAULT_THEMES

# Each command's module in builder/commands/, which has a run(args) -> exit code.
COMMANDS = {"check": "check", "build": "build", "diff": "diff", "serve": "serve", "import": "import_", "new": "new",
            "schema": "schema"}


def asked_language(argv: list[str]) -> str | None:
    """The --lang a command line gives (`--lang en`, `--lang=en`), before it is parsed."""
    for n, arg in enumerate(argv):
        if arg == "--lang" and n + 1 < len(argv):
            return argv[n + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(say("cli.bad_port", text=text))
    return port


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="gongkai: publish budget performance targets.")
    p.add_argument("--version", action="version", version=f"gongkai {__version__}")
    # Every command takes --lang, before or after its name (`build.py --lang en check`, `build.py check --lang en`).
    language = argparse.ArgumentParser(add_help=False)
    language.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                          help="the language of messages: zh-CN (default) or en; also GONGKAI_LANG, or an "
                          "English LANG")
    p.add_argument("--lang", choices=LANGUAGES, default=None, help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_parser = sub.add_parser
    sub.add_parser = lambda *a, **k: add_parser(*a, parents=[language], **k)  # type: ignore[method-assign]

    check = sub.add_parser("check", help="check content and print every problem, without building")
    build = sub.add_parser("build", help="check content, then write the site into the output folder")
    for command in (check, build):
        command.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                             help="the content folder (default: content)")
        command.add_argument("--strict", action="store_true", help="treat warnings as errors")
        command.add_argument("--verbose", action="store_true",
                             help="list every warning, also those the same as the last build's")
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
    serve.add_argument("--verbose", action="store_true",
                       help="list every warning on each rebuild, also those the same as the last one's")
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

    new = sub.add_parser("new", help="write a department, project, monitoring or self-evaluation file to fill in, "
                         "every field explained")
    new.add_argument("kind", choices=["department", "project", "monitoring", "evaluation", "department-evaluation"],
                     help="monitoring and evaluation list the project's approved indicators; department-evaluation "
                     "is the department-wide self-evaluation")
    new.add_argument("path", type=Path, metavar="PATH", nargs="?",
                     help="the department's folder: where department.yaml is written (department), or where it is "
                     "(the others)")
    new.add_argument("--department", type=Path, metavar="DIR", help="the department folder, instead of PATH")
    new.add_argument("--code", help="the unit code (department) or the project's code (project, monitoring, "
                     "evaluation)")

    schema = sub.add_parser("schema", help="write the JSON Schemas of content files into schemas/")
    schema.add_argument("--check", action="store_true", help="only report whether schemas/ is up to date")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    use_language(choose_language(asked_language(argv)))  # before parsing: its refusals speak it too
    args = parser().parse_args(argv)
    use_language(choose_language(args.lang))
    try:
        # Imported when run: `check` never loads the web server, a no-op build never loads Jinja.
        return importlib.import_module(f"builder.commands.{COMMANDS[args.command]}").run(args)
    except BuildError as exc:
        print(say("report.error_line", text=printable(str(exc))), file=sys.stderr)
        return 1
    except OSError as exc:  # the machine said no: permissions, a full disk, a port in use
        if os.environ.get("GONGKAI_DEBUG"):
            traceback.print_exc()
        print(os_error(exc, args.command), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if args.command != "serve":
            print(say("cli.interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in gongkai, not in the content
        if os.environ.get("GONGKAI_DEBUG"):
            traceback.print_exc()
        print(say("cli.internal_error", kind=type(exc).__name__, detail=exc), file=sys.stderr)
        return 1
