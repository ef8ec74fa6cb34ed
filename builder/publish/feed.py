"""An Atom feed (RFC 4287) of the disclosures: each department and project, newest change first.

Dates come from git (the last commit that changed the entry's files) or, for
content outside git, from the build's source date: never from the clock.
Links are relative to the feed, so it works under any sub-path.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from builder.base.money import format_money
from builder.content.model import Site
from builder.history.revisions import History
from builder.render.routes import routes


def atom_feed(site: Site, history: History | None, date: datetime) -> bytes:
    default = date.strftime("%Y-%m-%d")
    feed_id = uuid.uuid5(uuid.NAMESPACE_URL, (site.url or "gongkai:") + site.base_path)
    entries = []
    for department in site.departments:
        items = [(routes.department(department), f"{department.name} {department.year}年预算绩效目标",
                  f"{len(department.projects)}个项目，预算合计{format_money(department.total, department.money_unit)}",
                  list(department.sources))]
        items += [(routes.project(department, p), f"{department.name}：{p.title}",
                   f"预算数{format_money(p.budget.total.value, p.money_unit)}，{len(p.indicators)}项绩效指标",
                   list(p.sources)) for p in department.projects]
        for path, title, summary, files in items:
            revisions = history.of(*files) if history else ()
            updated = revisions[0].date if revisions else default
            latest = revisions[0] if revisions else None
            if latest is not None and latest.first:
                summary += "。首次公开"
            if latest is not None and latest.note:
                summary += f"。修订说明：{latest.note.rstrip('。')}"
            if latest is not None and latest.summary:
                summary += "。最近修改：" + "；".join(latest.summary)
            entries.append((updated, path, title, summary))
    entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
    newest = entries[0][0] if entries else default
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{escape(site.languages[0])}">',
             f"  <title>{escape(site.title)}</title>",
             f"  <id>urn:uuid:{feed_id}</id>",
             f"  <updated>{newest}T00:00:00Z</updated>",
             f"  <author><name>{escape(site.publisher)}</name></author>",
             f'  <link rel="self" href="{routes.feed}"/>',
             f'  <link rel="alternate" type="text/html" href="{routes.index}"/>']
    for updated, path, title, summary in entries:
        lines += ["  <entry>",
                  f"    <title>{escape(title)}</title>",
                  f"    <id>urn:uuid:{uuid.uuid5(feed_id, path)}</id>",
                  f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(path)}/>",
                  f"    <updated>{updated}T00:00:00Z</updated>",
                  f"    <summary>{escape(summary)}</summary>",
                  "  </entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
