"""Spread a run's sites over Scrapyd nodes, one job per site, and report
how each site's crawl ended, as `presswatch crawl` does on one machine.

The jobs send what they fetch through Redis to the archive's one writer
(storage.relay); the dispatcher only schedules them (Scrapyd's JSON API,
through scrapyd-client), watches them end, and reads each crawl's result
once the writer has applied it.  A job that ends without finishing its
crawl (its node went down, it could not reach Redis) is reported to the
writer as ended, which marks what it left unfinished interrupted; the next
dispatch completes it, as the next run completes a killed local crawl.
"""

from __future__ import annotations

import logging
import os
import time
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

import requests
from scrapyd_client.exceptions import ErrorResponse, MalformedResponse
from scrapyd_client.pyclient import ScrapydClient

from crawler.origins import origin
from crawler.report import CrawlReport
from crawler.sites.profile import SiteProfile
from storage import Dispatcher, PresswatchError, load_key

logger = logging.getLogger(__name__)

SPIDER = "presswatch"  # crawler/scaleout/job.py
NODE_ERRORS = (requests.RequestException, ErrorResponse, MalformedResponse, KeyError, ValueError)


class NodesError(PresswatchError):
    """nodes.toml is missing, malformed, or no node answers."""


@dataclass
class Node:
    name: str
    url: str
    username: str | None = None
    password: str | None = None
    failing_since: float | None = None  # when it stopped answering

    def client(self) -> ScrapydClient:
        return ScrapydClient(self.url, self.username, self.password)


@dataclass
class Nodes:
    nodes: list[Node]
    redis: str  # as the nodes reach it
    relay_key: bytes  # the writer's too; the nodes get their jobs' keys only (storage.signing)
    project: str = "presswatch"


def load_nodes(path: str | Path) -> Nodes:
    """Read nodes.toml: ``redis = "redis://…"``, ``key_file`` (the relay
    key's file, relative to nodes.toml; else $PRESSWATCH_KEY_FILE), optional
    ``project``, and one ``[[node]]`` table per Scrapyd node (``url``,
    optional ``name``, ``username``, ``password``)."""
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise NodesError(f"{path}: {error}") from None
    tables = data.get("node")
    if not isinstance(tables, list) or not tables:
        raise NodesError(f"{path}: no [[node]] tables")
    nodes = []
    for number, table in enumerate(tables, 1):
        if not isinstance(table, dict) or not str(table.get("url", "")).startswith(("http://", "https://")):
            raise NodesError(f'{path}: node {number} needs url = "http://host:6800"')
        nodes.append(
            Node(
                str(table.get("name") or table["url"]),
                table["url"].rstrip("/"),
                table.get("username"),
                table.get("password"),
            )
        )
    if not str(data.get("redis", "")).startswith(("redis://", "rediss://", "unix://")):
        raise NodesError(f'{path}: needs redis = "redis://host:6379/0" (as the nodes reach it)')
    key_file = data.get("key_file") or os.environ.get("PRESSWATCH_KEY_FILE")
    if not key_file:
        raise NodesError(
            f'{path}: needs key_file = "/etc/presswatch/relay.key", the key `presswatch writer` '
            "holds too (or set PRESSWATCH_KEY_FILE); docs/scale-out.md says how to make one"
        )
    return Nodes(
        nodes, data["redis"], load_key(Path(path).parent / str(key_file)), str(data.get("project", "presswatch"))
    )


def spread(
    profiles: list[SiteProfile], nodes: list[Node], base_url: str | None = None
) -> list[tuple[SiteProfile, Node]]:
    """Sites in turn by host, then round-robin over the nodes: each node gets
    a mix of hosts, so that no node's jobs all wait on one host's delay."""
    by_host: dict[str, list[SiteProfile]] = {}
    for profile in profiles:
        by_host.setdefault(origin(base_url or profile.base_url), []).append(profile)
    interleaved = [profile for row in zip_longest(*by_host.values()) for profile in row if profile is not None]
    return [(profile, nodes[number % len(nodes)]) for number, profile in enumerate(interleaved)]


@dataclass
class Job:
    profile: SiteProfile
    node: Node
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    ended: bool = False  # the writer was told the job is gone
    report: CrawlReport | None = None

    def log_url(self, project: str) -> str:
        return f"{self.node.url}/logs/{project}/{SPIDER}/{self.token}.log"


def job_arguments(
    profile: SiteProfile,
    redis_url: str,
    key: str,
    *,
    full: bool,
    base_url: str | None,
    revisit_days: int | None,
    sweep_days: float | None,
) -> list[tuple[str, str]]:
    """Scrapyd schedule.json arguments for one site's job; ``key``: its own (hex)."""
    source = Path(profile.source)
    if source.is_file():  # the user's own profile: the node gets its text
        arguments = [("profile", source.read_text("utf-8"))]
    else:  # a built-in profile, deployed with presswatch's code
        arguments = [("site", profile.id)]
    arguments.append(("setting", f"PRESSWATCH_REDIS={redis_url}"))
    # A setting, not a spider argument: the job's log (served over HTTP)
    # never shows it.  The node's process list, Scrapyd's own log and its
    # API (pending jobs) do, as they show the Redis password: a key good
    # for this job's site only, while its crawl runs.
    arguments.append(("setting", f"PRESSWATCH_JOB_KEY={key}"))
    if full:
        arguments.append(("full", "1"))
    if base_url:
        arguments.append(("base_url", base_url))
    if revisit_days is not None:
        arguments.append(("revisit_days", str(revisit_days)))
    if sweep_days is not None:
        arguments.append(("sweep_days", str(sweep_days)))
    return arguments


def dispatch(
    profiles: list[SiteProfile],
    nodes: Nodes,
    *,
    redis_url: str | None = None,
    full: bool = False,
    base_url: str | None = None,
    revisit_days: int | None = None,
    sweep_days: float | None = None,
    poll: float = 2.0,
    node_grace: float = 30.0,
    timeout: float | None = None,
    progress: Callable[[str], None] = logger.warning,
) -> list[CrawlReport]:
    """Run one crawl of each site as a Scrapyd job; one report per site, in order."""
    relay = Dispatcher(redis_url or nodes.redis, nodes.relay_key)
    live = [node for node in nodes.nodes if _answers(node, nodes.project, progress)]
    if not live:
        raise NodesError("no Scrapyd node answers (or none has the project deployed: run scrapyd-deploy)")
    jobs = [Job(profile, node) for profile, node in spread(profiles, live, base_url)]
    for job in jobs:
        key = relay.assign(job.token, job.profile.as_site())
        arguments = job_arguments(
            job.profile,
            nodes.redis,
            key,
            full=full,
            base_url=base_url,
            revisit_days=revisit_days,
            sweep_days=sweep_days,
        )
        try:
            job.node.client().schedule(nodes.project, SPIDER, [("jobid", job.token), *arguments])
        except NODE_ERRORS as error:
            job.report = CrawlReport(job.profile.id, "failed", {}, f"node {job.node.name} refused the job: {error}")
    _wait(jobs, relay, nodes.project, poll=poll, node_grace=node_grace, timeout=timeout, progress=progress)
    order = {profile.id: number for number, profile in enumerate(profiles)}
    return [job.report for job in sorted(jobs, key=lambda job: order[job.profile.id]) if job.report]


def _answers(node: Node, project: str, progress: Callable[[str], None]) -> bool:
    try:
        if project in node.client().projects():
            return True
        progress(f"node {node.name} ({node.url}) has no project {project!r}: run scrapyd-deploy; skipped")
    except NODE_ERRORS as error:
        progress(f"node {node.name} ({node.url}) does not answer: {error}; skipped")
    return False


def _wait(
    jobs: list[Job],
    relay: Dispatcher,
    project: str,
    *,
    poll: float,
    node_grace: float,
    timeout: float | None,
    progress: Callable[[str], None],
) -> None:
    started = time.monotonic()
    told = started
    while True:
        waiting = [job for job in jobs if job.report is None]
        if not waiting:
            return
        for job in waiting:
            _read_result(job, relay, project)
        for node in {job.node.name: job.node for job in waiting if not job.ended}.values():
            _watch_node(
                node,
                [job for job in waiting if job.node is node and not job.ended and job.report is None],
                relay,
                project,
                node_grace,
                progress,
            )
        now = time.monotonic()
        if timeout is not None and now - started > timeout:
            for job in jobs:
                if job.report is None:
                    job.report = CrawlReport(
                        job.profile.id, "unknown", {}, f"no result from the archive's writer after {timeout:.0f} s"
                    )
            return
        if now - told > 60:
            told = now
            progress(f"waiting for {len(waiting)} crawl(s); {relay.backlog()} message(s) not yet applied by the writer")
        time.sleep(poll)


def _read_result(job: Job, relay: Dispatcher, project: str) -> None:
    crawls = relay.result(job.token, job.profile.id)
    if crawls is None:
        return
    row = crawls.get(job.profile.id)
    if row is None:  # the job ended before it began the crawl
        job.report = CrawlReport(
            job.profile.id,
            "failed",
            {},
            f"the job on node {job.node.name} ended without "
            f"reaching the archive's writer; its log: {job.log_url(project)}",
        )
    elif row["status"] != "running":
        job.report = CrawlReport.from_crawl(job.profile.id, row)


def _watch_node(
    node: Node, jobs: list[Job], relay: Dispatcher, project: str, grace: float, progress: Callable[[str], None]
) -> None:
    """Tell the writer about jobs that ended (or whose node is gone) without a result."""
    try:
        listing: dict[str, Any] = node.client().jobs(project)
    except NODE_ERRORS as error:
        now = time.monotonic()
        if node.failing_since is None:
            node.failing_since = now
            progress(f"node {node.name} ({node.url}) stopped answering: {error}")
        if now - node.failing_since < grace:
            return
        gone = {job.token for job in jobs}
        message = f"node {node.name} stopped answering during the crawl"
    else:
        node.failing_since = None
        gone = {entry["id"] for entry in listing.get("finished", [])} & {job.token for job in jobs}
        message = f"the crawl job on node {node.name} ended before it finished the crawl"
    for job in jobs:
        if job.token in gone:
            relay.ended(job.token, job.profile.id, message)
            job.ended = True
