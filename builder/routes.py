"""Routes: every model object -> its output path, in one place.

Paths are relative to the output folder and always name a file (never a bare
folder), so links work from file:// where no server adds index.html. Links
between pages are made relative (`relative_url`), so the site works under any
sub-path without knowing it.
"""

from __future__ import annotations

import posixpath

from .model import Department, Project

INDEX = "index.html"


def department_path(department: Department) -> str:
    return f"{department.year}/{department.code}/index.html"


def project_path(department: Department, project: Project) -> str:
    return f"{department.year}/{department.code}/projects/{project.code}.html"


def static_path(name: str) -> str:
    return f"static/{name}"


def relative_url(from_path: str, to_path: str) -> str:
    """The link from page `from_path` to `to_path`, both output-relative."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
