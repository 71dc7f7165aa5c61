"""Where the relay keeps things in Redis, and the client that reaches them.

The stream of messages to the writer and its consumer group, the replies
to begun crawls, the results the dispatcher waits for and the
assignments it makes: the names every side of the relay shares.
"""

from __future__ import annotations

import json
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from ..contract.signing import same, sign_reply

OUTCOME_STREAM = "presswatch:outcomes"
GROUP = "presswatch-writer"
CONSUMER = "writer"  # one writer per archive: one consumer, whose pending entries survive it
REJECTED = "presswatch:rejected"  # messages the writer could not apply, kept for a person to read
KEEP_SECONDS = 7 * 86400  # how long replies, results and assignments wait to be read


def redis_client(url: str, *, retry_seconds: float = 15, decode: bool = True) -> redis.Redis:
    """A client that rides out a Redis restart: every command is retried
    with backoff for about ``retry_seconds`` before it fails.  ``decode``:
    answers as text (the writer reads bytes: an entry that is not UTF-8
    must be rejected, not fail every read of the stream)."""
    retries = max(1, int(retry_seconds / 1.5))
    return redis.Redis.from_url(
        url,
        decode_responses=decode,
        socket_connect_timeout=5,
        socket_timeout=30,
        health_check_interval=15,
        retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), retries),
    )


def reply_key(token: str, site_id: str) -> str:
    return f"presswatch:reply:{token}:{site_id}"


def result_key(token: str) -> str:
    return f"presswatch:result:{token}"


def assignment_key(token: str) -> str:
    return f"presswatch:job:{token}"


def signed_answer(value: str | bytes, key: bytes, what: str, token: str, site_id: str) -> Any:
    """An answer the writer left in Redis, if it is the writer's (signed with the job's key); else None."""
    try:
        signed = json.loads(value)
        payload, signature = signed["answer"], signed["sig"]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(payload, str) or not same(signature, sign_reply(key, what, token, site_id, payload)):
        return None
    return json.loads(payload)


def safe_url(url: str) -> str:
    """A Redis URL without its password, for messages."""
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url
