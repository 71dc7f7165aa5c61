"""A crawl killed at any moment leaves an archive the next run completes."""

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from .helpers import FAST_ENV, ROOT, release, start_and_kill


@pytest.mark.parametrize("after_pages", [0, 1, 4, 9, 15])
def test_sigkill_mid_crawl_loses_nothing_and_the_next_run_completes(board, db, after_pages):
    # 3 s a page: some in flight, some written, and the crawl cannot end
    # before the kill however busy the machine (at 0.4 s a loaded CI run could).
    board.set({"releases": [release(700 - i, days_ago=i + 1, delay=3.0) for i in range(16)]})
    command = [sys.executable, "-m", "crawler", "crawl", "mofa_en", "--db", db, "--base-url", board.url]
    env = {**os.environ, **FAST_ENV, "PRESSWATCH_CONCURRENCY": "2"}
    start_and_kill(command, board, after_pages)
    board.set({"releases": [release(700 - i, days_ago=i + 1) for i in range(16)]})  # the same releases, fast

    if os.path.exists(db):
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            committed = dict(
                conn.execute(
                    "SELECT r.key, count(*) FROM versions v JOIN releases r ON r.id = v.release_id GROUP BY r.key"
                )
            )
        assert set(committed.values()) <= {1}

    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        versions = conn.execute(
            "SELECT r.key, count(*), max(v.version) FROM releases r JOIN versions v ON v.release_id = r.id GROUP BY r.key"
        ).fetchall()
        statuses = [row[0] for row in conn.execute("SELECT status FROM crawls ORDER BY id")]
    assert len(versions) == 16
    assert all(count == 1 and top == 1 for _, count, top in versions)
    assert statuses[-1] == "finished"
    # The killed run: interrupted, or finished when the kill came as it was exiting.
    assert set(statuses[:-1]) <= {"interrupted", "finished"}


def test_what_a_stalled_crawl_archived_is_committed_within_seconds(board, db):
    # Two pages answer at once, two hang: the writer batches its commits, and
    # the pages it applied must not wait for the next page to become durable.
    board.set(
        {
            "releases": [
                release(800, days_ago=1),
                release(799, days_ago=2),
                release(798, days_ago=3, delay=30),
                release(797, days_ago=4, delay=30),
            ]
        }
    )
    command = [sys.executable, "-m", "crawler", "crawl", "mofa_en", "--db", db, "--base-url", board.url]
    env = {**os.environ, **FAST_ENV}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20  # generous on a loaded machine: it returns as soon as they are
        committed = 0
        while committed < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                    committed = conn.execute("SELECT count(*) FROM versions").fetchone()[0]
            except sqlite3.OperationalError:  # not created, or not migrated yet
                pass
        assert committed == 2
        assert process.poll() is None  # still waiting for the two slow pages
    finally:
        process.kill()
        process.wait()
