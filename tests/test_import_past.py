"""Captures older than what the archive holds fit into its history: versions
renumbered in capture-time order, diffs, word changes, events and search
rebuilt, and the past never announced as news."""

from __future__ import annotations

import json
import sqlite3

import feedparser

from storage import ArchiveWriter

from .helpers import release, run_presswatch
from .warcs import LIST, VIEW, Shot, list_page, page, write_warc

OLD = ["1. Paragraph one of release 700, on cooperation in Geneva.", "2. The two sides agreed to meet again next year."]


def board_releases() -> list[dict]:
    return [release(700 - i, days_ago=i + 1) for i in range(3)]


def past(releases: list[dict]) -> list[Shot]:
    """Release 700 as it read in 2024 (another first paragraph), release 699
    captured in 2024 as it reads now."""
    html = (("Content-Type", "text/html; charset=utf-8"),)
    r700 = {**releases[0], "paragraphs": OLD}
    return [
        Shot(VIEW + "700", "2024-01-01T00:00:00Z", body=page(r700), headers=html),
        Shot(VIEW + "699", "2024-02-01T00:00:00Z", body=page(releases[1]), headers=html),
    ]


def rows(db: str, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_older_captures_fit_into_a_crawled_history(board, db, tmp_path):
    board.set({"releases": board_releases()})
    assert run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url).returncode == 0
    crawled = dict(rows(db, "SELECT r.key, v.captured_at FROM versions v JOIN releases r ON r.id = v.release_id"))
    new_event = rows(db, "SELECT id FROM release_events WHERE key = '700' AND event = 'new'")[0][0]
    with ArchiveWriter(db) as writer:  # a destination that follows the site from now on
        log = writer.alert_log()
        target = log.target("json://alerts.example/hook")
        log.subscribe(target, ["mofa_en"])
    # The board's own pages carry the date the demo gives them: dates must match the crawl's.
    state = board.state()
    warc = write_warc(tmp_path / "past.warc.gz", past(state["releases"]))
    result = run_presswatch("import", "warc", str(warc), "--site", "mofa_en", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "imported 2 captures (2 new)" in result.stdout

    versions = rows(
        db,
        "SELECT r.key, v.version, v.captured_at, v.changed, v.diff IS NULL FROM versions v "
        "JOIN releases r ON r.id = v.release_id WHERE r.key IN ('700', '699') ORDER BY 1, 2",
    )
    assert versions == [
        # identical to the crawl's: the crawl's version merges into the earlier capture
        ("699", 1, "2024-02-01T00:00:00+00:00", "[]", 1),
        # different: the crawl's version is now version 2, diffed against the past
        ("700", 1, "2024-01-01T00:00:00+00:00", "[]", 1),
        ("700", 2, crawled["700"], '["body"]', 0),
    ]
    assert rows(db, "SELECT version_count, first_seen FROM releases WHERE key = '700'") == [
        (2, "2024-01-01T00:00:00+00:00")
    ]
    merged = rows(
        db,
        "SELECT r.key, x.action, x.html_zlib IS NOT NULL FROM reextractions x JOIN releases r ON r.id = x.release_id",
    )
    assert [(key, action.split(" (")[0], kept) for key, action, kept in merged] == [
        ("699", "merged into the version before", 1)
    ]
    # Events: the crawl's own keeps its id and time and is now a change; the past's are backfilled.
    events = rows(
        db,
        "SELECT id, key, at, event, backfilled IS NOT NULL FROM release_events "
        "WHERE key IN ('700', '699') ORDER BY key, at",
    )
    assert [(key, at, event, marked) for _, key, at, event, marked in events] == [
        ("699", "2024-02-01T00:00:00+00:00", "new", 1),
        ("700", "2024-01-01T00:00:00+00:00", "new", 1),
        ("700", crawled["700"], "changed", 0),
    ]
    assert events[-1][0] == new_event
    # Word changes and search follow.
    assert ("deleted", "cooperation in Geneva.") in rows(
        db, "SELECT w.op, w.text FROM word_changes w JOIN releases r ON r.id = w.release_id WHERE r.key = '700'"
    )
    found = run_presswatch("search", "Geneva", "--db", db, "--json")
    assert [(hit["release"], hit["version"]) for hit in json.loads(found.stdout)] == [("mofa_en:700", 1)]
    # Feeds and alerts never announce the past; `changes` shows it, marked.
    feed = feedparser.parse(run_presswatch("feed", "--db", db).stdout)
    assert not [entry for entry in feed.entries if "2024-0" in entry.get("updated", "")]
    changes = run_presswatch("changes", "--since", "3000d", "--db", db, "--json").stdout
    assert '"backfilled": "' in changes and "2024-01-01T00:00:00+00:00" in changes
    with ArchiveWriter(db) as writer:
        assert writer.alert_log().pending(target, "mofa_en") == []
    # A change a crawl finds after the import is news as ever.
    state["releases"][2]["title"] = "Release 698, amended"
    board.set(state)
    assert run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url).returncode == 0
    with ArchiveWriter(db) as writer:
        pending = writer.alert_log().pending(target, "mofa_en")
    # Retitled on its page and in the list: both are news, once each.
    assert sorted((row["key"], row["event"]) for row in pending) == [("698", "changed"), ("698", "list_retitled")]
    # And importing the past again changes nothing.
    before = rows(db, "SELECT id, version, captured_at FROM versions ORDER BY id")
    assert (
        "imported 0 captures (none), 2 held already"
        in run_presswatch("import", "warc", str(warc), "--site", "mofa_en", "--db", db).stdout
    )
    assert rows(db, "SELECT id, version, captured_at FROM versions ORDER BY id") == before


def test_a_past_list_page_does_not_undo_what_a_later_list_showed(board, db, tmp_path):
    board.set({"releases": board_releases()})
    assert run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url).returncode == 0
    listed = rows(db, "SELECT key, listed_title, last_listed FROM releases ORDER BY key")
    releases = board.state()["releases"]
    old_list = list_page([{**releases[0], "title": "Release 700, as first listed"}, *releases[1:]])
    warc = write_warc(tmp_path / "list.warc.gz", [Shot(LIST, "2024-01-01T00:00:00Z", body=old_list)])
    result = run_presswatch("import", "warc", str(warc), "--site", "mofa_en", "--db", db)
    assert "imported 1 captures (1 listed)" in result.stdout, result.stderr
    after = rows(db, "SELECT key, listed_title, last_listed FROM releases ORDER BY key")
    # What the crawl's list showed stands; a release no list was seen showing gets the past's evidence.
    assert [row for row in after if row in listed] == [row for row in listed if row[2]]
    assert all(row[2] == "2024-01-01T00:00:00+00:00" for row in after if row not in listed)
    assert [row for row in listed if row[0] == "700"][0][1] == releases[0]["title"]
    assert rows(db, "SELECT count(*) FROM release_events WHERE event IN ('list_retitled', 'relisted')") == [(0,)]
