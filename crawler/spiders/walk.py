"""One site's part of a run, as Scrapy requests: the adapter between the
crawl policy (crawler.policy: what to fetch, when a walk ends, what a page's
verdict is) and Scrapy's engine.

For a profile without title and body selectors, the first list page's
releases are fetched first, as a sample to learn the site's template from
(crawler/spiders/template.py); every later page is extracted with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.extract.generic import SAMPLE_PAGES
from crawler.extract.pages import Listed, parse_feed, parse_list
from crawler.extract.urls import fetch_url
from crawler.items import FetchKind, FetchOutcome, Observation
from crawler.origins import board_origins, origin
from crawler.policy.crawlconfig import CrawlConfig
from crawler.policy.listwalk import SiteWalk
from crawler.policy.plan import ListFetch, ReleaseFetch, conditional_headers
from crawler.policy.verdict import GONE_STATUSES, page_verdict
from crawler.sites.profile import SiteProfile
from crawler.spiders import template
from crawler.spiders.health import broken_profile
from crawler.spiders.responses import describe, failed_request, fetched_page, next_page_url
from storage import CrawlSummary, SiteState


class SiteCrawl:
    """One site's walk (crawler.policy.SiteWalk) as Scrapy requests, and its health."""

    def __init__(self, spider: scrapy.Spider, profile: SiteProfile, base_url: str | None):
        self.spider = spider
        self.profile = profile
        self.id = profile.id
        self.logger = spider.logger
        self.walk = SiteWalk(profile, base_url, log=spider.logger)
        self.reading = self.walk.reading
        self.base_url = self.walk.base_url
        self.origins = board_origins(self.base_url, profile.also_at)  # where redirects may go (crawler.origins)
        self.requests = 0
        self.list_pages = 0  # list pages (feeds, sitemaps) that answered
        self.pages_answered = 0  # release pages that answered with HTML
        self.extraction_failures: Counter[tuple[str, str]] = Counter()  # (field, selector)
        self.recent_pages: list[str] = []  # the archive's captures, to learn the template from
        self.sampled = False

    @property
    def failures(self) -> list[str]:
        return self.walk.failures

    def load(self, state: SiteState, config: CrawlConfig) -> None:
        self.walk.load(state, config)
        self.recent_pages = state.recent_pages

    def start_requests(self) -> list[scrapy.Request]:
        return self.requests_for(self.walk.start())

    def request(self, url: str, callback: Any, errback: Any, **kwargs: Any) -> scrapy.Request:
        meta = {"site": self.id, "download_slot": origin(url), **kwargs.pop("meta", {})}
        # dont_filter: the board's 307 cookie dance redirects to the same URL.
        return scrapy.Request(url, callback=callback, errback=errback, meta=meta, dont_filter=True, **kwargs)

    def requests_for(self, steps: Iterable[Any]) -> list[Any]:
        """The policy's plans as requests; list pages to archive pass as they are."""
        return [
            self.list_request(step)
            if isinstance(step, ListFetch)
            else self.release_request(step)
            if isinstance(step, ReleaseFetch)
            else step
            for step in steps
        ]

    # List pages ---------------------------------------------------------

    def list_request(self, step: ListFetch) -> scrapy.Request:
        url = step.url or self.profile.list_url(self.base_url, step.walk, step.page)
        return self.request(
            url,
            self.parse_feed if step.walk == "feed" else self.parse_list,
            self.list_failed,
            cb_kwargs={"walk": step.walk, "page": step.page},
        )

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
        listed = self.walk.accept(response.url, listed)
        results: list = []
        if self.profile.generic and not self.sampled and listed:
            self.sampled = True
            results += await template.learn(self, listed[:SAMPLE_PAGES])
        next_url = next_page_url(response, self.profile.pagination.next) if listed and walk != "feed" else None
        return results + self.requests_for(self.walk.listed_page(walk, page, response.url, listed, next_url))

    def list_failed(self, failure: Failure) -> list[Any]:
        request = failed_request(failure)
        self.logger.error("%s: list page %s failed: %s", self.id, request.url, describe(failure))
        return self.requests_for(
            self.walk.list_failed(request.cb_kwargs["walk"], request.cb_kwargs["page"], describe(failure))
        )

    # Release pages ------------------------------------------------------

    def release_request(self, step: ReleaseFetch) -> scrapy.Request:
        request = self.request(
            fetch_url(step.url, self.profile.base_url, self.base_url),
            self.parse_detail,
            self.detail_failed,
            headers=conditional_headers(step.known, self.walk.config.full),
            cb_kwargs={"key": step.key, "url": step.url},
            meta={"handle_httpstatus_list": [304, *GONE_STATUSES]},
        )
        if step.missing_from_list:
            request.cb_kwargs["missing_from_list"] = True
        return request

    def parse_detail(
        self, response: Response, key: str, url: str, missing_from_list: bool = False
    ) -> list[FetchOutcome]:
        # Extraction runs on the reactor's thread.  A thread of its own looked
        # faster while the benchmark's Python server was the bound; against
        # nginx it cost 1 ms of CPU per page in GIL hand-offs and gave 22%
        # fewer pages/s (make bench: 4.9 against 5.9 ms, 284 against 220 pages/s).
        outcome = self.fetch_outcome(response, key, url)
        # missing from the list under its old URL, but listed under the new one
        outcome.missing_from_list = missing_from_list and outcome.moved_key not in self.reading.entries
        return [outcome]

    def fetch_outcome(self, response: Response, key: str, url: str) -> FetchOutcome:
        """The page's verdict (crawler.policy.verdict), counted for the site's health."""
        verdict = page_verdict(key, url, fetched_page(response), self.reading)
        self.pages_answered += verdict.answered
        if verdict.failed_rule:
            self.extraction_failures[verdict.failed_rule] += 1
        if verdict.outcome.kind is FetchKind.ERROR:
            self.logger.error("%s:%s %s", self.id, key, verdict.outcome.observation.error)
        return verdict.outcome

    def detail_failed(self, failure: Failure) -> list[FetchOutcome]:
        kwargs = failed_request(failure).cb_kwargs
        response = failure.value.response if isinstance(failure.value, HttpError) else None
        observation = Observation(url=kwargs["url"], http_status=response.status if response is not None else None)
        return [self.error(kwargs["key"], observation, describe(failure))]

    def error(self, key: str | None, observation: Observation, message: str) -> FetchOutcome:
        self.logger.error("%s:%s %s", self.id, key, message)
        observation.error = message
        return FetchOutcome(self.id, key, FetchKind.ERROR, observation)

    async def download(self, step: ReleaseFetch) -> Response:
        """A release page fetched now, outside the walk (a template's sample)."""
        self.walk.scheduled.add(step.key)
        return await self.spider.crawler.engine.download_async(self.release_request(step))

    # Health ---------------------------------------------------------------

    def run_failures(self, run_wide: list[str]) -> list[str]:
        """Every reason this site's crawl failed in this run (``run_wide``: the whole run's)."""
        failures = list(self.failures) + list(run_wide)
        if self.requests == 0:
            failures.append("no request was made")
        broken = broken_profile(self.id, self.extraction_failures, self.pages_answered)
        if broken:
            failures.append(broken)
        return failures

    def summary(self, run_wide: list[str], reason: str) -> CrawlSummary:
        """How this site's crawl ended, for its crawls row; ``reason``: why the run closed."""
        failures = self.run_failures(run_wide)
        if reason != "finished":
            failures.append(f"crawl ended early: {reason}")
        return CrawlSummary(
            requests=self.requests,
            list_complete=self.walk.list_complete and not failures,
            failures=failures,
            swept=self.walk.swept,
            sweep_size=self.walk.sweep_size,
            list_pages=self.list_pages,
            list_cycle=self.walk.pass_report() if reason == "finished" else None,
        )
