"""The rolling sweep: old releases rechecked a share at a time, on a moved clock."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from .helpers import FAST_ENV, ROOT, crawl_board, release, run_presswatch

T0 = datetime.now(UTC).replace(microsecond=0)


def at(days: float) -> dict[str, str]:
    return {"PRESSWATCH_NOW": (T0 + timedelta(days=days)).isoformat()}


def crawl_at(board, db, days: float, *extra: str):
    return run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url, *extra, env=at(days))


def swept_keys(board) -> set[str]:
    return {path.rsplit("=", 1)[1] for path in board.paths("view.do")}


def test_every_old_release_is_rechecked_within_the_sweep_days(board, db):
    state = board.state()
    state["releases"] = [release(800 - i, days_ago=40 + i) for i in range(12)]  # all outside the window
    board.set(state)
    assert crawl_at(board, db, 0).returncode == 0
    state = board.state()
    state["releases"][9]["paragraphs"][1] = "2. The two sides quietly agreed on something else."
    state["releases"][4]["status"] = 404  # and one old release quietly withdrawn
    board.set(state)  # also clears the request log

    seen: list[set[str]] = []
    changed = removed = 0
    for day in (1, 2, 3):
        result = crawl_at(board, db, day, "--sweep-days", "3")
        assert result.returncode == 0, result.stderr
        # one day between runs, 12 releases, every one within 3 days: 4 a run
        assert result.stdout.rstrip().endswith("; swept 4 of 12")
        changed += int(re.search(r"changed (\d+)", result.stdout).group(1))
        removed += int(re.search(r"removed (\d+)", result.stdout).group(1))
        seen.append(swept_keys(board))
        board.set(board.state())
    assert (changed, removed) == (1, 1)  # the quiet edit and the withdrawal were found
    assert [len(keys) for keys in seen] == [4, 4, 4]
    assert set().union(*seen) == {str(800 - i) for i in range(12)}  # each once, oldest check first
    # Conditional GETs and nothing else: list page 1 (the early stop), no other list pages.
    sites = json.loads(run_presswatch("sites", "--db", db, "--json", "--sweep-days", "3", env=at(3)).stdout)
    (mofa,) = [site for site in sites if site["id"] == "mofa_en"]
    assert mofa["releases"] == 12 and mofa["due"] == 0
    assert mofa["oldest_check"].startswith((T0 + timedelta(days=1)).date().isoformat())
    assert mofa["oldest_check_age"] == "2.0 d"  # the clock says day 3


def test_the_share_follows_the_time_between_runs(board, db):
    state = board.state()
    state["releases"] = [release(900 - i, days_ago=40 + i) for i in range(24)]
    board.set(state)
    crawl_board(board, db)  # now: the first run
    # Runs 6 hours apart for 3-day coverage: ⌈24 × 6 h / 72 h⌉ = 2 a run.
    for hours in (6, 12, 18):
        result = crawl_at(board, db, hours / 24, "--sweep-days", "3")
    assert result.stdout.rstrip().endswith("; swept 2 of 24")


def test_a_killed_sweep_resumes_where_it_stopped(board, db):
    # Pages answer 0.3 s apart, so a kill lands with the sweep half done.
    board.set({"releases": [release(850 - i, days_ago=40 + i, delay=0.3 * (i % 6)) for i in range(12)]})
    assert crawl_at(board, db, 0).returncode == 0
    board.set(board.state())
    # A day later, a 2-day sweep (6 releases a run), killed once it has rechecked one.
    day = at(1)["PRESSWATCH_NOW"]
    command = [
        sys.executable,
        "-m",
        "crawler",
        "crawl",
        "mofa_en",
        "--db",
        db,
        "--base-url",
        board.url,
        "--sweep-days",
        "2",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **FAST_ENV, **at(1)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.time() + 30
    while not rechecked(db, day) and time.time() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    checked = rechecked(db, day)
    assert 1 <= len(checked) < 6  # killed mid-sweep
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    board.set(board.state())
    result = crawl_at(board, db, 1.01, "--sweep-days", "2")
    assert result.returncode == 0 and result.stdout.rstrip().endswith("; swept 6 of 12")
    assert swept_keys(board).isdisjoint(checked)  # it goes on with the ones still unchecked


def rechecked(db: str, since: str) -> set[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {key for (key,) in conn.execute("SELECT key FROM releases WHERE last_checked >= ?", [since])}


def test_sweep_days_inf_is_a_crawl_without_the_sweep(crawl):
    assert crawl().returncode == 0
    result = crawl("--sweep-days", "inf")  # the weekly --full users' cron line
    assert result.returncode == 0, result.stderr
    assert "swept 0" in result.stdout or "swept" not in result.stdout, result.stdout
