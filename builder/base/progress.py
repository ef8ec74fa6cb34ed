"""Progress: a bar on a terminal; a few plain lines in CI and logs.

On a terminal the line is redrawn in place. Anywhere else (CI, a log file)
a stage prints one line when it starts and one at each further quarter, so
a 20,000-project build shows that it is alive without flooding the log.
Stages with fewer than `MIN_JOBS` jobs print nothing: a county's four
projects build faster than a bar can be read.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

MIN_JOBS = 50


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()

    def note(self, text: str) -> None:
        """One line about the build itself (e.g. that it waits for another), shown even when bars are not."""
        print(text, file=self.stream, flush=True)

    def stage(self, label: str, total: int) -> "Stage":
        return Stage(self, label, total)


class Stage:
    def __init__(self, progress: Progress, label: str, total: int):
        self.progress, self.label, self.total = progress, label, total
        self.done = 0
        self.started = time.monotonic()
        self.shown = -1  # the last quarter printed (line mode)
        self.visible = progress.enabled and total >= MIN_JOBS
        self._show()

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._show()

    def _show(self) -> None:
        if not self.visible:
            return
        out = self.progress.stream
        if self.progress.tty:
            width = 30
            filled = width * self.done // max(self.total, 1)
            out.write(f"\r{self.label:<8} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
            if self.done >= self.total:
                out.write(f" {time.monotonic() - self.started:.1f} s\n")
            out.flush()
            return
        quarter = 4 * self.done // max(self.total, 1)
        if quarter > self.shown:
            self.shown = quarter
            elapsed = f" ({time.monotonic() - self.started:.1f} s)" if self.done else ""
            out.write(f"{self.label}: {self.done}/{self.total}{elapsed}\n")
            out.flush()
