"""The archive pipeline: every fetch a spider makes reaches the archive's writer."""

from __future__ import annotations

import asyncio
import functools
import logging
import sqlite3
from collections.abc import Callable
from typing import TypeVar, cast

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.asyncio import create_looping_call

from crawler.items import FetchOutcome, ListingOutcome
from crawler.session import CrawlSession
from crawler.spiders.board import BoardSpider
from storage import ArchiveWriter, CrawlLifecycle, Outcome, RelayError

logger = logging.getLogger(__name__)
# Sent (with a reason) when a run is stopped without waiting for the pages
# in flight (crawler.runner): the crawl rows are finished at once.
crawl_interrupted = object()
_Item = TypeVar("_Item", FetchOutcome, ListingOutcome)
_Result = TypeVar("_Result")


class ArchivePipeline:
    """Hands each fetch outcome to the run's ``CrawlSession`` (crawler.session).

    The session is the caller's when it set PRESSWATCH_SESSION (``presswatch
    crawl`` opens the writer before the crawl, so a busy archive is refused
    at once); under plain ``scrapy crawl`` or a Scrapyd job the pipeline
    opens one.  Either way one writer applies the outcomes of every site of
    the run, in order; the spider gets only each site's state.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.session: CrawlSession | None = crawler.settings.get("PRESSWATCH_SESSION")
        # The writer commits in batches; between pages of a slow crawl this
        # makes what it applied durable within a second all the same.
        self.committer = create_looping_call(self.commit)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        pipeline = cls(crawler)
        # Finish the crawl rows on spider_closed, which knows why the run ended.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.interrupted, signal=crawl_interrupted)
        return pipeline

    @property
    def spider(self) -> BoardSpider:
        return cast(BoardSpider, self.crawler.spider)

    def open_spider(self) -> None:
        spider = self.spider
        try:
            if self.session is None:
                self.session = CrawlSession(self.open_writer(), owned=True)
            spider.begin(self.session.begin([site.profile for site in spider.sites.values()]))
        except RelayError as error:
            # A job on a node that cannot reach Redis, or no writer answers:
            # it crawls nothing, so nothing of it can be half-applied.
            self.stop(str(error))
            return
        self.committer.start(self.session.lifecycle.commit_every, now=False)

    def open_writer(self) -> CrawlLifecycle:
        """The archive's writer, or under a Scrapyd job with PRESSWATCH_REDIS
        set, the channel to the one writer of an archive on another machine."""
        if not self.crawler.settings.get("PRESSWATCH_REDIS"):
            return ArchiveWriter(self.crawler.settings.get("PRESSWATCH_DB"))  # raises ArchiveBusy: never two writers
        from crawler.scaleout.job import job_channel

        return job_channel(self.crawler)

    def commit(self) -> None:
        assert self.session is not None
        try:
            self.session.lifecycle.commit()
        except sqlite3.Error as error:
            self.stop(f"cannot write to the archive: {error}")

    def process_item(self, item: FetchOutcome | ListingOutcome) -> FetchOutcome | ListingOutcome:
        session = self.session
        assert session is not None
        if session.finished:  # a page that arrived as a stopped run was ending: fetched again next run
            raise DropItem("not archived: the crawl was stopped")
        item.crawl_id = session.crawl_ids[item.site_id]
        if isinstance(item, ListingOutcome):
            return self.process_listing(item)
        site = self.spider.sites[item.site_id]
        outcome = self.written(functools.partial(session.lifecycle.apply, reread=site.reading.reread), item)
        if outcome is None:  # relayed: the writer decides, on its machine
            return item
        self.crawler.stats.inc_value(f"presswatch/{outcome.value}")
        if outcome in (Outcome.NEW, Outcome.CHANGED, Outcome.REMOVED):
            logger.info("%s:%s %s", item.site_id, item.key, outcome.value)
        return item

    def process_listing(self, item: ListingOutcome) -> ListingOutcome:
        assert self.session is not None
        events = self.written(self.session.lifecycle.apply_listing, item)
        for event in events:
            self.crawler.stats.inc_value(f"presswatch/{event}")
        if events:
            logger.info("%s: list page %d: %s", item.site_id, item.page, ", ".join(events))
        return item

    def written(self, write: Callable[[_Item], _Result], item: _Item) -> _Result:
        try:
            return write(item)
        except RelayError as error:
            self.stop(str(error))
            raise DropItem(f"not archived: {error}") from None
        except sqlite3.Error as error:
            # A full disk or a vanished file: every later page would fail the
            # same way, so stop now; the item's savepoint rolled back, nothing is half-written.
            self.stop(f"cannot write to the archive: {error}")
            raise DropItem(f"not archived: {error}") from None

    def stop(self, message: str) -> None:
        if self.session is not None and not self.session.fail(message):
            return  # stopping already, for the first reason
        logger.error("%s; stopping the crawl", message)
        # Not awaited: closing waits for items in flight, this one included.
        asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="archive_error"))

    def interrupted(self, reason: str) -> None:
        self.spider_closed(self.spider, reason)

    def spider_closed(self, spider: BoardSpider, reason: str) -> None:
        if self.session is None or self.session.finished:
            return
        if self.committer.running:
            self.committer.stop()
        begun = len(self.session.crawl_ids) == len(spider.sites)  # else nothing of the run reached the archive
        self.session.finish(spider.summaries(reason, self.session.failure) if begun else {})
