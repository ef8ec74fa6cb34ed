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
from builder.base.messages import LANGUAGES, choose_language, family, say, use_language
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
    """The command line, its help in the run's language (chosen before this is built)."""
    speak_argparse()
    p = argparse.ArgumentParser(prog="build.py", description=say("cli.description"))
    p.add_argument("--version", action="version", version=f"gongkai {__version__}", help=say("argparse.version"))
    # Every command takes --lang, before or after its name (`build.py --lang en check`, `build.py check --lang en`).
    language = argparse.ArgumentParser(add_help=False)
    language.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=say("cli.lang"))
    p.add_argument("--lang", choices=LANGUAGES, default=None, help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_parser = sub.add_parser
    sub.add_parser = lambda *a, **k: add_parser(*a, parents=[language], **k)  # type: ignore[method-assign]

    content = dict(type=Path, default=Path("content"), metavar="DIR", help=say("cli.content"))
    themes = dict(type=Path, default=DEFAULT_THEMES, metavar="DIR", help=say("cli.themes"))
    check = sub.add_parser("check", help=say("cli.check"))
    build = sub.add_parser("build", help=say("cli.build"))
    for command in (check, build):
        command.add_argument("--content", **content)  # type: ignore[arg-type]
        command.add_argument("--strict", action="store_true", help=say("cli.strict"))
        command.add_argument("--verbose", action="store_true", help=say("cli.verbose"))
        command.add_argument("--themes", **themes)  # type: ignore[arg-type]
    build.add_argument("--output", type=Path, default=Path("output"), metavar="DIR", help=say("cli.output"))
    build.add_argument("--no-pdf", action="store_true", help=say("cli.no_pdf"))
    build.add_argument("--rev", metavar="REV", help=say("cli.rev"))
    build.add_argument("--jobs", "-j", type=int, metavar="N", help=say("cli.jobs", most=MAX_JOBS))
    build.add_argument("--scheduler", metavar="ADDRESS", help=say("cli.scheduler"))
    build.add_argument("--workers", type=int, metavar="N", help=say("cli.workers", most=MAX_JOBS))
    build.add_argument("--cache", type=Path, metavar="DIR", help=say("cli.cache"))
    build.add_argument("--no-cache", action="store_true", help=say("cli.no_cache"))

    diff = sub.add_parser("diff", help=say("cli.diff"))
    diff.add_argument("rev_a", metavar="REV_A")
    diff.add_argument("rev_b", metavar="REV_B")
    diff.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help=say("cli.diff_content"))
    diff.add_argument("--format", choices=["text", "markdown", "json", "html"], default="text",
                      help=say("cli.diff_format"))

    serve = sub.add_parser("serve", help=say("cli.serve"))
    serve.add_argument("--content", **content)  # type: ignore[arg-type]
    serve.add_argument("--verbose", action="store_true", help=say("cli.serve_verbose"))
    serve.add_argument("--themes", **themes)  # type: ignore[arg-type]
    serve.add_argument("--port", type=port_number, default=8000, help=say("cli.port"))
    serve.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS", help=say("cli.bind"))

    imp = sub.add_parser("import", help=say("cli.import"))
    imp.add_argument("sources", type=Path, nargs="+", metavar="SOURCE", help=say("cli.sources"))
    imp.add_argument("--out", type=Path, required=True, metavar="DIR", help=say("cli.out"))
    imp.add_argument("--year", type=int, help=say("cli.year"))
    imp.add_argument("--force", action="store_true", help=say("cli.force"))

    new = sub.add_parser("new", help=say("cli.new"))
    new.add_argument("kind", choices=["department", "project", "monitoring", "evaluation", "department-evaluation"],
                     help=say("cli.new_kind"))
    new.add_argument("path", type=Path, metavar="PATH", nargs="?", help=say("cli.new_path"))
    new.add_argument("--department", type=Path, metavar="DIR", help=say("cli.new_department"))
    new.add_argument("--code", help=say("cli.new_code"))

    schema = sub.add_parser("schema", help=say("cli.schema"))
    schema.add_argument("--check", action="store_true", help=say("cli.schema_check"))
    return p


def speak_argparse() -> None:
    """argparse's own words (`usage:`, `the following arguments are required`) in the run's language:
    it asks gettext for each by its English text, through its module's `_`."""
    words = {said.text("en"): said.text() for said in family("argparse.")}
    argparse._ = lambda text: words.get(text, text)  # type: ignore[attr-defined]


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
        if (hint := exc.said.hint()) is not None:  # what to do about it, when the catalogue says
            print(say("report.hint_line", text=printable(hint)), file=sys.stderr)
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
