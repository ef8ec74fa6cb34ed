"""What the commands say on the terminal: findings, summaries, and the machine's refusals.

Diagnostics go to stderr, results to stdout, so `build.py check 2>problems.txt` keeps them apart.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from builder.base.characters import printable
from builder.base.diagnostics import display_path, os_problem

if TYPE_CHECKING:  # the command line imports this module before it needs the pipeline
    from builder.pipeline import Result


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


def print_report(result: Result, strict: bool) -> None:
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
