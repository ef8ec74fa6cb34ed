"""Commands: one module per command of build.py (check, build, diff, serve, import, new,
schema), each turning parsed arguments into a run of the stages and an exit code.

May import every package; only cli.py imports it.
"""
