"""Read-only questions people ask of an archive."""

from __future__ import annotations

from sqlite_utils import Database

from .content import Content
from .diff import unified_diff


class NotFound(LookupError):
    """No such release or version; the message says which."""


def release(db: Database, site_id: str, key: str) -> dict:
    rows = list(db["releases"].rows_where("site_id = ? AND key = ?", [site_id, key]))
    if not rows:
        raise NotFound(f"no release {site_id}:{key} in the archive")
    return rows[0]


def release_by_url(db: Database, url: str) -> dict:
    rows = list(db["releases"].rows_where("url = ?", [url]))
    if not rows:
        raise NotFound(f"no release with URL {url} in the archive")
    return rows[0]


def history(db: Database, release_id: int) -> list[dict]:
    """Every version of a release, oldest first."""
    return list(
        db["versions"].rows_where(
            "release_id = ?",
            [release_id],
            order_by="version",
            select="version, captured_at, title, published, changed, content_hash",
        )
    )


def version(db: Database, release_id: int, number: int) -> dict:
    rows = list(
        db["versions"].rows_where(
            "release_id = ? AND version = ?", [release_id, number]
        )
    )
    if not rows:
        raise NotFound(f"release has no version {number}")
    return rows[0]


def diff(db: Database, release_row: dict, a: int | None = None, b: int | None = None) -> str:
    """Unified diff from version ``a`` to ``b`` (default: the last two)."""
    count = release_row["version_count"]
    if a is None and b is None:
        if count < 2:
            raise NotFound(
                f"release {release_row['site_id']}:{release_row['key']} "
                f"has {count} version{'s' if count != 1 else ''}: nothing to compare"
            )
        a, b = count - 1, count
    old = version(db, release_row["id"], a)
    new = version(db, release_row["id"], b)
    if b == a + 1 and new["diff"]:
        return new["diff"]
    return unified_diff(
        Content.from_row(old), Content.from_row(new), f"version {a}", f"version {b}"
    )
