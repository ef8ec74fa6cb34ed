"""Limits: how big content may be, in one place (documented in docs/content.md, "Limits").

Content comes from outside (pull requests, imports), so every size that costs time or
memory is bounded and checked by `check`, with a diagnostic at the first item over the
limit, instead of a build that runs for minutes, fills gigabytes or a PDF of a thousand
pages. Each limit is far above any real disclosure: the seed has 11 to 15 indicators per
project, 4 spending-plan rows and texts of at most 434 characters; real projects have up
to about 60 indicators (../shared/DOMAIN.md) and a county department tens of projects.
"""

from __future__ import annotations

import os

MAX_FILE_BYTES = 2 * 1024 * 1024  # a project file is a few KB; this is 100x the largest seen
MAX_DEPTH = 32  # YAML nesting; content is at most 5 deep

MAX_PROJECTS = 1_000  # projects one department lists (and project files in its projects/ folder)
MAX_INDICATORS = 500  # rows of one project's indicator table
MAX_PLAN_ROWS = 100  # milestones of one spending plan (资金支出计划): monthly is 12
MAX_GOALS = 200  # one project's goals (绩效目标)
MAX_LIST_ITEMS = 1_000  # any other list: duties, measures, narrative items and paragraphs, aliases
MAX_TEXT_CHARS = 10_000  # characters in one text value (a purpose, a duty, a paragraph)

# Numbers (numbers.py): amounts below 10^15 in their unit (a thousand trillion 元), percents and
# targets alike; at most 6 decimals, enough for 万元 exact to the 分 (10606.7522 is seen).
MAX_INTEGER_DIGITS = 15
MAX_DECIMALS = 6

# Processes (--jobs) and Dask workers (--workers) on this machine: more than this only forks
# copies of the site that wait for a core.
MAX_JOBS = 64

# PDFs. The limits above allow a project of 2 MiB of text, which lays out as a 600-page annex in
# minutes: a form is a few pages (the seed's are 2), so an annex past this many pages is refused,
# and no PDF may take longer than its time (an annex, or a volume per project it holds), so
# content that slips past the page count still cannot hold a worker for an hour.
MAX_ANNEX_PAGES = 60
MAX_PDF_SECONDS = 120  # an annex; a volume gets this much per project, plus this much


def max_jobs() -> int:
    """--jobs and --workers: 64, or four per core on a machine with more than 16 cores."""
    return max(MAX_JOBS, 4 * (os.cpu_count() or 1))
