"""Scrapy settings for presswatch.

Defaults are polite, for the real sites: robots.txt obeyed, one request at a
time per host, AutoThrottle on, a User-Agent that says who we are.  Each
PRESSWATCH_* value can be overridden from the environment (tests and the
demo use this to crawl their local server without delays).
"""

import os

from scrapy.settings.default_settings import EXTENSIONS_BASE as _SCRAPY_EXTENSIONS

from crawler import __version__
from crawler.policy.crawlconfig import REVISIT_DAYS, SWEEP_DAYS

BOT_NAME = "presswatch"
SPIDER_MODULES = ["crawler.spiders", "crawler.scaleout.job"]
NEWSPIDER_MODULE = "crawler.spiders"
SPIDER_LOADER_CLASS = "crawler.spiderloader.ProfileSpiderLoader"
# Users' own site profiles (*.toml), beside the built-in ones.
PRESSWATCH_SITES_DIR = os.environ.get("PRESSWATCH_SITES_DIR", "")

# Where the archive lives; `presswatch crawl --db` and `-s PRESSWATCH_DB=` win.
PRESSWATCH_DB = os.environ.get("PRESSWATCH_DB", "archive.db")
# Releases published this many days ago or less are re-fetched on every run.
PRESSWATCH_REVISIT_DAYS = int(os.environ.get("PRESSWATCH_REVISIT_DAYS", str(REVISIT_DAYS)))
# Every archived release is rechecked at least once in this many days: each
# run rechecks the longest-unchecked share of them (the rolling sweep).
PRESSWATCH_SWEEP_DAYS = float(os.environ.get("PRESSWATCH_SWEEP_DAYS", str(SWEEP_DAYS)))
PRESSWATCH_CONTACT_URL = os.environ.get("PRESSWATCH_CONTACT_URL", "https://github.com/presswatch/presswatch")

USER_AGENT = f"presswatch/{__version__} (+{PRESSWATCH_CONTACT_URL})"
ROBOTSTXT_OBEY = True

# Politeness is per origin (scheme://host:port, one download slot each):
# one request at a time and DOWNLOAD_DELAY between requests, however many
# boards share the host.  The run as a whole may have many requests in
# flight, one per host, so that boards on different hosts do not wait for
# each other; the downloader-aware queue hands the downloader requests for
# idle hosts first instead of piling them up behind one busy host.
CONCURRENT_REQUESTS = int(os.environ.get("PRESSWATCH_MAX_REQUESTS", "64"))
# Scrapy 2.19 enforces this only when DOWNLOAD_DELAY > 0: with no delay its
# downloader starts every queued request of a slot at once (seen with the
# local board: 7 requests in flight at a concurrency of 2).  The polite
# default delay keeps it one request at a time.
CONCURRENT_REQUESTS_PER_DOMAIN = int(os.environ.get("PRESSWATCH_CONCURRENCY", "1"))
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
DOWNLOAD_DELAY = float(os.environ.get("PRESSWATCH_DOWNLOAD_DELAY", "2.0"))
# The delay is a floor, never shortened at random: Scrapy's default jitter
# (±50%) let one board's requests come 0.5 s apart at a 1 s delay.
# AutoThrottle only ever lengthens it, for a server that slows down.
DOWNLOAD_DELAY_JITTER = 0
AUTOTHROTTLE_ENABLED = os.environ.get("PRESSWATCH_AUTOTHROTTLE", "1") == "1"
AUTOTHROTTLE_START_DELAY = DOWNLOAD_DELAY
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = float(os.environ.get("PRESSWATCH_DOWNLOAD_TIMEOUT", "30"))
# A press release is a few dozen KB; anything near these sizes is not one.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = int(os.environ.get("PRESSWATCH_RETRY_TIMES", "2"))
# Wait 5 s before the first retry, 10 s before the second (crawler/middlewares.py).
RETRY_BACKOFF_BASE = float(os.environ.get("PRESSWATCH_RETRY_BACKOFF", "5"))
RETRY_BACKOFF_MAX = 120.0
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = True  # MOFA answers a first visit with a 307 + session cookie

# Nobody needs a telnet console or a port that runs posted Python code on a
# cron box; RemoteControl is on by default since Scrapy 2.19.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# And not even imported.  Scrapy imports every extension it names, even one
# set to None, before asking whether it is on; RemoteControl's import loads
# aiohttp, a tenth of a second of CPU on every run.  So they leave the base.
_NEVER_LOADED = ("scrapy.extensions.remote_control.RemoteControl", "scrapy.extensions.telnet.TelnetConsole")
EXTENSIONS_BASE = {path: order for path, order in _SCRAPY_EXTENSIONS.items() if path not in _NEVER_LOADED}

# Crawl jobs on several machines (presswatch dispatch): the Redis that
# carries their outcomes to the archive's one writer (storage.relay) and
# books each host's requests across machines (crawler/scaleout/handlers.py).
PRESSWATCH_REDIS = os.environ.get("PRESSWATCH_REDIS", "")
# The job's own key, which dispatch derives for it and its one site (storage.contract.signing);
# never from the environment, which every job of a node shares.
PRESSWATCH_JOB_KEY = ""
DOWNLOAD_HANDLERS = {
    "http": "crawler.scaleout.handlers.SharedScheduleHandler",
    "https": "crawler.scaleout.handlers.SharedScheduleHandler",
}

ITEM_PIPELINES = {"crawler.pipelines.ArchivePipeline": 300}
# Scrapy starts CONCURRENT_ITEMS asyncio workers for every response that
# yields anything; the default 100 was a fifth of presswatch's CPU per page.
# A release page yields one item, a list page about ten requests.
CONCURRENT_ITEMS = 4
# Middlewares presswatch has no use for: each one wraps every callback's
# output in another async generator.  Release URLs are built from keys, so
# there is no link depth to track, and no board needs HTTP auth.
SPIDER_MIDDLEWARES = {"scrapy.spidermiddlewares.depth.DepthMiddleware": None}
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
    # Before RobotsTxtMiddleware (100): a redirect off the board, or a request
    # to a private address, is refused before even its robots.txt is asked
    # for.  Scrapy's RedirectMiddleware (600) and MetaRefreshMiddleware (580)
    # stay on: their new request comes through here like any other.
    "crawler.middlewares.BoardOriginMiddleware": 90,
    # Just before the download, after robots.txt and the retry bookkeeping.
    "crawler.middlewares.RetryBackoffMiddleware": 850,
    # Last: every request, robots.txt included, is in its origin's slot.
    "crawler.middlewares.OriginSlotMiddleware": 990,
}

LOG_LEVEL = os.environ.get("PRESSWATCH_LOG_LEVEL", "INFO")
FEED_EXPORT_ENCODING = "utf-8"
