"""`presswatch import warc`: a board's past from WARC and WACZ files,
written here with warcio, read as a crawl reads the board."""

from __future__ import annotations

import html
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import zipfile

import feedparser

from storage import ArchiveView

from .helpers import ROOT, release, run_presswatch
from .warcs import VIEW, history, write_warc


def state(db: str) -> dict[str, list[tuple]]:
    """What an archive holds of its history, without row ids or the times it was written."""
    queries = {
        "releases": "SELECT key, url, status, first_seen, removed_at, version_count, published FROM releases",
        "versions": "SELECT r.key, v.version, v.captured_at, v.content_hash, v.changed, v.diff, v.change_kinds "
        "FROM versions v JOIN releases r ON r.id = v.release_id",
        "events": "SELECT key, at, event, (SELECT version FROM versions WHERE id = version_id), backfilled IS NULL "
        "FROM release_events",
        "fetches": "SELECT r.key, f.fetched_at, f.http_status, f.outcome FROM fetches f "
        "LEFT JOIN releases r ON r.id = f.release_id",
        "listings": "SELECT seen_at, walk, page, position, key, title, listed FROM listings",
        "captures": "SELECT url, captured_at, digest, page, key, outcome, "
        "(SELECT version FROM versions WHERE id = version_id) FROM imported_captures",
        "raw_pages": "SELECT p.url, p.sha256, p.http_status FROM raw_pages p",
        "word_changes": "SELECT field, op, text FROM word_changes",
    }
    with sqlite3.connect(db) as conn:
        return {name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}


def test_a_board_s_past_becomes_history_read_as_a_crawl_reads_it(db, tmp_path):
    warc = write_warc(tmp_path / "ministry-2024.warc.gz", history())
    result = run_presswatch("import", "warc", str(warc), "--site", "mofa_en", "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "mofa_en: imported 10 captures (1 changed, 1 error, 2 listed, 3 new, 1 removed, 2 unchanged), "
        "0 held already, 1 not the board's"
    )
    found = state(db)
    # One real edit is a version; the chrome-only change, the maintenance page
    # and another host's copy are not.
    assert [row[:3] for row in found["versions"]] == [
        ("500", 1, "2024-03-01T00:00:00+00:00"),
        ("500", 2, "2025-06-01T00:00:00+00:00"),
        ("501", 1, "2024-05-01T00:00:00+00:00"),
        ("502", 1, "2024-03-12T00:00:00+00:00"),
    ]
    assert ("500", "2024-12-01T00:00:00+00:00", 200, "error") in found["fetches"]
    assert ("500", "2024-09-01T00:00:00+00:00", 200, "unchanged") in found["fetches"]
    # The 302 is followed as a crawl follows it: the page read is the new slug's.
    assert (VIEW + "501&title=new-slug") in [url for url, *_ in found["raw_pages"]]
    # The 404 removes release 502, at its capture time.
    assert ("502", "2025-01-15T00:00:00+00:00", "removed", None, 0) in found["events"]
    releases = {row[0]: row for row in found["releases"]}
    assert releases["502"][2] == "removed" and releases["500"][2] == "live" and "503" not in releases
    # Every event is marked backfilled.
    assert {row[-1] for row in found["events"]} == {0}
    # The list, captured before and after 502 and 503 left it: list evidence at its capture times.
    assert [(seen, key) for seen, _, _, _, key, *_ in found["listings"]] == [
        ("2024-03-11T00:00:00+00:00", key) for key in ("500", "501", "502", "503")
    ]
    # Each version names the capture it was read from.
    with ArchiveView.open(db) as view:
        rows = view.history(view.release("mofa_en", "500")["id"])
        cite = view.capture("mofa_en", "500", 2).cite()
    assert [row["origin"].split(" record <urn:uuid:")[0] for row in rows] == ["ministry-2024.warc.gz"] * 2
    digest = next(row[2] for row in found["captures"] if row[:2] == (VIEW + "500", "2025-06-01T00:00:00+00:00"))
    assert digest.startswith("sha1:")  # as the WARC file gives it
    assert rows[1]["origin"].endswith(", captured 2025-06-01T00:00:00+00:00, digest " + digest)
    assert "captured 2025-06-01T00:00:00Z by a web archive (ministry-2024.warc.gz record <urn:uuid:" in cite
    shown = run_presswatch("history", "mofa_en:500", "--db", db, "--json")
    assert "ministry-2024.warc.gz record" in shown.stdout


def test_importing_the_same_files_again_changes_nothing(db, tmp_path):
    warc = write_warc(tmp_path / "past.warc.gz", history())
    assert run_presswatch("import", "warc", str(warc), "--site", "mofa_en", "--db", db).returncode == 0
    before = state(db)
    with sqlite3.connect(db) as conn:
        crawls = conn.execute("SELECT count(*) FROM crawls").fetchone()
    again = run_presswatch("import", "warc", str(warc), "--site", "mofa_en", "--db", db)
    assert again.returncode == 0, again.stderr
    assert "imported 0 captures (none), 10 held already" in again.stdout
    assert state(db) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM crawls").fetchone() == crawls


def test_a_presswatch_export_imported_into_an_empty_archive_gives_back_the_same_versions(board, db, tmp_path):
    releases = [release(500 - i, days_ago=i + 1) for i in range(12)]
    board.set({"releases": releases})
    assert run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url).returncode == 0
    time.sleep(1.1)  # the second versions a second later: WARC dates are to the second
    state_ = board.state()
    state_["releases"][0]["paragraphs"][1] = "2. The two sides agreed to meet again in Manila next spring."
    state_["releases"][3]["title"] = "Release 497, amended"
    board.set(state_)
    assert run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url).returncode == 0
    for form in ("warc", "wacz"):
        out = tmp_path / f"mofa_en.{form}{'.gz' if form == 'warc' else ''}"
        assert run_presswatch("export", form, "mofa_en", "--db", db, "-o", str(out)).returncode == 0
        copy = str(tmp_path / f"copy-{form}.db")
        result = run_presswatch("import", "warc", str(out), "--site", "mofa_en", "--db", copy)
        assert result.returncode == 0, result.stderr
        assert "imported 14 captures (2 changed, 12 new)" in result.stdout
        theirs, ours = state(db), state(copy)
        assert [row[:4] for row in ours["versions"]] == [
            (key, number, at[:19] + "+00:00", digest) for key, number, at, digest, *_ in theirs["versions"]
        ]
        assert ours["versions"] == [(key, n, at[:19] + "+00:00", *rest) for key, n, at, *rest in theirs["versions"]]
        assert ours["word_changes"] == theirs["word_changes"]
    with zipfile.ZipFile(tmp_path / "mofa_en.wacz") as package:
        assert any(name.startswith("archive/") for name in package.namelist())


def test_import_errors_are_clear(db, tmp_path):
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"this is no WARC file")
    result = run_presswatch("import", "warc", str(junk), "--site", "mofa_en", "--db", db)
    assert result.returncode == 1 and "Error: cannot read" in result.stderr
    result = run_presswatch("import", "warc", str(junk), "--site", "nosuch", "--db", db)
    assert result.returncode == 2 and "unknown site 'nosuch'" in result.stderr
    other = write_warc(tmp_path / "other.warc.gz", history()[-1:])
    result = run_presswatch("import", "warc", str(other), "--site", "mofa_en", "--db", db)
    assert result.returncode == 1 and "no capture of mofa_en's list or release pages" in result.stderr


def test_datasette_shows_the_origin_on_the_permalink_and_keeps_the_past_out_of_its_feed(db, tmp_path):
    warc = write_warc(tmp_path / "ministry-2024.warc.gz", history())
    assert run_presswatch("import", "warc", str(warc), "--site", "mofa_en", "--db", db).returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", db, "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    site = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(site + "/-/versions.json").close()
                break
            except OSError:
                time.sleep(0.2)
        page = html.unescape(urllib.request.urlopen(f"{site}/-/presswatch/release/mofa_en/500/v2").read().decode())
        assert "Imported from a web archive: ministry-2024.warc.gz record <urn:uuid:" in page
        assert "captured 2025-06-01T00:00:00Z by a web archive (ministry-2024.warc.gz record" in page
        changes = json.load(urllib.request.urlopen(f"{site}/archive/changes.json?_shape=array"))
        assert {(row["key"], row["event"], row["at"]) for row in changes} == {
            ("500", "changed", "2025-06-01T00:00:00+00:00"),
            ("502", "removed", "2025-01-15T00:00:00+00:00"),
        }
        assert all(row["backfilled"] for row in changes)
        feed = feedparser.parse(urllib.request.urlopen(f"{site}/-/presswatch/changes.atom").read())
        assert feed.entries == []
    finally:
        server.terminate()
        server.wait(10)
