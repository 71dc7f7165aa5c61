"""One import of a board's captures: read them as a crawl would, apply them
oldest first through the archive's one writer."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from crawler.backfill.captures import WebCapture
from crawler.backfill.reading import BoardReading, Read
from crawler.sites.profile import SiteProfile
from storage import ArchiveError, ArchiveView, ArchiveWriter, ImportSummary, ListingOutcome, SiteState


def site_state(db: str, profile: SiteProfile) -> SiteState:
    """What the archive knows of the board (nothing, when there is no archive yet)."""
    try:
        view = ArchiveView.open(db)
    except ArchiveError:
        return SiteState(profile.id)
    with view:
        return view.site_state(profile.id, 8 if profile.generic else 0)


def import_captures(
    db: str,
    profile: SiteProfile,
    captures: Iterable[WebCapture],
    source: str,
    *,
    verbose: bool = False,
) -> tuple[ImportSummary, int]:
    """Apply the board's captures to the archive; (summary, captures left out)."""
    # The walk logs each page it cannot read, as in a crawl; the summary counts them.
    logging.getLogger("presswatch").setLevel(logging.INFO if verbose else logging.CRITICAL)
    reading = BoardReading(profile, site_state(db, profile))
    left_out, board = 0, []
    for capture in captures:  # only the board's kept in memory: a WARC file may hold a whole site
        if reading.site.may_follow(capture.url):
            board.append(capture)
        else:
            left_out += 1
    with ArchiveWriter(db) as writer:
        importer = writer.begin_import(profile.as_site(), source)
        for read in reading.read(board):
            if not isinstance(read, Read):
                left_out += 1
            elif isinstance(read.item, ListingOutcome):
                importer.apply_listing(read.item, read.origin)
            else:
                importer.apply(read.item, read.origin, reread=reading.site.reread)
        return importer.finish(), left_out
