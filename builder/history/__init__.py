"""History: the content's git repository (one wrapper), each file's revisions, the diff of
two revisions in the domain's words, and the same department across budget years.

May import base, cache, content and check.
"""
