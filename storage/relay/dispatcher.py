"""The dispatcher's side of the relay: the site (and profile record) each
job is scheduled for, the job's own key, the results of jobs, and jobs
given up for dead (crawler.scaleout.dispatch runs them)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from redis.exceptions import RedisError

from ..contract.errors import RelayError
from ..contract.outcomes import ENDED_SEQ, MessageKind, RelayedMessage
from ..contract.records import Site
from ..contract.signing import job_key, sign_assignment
from .keys import KEEP_SECONDS, OUTCOME_STREAM, assignment_key, redis_client, result_key, safe_url, signed_answer


class Dispatcher:
    """The dispatcher's side: jobs' sites, results of jobs, and jobs given up for dead."""

    def __init__(self, url: str, relay_key: bytes):
        self.url = url
        self.relay_key = relay_key
        self.redis = redis_client(url)
        try:
            self.redis.ping()
        except RedisError as error:
            raise RelayError(f"cannot reach Redis at {safe_url(url)}: {error}") from None

    def assign(self, token: str, site: Site) -> str:
        """Record, for the writer, the site (and its profile's record) a job
        is scheduled for; the job's key (hex), to hand the job alone."""
        record = json.dumps(asdict(site), sort_keys=True)
        key = assignment_key(token)
        try:
            self.redis.hset(key, mapping={"site": record, "sig": sign_assignment(self.relay_key, token, record)})
            self.redis.expire(key, KEEP_SECONDS)
        except RedisError as error:
            raise RelayError(f"cannot write to Redis at {safe_url(self.url)}: {error}") from None
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
        crawls: dict[str, dict[str, Any]] | None = signed_answer(
            value, job_key(self.relay_key, token, site_id), "result", token, site_id
        )  # type: ignore[arg-type]
        return crawls

    def backlog(self) -> int:
        """Messages the writer has not applied yet."""
        try:
            groups = self.redis.xinfo_groups(OUTCOME_STREAM)
        except RedisError:
            return 0
        return sum(int(group.get("lag") or 0) + int(group.get("pending") or 0) for group in groups)  # type: ignore[union-attr]
