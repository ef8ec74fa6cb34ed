"""PDFs: each project's annex and later stages' forms and each department's volume, made again only
when its key changed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from builder.base.diagnostics import Diagnostic
from builder.publish.outputs import Build, Written, deliver
from builder.render.pdfs import PDFError, PDFRenderer, pdf_jobs
from builder.render.template_problems import TemplateFailure


def make_pdfs(build: Build) -> None:
    todo = []
    for job in pdf_jobs(build.site):
        department = build.site.departments[job.department]
        if job.kind == "volume":
            key = build.keys.volume(department)
        elif job.kind == "annex":
            key = build.keys.annex(department, department.projects[job.project])
        else:
            key = build.keys.stage_form(department, department.projects[job.project], job.kind, job.source)
        if not build.reuse(job.path, key):
            todo.append((job, key))
    # A volume takes its forms from its annexes' laid-out pages (render/volume_pages.py), laying out
    # itself those it is not handed. Where most of a department's annexes are made again (a full
    # build), they go in one batch with its volume, annexes first, and the volume is handed theirs;
    # after an edit of a few, the annexes are made on the other worker beside the volume. The
    # volumes' batches go first, the longest; then the other PDFs, one a batch.
    due = Counter(job.department for job, _ in todo if job.kind == "annex")
    volumes = {job.department for job, _ in todo
               if job.kind == "volume" and 2 * due[job.department] > len(build.site.departments[job.department].projects)}
    departments: dict[int, list] = {}
    rest = []
    for item in todo:
        if item[0].department in volumes and item[0].kind in ("annex", "volume"):
            departments.setdefault(item[0].department, []).append(item)
        else:
            rest.append([item])
    rest.sort(key=lambda batch: batch[0][0].kind != "volume")
    work = [sorted(batch, key=lambda item: item[0].kind == "volume") for batch in departments.values()] + rest
    # The workers' copies of the fonts (render/fonts.font_folder) go with this folder.
    with build.staging.scratch() as scratch:
        renderer = PDFRenderer(build.site, build.theme, build.content, build.date, build.keys.files, Path(scratch))
        for (job, key), pdf, problems in build.run("outputs.pdfs", render_pdfs, renderer, work, None):
            if isinstance(problems, Diagnostic):
                build.failed(problems)
            elif problems:
                build.problems.append((job, problems))
            else:
                build.wrote(job.path, key, pdf)


def render_pdfs(state: tuple[PDFRenderer, str | None], batch: list) -> list:
    renderer, sink = state
    # ((job, key), the PDF, what WeasyPrint or the limits refused or the template failure)
    out: list[tuple[tuple, Written | bytes | None, list | Diagnostic | None]] = []
    keep = any(job.kind == "volume" for job, _ in batch)  # the annexes' pages, for their volume
    for job, key in batch:
        try:
            out.append(((job, key), deliver(sink, job.path, renderer.render(job, keep)), None))
        except PDFError as exc:
            out.append(((job, key), None, exc.problems))
        except TemplateFailure as exc:  # sent back as data: a Jinja exception does not survive the trip
            out.append(((job, key), None, exc.diagnostic))
    return out


