"""Crawl jobs on 1, 2 and 3 Scrapyd nodes, one writer: boards per hour on a
politeness-bound workload, and the writer's throughput.

Every board is on a host of its own (a local board server answering release
pages after a server-side latency) and crawled with a politeness delay, so
a job spends its time waiting for its host, not computing; what a node adds
is job slots (Scrapyd's max_proc).  All nodes run on this machine, so they
share its cores: the workload keeps the CPU well below them.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from crawler.demo.server import Board, serve_in_thread
from storage import (
    ENDED_SEQ,
    OUTCOME_STREAM,
    Content,
    Dispatcher,
    FetchKind,
    FetchOutcome,
    MessageKind,
    Observation,
    RelayedMessage,
    Site,
    load_key,
    redis_client,
)

from .many import write_profiles
from .measure import ROOT
from .services import RedisServer, ScrapydNode, Writer, deploy, nodes_toml, relay_key_file

SLOTS = 2  # jobs at a time per node (Scrapyd max_proc)


@dataclass
class NodesRun:
    nodes: int
    boards: int
    seconds: float
    finished: int
    messages: int  # outcomes and begin/finish messages the jobs sent

    @property
    def boards_per_hour(self) -> float:
        return self.boards * 3600 / self.seconds


@dataclass
class ScaleOut:
    runs: list[NodesRun]
    releases: int
    delay: float
    latency: float
    writer_messages: int
    writer_seconds: float

    @property
    def writer_rate(self) -> float:
        return self.writer_messages / self.writer_seconds

    @property
    def speedup(self) -> float:
        return self.runs[-1].boards_per_hour / self.runs[0].boards_per_hour


def _boards(count: int, releases: int, latency: float) -> list:
    servers = []
    for number in range(count):
        state = {
            "releases": [
                {
                    "seq": 9000 + i,
                    "title": f"Release {number}-{i} on cooperation",
                    "days_ago": i + 1,
                    "hits": 1,
                    "delay": latency,
                    "paragraphs": [f"Paragraph one of {number}-{i}.", "Paragraph two."],
                }
                for i in range(releases)
            ],
            "cookie_dance": False,
            "validators": True,
            "log": False,
        }
        servers.append(serve_in_thread(Board(state)))
    return servers


def _dispatch(nodes_file: Path, sites: Path, env: dict, redis_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler",
            "dispatch",
            "--all",
            "--nodes",
            str(nodes_file),
            "--redis",
            redis_url,
            "--poll",
            "0.2",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=3600,
        env={**os.environ, **env, "PRESSWATCH_SITES_DIR": str(sites)},
    )


def writer_throughput(redis_url: str, workdir: Path, pages: int, key_file: Path) -> tuple[int, float]:
    """Messages per second `presswatch writer` applies: ``pages`` release
    pages of 25 KB from 20 jobs, queued before it starts, each signed and
    checked as a dispatched job's."""
    client = redis_client(redis_url)
    client.flushdb()
    dispatcher = Dispatcher(redis_url, load_key(key_file))
    raw = ("<p>" + "A paragraph of a press release, as long as a real one is. " * 8 + "</p>\n") * 50
    jobs = 20
    messages = 0
    pipe = client.pipeline(transaction=False)
    for job in range(jobs):
        site = Site(f"w{job:02d}", "Writer benchmark", base_url="http://127.0.0.1:1")
        bodies: list[tuple[MessageKind, dict]] = [(MessageKind.BEGIN, {"site": asdict(site)})]
        for n in range(pages // jobs):
            content = Content(
                f"Release {job}-{n}", "2026-11-01", "\n\n".join(f"Paragraph {p} of {n}." for p in range(12))
            )
            bodies.append(
                (
                    MessageKind.PAGE,
                    FetchOutcome(
                        site.id,
                        str(n),
                        FetchKind.PAGE,
                        Observation(url=f"http://127.0.0.1:1/view?seq={n}", http_status=200),
                        content,
                        raw.encode(),
                    ).to_dict(),
                )
            )
        bodies.append(
            (
                MessageKind.FINISH,
                {
                    "site_id": site.id,
                    "requests": pages // jobs,
                    "list_complete": True,
                    "failures": [],
                    "list_cycle": None,
                },
            )
        )
        key = bytes.fromhex(dispatcher.assign(f"bench-{job}", site))
        for seq, (kind, body) in enumerate(bodies, 1):
            pipe.xadd(OUTCOME_STREAM, RelayedMessage(f"bench-{job}", seq, kind, body).signed(key))  # type: ignore[arg-type]
            messages += 1
    pipe.execute()
    writer = Writer(workdir, redis_url, workdir / "writer-bench.db", key_file)
    start = time.monotonic()
    writer.start()
    while client.xlen(OUTCOME_STREAM):
        time.sleep(0.05)
    seconds = time.monotonic() - start
    writer.stop()
    return messages, seconds


def benchmark(
    boards: int, releases: int, delay: float, latency: float, workdir: Path, writer_pages: int = 5000
) -> ScaleOut:
    env = {
        "PRESSWATCH_DOWNLOAD_DELAY": str(delay),
        "PRESSWATCH_AUTOTHROTTLE": "0",
        "PRESSWATCH_CONCURRENCY": "1",
        "PRESSWATCH_BUILTIN_SITES": "0",
    }
    base = workdir / "scaleout"
    servers = _boards(boards, releases, latency)
    runs = []
    try:
        with RedisServer(base / "redis") as redis:
            key_file = relay_key_file(base)
            nodes = [ScrapydNode(base / f"node{n}", f"node{n}", max_proc=SLOTS, env=env).start() for n in (1, 2, 3)]
            try:
                deployed = deploy(nodes, base / "config")
                if deployed.returncode != 0:
                    raise RuntimeError(f"scrapyd-deploy failed: {deployed.stderr[-2000:]}")
                sites = base / "sites"
                write_profiles(sites, [server.base_url for server in servers], len(servers))  # a host each
                for count in (1, 2, 3):
                    redis_client(redis.url).flushdb()
                    writer = Writer(base, redis.url, base / f"nodes-{count}.db", key_file).start()
                    nodes_file = nodes_toml(base / f"nodes-{count}.toml", nodes[:count], redis.url, key_file)
                    start = time.monotonic()
                    result = _dispatch(nodes_file, sites, env, redis.url)
                    seconds = time.monotonic() - start
                    writer.stop()
                    sent = _messages_sent(base / f"nodes-{count}.db")
                    runs.append(NodesRun(count, boards, seconds, result.stdout.count(": finished:"), sent))
                messages, writer_seconds = writer_throughput(redis.url, base, writer_pages, key_file)
            finally:
                for node in nodes:
                    node.stop()
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    return ScaleOut(runs, releases, delay, latency, messages, writer_seconds)


def _messages_sent(db: Path) -> int:
    """The messages the jobs sent that the writer applied.  A job the
    dispatcher saw end before the writer had published its result is closed
    by an end-of-job message whose number outranks all others (ENDED_SEQ): its
    own count is lost, so the sum leaves it out (a lower bound)."""
    with sqlite3.connect(db) as conn:
        query = "SELECT coalesce(sum(applied_seq), 0) FROM relayed_jobs WHERE applied_seq < ?"
        return int(conn.execute(query, [ENDED_SEQ]).fetchone()[0])


def table(result: ScaleOut) -> list[str]:
    lines = [
        "| nodes | job slots | boards | finished | wall s | boards per hour | × one node | messages / s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    one = result.runs[0].boards_per_hour
    for run in result.runs:
        lines.append(
            f"| {run.nodes} | {run.nodes * SLOTS} | {run.boards} | {run.finished} | {run.seconds:.1f} | "
            f"{run.boards_per_hour:.0f} | {run.boards_per_hour / one:.2f} | {run.messages / run.seconds:.1f} |"
        )
    busiest = max(run.messages / run.seconds for run in result.runs)
    lines += [
        "",
        f"The writer applied {result.writer_messages:,} queued messages (25 KB release pages from 20 jobs) "
        f"in {result.writer_seconds:.1f} s: {result.writer_rate:.0f} messages/s, "
        f"{result.writer_rate / busiest:.0f}× what three nodes sent ({busiest:.1f}/s).",
    ]
    return lines


def problems(result: ScaleOut, target: float | None = 2.5) -> list[str]:
    found = [
        f"{run.nodes} node(s): {run.finished} of {run.boards} boards finished"
        for run in result.runs
        if run.finished != run.boards
    ]
    if target is not None and result.speedup < target:
        found.append(f"3 nodes crawled {result.speedup:.2f}× the boards per hour of one (target ≥ {target})")
    return found
