"""The archive pipeline: every fetch a spider makes lands in the archive."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from concurrent.futures import ThreadPoolExecutor

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from storage import Archive, Outcome, Site, lock

from .items import FetchResult, ReleaseFetch

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """Owns the archive connection and the crawl row for one spider run.

    One writer thread owns the SQLite connection: each page's transaction
    (and its commit) runs beside the reactor instead of stalling every
    download in flight, and pages are still written one at a time, in order.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_path = crawler.settings.get("PRESSWATCH_DB")
        self.archive: Archive | None = None
        self.crawl_id: int | None = None
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ArchivePipeline":
        pipeline = cls(crawler)
        # Finish the crawl row on spider_closed, which knows why the run ended.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        lock.acquire(self.db_path)  # raises ArchiveBusy: never two writers
        self.writer.submit(self._open, self.crawler.spider.profile).result()
        self.crawler.stats.set_value("presswatch/crawl_id", self.crawl_id)

    def _open(self, profile) -> None:
        self.archive = Archive.open(self.db_path)
        self.archive.register_site(
            Site(
                id=profile.id,
                name=profile.name,
                country=profile.country,
                language=profile.language,
                timezone=profile.timezone,
                base_url=profile.base_url,
            )
        )
        self.archive.mark_interrupted(profile.id)
        self.crawl_id = self.archive.start_crawl(profile.id)

    async def process_item(self, item: ReleaseFetch) -> ReleaseFetch:
        try:
            outcome = await asyncio.wrap_future(self.writer.submit(self._record, item))
        except sqlite3.Error as error:
            # A full disk or a vanished file: every later page would fail the
            # same way, so stop now; the transaction rolled back, nothing is half-written.
            self.stop(f"cannot write to the archive: {error}")
            raise DropItem(f"not archived: {error}") from None
        site_id = self.crawler.spider.profile.id
        self.crawler.stats.inc_value(f"presswatch/{outcome.value}")
        if outcome in (Outcome.NEW, Outcome.CHANGED, Outcome.REMOVED):
            logger.info("%s:%s %s", site_id, item.key, outcome.value)
        return item

    def _record(self, item: ReleaseFetch) -> Outcome:
        site_id = self.crawler.spider.profile.id
        archive, crawl_id = self.archive, self.crawl_id
        if item.result is FetchResult.PAGE:
            outcome = archive.record_page(
                crawl_id, site_id, item.key, item.observation, item.content,
                raw_html=item.raw_html, encoding=item.encoding,
            )
        elif item.result is FetchResult.GONE:
            outcome = archive.record_gone(crawl_id, site_id, item.key, item.observation)
        elif item.result is FetchResult.NOT_MODIFIED:
            outcome = archive.record_not_modified(crawl_id, site_id, item.key, item.observation)
        else:
            outcome = archive.record_error(crawl_id, site_id, item.key, item.observation)
        return outcome

    def stop(self, message: str) -> None:
        spider = self.crawler.spider
        if not self.crawler.stats.get_value("presswatch/failure"):
            spider.failures.append(message)
            logger.error("%s: %s; stopping the crawl", spider.name, message)
            self.crawler.stats.set_value("presswatch/failure", message)
            # Not awaited: closing waits for items in flight, this one included.
            asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="archive_error"))

    def spider_closed(self, spider, reason: str) -> None:
        if self.archive is None:
            return
        requests = self.crawler.stats.get_value("downloader/request_count", 0)
        failures = list(spider.failures)
        if requests == 0:
            failures.append("no request was made")
        if reason != "finished":
            failures.append(f"crawl ended early: {reason}")
        try:
            self.writer.submit(
                self._finish, requests, spider.list_complete and not failures, failures
            ).result()
        except sqlite3.Error as error:
            logger.error("%s: cannot record the end of the crawl: %s", spider.name, error)
            self.crawler.stats.set_value("presswatch/failure", "; ".join(failures) or str(error))
        finally:
            self.writer.shutdown()
            lock.release(self.db_path)

    def _finish(self, requests: int, list_complete: bool, failures: list[str]) -> None:
        self.archive.finish_crawl(
            self.crawl_id,
            status="failed" if failures else "finished",
            requests=requests,
            list_complete=list_complete,
            message="; ".join(failures) or None,
        )
        self.archive.close()
        self.archive = None
