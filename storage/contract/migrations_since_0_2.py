"""The migrations shipped since presswatch 0.2.0 (m012 on), each recorded
in CHANGELOG.md under the release that shipped it.  Frozen: never edit one;
a new migration goes at the end of this module."""

from __future__ import annotations

import contextlib
import hashlib
import zlib

from sqlite_utils import Database

from .migration_registry import migration
from .views import CHANGE_VIEWS_M015, CHANGE_VIEWS_M017


@migration
def m012_fetch_updated(db: Database) -> None:
    """The day a page says it was last updated: an observation, not content."""
    db.execute("ALTER TABLE fetches ADD COLUMN updated TEXT")


@migration
def m013_capture_digests(db: Database) -> None:
    """Each capture's SHA-256, recorded when it is stored, so that `verify`
    can prove its bytes unchanged; captures stored before get theirs now
    (a damaged one keeps none: verify names it)."""
    db.execute("ALTER TABLE raw_pages ADD COLUMN sha256 TEXT")
    for version_id, compressed in db.execute("SELECT version_id, html_zlib FROM raw_pages").fetchall():
        with contextlib.suppress(zlib.error, TypeError):
            digest = hashlib.sha256(zlib.decompress(compressed)).hexdigest()
            db.execute("UPDATE raw_pages SET sha256 = ? WHERE version_id = ?", [digest, version_id])


@migration
def m014_capture_references(db: Database) -> None:
    """Captures compressed against their board (storage.contract.captures): each
    board's reference pages, stored once, and each capture's zstd form.
    Captures stored before stay zlib until `compact` rewrites them."""
    db.execute(
        "CREATE TABLE capture_references (id INTEGER PRIMARY KEY, site_id TEXT REFERENCES sites(id), "
        "created_at TEXT, size INTEGER, sha256 TEXT, html_zstd BLOB)"
    )
    db.execute("ALTER TABLE raw_pages ADD COLUMN html_zstd BLOB")
    db.execute("ALTER TABLE raw_pages ADD COLUMN reference_id INTEGER REFERENCES capture_references(id)")


@migration
def m015_change_kinds(db: Database) -> None:
    """Each version's kinds of change and significance (storage.contract.kinds).
    Versions stored before get theirs from the writer when it next opens the
    archive (version_rows.fill_derived): computing them is live code,
    and a migration must do the same thing for ever."""
    db.execute("ALTER TABLE versions ADD COLUMN change_kinds TEXT")
    db.execute("ALTER TABLE versions ADD COLUMN significance REAL")
    # What is left to fill, found without reading every version at every open.
    db.execute("CREATE INDEX versions_unclassified ON versions(id) WHERE change_kinds IS NULL AND version > 1")
    db.execute("DROP VIEW changes")
    db.execute("DROP VIEW change_log")
    for statement in CHANGE_VIEWS_M015:
        db.execute(statement)


@migration
def m016_site_key_terms(db: Database) -> None:
    """Each site's key terms (a JSON array, from its profile): a change that
    touches one ranks higher.  Versions stored before keep their significance."""
    db.execute("ALTER TABLE sites ADD COLUMN key_terms TEXT")


@migration
def m017_backfill(db: Database) -> None:
    """History from web archives (storage.write.backfill): every capture imported
    from a WARC file or a CDX API, with where it came from, once each; and
    events a backfill wrote marked with when it wrote them."""
    db.execute("ALTER TABLE release_events ADD COLUMN backfilled TEXT")
    db.execute(
        "CREATE TABLE imported_captures (id INTEGER PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), "
        "crawl_id INTEGER REFERENCES crawls(id), url TEXT NOT NULL, captured_at TEXT NOT NULL, "
        "digest TEXT NOT NULL, source TEXT, record_id TEXT, http_status INTEGER, page TEXT, key TEXT, "
        "outcome TEXT, version_id INTEGER REFERENCES versions(id), imported_at TEXT)"
    )
    db.execute("CREATE UNIQUE INDEX imported_captures_once ON imported_captures(site_id, url, captured_at, digest)")
    db.execute("CREATE INDEX imported_captures_version ON imported_captures(version_id)")
    db.execute("DROP VIEW changes")
    db.execute("DROP VIEW change_log")
    for statement in CHANGE_VIEWS_M017:
        db.execute(statement)


@migration
def m018_version_kinds(db: Database) -> None:
    """Each version's kinds one row each, kept from versions.change_kinds by
    triggers, and events found by version: a reader filtering changes by a
    kind over all history finds them by index, not by reading every
    version's JSON (storage.browsing)."""
    db.execute(
        "CREATE TABLE version_kinds (kind TEXT NOT NULL, version_id INTEGER NOT NULL REFERENCES versions(id), "
        "PRIMARY KEY (kind, version_id)) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX version_kinds_version ON version_kinds(version_id)")
    db.execute("CREATE INDEX release_events_version ON release_events(version_id)")
    db.execute(
        "INSERT OR IGNORE INTO version_kinds SELECT j.value, v.id FROM versions v, json_each(v.change_kinds) j "
        "WHERE v.change_kinds IS NOT NULL"
    )
    each = "INSERT OR IGNORE INTO version_kinds SELECT value, new.id FROM json_each(new.change_kinds);"
    db.execute(f"CREATE TRIGGER version_kinds_insert AFTER INSERT ON versions BEGIN {each} END")
    db.execute(
        "CREATE TRIGGER version_kinds_update AFTER UPDATE OF change_kinds ON versions BEGIN "
        f"DELETE FROM version_kinds WHERE version_id = old.id; {each} END"
    )
    db.execute(
        "CREATE TRIGGER version_kinds_delete AFTER DELETE ON versions BEGIN "
        "DELETE FROM version_kinds WHERE version_id = old.id; END"
    )
