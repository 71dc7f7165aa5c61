"""What a version derives from the one before it, written alike by a
crawl, a re-reading (storage.write.lens), ``reextract`` and a backfill: the
fields that changed, the diff, the kinds and significance of the change
(storage.contract.kinds), the word changes the word-level search reads; and the
raw_pages row that keeps the capture it was read from."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlite_utils import Database

from ..contract.captures import Captures
from ..contract.content import FIELDS, Content, changed_fields
from ..contract.diff import unified_diff, word_changes
from ..contract.kinds import classify
from ..contract.outcomes import FetchOutcome
from ..contract.records import Site

FILL_BATCH = 500


def derived(previous: Content | None, content: Content, number: int, key_terms: tuple[str, ...] = ()) -> dict[str, Any]:
    """The versions columns that follow from the version before (none for a
    first); ``key_terms``: the site's, which raise the significance."""
    if previous is None:
        return {"changed": "[]", "diff": None, "change_kinds": None, "significance": None}
    change = classify(previous, content, key_terms)
    return {
        "changed": json.dumps(changed_fields(previous, content)),
        "diff": unified_diff(previous, content, f"version {number - 1}", f"version {number}"),
        "change_kinds": json.dumps(change.kinds),
        "significance": change.significance,
    }


def raw_page(version_id: int, outcome: FetchOutcome, captures: Captures) -> dict[str, Any]:
    """The raw_pages row keeping the capture a version was read from, as evidence."""
    return {
        "version_id": version_id,
        "url": outcome.captured_from or outcome.observation.url,
        "encoding": outcome.encoding,
        **captures.pack(outcome.site_id, outcome.raw_html),
        "sha256": hashlib.sha256(outcome.raw_html).hexdigest(),  # what `verify` proves unchanged
        "http_status": outcome.observation.http_status,
        "response_headers": json.dumps(outcome.response_headers, ensure_ascii=False),
        "request_headers": json.dumps(outcome.request_headers, ensure_ascii=False),
    }


class SiteTerms:
    """Each site's key terms as the writer last registered them: every
    version it stores is ranked with them, read from the archive once."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.known: dict[str, tuple[str, ...]] = {}

    def register(self, site: Site) -> dict[str, Any]:
        """The site's row for the sites table, its key terms kept."""
        self.known[site.id] = site.key_terms
        return {**site.__dict__, "key_terms": json.dumps(list(site.key_terms), ensure_ascii=False)}

    def __call__(self, site_id: str) -> tuple[str, ...]:
        if site_id not in self.known:
            self.known[site_id] = site_key_terms(self.db, site_id)
        return self.known[site_id]


def site_key_terms(db: Database, site_id: str) -> tuple[str, ...]:
    """The key terms the site was last registered with (none before m016)."""
    row = db.execute("SELECT key_terms FROM sites WHERE id = ?", [site_id]).fetchone()
    return tuple(json.loads(row[0])) if row and row[0] else ()


def fill_derived(db: Database) -> int:
    """What versions stored before presswatch kept it derive from the one
    before: kinds and significance (migration m015), and word changes where
    a version has none (those of archives older than m002, whose migration
    leaves them to live code).  A batch per transaction; returns how many."""
    done = 0
    while True:
        rows = db.execute(
            "SELECT v.id, v.release_id, r.site_id, s.key_terms, v.captured_at, "
            "NOT EXISTS (SELECT 1 FROM word_changes w WHERE w.version_id = v.id), "
            "v.title, v.published, v.body, v.attachments, p.title, p.published, p.body, p.attachments "
            "FROM versions v JOIN versions p ON p.release_id = v.release_id AND p.version = v.version - 1 "
            "JOIN releases r ON r.id = v.release_id LEFT JOIN sites s ON s.id = r.site_id "
            "WHERE v.version > 1 AND v.change_kinds IS NULL LIMIT ?",
            [FILL_BATCH],
        ).fetchall()
        if not rows:
            return done
        with db.atomic():
            for version_id, release_id, site_id, terms, captured_at, wordless, *fields in rows:
                new, old = (Content.from_row(dict(zip(FIELDS, part))) for part in (fields[:4], fields[4:]))
                change = classify(old, new, tuple(json.loads(terms)) if terms else ())
                db.execute(
                    "UPDATE versions SET change_kinds = ?, significance = ? WHERE id = ?",
                    [json.dumps(change.kinds), change.significance, version_id],
                )
                if wordless:
                    insert_word_changes(db, version_id, release_id, site_id, captured_at, old, new)
        done += len(rows)


def insert_word_changes(
    db: Database,
    version_id: int,
    release_id: int,
    site_id: str,
    captured_at: str,
    old: Content,
    new: Content,
) -> None:
    db.table("word_changes").insert_all(
        {
            "version_id": version_id,
            "release_id": release_id,
            "site_id": site_id,
            "year": int(captured_at[:4]),
            "field": field,
            "op": "deleted" if op == "delete" else "inserted",
            "text": text,
        }
        for field, op, text in word_changes(old, new)
    )
