"""Read-only questions people ask of an archive."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from .content import Content
from .diff import unified_diff


class NotFound(LookupError):
    """No such release or version; the message says which."""


def release(db: Database, site_id: str, key: str) -> dict:
    rows = list(db["releases"].rows_where("site_id = ? AND key = ?", [site_id, key]))
    if not rows:
        raise NotFound(f"no release {site_id}:{key} in the archive")
    return rows[0]


def release_by_url(db: Database, url: str) -> dict:
    rows = list(db["releases"].rows_where("url = ?", [url]))
    if not rows:
        raise NotFound(f"no release with URL {url} in the archive")
    return rows[0]


def history(db: Database, release_id: int) -> list[dict]:
    """Every version of a release, oldest first."""
    return list(
        db["versions"].rows_where(
            "release_id = ?",
            [release_id],
            order_by="version",
            select="version, captured_at, title, published, changed, content_hash",
        )
    )


def version(db: Database, release_id: int, number: int) -> dict:
    rows = list(
        db["versions"].rows_where(
            "release_id = ? AND version = ?", [release_id, number]
        )
    )
    if not rows:
        raise NotFound(f"release has no version {number}")
    return rows[0]


def diff(db: Database, release_row: dict, a: int | None = None, b: int | None = None) -> str:
    """Unified diff from version ``a`` to ``b`` (default: the last two)."""
    count = release_row["version_count"]
    if a is None and b is None:
        if count < 2:
            raise NotFound(
                f"release {release_row['site_id']}:{release_row['key']} "
                f"has {count} version{'s' if count != 1 else ''}: nothing to compare"
            )
        a, b = count - 1, count
    old = version(db, release_row["id"], a)
    new = version(db, release_row["id"], b)
    if b == a + 1 and new["diff"]:
        return new["diff"]
    return unified_diff(
        Content.from_row(old), Content.from_row(new), f"version {a}", f"version {b}"
    )


class BadQuery(ValueError):
    """A full-text query SQLite cannot parse; the message says where."""


CHANGES_SQL = """
SELECT e.at, e.event, e.site_id, e.key, v.version, v.changed,
       coalesce(v.title, lv.title) AS title, r.url, e.id AS event_id, v.diff, v.body
FROM release_events e
LEFT JOIN releases r ON r.id = e.release_id
LEFT JOIN versions v ON v.id = e.version_id
LEFT JOIN versions lv ON lv.id = r.latest_version_id
WHERE e.at >= :since AND (coalesce(:site, '') = '' OR e.site_id = :site)
  AND (:with_new OR e.event != 'new')
ORDER BY e.at DESC, e.id DESC
LIMIT :limit
"""


def changes(
    db: Database, since: str, site: str | None = None, *, with_new: bool = True, limit: int = 1000
) -> list[dict]:
    """New, changed, removed and restored releases since ``since`` (UTC ISO), newest first."""
    params = {"since": since, "site": site, "with_new": int(with_new), "limit": limit}
    return _dicts(db.execute(CHANGES_SQL, params))


SEARCH_SQL = """
SELECT r.site_id, r.key, v.version, v.captured_at, v.title,
       snippet(versions_fts, 1, '[', ']', '…', 12) AS snippet, r.url
FROM versions_fts
JOIN versions v ON v.id = versions_fts.rowid
JOIN releases r ON r.id = v.release_id
WHERE versions_fts MATCH :query AND (coalesce(:site, '') = '' OR r.site_id = :site)
ORDER BY versions_fts.rowid DESC
LIMIT :limit
"""


def search(db: Database, query: str, site: str | None = None, limit: int = 50) -> list[dict]:
    """Versions whose title or body match an FTS5 query, newest first."""
    try:
        return _dicts(db.execute(SEARCH_SQL, {"query": query, "site": site, "limit": limit}))
    except sqlite3.OperationalError as error:
        raise BadQuery(f"cannot search for {query!r}: {error}") from None


def _dicts(cursor) -> list[dict]:
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
