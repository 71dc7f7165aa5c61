"""Crawl jobs on real Scrapyd nodes, outcomes through a real Redis, one
`presswatch writer`: the archive is the one a single machine builds.

Heavy (three Scrapyd nodes, dozens of crawl processes): `make test-scaleout`
runs this module; `make test` leaves it out.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.services import RedisServer, ScrapydNode, Writer, deploy, nodes_toml, relay_key_file
from crawler.demo.server import Board, serve_in_thread

from .helpers import ROOT, release, spacing_problem
from .test_many_boards import write_profile

pytestmark = pytest.mark.scaleout

DELAY = 0.4  # seconds between requests to one host: short, but well above timer noise on a busy machine
ENV = {
    "PRESSWATCH_DOWNLOAD_DELAY": str(DELAY),
    "PRESSWATCH_AUTOTHROTTLE": "0",
    "PRESSWATCH_CONCURRENCY": "1",
    "PRESSWATCH_RETRY_TIMES": "1",
    "PRESSWATCH_RETRY_BACKOFF": "0.05",
    "PRESSWATCH_DOWNLOAD_TIMEOUT": "5",
    "PRESSWATCH_BUILTIN_SITES": "0",
    "COLUMNS": "200",
}


class Cluster:
    def __init__(self, base: Path):
        self.base = base
        self.redis = RedisServer(base / "redis").start()
        self.nodes = [ScrapydNode(base / f"node{n}", f"node{n}", env=ENV).start() for n in (1, 2, 3)]
        self.deployed = deploy(self.nodes, base / "config")
        self.key_file = relay_key_file(base / "keys")  # the writer's and the dispatcher's; the nodes get job keys
        self.nodes_file = nodes_toml(base / "nodes.toml", self.nodes, self.redis.url, self.key_file)

    def stop(self) -> None:
        for service in (*self.nodes, self.redis):
            service.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("cluster"))
    yield cluster
    cluster.stop()


@pytest.fixture
def writer(cluster, tmp_path):
    writer = Writer(tmp_path, cluster.redis.url, tmp_path / "archive.db", cluster.key_file).start()
    yield writer
    writer.stop()


class Boards:
    """Local board servers ("hosts"), and site profiles spread over them."""

    def __init__(self, folder: Path, hosts: int, sites: int, releases: int = 6):
        self.boards = [
            Board(
                {
                    "releases": [release(7000 + 10 * h + i, days_ago=i + 1) for i in range(releases)],
                    "cookie_dance": False,
                    "validators": True,
                }
            )
            for h in range(hosts)
        ]
        self.servers = [serve_in_thread(board) for board in self.boards]
        self.sites = folder / "sites"
        self.sites.mkdir()
        self.names = [f"b{n:02d}" for n in range(sites)]
        for n, name in enumerate(self.names):
            write_profile(self.sites, name, self.servers[n % hosts].base_url)

    def env(self) -> dict[str, str]:
        return {**os.environ, **ENV, "PRESSWATCH_SITES_DIR": str(self.sites)}

    def edit(self) -> None:
        """On every board: one release edited, one removed, one new."""
        for number, board in enumerate(self.boards):
            releases = board.state["releases"]
            releases[1]["paragraphs"] = [*releases[1]["paragraphs"], "3. A sentence added later."]
            releases.pop(2)
            releases.insert(0, release(7500 + number, days_ago=0))
            board.replace({**board.state, "releases": releases})

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


@pytest.fixture
def boards(tmp_path):
    made = []

    def make(hosts: int, sites: int, releases: int = 6) -> Boards:
        made.append(Boards(tmp_path, hosts, sites, releases))
        return made[-1]

    yield make
    for board in made:
        board.close()


def dispatch_command(cluster: Cluster, *extra: str, nodes_file: Path | None = None) -> list[str]:
    return [
        sys.executable,
        "-m",
        "crawler",
        "dispatch",
        "--all",
        "--nodes",
        str(nodes_file or cluster.nodes_file),
        "--redis",
        cluster.redis.url,
        "--poll",
        "0.3",
        "--node-grace",
        "2",
        *extra,
    ]


def dispatch(cluster: Cluster, boards: Boards, *extra: str, nodes_file: Path | None = None):
    return subprocess.run(
        dispatch_command(cluster, *extra, nodes_file=nodes_file),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=boards.env(),
    )


def start_dispatch(cluster: Cluster, boards: Boards) -> subprocess.Popen:
    return subprocess.Popen(
        dispatch_command(cluster), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=boards.env()
    )


def crawl_here(boards: Boards, db: Path, *extra: str):
    return subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--all", "--db", str(db), *extra],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=boards.env(),
    )


def archived(db: Path) -> dict[str, list[tuple]]:
    """What a reader sees, without the times and ids that differ between runs."""
    with sqlite3.connect(db) as conn:
        return {
            "releases": conn.execute(
                "SELECT site_id, key, url, status, version_count, listed_title FROM releases ORDER BY 1, 2"
            ).fetchall(),
            "versions": conn.execute(
                "SELECT r.site_id, r.key, v.version, v.title, v.published, v.body, v.attachments, v.content_hash, "
                "v.changed, v.diff FROM versions v JOIN releases r ON r.id = v.release_id ORDER BY 1, 2, 3"
            ).fetchall(),
            "events": conn.execute(
                "SELECT site_id, key, event, message FROM change_log WHERE event NOT IN ('site_failing', 'site_recovered') "
                "ORDER BY 1, 2, 3, 4"
            ).fetchall(),
        }


def summaries(stdout: str) -> list[str]:
    return [re.sub(r"requests \d+, ", "", line) for line in stdout.splitlines()]


def crawl_rows(db: Path) -> list[tuple]:
    """Each crawl's counts, and the fetch rows of each release: an outcome
    applied twice would show in both."""
    with sqlite3.connect(db) as conn:
        return (
            conn.execute(
                "SELECT site_id, status, new, changed, removed, errors FROM crawls ORDER BY site_id, id"
            ).fetchall()
            + conn.execute(
                "SELECT r.site_id, r.key, f.outcome, count(*) FROM fetches f JOIN releases r ON r.id = f.release_id "
                "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
            ).fetchall()
        )


def wait_until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_nodes_deployed_from_scrapy_cfg(cluster):
    assert cluster.deployed.returncode == 0, cluster.deployed.stderr
    for node in cluster.nodes:
        assert node.api("listprojects")["projects"] == ["presswatch"]
        assert "presswatch" in node.api("listspiders", project="presswatch")["spiders"]


def test_thirty_boards_on_three_nodes_build_the_single_machine_archive(cluster, writer, boards, tmp_path):
    """30 boards on 10 hosts, a routine run then --full after edits: the
    archive equals what `presswatch crawl --all` builds on one machine."""
    here = boards(hosts=10, sites=30)
    blocked = here.boards[0].state["releases"][3]["seq"]
    here.boards[0].replace(
        {**here.boards[0].state, "robots": f"User-agent: *\nDisallow: /eng/brd/m_5676/view.do?seq={blocked}\n"}
    )
    reference = tmp_path / "reference.db"

    first = dispatch(cluster, here)
    assert first.returncode == 0, first.stdout + first.stderr
    lines = first.stdout.splitlines()
    assert len(lines) == 30 and all(": finished:" in line for line in lines), first.stdout
    for board in here.boards:
        log = [entry for entry in board.log if not entry["path"].startswith("/_")]
        # Three sites of this host, crawled on three nodes: one request per delay.
        assert len(log) > 20
        assert spacing_problem([entry["at"] for entry in log], DELAY) is None
        assert any(entry["path"] == "/robots.txt" for entry in log)
        assert not any(f"seq={blocked}" in entry["path"] for entry in log)
    alone = crawl_here(here, reference)
    # The same summary per site; each job asks for its host's robots.txt itself.
    assert alone.returncode == 0 and summaries(alone.stdout) == summaries(first.stdout)

    here.edit()
    second = dispatch(cluster, here, "--full")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "b01: finished: requests 10, new 1, changed 1, unchanged 4, removed 1, errors 0" in second.stdout
    alone = crawl_here(here, reference, "--full")
    assert alone.returncode == 0 and summaries(alone.stdout) == summaries(second.stdout)

    writer.stop()  # everything applied and committed
    assert archived(writer.db) == archived(reference)
    assert crawl_rows(writer.db) == crawl_rows(reference)
    # The jobs never opened an archive of their own on the nodes.
    assert not [path for node in cluster.nodes for path in node.folder.rglob("archive.db*")]
    with sqlite3.connect(writer.db) as conn:
        assert conn.execute("SELECT count(*) FROM relayed_jobs").fetchone() == (60,)
        assert conn.execute("SELECT count(*) FROM crawls WHERE status != 'finished'").fetchone() == (0,)


def test_a_node_killed_mid_job_is_completed_by_the_next_dispatch(cluster, writer, boards, tmp_path):
    here = boards(hosts=3, sites=6, releases=25)
    victim = cluster.nodes[0]
    running = start_dispatch(cluster, here)
    # Kill the node once its jobs are well into their crawls.
    wait_until(lambda: sum("view.do" in e["path"] for b in here.boards for e in b.log) >= 40)
    victim.kill()
    out, err = running.communicate(timeout=120)
    assert running.returncode == 1, out + err
    interrupted = [line for line in out.splitlines() if ": interrupted:" in line]
    assert len(interrupted) == 2 and all("node node1" in line for line in interrupted), out
    assert sum(": finished:" in line for line in out.splitlines()) == 4, out
    with sqlite3.connect(writer.db) as conn:
        assert conn.execute("SELECT count(*) FROM crawls WHERE status = 'interrupted'").fetchone() == (2,)

    victim.start()
    again = dispatch(cluster, here)
    assert again.returncode == 0, again.stdout + again.stderr
    reference = tmp_path / "reference.db"
    assert crawl_here(here, reference).returncode == 0
    writer.stop()
    assert archived(writer.db) == archived(reference)  # every release once, nothing removed


def test_writer_killed_and_redis_restarted_mid_run_lose_and_duplicate_nothing(cluster, writer, boards, tmp_path):
    here = boards(hosts=3, sites=9, releases=12)
    running = start_dispatch(cluster, here)
    wait_until(lambda: sum("view.do" in e["path"] for b in here.boards for e in b.log) >= 20)
    writer.kill()  # mid-stream: read, perhaps applied, not acknowledged
    time.sleep(1)
    cluster.redis.kill()  # with everything pushed so far in its append-only file
    time.sleep(0.5)
    cluster.redis.start()
    writer.start()
    out, err = running.communicate(timeout=180)
    assert running.returncode == 0, out + err
    reference = tmp_path / "reference.db"
    assert crawl_here(here, reference).returncode == 0
    writer.stop()
    assert archived(writer.db) == archived(reference)
    assert crawl_rows(writer.db) == crawl_rows(reference)


def test_a_job_that_cannot_reach_redis_fails_loudly_and_applies_nothing(cluster, writer, boards, tmp_path):
    here = boards(hosts=1, sites=2)
    unreachable = nodes_toml(tmp_path / "nodes.toml", cluster.nodes, "redis://127.0.0.1:1/0", cluster.key_file)
    result = dispatch(cluster, here, nodes_file=unreachable)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(
        ": failed:" in line and "— the job on node" in line and "ended without reaching the archive's writer" in line
        for line in lines
    ), result.stdout
    job = lines[0].rsplit("/", 1)[1].removesuffix(".log")
    node = next(node for node in cluster.nodes if f"node {node.name} " in lines[0])
    assert "cannot reach Redis at redis://127.0.0.1:1/0" in node.job_log(job)
    writer.stop()
    with sqlite3.connect(writer.db) as conn:
        assert conn.execute("SELECT count(*) FROM crawls").fetchone() == (0,)
    assert not [entry for board in here.boards for entry in board.log]  # nothing fetched that could not be archived
