"""Many boards in one run: one writer, politeness per host, site health."""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest

from crawler.demo.server import Board, serve_in_thread
from crawler.spiders.health import broken_profile

from .helpers import ROOT, release, run_presswatch, spacing_problem

PROFILE = (ROOT / "crawler" / "sites" / "mofa_en.toml").read_text("utf-8")


def write_profile(folder: Path, site_id: str, base_url: str, **replace: str) -> None:
    text = PROFILE.replace('id = "mofa_en"', f'id = "{site_id}"').replace(
        'base_url = "https://www.mofa.go.kr"', f'base_url = "{base_url}"'
    )
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    (folder / f"{site_id}.toml").write_text(text, "utf-8")


def small_board(releases: int = 3, **state) -> Board:
    return Board(
        {"releases": [release(700 + i, days_ago=i + 1) for i in range(releases)], "cookie_dance": False, **state}
    )


@pytest.fixture
def boards():
    """Start local board servers on demand; stop them after the test."""
    servers = []

    def start(board: Board):
        server = serve_in_thread(board)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def query(db: str, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_many_boards_at_once_into_one_archive(boards, tmp_path, db):
    """Nine boards on three hosts, no delay: every crawl finishes."""
    sites = tmp_path / "sites"
    sites.mkdir()
    servers = [boards(small_board(releases=12)) for _ in range(3)]
    names = []
    for n in range(9):
        names.append(f"board{n}")
        write_profile(sites, f"board{n}", servers[n % 3].base_url)
    result = run_presswatch("crawl", *names, "--db", db, env={"PRESSWATCH_SITES_DIR": str(sites)})
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 9 and all("finished" in line and "new 12," in line for line in lines)
    assert "locked" not in result.stderr
    assert query(db, "SELECT site_id, count(*) FROM releases GROUP BY site_id") == [(name, 12) for name in names]
    assert query(db, "SELECT count(*) FROM versions") == [(9 * 12,)]
    # Each board alone would have archived the same thing: a second run changes nothing.
    again = run_presswatch("crawl", *names, "--db", db, env={"PRESSWATCH_SITES_DIR": str(sites)})
    assert again.returncode == 0 and query(db, "SELECT count(*) FROM versions") == [(9 * 12,)]


def test_boards_on_one_host_share_its_delay_and_its_robots_txt(boards, tmp_path, db):
    sites = tmp_path / "sites"
    sites.mkdir()
    board = small_board()
    server = boards(board)
    for n in range(3):
        write_profile(sites, f"shared{n}", server.base_url)
    delay = 0.25
    result = run_presswatch(
        "crawl",
        "shared0",
        "shared1",
        "shared2",
        "--db",
        db,
        env={
            "PRESSWATCH_SITES_DIR": str(sites),
            "PRESSWATCH_DOWNLOAD_DELAY": str(delay),
            "PRESSWATCH_CONCURRENCY": "1",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    log = board.log
    assert [entry["path"] for entry in log].count("/robots.txt") == 1
    assert len(log) >= 3 * 5
    assert spacing_problem([entry["at"] for entry in log], delay) is None
    # robots.txt counts once, for one site; every request is some site's.
    total = sum(int(line.split("requests ")[1].split(",")[0]) for line in result.stdout.splitlines())
    assert total == len(log)


def test_a_redesign_that_breaks_a_profile_fails_the_site_and_recovers(boards, tmp_path, db):
    sites = tmp_path / "sites"
    sites.mkdir()
    board = small_board()
    server = boards(board)
    # A title selector that only the old layout matches.
    write_profile(
        sites, "fragile", server.base_url, **{'title = ".board_detail h2"': 'title = ".board_detail h2:not(.tit)"'}
    )
    env = {"PRESSWATCH_SITES_DIR": str(sites)}
    assert run_presswatch("crawl", "fragile", "--db", db, env=env).returncode == 0

    board.replace({**board.state, "layout": "new"})
    result = run_presswatch("crawl", "fragile", "--db", db, env=env)
    assert result.returncode == 1
    assert result.stdout == (
        "fragile: failed: requests 6, new 0, changed 0, unchanged 0, removed 0, errors 3 — "
        "title selector '.board_detail h2:not(.tit)' matched none of 3 release pages; "
        "the site may have been redesigned: run presswatch check fragile\n"
    )
    assert query(db, "SELECT count(*) FROM versions") == [(3,)]
    sites_out = run_presswatch("sites", "--db", db, "--json", env=env).stdout
    assert '"status": "failed"' in sites_out and "matched none of 3" in sites_out

    # Still broken: no second "failing" event.
    assert run_presswatch("crawl", "fragile", "--db", db, env=env).returncode == 1
    board.replace({**board.state, "layout": "old"})
    assert run_presswatch("crawl", "fragile", "--db", db, env=env).returncode == 0
    feed = feedparser.parse(run_presswatch("feed", "--site", "fragile", "--db", db).stdout)
    titles = [entry.title for entry in feed.entries if entry.title.startswith("Site")]
    assert titles == ["Site recovered: fragile", "Site failing: fragile"]
    health = run_presswatch("sites", "--db", db, "--json", env=env).stdout
    assert '"status": "finished"' in health and '"releases": 3' in health


def test_one_maintenance_page_among_good_ones_is_not_a_redesign(boards, tmp_path, db):
    sites = tmp_path / "sites"
    sites.mkdir()
    board = small_board(releases=5)
    board.state["releases"][2]["status"] = "maintenance"
    write_profile(sites, "steady", boards(board).base_url)
    result = run_presswatch("crawl", "steady", "--db", db, env={"PRESSWATCH_SITES_DIR": str(sites)})
    assert result.returncode == 0, result.stdout
    assert "new 4, changed 0, unchanged 0, removed 0, errors 1" in result.stdout


class RecordingProxy(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_CONNECT(self):
        self.seen.append(self.path)
        self.send_error(403)

    do_GET = do_CONNECT

    def log_message(self, *args):
        pass


def test_an_offline_first_crawl_asks_no_other_host(boards, tmp_path, db):
    """Nothing but the board is asked, and nothing prints a traceback, on a
    machine whose tldextract cache is empty (every request to any other
    host would go through the recording proxy)."""
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), RecordingProxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    proxy_url = f"http://127.0.0.1:{proxy.server_address[1]}"
    try:
        sites = tmp_path / "sites"
        sites.mkdir()
        # The board's session cookie is what makes Scrapy look up public suffixes.
        write_profile(sites, "offline", boards(small_board(cookie_dance=True)).base_url)
        env = {
            "PRESSWATCH_SITES_DIR": str(sites),
            "HOME": str(tmp_path),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "TLDEXTRACT_CACHE": str(tmp_path / "tld"),
            "http_proxy": proxy_url,
            "https_proxy": proxy_url,
            "HTTP_PROXY": proxy_url,
            "HTTPS_PROXY": proxy_url,
            "no_proxy": "127.0.0.1",
            "NO_PROXY": "127.0.0.1",
        }
        result = run_presswatch("crawl", "offline", "--db", db, env=env)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert RecordingProxy.seen == []


def test_check_fetches_as_the_crawl_does(boards, tmp_path):
    """robots.txt, the per-host delay and the page checks of a crawl."""
    board = small_board(releases=4)
    board.state["releases"][0]["status"] = "truncated"
    server = boards(board)
    sites = tmp_path / "sites"
    sites.mkdir()
    write_profile(sites, "checked", server.base_url)
    env = {"PRESSWATCH_SITES_DIR": str(sites), "PRESSWATCH_DOWNLOAD_DELAY": "0.3"}
    result = run_presswatch("check", "checked", env=env)
    assert result.returncode == 1
    assert "error: page looks truncated (no closing </html>) (HTTP 200)" in result.stdout
    log = board.log
    assert log[0]["path"] == "/robots.txt" and log[0]["user_agent"].startswith("presswatch/")
    assert spacing_problem([entry["at"] for entry in log], 0.3) is None
    ok = run_presswatch("check", "checked", "--url", f"{server.base_url}/eng/brd/m_5676/view.do?seq=701", env=env)
    assert ok.returncode == 0 and "title: Release 701 on bilateral cooperation" in ok.stdout


@pytest.mark.parametrize(
    "failures, answered, broken",
    [
        ({}, 12, False),
        ({("title", ".t"): 1}, 1, False),
        ({("title", ".t"): 2}, 2, True),
        ({("title", ".t"): 6}, 12, False),
        ({("title", ".t"): 7}, 12, True),
        ({("title", ".t"): 4, ("body", ".b"): 4}, 8, False),
    ],
)
def test_a_profile_is_broken_when_most_pages_fail_the_same_way(failures, answered, broken):
    assert (broken_profile("s", Counter(failures), answered) is not None) == broken
