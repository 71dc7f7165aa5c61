"""storage/ on its own: versions, removal, errors, migrations — no Scrapy."""

import json
import subprocess
import sys

import pytest

from storage import (
    ArchiveError,
    ArchiveView,
    Attachment,
    Content,
    FetchKind,
    FetchOutcome,
    Observation,
    Outcome,
    Site,
)
from storage.write import lock
from storage.write.archive import Archive

from .helpers import stored_capture

SITE = Site("test", "Test ministry", "XX", "en", "UTC", "https://example.org")
BODY = "1. First paragraph.\n\n2. Second paragraph."


@pytest.fixture
def archive(tmp_path):
    with Archive.open(tmp_path / "a.db") as archive:
        archive.register_site(SITE)
        yield archive


def record(archive, content, key="1", crawl=None, **observed):
    crawl = crawl or archive.start_crawl("test")
    observation = Observation(url=f"https://example.org/{key}", **observed)
    return archive.apply(
        FetchOutcome("test", key, FetchKind.PAGE, observation, content, b"<html>raw</html>", crawl_id=crawl)
    )


def fetched(archive, kind, key="1", **observed):
    crawl = archive.start_crawl("test")
    outcome = archive.apply(FetchOutcome("test", key, kind, Observation(url="u", **observed), crawl_id=crawl))
    return crawl, outcome


def release_row(archive, key="1"):
    with ArchiveView.open(archive.path) as view:
        return view.release("test", key)


def versions(archive, key="1"):
    release = release_row(archive, key)
    return list(archive.db["versions"].rows_where("release_id = ?", [release["id"]], order_by="version"))


def test_a_later_updated_day_is_an_observation_of_the_fetch_never_a_version(archive):
    content = Content("T", "2010-05-28", BODY)
    assert record(archive, content) is Outcome.NEW
    assert record(archive, content, updated="2014-08-04") is Outcome.UNCHANGED
    assert len(versions(archive)) == 1
    days = [row["updated"] for row in archive.db["fetches"].rows_where(order_by="id")]
    assert days == [None, "2014-08-04"]


def test_new_then_unchanged_then_changed(archive):
    assert record(archive, Content("T", "2017-08-06", BODY)) is Outcome.NEW
    assert (
        record(archive, Content(" T ", "2017-08-06", "1. First  paragraph.\n\n\n2. Second\u00a0paragraph."))
        is Outcome.UNCHANGED
    )
    assert record(archive, Content("T", "2017-08-06", BODY + "\n\n3. Third.")) is Outcome.CHANGED
    rows = versions(archive)
    assert [row["version"] for row in rows] == [1, 2]
    assert rows[0]["diff"] is None
    assert json.loads(rows[1]["changed"]) == ["body"]
    assert "+3. Third." in rows[1]["diff"]
    release = release_row(archive)
    assert release["version_count"] == 2 and release["latest_version_id"] == rows[1]["id"]


def test_attachments_are_stored_as_json(archive):
    record(archive, Content("T", None, BODY, (Attachment("a.pdf", "https://example.org/a"),)))
    assert json.loads(versions(archive)[0]["attachments"]) == [{"name": "a.pdf", "url": "https://example.org/a"}]


def test_raw_html_is_kept_compressed(archive):
    record(archive, Content("T", None, BODY))
    assert stored_capture(archive.db.conn, versions(archive)[0]["id"]) == b"<html>raw</html>"


def test_removed_then_restored_without_a_new_version(archive):
    record(archive, Content("T", None, BODY))
    assert fetched(archive, FetchKind.GONE, http_status=404)[1] is Outcome.REMOVED
    release = release_row(archive)
    assert release["status"] == "removed" and release["removed_at"]
    assert record(archive, Content("T", None, BODY)) is Outcome.UNCHANGED
    release = release_row(archive)
    assert release["status"] == "live" and release["removed_at"] is None
    assert len(versions(archive)) == 1
    assert archive.db.execute("SELECT restored FROM fetches ORDER BY id DESC LIMIT 1").fetchone() == (1,)


def test_error_changes_nothing_archived(archive):
    record(archive, Content("T", None, BODY))
    before = release_row(archive)
    crawl, _ = fetched(archive, FetchKind.ERROR, http_status=503, error="HTTP 503")
    assert release_row(archive) == before
    assert archive.db["crawls"].get(crawl)["errors"] == 1


def test_crawl_counters(archive):
    crawl = archive.start_crawl("test")
    record(archive, Content("T", None, BODY), key="1", crawl=crawl)
    record(archive, Content("T", None, BODY), key="2", crawl=crawl)
    record(archive, Content("T", None, BODY), key="2", crawl=crawl)
    row = archive.finish_crawl(crawl, status="finished", requests=3, list_complete=True)
    assert (row["new"], row["unchanged"], row["requests"]) == (2, 1, 3)


def test_full_text_search_covers_titles_and_bodies(archive):
    record(archive, Content("Denuclearization talks", None, BODY), key="1")
    record(archive, Content("Other", None, "Maritime security in Manila."), key="2")
    hits = archive.db.execute(
        "SELECT title FROM versions WHERE id IN (SELECT rowid FROM versions_fts WHERE versions_fts MATCH ?)",
        ["manila OR denuclearization"],
    ).fetchall()
    assert sorted(hits) == [("Denuclearization talks",), ("Other",)]


def test_wal_and_recorded_migrations(tmp_path):
    with Archive.open(tmp_path / "a.db") as archive:
        assert archive.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        names = [row["name"] for row in archive.db["_sqlite_migrations"].rows]
    assert names == [
        "m001_initial",
        "m002_events_word_changes_views",
        "m003_one_change_log_site_events_quoted_fts",
        "m004_sweep",
        "m005_list_evidence",
        "m006_capture_headers",
        "m007_alerts",
        "m008_release_aliases",
        "m009_reextractions",
        "m010_relayed_jobs",
        "m011_readers",
        "m012_fetch_updated",
        "m013_capture_digests",
        "m014_capture_references",
        "m015_change_kinds",
        "m016_site_key_terms",
        "m017_backfill",
        "m018_version_kinds",
    ]
    Archive.open(tmp_path / "a.db").close()  # reopening applies nothing twice


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ArchiveError, match="does not exist"):
        Archive.open(tmp_path / "nope" / "a.db")


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "a.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ArchiveError, match="cannot open archive"):
        Archive.open(path)


def test_writer_lock_refuses_a_second_process(tmp_path):
    db = tmp_path / "a.db"
    lock.acquire(db)
    try:
        code = (
            "import sys; from storage import ArchiveBusy\nfrom storage.write import lock\n"
            f"try: lock.acquire({str(db)!r})\n"
            "except ArchiveBusy as e: print(e); sys.exit(3)\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert result.returncode == 3
        assert "another presswatch crawl" in result.stdout and "is writing to" in result.stdout
    finally:
        lock.release(db)


def test_storage_does_not_import_scrapy():
    code = "import sys, storage, storage.read.queries; assert 'scrapy' not in sys.modules, 'scrapy imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_events_and_the_changes_view(archive):
    record(archive, Content("T", None, BODY))
    record(archive, Content("T", None, BODY.replace("First", "Opening")))
    fetched(archive, FetchKind.GONE, http_status=404)
    record(archive, Content("T", None, BODY.replace("First", "Opening")))
    events = [row["event"] for row in archive.db["release_events"].rows_where(order_by="id")]
    assert events == ["new", "changed", "removed", "restored"]
    changes = list(archive.db.query("SELECT * FROM changes ORDER BY at DESC, event_id DESC"))
    assert [c["event"] for c in changes] == ["restored", "removed", "changed"]
    assert changes[2]["version"] == 2 and "+1. Opening paragraph." in changes[2]["diff"]
    latest = list(archive.db["latest_versions"].rows)
    assert [(row["key"], row["version"], row["status"]) for row in latest] == [("1", 2, "live")]


def test_word_changes_are_rows(archive):
    record(archive, Content("Talks on peace", None, "The minister met the envoy in Manila."))
    record(archive, Content("Talks on lasting peace", None, "The minister met the envoy in Jakarta."))
    rows_ = [
        (row["field"], row["op"], row["text"], row["site_id"])
        for row in archive.db["word_changes"].rows_where(order_by="id")
    ]
    assert rows_ == [
        ("title", "inserted", "lasting", "test"),
        ("body", "deleted", "Manila.", "test"),
        ("body", "inserted", "Jakarta.", "test"),
    ]
    found = archive.db.execute(
        "SELECT op FROM word_changes WHERE id IN (SELECT rowid FROM word_changes_fts WHERE word_changes_fts MATCH 'manila')"
    ).fetchall()
    assert found == [("deleted",)]


def test_an_archive_from_the_first_schema_upgrades(tmp_path):
    from sqlite_utils import Database

    from storage.contract.schema import migrations

    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m002_events_word_changes_views")
    db["sites"].insert({name: value for name, value in SITE.__dict__.items() if name != "key_terms"})  # m001's columns
    db["releases"].insert(
        {
            "id": 1,
            "site_id": "test",
            "key": "1",
            "url": "u",
            "status": "removed",
            "version_count": 2,
            "removed_at": "2026-01-03T00:00:00+00:00",
        }
    )
    for number, body in ((1, "Old words here."), (2, "New words here.")):
        db["versions"].insert(
            {
                "release_id": 1,
                "version": number,
                "captured_at": f"2026-01-0{number}T00:00:00+00:00",
                "title": "T",
                "published": None,
                "body": body,
                "attachments": "[]",
                "content_hash": str(number),
            }
        )
    db.close()
    with Archive.open(path) as archive:
        events = [row["event"] for row in archive.db["release_events"].rows_where(order_by="id")]
        words = [(row["op"], row["text"], row["year"]) for row in archive.db["word_changes"].rows]
    assert events == ["new", "changed", "removed"]
    assert words == [("deleted", "Old", 2026), ("inserted", "New", 2026)]
