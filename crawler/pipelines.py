"""The archive pipeline: every fetch a spider makes lands in the archive."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler

from storage import Archive, Outcome, Site, lock

from .items import FetchResult, ReleaseFetch

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """Owns the archive connection and the crawl row for one spider run."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_path = crawler.settings.get("PRESSWATCH_DB")
        self.archive: Archive | None = None
        self.crawl_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ArchivePipeline":
        pipeline = cls(crawler)
        # Finish the crawl row on spider_closed, which knows why the run ended.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        lock.acquire(self.db_path)  # raises ArchiveBusy: never two writers
        profile = self.crawler.spider.profile
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
        self.crawler.stats.set_value("presswatch/crawl_id", self.crawl_id)

    def process_item(self, item: ReleaseFetch) -> ReleaseFetch:
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
        self.crawler.stats.inc_value(f"presswatch/{outcome.value}")
        if outcome in (Outcome.NEW, Outcome.CHANGED, Outcome.REMOVED):
            logger.info("%s:%s %s", site_id, item.key, outcome.value)
        return item

    def spider_closed(self, spider, reason: str) -> None:
        if self.archive is None:
            return
        requests = self.crawler.stats.get_value("downloader/request_count", 0)
        failures = list(spider.failures)
        if requests == 0:
            failures.append("no request was made")
        if reason != "finished":
            failures.append(f"crawl ended early: {reason}")
        self.archive.finish_crawl(
            self.crawl_id,
            status="failed" if failures else "finished",
            requests=requests,
            list_complete=spider.list_complete and not failures,
            message="; ".join(failures) or None,
        )
        self.archive.close()
        self.archive = None
        lock.release(self.db_path)
