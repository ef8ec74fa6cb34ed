"""Content: finding the files, reading YAML with positions, the schema and validation, the
indicator frameworks, the targets' grammar, the scoring profiles of self-evaluations, the
frozen model and assembling it from records.

May import base and cache. Everything later in a build reads the model defined here.
"""
