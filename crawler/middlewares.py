"""Downloader middlewares of presswatch's own."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler


class OriginSlotMiddleware:
    """One download slot per origin (scheme, host and port), for every request.

    The spider puts its requests in their origin's slot; this covers the
    requests Scrapy makes itself (robots.txt), which would otherwise share a
    slot per host name across ports and bypass the origin's delay."""

    async def process_request(self, request: Request) -> None:
        if "download_slot" not in request.meta:
            parts = urlsplit(request.url)
            request.meta["download_slot"] = f"{parts.scheme}://{parts.netloc}"
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
