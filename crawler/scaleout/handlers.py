"""HTTP downloads that take their turn per host in Redis, so that crawl
jobs on several machines space their requests to one host as one crawl does.

A request claims the host just before it leaves, after Scrapy's own slot has
let it go (one request at a time per origin on this machine): the claim
succeeds when the host's last request, from whichever node, started at
least the delay ago (Redis's clock), and otherwise says how long to wait.
Claiming at the last moment, not booking a time in advance, keeps a request
that woke late on a busy machine from coming too close to the next one.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

from crawler.origins import origin

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

# KEYS[1]: when the host's last request started (ms); ARGV[1]: the delay (ms).
# Returns 0 when this request may go now (and records it), else the ms to wait.
CLAIM = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local delay = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]))
if last == nil or now - last >= delay then
    redis.call('SET', KEYS[1], now, 'PX', delay + 60000)
    return 0
end
return last + delay - now
"""


class SharedScheduleHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.crawler = crawler
        self.delay = crawler.settings.getfloat("DOWNLOAD_DELAY")
        self.claim = None
        url = crawler.settings.get("PRESSWATCH_REDIS")
        if url:
            from storage import redis_client

            self.claim = redis_client(url).register_script(CLAIM)

    async def download_request(self, request: Request) -> Response:
        if self.claim is not None:
            delay = self.delay
            slot = (
                self.crawler.engine.downloader.slots.get(request.meta.get("download_slot", ""))
                if self.crawler.engine
                else None
            )
            if slot is not None:
                delay = max(delay, slot.delay)  # AutoThrottle lengthened it for a slow host
            key = f"presswatch:host:{origin(request.url)}"
            while delay > 0 and (wait_ms := int(self.claim(keys=[key], args=[int(delay * 1000)]))) > 0:
                await asyncio.sleep(wait_ms / 1000)
        return await super().download_request(request)
