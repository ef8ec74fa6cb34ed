"""Themes: the template search path and the Jinja environment.

A theme is a folder under themes/ with a theme.yaml; `extends: default` puts
the parent after it on the search path, so a theme overrides one template or
stylesheet without copying the rest (as MkDocs does). Themes are reviewed
code; content is not, so the environment escapes everything
(`autoescape=True`, not select_autoescape, which skips unknown extensions),
fails on any undefined name, and refuses to print None: a missing value is
a bug to see, not an empty cell to publish.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import yaml

from builder.base.diagnostics import BuildError, Report
from builder.base.messages import msg
from builder.base.money import format_amount, format_money
from builder.content.attainment import ATTAINMENT_WORDS
from builder.content.schema import DEFAULT_THEME
from builder.content.stage_model import STATUS_WORDS
from builder.content.validate import Record
from builder.render.catalogs import catalog_strings, format_string
from builder.render.downloads import file_size
from builder.render.template_problems import check_templates
from builder.render.text_fit import label_text, label_words, text_em

if TYPE_CHECKING:
    from builder.cache.store import Cache


class ThemeError(BuildError):
    pass


@dataclass(frozen=True)
class Theme:
    name: str
    chain: tuple[Path, ...]  # the site's overrides folder (if any), the theme's folder, then its parents

    def catalog(self, language: str) -> dict[str, str]:
        """UI strings for `language`: the parent's catalog, overridden by the child's."""
        strings: dict[str, str] = {}
        found = False
        for folder in reversed(self.chain):
            path = folder / "i18n" / f"{language}.yaml"
            if path.is_file():
                found = True
                strings.update(catalog_strings(path.read_bytes()))
        if not found:
            raise ThemeError(msg("themes.no_language", theme=self.name, language=language))
        return strings

    def static_files(self) -> dict[str, Path]:
        """static/ files by name; a child's file replaces its parent's."""
        files: dict[str, Path] = {}
        for folder in reversed(self.chain):
            static = folder / "static"
            for path in sorted(static.rglob("*")) if static.is_dir() else ():
                if path.is_file():
                    files[path.relative_to(static).as_posix()] = path
        return files


_THEME_NAME = re.compile(r"[A-Za-z0-9_-]+")


def load_theme(themes_dir: Path, name: str, overrides: str | None = None) -> Theme:
    """The theme `name` with its parents; `overrides` (site.yaml's) names a folder under themes_dir
    whose templates, static files and strings come before the theme's."""
    chain: list[Path] = []
    next_name: str | None = name  # then each theme's `extends`, until one has none
    while next_name:
        folder = themes_dir / next_name
        if folder in chain:
            raise ThemeError(msg("themes.extends_itself", theme=next_name))
        meta_path = folder / "theme.yaml"
        if not meta_path.is_file():
            raise ThemeError(msg("themes.not_found", theme=next_name, path=meta_path))
        chain.append(folder)
        try:
            meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ThemeError(msg("themes.unreadable", path=meta_path, detail=str(exc))) from None
        next_name = meta.get("extends") if isinstance(meta, dict) else None
        if not isinstance(meta, dict) or not (next_name is None or isinstance(next_name, str)
                                              and _THEME_NAME.fullmatch(next_name)):
            raise ThemeError(msg("themes.bad_extends", path=meta_path))
    theme = chain[0].name
    if overrides is not None:
        chain.insert(0, overrides_folder(themes_dir, overrides))
    return Theme(name=theme, chain=tuple(chain))


def overrides_folder(themes_dir: Path, name: str) -> Path:
    """site.yaml's `overrides`: a folder of the themes folder, by name only (the same pattern as a
    theme's name, so it cannot reach outside), that is a folder and not one of the themes."""
    folder = themes_dir / name
    if not _THEME_NAME.fullmatch(name) or not folder.is_dir():
        raise ThemeError(msg("themes.overrides_not_found", name=name, folder=folder))
    if (folder / "theme.yaml").exists():
        raise ThemeError(msg("themes.overrides_is_theme", name=name))
    return folder


def _refuse_none(value: object) -> object:
    if value is None:
        raise ThemeError(msg("themes.printed_none"))
    if isinstance(value, float):
        raise ThemeError(msg("themes.printed_float"))
    return value


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _points(value: Decimal) -> str:
    """A score or weight as the forms print it: `7.40` -> `7.4`, `10.00` -> `10`."""
    return f"{value.normalize():f}"


def translator(catalog: dict[str, str], language: str = "zh-CN") -> Callable[..., str]:
    """`t("nav.home")` in templates; an unknown key is an error, like an undefined name (plurals: catalogs.py)."""

    def t(key: str, **values: object) -> str:
        try:
            text = catalog[key]
        except KeyError:
            raise ThemeError(msg("themes.no_string", name=key)) from None
        return format_string(text, language, values) if values else text

    return t


def make_environment(theme: Theme) -> jinja2.Environment:
    # "NAME:FILE" is FILE of the chain's folder NAME only: a child's project.html can extend
    # "default:project.html" and replace one block. Plain names look along the whole chain.
    by_folder = {p.name: jinja2.FileSystemLoader(str(p / "templates")) for p in theme.chain}
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PrefixLoader(by_folder, delimiter=":"),
                                    jinja2.FileSystemLoader([str(p / "templates") for p in theme.chain])]),
        autoescape=True, undefined=jinja2.StrictUndefined, finalize=_refuse_none,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["amount"] = format_amount
    env.filters["money"] = format_money
    env.filters["percent"] = _percent
    env.filters["points"] = _points
    env.filters["text_em"] = text_em
    env.filters["stage_word"] = stage_word
    env.filters["filesize"] = file_size
    env.filters["words"] = label_words
    env.filters["word_lines"] = label_text
    return env


def stage_word(status: str) -> str:
    """A monitoring row's status (on-track …) or a self-evaluation row's (met …) as the word the open
    data and `diff` use: 正常, 有风险, 偏离, 达成, 未达成, 未判定, 不适用."""
    word = STATUS_WORDS.get(status) or ATTAINMENT_WORDS.get(status)
    if word is None:
        raise ThemeError(msg("themes.not_a_status", status=repr(status)))
    return word


def check_site_theme(site: Record | None, themes_dir: Path, report: Report,
                     kept: tuple[Cache, str] | None = None) -> Theme | None:
    """The theme site.yaml names (a validated content.validate.Record, or None): that it exists, speaks
    each of the site's languages, and that every template of it, its parents and the overrides compiles
    (`kept`: where the last build's findings are kept, template_problems.check_templates)."""
    if site is None or site.values is None:
        return None
    values = site.values
    theme, overrides = values.get("theme", DEFAULT_THEME), values.get("overrides")
    if any(key in values.data and not values.ok(key) for key in ("theme", "overrides")):
        return None  # validation said what is wrong with it
    if not (themes_dir / theme / "theme.yaml").is_file():
        available = ", ".join(sorted(p.parent.name for p in themes_dir.glob("*/theme.yaml")))
        report.error(values.where("theme"), msg("themes.not_in_folder", theme=theme, folder=themes_dir),
                     msg("themes.available", choices=available))
        return None
    if overrides is not None:
        try:
            overrides_folder(themes_dir, overrides)
        except ThemeError as exc:
            report.error(values.where("overrides"), exc.said, msg("themes.overrides_hint", folder=themes_dir))
            return None
    if values.ok("languages") or "languages" not in values.data:
        # Only the tags validation took (an item that is not one was reported there).
        languages = [tag for tag in values.get("languages") or ["zh-CN"] if isinstance(tag, str)]
        try:
            if len(set(languages)) < len(languages):
                raise ThemeError(msg("themes.language_twice", languages=", ".join(languages)))
            loaded = load_theme(themes_dir, theme, overrides)
            for language in languages:
                loaded.catalog(language)
        except ThemeError as exc:
            report.error(values.where("languages"), exc.said, msg("themes.first_language"))
            return None
        check_templates(make_environment(loaded), loaded.chain, report, kept)
        return loaded
    return None
