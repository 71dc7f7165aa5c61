"""The one writer of an archive.

However many sites a run crawls, each archive has exactly one writer: it
holds the archive's lock, owns its only writing connection, and applies the
fetch outcomes crawls hand it in the order they arrive.  Everything else
reads through an ``ArchiveView``.

Each outcome is applied whole or not at all (a savepoint of its own), and
outcomes are committed together, at most ``commit_every`` seconds or
``max_pending`` outcomes after the first uncommitted one.  One commit per page
cost 0.25 ms of CPU per page of a 0.6 ms write, FTS5 writing a new index
segment each time (make bench, 2,000 pages).  A kill loses at most that last
second of work, which the next run simply does again: nothing of it was
recorded, validators included.

The writer runs on its caller's thread.  A thread of its own, so that the
reactor never waited on a transaction, cost 0.4 ms of CPU per page in GIL
hand-offs (sqlite3 releases the GIL around every statement) and bought no
pages per second against nginx (make bench); a page's transaction takes
under a millisecond, nothing at a polite crawl's pace.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..contract.captures import Compaction, compact
from ..contract.errors import ArchiveError
from ..contract.outcomes import FetchOutcome, ListingOutcome
from ..contract.records import Outcome, Site
from . import lock
from .alerts import AlertLog, archive_key
from .archive import Archive
from .lens import Reread
from .lifecycle import CrawlStart, CrawlSummary, close_crawl, open_crawl, started

if TYPE_CHECKING:
    from ..relay.applier import Applier
    from .backfill import Importer
    from .reextract import Rewrite

_Record = TypeVar("_Record", FetchOutcome, ListingOutcome)
_Result = TypeVar("_Result")


class ArchiveWriter:
    def __init__(self, path: str | os.PathLike[str], *, commit_every: float = 1.0, max_pending: int = 500):
        """Take the archive's lock (ArchiveBusy if another writer has it) and open it."""
        self.commit_every = commit_every
        self.max_pending = max_pending
        self.pending = 0  # outcomes applied since the last commit
        self._opened_at = 0.0
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise ArchiveError(f"directory {self.path.parent} does not exist")
        lock.acquire(self.path)
        try:
            self._archive = Archive.open(self.path)
        except BaseException:
            lock.release(self.path)
            raise

    def begin(self, site: Site, recent_pages: int = 0) -> CrawlStart:
        """Begin a crawl of ``site`` (storage.lifecycle): its crawl id and the site's state."""
        self.commit()
        return started(self._archive, open_crawl(self._archive, site), site.id, recent_pages)

    def apply(self, outcome: FetchOutcome, reread: Reread | None = None) -> Outcome:
        """Archive one fetch: all of its effects, or none if it raises.
        ``reread``: the outcome's reader, for captures another one read (storage.lens)."""
        return self._batched(functools.partial(self._archive.apply, reread=reread), outcome)

    def apply_listing(self, outcome: ListingOutcome) -> list[str]:
        """Record one list page of a walk that ended normally; its events."""
        return self._batched(self._archive.apply_listing, outcome)

    def _batched(self, write: Callable[[_Record], _Result], record: _Record) -> _Result:
        db = self._archive.db
        if not db.conn.in_transaction:
            db.execute("BEGIN")
            self._opened_at = time.monotonic()
        try:
            result = write(record)  # a savepoint inside the batch
        except sqlite3.Error:
            self.commit()  # what was applied before stays applied, as it would alone
            raise
        self.pending += 1
        if self.pending >= self.max_pending or time.monotonic() - self._opened_at >= self.commit_every:
            self.commit()
        return result

    def commit(self) -> None:
        """Make every applied outcome durable now (a crawl's end, an idle reactor)."""
        conn = self._archive.db.conn
        if conn.in_transaction:
            conn.execute("COMMIT")
        self.pending = 0

    def finish(self, crawl_id: int, summary: CrawlSummary) -> dict[str, Any]:
        """Close the crawl row as ``summary`` says (storage.lifecycle); the row."""
        self.commit()
        return close_crawl(self._archive, crawl_id, summary)

    def relay_applier(self) -> Applier:
        """What applies crawl jobs' relayed messages to this writer's archive (storage.relay.applier)."""
        from ..relay.applier import Applier

        return Applier(self._archive)

    def begin_import(self, site: Site, source: str) -> Importer:
        """Apply captures from web archives to ``site``'s history (storage.backfill)."""
        from .backfill import Importer

        self.commit()
        return Importer(self._archive, site, source, self._batched)

    def alert_log(self) -> AlertLog:
        """Which changes each alert destination has been sent (storage.alerts)."""
        self.commit()
        return AlertLog(self._archive.db, archive_key(self.path))

    def reextract(self, rewrites: list[Rewrite], profile: str) -> tuple[int, int]:
        """Apply a re-extraction plan (storage.reextract); (rewritten, merged)."""
        from .reextract import apply

        self.commit()
        return apply(self._archive.db, rewrites, profile)

    def compact(
        self, batch: int = 200, progress: Callable[[int], None] | None = None, vacuum: bool = False
    ) -> Compaction:
        """Rewrite the captures stored before against their board's
        references (storage.captures); ``vacuum`` then gives the space back."""
        self.commit()
        result = compact(self._archive.db, batch, progress)
        if vacuum:
            self._archive.db.execute("VACUUM")
        return result

    def close(self) -> None:
        try:
            try:
                self.commit()
            finally:
                self._archive.close()
        finally:
            lock.release(self.path)

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
