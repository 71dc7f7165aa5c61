"""The archive's schema, as named migrations recorded in the database.

Each migration runs once, in a transaction, and is recorded in
``_sqlite_migrations``; an archive written by an older presswatch upgrades
when it is opened.  Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("presswatch")


@migrations()
def m001_initial(db: Database) -> None:
    db["sites"].create(
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
    db["crawls"].create(
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
    db["releases"].create(
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
    db["releases"].create_index(["site_id", "key"], unique=True)
    db["releases"].create_index(["site_id", "published"])
    db["versions"].create(
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
    db["versions"].create_index(["release_id", "version"], unique=True)
    db["versions"].create_index(["captured_at"])
    db["fetches"].create(
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
    db["fetches"].create_index(["release_id", "fetched_at"])
    db["fetches"].create_index(["crawl_id"])
    # The HTML behind each version, zlib-compressed, so extraction can be
    # re-run when a site profile improves.
    db["raw_pages"].create(
        {"version_id": int, "url": str, "encoding": str, "html_zlib": bytes},
        pk="version_id",
        foreign_keys=[("version_id", "versions", "id")],
    )
    # Written out rather than via Table.enable_fts(), which runs executescript()
    # and so would commit half-way through this migration's transaction.  The
    # names follow sqlite-utils' convention, so Datasette and
    # Table.search() find the index.
    for statement in _VERSIONS_FTS:
        db.execute(statement)


_VERSIONS_FTS = (
    "CREATE VIRTUAL TABLE versions_fts USING FTS5 (title, body, content=versions)",
    """CREATE TRIGGER versions_ai AFTER INSERT ON versions BEGIN
      INSERT INTO versions_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
    END""",
    """CREATE TRIGGER versions_ad AFTER DELETE ON versions BEGIN
      INSERT INTO versions_fts (versions_fts, rowid, title, body)
      VALUES ('delete', old.rowid, old.title, old.body);
    END""",
    """CREATE TRIGGER versions_au AFTER UPDATE ON versions BEGIN
      INSERT INTO versions_fts (versions_fts, rowid, title, body)
      VALUES ('delete', old.rowid, old.title, old.body);
      INSERT INTO versions_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
    END""",
)


def migrate(db: Database) -> None:
    migrations.apply(db)


def is_current(db: Database) -> bool:
    return not migrations.pending(db)
