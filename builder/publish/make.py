"""Making the outputs of a checked site, one maker per kind, into a staging folder swapped in whole.

    pdfs.py          each project's annex and each department's volume
    open_data.py     CSV, JSON and XLSX per project, department and site
    pages.py         HTML pages, the sitemap, the theme's static files
    feed.py          the Atom feed (one file, made here)
    search_index.py  the Pagefind index, then the checksums of every file

Each output has a key (keys.py); when the last build made it from the same
key and it is still as that build left it, it is linked from there,
otherwise it is made, here or on workers (parallel.py). What was reused or
written is recorded in one place (outputs.Build). Everything goes into a
staging folder that replaces output/ only when all of it is there
(staging.py).

pipeline.py imports this module only when something is to be made: a
build with nothing to do never loads Jinja, WeasyPrint or the exporters.
"""

from __future__ import annotations

from pathlib import Path

from builder import __version__
from builder.cache.digests import builder_files, digest
from builder.cache.manifest import Manifest
from builder.content.model import Site
from builder.history.revisions import History
from builder.publish import machine
from builder.publish.context import BuildContext
from builder.publish.data import write_checksums
from builder.publish.feed import atom_feed
from builder.publish.keys import Keys
from builder.publish.open_data import make_data
from builder.publish.outputs import Build
from builder.publish.pages import make_pages
from builder.publish.pdfs import make_pdfs
from builder.publish.search_index import make_search
from builder.publish.staging import Staging
from builder.render.routes import routes
from builder.render.template_digests import TemplateDigests


def make(context: BuildContext, site: Site, history: History | None, manifest: Manifest) -> Build:
    """Make every output into a staging folder and swap it in; on PDF problems, abort and return them."""
    files, theme, pdfs = context.tree.files, context.site_theme(), context.options.pdfs
    machine.require(theme, pdfs)  # before anything is made: a missing font or tool is one error, not a crash
    builder = digest(*(f"{p}:{files.digest(p)}" for p in builder_files()))
    shell = digest(__version__, pdfs, context.date.isoformat(), site.years, site.languages, builder,
                   *(f"{p.relative_to(context.content).as_posix()}:{files.digest(p)}" for p in files.site_files()))
    print_css = files.digest(theme.static_files()["print.css"]) if pdfs else ""
    templates = TemplateDigests(theme, files.digest, (context.cache, builder) if context.cache else None)
    keys = Keys(site, files.relative_digests(), shell, templates, print_css, history)
    build = Build(context, site, history, keys, manifest)
    retired = context.cache.folder / "retired" if context.cache else None  # the old output, deleted after
    build.staging = Staging(context.output, context.content, retired)

    def finish(staging: Path) -> None:
        make_search(build, staging)
        with open(staging / "SHA256SUMS", "wb") as out:
            write_checksums(build.staging.hashes, out)

    try:
        if pdfs:
            make_pdfs(build)
        if build.problems or build.failures:
            build.staging.abort()
            return build
        make_data(build)
        make_pages(build)
        if build.failures:
            build.staging.abort()
            return build
        build.wrote(routes.feed, keys.site_wide(routes.feed), atom_feed(site, history, context.date))
        build.staging.commit(finalize=finish)
        templates.prune()
    except BaseException:
        if build.early_parts:  # no Pagefind left writing into the folder removed
            build.early_parts.close()
        build.staging.abort()
        raise
    return build


