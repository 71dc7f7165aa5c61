"""Re-extraction: the archive a fixed profile would have built, from the raw
pages it keeps, without fetching anything again.

``plan`` runs an extractor over the capture of every version of a site and
says which versions would change.  ``apply`` rewrites their clean fields,
merges each version that becomes identical to the one before it into that
one (versions stay numbered 1..n without gaps), rebuilds the diffs and the
word changes of the releases it touched (FTS follows through its triggers),
and records every rewrite and merge in ``reextractions`` with the old and
new content hash and the profile that did it.  A merged version's event
goes (it announced a change that was the profile's, not the site's) and its
capture moves into the audit row: nothing fetched is lost.  Events keep
their times, so feeds do not announce old changes again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from ..contract.captures import COLUMNS, Captures
from ..contract.content import Content, changed_fields, content_hash, normalise
from .history import audit, contents, rebuild

# raw HTML, its encoding, its URL → the clean record, or None when the
# current profile finds no release in it (the version is then left alone)
Extractor = Callable[[bytes, str, str], Content | None]


@dataclass(frozen=True)
class Rewrite:
    release_id: int
    key: str
    version_id: int
    version: int
    old: Content
    new: Content

    @property
    def fields(self) -> list[str]:
        return changed_fields(self.old, self.new)


def plan(db: Database, site_id: str, extract: Extractor) -> list[Rewrite]:
    """Every version of the site whose capture the extractor reads differently."""
    rows = db.execute(
        "SELECT v.id, v.release_id, r.key, v.version, v.title, v.published, v.body, v.attachments, "
        f"{COLUMNS}, p.encoding, p.url FROM versions v JOIN releases r ON r.id = v.release_id "
        "JOIN raw_pages p ON p.version_id = v.id WHERE r.site_id = ? ORDER BY v.release_id, v.version",
        [site_id],
    ).fetchall()
    rewrites, stored = [], Captures(db)
    for version_id, release_id, key, number, title, published, body, attachments, *capture, encoding, url in rows:
        old = Content.from_row({"title": title, "published": published, "body": body, "attachments": attachments})
        found = extract(stored.unpack(*capture), encoding or "utf-8", url)
        if found is None:
            continue
        new = normalise(found)
        if new.published is None and old.published:  # a date the list gave, which a page alone cannot
            new = Content(new.title, old.published, new.body, new.attachments)
        if content_hash(new) != content_hash(old):
            rewrites.append(Rewrite(release_id, key, version_id, number, old, new))
    return rewrites


def merges(db: Database, rewrites: list[Rewrite]) -> int:
    """How many versions the rewrites would merge into the one before."""
    return sum(len(_merged(db, release_id, group)) for release_id, group in _by_release(rewrites).items())


def apply(db: Database, rewrites: list[Rewrite], profile: str) -> tuple[int, int]:
    """Rewrite, merge and rebuild, in one transaction; (rewritten, merged)."""
    rewritten = merged = 0
    with db.conn:
        for release_id, group in _by_release(rewrites).items():
            for rewrite in group:
                _rewrite(db, rewrite, profile)
                rewritten += 1
            merged += rebuild(db, release_id, profile)
    return rewritten, merged


def _by_release(rewrites: list[Rewrite]) -> dict[int, list[Rewrite]]:
    grouped: dict[int, list[Rewrite]] = {}
    for rewrite in rewrites:
        grouped.setdefault(rewrite.release_id, []).append(rewrite)
    return grouped


def _merged(db: Database, release_id: int, group: list[Rewrite]) -> list[int]:
    versions = contents(db, release_id, {rewrite.version_id: rewrite.new for rewrite in group})
    return [
        vid
        for (_, before), (vid, content) in zip(versions, versions[1:])
        if content_hash(content) == content_hash(before)
    ]


def _rewrite(db: Database, rewrite: Rewrite, profile: str) -> None:
    content = rewrite.new.as_dict()
    db.execute(
        "UPDATE versions SET title = ?, published = ?, body = ?, attachments = ?, content_hash = ? WHERE id = ?",
        [
            content["title"],
            content["published"],
            content["body"],
            json.dumps(content["attachments"], ensure_ascii=False),
            content_hash(rewrite.new),
            rewrite.version_id,
        ],
    )
    audit(
        db,
        rewrite.release_id,
        rewrite.version_id,
        rewrite.version,
        "rewritten",
        content_hash(rewrite.old),
        content_hash(rewrite.new),
        profile,
    )
