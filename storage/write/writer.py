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
from ..contract.errors import ArchiveError, MessageRejected
from ..contract.messages import sequence
from ..contract.outcomes import FetchOutcome, ListingOutcome, MessageKind, RelayedMessage
from ..contract.records import Outcome, Site, utcnow
from ..read.view import ArchiveView
from . import lock
from .alerts import AlertLog, archive_key
from .archive import Archive
from .lens import Reread

if TYPE_CHECKING:
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

    def begin_crawl(self, site: Site) -> int:
        """Register the site, mark its killed crawls interrupted, start a crawl row."""
        self.commit()
        self._archive.register_site(site)
        self._archive.mark_interrupted(site.id)
        return self._archive.start_crawl(site.id)

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

    def finish_crawl(
        self, crawl_id: int, *, requests: int, list_complete: bool, failures: list[str],
        swept: int = 0, sweep_size: int = 0, list_pages: int = 0,
        list_cycle: tuple[dict[str, Any], str | None] | None = None,
    ) -> dict[str, Any]:
        """Close the crawl row; a run without failures also records how far
        the pass over the site's whole list got (``list_cycle``)."""
        self.commit()
        if list_cycle is not None and not failures:
            self._archive.record_list_cycle(crawl_id, *list_cycle)
        return self._archive.finish_crawl(
            crawl_id, status="failed" if failures else "finished", requests=requests,
            list_complete=list_complete, message="; ".join(failures) or None,
            swept=swept, sweep_size=sweep_size, list_pages=list_pages,
        )

    def apply_message(self, message: RelayedMessage) -> dict[str, Any] | None:
        """Apply one message of a crawl job on another machine exactly once.

        The message and the note that it was applied are one transaction, so
        a message delivered again (the writer was killed before it
        acknowledged it, or the job's connection retried) changes nothing.
        A message out of its job's sequence, or beyond what its job may
        write (another crawl, one that ended), raises MessageRejected and
        changes nothing either.
        Returns what the job or the dispatcher waits for, whether the message
        was applied now or before: a begun crawl's id and site state, or how
        the job's crawls ended.  The caller commits (``commit``) before
        publishing it.
        """
        db = self._archive.db
        if not db.conn.in_transaction:
            db.execute("BEGIN")
            self._opened_at = time.monotonic()
        with db.atomic():
            verdict = sequence(self.relayed_seq(message.token), message.seq, message.kind)
            if verdict not in ("apply", "repeated"):
                raise MessageRejected(verdict)
            if verdict == "apply":
                self._apply_relayed(message)
                db.execute(
                    "INSERT INTO relayed_jobs (token, applied_seq, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(token) DO UPDATE SET applied_seq = excluded.applied_seq, updated_at = excluded.updated_at",
                    [message.token, message.seq, utcnow()],
                )
        self.pending += 1
        return self._relayed_reply(message)

    def relayed_seq(self, token: str) -> int:
        """The last sequence number applied of a job's messages; 0 if none."""
        row = self._archive.db.execute("SELECT applied_seq FROM relayed_jobs WHERE token = ?", [token]).fetchone()
        return 0 if row is None else int(row[0])

    def _apply_relayed(self, message: RelayedMessage) -> None:
        archive, body = self._archive, message.body
        if message.kind == MessageKind.BEGIN:
            if self._relayed_crawls(message.token):
                raise MessageRejected(f"job {message.token} already began its crawl: a job crawls one site once")
            site = Site(**body["site"])
            archive.register_site(site)
            archive.mark_interrupted(site.id)
            archive.db.table("relayed_crawls").upsert(
                {"token": message.token, "site_id": site.id, "crawl_id": archive.start_crawl(site.id)},
                pk=("token", "site_id"),
            )
        elif message.kind == MessageKind.PAGE:
            outcome = FetchOutcome.from_dict(body)
            outcome.crawl_id = self._running_crawl(message.token, outcome.site_id)
            archive.apply(outcome)
        elif message.kind == MessageKind.LISTING:
            listing = ListingOutcome.from_dict(body)
            listing.crawl_id = self._running_crawl(message.token, listing.site_id)
            archive.apply_listing(listing)
        elif message.kind == MessageKind.FINISH:
            crawl_id = self._running_crawl(message.token, body["site_id"])
            cycle = body.get("list_cycle")
            if cycle is not None and not body["failures"]:
                archive.record_list_cycle(crawl_id, *cycle)
            archive.finish_crawl(
                crawl_id, status="failed" if body["failures"] else "finished", requests=body["requests"],
                list_complete=body["list_complete"], message="; ".join(body["failures"]) or None,
                swept=body.get("swept", 0), sweep_size=body.get("sweep_size", 0), list_pages=body.get("list_pages", 0),
            )
        elif message.kind == MessageKind.ENDED:  # the job is gone: what it left running was interrupted
            for crawl_id in self._relayed_crawls(message.token).values():
                if archive.db.table("crawls").get(crawl_id)["status"] == "running":
                    archive.finish_crawl(crawl_id, status="interrupted", requests=0, list_complete=False,
                                         message=body.get("message") or "the crawl job ended before it finished")

    def _relayed_crawls(self, token: str) -> dict[str, int]:
        rows = self._archive.db.execute("SELECT site_id, crawl_id FROM relayed_crawls WHERE token = ?", [token])
        return {site_id: crawl_id for site_id, crawl_id in rows}

    def _relayed_crawl(self, token: str, site_id: str) -> int:
        crawl_id = self._relayed_crawls(token).get(site_id)
        if crawl_id is None:
            raise MessageRejected(f"job {token} sent an outcome for {site_id} before beginning its crawl")
        return crawl_id

    def _running_crawl(self, token: str, site_id: str) -> int:
        # A job's key stays good after its crawl ends: what it signs then is refused.
        crawl_id = self._relayed_crawl(token, site_id)
        status = self._archive.db.execute("SELECT status FROM crawls WHERE id = ?", [crawl_id]).fetchone()[0]
        if status != "running":
            raise MessageRejected(f"job {token}'s crawl of {site_id} already ended ({status})")
        return crawl_id

    def _relayed_reply(self, message: RelayedMessage) -> dict[str, Any] | None:
        if message.kind not in (MessageKind.BEGIN, MessageKind.FINISH, MessageKind.ENDED):
            return None  # a page or a list page: nobody waits for it
        view = ArchiveView(self._archive.db, self.path)  # the writer's own connection: what it just applied
        if message.kind == MessageKind.BEGIN:
            site_id = message.body["site"]["id"]
            state = view.site_state(site_id, message.body.get("recent_pages", 0))
            return {"crawl_id": self._relayed_crawl(message.token, site_id), "state": state.to_dict()}
        return {site_id: view.crawl(crawl_id) for site_id, crawl_id in self._relayed_crawls(message.token).items()}

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

    def compact(self, batch: int = 200, progress: Callable[[int], None] | None = None,
                vacuum: bool = False) -> Compaction:
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
