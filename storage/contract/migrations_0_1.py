"""The first archive format: the migrations presswatch 0.1.0 shipped
(m001 to m011).  Frozen: never edit one, add a new one to
storage.contract.migrations_since_0_2."""

from __future__ import annotations

from sqlite_utils import Database

from .fts import fts_statements, unquoted_fts_statements
from .migration_registry import migration
from .views import CHANGE_VIEWS_M003, LATEST_VERSIONS_M005, VIEWS_M002


@migration
def m001_initial(db: Database) -> None:
    db.table("sites").create(
        {
            "id": str,
            "name": str,
            "country": str,
            "language": str,
            "timezone": str,
            "base_url": str,
        },
        pk="id",
    )
    db.table("crawls").create(
        {
            "id": int,
            "site_id": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "requests": int,
            "new": int,
            "changed": int,
            "unchanged": int,
            "not_modified": int,
            "removed": int,
            "errors": int,
            "list_complete": int,
            "message": str,
        },
        pk="id",
        foreign_keys=[("site_id", "sites", "id")],
        defaults={
            key: 0
            for key in (
                "requests",
                "new",
                "changed",
                "unchanged",
                "not_modified",
                "removed",
                "errors",
                "list_complete",
            )
        },
    )
    db.table("releases").create(
        {
            "id": int,
            "site_id": str,
            "key": str,
            "url": str,
            "status": str,
            "first_seen": str,
            "last_seen": str,
            "last_checked": str,
            "removed_at": str,
            "version_count": int,
            "latest_version_id": int,
            "content_hash": str,
            "published": str,
            "etag": str,
            "last_modified": str,
        },
        pk="id",
        foreign_keys=[("site_id", "sites", "id")],
        defaults={"status": "live", "version_count": 0},
        not_null={"site_id", "key", "url", "status"},
    )
    db.table("releases").create_index(["site_id", "key"], unique=True)
    db.table("releases").create_index(["site_id", "published"])
    db.table("versions").create(
        {
            "id": int,
            "release_id": int,
            "version": int,
            "captured_at": str,
            "crawl_id": int,
            "title": str,
            "published": str,
            "body": str,
            "attachments": str,
            "content_hash": str,
            "changed": str,
            "diff": str,
        },
        pk="id",
        foreign_keys=[("release_id", "releases", "id"), ("crawl_id", "crawls", "id")],
        not_null={"release_id", "version", "title", "body", "content_hash"},
    )
    db.table("versions").create_index(["release_id", "version"], unique=True)
    db.table("versions").create_index(["captured_at"])
    db.table("fetches").create(
        {
            "id": int,
            "crawl_id": int,
            "release_id": int,
            "url": str,
            "fetched_at": str,
            "http_status": int,
            "outcome": str,
            "hits": int,
            "etag": str,
            "last_modified": str,
            "error": str,
            "restored": int,
        },
        pk="id",
        foreign_keys=[("crawl_id", "crawls", "id"), ("release_id", "releases", "id")],
        defaults={"restored": 0},
    )
    db.table("fetches").create_index(["release_id", "fetched_at"])
    db.table("fetches").create_index(["crawl_id"])
    # The HTML behind each version, zlib-compressed, so extraction can be
    # re-run when a site profile improves.
    db.table("raw_pages").create(
        {"version_id": int, "url": str, "encoding": str, "html_zlib": bytes},
        pk="version_id",
        foreign_keys=[("version_id", "versions", "id")],
    )
    # Written out rather than via Table.enable_fts(), which runs executescript()
    # and so would commit half-way through this migration's transaction.  The
    # names follow sqlite-utils' convention, so Datasette and
    # Table.search() find the index.
    for statement in unquoted_fts_statements("versions", ["title", "body"]):
        db.execute(statement)


@migration
def m002_events_word_changes_views(db: Database) -> None:
    """What happened when (for the changes view and feeds), and which words
    each version deleted or inserted (so SQL can ask who ever removed a name)."""
    # site_id and key are copied from releases so that the changes view, its
    # row count and its facets read this one table: on a million events a
    # join per row made Datasette's changes page take seconds.
    db.table("release_events").create(
        {
            "id": int,
            "release_id": int,
            "site_id": str,
            "key": str,
            "crawl_id": int,
            "at": str,
            "event": str,
            "version_id": int,
        },
        pk="id",
        foreign_keys=[("release_id", "releases", "id"), ("version_id", "versions", "id")],
    )
    db.table("release_events").create_index(["at"])
    db.table("release_events").create_index(["site_id", "at"])
    db.table("release_events").create_index(["release_id"])
    db.execute(
        "INSERT INTO release_events (release_id, site_id, key, crawl_id, at, event, version_id) "
        "SELECT v.release_id, r.site_id, r.key, v.crawl_id, v.captured_at, "
        "CASE v.version WHEN 1 THEN 'new' ELSE 'changed' END, v.id "
        "FROM versions v JOIN releases r ON r.id = v.release_id ORDER BY v.id"
    )
    db.execute(
        "INSERT INTO release_events (release_id, site_id, key, at, event) "
        "SELECT id, site_id, key, removed_at, 'removed' FROM releases WHERE status = 'removed'"
    )
    db.table("word_changes").create(
        {
            "id": int,
            "version_id": int,
            "release_id": int,
            "site_id": str,
            "year": int,
            "field": str,
            "op": str,
            "text": str,
        },
        pk="id",
        foreign_keys=[("version_id", "versions", "id"), ("release_id", "releases", "id")],
    )
    db.table("word_changes").create_index(["version_id"])
    db.table("word_changes").create_index(["site_id", "year"])
    for statement in unquoted_fts_statements("word_changes", ["text"]):
        db.execute(statement)
    # The word changes of versions stored before this migration are the
    # writer's to fill (version_rows.fill_derived): computing them is live
    # code, and a migration must do the same thing for ever.
    for statement in VIEWS_M002:
        db.execute(statement)


@migration
def m003_one_change_log_site_events_quoted_fts(db: Database) -> None:
    """One definition of a change (the change_log view) for the CLI, the feed
    and Datasette; site health events; FTS tables sqlite-utils can find."""
    db.execute("ALTER TABLE release_events ADD COLUMN message TEXT")
    db.execute("DROP VIEW changes")
    for statement in CHANGE_VIEWS_M003:
        db.execute(statement)
    # sqlite-utils (search, Table.search(), detect_fts()) and Datasette find
    # an FTS table only when its SQL reads content="TABLE"; m001 and m002
    # wrote content=TABLE.  Same columns and triggers, quoted, rebuilt.
    for table, columns in (("versions", ["title", "body"]), ("word_changes", ["text"])):
        for trigger in ("ai", "ad", "au"):
            db.execute(f"DROP TRIGGER {table}_{trigger}")
        db.execute(f"DROP TABLE {table}_fts")
        for statement in fts_statements(table, columns):
            db.execute(statement)
        db.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')")


@migration
def m004_sweep(db: Database) -> None:
    """How much of the rolling sweep each run did: releases rechecked because
    they were the longest unchecked, out of those outside the revisit window."""
    db.execute("ALTER TABLE crawls ADD COLUMN swept INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE crawls ADD COLUMN sweep_size INTEGER NOT NULL DEFAULT 0")
    db.table("releases").create_index(["site_id", "last_checked"])


@migration
def m005_list_evidence(db: Database) -> None:
    """The list as evidence: how the list showed each release (key, title and
    date as listed, position) whenever that changed, which releases a
    complete pass over the list no longer shows, and how far the pass got."""
    db.table("listings").create(
        {
            "id": int,
            "site_id": str,
            "crawl_id": int,
            "seen_at": str,
            "walk": str,
            "page": int,
            "position": int,
            "key": str,
            "title": str,
            "listed": str,
            "url": str,
        },
        pk="id",
        foreign_keys=[("site_id", "sites", "id"), ("crawl_id", "crawls", "id")],
    )
    db.table("listings").create_index(["site_id", "crawl_id"])
    db.table("listings").create_index(["site_id", "key"])
    db.execute("ALTER TABLE crawls ADD COLUMN list_pages INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE releases ADD COLUMN listed_title TEXT")
    db.execute("ALTER TABLE releases ADD COLUMN last_listed TEXT")
    db.execute("ALTER TABLE releases ADD COLUMN unlisted_at TEXT")
    # One row per pass over a site's whole list; the open one (ended NULL)
    # says where each walk's next run goes on; it ends "complete", or
    # "restarted" when the list moved too much to stitch the runs together.
    db.table("list_cycles").create(
        {
            "id": int,
            "site_id": str,
            "started_crawl_id": int,
            "started_at": str,
            "ended_at": str,
            "ended": str,
            "progress": str,
        },
        pk="id",
        foreign_keys=[("site_id", "sites", "id"), ("started_crawl_id", "crawls", "id")],
    )
    db.table("list_cycles").create_index(["site_id", "ended"])
    db.execute("DROP VIEW latest_versions")
    db.execute(LATEST_VERSIONS_M005)


@migration
def m006_capture_headers(db: Database) -> None:
    """From now on each raw page keeps how it was fetched and answered: the
    HTTP status, the response headers and the request headers, as evidence
    (a capture can then be exported with them).  Pages stored before have
    NULL here."""
    db.execute("ALTER TABLE raw_pages ADD COLUMN http_status INTEGER")
    db.execute("ALTER TABLE raw_pages ADD COLUMN response_headers TEXT")
    db.execute("ALTER TABLE raw_pages ADD COLUMN request_headers TEXT")


@migration
def m007_alerts(db: Database) -> None:
    """Alerts sent once per change: from which event each destination
    follows each site, and what became of every change sent to it.  A
    destination is known by a digest of its URL: the URL can hold a password,
    and an archive is meant to be published."""
    db.table("alert_subscriptions").create(
        {"target": str, "site_id": str, "since_event_id": int, "created_at": str},
        pk=("target", "site_id"),
    )
    db.table("alert_deliveries").create(
        {
            "id": int,
            "target": str,
            "site_id": str,
            "event_id": int,
            "state": str,
            "attempts": int,
            "updated_at": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("event_id", "release_events", "id")],
    )
    db.table("alert_deliveries").create_index(["target", "event_id"], unique=True)
    db.table("alert_deliveries").create_index(["state"])


@migration
def m008_release_aliases(db: Database) -> None:
    """Keys a release is also known by: the key of the URL its page moved to
    (a slug edited with the title), so that a list showing the new URL finds
    the release it always was."""
    db.table("release_aliases").create(
        {"site_id": str, "key": str, "release_id": int, "since": str},
        pk=("site_id", "key"),
        foreign_keys=[("release_id", "releases", "id")],
    )


@migration
def m009_reextractions(db: Database) -> None:
    """Every version re-extraction rewrote or merged: what, when, by which
    profile, with the content hashes before and after (and the capture of a
    merged version, which no longer has a row of its own)."""
    db.table("reextractions").create(
        {
            "id": int,
            "at": str,
            "release_id": int,
            "version_id": int,
            "version": int,
            "action": str,
            "old_hash": str,
            "new_hash": str,
            "profile": str,
            "html_zlib": bytes,
        },
        pk="id",
        foreign_keys=[("release_id", "releases", "id")],
    )
    db.table("reextractions").create_index(["release_id"])


@migration
def m010_relayed_jobs(db: Database) -> None:
    """Crawl jobs on other machines whose outcomes reached the archive
    through Redis (storage.relay): how far each job's messages were applied,
    so that a redelivered message changes nothing, and which crawl row each
    of its sites writes to."""
    db.table("relayed_jobs").create(
        {"token": str, "applied_seq": int, "updated_at": str},
        pk="token",
    )
    db.table("relayed_crawls").create(
        {"token": str, "site_id": str, "crawl_id": int},
        pk=("token", "site_id"),
        foreign_keys=[("crawl_id", "crawls", "id")],
    )


@migration
def m011_readers(db: Database) -> None:
    """One lens (storage.write.lens): each version records what read it; a
    re-reading by a new reader is audited with both records and why."""
    db.execute("ALTER TABLE versions ADD COLUMN reader TEXT")
    for column in ("reason", "old_record", "new_record"):
        db.execute(f"ALTER TABLE reextractions ADD COLUMN [{column}] TEXT")
