"""One lens: a release's new capture is compared with its latest version as
read by the same reader.

A reader is presswatch's extraction code, the site's profile and its
learned template, named by one id (``presswatch 0.2.0+1a2b3c4d; profile
…; template …``) that every version records.  When a fetched page was read
by another reader than the latest version was, that version's stored
capture is read again by the page's reader before the two are compared.  A
re-reading that differs rewrites the version's record in place (its diff
and word changes follow) and leaves an audit row in ``reextractions`` with
the records before and after and why; it is never a version, an event, a
feed entry or an alert.  So an upgrade, an edited profile or a relearned
template changes how the archive reads, never what it says was published.

The re-reading itself is the crawl's (storage never extracts): the writer
is handed a ``Reread`` that turns a capture into a record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from ..contract.captures import COLUMNS, Captures
from ..contract.content import Content, content_hash, normalise
from ..contract.records import utcnow
from .version_rows import derived, insert_word_changes, site_key_terms

# (raw bytes, their encoding, the URL they came from, the release's key) →
# the record the current reader finds in them, or None when it finds no
# release there (the capture is then left as it was read).
Reread = Callable[[bytes, str, str, str], Content | None]


def reread_latest(
    db: Database,
    release: dict[str, Any],
    reader: str,
    reread: Reread,
    captures: Captures | None = None,
) -> Content | None:
    """Bring the release's latest version under ``reader``: re-read its
    capture when another reader read it, rewrite and audit it when the
    re-reading differs.  Returns the latest content as ``reader`` sees it
    (None: no version to read).  ``captures``: the writer's, whose board
    references are loaded already."""
    row = db.execute(
        "SELECT v.id, v.version, v.title, v.published, v.body, v.attachments, v.reader, v.captured_at, "
        f"{COLUMNS}, p.encoding, p.url FROM versions v LEFT JOIN raw_pages p ON p.version_id = v.id "
        "WHERE v.id = ?",
        [release["latest_version_id"]],
    ).fetchone()
    if row is None:
        return None
    version_id, number, title, published, body, attachments, old_reader, captured_at, *capture, encoding, url = row
    stored = Content.from_row({"title": title, "published": published, "body": body, "attachments": attachments})
    if old_reader == reader or capture == [None, None, None]:
        return stored
    found = reread(
        (captures or Captures(db)).unpack(*capture), encoding or "utf-8", url or release["url"], release["key"]
    )
    if found is None:  # the new reader finds no release in the old capture (a redesign): keep its record
        return stored
    new = normalise(found)
    if new.published is None and stored.published:  # a date the list gave, which a page alone cannot
        new = Content(new.title, stored.published, new.body, new.attachments)
    if content_hash(new) == content_hash(stored):
        db.execute("UPDATE versions SET reader = ? WHERE id = ?", [reader, version_id])
        return stored
    _rewrite(db, release, version_id, number, captured_at, stored, new, reader)
    db.execute(
        "INSERT INTO reextractions (at, release_id, version_id, version, action, old_hash, new_hash, profile, "
        "reason, old_record, new_record) VALUES (?, ?, ?, ?, 're-read', ?, ?, ?, ?, ?, ?)",
        [
            utcnow(),
            release["id"],
            version_id,
            number,
            content_hash(stored),
            content_hash(new),
            reader,
            why(old_reader, reader),
            _record(stored),
            _record(new),
        ],
    )
    return new


def why(old: str | None, new: str) -> str:
    """What changed between two readers, in words: "presswatch 0.2.0+… (was
    0.1.0+…)", "profile edited", "template relearned"."""
    if not old:
        return "read by a presswatch that did not record its reader"
    before, after = _parts(old), _parts(new)
    reasons = []
    if before.get("presswatch") != after.get("presswatch"):
        reasons.append(f"presswatch {after.get('presswatch')} (was {before.get('presswatch')})")
    if before.get("profile") != after.get("profile"):
        reasons.append("profile edited")
    if before.get("template") != after.get("template"):
        reasons.append("template relearned")
    return ", ".join(reasons) or "reader changed"


def _parts(reader: str) -> dict[str, str]:
    return dict(part.strip().partition(" ")[::2] for part in reader.split(";"))


def _record(content: Content) -> str:
    return json.dumps(content.as_dict(), ensure_ascii=False)


def _rewrite(
    db: Database,
    release: dict[str, Any],
    version_id: int,
    number: int,
    captured_at: str,
    old: Content,
    new: Content,
    reader: str,
) -> None:
    previous = _previous(db, release["id"], number)
    fields = new.as_dict()
    rows = derived(previous, new, number, site_key_terms(db, release["site_id"]))
    db.execute(
        "UPDATE versions SET title = ?, published = ?, body = ?, attachments = ?, content_hash = ?, reader = ?, "
        "changed = ?, diff = ?, change_kinds = ?, significance = ? WHERE id = ?",
        [
            fields["title"],
            fields["published"],
            fields["body"],
            json.dumps(fields["attachments"], ensure_ascii=False),
            content_hash(new),
            reader,
            rows["changed"],
            rows["diff"],
            rows["change_kinds"],
            rows["significance"],
            version_id,
        ],
    )
    db.execute("DELETE FROM word_changes WHERE version_id = ?", [version_id])
    if previous is not None:
        insert_word_changes(db, version_id, release["id"], release["site_id"], captured_at, previous, new)
    db.execute(
        "UPDATE releases SET content_hash = ?, published = ? WHERE id = ?",
        [content_hash(new), new.published, release["id"]],
    )


def _previous(db: Database, release_id: int, number: int) -> Content | None:
    row = db.execute(
        "SELECT title, published, body, attachments FROM versions WHERE release_id = ? AND version = ?",
        [release_id, number - 1],
    ).fetchone()
    if row is None:
        return None
    return Content.from_row(dict(zip(("title", "published", "body", "attachments"), row)))
