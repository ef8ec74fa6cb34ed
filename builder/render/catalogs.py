"""A theme's UI strings (i18n/<language>.yaml) as data, read once a process.

Every check and every build reads the theme's catalogs (check to know the strings a template may
name, the render to show them); a catalog is some 400 lines, so it is parsed with libyaml where
it is there, and remembered by its bytes, so a long-running `serve` still sees an edit.
"""

from __future__ import annotations

import functools

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=32)
def catalog_strings(data: bytes) -> dict[str, str]:
    """The strings of one catalog file's bytes (a theme's own file, read as YAML data, never code)."""
    loaded = yaml.load(data.decode("utf-8"), Loader=_Loader) or {}
    return {str(k): str(v) for k, v in loaded.items()}
