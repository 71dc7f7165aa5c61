"""presswatch backup and verify: an archive kept as evidence, proven whole."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest
import zstandard

from storage.write.archive import Archive

from .helpers import FAST_ENV, ROOT, release, run_presswatch, store_as_before_compaction, stored_capture


def verify(db):
    return run_presswatch("verify", "--db", db)


@pytest.fixture
def archived(crawl, db):
    result = crawl()
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def edit(db, sql, *params):
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def first_version(db):
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT v.id, r.key FROM versions v JOIN releases r ON r.id = v.release_id ORDER BY v.id LIMIT 1"
        ).fetchone()


def test_a_crawled_archive_is_whole(archived):
    result = verify(archived)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "whole: 12 versions, 12 captures checked"
    report = json.loads(run_presswatch("verify", "--db", archived, "--json").stdout)
    assert report == {"whole": True, "versions": 12, "captures": 12, "problems": [], "skipped": []}


def test_a_tampered_body_is_named(archived):
    version_id, key = first_version(archived)
    edit(archived, "UPDATE versions SET body = replace(body, 'cooperation', 'co-operation') WHERE id = ?", version_id)
    result = verify(archived)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"problem: mofa_en {key} version 1: its content hash does not match its title, date, body and attachments",
        "1 problems: 12 versions, 12 captures checked",
    ]


def test_a_tampered_capture_is_named(archived):
    version_id, key = first_version(archived)
    with sqlite3.connect(archived) as conn:
        raw = stored_capture(conn, version_id)
    forged = raw.replace(b"two sides", b"two sidez", 1)
    assert forged != raw
    edit(
        archived,
        "UPDATE raw_pages SET html_zstd = ?, reference_id = NULL WHERE version_id = ?",
        zstandard.ZstdCompressor().compress(forged),
        version_id,
    )
    result = verify(archived)
    assert result.returncode == 1
    assert (
        f"problem: capture of mofa_en {key} version 1: its SHA-256 is not the one recorded when it was fetched"
        in result.stdout.splitlines()
    )
    edit(archived, "UPDATE raw_pages SET html_zstd = substr(html_zstd, 1, 40) WHERE version_id = ?", version_id)
    assert f"capture of mofa_en {key} version 1: its bytes do not decompress" in verify(archived).stdout


def test_a_deleted_row_is_named(archived):
    version_id, key = first_version(archived)
    edit(archived, "DELETE FROM versions WHERE id = ?", version_id)
    lines = verify(archived).stdout.splitlines()
    assert f"problem: raw_pages row {version_id}: points to a versions row that does not exist" in lines
    assert f"problem: release mofa_en {key}: versions are not numbered 1..1 (0 versions, highest None)" in lines
    assert f"problem: release mofa_en {key}: its latest version is not the one it points to" in lines


def test_a_corrupted_page_is_named(archived):
    with open(archived, "r+b") as handle:
        size = handle.seek(0, 2)
        handle.seek(size // 2)
        handle.write(b"\xff" * 4096)  # a page in the middle of the file, overwritten
    result = verify(archived)
    assert result.returncode == 1
    assert result.stdout.startswith("problem: ")


def test_an_out_of_step_full_text_index_is_named(archived):
    with sqlite3.connect(archived) as conn:
        conn.execute("DROP TRIGGER versions_au")  # an update the index never hears of
        conn.execute("UPDATE versions SET title = 'Renamed' WHERE id = 1")
    assert "problem: full-text index versions_fts does not match the rows it indexes" in verify(archived).stdout


def test_captures_stored_before_digests_were_kept_get_theirs_on_upgrade(archived):
    store_as_before_compaction(archived)
    with sqlite3.connect(archived) as conn:
        conn.execute("ALTER TABLE raw_pages DROP COLUMN sha256")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm013_capture_digests'")
    assert "not checked: captures' SHA-256" in verify(archived).stdout
    Archive.open(archived).close()
    assert verify(archived).stdout.strip() == "whole: 12 versions, 12 captures checked"


def releases_in(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM releases").fetchone()[0]
    except sqlite3.Error:  # not created, or not migrated yet
        return 0


def test_a_backup_taken_while_a_crawl_writes_is_whole_and_serves(board, db, tmp_path):
    board.set({"releases": [release(900 - i, days_ago=i + 1) for i in range(80)]})
    crawl = subprocess.Popen(
        [sys.executable, "-m", "crawler", "crawl", "mofa_en", "--db", db, "--base-url", board.url],
        cwd=ROOT,
        env={**os.environ, **FAST_ENV, "PRESSWATCH_DOWNLOAD_DELAY": "0.02", "PRESSWATCH_CONCURRENCY": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    copy = tmp_path / "copy.db"
    taken_during = 0
    try:
        while crawl.poll() is None:
            if releases_in(db):  # the crawl has written some: copy it mid-way
                result = run_presswatch("backup", "--db", db, "-o", str(copy))
                assert result.returncode == 0, result.stderr
                taken_during += crawl.poll() is None
            time.sleep(0.2)
    finally:
        crawl.wait(60)
    assert crawl.returncode == 0
    assert taken_during >= 1
    assert verify(str(copy)).returncode == 0
    key = sqlite3.connect(copy).execute("SELECT key FROM releases ORDER BY key LIMIT 1").fetchone()[0]
    for command in (
        ["changes", "--since", "30d"],
        ["search", "cooperation"],
        ["sites"],
        ["history", f"mofa_en:{key}"],
        ["feed", "-o", str(tmp_path / "feed.xml")],
        ["export", "warc", "mofa_en", "-o", str(tmp_path / "a.warc.gz")],
        ["reextract", "mofa_en"],
        ["verify"],
    ):
        result = run_presswatch(*command, "--db", str(copy))
        assert result.returncode == 0, (command, result.stderr)
    assert not list(tmp_path.glob(".copy.db.partial"))


def test_a_backup_of_a_damaged_archive_fails_and_leaves_nothing(archived, tmp_path):
    version_id, _ = first_version(archived)
    edit(archived, "UPDATE versions SET body = 'forged' WHERE id = ?", version_id)
    target = tmp_path / "copy.db"
    result = run_presswatch("backup", "--db", archived, "-o", str(target))
    assert result.returncode == 1
    assert "Error: the copy of" in result.stderr and "is not whole" in result.stderr
    assert not target.exists() and not list(tmp_path.glob(".copy.db.partial"))
