"""Publish: every output kind made into a staging folder (pages, PDFs, open data, search index,
feed, checksums), reused from the last build when its key is unchanged, then swapped in whole
under the output's lock.

May import every stage before it: base, cache, content, check, history and render.
"""
