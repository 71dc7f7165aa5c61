"""Run site spiders in one Scrapy process and report how each crawl ended."""

from __future__ import annotations

import os
from dataclasses import dataclass

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from storage import Archive

from .profile import SiteProfile
from .spiders.sites import spider_for

SUMMARY_FIELDS = ("requests", "new", "changed", "unchanged", "removed", "errors")


@dataclass
class CrawlReport:
    site_id: str
    status: str
    counts: dict
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "finished"

    def summary(self) -> str:
        counts = dict(self.counts)
        not_modified = counts.pop("not_modified", 0)
        # A 304 is an unchanged release confirmed cheaply: count it as unchanged.
        counts["unchanged"] = counts.get("unchanged", 0) + not_modified
        parts = [f"{name} {counts.get(name, 0)}" for name in SUMMARY_FIELDS]
        if not_modified:
            parts[SUMMARY_FIELDS.index("unchanged")] += f" ({not_modified} not modified)"
        line = f"{self.site_id}: {self.status}: {', '.join(parts)}"
        if self.message:
            line += f" — {self.message}"
        return line


def project_settings(db: str, log_level: str | None = None):
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
    log_level: str | None = None,
) -> list[CrawlReport]:
    """Crawl each site into the archive at ``db``; one report per site."""
    process = CrawlerProcess(project_settings(db, log_level))
    crawlers = []
    for profile in profiles:
        crawler = process.create_crawler(spider_for(profile))
        process.crawl(crawler, base_url=base_url, full=full, revisit_days=revisit_days)
        crawlers.append((profile, crawler))
    process.start()
    with Archive.open(db) as archive:
        return [_report(archive, profile, crawler) for profile, crawler in crawlers]


def _report(archive: Archive, profile: SiteProfile, crawler) -> CrawlReport:
    crawl_id = crawler.stats.get_value("presswatch/crawl_id")
    if crawl_id is None:
        return CrawlReport(profile.id, "failed", {}, "the crawl did not start (see the log)")
    row = archive.db["crawls"].get(crawl_id)
    counts = {name: row[name] for name in (*SUMMARY_FIELDS, "not_modified")}
    failure = crawler.stats.get_value("presswatch/failure")
    if failure and row["status"] != "failed":  # the archive could not record it
        return CrawlReport(profile.id, "failed", counts, failure)
    return CrawlReport(profile.id, row["status"], counts, row["message"])
