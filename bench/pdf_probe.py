"""PDF annexes of seed size: seconds per annex in one warmed-up worker, and two workers against one.

    .venv/bin/python bench/pdf_probe.py CONTENT N      # prints one JSON object

Run by bench/run.py (`--pdf`, or `--only pdf-probe`) on a corpus of two
departments. Not a paired process timing: the figures are taken inside one
process, each beside a baseline measured in the same run (see pdf_probe).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _spin(state, batch: list) -> list:
    """Pure-Python work that touches next to no memory: what two cores can give at best."""
    loops = state
    for _ in batch:
        total = 0
        for i in range(loops):
            total += i * i % 7
    return batch


def pdf_probe(content: Path, annexes: int, rounds: int = 5) -> dict:
    """Seconds per annex in one worker (its renderer warmed up), and the throughput of two workers,
    each beside a baseline measured in the same run.

    - Per annex: gongkai's renderer, and plain WeasyPrint on the same HTML and print.css with the
      theme's fonts uncut, no PDF/A and no attachment (what the issue's 0.36 s anchor measured).
      The two alternate annex by annex, so a drift of the machine's speed hits both alike.
    - Two workers: one and two workers run the same code (a forked pool handed one annex at a
      time, as the build does), in turns, `rounds` times: this machine's speed drifts by a third
      within a minute, so a ratio of two runs taken far apart measures the drift as much as the
      workers. In each round the same pools also run a pure-Python loop of about an annex's
      length per job: the most two of this machine's cores give. The speedups are the medians of
      the rounds' ratios.
    """
    from datetime import datetime, timezone

    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from builder.base import parallel
    from builder.content.tree import ContentFiles
    from builder.pipeline import DEFAULT_THEMES, check_content
    from builder.publish.pdfs import render_pdfs
    from builder.render.pdfs import PDFRenderer, pdf_jobs
    from builder.render.themes import load_theme

    site = check_content(content).site
    theme = load_theme(DEFAULT_THEMES, site.theme)
    sources = ContentFiles.walk(content).relative_digests()
    renderer = PDFRenderer(site, theme, content, datetime(2022, 1, 1, tzinfo=timezone.utc), sources)
    jobs = [(j, "") for j in pdf_jobs(site) if j.kind == "annex"][:annexes]
    css_path = theme.static_files()["print.css"].resolve()
    plain_fonts = FontConfiguration()
    plain_css = weasyprint.CSS(string=css_path.read_text(encoding="utf-8"), base_url=css_path.as_uri(),
                               font_config=plain_fonts)

    def plain(job) -> bytes:
        return weasyprint.HTML(string=renderer.html(job), base_url=content.as_uri() + "/").write_pdf(
            stylesheets=[plain_css], font_config=plain_fonts)

    renderer.render(jobs[0][0])  # warm-up: fonts found and cut, stylesheet parsed
    plain(jobs[0][0])
    times, plain_times, sizes, plain_sizes = [], [], [], []
    for job, _ in jobs:
        started = time.perf_counter()
        sizes.append(len(renderer.render(job)))
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        plain_sizes.append(len(plain(job)))
        plain_times.append(time.perf_counter() - started)

    median = statistics.median(times)
    started, loops = time.perf_counter(), 200_000
    _spin(loops, [None])
    loops = int(loops * median / (time.perf_counter() - started))

    def pool(fn, state, workers: int) -> float:
        started = time.perf_counter()
        for _ in parallel.Processes(workers).map(fn, state, parallel.batches(jobs, 1)):
            pass
        return time.perf_counter() - started

    rounds_out = []
    for _ in range(rounds):
        rounds_out.append({"pdf_one_s": pool(render_pdfs, (renderer, None), 1),
                           "pdf_two_s": pool(render_pdfs, (renderer, None), 2),
                           "cpu_one_s": pool(_spin, loops, 1), "cpu_two_s": pool(_spin, loops, 2)})
    speedups = [r["pdf_one_s"] / r["pdf_two_s"] for r in rounds_out]
    ceilings = [r["cpu_one_s"] / r["cpu_two_s"] for r in rounds_out]
    return {"annexes": len(jobs), "median_s_per_annex": median, "min_s": min(times), "max_s": max(times),
            "plain_weasyprint_median_s": statistics.median(plain_times),
            "ratio_to_plain": statistics.median(t / b for t, b in zip(times, plain_times, strict=True)),
            "median_bytes": statistics.median(sizes), "plain_median_bytes": statistics.median(plain_sizes),
            "rounds": rounds_out, "speedups": speedups, "speedup": statistics.median(speedups),
            "cpu_speedups": ceilings, "cpu_speedup": statistics.median(ceilings)}


def main() -> int:
    print(json.dumps(pdf_probe(Path(sys.argv[1]).resolve(), int(sys.argv[2]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
