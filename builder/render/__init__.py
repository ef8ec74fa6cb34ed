"""Render: themes (Jinja environments, templates, translations), the model's routes, HTML pages,
PDF annexes and volumes with their fonts. Makes bytes; writes nothing into the output.

May import base, cache, content, check and history.
"""
