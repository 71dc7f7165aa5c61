"""The writer's side of the relay: the stream of crawl jobs' messages, applied.

Crawl jobs on any number of nodes never open the archive: each sends what
it fetched through a ``JobChannel`` (storage.relay.channel) as entries of
one Redis stream.  One ``presswatch writer`` process reads the stream as
the only member of a consumer group (``apply_stream``) and applies every
message (storage.relay.applier) with the same writer code as a local
crawl, exactly once: a message and the note that it was applied commit
together, and only then is it acknowledged.  So a writer killed mid-stream
re-reads what it had not acknowledged, and a message delivered twice
changes nothing.

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
from typing import Any

import redis
from redis.exceptions import RedisError

from ..contract.errors import MessageRejected, RelayError
from ..contract.messages import MAX_NAME, read_entry
from ..contract.outcomes import MessageKind, RelayedMessage
from ..contract.signing import job_key, same, sign_assignment, sign_reply
from ..write.writer import ArchiveWriter
from .keys import (
    CONSUMER,
    GROUP,
    KEEP_SECONDS,
    OUTCOME_STREAM,
    REJECTED,
    assignment_key,
    redis_client,
    reply_key,
    result_key,
    safe_url,
)

logger = logging.getLogger(__name__)

KEEP_REJECTED = 10_000  # entries of presswatch:rejected kept, about: a flood cannot fill Redis
KEEP_BODY = 64 * 1024  # of a rejected body, enough to see what it was
# Errors of the data a message holds, not of the archive's file: the message is rejected.
DATA_ERRORS = (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError, sqlite3.DataError)


def apply_stream(
    url: str,
    writer: ArchiveWriter,
    relay_key: bytes,
    *,
    max_bytes: int,
    stop: Callable[[], bool] = lambda: False,
    batch: int = 500,
    block_ms: int = 1000,
) -> int:
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
            raise RelayError(f"cannot use Redis at {safe_url(url)}: {error}") from None
    except RedisError as error:
        raise RelayError(f"cannot reach Redis at {safe_url(url)}: {error}") from None
    batches = _Batches(client, writer, relay_key, max_bytes)
    applied = 0
    cursor = "0"  # our own pending entries first
    while not stop():
        try:
            response = client.xreadgroup(
                GROUP, CONSUMER, {OUTCOME_STREAM: cursor}, count=batch, block=None if cursor == "0" else block_ms
            )
        except RedisError as error:
            logger.error("cannot read from Redis at %s: %s; retrying", safe_url(url), error)
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
        self.applier = writer.relay_applier()
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
                repeated = message.seq <= self.applier.applied_seq(message.token)
                answer = self.applier.apply(message)  # a repeated one only answered again
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
                    rejected.append(
                        (
                            entry_id,
                            fields,
                            f"repeated: message {message.seq} of job {message.token} was applied already",
                        )
                    )
        self.writer.commit()
        self._publish(entries, answers, rejected)
        return len(entries) - len(rejected)

    def _check_assignment(self, message: RelayedMessage) -> None:
        """A job begins the crawl the dispatcher scheduled it for, of the site as its profile was sent."""
        record: dict[bytes, bytes] = self.client.hgetall(assignment_key(message.token))  # type: ignore[assignment]
        text = record.get(b"site", b"").decode("utf-8", "replace")
        if not text or not same(
            record.get(b"sig", b"").decode("ascii", "replace"), sign_assignment(self.relay_key, message.token, text)
        ):
            raise MessageRejected(
                f"no dispatch of job {message.token} is recorded in Redis ({assignment_key(message.token)}): "
                "the writer begins only the crawls `presswatch dispatch` scheduled"
            )
        if json.loads(text) != message.body["site"]:
            raise MessageRejected(
                f"job {message.token} began site {message.site!r} otherwise than it was dispatched: "
                "a job may not rename a site or change its base_url"
            )

    @staticmethod
    def _rejected(entry_id: bytes, fields: dict[bytes, bytes], reason: str) -> tuple[bytes, dict[bytes, bytes], str]:
        said = {
            name.decode("utf-8", "replace"): fields.get(name, b"")[:80].decode("utf-8", "replace")
            for name in (b"token", b"site", b"seq", b"kind")
        }
        logger.error(
            "rejected stream entry %s (job %r, site %r, seq %r): %s; kept in %s",
            entry_id.decode(),
            said["token"],
            said["site"],
            said["seq"],
            reason,
            REJECTED,
        )
        return entry_id, fields, reason

    def _publish(
        self,
        entries: list[tuple[bytes, dict[bytes, bytes]]],
        answers: list[tuple[RelayedMessage, dict[str, Any]]],
        rejected: list[tuple[bytes, dict[bytes, bytes], str]],
    ) -> None:
        pipe = self.client.pipeline(transaction=False)
        for message, answer in answers:
            key = job_key(self.relay_key, message.token, message.site)
            payload = json.dumps(answer)
            if message.kind == MessageKind.BEGIN:
                reply = reply_key(message.token, message.site)
                pipe.delete(reply)  # an answer to a begin delivered twice is given once
                pipe.rpush(
                    reply,
                    json.dumps(
                        {"answer": payload, "sig": sign_reply(key, "reply", message.token, message.site, payload)}
                    ),
                )
                pipe.expire(reply, KEEP_SECONDS)
            else:
                signed = json.dumps(
                    {"answer": payload, "sig": sign_reply(key, "result", message.token, message.site, payload)}
                )
                pipe.hset(result_key(message.token), "crawls", signed)
                pipe.expire(result_key(message.token), KEEP_SECONDS)
        for entry_id, fields, reason in rejected:
            body = fields.get(b"body", b"")
            kept = {
                name: value[:MAX_NAME] for name, value in fields.items() if name in (b"token", b"site", b"seq", b"kind")
            }
            pipe.xadd(
                REJECTED,
                {
                    **kept,  # type: ignore[dict-item]
                    "reason": reason,
                    "entry": entry_id,
                    "body": body[:KEEP_BODY],
                    "body_bytes": len(body),
                },
                maxlen=KEEP_REJECTED,
                approximate=True,
            )
        ids = [entry_id for entry_id, _ in entries]
        pipe.xack(OUTCOME_STREAM, GROUP, *ids)
        pipe.xdel(OUTCOME_STREAM, *ids)
        pipe.execute()
