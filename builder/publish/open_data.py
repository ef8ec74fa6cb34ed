"""Open data: each department's and project's CSV, JSON and XLSX, and the site's, joined from the
departments' parts kept in the cache."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from builder.content.model import Site
from builder.publish.data import (
    DATA_NAMES,
    PROJECT_DATA_NAMES,
    SITE_DATA,
    Encoded,
    SiteData,
    datapackage,
    department_data,
)
from builder.publish.outputs import Build, Written, deliver
from builder.render.routes import routes


def make_data(build: Build) -> None:
    """Each department's and project's files; the site's are joins of the departments' cached parts."""
    todo: list[tuple[int, str]] = []
    parts: dict[int, Encoded | Path] = {}  # by department: made now, or where the cache keeps it
    for index, department in enumerate(build.site.departments):
        key = build.keys.department_data(department)
        part = build.store.part(key) if build.store else None
        paths = [routes.project_data(department, p, n) for p in department.projects for n in PROJECT_DATA_NAMES] + \
            [routes.department_data(department, n) for n in DATA_NAMES]
        if part and part.is_file() and all(build.previous.get(p, [None])[0] == key for p in paths) \
                and all(build.reuse(p, key) for p in paths):
            parts[index] = part
            build.parts_used.add(key)
        else:
            for path in paths:  # made again: a file whose bytes come out the same is kept (Build.wrote)
                if path in build.previous:
                    build.stale[path] = build.previous.pop(path)
            todo.append((index, key))
    for (index, key), files, encoded in build.run("outputs.data", _department_data, (build.site, build.date), todo, 2):
        for path, data in files.items():
            build.wrote(path, key, data)
        parts[index] = _keep_part(build, key, encoded)
    with build.staging.scratch() as spool:
        site_data = SiteData(build.staging, Path(spool), build.date)
        for index in range(len(build.site.departments)):
            site_data.add(_part(build, parts[index], index))
        site_data.finish()
    for name in DATA_NAMES:
        build.wrote(f"{SITE_DATA}/{name}", build.keys.site_wide("data"))
    site_csvs = {p: None for p in build.staging.hashes if p.startswith(SITE_DATA) and p.endswith(".csv")}
    package = datapackage(build.site, site_csvs, {p: build.staging.hashes[p][1] for p in site_csvs})
    build.wrote("data/datapackage.json", build.keys.site_wide("datapackage"), package)

def _keep_part(build: Build, key: str, encoded: Encoded) -> Encoded | Path:
    if not build.store:
        return encoded
    path = build.store.part(key)
    build.store.put(path, encoded)
    build.parts_used.add(key)
    return path

def _part(build: Build, part: "Encoded | Path", index: int) -> Encoded:
    """A department's rows of the site's data files: made now, or kept in the cache. A kept
    part the cache no longer vouches for (damaged, foreign) is made again: the same rows."""
    if isinstance(part, Encoded):
        return part
    kept = build.store.get(part) if build.store else None  # a part is kept only in a cache
    return kept if isinstance(kept, Encoded) else department_data(build.site, index, build.date)[1]


def _department_data(state: tuple[tuple[Site, datetime], str | None], batch: list) -> list:
    (site, date), sink = state
    out: list[tuple[tuple[int, str], dict[str, Written | bytes], Encoded]] = []
    for index, key in batch:
        files, encoded = department_data(site, index, date)
        out.append(((index, key), {path: deliver(sink, path, data) for path, data in files.items()}, encoded))
    return out


