"""Run a crawl of any number of sites in one Scrapy process, through one
archive writer, and report how each site's crawl ended."""

from __future__ import annotations

import os

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.report import CrawlReport
from crawler.sites.profile import SiteProfile
from crawler.spiders.board import BoardSpider
from storage import ArchiveView, ArchiveWriter


def project_settings(db: str, log_level: str | None = None) -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("PRESSWATCH_DB", db, priority="cmdline")
    if log_level:
        settings.set("LOG_LEVEL", log_level, priority="cmdline")
    return settings


def crawl(
    profiles: list[SiteProfile],
    db: str,
    *,
    base_url: str | None = None,
    full: bool = False,
    revisit_days: int | None = None,
    sweep_days: float | None = None,
    log_level: str | None = None,
) -> list[CrawlReport]:
    """Crawl every site into the archive at ``db`` in one spider, through one
    writer; one report per site.  Raises ArchiveBusy if another writer holds it."""
    writer = ArchiveWriter(db)
    try:
        process = CrawlerProcess(project_settings(db, log_level))
        crawler = process.create_crawler(BoardSpider)
        process.crawl(
            crawler, name="presswatch", sites=profiles, base_url=base_url, full=full,
            revisit_days=revisit_days, sweep_days=sweep_days, writer=writer,
        )
        process.start()
    finally:
        writer.close()
    with ArchiveView.open(db) as view:
        return [_report(view, profile, crawler) for profile in profiles]


def _report(view: ArchiveView, profile: SiteProfile, crawler) -> CrawlReport:
    crawl_id = crawler.stats.get_value(f"presswatch/crawl_id/{profile.id}")
    if crawl_id is None:
        failure = crawler.stats.get_value("presswatch/failure")
        return CrawlReport(profile.id, "failed", {}, failure or "the crawl did not start (see the log)")
    report = CrawlReport.from_crawl(profile.id, view.crawl(crawl_id))
    failure = crawler.stats.get_value("presswatch/failure")
    if failure and report.status != "failed":  # the archive could not record it
        return CrawlReport(profile.id, "failed", report.counts, failure)
    return report
