"""What a build needs from the machine besides Python packages, checked once before anything is made.

PDFs need Pango (which WeasyPrint loads) and the fonts print.css names; the
search index needs Pagefind's extended binary. Found missing halfway through
a build, each was a crash or a misleading message after minutes of work:
with no font at all Pango takes the process down with a segmentation fault,
with other fonts only every character of every PDF is an error. So a build
asks here first, and a missing piece is one `error:` naming what to install,
with the output folder not touched. The Debian names are the Makefile's
SITE_DEBS, which `make site` installs.
"""

from __future__ import annotations

import warnings

from builder.base.diagnostics import BuildError
from builder.base.messages import msg
from builder.render.themes import Theme


class MissingTool(BuildError):
    """Something the build needs is not installed on this machine."""


def require(theme: Theme, pdfs: bool) -> None:
    """Raise MissingTool naming what to install, before any output is made."""
    from builder.publish.search import pagefind

    pagefind()
    if pdfs:
        _require_pdf_fonts(theme)


def _require_pdf_fonts(theme: Theme) -> None:
    from builder.render import font_css, fonts

    try:
        fontconfig = fonts.Fontconfig()
        missing = font_css.missing_fonts(theme.static_files()["print.css"].read_text(encoding="utf-8"), fontconfig)
        if not missing:
            with warnings.catch_warnings():  # WeasyPrint warns on import when fontconfig has no font
                warnings.simplefilter("ignore")
                import weasyprint  # noqa: F401  (it loads Pango and HarfBuzz)
    except OSError as exc:  # a shared library cffi could not load
        raise MissingTool(msg("machine.no_pango", detail=str(exc))) from None
    if missing:
        names = "; ".join(", ".join(f'"{name}"' for name in names) for names in missing)
        raise MissingTool(msg("machine.no_fonts", names=names) if fontconfig.has_font() else
                          msg("machine.no_font_at_all", names=names))
