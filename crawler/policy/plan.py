"""What the policy asks the spider to fetch: plain data, turned into requests
by the Scrapy adapter (crawler/spiders/walk.py)."""

from __future__ import annotations

from dataclasses import dataclass

from storage import KnownRelease


@dataclass(frozen=True, slots=True)
class ListFetch:
    """A list page of a walk (a start path, or "feed" for a feed or sitemap)."""

    walk: str
    page: int
    url: str | None = None  # None: the profile's URL for that page


@dataclass(frozen=True, slots=True)
class ReleaseFetch:
    """A release page; conditional when it is archived and the run is not full."""

    key: str
    url: str
    known: KnownRelease | None = None
    missing_from_list: bool = False  # a completed list pass did not see it


def conditional_headers(known: KnownRelease | None, full: bool) -> dict[str, str]:
    """The validators of the archived capture: a 304 costs the site nothing."""
    headers = {}
    if known is not None and not full:
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
    return headers
