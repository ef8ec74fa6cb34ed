"""The pages' keys follow each template's includes: kept in the build cache by the template's
bytes (render/template_digests.py), never under another version's, and pruned without reading
the theme again."""

from __future__ import annotations

import hashlib
from pathlib import Path

from builder.cache.seal import Seal
from builder.cache.store import Cache
from builder.render.template_digests import TemplateDigests
from builder.render.themes import Theme

A = "{% include 'partials/x.html' %}A"


def theme_at(root: Path) -> Theme:
    folder = root / "themes" / "default"
    (folder / "templates" / "partials").mkdir(parents=True)
    (folder / "i18n").mkdir()
    (folder / "templates" / "project.html").write_text(A, encoding="utf-8")
    (folder / "templates" / "partials" / "x.html").write_text("x1", encoding="utf-8")
    return Theme("default", (folder,))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_template_saved_while_it_is_read_never_files_its_references_under_the_other_version(tmp_path):
    theme = theme_at(tmp_path)
    cache = Cache(tmp_path / "cache", Seal(b"k" * 32))
    project = theme.chain[0] / "templates" / "project.html"

    def saved_meanwhile(path: Path) -> str:  # the editor saves a version without the include
        found = sha(path)
        if path == project and path.read_text(encoding="utf-8") == A:
            path.write_text("B, without it", encoding="utf-8")
        return found

    TemplateDigests(theme, saved_meanwhile, (cache, "builder")).of(["project.html"])
    project.write_text(A, encoding="utf-8")  # and undoes it
    before = TemplateDigests(theme, sha, (cache, "builder")).of(["project.html"])
    (theme.chain[0] / "templates" / "partials" / "x.html").write_text("x2", encoding="utf-8")
    assert TemplateDigests(theme, sha, (cache, "builder")).of(["project.html"]) != before


def test_pruning_reads_no_template_so_one_gone_meanwhile_is_no_failure(tmp_path):
    theme = theme_at(tmp_path)
    cache = Cache(tmp_path / "cache", Seal(b"k" * 32))
    swap = theme.chain[0] / "templates" / ".project.html.swp"  # an editor's, listed with the templates
    swap.write_text("swap", encoding="utf-8")
    digests = TemplateDigests(theme, sha, (cache, "builder"))
    digests.of(["project.html"])
    swap.unlink()
    digests.prune()
    assert len(list((cache.folder / "template-references").glob("*/*"))) == 2  # project.html, partials/x.html
