"""A release's history put back in order: one home for merging and
renumbering versions, shared by ``reextract`` (a fixed profile makes two
versions identical) and a backfill (captures older than the archive's
fit in among its versions).

``rebuild`` sorts a release's versions by capture time, merges each one
identical to the one before it into that one (the earlier capture stays:
a version's captured_at is when its content was first captured), numbers
them 1..n without gaps, and rebuilds what each derives from the one
before (storage.write.version_rows: diff, changed fields, kinds, word changes;
FTS follows through its triggers).  A merged version's capture moves into
the ``reextractions`` audit row, its events go (they announced a change
that was not one), and the release row follows its latest version.
A version's own event says ``new`` for version 1 and ``changed`` after;
events keep their ids and times, so nothing already sent is sent again.
"""

from __future__ import annotations

import zlib

from sqlite_utils import Database

from ..contract.captures import COLUMNS, Captures
from ..contract.content import Content, content_hash
from ..contract.records import utcnow
from .version_rows import derived, insert_word_changes, site_key_terms


def contents(db: Database, release_id: int, new: dict[int, Content] | None = None) -> list[tuple[int, Content]]:
    """A release's versions in capture-time order, as (id, content); ``new``
    replaces the content of some of them (a plan not yet applied)."""
    rows = db.execute(
        "SELECT id, title, published, body, attachments FROM versions WHERE release_id = ? "
        "ORDER BY captured_at, version",
        [release_id],
    ).fetchall()
    return [
        (vid, (new or {}).get(vid) or Content.from_row({"title": t, "published": p, "body": b, "attachments": a}))
        for vid, t, p, b, a in rows
    ]


def rebuild(db: Database, release_id: int, label: str) -> int:
    """Merge, renumber and rebuild one release's versions (inside the
    caller's transaction); how many versions merged into the one before."""
    kept: list[tuple[int, Content]] = []
    gone, stored = 0, Captures(db)  # one board's references, loaded once for all its merges
    for vid, content in contents(db, release_id):
        if kept and content_hash(content) == content_hash(kept[-1][1]):
            _merge(db, release_id, vid, content, kept[-1], label, stored)
            gone += 1
        else:
            kept.append((vid, content))
    site_id = db.execute("SELECT site_id FROM releases WHERE id = ?", [release_id]).fetchone()[0]
    db.execute("DELETE FROM word_changes WHERE release_id = ?", [release_id])
    previous: Content | None = None
    key_terms = site_key_terms(db, site_id)
    for number, (vid, content) in enumerate(kept, 1):
        captured = db.execute("SELECT captured_at FROM versions WHERE id = ?", [vid]).fetchone()[0]
        rows = derived(previous, content, number, key_terms)
        db.execute(
            "UPDATE versions SET version = ?, changed = ?, diff = ?, change_kinds = ?, significance = ? WHERE id = ?",
            [-number, rows["changed"], rows["diff"], rows["change_kinds"], rows["significance"], vid],
        )  # negative first: (release_id, version) stays unique while numbers move
        db.execute(
            "UPDATE release_events SET event = ? WHERE version_id = ? AND event IN ('new', 'changed')",
            ["new" if number == 1 else "changed", vid],
        )
        if previous is not None:
            insert_word_changes(db, vid, release_id, site_id, captured, previous, content)
        previous = content
    db.execute("UPDATE versions SET version = -version WHERE release_id = ? AND version < 0", [release_id])
    last_id, last = kept[-1]
    db.execute(
        "UPDATE releases SET version_count = ?, latest_version_id = ?, content_hash = ?, published = ? WHERE id = ?",
        [len(kept), last_id, content_hash(last), last.published, release_id],
    )
    return gone


def _merge(
    db: Database,
    release_id: int,
    vid: int,
    content: Content,
    into: tuple[int, Content],
    label: str,
    stored: Captures,
) -> None:
    number = db.execute("SELECT version FROM versions WHERE id = ?", [vid]).fetchone()[0]
    raw = db.execute(f"SELECT {COLUMNS} FROM raw_pages p WHERE version_id = ?", [vid]).fetchone()
    # The audit keeps the capture whole, in zlib, apart from any reference.
    kept_capture = zlib.compress(stored.unpack(*raw), 1) if raw else None
    audit(
        db,
        release_id,
        vid,
        number,
        f"merged into the version before (id {into[0]})",
        content_hash(content),
        content_hash(into[1]),
        label,
        kept_capture,
    )
    events = [row[0] for row in db.execute("SELECT id FROM release_events WHERE version_id = ?", [vid])]
    for event_id in events:
        db.execute("DELETE FROM alert_deliveries WHERE event_id = ?", [event_id])
        db.execute("DELETE FROM release_events WHERE id = ?", [event_id])
    db.execute("DELETE FROM word_changes WHERE version_id = ?", [vid])
    db.execute("DELETE FROM raw_pages WHERE version_id = ?", [vid])
    # An imported capture of the merged version shows the content of the one it merged into.
    db.execute("UPDATE imported_captures SET version_id = ? WHERE version_id = ?", [into[0], vid])
    db.execute("UPDATE releases SET latest_version_id = NULL WHERE latest_version_id = ?", [vid])
    db.execute("DELETE FROM versions WHERE id = ?", [vid])


def audit(
    db: Database,
    release_id: int,
    version_id: int,
    version: int,
    action: str,
    old_hash: str,
    new_hash: str,
    profile: str,
    html_zlib: bytes | None = None,
) -> None:
    db.table("reextractions").insert(
        {
            "at": utcnow(),
            "release_id": release_id,
            "version_id": version_id,
            "version": version,
            "action": action,
            "old_hash": old_hash,
            "new_hash": new_hash,
            "profile": profile,
            "html_zlib": html_zlib,
        }
    )
