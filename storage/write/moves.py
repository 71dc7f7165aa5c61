"""A release whose page moved: the key of its new URL becomes an alias.

A board that edits a slug with the title answers the old URL with a
permanent redirect to the new one, and lists the new one: one release, two
keys.  The archive keeps the release under its first key (identity is
(site, key)) and records the new key as an alias, so that a list showing the
new URL finds the release it always was.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database


def record_move(db: Database, release: dict[str, Any], key: str | None, crawl_id: int, at: str) -> None:
    """Record ``key`` (of the release's new URL) as an alias.  A release the
    list showed under that key earlier in this same crawl is this one, found
    before the old URL's redirect said so: its rows (one version of the very
    page this fetch read) fold into this release."""
    if not key or key == release["key"]:
        return
    duplicate = _one(db, "SELECT * FROM releases WHERE site_id = ? AND key = ?", [release["site_id"], key])
    if duplicate is not None and duplicate["id"] != release["id"]:
        first = _one(db, "SELECT min(crawl_id) AS crawl FROM fetches WHERE release_id = ?", [duplicate["id"]])
        if duplicate["version_count"] > 1 or first is None or first["crawl"] != crawl_id:
            return  # archived on its own before this crawl: two releases stay, as they were
        _fold(db, duplicate, release, crawl_id)
    db.execute(
        "INSERT OR REPLACE INTO release_aliases (site_id, key, release_id, since) VALUES (?, ?, ?, ?)",
        [release["site_id"], key, release["id"], at],
    )


def _fold(db: Database, duplicate: dict[str, Any], release: dict[str, Any], crawl_id: int) -> None:
    """The duplicate's version is the page the move's fetch just read: it
    goes, with its events; its fetches are the release's."""
    gone = [duplicate["id"]]
    db.execute("UPDATE releases SET latest_version_id = NULL WHERE id = ?", gone)
    db.execute("DELETE FROM raw_pages WHERE version_id IN (SELECT id FROM versions WHERE release_id = ?)", gone)
    for table in ("word_changes", "release_events", "versions"):  # a fixed list, never input
        db.execute(f"DELETE FROM {table} WHERE release_id = ?", gone)
    db.execute("UPDATE fetches SET release_id = ? WHERE release_id = ?", [release["id"], duplicate["id"]])
    db.execute("DELETE FROM releases WHERE id = ?", gone)
    db.execute("UPDATE crawls SET new = max(new - 1, 0) WHERE id = ?", [crawl_id])


def _one(db: Database, sql: str, params: list[Any]) -> dict[str, Any] | None:
    cursor = db.execute(sql, params)
    row = cursor.fetchone()
    return None if row is None else dict(zip((d[0] for d in cursor.description), row))
