"""Downloader middlewares of presswatch's own."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future

from crawler.origins import Origin, address_refusal, is_address, origin, origin_of, redirect_refusal


class OffBoard(IgnoreRequest):
    """A request presswatch will not send: its message says why, for the
    fetch's error and the log."""


async def _resolve(host: str) -> str:
    """The host's address, as the download will connect to it: through the
    resolver Scrapy installed on the reactor, whose cache the connection
    then reads, so that the address checked is the address used."""
    from twisted.internet import reactor

    installed: Any = reactor  # Twisted's interface types resolve()'s arguments wrongly
    address: str = await maybe_deferred_to_future(installed.resolve(host))
    return address


class BoardOriginMiddleware:
    """Keeps a crawl on its boards' own origins (crawler.origins).

    It runs before RobotsTxtMiddleware, so a refused origin is not even
    asked for its robots.txt, and sees every request: the walk's, the ones
    Scrapy's RedirectMiddleware and MetaRefreshMiddleware make of a
    redirect (they keep the request's meta, so its site), and robots.txt.
    A refusal reaches the request's errback as an ``OffBoard``."""

    def __init__(self, crawler: Crawler, resolve: Callable[[str], Awaitable[str]] = _resolve):
        self.crawler = crawler
        self.resolve = resolve

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoardOriginMiddleware:
        return cls(crawler)

    def own_origins(self, request: Request) -> frozenset[Origin] | None:
        """The origins of the request's board; for a request of no board
        (robots.txt), those of every board in the run; None: no board at all."""
        sites: dict[str, Any] = getattr(self.crawler.spider, "sites", None) or {}
        site = sites.get(request.meta.get("site", ""))
        if site is not None:
            return site.origins
        if not sites:
            return None
        return frozenset().union(*(site.origins for site in sites.values()))

    async def process_request(self, request: Request) -> None:
        own = self.own_origins(request)
        if own is None:
            return None
        refusal = redirect_refusal(request.url, request.meta.get("redirect_urls") or [], own)
        host = origin_of(request.url)[1]
        if refusal is None and origin_of(request.url) not in own:
            address = host
            if not is_address(host):
                try:
                    address = await self.resolve(host)
                except Exception:  # no such name: the download fails with its own DNS error
                    return None
            refusal = address_refusal(request.url, address, own)
        if refusal:
            raise OffBoard(refusal)
        return None


class OriginSlotMiddleware:
    """One download slot per origin (scheme, host and port), for every request.

    The spider puts its requests in their origin's slot; this covers the
    requests Scrapy makes itself (robots.txt), which would otherwise share a
    slot per host name across ports and bypass the origin's delay."""

    async def process_request(self, request: Request) -> None:
        if "download_slot" not in request.meta:
            request.meta["download_slot"] = origin(request.url)
        return None


class RetryBackoffMiddleware:
    """Spaces out Scrapy's retries: the n-th retry of a request waits
    RETRY_BACKOFF_BASE × 2^(n-1) seconds (at most RETRY_BACKOFF_MAX), so a
    server answering 5xx or dropping connections is not asked again at once."""

    def __init__(self, base: float, cap: float):
        self.base = base
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryBackoffMiddleware:
        settings = crawler.settings
        return cls(settings.getfloat("RETRY_BACKOFF_BASE"), settings.getfloat("RETRY_BACKOFF_MAX"))

    async def process_request(self, request: Request) -> None:
        retries = request.meta.get("retry_times", 0)
        if retries and self.base > 0:
            await asyncio.sleep(min(self.cap, self.base * 2 ** (retries - 1)))
        return None
