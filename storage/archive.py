"""The archive: releases, their versions and every fetch, in one SQLite file.

Each fetched page is written in exactly one transaction, so a crash or kill at
any moment leaves either all of a page's effects or none of them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from pathlib import Path

from sqlite_utils import Database

from .content import (
    Content,
    changed_fields,
    content_hash,
    keep_precision,
    normalise,
)
from .diff import unified_diff
from .records import ArchiveError, KnownRelease, Observation, Outcome, Site, utcnow
from .schema import insert_word_changes, migrate, unknown_migrations


# Outcome → crawls column it counts in (a fixed set: never built from input).
_COUNTERS = {outcome: outcome.value for outcome in Outcome}
_COUNTERS[Outcome.ERROR] = "errors"


class Archive:
    def __init__(self, db: Database, path: Path | None = None):
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: str | os.PathLike, *, create: bool = True) -> "Archive":
        """Open (and create or upgrade) the archive at ``path``."""
        path = Path(path)
        if not path.parent.is_dir():
            raise ArchiveError(f"directory {path.parent} does not exist")
        if not path.exists() and not create:
            raise ArchiveError(f"no archive at {path}")
        try:
            db = Database(sqlite3.connect(path, timeout=30))
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA foreign_keys = ON")
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.enable_wal()
            # WAL + NORMAL survives any process crash; only a power cut can
            # lose the last commits, never corrupt the file.
            db.execute("PRAGMA synchronous = NORMAL")
            migrate(db)
        except sqlite3.DatabaseError as error:
            raise ArchiveError(f"cannot open archive {path}: {error}") from error
        unknown = unknown_migrations(db)
        if unknown:
            db.close()
            raise ArchiveError(
                f"archive {path} was written by a newer presswatch (migration {unknown[0]}): "
                "upgrade presswatch to use it"
            )
        return cls(db, path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # Sites and crawls ---------------------------------------------------

    def register_site(self, site: Site) -> None:
        with self.db.atomic():
            self.db["sites"].upsert(site.__dict__, pk="id")

    def start_crawl(self, site_id: str) -> int:
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO crawls (site_id, started_at, status) VALUES (?, ?, 'running')",
                [site_id, utcnow()],
            )
        return cursor.lastrowid

    def finish_crawl(
        self,
        crawl_id: int,
        *,
        status: str,
        requests: int,
        list_complete: bool,
        message: str | None = None,
    ) -> dict:
        with self.db.atomic():
            self.db["crawls"].update(
                crawl_id,
                {
                    "finished_at": utcnow(),
                    "status": status,
                    "requests": requests,
                    "list_complete": int(list_complete),
                    "message": message,
                },
            )
        return self.db["crawls"].get(crawl_id)

    def mark_interrupted(self, site_id: str) -> int:
        """Crawls still 'running' when the writer lock is free were killed."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE crawls SET status = 'interrupted' "
                "WHERE site_id = ? AND status = 'running'",
                [site_id],
            )
        return cursor.rowcount

    def list_ever_completed(self, site_id: str) -> bool:
        """Has any crawl of the site walked its whole list?  Until one has,
        incremental crawls may not stop early: older releases are missing."""
        row = self.db.execute(
            "SELECT 1 FROM crawls WHERE site_id = ? AND list_complete = 1 LIMIT 1",
            [site_id],
        ).fetchone()
        return row is not None

    def known_releases(self, site_id: str) -> dict[str, KnownRelease]:
        rows = self.db.execute(
            "SELECT r.key, r.url, r.status, r.published, r.etag, r.last_modified, v.title "
            "FROM releases r LEFT JOIN versions v ON v.id = r.latest_version_id "
            "WHERE r.site_id = ?",
            [site_id],
        )
        return {row[0]: KnownRelease(*row) for row in rows}

    # Recording fetches --------------------------------------------------

    def record_page(
        self,
        crawl_id: int,
        site_id: str,
        key: str,
        observation: Observation,
        content: Content,
        raw_html: bytes = b"",
        encoding: str = "utf-8",
    ) -> Outcome:
        """A page that yielded a release: store a version iff content changed."""
        content = normalise(content)
        with self.db.atomic():
            release = self._release(site_id, key)
            if release is None:
                release_id = self._insert_release(site_id, key, observation)
                release = self._release(site_id, key)
                previous = None
            else:
                release_id = release["id"]
                previous = self._latest_content(release)
                if previous is not None:
                    content = keep_precision(previous, content)
            digest = content_hash(content)
            if previous is None:
                outcome = Outcome.NEW
            elif digest == release["content_hash"]:
                outcome = Outcome.UNCHANGED
            else:
                outcome = Outcome.CHANGED
            updates = {
                "status": "live",
                "removed_at": None,
                "last_seen": observation.fetched_at,
                "last_checked": observation.fetched_at,
                "etag": observation.etag,
                "last_modified": observation.last_modified,
            }
            if outcome is not Outcome.UNCHANGED:
                number = release["version_count"] + 1
                version_id = self._insert_version(
                    release_id, number, crawl_id, observation, content, digest, previous
                )
                self._insert(
                    "raw_pages",
                    {
                        "version_id": version_id,
                        "url": observation.url,
                        "encoding": encoding,
                        "html_zlib": zlib.compress(raw_html, 6),
                    },
                )
                updates.update(
                    version_count=number,
                    latest_version_id=version_id,
                    content_hash=digest,
                    published=content.published,
                )
                self._event(release, crawl_id, observation, outcome.value, version_id)
                if previous is not None:
                    insert_word_changes(
                        self.db, version_id, release_id, site_id, observation.fetched_at,
                        previous, content,
                    )
            restored = release["status"] == "removed"
            if restored:
                self._event(release, crawl_id, observation, "restored")
            self._update("releases", release_id, updates)
            self._log_fetch(crawl_id, release_id, observation, outcome, restored=restored)
        return outcome

    def record_gone(
        self, crawl_id: int, site_id: str, key: str, observation: Observation
    ) -> Outcome:
        """The page answered 404/410 or sent us to a list page: mark removed."""
        with self.db.atomic():
            release = self._release(site_id, key)
            if release is None:
                observation.error = observation.error or "listed release is not there"
                self._log_fetch(crawl_id, None, observation, Outcome.ERROR)
                return Outcome.ERROR
            updates = {"last_checked": observation.fetched_at}
            if release["status"] != "removed":
                updates.update(status="removed", removed_at=observation.fetched_at)
                self._event(release, crawl_id, observation, "removed")
            self._update("releases", release["id"], updates)
            self._log_fetch(
                crawl_id, release["id"], observation, Outcome.REMOVED,
                count=release["status"] != "removed",
            )
        return Outcome.REMOVED

    def record_not_modified(
        self, crawl_id: int, site_id: str, key: str, observation: Observation
    ) -> Outcome:
        """A 304: the server vouches the page is as we last stored it."""
        with self.db.atomic():
            release = self._release(site_id, key)
            if release is None:
                observation.error = "304 for a release never archived"
                self._log_fetch(crawl_id, None, observation, Outcome.ERROR)
                return Outcome.ERROR
            self._update(
                "releases",
                release["id"],
                {
                    "status": "live",
                    "removed_at": None,
                    "last_seen": observation.fetched_at,
                    "last_checked": observation.fetched_at,
                },
            )
            restored = release["status"] == "removed"
            if restored:
                self._event(release, crawl_id, observation, "restored")
            self._log_fetch(
                crawl_id, release["id"], observation, Outcome.NOT_MODIFIED, restored=restored
            )
        return Outcome.NOT_MODIFIED

    def record_error(
        self, crawl_id: int, site_id: str, key: str | None, observation: Observation
    ) -> Outcome:
        """A failed fetch is logged and counted; nothing archived changes."""
        with self.db.atomic():
            release = self._release(site_id, key) if key else None
            self._log_fetch(
                crawl_id, release["id"] if release else None, observation, Outcome.ERROR
            )
        return Outcome.ERROR

    # Internals ----------------------------------------------------------

    # Plain SQL on the per-page path: sqlite-utils' conveniences introspect
    # the table on every call, which cost more than the writes themselves.
    # Table and column names here are this module's constants, never input.

    def _insert(self, table: str, row: dict) -> int:
        columns = ", ".join(f"[{name}]" for name in row)
        marks = ", ".join("?" * len(row))
        cursor = self.db.conn.execute(
            f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(row.values())
        )
        return cursor.lastrowid

    def _update(self, table: str, row_id: int, values: dict) -> None:
        assignments = ", ".join(f"[{name}] = ?" for name in values)
        self.db.conn.execute(
            f"UPDATE [{table}] SET {assignments} WHERE id = ?", [*values.values(), row_id]
        )

    def _one(self, sql: str, params: list) -> dict | None:
        cursor = self.db.conn.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip((d[0] for d in cursor.description), row))

    def _release(self, site_id: str, key: str) -> dict | None:
        return self._one("SELECT * FROM releases WHERE site_id = ? AND key = ?", [site_id, key])

    def _latest_content(self, release: dict) -> Content | None:
        if not release["latest_version_id"]:
            return None
        return Content.from_row(
            self._one("SELECT * FROM versions WHERE id = ?", [release["latest_version_id"]])
        )

    def _insert_release(self, site_id: str, key: str, observation: Observation) -> int:
        return self._insert(
            "releases",
            {
                "site_id": site_id,
                "key": key,
                "url": observation.url,
                "status": "live",
                "first_seen": observation.fetched_at,
                "version_count": 0,
            },
        )

    def _insert_version(
        self,
        release_id: int,
        number: int,
        crawl_id: int,
        observation: Observation,
        content: Content,
        digest: str,
        previous: Content | None,
    ) -> int:
        return self._insert(
            "versions",
            {
                "release_id": release_id,
                "version": number,
                "captured_at": observation.fetched_at,
                "crawl_id": crawl_id,
                **content.as_dict(),
                "attachments": json.dumps(
                    content.as_dict()["attachments"], ensure_ascii=False
                ),
                "content_hash": digest,
                "changed": json.dumps(
                    changed_fields(previous, content) if previous else []
                ),
                "diff": (
                    unified_diff(
                        previous, content, f"version {number - 1}", f"version {number}"
                    )
                    if previous
                    else None
                ),
            },
        )

    def _event(
        self, release: dict, crawl_id: int, observation: Observation, event: str,
        version_id: int | None = None,
    ) -> None:
        self._insert(
            "release_events",
            {
                "release_id": release["id"],
                "site_id": release["site_id"],
                "key": release["key"],
                "crawl_id": crawl_id,
                "at": observation.fetched_at,
                "event": event,
                "version_id": version_id,
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
            self.db.execute(
                f"UPDATE crawls SET [{column}] = [{column}] + 1 WHERE id = ?", [crawl_id]
            )
