"""What the archive's writer does with a crawl job's relayed messages:
each applied exactly once, through the same lifecycle as a local crawl
(storage.lifecycle), and answered with what the job or the dispatcher waits for.

The writer's stream (storage.relay.stream) hands every message here and
commits the batch through the writer; nothing here talks to Redis.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..contract.errors import MessageRejected
from ..contract.messages import sequence
from ..contract.outcomes import FetchOutcome, ListingOutcome, MessageKind, RelayedMessage
from ..contract.records import Site, utcnow
from ..read.view import ArchiveView
from ..write.lifecycle import CrawlSummary, close_crawl, interrupt_crawl, open_crawl, started

if TYPE_CHECKING:
    from ..write.archive import Archive


class Applier:
    """A writer's applier of relayed messages (ArchiveWriter.relay_applier)."""

    def __init__(self, archive: Archive):
        self._archive = archive
        assert archive.path is not None  # the writer's archive is a file
        self.path: Path = archive.path

    def apply(self, message: RelayedMessage) -> dict[str, Any] | None:
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
        if not db.conn.in_transaction:  # the stream's batch: the writer commits it (ArchiveWriter.commit)
            db.execute("BEGIN")
        with db.atomic():
            verdict = sequence(self.applied_seq(message.token), message.seq, message.kind)
            if verdict not in ("apply", "repeated"):
                raise MessageRejected(verdict)
            if verdict == "apply":
                self._apply(message)
                db.execute(
                    "INSERT INTO relayed_jobs (token, applied_seq, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(token) DO UPDATE SET applied_seq = excluded.applied_seq, updated_at = excluded.updated_at",
                    [message.token, message.seq, utcnow()],
                )
        return self._reply(message)

    def applied_seq(self, token: str) -> int:
        """The last sequence number applied of a job's messages; 0 if none."""
        row = self._archive.db.execute("SELECT applied_seq FROM relayed_jobs WHERE token = ?", [token]).fetchone()
        return 0 if row is None else int(row[0])

    def _apply(self, message: RelayedMessage) -> None:
        archive, body = self._archive, message.body
        if message.kind == MessageKind.BEGIN:
            if self._crawls(message.token):
                raise MessageRejected(f"job {message.token} already began its crawl: a job crawls one site once")
            archive.db.table("relayed_crawls").upsert(
                {
                    "token": message.token,
                    "site_id": body["site"]["id"],
                    "crawl_id": open_crawl(archive, Site(**body["site"])),
                },
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
            close_crawl(archive, self._running_crawl(message.token, body["site_id"]), CrawlSummary.from_dict(body))
        elif message.kind == MessageKind.ENDED:  # the job is gone: what it left running was interrupted
            for crawl_id in self._crawls(message.token).values():
                interrupt_crawl(archive, crawl_id, body.get("message") or "the crawl job ended before it finished")

    def _crawls(self, token: str) -> dict[str, int]:
        rows = self._archive.db.execute("SELECT site_id, crawl_id FROM relayed_crawls WHERE token = ?", [token])
        return {site_id: crawl_id for site_id, crawl_id in rows}

    def _crawl(self, token: str, site_id: str) -> int:
        crawl_id = self._crawls(token).get(site_id)
        if crawl_id is None:
            raise MessageRejected(f"job {token} sent an outcome for {site_id} before beginning its crawl")
        return crawl_id

    def _running_crawl(self, token: str, site_id: str) -> int:
        # A job's key stays good after its crawl ends: what it signs then is refused.
        crawl_id = self._crawl(token, site_id)
        status = self._archive.db.execute("SELECT status FROM crawls WHERE id = ?", [crawl_id]).fetchone()[0]
        if status != "running":
            raise MessageRejected(f"job {token}'s crawl of {site_id} already ended ({status})")
        return crawl_id

    def _reply(self, message: RelayedMessage) -> dict[str, Any] | None:
        if message.kind not in (MessageKind.BEGIN, MessageKind.FINISH, MessageKind.ENDED):
            return None  # a page or a list page: nobody waits for it
        if message.kind == MessageKind.BEGIN:
            site_id = message.body["site"]["id"]
            crawl_id = self._crawl(message.token, site_id)
            return started(self._archive, crawl_id, site_id, message.body.get("recent_pages", 0)).to_dict()
        view = ArchiveView(self._archive.db, self.path)  # the writer's own connection: what it just applied
        return {site_id: view.crawl(crawl_id) for site_id, crawl_id in self._crawls(message.token).items()}
