"""Search: a full-text index of the written site, built with Pagefind (extended).

The extended Pagefind binary segments Chinese, so a two-character word such
as 招商 or 疫苗 finds its pages (the standard one indexes whole runs of Han
characters and finds nothing). It runs on the staging folder, inside the
atomic swap, and needs no network. Pages mark what is indexed with
`data-pagefind-body` and their facets with `data-pagefind-filter`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .diagnostics import BuildError


class SearchIndexError(BuildError):
    pass


def index_site(site: Path) -> None:
    try:
        done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind",
                               "--silent"], capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        raise SearchIndexError("the search index took more than 10 minutes") from None
    if done.returncode != 0:
        raise SearchIndexError(f"the search index could not be built: {done.stderr.strip() or done.stdout.strip()}")
