"""Check: a finance reviewer's rules across values and files, lint, and running both over
each department folder (in parallel, remembering folders checked before).

May import base, cache and content.
"""
