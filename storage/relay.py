"""Fetch outcomes between machines, through Redis.

Crawl jobs on any number of nodes never open the archive.  Each holds a
``JobChannel`` where a single-machine crawl holds the ``ArchiveWriter``: the
same calls, sent as ``RelayedMessage`` entries of one Redis stream.  One
``presswatch writer`` process reads the stream as the only member of a
consumer group (``apply_stream``) and applies every message with the same writer
code as a local crawl, exactly once: a message and the note that it was
applied commit together, and only then is it acknowledged.  So a writer
killed mid-stream re-reads what it had not acknowledged, and a message
delivered twice changes nothing.

What a job needs to know of the archive (known releases, validators, the
list pass) comes back the same way: its first message begins the crawl, and
the writer answers with the site's state as the archive holds it then.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from .errors import RelayError
from .outcomes import ENDED_SEQ, FetchOutcome, ListingOutcome, MessageKind, RelayedMessage
from .records import Site
from .view import SiteState
from .writer import ArchiveWriter

logger = logging.getLogger(__name__)

OUTCOME_STREAM = "presswatch:outcomes"
GROUP = "presswatch-writer"
CONSUMER = "writer"  # one writer per archive: one consumer, whose pending entries survive it
REJECTED = "presswatch:rejected"  # messages the writer could not apply, kept for a person to read
KEEP_SECONDS = 7 * 86400  # how long replies and results wait to be read


def redis_client(url: str, *, retry_seconds: float = 15) -> redis.Redis:
    """A client that rides out a Redis restart: every command is retried
    with backoff for about ``retry_seconds`` before it fails."""
    retries = max(1, int(retry_seconds / 1.5))
    return redis.Redis.from_url(
        url, decode_responses=True, socket_connect_timeout=5, socket_timeout=30, health_check_interval=15,
        retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), retries),
    )


def reply_key(token: str, site_id: str) -> str:
    return f"presswatch:reply:{token}:{site_id}"


def result_key(token: str) -> str:
    return f"presswatch:result:{token}"


class JobChannel:
    """A crawl job's side: what the pipeline calls instead of an ArchiveWriter."""

    commit_every = 1.0  # the stream is the job's durability: nothing to commit

    def __init__(self, url: str, token: str, *, recent_pages: dict[str, int] | None = None,
                 reply_timeout: float = 120):
        self.url = url
        self.token = token
        self.recent_pages = recent_pages or {}
        self.reply_timeout = reply_timeout
        self.states: dict[str, SiteState] = {}
        self.crawl_sites: dict[int, str] = {}
        self.seq = 0
        self.redis = redis_client(url)
        try:
            self.redis.ping()
        except RedisError as error:
            raise RelayError(f"cannot reach Redis at {_safe(url)}: {error}") from None

    def _send(self, kind: MessageKind, body: dict[str, Any]) -> None:
        self.seq += 1
        message = RelayedMessage(self.token, self.seq, kind, body)
        try:
            self.redis.xadd(OUTCOME_STREAM, message.fields())  # type: ignore[arg-type]
        except RedisError as error:
            raise RelayError(f"cannot send to Redis at {_safe(self.url)}: {error}") from None

    def begin_crawl(self, site: Site) -> int:
        """Begin the crawl of a site; wait for the writer's answer with its state."""
        self._send(MessageKind.BEGIN, {"site": asdict(site), "recent_pages": self.recent_pages.get(site.id, 0)})
        try:
            answer = self.redis.blpop([reply_key(self.token, site.id)], timeout=self.reply_timeout)
        except RedisError as error:
            raise RelayError(f"cannot read from Redis at {_safe(self.url)}: {error}") from None
        if answer is None:
            raise RelayError(f"the archive's writer did not answer in {self.reply_timeout:.0f} s: "
                             "is `presswatch writer` running against this Redis?")
        reply = json.loads(answer[1])
        self.states[site.id] = SiteState.from_dict(reply["state"])
        crawl_id = int(reply["crawl_id"])
        self.crawl_sites[crawl_id] = site.id
        return crawl_id

    def site_state(self, site_id: str) -> SiteState:
        return self.states[site_id]

    def apply(self, outcome: FetchOutcome, reread: object = None) -> None:
        """Send the outcome to the writer; it compares by the stored records
        (no capture is re-read on another machine)."""
        self._send(MessageKind.PAGE, outcome.to_dict())

    def apply_listing(self, outcome: ListingOutcome) -> list[str]:
        self._send(MessageKind.LISTING, outcome.to_dict())
        return []  # the writer knows the events; the job's log need not

    def commit(self) -> None:
        pass

    def finish_crawl(self, crawl_id: int, *, requests: int, list_complete: bool, failures: list[str],
                     swept: int = 0, sweep_size: int = 0, list_pages: int = 0,
                     list_cycle: tuple[dict[str, Any], str | None] | None = None) -> None:
        self._send(MessageKind.FINISH, {
            "site_id": self.crawl_sites[crawl_id], "requests": requests, "list_complete": list_complete, "failures": failures,
            "swept": swept, "sweep_size": sweep_size, "list_pages": list_pages,
            "list_cycle": None if list_cycle is None else list(list_cycle),
        })

    def close(self) -> None:
        self.redis.close()


class Dispatcher:
    """The dispatcher's side: results of jobs, and jobs given up for dead."""

    def __init__(self, url: str):
        self.url = url
        self.redis = redis_client(url)
        try:
            self.redis.ping()
        except RedisError as error:
            raise RelayError(f"cannot reach Redis at {_safe(url)}: {error}") from None

    def ended(self, token: str, message: str) -> None:
        """The job is gone: whatever of it the writer has not seen finish was interrupted."""
        self.redis.xadd(OUTCOME_STREAM, RelayedMessage(token, ENDED_SEQ, MessageKind.ENDED, {"message": message}).fields())  # type: ignore[arg-type]

    def result(self, token: str) -> dict[str, dict[str, Any]] | None:
        """How the job's crawls ended (a crawls row per site), once the writer has applied its end."""
        value = self.redis.hget(result_key(token), "crawls")
        return None if value is None else json.loads(value)  # type: ignore[arg-type]

    def backlog(self) -> int:
        """Messages the writer has not applied yet."""
        try:
            groups = self.redis.xinfo_groups(OUTCOME_STREAM)
        except RedisError:
            return 0
        return sum(int(group.get("lag") or 0) + int(group.get("pending") or 0) for group in groups)  # type: ignore[union-attr]


def apply_stream(url: str, writer: ArchiveWriter, *, stop: Callable[[], bool] = lambda: False,
          batch: int = 500, block_ms: int = 1000) -> int:
    """Apply the stream's messages to the archive until ``stop()``; how many.

    Messages this consumer read but never acknowledged (a writer killed
    mid-batch) come first, then new ones.  A batch is applied, committed,
    its answers published, and only then acknowledged and deleted.
    """
    client = redis_client(url)
    try:
        client.xgroup_create(OUTCOME_STREAM, GROUP, id="0", mkstream=True)
    except redis.ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise RelayError(f"cannot use Redis at {_safe(url)}: {error}") from None
    except RedisError as error:
        raise RelayError(f"cannot reach Redis at {_safe(url)}: {error}") from None
    applied = 0
    cursor = "0"  # our own pending entries first
    while not stop():
        try:
            response = client.xreadgroup(GROUP, CONSUMER, {OUTCOME_STREAM: cursor}, count=batch,
                                         block=None if cursor == "0" else block_ms)
        except RedisError as error:
            logger.error("cannot read from Redis at %s: %s; retrying", _safe(url), error)
            time.sleep(1)
            continue
        entries: list[tuple[str, dict[str, str]]] = response[0][1] if response else []  # type: ignore[index,assignment]
        if not entries:
            cursor = ">"
            continue
        applied += _apply_batch(client, writer, entries)
    return applied


def _apply_batch(client: redis.Redis, writer: ArchiveWriter, entries: list[tuple[str, dict[str, str]]]) -> int:
    answers: list[tuple[RelayedMessage, dict[str, Any]]] = []
    rejected: list[tuple[str, dict[str, str], str]] = []
    for entry_id, fields in entries:
        try:
            message = RelayedMessage.from_fields(fields)
            answer = writer.apply_message(message)
        except sqlite3.Error:
            raise  # the archive cannot be written: stop, unacknowledged, and be restarted
        except (KeyError, ValueError, TypeError) as error:
            logger.error("cannot apply stream entry %s: %s; kept in %s", entry_id, error, REJECTED)
            rejected.append((entry_id, fields, str(error)))
            continue
        if answer is not None:
            answers.append((message, answer))
    writer.commit()
    pipe = client.pipeline(transaction=False)
    for message, answer in answers:
        if message.kind == MessageKind.BEGIN:
            key = reply_key(message.token, message.body["site"]["id"])
            pipe.delete(key)  # an answer to a begin delivered twice is given once
            pipe.rpush(key, json.dumps(answer))
            pipe.expire(key, KEEP_SECONDS)
        else:
            pipe.hset(result_key(message.token), "crawls", json.dumps(answer))
            pipe.expire(result_key(message.token), KEEP_SECONDS)
    for entry_id, fields, reason in rejected:
        pipe.xadd(REJECTED, {**fields, "error": reason, "entry": entry_id})  # type: ignore[dict-item]
    ids = [entry_id for entry_id, _ in entries]
    pipe.xack(OUTCOME_STREAM, GROUP, *ids)
    pipe.xdel(OUTCOME_STREAM, *ids)
    pipe.execute()
    return len(entries) - len(rejected)


def _safe(url: str) -> str:
    """A Redis URL without its password, for messages."""
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url
