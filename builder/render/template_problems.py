"""Theme problems as diagnostics: a template that does not parse, names something undefined, or
whose filter fails is a `themes/NAME/templates/FILE:LINE: error:` with the page it was rendering,
never an "internal error".

Jinja gives the line: a TemplateSyntaxError carries it, and a runtime error's traceback has a
frame per template line it went through (Jinja names the frame's code after the template file and
rewrites its line number to the template's). The innermost such frame is the line to show: inside
a macro, the macro's line rather than the caller's.

A failure crosses process boundaries as a Diagnostic (frozen, picklable), never as the Jinja
exception itself, whose traceback cannot be sent back from a worker.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import cast

import jinja2
from jinja2 import nodes

from builder.base.bounded import TimeLimit
from builder.base.diagnostics import BuildError, Diagnostic, Pos, Report, Severity
from builder.base.messages import Message, msg
from builder.cache.digests import digest
from builder.cache.store import Cache, prune

# Jinja does not say which column a problem is at: 0 leaves the column out of the diagnostic.
NO_COLUMN = 0


class TemplateFailure(BuildError):
    """A template failed while rendering a page; `diagnostic` says where and while making what."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.said)
        self.diagnostic = diagnostic

    def __reduce__(self) -> tuple[type[TemplateFailure], tuple[Diagnostic]]:  # rebuilt from the diagnostic, not from the message
        return TemplateFailure, (self.diagnostic,)


def template_folders(chain: Sequence[Path]) -> list[str]:
    return [os.path.abspath(folder / "templates") + os.sep for folder in chain]


def where(exc: BaseException, chain: Sequence[Path]) -> tuple[str, int] | None:
    """The template file and line the failure is at, or None if no template was involved."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename and exc.lineno:
        return os.path.abspath(exc.filename), exc.lineno
    folders = template_folders(chain)
    found: tuple[str, int] | None = None
    tb = exc.__traceback__
    while tb is not None:
        filename = os.path.abspath(tb.tb_frame.f_code.co_filename)
        if any(filename.startswith(folder) for folder in folders):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def plain_words(exc: BaseException) -> Message:
    """What went wrong, for someone editing the template rather than reading Python: our sentence,
    with Jinja's own words (`detail`) as Jinja says them."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return msg("template_problems.syntax", detail=exc.message or "")
    if isinstance(exc, jinja2.UndefinedError):
        # Jinja names the Python class ('builder.content.model.Project object'); a theme author
        # knows it as the template's `project`.
        message = re.sub(r"'(?:[\w.]+\.)?(\w+) object'", lambda m: f"a {m.group(1)}", exc.message or "")
        return msg("template_problems.undefined", detail=message)
    if isinstance(exc, jinja2.TemplatesNotFound):
        return msg("template_problems.none_exists", names=", ".join(map(str, exc.templates)))
    if isinstance(exc, jinja2.TemplateNotFound):
        return msg("template_problems.not_found", name=exc.name)
    if isinstance(exc, BuildError):  # the theme's own refusals: printing None, an unknown UI string
        return exc.said
    return msg("template_problems.failed_with", kind=type(exc).__name__, detail=str(exc))


def diagnose(exc: BaseException, chain: Sequence[Path], page: str) -> Diagnostic | None:
    """`exc` raised while rendering output `page`, as a diagnostic at its template line; None when
    no template of the theme was involved (then it is a bug of gongkai's, not the theme's)."""
    place: tuple[str, int] | None
    if isinstance(exc, jinja2.TemplateNotFound):  # (no Jinja error is both this and a syntax error)
        # A missing template has no line of its own; the line that asked for it, if any, is in the traceback.
        place = where(exc, chain) or (os.path.abspath(chain[0] / "templates"), 1)
    else:
        place = where(exc, chain)
    if place is None:
        return None
    return Diagnostic(Severity.ERROR, Pos(place[0], place[1], NO_COLUMN), plain_words(exc),
                      msg("template_problems.while_rendering", page=page))


@contextlib.contextmanager
def rendering(chain: Sequence[Path], page: str) -> Iterator[None]:
    """Turn a template's failure inside the block into TemplateFailure; anything else passes."""
    try:
        yield
    except (TemplateFailure, TimeLimit):  # the time a PDF was given ran out here: the PDF's, not the template's
        raise
    except Exception as exc:
        diagnostic = diagnose(exc, chain, page)
        if diagnostic is None:
            raise
        raise TemplateFailure(diagnostic) from None


# Templates checked in this process, by what they are: `check` runs in every build and, under
# `serve`, on every save; compiling a theme's twenty templates costs half a second, the checked
# content itself a tenth of that. Keyed by every template's bytes and the filters and tests known.
_CHECKED: dict[tuple, list[Diagnostic]] = {}
_CHECKED_KEPT = 16


def check_templates(env: jinja2.Environment, chain: Sequence[Path], report: Report,
                    kept: tuple[Cache, str] | None = None) -> None:
    """Compile every template of the chain, the parents' too (a child can extend them by prefix):
    every syntax error, unknown filter or test and missing template it names, in one run.

    `kept`: the build cache and the key of the builder that checks (pipeline.checked_cache): the
    findings of templates that did not change since the last build are read back, not found again
    (half a second of parsing and compiling: a fifth of a build where one project changed)."""
    templates = []
    for folder in chain:
        root = folder / "templates"
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            if path.is_file():
                templates.append((path, f"{folder.name}:{path.relative_to(root).as_posix()}", path.read_bytes()))
    key = (tuple((str(path), name, hashlib.sha256(data).digest()) for path, name, data in templates),
           tuple(sorted(env.filters)), tuple(sorted(env.tests)))
    found = _CHECKED.get(key)
    kept_at = None
    if kept is not None:
        store, context = kept
        entry = digest(context, repr(key))
        kept_at = store.folder / "templates" / entry[:2] / entry
        if found is None:
            found = _read_findings(store, kept_at)
        prune(store.folder / "templates", {entry})  # the last build's, when a template changed
    computed = found is None
    if found is None:
        checked = Report()
        for path, name, data in templates:
            _check_one(env, path, name, data, checked)
        found = list(checked.items)
    # Kept even when this process knew them already: a cache is the same whichever process built
    # it, so the next build (a process of its own) changes nothing in it when nothing changed.
    if kept is not None and kept_at is not None and (computed or not kept_at.is_file()):
        kept[0].write(kept_at, json.dumps([d.to_json() for d in found]).encode("utf-8"))  # catalogue ids
    if len(_CHECKED) >= _CHECKED_KEPT:
        _CHECKED.clear()
    _CHECKED[key] = found
    report.items.extend(found)


def _read_findings(store: Cache, path: Path) -> list[Diagnostic] | None:
    payload = store.read(path)
    if payload is None:
        return None
    try:
        return [Diagnostic.from_json(item) for item in json.loads(payload)]
    except (ValueError, TypeError, KeyError):
        return None  # sealed by us, by another version of the builder: checked again


def _check_one(env: jinja2.Environment, path: Path, name: str, data: bytes, report: Report) -> None:
    filename = os.path.abspath(path)
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError:
        report.error(Pos(filename, 1, NO_COLUMN), msg("template_problems.not_utf8"))
        return
    try:
        tree = env.parse(source, name, filename)
    except jinja2.TemplateSyntaxError as exc:
        report.error(Pos(filename, exc.lineno or 1, NO_COLUMN), plain_words(exc), msg("template_problems.fix"))
        return
    found = False
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        known = env.filters if isinstance(node, nodes.Filter) else env.tests
        if node.name not in known:
            report.error(Pos(filename, node.lineno, NO_COLUMN),
                         msg("template_problems.unknown_filter", name=node.name) if isinstance(node, nodes.Filter)
                         else msg("template_problems.unknown_test", name=node.name))
            found = True
    if env.loader is None:
        raise ValueError("a theme's environment has its loader (themes.make_environment)")
    # find_all's type is the four kinds' common base, Stmt; each of them names a `template`.
    references = cast("Iterator[nodes.Extends | nodes.Include | nodes.Import | nodes.FromImport]",
                      tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)))
    for reference in references:
        target = reference.template
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            if getattr(reference, "ignore_missing", False):
                continue
            try:
                env.loader.get_source(env, target.value)
            except jinja2.TemplateNotFound:
                report.error(Pos(filename, reference.lineno, NO_COLUMN),
                             msg("template_problems.not_found", name=target.value),
                             msg("template_problems.names_relative"))
                found = True
    if not found:
        try:
            env.compile(tree, name, filename)  # the tree parsed above: a template is parsed once
        except jinja2.TemplateSyntaxError as exc:  # what only the compiler checks
            report.error(Pos(filename, exc.lineno or 1, NO_COLUMN), plain_words(exc), msg("template_problems.fix"))
