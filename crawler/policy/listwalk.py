"""One site's walk in one run: what to request next, and when it is done.

A walk goes down the list newest first.  It fetches every release it has
never archived and re-fetches (with a conditional GET) those published within
the revisit window; once it meets an archived release older than the window
it stops, because everything further down is older still.  That early stop
is only taken after some crawl has walked the whole list, so a first crawl
that was killed half-way is completed by the next run.  Past the early stop
a run also walks its share of the pass over the whole list
(crawler.policy.listpass), and when every walk has ended, revisits the
archived releases in the window the list no longer shows and sweeps its
share of the older ones (crawler.policy.window).

``SiteWalk`` is plain code: it is told what a list page listed and answers
with plans (``ListFetch``, ``ReleaseFetch``) and the list pages to archive
(``ListingOutcome``); the spider (crawler/spiders/walk.py) fetches.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from crawler.extract.pages import Listed
from crawler.extract.titles import TitleIndex
from crawler.extract.urls import host
from crawler.items import ListingOutcome
from crawler.policy import window
from crawler.policy.crawlconfig import CrawlConfig
from crawler.policy.listpass import ListPass
from crawler.policy.plan import ListFetch, ReleaseFetch
from crawler.policy.verdict import Reading
from crawler.sites.profile import SiteProfile
from storage import KnownRelease, SiteState, now

Step = ListFetch | ReleaseFetch | ListingOutcome


class SiteWalk:
    """One site's walk: what is known of it, what its lists showed, what is scheduled."""

    def __init__(
        self, profile: SiteProfile, base_url: str | None = None, config: CrawlConfig | None = None, log: Any = None
    ):
        self.profile = profile
        self.id = profile.id
        self.config = config or CrawlConfig()
        self.log = log or logging.getLogger(__name__)
        self.base_url = (base_url or profile.base_url).rstrip("/")
        # Off-site links are never followed unless the profile names the host.
        self.allowed_domains = [host(self.base_url), *profile.allowed_domains, *map(host, profile.also_at)]
        self.reading = Reading(profile, self.base_url, self.log)
        self.known: dict[str, KnownRelease] = {}
        self.scheduled: set[str] = set()
        self.listed_pages: dict[str, list[frozenset[str]]] = {}
        self.open_walks: set[str] = set()  # start paths (and the feed) still being walked
        self.walk_cut_short = False
        self.may_stop_early = False
        self.list_complete = False
        self.failures: list[str] = []
        self.run_interval: timedelta | None = None
        self.since = self.today() - timedelta(days=self.config.revisit_days)  # the revisit window's first day
        self.sweep_size = 0  # archived releases outside the revisit window
        self.swept = 0  # of those, rechecked by this run's sweep
        walks = [*profile.start, *(["feed"] if profile.sitemap and not profile.feed else [])]
        self.list_pass = ListPass(self.id, walks)

    def today(self) -> date:
        return now().astimezone(self.profile.tzinfo).date()

    def load(self, state: SiteState, config: CrawlConfig | None = None, today: date | None = None) -> None:
        """What the archive knows of the site, how this run crawls it;
        ``today`` in the site's time."""
        self.config = config or self.config
        self.known = state.known
        self.may_stop_early = not self.config.full and state.list_ever_completed
        self.run_interval = state.run_interval
        self.since = window.cutoff(today or self.today(), self.config.revisit_days)
        self.reading.titles = {key: known.title for key, known in self.known.items() if known.title}
        self.reading.title_index = TitleIndex(self.reading.titles.values())
        self.list_pass.load(state.cycle)

    def start(self) -> list[ListFetch]:
        profile, starts = self.profile, []
        if profile.feed or profile.sitemap:
            self.open_walks.add("feed")
            starts.append(ListFetch("feed", 1, self.base_url + (profile.feed or profile.sitemap)))
        self.open_walks.update(profile.start)
        starts += [ListFetch(path, profile.pagination.first) for path in profile.start]
        return starts

    def may_follow(self, url: str) -> bool:
        """Only http(s) links to the site itself or hosts the profile allows."""
        if not url.startswith(("http://", "https://")):
            return False
        link_host = host(url)
        return link_host == host(self.profile.base_url) or any(
            link_host == domain or link_host.endswith("." + domain) for domain in self.allowed_domains
        )

    def accept(self, url: str, listed: list[Listed]) -> list[Listed]:
        """The releases a list page at ``url`` listed that may be followed,
        remembered for reading their pages (their titles and dates)."""
        followable = [item for item in listed if self.may_follow(item.url)]
        if listed and not followable:
            self.failures.append(f"all {len(listed)} release links on {url} point off-site or are not http(s)")
        reading = self.reading
        for item in followable:
            reading.entries[item.key] = item
            if item.title:
                reading.titles[item.key] = item.title
                reading.title_index.add(item.title)
        return followable

    def should_fetch(self, item: Listed, known: KnownRelease | None) -> bool:
        return window.should_fetch(item.date, known, self.config.full, self.since)

    def listed_page(
        self, walk: str, page: int, url: str, listed: list[Listed], next_url: str | None = None
    ) -> Iterator[Step]:
        """A list page of ``walk`` answered and listed ``listed`` (accepted);
        ``next_url``: its link to the next page, for a profile that follows one."""
        keys = frozenset(item.key for item in listed)
        seen = self.listed_pages.setdefault(walk, [])
        if not listed or keys in seen:
            # An empty page, or the last page served again for a number past
            # the end: the whole list has been seen.
            if not seen:
                self.failures.append(self.no_links_message(url, walk))
                yield from self.end_walk(walk, complete=False, failed=True)
                return
            yield from self.end_walk(walk, complete=True)
            return
        if not self.list_pass.stitched(walk, keys):
            self.log.info("%s: the list moved too much since the last run; its pass starts again", self.id)
            yield from self.end_walk(walk, complete=False)
            return
        seen.append(keys)
        self.list_pass.record(walk, page, url, listed)
        if walk == "feed":  # a feed or sitemap is one page
            yield from self.releases(listed)
            yield from self.end_walk(walk, complete=True)
            return
        yield from self.walk_on(walk, page, url, listed, keys, next_url)

    def walk_on(
        self, walk: str, page: int, url: str, listed: list[Listed], keys: frozenset[str], next_url: str | None
    ) -> Iterator[Step]:
        """A new page of a paged list: its releases, and the next page, the
        end of the walk, or the walk past the early stop."""
        pagination, seen = self.profile.pagination, self.listed_pages[walk]
        reached_archived = any(
            not self.should_fetch(item, self.known.get(item.key)) for item in listed if item.key in self.known
        )
        if pagination.next and not next_url:
            yield from self.releases(listed)
            yield from self.end_walk(walk, complete=True)
        elif len(seen) >= pagination.max_pages:
            self.log.warning("%s: stopped at max_pages=%d", self.id, pagination.max_pages)
            yield from self.releases(listed)
            yield from self.end_walk(walk, complete=False)
        elif self.list_pass.past_stop(walk) or (reached_archived and self.may_stop_early):
            # Past the early stop: walk on only for this run's share of the pass.
            yield from self.releases(listed)
            budget = window.pass_budget(
                len(self.known), len(keys), self.config.sweep_days, self.run_interval, pagination.max_pages
            )
            step = self.list_pass.walk_on(walk, page, url, keys, next_url, budget)
            yield from [step] if step else self.end_walk(walk, complete=False)
        else:
            # The next list page before this page's releases: the scheduler is
            # last-in-first-out, so it is fetched as soon as they have all
            # started downloading (no idle gap between pages), and the queue
            # never holds more than one page of releases, however long the board.
            yield ListFetch(walk, page + 1, next_url)
            yield from self.releases(listed)

    def list_failed(self, walk: str, page: int, reason: str) -> Iterator[Step]:
        self.failures.append(f"list page {page} failed: {reason}")
        yield from self.end_walk(walk, complete=False, failed=True)

    def no_links_message(self, url: str, walk: str) -> str:
        if walk == "feed":
            where = "the feed" if self.profile.feed else "the sitemap"
            return f"no release links in {where} {url}"
        rule = self.profile.links
        selector = f"xpath {rule.xpath!r}" if rule.xpath else f"selector {rule.rows!r}"
        return (
            f"list {selector} matched no release links on {url}; "
            f"the site may have been redesigned: run presswatch check {self.id}"
        )

    def end_walk(self, walk: str, complete: bool, failed: bool = False) -> Iterator[Step]:
        """A walk ended; the list is complete when every walk reached its end.
        A walk that ended normally hands over what its pages listed; the last
        walk to end brings the unlisted, the revisits and the sweep."""
        self.open_walks.discard(walk)
        self.walk_cut_short |= not complete
        if not self.open_walks and not self.walk_cut_short:
            self.list_complete = True
        yield from self.list_pass.end_walk(walk, complete, failed)
        if not self.open_walks:
            for key, known in self.list_pass.unlisted(self.known, bool(self.failures)):
                self.scheduled.add(key)
                yield ReleaseFetch(key, known.url, known, missing_from_list=True)
        for known in window.in_window_unlisted(self.known, self.config.full, self.since):
            yield from self.release(known.key, known.url, known)
        if not self.open_walks and not self.config.full:  # a full run fetches everything anyway
            self.sweep_size, due = window.sweep(
                self.known, self.since, self.config.sweep_days, self.run_interval, self.scheduled
            )
            for known in due:
                self.swept += 1
                yield from self.release(known.key, known.url, known)

    def releases(self, listed: list[Listed]) -> Iterator[ReleaseFetch]:
        for item in listed:
            known = self.known.get(item.key)  # also under a key its page moved to
            if self.should_fetch(item, known):
                yield from self.release(known.key if known else item.key, item.url, known)

    def release(self, key: str, url: str, known: KnownRelease | None) -> Iterator[ReleaseFetch]:
        """A release page, once a run."""
        if key in self.scheduled:
            return
        self.scheduled.add(key)
        yield ReleaseFetch(key, url, known)

    def pass_report(self) -> tuple[dict[str, Any], str | None] | None:
        return self.list_pass.report(bool(self.failures))
