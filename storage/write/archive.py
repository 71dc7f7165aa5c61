"""The archive: releases, their versions and every fetch, in one SQLite file.

Each fetched page is written in exactly one transaction, so a crash or kill at
any moment leaves either all of a page's effects or none of them.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..contract.captures import Captures
from ..contract.content import Content, content_hash
from ..contract.opening import check_before_writing
from ..contract.outcomes import FetchKind, FetchOutcome, ListingOutcome
from ..contract.records import ArchiveError, Outcome, Site, utcnow
from ..contract.schema import migrate, unknown_migrations
from ..contract.versioning import Decision, ReleaseState, decide, listing_events, site_event
from .archive_rows import ArchiveRows
from .lens import Reread, reread_latest
from .moves import record_move
from .version_rows import SiteTerms, fill_derived, insert_word_changes, raw_page

_UNLISTED = "no longer in the list; its page still answers"
_RELISTED = "back in the list"


class Archive(ArchiveRows):
    def __init__(self, db: Database, path: Path | None = None):
        self.db = db
        self.path = path
        self.captures = Captures(db)
        self.key_terms = SiteTerms(db)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True) -> Archive:
        """Open (and create or upgrade) the archive at ``path``."""
        path = Path(path)
        if not path.parent.is_dir():
            raise ArchiveError(f"directory {path.parent} does not exist")
        if not path.exists() and not create:
            raise ArchiveError(f"no archive at {path}")
        if path.exists():
            check_before_writing(path)  # a damaged or newer archive is refused before any write
        try:
            db = Database(sqlite3.connect(path, timeout=30))
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA foreign_keys = ON")
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.enable_wal()
            # WAL + NORMAL survives any process crash; only a power cut can
            # lose the last commits, never corrupt the file.
            db.execute("PRAGMA synchronous = NORMAL")
            # Each outcome is a savepoint inside the writer's batch; its
            # statement journal spilled to a temporary file past 64 KiB, some
            # 60 writes per archived page.  In memory it costs no system call.
            db.execute("PRAGMA temp_store = MEMORY")
            migrate(db)
            fill_derived(db)  # versions stored before kinds were kept: once
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

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Sites and crawls ---------------------------------------------------

    def register_site(self, site: Site) -> None:
        with self.db.atomic():
            self.db.table("sites").upsert(self.key_terms.register(site), pk="id")

    def start_crawl(self, site_id: str) -> int:
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO crawls (site_id, started_at, status) VALUES (?, ?, 'running')",
                [site_id, utcnow()],
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_crawl(
        self,
        crawl_id: int,
        *,
        status: str,
        requests: int,
        list_complete: bool,
        message: str | None = None,
        swept: int = 0,
        sweep_size: int = 0,
        list_pages: int = 0,
    ) -> dict[str, Any]:
        """Close a crawl row; a site that starts failing or recovers is an event."""
        with self.db.atomic():
            crawl = self.db.table("crawls").get(crawl_id)
            previous = self._one(
                "SELECT status FROM crawls WHERE site_id = ? AND id < ? "
                "AND status IN ('finished', 'failed') ORDER BY id DESC LIMIT 1",
                [crawl["site_id"], crawl_id],
            )
            now = utcnow()
            self._update(
                "crawls",
                crawl_id,
                {
                    "finished_at": now,
                    "status": status,
                    "requests": requests,
                    "list_complete": int(list_complete),
                    "message": message,
                    "swept": swept,
                    "list_pages": list_pages,
                    "sweep_size": sweep_size,
                },
            )
            event = site_event(previous["status"] if previous else None, status)
            if event:
                self._insert(
                    "release_events",
                    {
                        "site_id": crawl["site_id"],
                        "crawl_id": crawl_id,
                        "at": now,
                        "event": event,
                        "message": message or "crawled normally again",
                    },
                )
        return self.db.table("crawls").get(crawl_id)

    def mark_interrupted(self, site_id: str) -> int:
        """Crawls still 'running' when the writer lock is free were killed."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE crawls SET status = 'interrupted' WHERE site_id = ? AND status = 'running'",
                [site_id],
            )
        return cursor.rowcount

    # Applying fetches ---------------------------------------------------

    def apply(self, outcome: FetchOutcome, reread: Reread | None = None) -> Outcome:
        """Write what one fetch means for the archive, in one transaction.

        ``reread`` reads a stored capture as the outcome's reader does: the
        latest version is compared as that reader sees it (storage.write.lens)."""
        if outcome.crawl_id is None:
            raise ValueError("a fetch outcome needs the crawl_id its writer gave out")
        try:
            return self._apply(outcome, outcome.crawl_id, reread)
        except BaseException:
            self.captures.forget()  # a reference added in the rolled-back savepoint is gone
            raise

    def _apply(self, outcome: FetchOutcome, crawl_id: int, reread: Reread | None) -> Outcome:
        observation = outcome.observation
        with self._savepoint():
            release = self._release(outcome.site_id, outcome.key) if outcome.key else None
            state = None if release is None else self._state(release, outcome, reread)
            moved = release is not None and outcome.moved_to is not None and outcome.moved_to != release["url"]
            decision = decide(
                state,
                outcome.kind,
                outcome.content,
                missing_from_list=outcome.missing_from_list,
                moved=moved,
            )
            if decision.error and not observation.error:
                observation.error = decision.error
            if release is None and decision.version is not None:
                release = self._new_release(outcome.site_id, outcome.key or "", observation)
            if release is None or decision.outcome is Outcome.ERROR:
                # Errors are not changes: the fetch is logged, the release untouched.
                release_id = None if release is None else release["id"]
                self._log_fetch(crawl_id, release_id, observation, decision.outcome)
                return decision.outcome
            self._write(release, outcome, decision, state)
        return decision.outcome

    def _write(
        self, release: dict[str, Any], outcome: FetchOutcome, decision: Decision, state: ReleaseState | None
    ) -> None:
        observation, crawl_id = outcome.observation, outcome.crawl_id
        assert crawl_id is not None  # apply() refuses outcomes without one
        updates: dict[str, Any] = {"last_checked": observation.fetched_at}
        if decision.status == "live":
            updates.update(status="live", removed_at=None, last_seen=observation.fetched_at)
        elif decision.status == "removed":
            updates.update(status="removed", removed_at=observation.fetched_at)
        if outcome.kind is FetchKind.PAGE:
            updates.update(etag=observation.etag, last_modified=observation.last_modified)
        if "unlisted" in decision.events:
            updates.update(unlisted_at=observation.fetched_at)
        messages = {"unlisted": _UNLISTED}
        if "moved" in decision.events and outcome.moved_to:
            messages["moved"] = f"moved to {outcome.moved_to} (was {release['url']})"
            updates.update(url=outcome.moved_to)
            record_move(self.db, release, outcome.moved_key, outcome.crawl_id or 0, observation.fetched_at)
        version_id = None
        if decision.version is not None:
            number = release["version_count"] + 1
            previous = state.content if state else None
            digest = content_hash(decision.version)
            version_id = self._insert_version(
                release["id"],
                number,
                crawl_id,
                observation,
                decision.version,
                digest,
                previous,
                outcome.reader,
                self.key_terms(release["site_id"]),
            )
            self._insert("raw_pages", raw_page(version_id, outcome, self.captures))
            updates.update(
                version_count=number,
                latest_version_id=version_id,
                content_hash=digest,
                published=decision.version.published,
            )
            if previous is not None:
                insert_word_changes(
                    self.db,
                    version_id,
                    release["id"],
                    outcome.site_id,
                    observation.fetched_at,
                    previous,
                    decision.version,
                )
        for event in decision.events:
            self._event(
                release,
                crawl_id,
                observation.fetched_at,
                event,
                version_id if event in ("new", "changed") else None,
                messages.get(event),
            )
        self._update("releases", release["id"], updates)
        self._log_fetch(
            crawl_id,
            release["id"],
            observation,
            decision.outcome,
            restored="restored" in decision.events,
            count=decision.counted,
        )

    # The list as evidence -------------------------------------------------

    def apply_listing(self, outcome: ListingOutcome) -> list[str]:
        """Record what one list page showed; a release back in the list, or
        listed under a new title, is an event.  Returns the events.

        A listings row is written when a list shows a release for the first
        time or otherwise than the last row says (title, date, back in the
        list): every sighting would cost a row per release per run, most of
        them the same.  ``releases.last_listed`` keeps the latest sighting."""
        if outcome.crawl_id is None:
            raise ValueError("a listing outcome needs the crawl_id its writer gave out")
        found = []
        with self._savepoint():
            for entry in outcome.entries:
                release = self._release(outcome.site_id, entry.key)
                relisted = release is not None and release["unlisted_at"] is not None
                last = self._one(
                    "SELECT title, listed FROM listings WHERE site_id = ? AND key = ? ORDER BY id DESC LIMIT 1",
                    [outcome.site_id, entry.key],
                )
                if relisted or last is None or (last["title"], last["listed"]) != (entry.title, entry.date):
                    self._insert(
                        "listings",
                        {
                            "site_id": outcome.site_id,
                            "crawl_id": outcome.crawl_id,
                            "walk": outcome.walk,
                            "page": outcome.page,
                            "position": entry.position,
                            "key": entry.key,
                            "title": entry.title,
                            "listed": entry.date,
                            "url": entry.url,
                            "seen_at": outcome.seen_at,
                        },
                    )
                if release is None:
                    continue
                for event in listing_events(release["listed_title"], relisted, entry.title):
                    message = (
                        _RELISTED
                        if event == "relisted"
                        else (f"listed as \u201c{entry.title}\u201d, was \u201c{release['listed_title']}\u201d")
                    )
                    self._event(release, outcome.crawl_id, outcome.seen_at, event, None, message)
                    found.append(event)
                self._update(
                    "releases",
                    release["id"],
                    {
                        "listed_title": entry.title or release["listed_title"],
                        "last_listed": outcome.seen_at,
                        "unlisted_at": None,
                    },
                )
        return found

    def record_list_cycle(self, crawl_id: int, progress: dict[str, Any], ended: str | None) -> None:
        """How far the rolling walk of a site's whole list got in one run.
        ``ended`` is "complete", "restarted" (the runs could not be stitched
        together: a new pass starts with this run), or None (it goes on)."""
        with self.db.atomic():
            crawl = self._one("SELECT site_id, started_at FROM crawls WHERE id = ?", [crawl_id])
            if crawl is None:
                raise ValueError(f"no crawl {crawl_id}")
            site_id = crawl["site_id"]
            cycle = self._one(
                "SELECT * FROM list_cycles WHERE site_id = ? AND ended IS NULL ORDER BY id DESC LIMIT 1",
                [site_id],
            )
            now = utcnow()
            if cycle is not None and ended == "restarted":
                self._update("list_cycles", cycle["id"], {"ended_at": now, "ended": "restarted"})
                cycle = None
            if cycle is None:
                cycle_id = self._insert(
                    "list_cycles",
                    {
                        "site_id": site_id,
                        "started_crawl_id": crawl_id,
                        "started_at": crawl["started_at"],
                        "progress": "{}",
                    },
                )
            else:
                cycle_id = cycle["id"]
            updates: dict[str, Any] = {"progress": json.dumps(progress)}
            if ended == "complete":
                updates.update(ended_at=now, ended="complete")
            self._update("list_cycles", cycle_id, updates)

    # Internals (the rows themselves: storage.write.archive_rows) -----------

    def _state(self, release: dict[str, Any], outcome: FetchOutcome, reread: Reread | None) -> ReleaseState:
        latest = None
        if release["latest_version_id"] and reread is not None and outcome.reader and outcome.kind is FetchKind.PAGE:
            latest = reread_latest(self.db, release, outcome.reader, reread, self.captures)
        elif release["latest_version_id"]:
            row = self._one("SELECT * FROM versions WHERE id = ?", [release["latest_version_id"]])
            latest = None if row is None else Content.from_row(row)
        digest = content_hash(latest) if latest is not None else release["content_hash"]
        return ReleaseState(release["status"], latest, digest, unlisted=release["unlisted_at"] is not None)
