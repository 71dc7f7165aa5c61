"""The rows an archived fetch writes (releases, versions, events, fetches),
in plain SQL: storage.write.archive decides what a fetch means, a backfill
(storage.write.backfill) writes a past capture with the same rows."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from ..contract.content import Content
from ..contract.records import Observation, Outcome
from .version_rows import derived

# Outcome → crawls column it counts in (a fixed set: never built from input).
_COUNTERS = {outcome: outcome.value for outcome in Outcome}
_COUNTERS[Outcome.ERROR] = "errors"


class ArchiveRows:
    """Plain SQL on the per-page path: sqlite-utils' conveniences introspect
    the table on every call, which cost more than the writes themselves.
    Table and column names are presswatch's constants, never input."""

    db: Database

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        cursor = self.db.conn.execute(_insert_sql(table, row), list(row.values()))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _update(self, table: str, row_id: int, values: dict[str, Any]) -> None:
        assignments = ", ".join(f"[{name}] = ?" for name in values)
        self.db.conn.execute(f"UPDATE [{table}] SET {assignments} WHERE id = ?", [*values.values(), row_id])

    def _one(self, sql: str, params: list[Any]) -> dict[str, Any] | None:
        cursor = self.db.conn.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip((d[0] for d in cursor.description), row))

    def _savepoint(self) -> _Savepoint:
        """``db.atomic()`` for one outcome inside the writer's batch, under one
        savepoint name: sqlite-utils names each savepoint anew, so that its
        SAVEPOINT and RELEASE were parsed again for every page, never found
        in the connection's statement cache."""
        return _Savepoint(self.db)

    def _release(self, site_id: str, key: str) -> dict[str, Any] | None:
        """The release with this key, or the one this key is an alias of."""
        found = self._one("SELECT * FROM releases WHERE site_id = ? AND key = ?", [site_id, key])
        return found or self._one(
            "SELECT r.* FROM release_aliases a JOIN releases r ON r.id = a.release_id "
            "WHERE a.site_id = ? AND a.key = ?",
            [site_id, key],
        )

    def _new_release(self, site_id: str, key: str, observation: Observation) -> dict[str, Any]:
        """A new release's row, inserted: as ``_release`` would select it."""
        # A list page may be written before the release it shows: what it
        # showed must not wait for the next list walk to reach the release.
        listed = self._one(
            "SELECT title, seen_at FROM listings WHERE site_id = ? AND key = ? ORDER BY seen_at DESC, id DESC LIMIT 1",
            [site_id, key],
        )
        row = {
            "site_id": site_id,
            "key": key,
            "url": observation.url,
            "status": "live",
            "first_seen": observation.fetched_at,
            "version_count": 0,
            "listed_title": listed["title"] if listed else None,
            "last_listed": listed["seen_at"] if listed else None,
        }
        cursor = self.db.conn.execute(_insert_sql("releases", row) + " RETURNING *", list(row.values()))
        names = [d[0] for d in cursor.description]
        return dict(zip(names, cursor.fetchall()[0]))  # every row fetched: the statement is done

    def _insert_version(
        self,
        release_id: int,
        number: int,
        crawl_id: int,
        observation: Observation,
        content: Content,
        digest: str,
        previous: Content | None,
        reader: str | None = None,
        key_terms: tuple[str, ...] = (),
    ) -> int:
        return self._insert(
            "versions",
            {
                "release_id": release_id,
                "version": number,
                "captured_at": observation.fetched_at,
                "crawl_id": crawl_id,
                **content.as_dict(),
                "attachments": json.dumps(content.as_dict()["attachments"], ensure_ascii=False),
                "content_hash": digest,
                "reader": reader,
                **derived(previous, content, number, key_terms),
            },
        )

    def _event(
        self,
        release: dict[str, Any],
        crawl_id: int,
        at: str,
        event: str,
        version_id: int | None = None,
        message: str | None = None,
    ) -> None:
        self._insert(
            "release_events",
            {
                "release_id": release["id"],
                "site_id": release["site_id"],
                "key": release["key"],
                "crawl_id": crawl_id,
                "at": at,
                "event": event,
                "version_id": version_id,
                "message": message,
            },
        )

    def _log_fetch(
        self,
        crawl_id: int,
        release_id: int | None,
        observation: Observation,
        outcome: Outcome,
        *,
        restored: bool = False,
        count: bool = True,
    ) -> None:
        self._insert(
            "fetches",
            {
                "crawl_id": crawl_id,
                "release_id": release_id,
                **observation.__dict__,
                "outcome": outcome.value,
                "restored": int(restored),
            },
        )
        if count:
            column = _COUNTERS[outcome]
            self.db.execute(f"UPDATE crawls SET [{column}] = [{column}] + 1 WHERE id = ?", [crawl_id])


def _insert_sql(table: str, row: dict[str, Any]) -> str:
    columns = ", ".join(f"[{name}]" for name in row)
    return f"INSERT INTO [{table}] ({columns}) VALUES ({', '.join('?' * len(row))})"


class _Savepoint:
    """What ``Database.atomic()`` does, with a fixed savepoint name."""

    __slots__ = ("conn", "nested")

    def __init__(self, db: Database):
        self.conn = db.conn
        self.nested = False

    def __enter__(self) -> None:
        self.nested = self.conn.in_transaction
        self.conn.execute("SAVEPOINT outcome" if self.nested else "BEGIN")

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        conn = self.conn
        if kind is None:
            try:
                conn.execute("RELEASE SAVEPOINT outcome" if self.nested else "COMMIT")
            except BaseException:
                if not self.nested:
                    conn.rollback()
                raise
        elif not self.nested:
            conn.rollback()  # a no-op if the error already ended the transaction
        elif conn.in_transaction:  # an error such as RAISE(ROLLBACK) can end it, savepoints and all
            conn.execute("ROLLBACK TO SAVEPOINT outcome")
            conn.execute("RELEASE SAVEPOINT outcome")
