"""Atom feeds of what changed: one entry per event (a new version, a removal,
a release gone from the list or back, a site failing or recovering)."""

from __future__ import annotations

import json

from feedgen.feed import FeedGenerator

from crawler import __version__
from storage import KINDS, now, with_moves_marked

SUMMARY = {
    "new": "New release",
    "changed": "Changed",
    "removed": "Removed",
    "restored": "Back online",
    "site_failing": "Site failing",
    "site_recovered": "Site recovered",
    "unlisted": "No longer listed",
    "relisted": "Listed again",
    "list_retitled": "Retitled in the list",
    "moved": "Moved",
}


def atom_feed(rows: list[dict], *, feed_id: str, title: str, self_url: str | None = None) -> bytes:
    """Atom XML for rows of storage.CHANGES_SQL (newest first)."""
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.generator("presswatch", __version__)
    if self_url:
        feed.link(href=self_url, rel="self")
    feed.updated(rows[0]["at"] if rows else now())
    for row in reversed(rows):  # feedgen prepends: add the oldest first
        entry = feed.add_entry()
        entry.id(f"{feed_id}:event:{row['event_id']}")
        subject = row["site_id"] if row["event"].startswith("site_") else row["title"]
        entry.title(f"{SUMMARY.get(row['event'], row['event'])}: {subject}")
        entry.updated(row["at"])
        if row["url"]:
            entry.link(href=row["url"])
        entry.content(_text(row), type="text")
        for kind in json.loads(row.get("change_kinds") or "[]"):  # feed readers filter by category
            entry.category(term=kind, label=KINDS.get(kind, kind))
    return feed.atom_str(pretty=True)


def _text(row: dict) -> str:
    if row["event"] == "changed" and row.get("diff"):
        return with_moves_marked(row["diff"])
    if row["event"] == "new" and row.get("body"):
        return row["body"]
    if row["event"] in ("site_failing", "site_recovered"):
        return f"{row['site_id']}: {row['message']}"
    if row["event"] == "removed":
        return f"{row['url']} no longer answers; the archive keeps every version."
    if row["event"] in ("unlisted", "relisted", "list_retitled", "moved"):
        return f"{row['url']}: {row['message']}"
    return f"{row['url']} is online again."
