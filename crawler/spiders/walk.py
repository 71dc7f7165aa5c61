"""One site's part of a run: its archived state, its list walk, its health.

A walk goes down the list newest first.  It fetches every release it has
never archived and re-fetches (with a conditional GET) those published within
the revisit window; once it meets an archived release older than the window
it stops, because everything further down is older still.  That early stop
is only taken after some crawl has walked the whole list, so a first crawl
that was killed half-way is completed by the next run.

Past the early stop a run also walks its share of the pass over the whole
list (crawler/spiders/listpass.py).

For a profile without title and body selectors, the first list page's
releases are fetched first, as a sample to learn the site's template from
(see crawler.extract.generic); every later page is extracted with it.
"""

from __future__ import annotations

import codecs
import math
from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.errors import ExtractionError
from crawler.extract.encoding import DecodeError, decode_page, looks_like_html, looks_truncated
from crawler.extract.generic import SAMPLE_PAGES, Template, extract_page
from crawler.extract.pages import Listed, parse_feed, parse_list, release_key
from crawler.extract.reader import reader_id
from crawler.extract.titles import TitleIndex
from crawler.extract.urls import fetch_url, host
from crawler.items import FetchKind, FetchOutcome, Observation
from crawler.origins import board_origins, origin
from crawler.sites.profile import SiteProfile
from crawler.spiders import template
from crawler.spiders.health import broken_profile
from crawler.spiders.listpass import ListPass
from crawler.spiders.responses import (
    PRIVATE,
    as_sent_to_site,
    canonical_move,
    captured_from,
    content_type,
    describe,
    failed_request,
    header_pairs,
    moved_url,
    observe,
    redirected_away,
)
from storage import Content, KnownRelease, Site, SiteState, now

if TYPE_CHECKING:
    from crawler.spiders.board import BoardSpider

GONE_STATUSES = (404, 410)


class SiteCrawl:
    """One site's part of a run: what is known of it, its walk, its health."""

    def __init__(self, spider: BoardSpider, profile: SiteProfile, base_url: str | None):
        self.spider = spider
        self.profile = profile
        self.id = profile.id
        self.base_url = (base_url or profile.base_url).rstrip("/")
        # Off-site links are never followed unless the profile names the host.
        self.allowed_domains = [host(self.base_url), *profile.allowed_domains, *map(host, profile.also_at)]
        self.origins = board_origins(self.base_url, profile.also_at)  # where redirects may go (crawler.origins)
        self.logger = spider.logger
        self.known: dict[str, KnownRelease] = {}
        self.scheduled: set[str] = set()
        self.listed_pages: dict[str, list[frozenset[str]]] = {}
        self.open_walks: set[str] = set()  # start paths (and the feed) still being walked
        self.walk_cut_short = False
        self.may_stop_early = False
        self.list_complete = False
        self.failures: list[str] = []
        self.requests = 0
        self.run_interval: timedelta | None = None
        self.sweep_size = 0  # archived releases outside the revisit window
        self.swept = 0  # of those, rechecked by this run's sweep
        self.list_pages = 0  # list pages (feeds, sitemaps) that answered
        self.pages_answered = 0  # release pages that answered with HTML
        self.extraction_failures: Counter[tuple[str, str]] = Counter()  # (field, selector)
        self.titles: dict[str, str] = {}  # key → title, from lists and the archive
        self.title_index = TitleIndex()
        self.listed: dict[str, Listed] = {}
        self.template: Template | None = None
        self.recent_pages: list[str] = []  # the archive's captures, to learn the template from
        self.sampled = False
        self._reader: tuple[Template | None, str] | None = None  # the template it was made for, the id
        self.list_pass = ListPass(self)

    def as_site(self) -> Site:
        return self.profile.as_site()

    @property
    def cutoff(self) -> date:
        """Releases listed on or after this day (site time) are revisited."""
        today = now().astimezone(self.profile.tzinfo).date()
        return today - timedelta(days=self.spider.revisit_days)

    def load(self, state: SiteState) -> None:
        self.known = state.known
        self.may_stop_early = not self.spider.full and state.list_ever_completed
        self.run_interval = state.run_interval
        self.titles = {key: known.title for key, known in self.known.items() if known.title}
        self.title_index = TitleIndex(self.titles.values())
        self.list_pass.load(state.cycle)
        self.recent_pages = state.recent_pages

    def start_requests(self) -> list[scrapy.Request]:
        requests = []
        if self.profile.feed or self.profile.sitemap:
            self.open_walks.add("feed")
            requests.append(self.request(
                self.base_url + (self.profile.feed or self.profile.sitemap),
                self.parse_feed, self.list_failed, cb_kwargs={"walk": "feed", "page": 1},
            ))
        self.open_walks.update(self.profile.start)
        for path in self.profile.start:
            requests.append(self.list_request(path, self.profile.pagination.first))
        return requests

    def request(self, url: str, callback: Any, errback: Any, **kwargs: Any) -> scrapy.Request:
        meta = {"site": self.id, "download_slot": origin(url), **kwargs.pop("meta", {})}
        # dont_filter: the board's 307 cookie dance redirects to the same URL.
        return scrapy.Request(url, callback=callback, errback=errback, meta=meta, dont_filter=True, **kwargs)

    # List pages ---------------------------------------------------------

    def list_request(self, path: str, page: int, url: str | None = None) -> scrapy.Request:
        if url is None:
            url = self.profile.list_url(self.base_url, path, page)
        return self.request(url, self.parse_list, self.list_failed, cb_kwargs={"walk": path, "page": page})

    # Callbacks return lists, not generators: Scrapy re-reads the source of a
    # generator callback on every response (to warn about `return value`),
    # which cost about a millisecond a page.

    async def parse_list(self, response: Response, walk: str, page: int) -> list:
        self.list_pages += 1
        listed = []
        if isinstance(response, TextResponse):
            listed = parse_list(response.text, self.profile, response.url)
        return await self.handle_listed(response, listed, walk, page)

    async def parse_feed(self, response: Response, walk: str, page: int) -> list:
        self.list_pages += 1
        listed = parse_feed(response.body, self.profile, response.url)
        return await self.handle_listed(response, listed, walk, page)

    async def handle_listed(self, response: Response, listed: list[Listed], walk: str, page: int) -> list:
        followable = [item for item in listed if self.may_follow(item.url)]
        if listed and not followable:
            self.failures.append(
                f"all {len(listed)} release links on {response.url} point off-site or are not http(s)"
            )
        listed = followable
        for item in listed:
            self.listed[item.key] = item
            if item.title:
                self.titles[item.key] = item.title
                self.title_index.add(item.title)
        results: list = []
        if self.profile.generic and not self.sampled and listed:
            self.sampled = True
            results += await template.learn(self, listed[:SAMPLE_PAGES])
        return results + list(self.follow_list(response, listed, walk, page))

    def follow_list(self, response: Response, listed: list[Listed], walk: str, page: int):
        keys = frozenset(item.key for item in listed)
        seen = self.listed_pages.setdefault(walk, [])
        if not listed or keys in seen:
            # An empty page, or the last page served again for a number past
            # the end: the whole list has been seen.
            if not seen:
                self.failures.append(self.no_links_message(response.url, walk))
                yield from self.end_walk(walk, complete=False, failed=True)
                return
            yield from self.end_walk(walk, complete=True)
            return
        if not self.list_pass.stitched(walk, keys):
            yield from self.end_walk(walk, complete=False)
            return
        seen.append(keys)
        self.list_pass.record(walk, page, response.url, listed)
        if walk == "feed":  # a feed or sitemap is one page
            yield from self.detail_requests(listed)
            yield from self.end_walk(walk, complete=True)
            return
        reached_archived = any(
            not self.should_fetch(item, self.known.get(item.key)) for item in listed
            if item.key in self.known
        )
        next_url = self.next_page_url(response)
        if self.profile.pagination.next and not next_url:
            yield from self.detail_requests(listed)
            yield from self.end_walk(walk, complete=True)
        elif len(seen) >= self.profile.pagination.max_pages:
            self.logger.warning("%s: stopped at max_pages=%d", self.id, self.profile.pagination.max_pages)
            yield from self.detail_requests(listed)
            yield from self.end_walk(walk, complete=False)
        elif self.list_pass.past_stop(walk) or (reached_archived and self.may_stop_early):
            # Past the early stop: walk on only for this run's share of the pass.
            yield from self.detail_requests(listed)
            yield from self.list_pass.walk_on(walk, page, response.url, keys, next_url)
        else:
            # The next list page before this page's releases: the scheduler is
            # last-in-first-out, so it is fetched as soon as they have all
            # started downloading (no idle gap between pages), and the queue
            # never holds more than one page of releases, however long the board.
            yield self.list_request(walk, page + 1, next_url)
            yield from self.detail_requests(listed)

    def no_links_message(self, url: str, walk: str) -> str:
        if walk == "feed":
            where = "the feed" if self.profile.feed else "the sitemap"
            return f"no release links in {where} {url}"
        rule = self.profile.links
        selector = f"xpath {rule.xpath!r}" if rule.xpath else f"selector {rule.rows!r}"
        return (
            f"list {selector} matched no release links on {url}; "
            f"the site may have been redesigned: run presswatch check {self.id}"
        )

    def next_page_url(self, response: Response) -> str | None:
        rule = self.profile.pagination.next
        if not rule or not isinstance(response, TextResponse):
            return None
        href = response.css(rule).attrib.get("href")
        return urljoin(response.url, href) if href else None

    def end_walk(self, walk: str, complete: bool, failed: bool = False):
        """A walk ended; the list is complete when every walk reached its end.
        A walk that ended normally hands over what its pages listed."""
        self.open_walks.discard(walk)
        self.walk_cut_short |= not complete
        if not self.open_walks and not self.walk_cut_short:
            self.list_complete = True
        yield from self.list_pass.end_walk(walk, complete, failed)
        if not self.open_walks:
            yield from self.list_pass.check_unlisted()
        yield from self.revisit_unlisted()
        if not self.open_walks:
            yield from self.sweep()

    def list_failed(self, failure: Failure) -> list[Any]:
        kwargs = failed_request(failure).cb_kwargs
        self.failures.append(f"list page {kwargs['page']} failed: {describe(failure)}")
        self.logger.error("%s: list page %s failed: %s", self.id, failed_request(failure).url, describe(failure))
        return list(self.end_walk(kwargs["walk"], complete=False, failed=True))

    def may_follow(self, url: str) -> bool:
        """Only http(s) links to the site itself or hosts the profile allows."""
        if not url.startswith(("http://", "https://")):
            return False
        link_host = host(url)
        return link_host == host(self.profile.base_url) or any(
            link_host == domain or link_host.endswith("." + domain) for domain in self.allowed_domains
        )

    def should_fetch(self, item: Listed, known: KnownRelease | None) -> bool:
        if known is None or self.spider.full:
            return True
        return self.in_window(item.listed or _day(known.dated))

    def in_window(self, day: date | None) -> bool:
        return day is None or day >= self.cutoff

    def detail_requests(self, listed: list[Listed]):
        for item in listed:
            known = self.known.get(item.key)  # also under a key its page moved to
            if self.should_fetch(item, known):
                yield from self.detail_request(known.key if known else item.key, item.url, known)

    def revisit_unlisted(self):
        """Archived releases in the window that the list no longer shows:
        fetching them is how a withdrawn release is noticed."""
        for key, known in self.known.items():
            if key != known.key:
                continue  # an alias: the release is visited under its own key
            if key not in self.scheduled and (self.spider.full or self.in_window(_day(known.dated))):
                yield from self.detail_request(key, known.url, known)

    def sweep(self):
        """The rolling sweep: every archived release outside the revisit window
        is rechecked (conditionally) at least once every sweep_days, a share
        of them each run, the longest unchecked first.  The share is the
        board's size × the time between runs ÷ sweep_days, so the load is
        spread evenly over the runs instead of landing on one weekly --full."""
        if self.spider.full:
            return  # everything is fetched anyway
        outside = [known for key, known in self.known.items()
                   if key == known.key and not self.in_window(_day(known.dated))]
        self.sweep_size = len(outside)
        days = self.spider.sweep_days
        interval = self.run_interval or timedelta(days=1)  # until cron's pace is known
        share = len(outside) if days <= 0 else 0 if math.isinf(days) else \
            math.ceil(len(outside) * min(interval / timedelta(days=days), 1))  # inf: no sweep
        due = sorted(
            (known for known in outside if known.key not in self.scheduled),
            key=lambda known: known.last_checked or "",
        )
        for known in due[:share]:
            self.swept += 1
            yield from self.detail_request(known.key, known.url, known)

    # Template learning (profile-less sites) -------------------------------

    # Detail pages -------------------------------------------------------

    def detail_request(self, key: str, url: str, known: KnownRelease | None):
        if key in self.scheduled:
            return
        self.scheduled.add(key)
        yield self.detail_request_for(key, url, known)

    def detail_request_for(self, key: str, url: str, known: KnownRelease | None) -> scrapy.Request:
        headers = {}
        if known is not None and not self.spider.full:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        return self.request(
            fetch_url(url, self.profile.base_url, self.base_url),
            self.parse_detail, self.detail_failed,
            headers=headers,
            cb_kwargs={"key": key, "url": url},
            meta={"handle_httpstatus_list": [304, *GONE_STATUSES]},
        )

    def parse_detail(self, response: Response, key: str, url: str, missing_from_list: bool = False) -> list[FetchOutcome]:
        # Extraction runs on the reactor's thread.  A thread of its own looked
        # faster while the benchmark's Python server was the bound; against
        # nginx it cost 1 ms of CPU per page in GIL hand-offs and gave 22%
        # fewer pages/s (make bench: 4.9 against 5.9 ms, 284 against 220 pages/s).
        outcome = self.fetch_outcome(response, key, url)
        # missing from the list under its old URL, but listed under the new one
        outcome.missing_from_list = missing_from_list and outcome.moved_key not in self.listed
        return [outcome]

    def fetch_outcome(self, response: Response, key: str, url: str) -> FetchOutcome:
        observation = observe(response, url)
        if response.status == 304:
            return self.outcome(key, FetchKind.NOT_MODIFIED, observation)
        moved_to = moved_url(response, key, self.profile, self.base_url)
        if response.status in GONE_STATUSES or (redirected_away(response, key, self.profile, self.base_url)
                                                and not moved_to):
            return self.outcome(key, FetchKind.GONE, observation)
        if not response.body.strip():
            return self.error(key, observation, "empty page")
        if not isinstance(response, TextResponse) or not looks_like_html(response.body):
            return self.error(key, observation, f"not an HTML page ({content_type(response) or 'no Content-Type'})")
        if looks_truncated(response.body):
            return self.error(key, observation, "page looks truncated (no closing </html>)")
        self.pages_answered += 1
        try:
            text, encoding = decode_page(response.body, content_type(response), self.profile.encoding)
            # UTF-8 without a BOM: the body is the text's bytes, and lxml can have them as they are.
            utf8 = response.body if encoding == "utf-8" and not response.body.startswith(codecs.BOM_UTF8) else None
            extracted = self.extract(text, key, response.url, utf8)
        except DecodeError as error:
            return self.error(key, observation, str(error))
        except ExtractionError as error:
            if moved_to:  # moved, but not to a release page: to a list or home page, so gone
                return self.outcome(key, FetchKind.GONE, observation)
            self.extraction_failures[(error.field, error.selector)] += 1
            return self.error(key, observation, str(error))
        except Exception as error:  # a page no rule foresaw: log it, lose nothing
            self.logger.exception("%s:%s extraction failed", self.id, key)
            return self.error(key, observation, f"extraction failed: {error!r}")
        observation.hits, observation.updated = extracted.hits, extracted.updated
        moved_to = moved_to or canonical_move(text, response.url, key, self.profile)
        return FetchOutcome(
            self.id, key, FetchKind.PAGE, observation, extracted.content,
            raw_html=response.body, encoding=encoding, reader=self.reader,
            captured_from=captured_from(response, self.base_url, self.profile.base_url),
            request_headers=as_sent_to_site(header_pairs(response.request.headers if response.request else None,
                                                         leave_out=PRIVATE), self.base_url, self.profile.base_url),
            response_headers=header_pairs(response.headers),
            moved_to=moved_to, moved_key=release_key(moved_to, self.profile) if moved_to else None,
        )

    def extract(self, text: str, key: str, page_url: str, utf8: bytes | None = None):
        listed = self.listed.get(key)
        return extract_page(
            text, self.profile, page_url, self.template, self.title_index,
            listed.listed if listed else None, own_title=self.titles.get(key), utf8=utf8,
        )

    @property
    def reader(self) -> str:
        """The id of what reads this site's pages now (crawler.extract.reader)."""
        if self._reader is None or self._reader[0] is not self.template:
            self._reader = (self.template, reader_id(self.profile, self.template))
        return self._reader[1]

    def reread(self, raw: bytes, encoding: str, url: str, key: str) -> Content | None:
        """A stored capture read as this run reads the site's pages (storage.lens)."""
        try:
            text = raw.decode(encoding)
            return self.extract(text, key, url).content
        except (UnicodeDecodeError, LookupError, ExtractionError):
            return None

    def detail_failed(self, failure: Failure) -> list[FetchOutcome]:
        kwargs = failed_request(failure).cb_kwargs
        response = failure.value.response if isinstance(failure.value, HttpError) else None
        observation = Observation(
            url=kwargs["url"], http_status=response.status if response is not None else None
        )
        return [self.error(kwargs["key"], observation, describe(failure))]

    def outcome(self, key: str | None, kind: FetchKind, observation: Observation) -> FetchOutcome:
        return FetchOutcome(self.id, key, kind, observation)

    def error(self, key: str | None, observation: Observation, message: str) -> FetchOutcome:
        self.logger.error("%s:%s %s", self.id, key, message)
        observation.error = message
        return self.outcome(key, FetchKind.ERROR, observation)

    # Health ---------------------------------------------------------------

    def run_failures(self) -> list[str]:
        """Every reason this site's crawl failed in this run."""
        failures = list(self.failures) + list(self.spider.failures)
        if self.requests == 0:
            failures.append("no request was made")
        broken = broken_profile(self.id, self.extraction_failures, self.pages_answered)
        if broken:
            failures.append(broken)
        return failures


def _day(moment: str | None) -> date | None:
    return date.fromisoformat(moment[:10]) if moment else None
