"""A version's derived rows, written alike by a crawl, a re-reading
(storage.lens) and ``reextract``: its word changes against the version
before it, which the word-level search and the significance of a change
read."""

from __future__ import annotations

from sqlite_utils import Database

from .content import Content
from .diff import word_changes


def insert_word_changes(
    db: Database, version_id: int, release_id: int, site_id: str, captured_at: str,
    old: Content, new: Content,
) -> None:
    db.table("word_changes").insert_all(
        {
            "version_id": version_id,
            "release_id": release_id,
            "site_id": site_id,
            "year": int(captured_at[:4]),
            "field": field,
            "op": "deleted" if op == "delete" else "inserted",
            "text": text,
        }
        for field, op, text in word_changes(old, new)
    )
