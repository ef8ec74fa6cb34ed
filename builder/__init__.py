"""gongkai: budget performance targets (预算绩效目标) from YAML to a disclosure site.

A build is a story told in stages, one module each:

    load       discover content files, YAML -> position-carrying nodes
    validate   nodes -> typed records, per-file diagnostics (schema.py, fields.py)
    assemble   records -> the frozen model (model.py), frameworks resolved
    check      cross-record rules: money, plans, framework, duplicates
    routes     every model object -> output path and URL
    render     model -> HTML pages through the theme (themes.py)
    write      temporary sibling folder, then swap into output/

`pipeline.py` strings them together (and answers "nothing changed" from the
build cache, cache.py, before importing any of them); `stages.py` makes the
outputs, each reused or rendered (outputs.py keys them, parallel.py spreads
them over processes); `cli.py` is the only place that prints.
"""

__version__ = "0.1.0"
