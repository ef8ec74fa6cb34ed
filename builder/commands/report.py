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
from builder.base.diagnostics import Report, Severity, display_path, os_problem
from builder.base.messages import Message, msg, say

if TYPE_CHECKING:  # the command line imports this module before it needs the pipeline
    from builder.pipeline import Result


def os_error(exc: OSError, command: str) -> str:
    """One message for an OSError: what the system refused, where, and what to do.

    Whatever raises keeps the path in the exception (`filename`); a write that fails without one
    (ENOSPC from a file object) is given it by the writer (diagnostics.keep_path)."""
    what, hint = os_problem(exc)
    where = " → ".join(printable(display_path(os.fsdecode(name))) for name in (exc.filename, exc.filename2)
                       if isinstance(name, (str, bytes)))
    text = say("report.error_at", where=where, text=what) if where else say("report.error_line", text=what)
    if hint:
        text += "\n" + say("report.hint_line", text=hint)
    if command == "build":
        text += "\n" + say("report.output_kept")
    return text


def cannot_listen(exc: OSError, bind: str, port: int) -> str:
    """Why `serve` cannot listen on the address and port it was given."""
    what: Message | str
    hint: Message | str | None
    what, hint = os_problem(exc)
    if isinstance(exc, socket.gaierror):
        what, hint = msg("report.no_such_address", detail=exc.strerror), msg("report.no_such_address_hint")
    elif exc.errno == errno.EACCES:
        hint = msg("report.low_port_hint")
    text = say("report.error_line", text=msg("report.cannot_listen", address=f"[{bind}]" if ":" in bind else bind,
                                             port=port, what=what))
    return text + ("\n" + say("report.hint_line", text=hint) if hint else "")


def content_missing(content: Path) -> bool:
    if content.is_dir():
        return False
    print(say("report.error_line", text=msg("report.content_missing", content=content)), file=sys.stderr)
    return True


def counts(report: Report) -> Message:
    """`2 个错误，10 条警告`."""
    return msg("report.summary", errors=msg("report.errors", count=len(report.errors)),
               warnings=msg("report.warnings", count=len(report.warnings)))


def print_report(result: Result, strict: bool, verbose: bool = False) -> None:
    """The findings, errors first; warnings the same as the last build's (the cache remembers them)
    are one line unless `verbose`: a rebuild after one edit shows what the edit did, not the ten
    warnings the publisher has already read."""
    for notice in result.notices:  # about the build itself, before what it found in content
        print(notice.format(), file=sys.stderr)
    findings = result.report.sorted()
    warnings = [d for d in findings if d.severity is Severity.WARNING]
    previous = result.previous.warnings if result.previous is not None else None
    same = not verbose and bool(warnings) and previous is not None and set(warnings) == set(previous)
    for diagnostic in findings:
        if not (same and diagnostic.severity is Severity.WARNING):
            print(diagnostic.format(), file=sys.stderr)
    if same:
        print(say("report.warnings_same", count=len(warnings)), file=sys.stderr)
    summary = counts(result.report).text()
    if strict and warnings:
        summary += say("report.summary_strict")
    if result.ok:
        print("; ".join(line.text() for line in result.summary) or say("report.no_departments"), file=sys.stdout)
    print(summary, file=sys.stderr)
