"""The one spider: walks a press-release board as its site profile describes.

A run walks the list newest first.  It fetches every release it has never
archived and re-fetches (with a conditional GET) those published within the
revisit window; once it meets an archived release older than the window it
stops, because everything further down is older still.  That early stop is
only taken after some crawl has walked the whole list, so a first crawl that
was killed half-way is completed by the next run.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, AsyncIterator

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from storage import Archive, KnownRelease, Observation

from ..extract import ExtractionError, Listed, extract_release, parse_list
from ..items import FetchResult, ReleaseFetch
from ..profile import SiteProfile
from ..urls import host, query_value, rebase

GONE_STATUSES = (404, 410)


def _flag(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


class BoardSpider(scrapy.Spider):
    profile: SiteProfile  # set by each site's generated subclass

    def __init__(
        self,
        *args: Any,
        base_url: str | None = None,
        full: Any = False,
        revisit_days: Any = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.base_url = (base_url or self.profile.base_url).rstrip("/")
        self.allowed_domains = [host(self.base_url)]
        self.full = _flag(full)
        self._revisit_days = revisit_days
        self.known: dict[str, KnownRelease] = {}
        self.scheduled: set[str] = set()
        self.listed_pages: list[frozenset[str]] = []
        self.may_stop_early = False
        self.list_complete = False
        self.listed_count = 0
        self.failures: list[str] = []

    @property
    def db_path(self) -> str:
        return self.settings.get("PRESSWATCH_DB")

    @property
    def cutoff(self) -> date:
        """Releases listed on or after this day (site time) are revisited."""
        days = self._revisit_days
        if days is None:
            days = self.settings.getint("PRESSWATCH_REVISIT_DAYS")
        return datetime.now(self.profile.tzinfo).date() - timedelta(days=int(days))

    async def start(self) -> AsyncIterator[scrapy.Request]:
        with Archive.open(self.db_path) as archive:
            self.known = archive.known_releases(self.profile.id)
            self.may_stop_early = not self.full and archive.list_ever_completed(
                self.profile.id
            )
        yield self.list_request(self.profile.pagination.first)

    # List pages ---------------------------------------------------------

    def list_request(self, page: int) -> scrapy.Request:
        separator = "&" if "?" in self.profile.start else "?"
        url = f"{self.base_url}{self.profile.start}{separator}{self.profile.pagination.param}={page}"
        # dont_filter: the board's 307 cookie dance redirects to the same URL.
        return scrapy.Request(
            url, callback=self.parse_list, errback=self.list_failed,
            cb_kwargs={"page": page}, dont_filter=True,
        )

    # Callbacks return lists, not generators: Scrapy re-reads the source of a
    # generator callback on every response (to warn about `return value`),
    # which cost about a millisecond a page.

    def parse_list(self, response: Response, page: int) -> list[scrapy.Request]:
        return list(self.follow_list(response, page))

    def follow_list(self, response: Response, page: int):
        listed = parse_list(response.text, self.profile) if isinstance(response, TextResponse) else []
        keys = frozenset(item.key for item in listed)
        if not listed or keys in self.listed_pages:
            # An empty page, or the last page served again for a number past
            # the end: the whole list has been seen.
            if page == self.profile.pagination.first:
                self.failures.append(f"no releases found on the list page {response.url}")
            else:
                self.list_complete = True
            yield from self.revisit_unlisted()
            return
        self.listed_pages.append(keys)
        self.listed_count += len(listed)
        reached_archived = False
        for item in listed:
            known = self.known.get(item.key)
            if self.should_fetch(item, known):
                yield from self.detail_request(item.key, known)
            elif known is not None:
                reached_archived = True
        if reached_archived and self.may_stop_early:
            yield from self.revisit_unlisted()
        elif page - self.profile.pagination.first + 1 >= self.profile.pagination.max_pages:
            self.logger.warning("stopped at max_pages=%d", self.profile.pagination.max_pages)
            yield from self.revisit_unlisted()
        else:
            yield self.list_request(page + 1)

    def list_failed(self, failure: Failure) -> list[scrapy.Request]:
        page = failure.request.cb_kwargs.get("page")
        self.failures.append(f"list page {page} failed: {describe(failure)}")
        self.logger.error("list page %s failed: %s", failure.request.url, describe(failure))
        return list(self.revisit_unlisted())

    def should_fetch(self, item: Listed, known: KnownRelease | None) -> bool:
        if known is None or self.full:
            return True
        return self.in_window(item.listed or _day(known.published))

    def in_window(self, day: date | None) -> bool:
        return day is None or day >= self.cutoff

    def revisit_unlisted(self):
        """Archived releases in the window that the list no longer shows:
        fetching them is how a withdrawn release is noticed."""
        for key, known in self.known.items():
            if key not in self.scheduled and (self.full or self.in_window(_day(known.published))):
                yield from self.detail_request(key, known)

    # Detail pages -------------------------------------------------------

    def canonical_url(self, key: str) -> str:
        return self.profile.base_url + self.profile.links.detail_url.format(key=key)

    def detail_request(self, key: str, known: KnownRelease | None):
        if key in self.scheduled:
            return
        self.scheduled.add(key)
        headers = {}
        if known is not None and not self.full:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        yield scrapy.Request(
            rebase(self.canonical_url(key), self.base_url),
            # Before the next list page: the queue holds one page of releases,
            # not the whole board, however long the board is.
            priority=1,
            callback=self.parse_detail,
            errback=self.detail_failed,
            headers=headers,
            cb_kwargs={"key": key},
            meta={"handle_httpstatus_list": [304, *GONE_STATUSES]},
            dont_filter=True,
        )

    def parse_detail(self, response: Response, key: str) -> list[ReleaseFetch]:
        return [self.fetch_result(response, key)]

    def fetch_result(self, response: Response, key: str) -> ReleaseFetch:
        observation = self.observe(response, key)
        if response.status == 304:
            return ReleaseFetch(key, FetchResult.NOT_MODIFIED, observation)
        if response.status in GONE_STATUSES or self.redirected_away(response, key):
            return ReleaseFetch(key, FetchResult.GONE, observation)
        if not isinstance(response, TextResponse):
            content_type = response.headers.get("Content-Type", b"").decode("latin-1")
            return self.error(key, observation, f"not an HTML page ({content_type or 'no Content-Type'})")
        try:
            extracted = extract_release(response.text, self.profile, response.url)
        except ExtractionError as error:
            return self.error(key, observation, str(error))
        except Exception as error:  # a page no rule foresaw: log it, lose nothing
            self.logger.exception("%s:%s extraction failed", self.profile.id, key)
            return self.error(key, observation, f"extraction failed: {error!r}")
        observation.hits = extracted.hits
        return ReleaseFetch(
            key, FetchResult.PAGE, observation, extracted.content,
            raw_html=response.body, encoding=response.encoding,
        )

    def detail_failed(self, failure: Failure) -> list[ReleaseFetch]:
        key = failure.request.cb_kwargs["key"]
        response = failure.value.response if failure.check(HttpError) else None
        observation = Observation(
            url=self.canonical_url(key),
            http_status=response.status if response is not None else None,
        )
        return [self.error(key, observation, describe(failure))]

    def error(self, key: str, observation: Observation, message: str) -> ReleaseFetch:
        self.logger.error("%s:%s %s", self.profile.id, key, message)
        observation.error = message
        return ReleaseFetch(key, FetchResult.ERROR, observation)

    def observe(self, response: Response, key: str) -> Observation:
        def header(name: str) -> str | None:
            value = response.headers.get(name)
            return value.decode("latin-1") if value else None

        return Observation(
            url=self.canonical_url(key),
            http_status=response.status,
            etag=header("ETag"),
            last_modified=header("Last-Modified"),
        )

    def redirected_away(self, response: Response, key: str) -> bool:
        """A release page that redirects to a list or home page is gone."""
        if not response.meta.get("redirect_urls"):
            return False
        return query_value(response.url, self.profile.key_query) != key if self.profile.key_query \
            else response.url.rstrip("/") == self.base_url


def _day(published: str | None) -> date | None:
    return date.fromisoformat(published[:10]) if published else None


def describe(failure: Failure) -> str:
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"
