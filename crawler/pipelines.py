"""The archive pipeline: every fetch a spider makes reaches the archive's writer."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import sqlite3
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.asyncio import create_looping_call

from crawler.extract.generic import SAMPLE_PAGES
from crawler.items import FetchOutcome, ListingOutcome
from crawler.spiders.board import BoardSpider
from storage import ArchiveWriter, Outcome, RelayError

if TYPE_CHECKING:
    from storage import JobChannel

logger = logging.getLogger(__name__)
# Sent (with a reason) when a run is stopped without waiting for the pages
# in flight (crawler.runner): the crawl rows are finished at once.
crawl_interrupted = object()
_Item = TypeVar("_Item", FetchOutcome, ListingOutcome)
_Result = TypeVar("_Result")


class ArchivePipeline:
    """Hands each fetch outcome to the run's one ArchiveWriter.

    The writer is the caller's when it passed one to the spider (``presswatch
    crawl`` opens it before the crawl, so a busy archive is refused at once);
    under plain ``scrapy crawl`` the pipeline opens it.  Either way one
    writer applies the outcomes of every site of the run, in order.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_path = crawler.settings.get("PRESSWATCH_DB")
        self.writer: ArchiveWriter | JobChannel | None = None
        self.owns_writer = False
        self.crawl_ids: dict[str, int] = {}
        self.finished = False  # the crawl rows are closed: nothing more is applied
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
        self.writer = spider.writer
        try:
            if self.writer is None:
                self.writer = self.open_writer()
                self.owns_writer = True
                spider.writer = self.writer
            for site in spider.sites.values():
                self.crawl_ids[site.id] = self.writer.begin_crawl(site.profile.as_site())
                self.crawler.stats.set_value(f"presswatch/crawl_id/{site.id}", self.crawl_ids[site.id])
        except RelayError as error:
            # A job on a node that cannot reach Redis, or no writer answers:
            # it crawls nothing, so nothing of it can be half-applied.
            self.stop(str(error))
            return
        self.committer.start(self.writer.commit_every, now=False)

    def open_writer(self) -> ArchiveWriter | JobChannel:
        """The archive's writer, or under a Scrapyd job with PRESSWATCH_REDIS
        set, the channel to the one writer of an archive on another machine."""
        url = self.crawler.settings.get("PRESSWATCH_REDIS")
        if not url:
            return ArchiveWriter(self.db_path)  # raises ArchiveBusy: never two writers
        spider = self.spider
        from storage import JobChannel  # redis: only jobs on several machines import it

        token = getattr(spider, "_job", None) or self.crawler.settings.get("PRESSWATCH_JOB") or uuid.uuid4().hex
        key = self.crawler.settings.get("PRESSWATCH_JOB_KEY") or ""
        if not re.fullmatch(r"[0-9a-f]{64}", key):
            # The writer would refuse every message: say so now, not after its timeout.
            raise RelayError("a crawl job needs its key from `presswatch dispatch` (the setting PRESSWATCH_JOB_KEY)")
        return JobChannel(url, token, bytes.fromhex(key), recent_pages={
            site.id: SAMPLE_PAGES if site.profile.generic else 0 for site in spider.sites.values()
        })

    def commit(self) -> None:
        assert self.writer is not None
        try:
            self.writer.commit()
        except sqlite3.Error as error:
            self.stop(f"cannot write to the archive: {error}")

    def process_item(self, item: FetchOutcome | ListingOutcome) -> FetchOutcome | ListingOutcome:
        assert self.writer is not None
        if self.finished:  # a page that arrived as a stopped run was ending: fetched again next run
            raise DropItem("not archived: the crawl was stopped")
        item.crawl_id = self.crawl_ids[item.site_id]
        if isinstance(item, ListingOutcome):
            return self.process_listing(item)
        site = self.spider.sites[item.site_id]
        outcome = self.written(functools.partial(self.writer.apply, reread=site.reading.reread), item)
        if outcome is None:  # relayed: the writer decides, on its machine
            return item
        self.crawler.stats.inc_value(f"presswatch/{outcome.value}")
        if outcome in (Outcome.NEW, Outcome.CHANGED, Outcome.REMOVED):
            logger.info("%s:%s %s", item.site_id, item.key, outcome.value)
        return item

    def process_listing(self, item: ListingOutcome) -> ListingOutcome:
        assert self.writer is not None
        events = self.written(self.writer.apply_listing, item)
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
        spider = self.spider
        if not self.crawler.stats.get_value("presswatch/failure"):
            spider.failures.append(message)
            logger.error("%s; stopping the crawl", message)
            self.crawler.stats.set_value("presswatch/failure", message)
            # Not awaited: closing waits for items in flight, this one included.
            asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="archive_error"))

    def interrupted(self, reason: str) -> None:
        self.spider_closed(self.spider, reason)

    def spider_closed(self, spider: BoardSpider, reason: str) -> None:
        if self.finished:
            return
        self.finished = True
        if self.writer is None or len(self.crawl_ids) < len(spider.sites):
            if self.owns_writer and self.writer is not None:
                self.writer.close()
            return  # the crawl never began
        if self.committer.running:
            self.committer.stop()
        try:
            for site in spider.sites.values():
                failures = site.run_failures(spider.failures)
                if reason != "finished":
                    failures.append(f"crawl ended early: {reason}")
                for failure in failures:
                    logger.error("%s: %s", site.id, failure)
                self.writer.finish_crawl(
                    self.crawl_ids[site.id], requests=site.requests,
                    list_complete=site.walk.list_complete and not failures, failures=failures,
                    swept=site.walk.swept, sweep_size=site.walk.sweep_size, list_pages=site.list_pages,
                    list_cycle=site.walk.pass_report() if reason == "finished" else None,
                )
        except (sqlite3.Error, RelayError) as error:
            logger.error("cannot record the end of the crawl: %s", error)
            self.crawler.stats.set_value("presswatch/failure", f"cannot write to the archive: {error}")
        finally:
            if self.owns_writer:
                self.writer.close()
