"""A crawl job's side of the relay: what its pipeline calls where a crawl
on one machine calls the ArchiveWriter (storage.lifecycle's protocol),
sent as signed ``RelayedMessage`` entries of one Redis stream.

What a job needs to know of the archive (known releases, validators, the
list pass) comes back the same way: its first message begins the crawl, and
the writer answers with the site's state as the archive holds it then.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from redis.exceptions import RedisError

from ..contract.errors import RelayError
from ..contract.outcomes import FetchOutcome, ListingOutcome, MessageKind, RelayedMessage
from ..contract.records import Site
from ..write.lens import Reread
from ..write.lifecycle import CrawlStart, CrawlSummary
from .keys import OUTCOME_STREAM, redis_client, reply_key, safe_url, signed_answer


class JobChannel:
    """A crawl job's side: what the pipeline calls instead of an ArchiveWriter."""

    commit_every = 1.0  # the stream is the job's durability: nothing to commit

    def __init__(self, url: str, token: str, key: bytes, *, reply_timeout: float = 120):
        """``key``: the job's own key, from the dispatcher (storage.signing)."""
        self.url = url
        self.token = token
        self.key = key
        self.reply_timeout = reply_timeout
        self.crawl_sites: dict[int, str] = {}
        self.seq = 0
        self.redis = redis_client(url)
        try:
            self.redis.ping()
        except RedisError as error:
            raise RelayError(f"cannot reach Redis at {safe_url(url)}: {error}") from None

    def _send(self, kind: MessageKind, body: dict[str, Any]) -> None:
        self.seq += 1
        message = RelayedMessage(self.token, self.seq, kind, body)
        try:
            self.redis.xadd(OUTCOME_STREAM, message.signed(self.key))  # type: ignore[arg-type]
        except RedisError as error:
            raise RelayError(f"cannot send to Redis at {safe_url(self.url)}: {error}") from None

    def begin(self, site: Site, recent_pages: int = 0) -> CrawlStart:
        """Begin the crawl of a site; wait for the writer's answer with its state."""
        self._send(MessageKind.BEGIN, {"site": asdict(site), "recent_pages": recent_pages})
        try:
            answer = self.redis.blpop([reply_key(self.token, site.id)], timeout=self.reply_timeout)
        except RedisError as error:
            raise RelayError(f"cannot read from Redis at {safe_url(self.url)}: {error}") from None
        if answer is None:
            raise RelayError(
                f"the archive's writer did not answer in {self.reply_timeout:.0f} s: "
                "is `presswatch writer` running against this Redis?"
            )
        reply = signed_answer(answer[1], self.key, "reply", self.token, site.id)
        if reply is None:
            raise RelayError(
                f"the answer to job {self.token} in Redis is not signed by the archive's writer: "
                "is something other than `presswatch writer` writing to this Redis?"
            )
        if "error" in reply:
            raise RelayError(f"the archive's writer refused the crawl: {reply['error']}")
        start = CrawlStart.from_dict(reply)
        self.crawl_sites[start.crawl_id] = site.id
        return start

    def apply(self, outcome: FetchOutcome, reread: Reread | None = None) -> None:
        """Send the outcome to the writer; it compares by the stored records
        (no capture is re-read on another machine)."""
        self._send(MessageKind.PAGE, outcome.to_dict())

    def apply_listing(self, outcome: ListingOutcome) -> list[str]:
        self._send(MessageKind.LISTING, outcome.to_dict())
        return []  # the writer knows the events; the job's log need not

    def commit(self) -> None:
        pass

    def finish(self, crawl_id: int, summary: CrawlSummary) -> None:
        self._send(MessageKind.FINISH, {"site_id": self.crawl_sites[crawl_id], **summary.to_dict()})

    def close(self) -> None:
        self.redis.close()
