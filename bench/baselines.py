"""The two floors presswatch is measured against, on the same URLs.

``bare`` fetches each page and does nothing; ``parse`` also parses each page
once with lxml (through parsel), which any selector-based extractor must do.
Run with ``scrapy runspider bench/baselines.py -a urls=FILE -a mode=bare``
from the project's folder: scrapy.cfg gives them presswatch's own download
stack (its download handler, middlewares, cookies), with robots.txt,
AutoThrottle and the pipeline off, so that what lies between them and
presswatch is extraction and the archive, not Scrapy configured otherwise.
"""

from __future__ import annotations

import scrapy


class BaselineSpider(scrapy.Spider):
    name = "baseline"

    def __init__(self, urls: str, mode: str = "bare", **kwargs):
        super().__init__(**kwargs)
        self.urls_file = urls
        self.mode = mode

    async def start(self):
        with open(self.urls_file) as handle:
            for url in handle.read().split():
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response):
        if self.mode == "parse":
            response.selector.root  # noqa: B018 — builds the lxml tree once
