"""Read-only questions people ask of an archive."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from sqlite_utils import Database

from ..contract.content import Content
from ..contract.diff import unified_diff
from ..contract.errors import BadQuery, NotFound


def release(db: Database, site_id: str, key: str) -> dict[str, Any]:
    rows = list(db.table("releases").rows_where("site_id = ? AND key = ?", [site_id, key]))
    if not rows:
        raise NotFound(f"no release {site_id}:{key} in the archive")
    return rows[0]


def release_by_url(db: Database, url: str) -> dict[str, Any]:
    rows = list(db.table("releases").rows_where("url = ?", [url]))
    if not rows:
        raise NotFound(f"no release with URL {url} in the archive")
    return rows[0]


def history(db: Database, release_id: int) -> list[dict[str, Any]]:
    """Every version of a release, oldest first."""
    return _dicts(db.execute(HISTORY_SQL, [release_id]))


# A version read from a web archive's capture (storage.write.backfill) names it.
HISTORY_SQL = """
SELECT v.version, v.captured_at, v.title, v.published, v.changed, v.content_hash,
       (SELECT i.source || coalesce(' record ' || i.record_id, '') || ', captured ' || i.captured_at
               || ', digest ' || i.digest
        FROM imported_captures i WHERE i.version_id = v.id ORDER BY i.captured_at LIMIT 1) AS origin
FROM versions v WHERE v.release_id = ? ORDER BY v.version
"""


def version(db: Database, release_id: int, number: int) -> dict[str, Any]:
    rows = list(db.table("versions").rows_where("release_id = ? AND version = ?", [release_id, number]))
    if not rows:
        raise NotFound(f"release has no version {number}")
    return rows[0]


def diff(db: Database, release_row: dict[str, Any], a: int | None = None, b: int | None = None) -> str:
    """Unified diff from version ``a`` to ``b`` (default: the last two)."""
    count = release_row["version_count"]
    if a is None and b is None:
        if count < 2:
            raise NotFound(
                f"release {release_row['site_id']}:{release_row['key']} "
                f"has {count} version{'s' if count != 1 else ''}: nothing to compare"
            )
        a, b = count - 1, count
    if a is None or b is None:
        raise NotFound("give two version numbers, or none for the last two")
    old = version(db, release_row["id"], a)
    new = version(db, release_row["id"], b)
    if b == a + 1 and new["diff"]:
        return str(new["diff"])
    return unified_diff(Content.from_row(old), Content.from_row(new), f"version {a}", f"version {b}")


# :min_significance and :kinds (a JSON array) are NULL for no filter; an
# event that is not a new version's (a removal, a site failing) has no
# significance of its own and is never filtered out by one.  Feeds pass
# :backfilled 0: history found late in web archives is never news.
CHANGES_SQL = """
SELECT at, event, site_id, key, version, changed, title, url, event_id, diff, body, message,
       change_kinds, significance, backfilled
FROM change_log
WHERE at >= :since AND (coalesce(:site, '') = '' OR site_id = :site)
  AND (:with_new OR event != 'new') AND (:backfilled OR backfilled IS NULL)
  AND (:min_significance IS NULL OR coalesce(significance, 1) >= :min_significance)
  AND (:kinds IS NULL OR EXISTS (SELECT 1 FROM json_each(change_kinds) k JOIN json_each(:kinds) w ON k.value = w.value))
ORDER BY at DESC, event_id DESC
LIMIT :limit
"""
NO_FILTER = {"min_significance": None, "kinds": None, "backfilled": 1}
# The same, most significant first.  An event that is not a new version (a
# removal, a site failing) has no significance of its own: it ranks as 1,
# as the filter never leaves it out (a release withdrawn is news).
CHANGES_BY_SIGNIFICANCE_SQL = CHANGES_SQL.replace(
    "ORDER BY at DESC, event_id DESC", "ORDER BY coalesce(significance, 1) DESC, at DESC, event_id DESC"
)
CHANGE_ORDERS = {"time": CHANGES_SQL, "significance": CHANGES_BY_SIGNIFICANCE_SQL}  # changes(order=…)


def changes(
    db: Database,
    since: str,
    site: str | None = None,
    *,
    with_new: bool = True,
    limit: int = 1000,
    min_significance: float | None = None,
    kinds: tuple[str, ...] = (),
    backfilled: bool = True,
    order: str = "time",
) -> list[dict[str, Any]]:
    """New, changed, removed and restored releases, and sites that started
    failing or recovered, since ``since`` (UTC ISO), newest first (``order``
    "significance": most significant first); changed versions only at
    ``min_significance`` or above, or of one of ``kinds``."""
    params = {
        "since": since,
        "site": site,
        "with_new": int(with_new),
        "limit": limit,
        "backfilled": int(backfilled),
        "min_significance": min_significance,
        "kinds": json.dumps(kinds) if kinds else None,
    }
    return _dicts(db.execute(CHANGE_ORDERS[order], params))


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


def search(db: Database, query: str, site: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Versions whose title or body match an FTS5 query, newest first."""
    try:
        return _dicts(db.execute(SEARCH_SQL, {"query": query, "site": site, "limit": limit}))
    except sqlite3.OperationalError as error:
        if getattr(error, "sqlite_errorname", None) != "SQLITE_ERROR" or "decode to UTF-8" in str(error):
            raise  # not the query's fault: the archive's (ArchiveView names it)
        raise BadQuery(f"cannot search for {query!r}: {error}") from None


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


SITE_HEALTH_SQL = """
SELECT s.id AS site_id, last.status AS last_status, last.finished_at AS last_crawl,
       last.message AS message,
       (SELECT max(c.finished_at) FROM crawls c
        WHERE c.site_id = s.id AND c.status = 'finished') AS last_success,
       (SELECT count(*) FROM releases r WHERE r.site_id = s.id) AS releases,
       (SELECT min(r.last_checked) FROM releases r WHERE r.site_id = s.id) AS oldest_check,
       (SELECT count(*) FROM releases r WHERE r.site_id = s.id
        AND (r.last_checked IS NULL OR r.last_checked < :due_before)) AS due
FROM sites s
LEFT JOIN crawls last ON last.id = (
    SELECT max(c.id) FROM crawls c WHERE c.site_id = s.id AND c.status IN ('finished', 'failed'))
ORDER BY s.id
"""


def site_health(db: Database, due_before: str = "") -> dict[str, dict[str, Any]]:
    """Per site: how its last crawl ended, when one last succeeded, releases
    held, and the sweep's state: the oldest check, and how many releases were
    last checked before ``due_before`` (UTC ISO)."""
    return {row["site_id"]: row for row in _dicts(db.execute(SITE_HEALTH_SQL, {"due_before": due_before}))}


# The changes of a followed site not yet sent to an alert destination
# (storage.write.alerts), oldest first: a subscription's own start, history
# found late in web archives left out, a failed delivery sent again.
PENDING_ALERTS_SQL = """
SELECT c.* FROM change_log c
JOIN alert_subscriptions s ON s.site_id = c.site_id AND s.target = :target
LEFT JOIN alert_deliveries d ON d.target = :target AND d.event_id = c.event_id
WHERE c.site_id = :site AND c.event_id > s.since_event_id AND c.backfilled IS NULL
  AND (d.state IS NULL OR d.state = 'failed')
ORDER BY c.event_id
LIMIT :limit
"""
