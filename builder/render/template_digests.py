"""What each page's template depends on in the theme, as a digest for the page's key
(publish/keys.py): its own source, every template it extends, includes or imports, and the UI
strings; each template's references kept in the build cache while its bytes stay the same."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from builder.cache.digests import digest
from builder.cache.store import prune
from builder.render.themes import Theme, make_environment

if TYPE_CHECKING:
    from builder.cache.store import Cache


class TemplateDigests:
    """What each template's output depends on in the theme: its own source and every template it
    extends, includes or imports (found by Jinja's parser), and the UI strings.

    A change to project.html then re-renders project pages and nothing else; a change to
    print.css only the PDFs. A template that names another at run time (a variable in
    `{% include %}`) cannot be followed, so it depends on every template.
    """

    def __init__(self, theme: Theme, file_digest: Callable[[Path], str],
                 kept: tuple[Cache, str] | None = None) -> None:
        """`kept`: the build cache and the builder's key, where each template's references are kept."""
        self.theme, self.file_digest, self.kept = theme, file_digest, kept
        self.env = make_environment(theme)
        self.cache: dict[str, str] = {}
        self.used: set[str] = set()  # the keys of the references read or made (prune)
        self.found: dict[Path, list[str] | None] = {}  # each template's, once a build
        strings = [file_digest(f / "i18n" / n) for f in theme.chain
                   for n in sorted(p.name for p in (f / "i18n").glob("*.yaml"))]
        self.strings = "|".join(strings)

    def source(self, name: str) -> Path | None:
        return self.sources.get(name)

    @functools.cached_property
    def sources(self) -> dict[str, Path]:
        """Every template of the theme by name, the first of the chain's: listed once, because
        `of` looks for a `project-{code}.html` of every project (two stats each, 40,000 at a
        province) and finds none but a few."""
        found: dict[str, Path] = {}
        for folder in reversed(self.theme.chain):
            root = folder / "templates"
            named = {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
            found |= named | {f"{folder.name}:{name}": p for name, p in named.items()}  # "default:project.html"
        return found

    def closure(self, name: str) -> set[str] | None:
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            path = self.source(current)
            if path is None:
                continue
            referenced = self.references(path)
            if referenced is None:
                return None
            todo.extend(referenced)
        return seen

    def references(self, path: Path) -> list[str] | None:
        """The templates `path` extends, includes or imports; None if one is named at run time or
        the template does not parse or cannot be read (rendering says what is wrong with it).

        Parsing the templates for them is a second of a build where one project changed, so each
        template's are kept in the build cache (`template-references/`), by the builder and the
        template's bytes, and read back while neither changed. The bytes are read once and both
        keyed and parsed: a template saved between two reads must not file one version's
        references under the other's key for every later build."""
        if path in self.found:  # base.html and the macros are in every page's closure
            return self.found[path]
        try:
            data = path.read_bytes()
        except OSError:
            return None
        self.found[path] = referenced = self._references(data)
        return referenced

    def _references(self, data: bytes) -> list[str] | None:
        from jinja2 import meta

        entry = None
        if self.kept is not None:
            store, builder = self.kept
            key = digest(builder, hashlib.sha256(data).hexdigest())
            self.used.add(key)
            entry = store.folder / "template-references" / key[:2] / key
            payload = store.read(entry)
            if payload is not None:
                try:
                    found = json.loads(payload)
                    if found is None or isinstance(found, list) and all(isinstance(n, str) for n in found):
                        return found
                except ValueError:
                    pass  # sealed by us, by another version of the builder: parsed again
        referenced: list[str] | None
        try:
            names = list(meta.find_referenced_templates(self.env.parse(data.decode("utf-8"))))
            referenced = None if any(n is None for n in names) else [str(n) for n in names]
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
            referenced = None
        if self.kept is not None and entry is not None:
            self.kept[0].write(entry, json.dumps(referenced).encode("utf-8"))
        return referenced

    def prune(self) -> None:
        """Keep only the references this build used: no template is read again for it (one may
        have gone since, an editor's swap file), and the cache does not grow with every edit."""
        if self.kept is not None:
            prune(self.kept[0].folder / "template-references", self.used)

    def all_templates(self) -> str:
        """For site-wide files: every template of the theme."""
        if "*" not in self.cache:
            names = sorted(n for n in self.sources if n.endswith(".html"))
            self.cache["*"] = "|".join([self.strings, *(f"{n}:{self.file_digest(self.sources[n])}" for n in names)])
        return self.cache["*"]

    def of(self, candidates: list[str]) -> str:
        """The digest for a page rendered from the first of `candidates` that exists."""
        name = next((c for c in candidates if self.source(c)), candidates[-1])
        if name not in self.cache:
            names = self.closure(name)
            if names is None:
                self.cache[name] = self.all_templates()
                return self.cache[name]
            parts = [f"{n}:{self.file_digest(path)}" for n in sorted(names) if (path := self.source(n))]
            self.cache[name] = "|".join([self.strings, *parts])
        return self.cache[name]
