"""A release page's verdict: what one fetch of it says, as a plain function.

``page_verdict(key, url, page, reading)`` takes the fetch as plain data (a
``FetchedPage``: from a Scrapy response in a crawl, or from a WARC record in
an import) and how the run reads the site (a ``Reading``), and returns the
``FetchOutcome`` the archive's writer takes: not modified, gone, an error,
or the page's content; with what the site's health needs to know of it.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from crawler.exceptions import ExtractionError
from crawler.extract.context import PageContext
from crawler.extract.encoding import DecodeError, decode_page, looks_like_html, looks_truncated
from crawler.extract.generic import Extracted, Template, extract_page
from crawler.extract.pages import Listed, release_key
from crawler.extract.reader import reader_id
from crawler.extract.titles import TitleIndex
from crawler.items import FetchKind, FetchOutcome, Observation
from crawler.policy.redirects import as_sent_to_site, canonical_move, captured_from, moved_url, redirected_away
from crawler.sites.profile import SiteProfile
from storage import Content

GONE_STATUSES = (404, 410)


@dataclass(slots=True)
class FetchedPage:
    """What the site answered for a release page."""

    url: str  # the URL that answered, after any redirects, as fetched
    status: int
    body: bytes
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    text: bool = True  # the fetcher took the body for text (by its Content-Type, or sniffing)
    redirect_urls: Sequence[str] = ()  # the URLs that redirected, first to last
    redirect_reasons: Sequence[int | str] = ()  # their statuses (or "meta refresh")
    request_headers: Sequence[tuple[str, str]] = ()  # as sent, private ones left out
    response_headers: Sequence[tuple[str, str]] = ()


class Reading:
    """How a run reads one site's pages: its profile, the base URL it fetches
    through, the learned template, and what the lists said of each release
    (their titles help find a generic page's own title, their dates its date)."""

    def __init__(self, profile: SiteProfile, fetch_base: str | None = None, log: Any = None):
        self.profile = profile
        self.fetch_base = (fetch_base or profile.base_url).rstrip("/")
        self.log = log or logging.getLogger(__name__)
        self.template: Template | None = None
        self.titles: dict[str, str] = {}  # key → title, from lists and the archive
        self.title_index = TitleIndex()
        self.entries: dict[str, Listed] = {}  # key → the list's entry
        self._reader: tuple[Template | None, str] | None = None  # the template it was made for, the id

    @property
    def reader(self) -> str:
        """The id of what reads this site's pages now (crawler.extract.reader)."""
        if self._reader is None or self._reader[0] is not self.template:
            self._reader = (self.template, reader_id(self.profile, self.template))
        return self._reader[1]

    def extract(self, text: str, key: str, page_url: str, utf8: bytes | None = None) -> Extracted:
        listed = self.entries.get(key)
        context = PageContext(
            self.profile,
            page_url,
            self.template,
            self.title_index,
            listed.date if listed else None,
            self.titles.get(key),
        )
        return extract_page(text, context, utf8)

    def reread(self, raw: bytes, encoding: str, url: str, key: str) -> Content | None:
        """A stored capture read as this run reads the site's pages (storage.write.lens)."""
        try:
            return self.extract(raw.decode(encoding), key, url).content
        except (UnicodeDecodeError, LookupError, ExtractionError):
            return None


@dataclass(slots=True)
class Verdict:
    outcome: FetchOutcome
    answered: bool = False  # a release page that answered with HTML (the profile's health counts them)
    failed_rule: tuple[str, str] | None = field(default=None)  # (field, selector) that extraction failed on


def observe(page: FetchedPage, url: str) -> Observation:
    """The volatile facts of a fetch: status and validators (never content)."""
    return Observation(url=url, http_status=page.status, etag=page.etag, last_modified=page.last_modified)


def page_verdict(key: str, url: str, page: FetchedPage, reading: Reading) -> Verdict:
    """The outcome of fetching release ``key`` at ``url`` (as listed or
    archived, the site's own URL) that answered ``page``."""
    profile, site_id = reading.profile, reading.profile.id
    observation = observe(page, url)
    if page.status == 304:
        return Verdict(FetchOutcome(site_id, key, FetchKind.NOT_MODIFIED, observation))
    moved_to = moved_url(page.url, page.redirect_urls, page.redirect_reasons, key, profile, reading.fetch_base)
    if page.status in GONE_STATUSES or (
        not moved_to and redirected_away(page.url, page.redirect_urls, key, profile, reading.fetch_base)
    ):
        return Verdict(FetchOutcome(site_id, key, FetchKind.GONE, observation))
    refusal = unreadable(page)
    if refusal:
        return _error(site_id, key, observation, refusal)
    return _read(key, page, reading, observation, moved_to)


def unreadable(page: FetchedPage) -> str | None:
    """Why a page that answered is not an HTML page to read, or None."""
    if not page.body.strip():
        return "empty page"
    if not page.text or not looks_like_html(page.body):
        return f"not an HTML page ({page.content_type or 'no Content-Type'})"
    if looks_truncated(page.body):
        return "page looks truncated (no closing </html>)"
    return None


def _read(key: str, page: FetchedPage, reading: Reading, observation: Observation, moved_to: str | None) -> Verdict:
    """An HTML page that answered: its content, or why it could not be read."""
    profile, site_id = reading.profile, reading.profile.id
    try:
        text, encoding = decode_page(page.body, page.content_type, profile.encoding)
        # UTF-8 without a BOM: the body is the text's bytes, and lxml can have them as they are.
        utf8 = page.body if encoding == "utf-8" and not page.body.startswith(codecs.BOM_UTF8) else None
        extracted = reading.extract(text, key, page.url, utf8)
    except DecodeError as error:
        return _error(site_id, key, observation, str(error), answered=True)
    except ExtractionError as error:
        if moved_to:  # moved, but not to a release page: to a list or home page, so gone
            return Verdict(FetchOutcome(site_id, key, FetchKind.GONE, observation), answered=True)
        return _error(site_id, key, observation, str(error), True, (error.field, error.selector))
    except Exception as error:  # a page no rule foresaw: log it, lose nothing
        reading.log.exception("%s:%s extraction failed", site_id, key)
        return _error(site_id, key, observation, f"extraction failed: {error!r}", answered=True)
    observation.hits, observation.updated = extracted.hits, extracted.updated
    moved_to = moved_to or canonical_move(text, page.url, key, profile)
    base = reading.fetch_base
    outcome = FetchOutcome(
        site_id, key, FetchKind.PAGE, observation, extracted.content, raw_html=page.body, encoding=encoding,
        reader=reading.reader, captured_from=captured_from(page.url, base, profile.base_url),
        request_headers=as_sent_to_site(page.request_headers, base, profile.base_url),
        response_headers=list(page.response_headers),
        moved_to=moved_to, moved_key=release_key(moved_to, profile) if moved_to else None,
    )  # fmt: skip
    return Verdict(outcome, answered=True)


def _error(
    site_id: str, key: str, observation: Observation, message: str, answered: bool = False,
    failed_rule: tuple[str, str] | None = None,
) -> Verdict:  # fmt: skip
    observation.error = message
    return Verdict(FetchOutcome(site_id, key, FetchKind.ERROR, observation), answered, failed_rule)
