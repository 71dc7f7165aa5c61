"""`presswatch backfill` against a real pywb's CDX API, serving WARC files
written here with warcio: the history it builds, a kill and a rerun, the
same archive as `import warc` of the same files."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from bench.services import Pywb

from .helpers import FAST_ENV, ROOT, release, run_presswatch
from .test_import_warc import state
from .warcs import history, write_warc

# A delay between requests to the web archive, as a crawl has: short, but long
# enough for a kill to land half-way.
SLOW = {"PRESSWATCH_DOWNLOAD_DELAY": "0.25"}


@pytest.fixture(scope="module")
def wayback(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wayback")
    warc = write_warc(folder / "ministry-2024.warc.gz", history())
    with Pywb(folder / "pywb", [warc]) as server:
        server.warc = warc
        yield server


def backfill(cdx: str, db: str, *extra: str, env: dict | None = None):
    return run_presswatch("backfill", "mofa_en", "--cdx", cdx, "--db", db, *extra, env=env)


def fetched(output: str) -> int:
    return int(re.search(r"; (\d+) fetched from", output).group(1))


def test_backfill_builds_the_history_import_warc_builds_from_the_same_files(wayback, tmp_path):
    db = str(tmp_path / "backfilled.db")
    result = backfill(wayback.cdx, db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "mofa_en: imported 10 captures (1 changed, 1 error, 2 listed, 3 new, 1 removed, 2 unchanged), 0 held already"
    )
    assert fetched(result.stdout) == 10  # each capture once: the redirect's target and the lists are kept
    imported = str(tmp_path / "imported.db")
    assert run_presswatch("import", "warc", str(wayback.warc), "--site", "mofa_en", "--db", imported).returncode == 0
    ours, theirs = state(db), state(imported)
    assert ours == theirs
    assert [row[:3] for row in ours["versions"]] == [
        ("500", 1, "2024-03-01T00:00:00+00:00"),
        ("500", 2, "2025-06-01T00:00:00+00:00"),
        ("501", 1, "2024-05-01T00:00:00+00:00"),
        ("502", 1, "2024-03-12T00:00:00+00:00"),
    ]
    with sqlite3.connect(db) as conn:
        sources = {row[0] for row in conn.execute("SELECT DISTINCT source FROM imported_captures")}
    assert sources == {wayback.cdx}
    # Once more: nothing is fetched, nothing changes; nor does importing the files over it.
    again = backfill(wayback.cdx, db)
    assert "imported 0 captures (none), 10 held already" in again.stdout and fetched(again.stdout) == 0
    assert run_presswatch("import", "warc", str(wayback.warc), "--site", "mofa_en", "--db", db).returncode == 0
    assert state(db) == ours


def test_a_killed_backfill_rerun_fetches_only_what_it_lacks(wayback, tmp_path):
    whole = str(tmp_path / "whole.db")
    assert backfill(wayback.cdx, whole).returncode == 0
    db = str(tmp_path / "killed.db")
    command = [sys.executable, "-m", "crawler", "backfill", "mofa_en", "--cdx", wayback.cdx, "--db", db]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **FAST_ENV, **SLOW}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    held = 0
    deadline = time.time() + 60
    while held < 4 and time.time() < deadline:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db) as conn:
                held = conn.execute("SELECT count(*) FROM imported_captures").fetchone()[0]
        except sqlite3.OperationalError:  # not created yet
            continue
    process.send_signal(signal.SIGKILL)
    process.wait()
    with sqlite3.connect(db) as conn:
        held = conn.execute("SELECT count(*) FROM imported_captures").fetchone()[0]
    assert 0 < held < 10
    rerun = backfill(wayback.cdx, db)
    assert rerun.returncode == 0, rerun.stderr
    assert f"imported {10 - held} captures" in rerun.stdout and f"{held} held already" in rerun.stdout
    assert fetched(rerun.stdout) == 10 - held
    assert state(db) == state(whole)


def test_a_limited_backfill_goes_on_where_it_stopped(wayback, tmp_path):
    whole = str(tmp_path / "whole.db")
    assert backfill(wayback.cdx, whole).returncode == 0
    db = str(tmp_path / "steps.db")
    first = backfill(wayback.cdx, db, "--limit", "4")
    assert "imported 4 captures (1 listed, 3 new)" in first.stdout
    # the four, the 302's target, and the later list page read first for its titles and dates
    assert fetched(first.stdout) == 6
    second = backfill(wayback.cdx, db)
    assert "imported 6 captures" in second.stdout and "4 held already" in second.stdout
    assert state(db) == state(whole)
    bounded = str(tmp_path / "bounded.db")
    result = backfill(wayback.cdx, bounded, "--since", "2024-09-01", "--until", "2024-12-31")
    with sqlite3.connect(bounded) as conn:
        times = [row[0] for row in conn.execute("SELECT captured_at FROM imported_captures")]
    assert times and all("2024-09-01" <= at < "2025-01-01" for at in times), result.stdout


def test_captures_whose_bytes_the_archive_keeps_are_not_fetched(board, db, tmp_path):
    board.set({"releases": [release(800 - i, days_ago=i + 1) for i in range(3)]})
    assert run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url).returncode == 0
    export = tmp_path / "own.warc.gz"
    assert run_presswatch("export", "warc", "mofa_en", "--db", db, "-o", str(export)).returncode == 0
    before = state(db)["versions"]
    with Pywb(tmp_path / "pywb", [export]) as own:
        result = backfill(own.cdx, db)
    assert result.returncode == 0, result.stderr
    assert fetched(result.stdout) == 0  # SHA-256 digests of captures the archive holds
    assert "imported 3 captures (3 unchanged)" in result.stdout
    assert state(db)["versions"] == before


def test_backfill_errors_are_clear(db, tmp_path):
    result = backfill("http://127.0.0.1:9/press/cdx", db)
    assert result.returncode == 1 and "Error: cannot reach" in result.stderr
    result = backfill("ftp://example.org/cdx", db)
    assert result.returncode == 2
    result = backfill("http://127.0.0.1:9/press/cdx", db, "--since", "2025-01-01", "--until", "2024-01-01")
    assert result.returncode == 2 and "--since is after --until" in result.stderr
