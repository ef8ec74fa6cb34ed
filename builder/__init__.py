"""gongkai: budget performance targets (预算绩效目标) from YAML to a disclosure site.

A build is a story told in stages, one module each:

    tree       the content's files, walked once (content/tree.py); its git head and date (history/tree.py)
    load       YAML -> position-carrying nodes
    validate   nodes -> typed records, per-file diagnostics (schema.py, fields.py)
    assemble   records -> the frozen model (model.py), frameworks resolved
    check      cross-record rules: money, plans, framework, duplicates
    routes     every model object -> output path and URL
    render     model -> HTML pages through the theme (themes.py)
    write      temporary sibling folder, then swap into output/

`pipeline.py` strings them together with one BuildContext (and answers
"nothing changed" from the build cache, cache/, before importing any of them);
publish/make.py makes the outputs, one maker per kind, each reused or rendered
(keys.py keys them, parallel.py spreads them over processes); `cli.py` is the
only place that prints.
"""

__version__ = "0.1.0"
