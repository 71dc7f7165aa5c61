"""Helpers the tests share that are not fixtures (those are conftest.py's):
the local board's client, real presswatch runs, the captures as stored.
Tests import them from here, never from conftest.py, which pytest owns."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import urllib.request
import zlib
from pathlib import Path

from storage import Captures

FILES = Path(__file__).parent / "files"
ROOT = Path(__file__).parent.parent

# Fast and quiet for a local server; the polite defaults stay for users.
FAST_ENV = {
    "PRESSWATCH_DOWNLOAD_DELAY": "0",
    "PRESSWATCH_AUTOTHROTTLE": "0",
    "PRESSWATCH_CONCURRENCY": "4",
    "PRESSWATCH_RETRY_TIMES": "1",
    "PRESSWATCH_DOWNLOAD_TIMEOUT": "5",
    "PRESSWATCH_RETRY_BACKOFF": "0.05",
    "COLUMNS": "200",  # tables as wide as a terminal's, with or without one (pytest -n)
}


class BoardClient:
    """Drives the board server: what it serves, and what it was asked."""

    def __init__(self, url: str):
        self.url = url

    def set(self, state: dict) -> dict:
        request = urllib.request.Request(f"{self.url}/_state", data=json.dumps(state).encode(), method="PUT")
        urllib.request.urlopen(request).close()
        return self.state()

    def state(self) -> dict:
        with urllib.request.urlopen(f"{self.url}/_state") as response:
            return json.load(response)

    def log(self) -> list[dict]:
        with urllib.request.urlopen(f"{self.url}/_log") as response:
            return json.load(response)

    def paths(self, fragment: str = "") -> list[str]:
        return [entry["path"] for entry in self.log() if fragment in entry["path"]]


def release(seq: int, days_ago: int = 1, **fields) -> dict:
    """One release for a test board, recent unless told otherwise."""
    return {
        "seq": seq,
        "title": f"Release {seq} on bilateral cooperation",
        "days_ago": days_ago,
        "hits": 10,
        "paragraphs": [
            f"1. Paragraph one of release {seq}, on cooperation.",
            "2. The two sides agreed to meet again next year.",
        ],
        **fields,
    }


def run_presswatch(*args: str, env: dict | None = None, timeout: float = 120):
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **FAST_ENV, **(env or {})},
    )


def spacing_problem(times: list[float], delay: float, window: int = 4) -> str | None:
    """Why requests to one host at these times came closer than ``delay``,
    or None.  The times are a test server's, taken when its thread got to
    each request: on a busy machine one can come late, and the gap after it
    is short by as much as the gap before it is long.  So no two requests
    within half the delay unless the one before came late by as much (the
    two gaps around it span two delays, less 10%), and every ``window``
    gaps in a row span that many delays, less 10% (counted from the
    request before, less a delay, when the first came late)."""
    times = sorted(times)
    window = min(window, len(times) - 1)
    gaps = [later - earlier for earlier, later in zip(times, times[1:])]
    for before, gap in zip([0.0, *gaps], gaps):
        if gap < delay / 2 and before + gap < 2 * delay * 0.9:
            return f"two requests to one host {gap:.3f} s apart"
    span = min(
        max(times[n + window] - times[n], times[n + window] - times[n - 1] - delay if n else 0.0)
        for n in range(len(times) - window)
    )
    if span < window * delay * 0.9:
        return f"{window + 1} requests to one host in {span:.3f} s"
    return None


def crawl_board(board: BoardClient, db: str, *extra: str):
    return run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url, *extra)


HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


def start_and_kill(command: list[str], board: BoardClient, after_pages: int) -> None:
    """Start a crawl and SIGKILL it once the board has begun serving more
    than ``after_pages`` release pages: some in flight, some being written."""
    import signal
    import time

    env = {**os.environ, **FAST_ENV, "PRESSWATCH_CONCURRENCY": "2"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while len(set(board.paths("view.do"))) <= after_pages and time.time() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL


def stored_capture(conn: sqlite3.Connection, version_id: int) -> bytes:
    """The bytes the archive gives back for a version's capture, whatever its form."""
    row = conn.execute(
        "SELECT html_zlib, html_zstd, reference_id FROM raw_pages WHERE version_id = ?", [version_id]
    ).fetchone()
    return Captures(conn).unpack(*row)


def store_as_before_compaction(db: str) -> None:
    """Rewrite an archive's captures in the form presswatch stored before
    0.3 (zlib, no reference), as an upgraded old archive holds them."""
    with sqlite3.connect(db) as conn:
        for version_id in [row[0] for row in conn.execute("SELECT version_id FROM raw_pages")]:
            raw = stored_capture(conn, version_id)
            conn.execute(
                "UPDATE raw_pages SET html_zlib = ?, html_zstd = NULL, reference_id = NULL WHERE version_id = ?",
                [zlib.compress(raw), version_id],
            )
        conn.execute("DELETE FROM capture_references")


def body_blocks(html: str) -> list:
    """The blocks a page made of ``html`` alone reads as, cells apart."""
    from crawler.extract.pages import blocks
    from crawler.extract.parse import page_root

    return blocks(page_root(f"<html><body>{html}</body></html>").find(".//body"), cells=True)
