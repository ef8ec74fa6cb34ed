"""Time the seed's PDFs: seconds per annex and per volume, pages per second.

    .venv/bin/python bench/pdf_seed.py [--runs N]

Each PDF is rendered N times (default 5) in one process with one renderer
(fonts and print.css made once), as a build worker does; the table shows the median, min and max.
Not part of `make test`: timings belong in a benchmark, not in assertions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from builder.history.tree import ContentTree  # noqa: E402
from builder.pipeline import DEFAULT_THEMES, PROJECT_ROOT, check_content  # noqa: E402
from builder.render.pdfs import PDFRenderer, pdf_jobs  # noqa: E402
from builder.render.themes import load_theme  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--content", type=Path, default=PROJECT_ROOT / "content")
    args = parser.parse_args()

    started = time.perf_counter()
    import io

    import weasyprint  # noqa: F401
    from pypdf import PdfReader

    print(f"import weasyprint: {time.perf_counter() - started:.2f} s")
    content = args.content.resolve()
    site = check_content(content).site
    theme = load_theme(DEFAULT_THEMES, site.theme)
    tree = ContentTree.read(content)  # the date and the files' digests, as a build has them
    renderer = PDFRenderer(site, theme, content, tree.date, tree.files.relative_digests())  # one renderer, as a build worker has
    print(f"{'pdf':<48} {'pages':>5} {'median s':>9} {'min':>6} {'max':>6} {'pages/s':>8}")
    for job in pdf_jobs(site):
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            data = renderer.render(job)
            times.append(time.perf_counter() - start)
        pages = len(PdfReader(io.BytesIO(data)).pages)
        median = statistics.median(times)
        print(f"{job.path:<48} {pages:>5} {median:>9.2f} {min(times):>6.2f} {max(times):>6.2f} {pages / median:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
