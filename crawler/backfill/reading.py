"""A board's captures from web archives, read as its crawl reads its pages.

Each capture becomes what a crawl's fetch of that URL at that time would
have handed the archive: the board's own walk (crawler.spiders.walk's
``SiteCrawl``, with its reader, its page verdict and its list parsing)
reads a Scrapy response made of the captured status, headers and bytes.
A redirect is followed as a crawl follows it, to the capture of its target
nearest in time, and never off the board's origins (crawler.origins).
Captures of other hosts, and URLs that are neither a list page nor a
release of the board, are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

from scrapy import Request
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from crawler.backfill.web_captures import WebCapture
from crawler.extract.encoding import DecodeError, decode_page
from crawler.extract.generic import MIN_PAGES, SAMPLE_PAGES, learn_template
from crawler.extract.pages import Listed, parse_feed, parse_list, release_key
from crawler.extract.urls import canonical_url
from crawler.items import FetchOutcome, ListedEntry, ListingOutcome, Observation
from crawler.origins import board_origins, redirect_refusal
from crawler.policy.crawlconfig import CrawlConfig
from crawler.policy.verdict import GONE_STATUSES
from crawler.sites.profile import SiteProfile
from crawler.spiders.board import BoardSpider
from storage import SiteState

REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 20  # Scrapy's REDIRECT_MAX_TIMES


@dataclass(frozen=True)
class ListPage:
    walk: str  # the start path, or "feed"
    page: int


@dataclass
class Read:
    """One capture, read: a release page's fetch outcome or a list page's."""

    capture: WebCapture
    item: FetchOutcome | ListingOutcome


class BoardReading:
    """One board's captures, read in capture-time order."""

    def __init__(self, profile: SiteProfile, state: SiteState):
        self.profile = profile
        self.site = BoardSpider(name="presswatch", sites=[profile]).sites[profile.id]
        self.site.load(state, CrawlConfig())
        self.reading = self.site.reading  # titles, dates and the template, as the crawl's page verdict reads them
        self.origins = board_origins(profile.base_url, profile.also_at)
        self.known_urls = {canonical_url(known.url) for known in state.known.values()}

    def kind(self, url: str) -> ListPage | str | None:
        """A list page, a release's key, or None: not the board's."""
        if not self.site.walk.may_follow(url):
            return None  # another host's bytes are never the board's
        found = list_page(url, self.profile)
        if found is not None:
            return found
        key = release_key(url, self.profile)
        if key is None:
            return None
        if not (self.profile.key_query or self.profile.key_segment is not None):
            # Keyed by whole URLs: only pages the board's lists link to are releases.
            if canonical_url(url) not in self.known_urls and key not in self.reading.entries:
                return None
        return key

    def read(
        self,
        captures: list[WebCapture],
        source: Source | None = None,
    ) -> Iterator[Read | tuple[WebCapture, str]]:
        """Each capture of the board, oldest first, read; or why it was left
        out.  ``source`` gives a capture's bytes when it is read (a web
        archive's, fetched then) and says which the archive holds already:
        those are never fetched."""
        source = source or Source()
        ordered = sorted(captures, key=lambda capture: (capture.captured_at, capture.url))
        by_url: dict[str, list[WebCapture]] = {}
        for capture in ordered:
            by_url.setdefault(capture.url, []).append(capture)
        for capture in ordered:  # the lists first: they say which URLs are releases
            found = self.kind(capture.url)
            if isinstance(found, ListPage) and capture.status == 200 and not source.held(capture):
                self.note_listed(self.listed_on(source.load(capture), found))
        self.learn_template(ordered, source)
        for capture in ordered:
            found = self.kind(capture.url)
            if found is None:
                yield capture, "not a list page or release of the board"
            elif source.held(capture):
                yield capture, HELD
            elif isinstance(found, ListPage):
                if capture.status != 200:
                    yield capture, f"list page answered HTTP {capture.status}"
                    continue
                capture = source.load(capture, keep=False)
                listed = self.listed_on(capture, found)
                yield Read(
                    capture,
                    ListingOutcome(
                        self.profile.id,
                        found.walk,
                        found.page,
                        [
                            ListedEntry(
                                item.key,
                                item.url,
                                item.title,
                                item.date.isoformat() if item.date else None,
                                position,
                            )
                            for position, item in enumerate(listed, 1)
                        ],
                    ),
                )
            else:
                capture = source.load(capture, keep=False)
                yield Read(capture, self.release_outcome(capture, found, by_url, source))

    def listed_on(self, capture: WebCapture, page: ListPage) -> list[Listed]:
        if page.walk == "feed":
            listed = parse_feed(capture.body, self.profile, capture.url)
        else:
            try:
                text = decode_page(capture.body, capture.header("Content-Type"), self.profile.encoding)[0]
            except DecodeError:
                return []
            listed = parse_list(text, self.profile, capture.url)
        return [item for item in listed if self.site.walk.may_follow(item.url)]

    def note_listed(self, listed: list[Listed]) -> None:
        """What a crawl's list walk notes: listed titles and dates, which a page may lack."""
        for item in listed:
            self.reading.entries[item.key] = item
            if item.title:
                self.reading.titles[item.key] = item.title
                self.reading.title_index.add(item.title)

    def learn_template(self, ordered: list[WebCapture], source: Source) -> None:
        """A profile-less board's template: from the archive's own captures,
        as a crawl learns it, else from the first release pages captured."""
        if not self.profile.generic:
            return
        pages = list(self.site.recent_pages)
        if len(pages) < MIN_PAGES:
            for capture in ordered:
                if capture.status == 200 and isinstance(self.kind(capture.url), str) and not source.held(capture):
                    capture = source.load(capture)
                    try:
                        pages.append(
                            decode_page(capture.body, capture.header("Content-Type"), self.profile.encoding)[0]
                        )
                    except DecodeError:
                        continue
                    if len(pages) >= SAMPLE_PAGES:
                        break
        self.reading.template = learn_template(pages)

    def release_outcome(
        self,
        capture: WebCapture,
        key: str,
        by_url: dict[str, list[WebCapture]],
        source: Source,
    ) -> FetchOutcome:
        url = canonical_url(capture.url)
        chain, final = [capture], capture
        while final.status in REDIRECTS and final.header("Location") and len(chain) <= MAX_REDIRECTS:
            target = urljoin(final.url, final.header("Location") or "")
            refusal = redirect_refusal(target, [chain[0].url], self.origins)
            if refusal:
                return self.site.error(key, Observation(url, http_status=capture.status), refusal)
            if target not in by_url:  # off the board's usual paths: asked for by itself
                by_url[target] = source.lookup(target)
            nearest = _nearest(by_url[target], capture.captured_at)
            if nearest is None:  # the crawl's verdict may not need its bytes: a redirect away is gone
                chain.append(WebCapture(target, capture.captured_at, 200, [], b"", "", capture.source))
                outcome = self.site.fetch_outcome(response(chain), key, url)
                if outcome.observation.error == "empty page":
                    outcome.observation.error = f"redirected to {target}, which the web archive did not capture"
                return outcome
            final = source.load(nearest)
            chain.append(final)
        if final.status not in (200, 304, *GONE_STATUSES):
            return self.site.error(key, Observation(url, http_status=final.status), f"HTTP {final.status}")
        return self.site.fetch_outcome(response(chain), key, url)


HELD = "held already"


class Source:
    """Where captures' bytes come from: a WARC file's records hold them
    already.  A web archive's source fetches them (crawler.backfill.replay)."""

    def load(self, capture: WebCapture, keep: bool = True) -> WebCapture:
        """The capture with its bytes (``keep``: it will be asked for again)."""
        return capture

    def held(self, capture: WebCapture) -> bool:
        """The archive holds this capture already."""
        return False

    def lookup(self, url: str) -> list[WebCapture]:
        """Captures of a URL the first listing did not include (a redirect's target)."""
        return []


def response(chain: list[WebCapture]) -> Response:
    """The Scrapy response a crawl would have had at the end of ``chain``."""
    final = chain[-1]
    meta = {}
    if len(chain) > 1:
        meta = {
            "redirect_urls": [capture.url for capture in chain[:-1]],
            "redirect_reasons": [capture.status for capture in chain[:-1]],
        }
    headers = Headers()
    for name, value in final.headers:
        headers.appendlist(name, value)
    request = Request(final.url, meta=meta)
    kind = responsetypes.from_args(headers=headers, url=final.url, body=final.body)
    found: Response = kind(url=final.url, status=final.status, headers=headers, body=final.body, request=request)
    return found


def list_page(url: str, profile: SiteProfile) -> ListPage | None:
    """The walk and page number a URL of the board's lists is, or None."""
    parts = urlsplit(url)
    for path in (profile.feed, profile.sitemap):
        if path and urlsplit(path).path == parts.path:
            return ListPage("feed", 1)
    query = dict(parse_qsl(parts.query))
    for start in profile.start:
        wanted = urlsplit(start)
        if wanted.path != parts.path or any(query.get(name) != value for name, value in parse_qsl(wanted.query)):
            continue
        number = query.get(profile.pagination.param, "")
        return ListPage(start, int(number) if number.isdigit() else profile.pagination.first)
    return None


def _nearest(captures: list[WebCapture], at: str) -> WebCapture | None:
    """The capture nearest in time, the first at or after ``at`` preferred
    (a web archive captures a redirect's target just after it)."""
    after = [capture for capture in captures if capture.captured_at >= at]
    if after:
        return after[0]
    return captures[-1] if captures else None
