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

Only what a dispatched job signed is applied, and only to the site it was
dispatched for (storage.signing); anything else, and anything malformed
(storage.messages), goes to the stream ``presswatch:rejected`` with the
reason, is acknowledged, and the writer goes on.
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

from .contract.errors import MessageRejected, RelayError
from .contract.messages import MAX_NAME, read_entry
from .contract.outcomes import ENDED_SEQ, FetchOutcome, ListingOutcome, MessageKind, RelayedMessage
from .contract.records import Site
from .contract.signing import job_key, same, sign_assignment, sign_reply
from .read.view import SiteState
from .write.writer import ArchiveWriter

logger = logging.getLogger(__name__)

OUTCOME_STREAM = "presswatch:outcomes"
GROUP = "presswatch-writer"
CONSUMER = "writer"  # one writer per archive: one consumer, whose pending entries survive it
REJECTED = "presswatch:rejected"  # messages the writer could not apply, kept for a person to read
KEEP_SECONDS = 7 * 86400  # how long replies, results and assignments wait to be read
KEEP_REJECTED = 10_000  # entries of presswatch:rejected kept, about: a flood cannot fill Redis
KEEP_BODY = 64 * 1024  # of a rejected body, enough to see what it was
# Errors of the data a message holds, not of the archive's file: the message is rejected.
DATA_ERRORS = (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError, sqlite3.DataError)


def redis_client(url: str, *, retry_seconds: float = 15, decode: bool = True) -> redis.Redis:
    """A client that rides out a Redis restart: every command is retried
    with backoff for about ``retry_seconds`` before it fails.  ``decode``:
    answers as text (the writer reads bytes: an entry that is not UTF-8
    must be rejected, not fail every read of the stream)."""
    retries = max(1, int(retry_seconds / 1.5))
    return redis.Redis.from_url(
        url, decode_responses=decode, socket_connect_timeout=5, socket_timeout=30, health_check_interval=15,
        retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), retries),
    )


def reply_key(token: str, site_id: str) -> str:
    return f"presswatch:reply:{token}:{site_id}"


def result_key(token: str) -> str:
    return f"presswatch:result:{token}"


def assignment_key(token: str) -> str:
    return f"presswatch:job:{token}"


class JobChannel:
    """A crawl job's side: what the pipeline calls instead of an ArchiveWriter."""

    commit_every = 1.0  # the stream is the job's durability: nothing to commit

    def __init__(self, url: str, token: str, key: bytes, *, recent_pages: dict[str, int] | None = None,
                 reply_timeout: float = 120):
        """``key``: the job's own key, from the dispatcher (storage.signing)."""
        self.url = url
        self.token = token
        self.key = key
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
            self.redis.xadd(OUTCOME_STREAM, message.signed(self.key))  # type: ignore[arg-type]
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
        reply = _signed_answer(answer[1], self.key, "reply", self.token, site.id)
        if reply is None:
            raise RelayError(f"the answer to job {self.token} in Redis is not signed by the archive's writer: "
                             "is something other than `presswatch writer` writing to this Redis?")
        if "error" in reply:
            raise RelayError(f"the archive's writer refused the crawl: {reply['error']}")
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
    """The dispatcher's side: jobs' sites, results of jobs, and jobs given up for dead."""

    def __init__(self, url: str, relay_key: bytes):
        self.url = url
        self.relay_key = relay_key
        self.redis = redis_client(url)
        try:
            self.redis.ping()
        except RedisError as error:
            raise RelayError(f"cannot reach Redis at {_safe(url)}: {error}") from None

    def assign(self, token: str, site: Site) -> str:
        """Record, for the writer, the site (and its profile's record) a job
        is scheduled for; the job's key (hex), to hand the job alone."""
        record = json.dumps(asdict(site), sort_keys=True)
        key = assignment_key(token)
        try:
            self.redis.hset(key, mapping={"site": record, "sig": sign_assignment(self.relay_key, token, record)})
            self.redis.expire(key, KEEP_SECONDS)
        except RedisError as error:
            raise RelayError(f"cannot write to Redis at {_safe(self.url)}: {error}") from None
        return job_key(self.relay_key, token, site.id).hex()

    def ended(self, token: str, site_id: str, message: str) -> None:
        """The job is gone: whatever of it the writer has not seen finish was interrupted."""
        ended = RelayedMessage(token, ENDED_SEQ, MessageKind.ENDED, {"site_id": site_id, "message": message})
        self.redis.xadd(OUTCOME_STREAM, ended.signed(job_key(self.relay_key, token, site_id)))  # type: ignore[arg-type]

    def result(self, token: str, site_id: str) -> dict[str, dict[str, Any]] | None:
        """How the job's crawls ended (a crawls row per site), once the writer
        has applied its end; None until then, or if the writer did not sign it."""
        value = self.redis.hget(result_key(token), "crawls")
        if value is None:
            return None
        crawls: dict[str, dict[str, Any]] | None = _signed_answer(
            value, job_key(self.relay_key, token, site_id), "result", token, site_id)  # type: ignore[arg-type]
        return crawls

    def backlog(self) -> int:
        """Messages the writer has not applied yet."""
        try:
            groups = self.redis.xinfo_groups(OUTCOME_STREAM)
        except RedisError:
            return 0
        return sum(int(group.get("lag") or 0) + int(group.get("pending") or 0) for group in groups)  # type: ignore[union-attr]


def apply_stream(url: str, writer: ArchiveWriter, relay_key: bytes, *, max_bytes: int,
                 stop: Callable[[], bool] = lambda: False, batch: int = 500, block_ms: int = 1000) -> int:
    """Apply the stream's messages to the archive until ``stop()``; how many.

    Messages this consumer read but never acknowledged (a writer killed
    mid-batch) come first, then new ones.  A batch is applied, committed,
    its answers published, and only then acknowledged and deleted.  What
    cannot be applied (storage.messages; ``max_bytes``: the largest body
    accepted) is set aside in ``presswatch:rejected`` and acknowledged too.
    """
    client = redis_client(url, decode=False)
    try:
        client.xgroup_create(OUTCOME_STREAM, GROUP, id="0", mkstream=True)
    except redis.ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise RelayError(f"cannot use Redis at {_safe(url)}: {error}") from None
    except RedisError as error:
        raise RelayError(f"cannot reach Redis at {_safe(url)}: {error}") from None
    batches = _Batches(client, writer, relay_key, max_bytes)
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
        entries: list[tuple[bytes, dict[bytes, bytes]]] = response[0][1] if response else []  # type: ignore[index,assignment]
        if not entries:
            cursor = ">"
            continue
        applied += batches.apply(entries, redelivered=cursor == "0")
    return applied


class _Batches:
    """The writer's side of the stream: each batch applied, answered, set aside or acknowledged."""

    def __init__(self, client: redis.Redis, writer: ArchiveWriter, relay_key: bytes, max_bytes: int):
        self.client = client
        self.writer = writer
        self.relay_key = relay_key
        self.max_bytes = max_bytes

    def apply(self, entries: list[tuple[bytes, dict[bytes, bytes]]], *, redelivered: bool) -> int:
        answers: list[tuple[RelayedMessage, dict[str, Any]]] = []
        rejected: list[tuple[bytes, dict[bytes, bytes], str]] = []
        for entry_id, fields in entries:
            message = None
            try:
                message = read_entry(fields, self.relay_key, self.max_bytes)
                if message.kind == MessageKind.BEGIN:
                    self._check_assignment(message)
                repeated = message.seq <= self.writer.relayed_seq(message.token)
                answer = self.writer.apply_message(message)  # a repeated one only answered again
            except DATA_ERRORS as error:
                rejected.append(self._rejected(entry_id, fields, f"the archive cannot store it: {error}"))
            except (sqlite3.Error, RedisError):
                raise  # the archive or Redis cannot be written: stop, unacknowledged, and be restarted
            except MessageRejected as error:
                rejected.append(self._rejected(entry_id, fields, str(error)))
                if message is not None and message.kind == MessageKind.BEGIN:
                    answers.append((message, {"error": str(error)}))  # the job fails now, not after a timeout
            except Exception as error:  # noqa: BLE001 - whatever a message does, the writer goes on
                logger.exception("cannot apply stream entry %s", entry_id.decode())
                rejected.append(self._rejected(entry_id, fields, f"{type(error).__name__}: {error}"))
            else:
                if answer is not None:
                    answers.append((message, answer))
                if repeated and not redelivered:
                    # Not an entry this writer read before a restart: a job's
                    # retry, or someone replaying what they read.
                    logger.warning("job %r: message %d repeated; not applied again", message.token, message.seq)
                    rejected.append((entry_id, fields, f"repeated: message {message.seq} of job {message.token} "
                                                       "was applied already"))
        self.writer.commit()
        self._publish(entries, answers, rejected)
        return len(entries) - len(rejected)

    def _check_assignment(self, message: RelayedMessage) -> None:
        """A job begins the crawl the dispatcher scheduled it for, of the site as its profile was sent."""
        record: dict[bytes, bytes] = self.client.hgetall(assignment_key(message.token))  # type: ignore[assignment]
        text = record.get(b"site", b"").decode("utf-8", "replace")
        if not text or not same(record.get(b"sig", b"").decode("ascii", "replace"),
                                sign_assignment(self.relay_key, message.token, text)):
            raise MessageRejected(f"no dispatch of job {message.token} is recorded in Redis ({assignment_key(message.token)}): "
                                  "the writer begins only the crawls `presswatch dispatch` scheduled")
        if json.loads(text) != message.body["site"]:
            raise MessageRejected(f"job {message.token} began site {message.site!r} otherwise than it was dispatched: "
                                  "a job may not rename a site or change its base_url")

    @staticmethod
    def _rejected(entry_id: bytes, fields: dict[bytes, bytes], reason: str) -> tuple[bytes, dict[bytes, bytes], str]:
        said = {name.decode("utf-8", "replace"): fields.get(name, b"")[:80].decode("utf-8", "replace")
                for name in (b"token", b"site", b"seq", b"kind")}
        logger.error("rejected stream entry %s (job %r, site %r, seq %r): %s; kept in %s",
                     entry_id.decode(), said["token"], said["site"], said["seq"], reason, REJECTED)
        return entry_id, fields, reason

    def _publish(self, entries: list[tuple[bytes, dict[bytes, bytes]]], answers: list[tuple[RelayedMessage, dict[str, Any]]],
                 rejected: list[tuple[bytes, dict[bytes, bytes], str]]) -> None:
        pipe = self.client.pipeline(transaction=False)
        for message, answer in answers:
            key = job_key(self.relay_key, message.token, message.site)
            payload = json.dumps(answer)
            if message.kind == MessageKind.BEGIN:
                reply = reply_key(message.token, message.site)
                pipe.delete(reply)  # an answer to a begin delivered twice is given once
                pipe.rpush(reply, json.dumps({"answer": payload, "sig": sign_reply(key, "reply", message.token, message.site, payload)}))
                pipe.expire(reply, KEEP_SECONDS)
            else:
                signed = json.dumps({"answer": payload, "sig": sign_reply(key, "result", message.token, message.site, payload)})
                pipe.hset(result_key(message.token), "crawls", signed)
                pipe.expire(result_key(message.token), KEEP_SECONDS)
        for entry_id, fields, reason in rejected:
            body = fields.get(b"body", b"")
            kept = {name: value[:MAX_NAME] for name, value in fields.items() if name in (b"token", b"site", b"seq", b"kind")}
            pipe.xadd(REJECTED, {**kept, "reason": reason, "entry": entry_id, "body": body[:KEEP_BODY],  # type: ignore[dict-item]
                                 "body_bytes": len(body)}, maxlen=KEEP_REJECTED, approximate=True)
        ids = [entry_id for entry_id, _ in entries]
        pipe.xack(OUTCOME_STREAM, GROUP, *ids)
        pipe.xdel(OUTCOME_STREAM, *ids)
        pipe.execute()


def _signed_answer(value: str | bytes, key: bytes, what: str, token: str, site_id: str) -> Any:
    """An answer the writer left in Redis, if it is the writer's (signed with the job's key); else None."""
    try:
        signed = json.loads(value)
        payload, signature = signed["answer"], signed["sig"]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(payload, str) or not same(signature, sign_reply(key, what, token, site_id, payload)):
        return None
    return json.loads(payload)


def _safe(url: str) -> str:
    """A Redis URL without its password, for messages."""
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url
