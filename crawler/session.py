"""One run's crawls, begun and finished through the archive's one writer.

A ``CrawlSession`` owns the run's lifecycle (storage.CrawlLifecycle: the
archive's writer, or under a Scrapyd job the relay to it): it begins each
site's crawl and gives back only what the crawl reads (each site's state),
applies the outcomes, and finishes each crawl with its summary.  Why a run
failed travels one way: into each site's summary, so into its crawls row,
which the run's report reads; only a failure that kept the row from being
written is the session's own (``failure``).
"""

from __future__ import annotations

import logging
import sqlite3

from crawler.extract.generic import SAMPLE_PAGES
from crawler.report import CrawlReport
from crawler.sites.profile import SiteProfile
from storage import ArchiveView, CrawlLifecycle, CrawlSummary, RelayError, SiteState

logger = logging.getLogger(__name__)


class CrawlSession:
    def __init__(self, lifecycle: CrawlLifecycle, *, owned: bool = False):
        """``owned``: the session closes the lifecycle when the run ends (it was opened for the run)."""
        self.lifecycle = lifecycle
        self.owned = owned
        self.crawl_ids: dict[str, int] = {}
        self.failure: str | None = None  # why the archive stopped the run: its first reason
        self.finished = False  # the crawl rows are closed: nothing more is applied

    def begin(self, profiles: list[SiteProfile]) -> dict[str, SiteState]:
        """Begin every site's crawl; what the archive knows of each.
        Raises RelayError when a job's writer cannot be reached or refuses."""
        states = {}
        for profile in profiles:
            # A profile-less site learns its template from its latest captures.
            start = self.lifecycle.begin(profile.as_site(), SAMPLE_PAGES if profile.generic else 0)
            self.crawl_ids[profile.id] = start.crawl_id
            states[profile.id] = start.state
        return states

    def fail(self, message: str) -> bool:
        """Record why the archive stops the run; False if it already did."""
        if self.failure is not None:
            return False
        self.failure = message
        return True

    def finish(self, summaries: dict[str, CrawlSummary]) -> None:
        """Close each crawl's row with its summary (none: the run never
        began), then the lifecycle if the session owns it."""
        self.finished = True
        try:
            for site_id, summary in summaries.items():
                for failure in summary.failures:
                    logger.error("%s: %s", site_id, failure)
                self.lifecycle.finish(self.crawl_ids[site_id], summary)
        except (sqlite3.Error, RelayError) as error:
            logger.error("cannot record the end of the crawl: %s", error)
            self.failure = f"cannot write to the archive: {error}"
        finally:
            self.close()

    def close(self) -> None:
        """Close the lifecycle if the session owns it; once, whoever asks first."""
        if self.owned:
            self.owned = False
            self.lifecycle.close()

    def report(self, view: ArchiveView | None, site_id: str) -> CrawlReport:
        """How the site's crawl ended, from its crawls row (``view``: the archive's, None when none)."""
        crawl_id = self.crawl_ids.get(site_id)
        if crawl_id is None or view is None:
            return CrawlReport(site_id, "failed", {}, self.failure or "the crawl did not start (see the log)")
        report = CrawlReport.from_crawl(site_id, view.crawl(crawl_id))
        if self.failure and report.status != "failed":  # the archive could not record it
            return CrawlReport(site_id, "failed", report.counts, self.failure)
        return report
