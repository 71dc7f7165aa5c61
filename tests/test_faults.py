"""Faults around the archive: it ends with a clear message and stays whole."""

import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys

import pytest

from storage.write.archive import Archive

from .helpers import FAST_ENV, ROOT, release, run_presswatch, start_and_kill


def integrity(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def dump(db):
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


def test_missing_database_directory(board, tmp_path):
    result = run_presswatch("crawl", "mofa_en", "--db", str(tmp_path / "no" / "such" / "a.db"), "--base-url", board.url)
    assert result.returncode == 1
    assert "directory" in result.stderr and "does not exist" in result.stderr


def test_read_only_database_directory_as_a_user(board, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    immutable = os.geteuid() == 0  # root ignores file modes, not the immutable attribute
    if immutable and subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root where chattr +i is not permitted: file modes cannot be tested")
    try:
        result = run_presswatch("crawl", "mofa_en", "--db", str(folder / "a.db"), "--base-url", board.url)
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    assert result.returncode == 1 and "Error:" in result.stderr and "Traceback" not in result.stderr


def test_read_only_database_directory(board, tmp_path):
    """As any user: a directory that cannot be written (a read-only mount is
    simulated by a path under a file, which no one can create)."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run_presswatch("crawl", "mofa_en", "--db", str(blocker / "a.db"), "--base-url", board.url)
    assert result.returncode == 1
    assert "Error:" in result.stderr and "Traceback" not in result.stderr


def test_archive_from_a_newer_presswatch_is_refused_untouched(board, db):
    Archive.open(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('presswatch', 'm999_from_the_future', '2030-01-01')"
        )
    before = dump(db)
    result = run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url)
    assert result.returncode == 1
    assert "written by a newer presswatch (migration m999_from_the_future)" in result.stderr
    assert dump(db) == before


def _limit_file_size(limit):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_full_disk_stops_the_crawl_cleanly_and_the_next_run_completes(board, db):
    state = {"releases": [release(900 - n, days_ago=n // 2 + 1) for n in range(40)]}
    board.set(state)
    command = [sys.executable, "-m", "crawler", "crawl", "mofa_en", "--db", db, "--base-url", board.url]
    env = {**os.environ, **FAST_ENV}
    assert subprocess.run(command, cwd=ROOT, env=env, capture_output=True).returncode == 0
    state = board.state()
    for item in state["releases"]:
        item["paragraphs"].append("A long added paragraph. " * 400)
    board.set(state)
    limit = max(os.path.getsize(path) for path in (db, db + "-wal") if os.path.exists(path)) + 30_000
    full = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, preexec_fn=_limit_file_size(limit)
    )
    assert full.returncode == 1, full.stdout + full.stderr[-2000:]
    assert "cannot write to the archive" in full.stdout + full.stderr
    assert "Traceback" not in full.stdout
    assert integrity(db) == "ok"
    with sqlite3.connect(db) as conn:
        counts = dict(conn.execute("SELECT key, version_count FROM releases"))
        numbered = conn.execute("SELECT count(*) FROM versions").fetchone()[0]
    assert 40 <= numbered < 80 and numbered == sum(counts.values())
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), max(version) FROM versions").fetchone() == (80, 2)
    assert integrity(db) == "ok"


@pytest.mark.parametrize("after_pages", [1, 3, 6, 10])
def test_sigkill_while_writing_changes_loses_no_version(board, db, after_pages):
    board.set({"releases": [release(950 - n, days_ago=n + 1) for n in range(14)]})
    command = [sys.executable, "-m", "crawler", "crawl", "mofa_en", "--db", db, "--base-url", board.url]
    env = {**os.environ, **FAST_ENV, "PRESSWATCH_CONCURRENCY": "2"}
    assert subprocess.run(command, cwd=ROOT, env=env, capture_output=True).returncode == 0
    state = board.state()
    for item in state["releases"]:
        item["paragraphs"][0] += " Amended."
        # Slow enough that the crawl cannot end before the kill, however
        # busy the machine (at 0.3 s a loaded CI run once finished first).
        item["delay"] = 3.0
    board.set(state)
    start_and_kill(command, board, after_pages)
    assert integrity(db) == "ok"
    for item in state["releases"]:
        item["delay"] = 0
    board.set(state)
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
    with sqlite3.connect(db) as conn:
        versions = conn.execute(
            "SELECT r.key, count(*), max(v.version) FROM releases r "
            "JOIN versions v ON v.release_id = r.id GROUP BY r.key"
        ).fetchall()
    assert len(versions) == 14 and all(count == 2 and top == 2 for _, count, top in versions)
