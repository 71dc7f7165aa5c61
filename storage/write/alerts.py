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
and an archive is meant to be published.  A digest is an HMAC-SHA256 keyed
with a secret kept beside the archive (``ARCHIVE.db.key``, mode 0600), never
in it: a published archive does not let anyone confirm a guessed URL (a
webhook, an e-mail address) by hashing it.  Archives from before the key
held unsalted digests; each is replaced by the keyed one the first time its
destination is used (``adopt``), so its history carries over.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..contract.errors import ArchiveError
from ..contract.records import utcnow
from ..read.queries import PENDING_ALERTS_SQL

SENDING, SENT, FAILED, UNKNOWN, BELOW = "sending", "sent", "failed", "unknown", "below"


def target_digest(url: str, key: bytes) -> str:
    """How the archive knows a destination: HMAC-SHA256 of its URL."""
    return hmac.new(key, url.encode(), hashlib.sha256).hexdigest()


def unkeyed_digest(url: str) -> str:
    """The digest archives held before the key: 64 bits of SHA-256, unsalted."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def key_path(db_path: str | os.PathLike[str]) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".key")


def archive_key(db_path: str | os.PathLike[str]) -> bytes:
    """The archive's secret, created (mode 0600) the first time one is needed.

    Written under a temporary name and linked into place, so a second
    process never reads a half-written key: whoever links first wins, and
    the other reads the winner's."""
    path = key_path(db_path)
    if not path.exists():
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
        try:
            with os.fdopen(handle, "w") as out:
                out.write(secrets.token_hex(32) + "\n")
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError as error:
            raise ArchiveError(f"cannot create the alert key {path}: {error.strerror}") from None
        finally:
            os.unlink(temporary)
    try:
        return bytes.fromhex(path.read_text("ascii").strip())
    except (OSError, ValueError) as error:
        raise ArchiveError(f"cannot read the alert key {path}: {error}") from None


class AlertLog:
    """The archive's alert bookkeeping, written through its one writer
    (``ArchiveWriter.alert_log()``), which holds the archive's lock."""

    def __init__(self, db: Database, key: bytes):
        self.db = db
        self.key = key

    def target(self, url: str) -> str:
        """The digest this archive knows the destination ``url`` by."""
        return target_digest(url, self.key)

    def adopt(self, url: str) -> str:
        """The destination's digest, its unkeyed one (from an archive written
        before the key) replaced wherever it is stored."""
        target, old = self.target(url), unkeyed_digest(url)
        with self.db.conn:
            for table in ("alert_subscriptions", "alert_deliveries"):
                self.db.execute(f"UPDATE OR IGNORE {table} SET target = ? WHERE target = ?", [target, old])
                self.db.execute(f"DELETE FROM {table} WHERE target = ?", [old])  # already known by both: keep the keyed
        return target

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
        cursor = self.db.execute(PENDING_ALERTS_SQL, {"target": target, "site": site_id, "limit": limit})
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    def pass_over(self, target: str, site_id: str, least: float) -> int:
        """Mark the pending changed versions below ``least`` significance as
        never to be sent (state "below"): not now, and not after a later
        change of the destination's threshold either.  Other events (a
        removal, a new release) have no significance and are not passed over."""
        with self.db.conn:
            cursor = self.db.conn.execute(
                "INSERT INTO alert_deliveries (target, site_id, event_id, state, attempts, updated_at) "
                f"SELECT :target, :site, c.event_id, '{BELOW}', 0, :now FROM ({PENDING_ALERTS_SQL}) c "
                "WHERE c.significance < :least ON CONFLICT (target, event_id) DO UPDATE SET state = excluded.state",
                {"target": target, "site": site_id, "limit": -1, "least": least, "now": utcnow()},
            )
        return cursor.rowcount

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
