"""The one spider: walks press-release boards as their site profiles describe.

A run crawls any number of sites in one spider, so that Scrapy's downloader
keeps one slot per host (scheme, host and port) and one robots.txt per host:
boards that share a host share its politeness delay, however many there are.
Each site's walk is a ``SiteCrawl`` (crawler/spiders/walk.py).
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.origins import origin
from crawler.policy.crawlconfig import CrawlConfig
from crawler.sites.profile import SiteProfile
from crawler.spiders.walk import SiteCrawl
from storage import CrawlSummary, SiteState


def _flag(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


def settle_collector() -> None:
    """Keep Python's cycle collector out of the crawl's way.

    What start-up built (modules, profiles, the sites' known releases) lives
    as long as the process: frozen, the collector stops rescanning it.  A
    crawl makes few reference cycles, so the youngest generation is
    collected every 10,000 allocations instead of 700.  With the defaults
    the collector took 0.3 s of a 2,000-page crawl's 7 s of CPU, finding
    almost no garbage."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


class BoardSpider(scrapy.Spider):
    # No class-level name: `scrapy list` shows one spider per site (their
    # classes set it); a run of several sites passes name="presswatch".
    profiles: tuple[SiteProfile, ...] = ()  # a site's own spider class sets its profile

    def __init__(
        self,
        *args: Any,
        sites: list[SiteProfile] | None = None,
        base_url: str | None = None,
        full: Any = False,
        revisit_days: Any = None,
        sweep_days: Any = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        profiles = list(sites or self.profiles)
        if base_url and len(profiles) != 1:
            raise ValueError("base_url replaces the host of one site: crawl exactly one")
        self.full = _flag(full)
        self._revisit_days = revisit_days
        self._sweep_days = sweep_days
        self.states: dict[str, SiteState] | None = None  # what the archive knows: given as the crawls begin
        self.sites = {profile.id: SiteCrawl(self, profile, base_url) for profile in profiles}
        self.failures: list[str] = []  # failures of the whole run (every site fails)
        self.first_site_on: dict[str, str] = {}  # origin → site whose request came first
        # (site, exception) → where its message is, the message, and how many pages it failed since
        self.errors_seen: dict[tuple[str, str], tuple[list[str], int, str, int]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> BoardSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(spider.request_reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(spider.callback_failed, signal=signals.spider_error)
        crawler.signals.connect(spider.item_failed, signal=signals.item_error)
        return spider

    def crawl_config(self) -> CrawlConfig:
        """The run's configuration: the spider's arguments, else the settings."""
        revisit, sweep = self._revisit_days, self._sweep_days
        return CrawlConfig(
            full=self.full,
            revisit_days=int(revisit if revisit is not None else self.settings.getint("PRESSWATCH_REVISIT_DAYS")),
            sweep_days=float(sweep if sweep is not None else self.settings.getfloat("PRESSWATCH_SWEEP_DAYS")),
        )

    def begin(self, states: dict[str, SiteState]) -> None:
        """What the archive knows of each site, from whoever began their
        crawls (crawler.session, through the pipeline)."""
        self.states = states

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.states is None:  # the archive's writer could not begin the crawl
            return
        config = self.crawl_config()
        for site in self.sites.values():
            site.load(self.states[site.id], config)
        settle_collector()
        for site in self.sites.values():
            for request in site.start_requests():
                yield request

    def summaries(self, reason: str, archive_failure: str | None = None) -> dict[str, CrawlSummary]:
        """How each site's crawl ended; ``reason``: Scrapy's, why the run
        closed; ``archive_failure``: why the archive stopped it, if it did."""
        run_wide = self.failures + ([archive_failure] if archive_failure else [])
        return {site_id: site.summary(run_wide, reason) for site_id, site in self.sites.items()}

    # Requests per site, robots.txt included -----------------------------

    def request_scheduled(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        site = request.meta.get("site")
        if site:
            self.first_site_on.setdefault(origin(request.url), site)

    def request_reached(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        site = request.meta.get("site")
        if site is None and urlsplit(request.url).path == "/robots.txt":
            site = self.first_site_on.get(origin(request.url))  # fetched once per host
        if site in self.sites:
            self.sites[site].requests += 1

    # Exceptions Scrapy only logs ---------------------------------------------
    # Scrapy logs an exception raised in a callback, or in the pipeline, and
    # carries on: the crawl would end "finished", exit 0, with the pages it
    # failed on unread.  Each is a failure of its site, named in the run's
    # summary line and in `presswatch sites`.

    def callback_failed(self, failure: Failure, response: Response | Failure, spider: scrapy.Spider) -> None:
        request = response.request if isinstance(response, Response) else None
        if request is None:  # an errback's own exception: its request is not passed on
            self.site_failed(None, f"a failed request's handling raised {_exception(failure)}")
            return
        what = "list page" if "walk" in request.cb_kwargs else "release page"
        self.site_failed(request.meta.get("site"), f"reading {what} {request.url} raised {_exception(failure)}")

    def item_failed(self, item: Any, response: Response | None, spider: scrapy.Spider, failure: Failure) -> None:
        self.site_failed(getattr(item, "site_id", None), f"archiving a fetch raised {_exception(failure)}")

    def site_failed(self, site_id: str | None, message: str) -> None:
        """Fail ``site_id``'s crawl (every site's, when it is not known);
        one exception raised on page after page is one message, counted."""
        if site_id not in self.sites and len(self.sites) == 1:
            site_id = next(iter(self.sites))
        key = (site_id or "", message.split(" raised ", 1)[-1])
        if key in self.errors_seen:
            failures, index, first, more = self.errors_seen[key]
            failures[index] = f"{first} (and on {more + 1} more)"
            self.errors_seen[key] = (failures, index, first, more + 1)
            return
        failures = self.sites[site_id].failures if site_id in self.sites else self.failures
        failures.append(message)
        self.errors_seen[key] = (failures, len(failures) - 1, message, 0)


def _exception(failure: Failure) -> str:
    return f"{type(failure.value).__name__}: {failure.value}"
