"""One import of a board's captures: read them as a crawl would, apply them
oldest first through the archive's one writer.  From WARC files
(``import_captures``) or from a Wayback-compatible web archive
(``backfill``), whose captures are fetched only when the archive lacks them."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from crawler.backfill.reading import HELD, BoardReading, Read, Source
from crawler.backfill.wayback import CdxRow, Wayback
from crawler.backfill.web_captures import WebCapture, utc_seconds
from crawler.sites.profile import SiteProfile
from storage import (
    ArchiveError,
    ArchiveView,
    ArchiveWriter,
    CaptureOrigin,
    Importer,
    ImportSummary,
    ListingOutcome,
    SiteState,
)


def site_state(db: str, profile: SiteProfile) -> SiteState:
    """What the archive knows of the board (nothing, when there is no archive yet)."""
    try:
        view = ArchiveView.open(db)
    except ArchiveError:
        return SiteState(profile.id)
    with view:
        return view.site_state(profile.id, 8 if profile.generic else 0)


def capture_origin(capture: WebCapture) -> CaptureOrigin:
    return CaptureOrigin(
        capture.url, capture.captured_at, capture.digest, capture.source, capture.record_id, capture.status
    )


class ArchiveSource(Source):
    """A WARC file's captures: the archive says which it holds."""

    def __init__(self, importer: Importer):
        self.importer = importer

    def held(self, capture: WebCapture) -> bool:
        return self.importer.held(capture_origin(capture))


class WaybackSource(ArchiveSource):
    """A web archive's captures, fetched one at a time when first read,
    unless the archive keeps their bytes already (same URL and digest)."""

    def __init__(self, importer: Importer, wayback: Wayback, since: str, until: str):
        super().__init__(importer)
        self.wayback, self.since, self.until = wayback, since, until
        self.kept: dict[tuple[str, str], WebCapture] = {}  # lists and redirect targets, read twice
        self.fetched = 0

    def load(self, capture: WebCapture, keep: bool = True) -> WebCapture:
        if capture.loaded:
            return capture
        key = (capture.url, capture.captured_at)
        found = self.kept.pop(key, None) if not keep else self.kept.get(key)
        if found is None:
            found = self._bytes(capture)
            if keep:
                self.kept[key] = found
        return found

    def lookup(self, url: str) -> list[WebCapture]:
        return captures_of(self.wayback, self.wayback.rows(url, prefix=False, since=self.since, until=self.until))

    def _bytes(self, capture: WebCapture) -> WebCapture:
        held = self.importer.held_bytes(capture.url, capture.digest)
        if held is not None:
            status, headers, body = held
            return WebCapture(
                capture.url,
                capture.captured_at,
                capture.status or status or 200,
                headers,
                body,
                capture.digest,
                capture.source,
            )
        self.fetched += 1
        stamp = capture.captured_at[:19].replace("-", "").replace(":", "").replace("T", "")
        return self.wayback.capture(CdxRow(stamp, capture.url, capture.status, capture.digest))


def captures_of(wayback: Wayback, rows: Iterable) -> list[WebCapture]:
    """CDX rows as captures still to fetch; revisits (no status of their own) left out."""
    return [
        WebCapture(row.url, utc_seconds(row.timestamp), row.status, [], b"", row.digest, wayback.cdx_url, loaded=False)
        for row in rows
        if row.status is not None
    ]


def board_prefixes(profile: SiteProfile) -> tuple[list[str], list[str]]:
    """What to ask a CDX API for: URL prefixes (each list's folder, the release
    pages' path before their key) and exact URLs (a feed, a sitemap)."""
    host = urlsplit(profile.base_url).netloc
    folders = {urlsplit(path).path.rsplit("/", 1)[0] + "/" for path in profile.start}
    detail = profile.links.detail_url
    if detail and "{key}" in detail:
        folders.add(urlsplit(detail.split("{key}", 1)[0]).path)
    prefixes = sorted(
        folder for folder in folders if not any(folder != other and folder.startswith(other) for other in folders)
    )
    exact = [path for path in (profile.feed, profile.sitemap) if path]
    return [host + folder for folder in prefixes], [host + path for path in exact]


def apply_all(
    writer: ArchiveWriter,
    reading: BoardReading,
    captures: list[WebCapture],
    label: str,
    make_source: Callable[[Importer], Source] = ArchiveSource,
    limit: int | None = None,
) -> tuple[ImportSummary, int, Source]:
    importer = writer.begin_import(reading.profile.as_site(), label)
    source = make_source(importer)
    left_out = 0
    for read in reading.read(captures, source):
        if limit is not None and importer.summary.imported >= limit:
            break
        if not isinstance(read, Read):
            if read[1] == HELD:
                importer.summary.held += 1
            else:
                left_out += 1
        elif isinstance(read.item, ListingOutcome):
            importer.apply_listing(read.item, capture_origin(read.capture))
        else:
            importer.apply(read.item, capture_origin(read.capture), reread=reading.reading.reread)
    return importer.finish(), left_out, source


def quiet(verbose: bool) -> None:
    # The walk logs each page it cannot read, as in a crawl; the summary counts them.
    logging.getLogger("presswatch").setLevel(logging.INFO if verbose else logging.CRITICAL)


def import_captures(
    db: str, profile: SiteProfile, captures: Iterable[WebCapture], source: str, *, verbose: bool = False
) -> tuple[ImportSummary, int]:
    """Apply the board's captures to the archive; (summary, captures left out)."""
    quiet(verbose)
    reading = BoardReading(profile, site_state(db, profile))
    left_out, board = 0, []
    for capture in captures:  # only the board's kept in memory: a WARC file may hold a whole site
        if reading.site.walk.may_follow(capture.url):
            board.append(capture)
        else:
            left_out += 1
    with ArchiveWriter(db) as writer:
        summary, more, _ = apply_all(writer, reading, board, source)
    return summary, left_out + more


def backfill(
    db: str,
    profile: SiteProfile,
    wayback: Wayback,
    *,
    since: str = "",
    until: str = "",
    limit: int | None = None,
    verbose: bool = False,
) -> tuple[ImportSummary, int, int]:
    """Import the board's captures a web archive lists, oldest first, at most
    ``limit`` of them; (summary, captures left out, captures fetched)."""
    quiet(verbose)
    reading = BoardReading(profile, site_state(db, profile))
    prefixes, exact = board_prefixes(profile)
    rows = [row for prefix in prefixes for row in wayback.rows(prefix, prefix=True, since=since, until=until)]
    rows += [row for url in exact for row in wayback.rows(url, prefix=False, since=since, until=until)]
    unique = {(row.url, row.timestamp): row for row in rows}
    board = [capture for capture in captures_of(wayback, unique.values()) if reading.site.walk.may_follow(capture.url)]
    left_out = len(unique) - len(board)
    with ArchiveWriter(db) as writer:
        summary, more, source = apply_all(
            writer,
            reading,
            board,
            wayback.cdx_url,
            lambda importer: WaybackSource(importer, wayback, since, until),
            limit,
        )
    assert isinstance(source, WaybackSource)
    return summary, left_out + more, source.fetched
