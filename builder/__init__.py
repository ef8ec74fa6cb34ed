"""gongkai: budget performance targets (预算绩效目标) from YAML to a disclosure site.

A build is a story told in stages, one package each, in the order they run; a
package imports only those before it (tests/test_architecture.py):

    base       what every stage uses: diagnostics, limits, characters, numbers, files, executors
    cache      the build cache: file digests, the last build's manifest, sealed files
    content    the content tree; YAML -> positioned nodes -> typed records; the frozen model
    check      the reviewer's rules and lint, one department folder at a time
    history    one git wrapper; the build's head and date; revisions, diff, editions
    render     themes, routes, HTML pages, PDFs and their fonts (bytes; nothing written)
    publish    one maker per output kind into a staging folder, swapped in whole
    importers  other documents -> content files

`pipeline.py` is the recipe (the tree -> nothing changed? -> check -> model ->
make -> record, with one BuildContext); `commands/` has one module per command
and `cli.py` parses. docs/architecture.md draws the whole map.
"""

__version__ = "0.1.0"
