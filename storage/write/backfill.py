"""History from before presswatch watched: captures from web archives.

A capture from a WARC file or a Wayback-compatible CDX API reaches the
archive as a crawl's fetch does (a ``FetchOutcome`` or ``ListingOutcome``,
read by the crawl's own reader), dated by the web archive's capture time,
and with its origin: the WARC file (or CDX API), the record id, the
capture time and the payload digest, one ``imported_captures`` row each.
That row is also what makes an import idempotent: a capture already held
(same site, URL, time and digest) is skipped, whoever imported it.

A capture later than everything the archive holds of its release is
applied exactly as a crawl's fetch (``Archive.apply``: the same version
rule).  One older than that fits into the release's past: it becomes a
version only if it differs from the version current at its time, and the
release's history is then put back in capture-time order (storage.write.history).
A past 404 or error is logged as a fetch of its time and changes nothing
of what later fetches found.

Every event an import writes is marked ``backfilled`` (when it was
written; ``at`` is the capture time): feeds and alerts never announce
them as new, ``changes`` and Datasette show them marked.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..contract.captures import COLUMNS
from ..contract.content import Content, content_hash, keep_precision, normalise
from ..contract.outcomes import FetchKind, FetchOutcome, ListingOutcome
from ..contract.records import Outcome, Site, utcnow
from .archive import Archive
from .history import rebuild
from .lens import Reread
from .version_rows import raw_page

Batched = Callable[[Callable[[Any], Any], Any], Any]


@dataclass(frozen=True)
class CaptureOrigin:
    """Where an imported capture came from, as the web archive names it."""

    url: str  # the URI the web archive captured
    captured_at: str  # UTC ISO, to the second
    digest: str  # payload digest as the archive gives it: "sha1:…", "sha256:…"
    source: str  # the WARC file's name, or the CDX API's address
    record_id: str | None = None  # WARC-Record-ID, when a WARC file was read
    http_status: int | None = None

    def cite(self) -> str:
        record = f" record {self.record_id}" if self.record_id else ""
        return f"{self.source}{record}, captured {self.captured_at}, digest {self.digest}"


@dataclass
class ImportSummary:
    crawl_id: int | None = None  # None: every capture was held already
    imported: int = 0
    held: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # what the captures did: new, changed, …

    def line(self, site_id: str) -> str:
        counts = ", ".join(f"{count} {name}" for name, count in sorted(self.outcomes.items()))
        return f"{site_id}: imported {self.imported} captures ({counts or 'none'}), {self.held} held already"


class Importer:
    """Applies one site's imported captures, oldest first, each once.

    Made by ``ArchiveWriter.begin_import``: its writes go through the
    writer's batches (one savepoint per capture)."""

    def __init__(self, archive: Archive, site: Site, source: str, batched: Batched):
        self.archive = archive
        self.site = site
        self.source = source
        self.batched = batched
        self.summary = ImportSummary()

    def held(self, origin: CaptureOrigin) -> bool:
        """The capture is in the archive already (imported before)."""
        return (
            self.archive.db.execute(
                "SELECT 1 FROM imported_captures WHERE site_id = ? AND url = ? AND captured_at = ? AND digest = ?",
                [self.site.id, origin.url, origin.captured_at, origin.digest],
            ).fetchone()
            is not None
        )

    def held_digests(self, url: str) -> set[str]:
        """Digests of the captures of ``url`` imported already."""
        rows = self.archive.db.execute(
            "SELECT DISTINCT digest FROM imported_captures WHERE site_id = ? AND url = ?", [self.site.id, url]
        )
        return {row[0] for row in rows}

    def held_bytes(self, url: str, digest: str) -> tuple[int | None, list[tuple[str, str]], bytes] | None:
        """Status, headers and bytes of a capture of ``url`` with this payload
        digest that the archive keeps (an imported one a version was read
        from, or a crawled one when the digest is SHA-256): never fetched again."""
        db = self.archive.db
        row = db.execute(
            "SELECT i.version_id FROM imported_captures i JOIN raw_pages p ON p.version_id = i.version_id "
            "WHERE i.site_id = ? AND i.url = ? AND i.digest = ? LIMIT 1",
            [self.site.id, url, digest],
        ).fetchone()
        if row is None and digest.lower().startswith("sha256:"):
            try:
                sha256 = base64.b32decode(digest[7:].upper()).hex()
            except (binascii.Error, ValueError):
                return None
            row = db.execute(
                "SELECT p.version_id FROM raw_pages p JOIN versions v ON v.id = p.version_id "
                "JOIN releases r ON r.id = v.release_id WHERE r.site_id = ? AND p.url = ? AND p.sha256 = ? LIMIT 1",
                [self.site.id, url, sha256],
            ).fetchone()
        if row is None:
            return None
        found = db.execute(
            f"SELECT {COLUMNS}, p.http_status, p.response_headers FROM raw_pages p WHERE version_id = ?", [row[0]]
        ).fetchone()
        *capture, status, headers = found
        pairs = [(name, value) for name, value in json.loads(headers or "[]")]
        return status, pairs, self.archive.captures.unpack(*capture)

    def apply(self, outcome: FetchOutcome, origin: CaptureOrigin, reread: Reread | None = None) -> Outcome | None:
        """Archive one release page capture; None when it was held already."""
        result: Outcome | None = self.batched(lambda item: self._page(item, origin, reread), outcome)
        return result

    def apply_listing(self, listing: ListingOutcome, origin: CaptureOrigin) -> list[str] | None:
        """Archive one list page capture as list evidence; None when held already."""
        result: list[str] | None = self.batched(lambda item: self._listing(item, origin), listing)
        return result

    def finish(self) -> ImportSummary:
        """Close the import's crawl row, if it wrote anything."""
        if self.summary.crawl_id is not None:
            with self.archive.db.atomic():
                self.archive.db.execute(
                    "UPDATE crawls SET status = 'imported', finished_at = ?, requests = ?, message = ? WHERE id = ?",
                    [utcnow(), self.summary.imported, f"imported from {self.source}", self.summary.crawl_id],
                )
        return self.summary

    # Inside one savepoint each ----------------------------------------------

    def _page(self, outcome: FetchOutcome, origin: CaptureOrigin, reread: Reread | None) -> Outcome | None:
        db = self.archive.db
        with db.atomic():
            if self.held(origin):
                self.summary.held += 1
                return None
            outcome.crawl_id = self._crawl()
            outcome.observation.fetched_at = origin.captured_at
            last_event = self._last_event()
            release = self.archive._release(outcome.site_id, outcome.key) if outcome.key else None
            if release is not None and _latest_time(db, release) > origin.captured_at:
                result, version_id = self._past(release, outcome, origin)
            else:
                result = self.archive.apply(outcome, reread)
                version_id = None
                if result in (Outcome.NEW, Outcome.CHANGED) and outcome.key:
                    found = self.archive._release(outcome.site_id, outcome.key)
                    version_id = found["latest_version_id"] if found else None
            self._mark(last_event)
            self._record(origin, "release", outcome.key, result.value, version_id)
        return result

    def _listing(self, listing: ListingOutcome, origin: CaptureOrigin) -> list[str] | None:
        with self.archive.db.atomic():
            if self.held(origin):
                self.summary.held += 1
                return None
            listing.crawl_id = self._crawl()
            listing.seen_at = origin.captured_at
            # A release some list showed later keeps what that later list said
            # (its listed title, whether it is unlisted): the past does not undo it.
            listing.entries = [
                entry for entry in listing.entries if not self._listed_since(entry.key, origin.captured_at)
            ]
            last_event = self._last_event()
            events = self.archive.apply_listing(listing)
            self._mark(last_event)
            self._record(origin, "list", None, "listed", None)
        return events

    def _listed_since(self, key: str, moment: str) -> bool:
        release = self.archive._release(self.site.id, key)
        return release is not None and max(release["last_listed"] or "", release["unlisted_at"] or "") > moment

    def _crawl(self) -> int:
        """The import's crawl row, begun with its first capture not held."""
        if self.summary.crawl_id is None:
            self.archive.register_site(self.site)
            self.summary.crawl_id = self.archive.start_crawl(self.site.id)
        return self.summary.crawl_id

    def _last_event(self) -> int:
        row = self.archive.db.execute("SELECT max(id) FROM release_events").fetchone()
        return int(row[0] or 0)

    def _mark(self, after: int) -> None:
        """This capture's events are history found late: marked, never announced."""
        self.archive.db.execute(
            "UPDATE release_events SET backfilled = ? WHERE id > ? AND crawl_id = ?",
            [utcnow(), after, self.summary.crawl_id],
        )

    def _record(self, origin: CaptureOrigin, page: str, key: str | None, outcome: str, version_id: int | None) -> None:
        self.archive.db.execute(
            "INSERT INTO imported_captures (site_id, crawl_id, url, captured_at, digest, source, record_id, "
            "http_status, page, key, outcome, version_id, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.site.id,
                self.summary.crawl_id,
                origin.url,
                origin.captured_at,
                origin.digest,
                origin.source,
                origin.record_id,
                origin.http_status,
                page,
                key,
                outcome,
                version_id,
                utcnow(),
            ],
        )
        self.summary.imported += 1
        self.summary.outcomes[outcome] = self.summary.outcomes.get(outcome, 0) + 1

    def _past(
        self, release: dict[str, Any], outcome: FetchOutcome, origin: CaptureOrigin
    ) -> tuple[Outcome, int | None]:
        """A capture older than what the archive holds of its release."""
        archive, observation = self.archive, outcome.observation
        crawl_id = outcome.crawl_id or 0
        if outcome.kind is not FetchKind.PAGE or outcome.content is None:
            # A past 404 or error: logged at its time; what later fetches found stands.
            result = Outcome.REMOVED if outcome.kind is FetchKind.GONE else Outcome.ERROR
            observation.error = observation.error or "a past capture: the release's later state stands"
            archive._log_fetch(crawl_id, release["id"], observation, result)
            return result, None
        current = archive._one(
            "SELECT * FROM versions WHERE release_id = ? AND captured_at <= ? ORDER BY captured_at DESC, version DESC "
            "LIMIT 1",
            [release["id"], origin.captured_at],
        )
        content = normalise(outcome.content)
        if current is not None:
            content = keep_precision(Content.from_row(current), content)
            if content_hash(content) == current["content_hash"]:
                archive._log_fetch(crawl_id, release["id"], observation, Outcome.UNCHANGED)
                return Outcome.UNCHANGED, None
        version_id = archive._insert_version(
            release["id"],
            release["version_count"] + 1,
            crawl_id,
            observation,
            content,
            content_hash(content),
            None,
            outcome.reader,
        )
        archive._insert("raw_pages", raw_page(version_id, outcome, archive.captures))
        archive._event(release, crawl_id, origin.captured_at, "changed", version_id)
        rebuild(archive.db, release["id"], f"backfill from {self.source}")
        archive.db.execute(
            "UPDATE releases SET first_seen = min(first_seen, ?) WHERE id = ?", [origin.captured_at, release["id"]]
        )
        number = archive.db.execute("SELECT version FROM versions WHERE id = ?", [version_id]).fetchone()[0]
        result = Outcome.NEW if number == 1 else Outcome.CHANGED
        archive._log_fetch(crawl_id, release["id"], observation, result)
        return result, version_id


def _latest_time(db: Any, release: dict[str, Any]) -> str:
    """The latest moment the archive knows anything of the release."""
    row = db.execute("SELECT max(captured_at) FROM versions WHERE release_id = ?", [release["id"]]).fetchone()
    return max(row[0] or "", release["last_checked"] or "", release["removed_at"] or "")
