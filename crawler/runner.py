"""Run a crawl of any number of sites in one Scrapy process, through one
archive writer, and report how each site's crawl ended."""

from __future__ import annotations

import logging
import os
import re
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.ossignal import install_shutdown_handlers, signal_names
from scrapy.utils.project import get_project_settings

from crawler.pipelines import crawl_interrupted
from crawler.report import CrawlReport
from crawler.session import CrawlSession
from crawler.sites.profile import SiteProfile
from crawler.spiders.board import BoardSpider
from storage import ArchiveView, ArchiveWriter

logger = logging.getLogger(__name__)

# After SIGTERM or Ctrl-C, how long the pages already in flight may take to
# arrive and be archived.  Scrapy's own graceful stop waits for every one of
# them (up to DOWNLOAD_TIMEOUT, 30 s, and longer for a board that trickles);
# cron, systemd and container runtimes send SIGKILL after about 10 s.
STOP_GRACE_SECONDS = 3.0


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
    session = CrawlSession(writer)  # not owned: the archive stays locked until the whole run has ended
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        process = CrawlerProcess(project_settings(db, log_level))
        crawler = process.create_crawler(BoardSpider)
        # The pipeline's (crawler.pipelines); set on the crawler's own settings, which are not copied again.
        crawler.settings.set("PRESSWATCH_SESSION", session, priority="cmdline")
        process.crawl(
            crawler,
            name="presswatch",
            sites=profiles,
            base_url=base_url,
            full=full,
            revisit_days=revisit_days,
            sweep_days=sweep_days,
        )
        install_shutdown_handlers(_Stop(process, crawler))  # instead of Scrapy's, which waits for every page
        restore_logging = build_only_shown_records(crawler.settings)
        try:
            process.start(install_signal_handlers=False)
        finally:
            restore_logging()
    finally:
        for signum, handler in handlers.items():  # sending alerts after the crawl must stay stoppable
            signal.signal(signum, handler)
        writer.close()
    with ArchiveView.open(db) as view:
        return [session.report(view, profile.id) for profile in profiles]


def build_only_shown_records(settings: Settings) -> Callable[[], None]:
    """Log records below LOG_LEVEL are not built at all; returns what undoes it.

    Scrapy leaves the root logger at NOTSET and its own at DEBUG, and drops
    what is not shown at its handler, once each record is made: a 2,000-page
    crawl built 4,400 "Crawled" and "Scraped from" records at INFO, and every
    outcome's line as well at the default WARNING, some 20 us each.  The
    LogRecord attributes the format does not print (thread, process, the
    caller's file and line) are not looked up either."""
    level = logging.getLevelName(settings.get("LOG_LEVEL")) if settings.getbool("LOG_ENABLED") else logging.CRITICAL
    if not isinstance(level, int):
        return lambda: None  # a level Scrapy itself will refuse: leave it to say so
    loggers = [logging.root, logging.getLogger("scrapy")]
    levels = [each.level for each in loggers]
    fmt = settings.get("LOG_FORMAT") or ""
    flags = {
        "logThreads": "%(thread" in fmt,
        "logProcesses": "%(process" in fmt,
        "logMultiprocessing": "%(processName" in fmt,
        # Documented in the logging HOWTO's "Optimization" table.
        "_srcfile": logging._srcfile if re.search(r"%\((pathname|filename|module|funcName|lineno)\)", fmt) else None,
    }
    before = {name: getattr(logging, name) for name in flags}
    for each in loggers:
        each.setLevel(max(level, each.level))
    for name, value in flags.items():
        if not value:
            setattr(logging, name, value)

    def restore() -> None:
        for each, previous in zip(loggers, levels):
            each.setLevel(previous)
        for name, value in before.items():
            setattr(logging, name, value)

    return restore


class _Stop:
    """SIGTERM or Ctrl-C: no new request is made, the pages in flight have
    STOP_GRACE_SECONDS to arrive, then each site's crawl is recorded as ended
    early and the run ends; what was archived is committed, what was in
    flight is fetched again next run.  A second signal ends it at once."""

    def __init__(self, process: CrawlerProcess, crawler: Crawler):
        self.process = process
        self.crawler = crawler

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        reactor = _reactor()
        # Nothing more here: a signal handler may interrupt the very code it would call.
        install_shutdown_handlers(self.again)
        reactor.callFromThread(self.begin, signal_names.get(signum, str(signum)))

    def again(self, signum: int, frame: FrameType | None) -> None:
        reactor = _reactor()
        install_shutdown_handlers(signal.SIG_IGN)
        reactor.callFromThread(self.end)

    def begin(self, signame: str) -> None:
        reactor = _reactor()
        logger.warning("%s: stopping; the pages in flight have %.0f s", signame, STOP_GRACE_SECONDS)
        # Scrapy's graceful stop: a run whose pages all arrive in time ends as any stopped run does
        self.process.stop()
        reactor.callLater(STOP_GRACE_SECONDS, self.end)

    def end(self) -> None:
        reactor = _reactor()
        if not reactor.running:
            return
        self.process.stop()  # once more, for a second signal that came first: reactor.stop() waits for it
        self.crawler.signals.send_catch_log(signal=crawl_interrupted, reason="shutdown")  # as Scrapy says it
        try:
            reactor.stop()
        except RuntimeError:  # already stopping
            pass


def _reactor() -> Any:
    from twisted.internet import reactor  # installed by CrawlerProcess, as Scrapy chose it

    return reactor
