"""Re-extraction: a user who fixes a leaky profile gets the archive the fixed
profile would have built, without fetching anything again."""

from __future__ import annotations

import sqlite3

from .helpers import crawl_board, run_presswatch

LEAKY = """id = "mofa_en"
name = "MOFA, with a body selector that takes in the hit counter"
timezone = "Asia/Seoul"
base_url = "https://www.mofa.go.kr"
start = "/eng/brd/m_5676/list.do"
key = "seq"

[links]
rows = "table tbody tr"
pattern = '''(?:[?&]seq=|f_view\\(\\s*['"])(\\d+)'''
detail_url = "/eng/brd/m_5676/view.do?seq={key}"

[detail]
title = ".board_detail h2"
body = ".board_detail"
"""


def rows(db: str, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def hashes(db: str) -> dict[str, str]:
    return dict(rows(db, "SELECT key, content_hash FROM releases"))


def test_a_fixed_profile_rebuilds_the_archive_it_would_have_built(board, db, tmp_path):
    leaky = tmp_path / "leaky.toml"
    leaky.write_text(LEAKY)
    for run in range(3):  # every view ticks the hit counter: a spurious version each run
        if run == 2:  # and one real edit
            state = board.state()
            state["releases"][0]["paragraphs"][1] = "2. The two sides agreed to meet again in Manila."
            board.set(state)
        assert crawl_board(board, db, "--site-file", str(leaky)).returncode == 0
    assert rows(db, "SELECT max(version_count) FROM releases") == [(3,)]
    before = rows(db, "SELECT count(*) FROM versions")

    dry = run_presswatch("reextract", "mofa_en", "--db", db)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.strip().endswith(
        "36 of 36 versions would change, 23 of them merging into the version "
        "before; run again with --apply to rewrite them"
    )
    assert "mofa_en:500 version 1: published, body" in dry.stdout  # the leaky profile read no date either
    assert rows(db, "SELECT count(*) FROM versions") == before  # a dry run writes nothing

    applied = run_presswatch("reextract", "mofa_en", "--db", db, "--apply")
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.strip().endswith("rewrote 36 of 36 versions, merged 23 into the version before")
    assert rows(db, "SELECT key, version_count FROM releases WHERE version_count > 1") == [("500", 2)]  # the real edit
    [(diff,)] = rows(
        db, "SELECT diff FROM versions v JOIN releases r ON r.id = v.release_id WHERE r.key = '500' AND version = 2"
    )
    assert "+2. The two sides agreed to meet again in Manila." in diff and "Hit" not in diff
    assert rows(db, "SELECT count(*) FROM versions") == [(13,)]
    assert rows(db, "SELECT count(*) FROM versions WHERE body LIKE '%Hit%'") == [(0,)]
    assert rows(db, "SELECT count(*) FROM versions_fts WHERE versions_fts MATCH 'Hit'") == [(0,)]
    assert rows(db, "SELECT key FROM release_events WHERE event = 'changed'") == [("500",)]  # no spurious one left
    assert rows(db, "SELECT count(*) FROM reextractions WHERE action LIKE 'merged into the version before%'") == [(23,)]
    assert rows(db, "SELECT count(*) FROM reextractions WHERE action = 'rewritten'") == [(36,)]
    assert rows(db, "SELECT count(*) FROM reextractions WHERE html_zlib IS NOT NULL") == [(23,)]  # captures kept

    fresh = str(tmp_path / "fresh.db")  # the archive the fixed profile would have built
    assert crawl_board(board, fresh).returncode == 0
    assert hashes(db) == hashes(fresh)
    again = run_presswatch("reextract", "mofa_en", "--db", db)
    assert "0 of 13 versions would change" in again.stdout
