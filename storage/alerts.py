"""Which changes each alert destination has been sent: each change once.

A destination follows a site from the first run after it was configured
(``subscribe``), so a new destination is not sent the archive's past, nor a
new site's first crawl, which finds every release "new".  Before a message
goes out its changes are marked ``sending`` and committed; after, ``sent`` or
``failed``.  A change found ``sending`` by the next run was in a message when
presswatch was killed: it may have been delivered, so it becomes ``unknown``
and is never sent again (a reader gets a change at most once).  A ``failed``
change goes out again with the next message.

Destinations are digests (``target_digest``): their URLs can hold passwords,
and an archive is meant to be published.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlite_utils import Database

from .records import utcnow

SENDING, SENT, FAILED, UNKNOWN = "sending", "sent", "failed", "unknown"

_PENDING_SQL = """
SELECT c.* FROM change_log c
JOIN alert_subscriptions s ON s.site_id = c.site_id AND s.target = :target
LEFT JOIN alert_deliveries d ON d.target = :target AND d.event_id = c.event_id
WHERE c.site_id = :site AND c.event_id > s.since_event_id
  AND (d.state IS NULL OR d.state = 'failed')
ORDER BY c.event_id
LIMIT :limit
"""


def target_digest(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:16]


class AlertLog:
    """The archive's alert bookkeeping, written through its one writer
    (``ArchiveWriter.alert_log()``), which holds the archive's lock."""

    def __init__(self, db: Database):
        self.db = db

    def subscribe(self, target: str, site_ids: list[str]) -> list[str]:
        """Follow each site from now on, once it has a finished crawl; the
        sites this destination started following."""
        started = []
        with self.db.conn:
            for site_id in site_ids:
                known = self.db.execute(
                    "SELECT 1 FROM alert_subscriptions WHERE target = ? AND site_id = ?", [target, site_id]
                ).fetchone()
                crawled = self.db.execute(
                    "SELECT 1 FROM crawls WHERE site_id = ? AND status = 'finished' LIMIT 1", [site_id]
                ).fetchone()
                if known or not crawled:
                    continue
                since = self.db.execute("SELECT coalesce(max(id), 0) FROM release_events").fetchone()[0]
                self.db.execute(
                    "INSERT INTO alert_subscriptions (target, site_id, since_event_id, created_at) VALUES (?, ?, ?, ?)",
                    [target, site_id, since, utcnow()],
                )
                started.append(site_id)
        return started

    def abandon_in_flight(self) -> list[dict[str, Any]]:
        """Changes a killed run was sending: ``unknown`` from now on, never
        resent; per destination and site, how many."""
        with self.db.conn:
            rows = self.db.execute(
                "SELECT target, site_id, count(*) FROM alert_deliveries WHERE state = ? GROUP BY target, site_id",
                [SENDING],
            ).fetchall()
            self.db.execute(
                "UPDATE alert_deliveries SET state = ?, updated_at = ?, "
                "error = 'presswatch stopped while sending: it may have been delivered' WHERE state = ?",
                [UNKNOWN, utcnow(), SENDING],
            )
        return [{"target": target, "site_id": site, "changes": count} for target, site, count in rows]

    def pending(self, target: str, site_id: str, limit: int = 200) -> list[dict[str, Any]]:
        """Changes of a followed site not yet sent to ``target``, oldest first."""
        cursor = self.db.execute(_PENDING_SQL, {"target": target, "site": site_id, "limit": limit})
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    def sending(self, target: str, site_id: str, event_ids: list[int]) -> None:
        """Committed before the message goes out: the mark a kill leaves."""
        with self.db.conn:
            self.db.conn.executemany(
                "INSERT INTO alert_deliveries (target, site_id, event_id, state, attempts, updated_at) "
                "VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (target, event_id) DO UPDATE SET "
                "state = excluded.state, attempts = attempts + 1, updated_at = excluded.updated_at",
                [(target, site_id, event_id, SENDING, utcnow()) for event_id in event_ids],
            )

    def sent(self, target: str, event_ids: list[int], error: str | None = None) -> None:
        """How the message ended: ``sent``, or ``failed`` with ``error``."""
        state = FAILED if error else SENT
        with self.db.conn:
            self.db.conn.executemany(
                "UPDATE alert_deliveries SET state = ?, error = ?, updated_at = ? WHERE target = ? AND event_id = ?",
                [(state, error, utcnow(), target, event_id) for event_id in event_ids],
            )
