"""The pass over a site's whole list: the list as evidence, a share each run.

Past its early stop a run goes on for a few list pages where the last run
left off, so that the runs of every half ``sweep_days`` together walk the
list from end to end.  Each run starts one page back and checks that page
still shows a release the last run saw there: lists move only by releases
added or withdrawn above, so then nothing below it can have slipped past; if
not, the pass starts again.  Releases archived but missing from a completed
pass are fetched: one whose page still answers is ``unlisted``.  What a walk
listed reaches the archive only when the walk ended normally, and a pass
completes only in a run without list failures: a walk cut short says nothing
about what it did not see.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from crawler.extract.pages import Listed
from crawler.items import ListedEntry, ListingOutcome
from storage import ListCycle

if TYPE_CHECKING:
    from crawler.spiders.walk import SiteCrawl


class ListPass:
    """One site's part of the pass in one run."""

    def __init__(self, site: SiteCrawl):
        self.site = site
        self.cycle: ListCycle | None = None
        self.progress: dict[str, dict[str, Any]] = {}  # walk → where the pass is
        self.pages: dict[str, list[ListingOutcome]] = {}  # walk → its pages this run
        self.head_end: dict[str, tuple[int, str, list[str]]] = {}  # walk → last page walked from page 1
        self.segment_left: dict[str, int] = {}  # walk → list pages it may still walk past the stop
        self.stitching: set[str] = set()  # walks that jumped to where the last run left off
        self.ended: str | None = None  # "complete" or "restarted" in this run
        self.handed_over: list[ListingOutcome] = []  # list pages of walks that ended normally

    def load(self, cycle: ListCycle | None) -> None:
        self.cycle = cycle
        self.progress = {walk: dict(value) for walk, value in (cycle.progress if cycle else {}).items()}

    def walks(self) -> list[str]:
        """Walks whose end is the end of the list (a feed shows only the latest)."""
        profile = self.site.profile
        return [*profile.start, *(["feed"] if profile.sitemap and not profile.feed else [])]

    def record(self, walk: str, page: int, url: str, listed: list[Listed]) -> None:
        """A list page, kept until its walk ends."""
        self.pages.setdefault(walk, []).append(ListingOutcome(self.site.id, walk, page, [
            ListedEntry(item.key, item.url, item.title, item.listed.isoformat() if item.listed else None, position)
            for position, item in enumerate(listed, 1)
        ]))
        if walk not in self.segment_left:
            self.head_end[walk] = (page, url, [item.key for item in listed])

    def past_stop(self, walk: str) -> bool:
        return walk in self.segment_left

    def budget(self, page_size: int) -> int:
        """List pages a run walks past its early stop: its share of the list's
        pages (board size × time between runs ÷ half of sweep_days), and one
        more for the page where the last run stopped.  A pass every half
        sweep_days: a release withdrawn from the list just after one pass saw
        it is missing from the next, which ends within sweep_days."""
        site = self.site
        days = site.spider.sweep_days
        if days <= 0:
            return site.profile.pagination.max_pages
        if math.isinf(days):  # no sweep: only the page where the last run stopped
            return 1
        pages = math.ceil((len(site.known) + 1) / max(page_size, 1))
        interval = site.run_interval or timedelta(days=1)
        return math.ceil(pages * min(interval / timedelta(days=days / 2), 1)) + 1

    def walk_on(self, walk: str, page: int, url: str, keys: frozenset[str], next_url: str | None):
        """Past the early stop: the next page of this run's share, or the end."""
        site = self.site
        progress = self.progress.get(walk, {})
        if walk not in self.segment_left:  # the early stop, on the head of the list
            if walk not in self.walks() or progress.get("done"):
                yield from site.end_walk(walk, complete=False)
                return
            self.segment_left[walk] = self.budget(len(keys))
            if progress.get("page", 0) > page + 1:  # jump to where the last run stopped
                self.stitching.add(walk)
                yield site.list_request(walk, progress["page"], progress["url"])
                return
        self.segment_left[walk] -= 1
        if self.segment_left[walk] <= 0:
            self.progress[walk] = {"page": page, "url": url, "last_keys": sorted(keys), "done": False}
            yield from site.end_walk(walk, complete=False)
            return
        yield site.list_request(walk, page + 1, next_url)

    def stitched(self, walk: str, keys: frozenset[str]) -> bool:
        """After a jump: the page where the last run stopped must still show a
        release that run saw there.  If not, the pass starts again from this
        run's head of the list."""
        if walk not in self.stitching:
            return True
        self.stitching.discard(walk)
        if keys & set(self.progress[walk].get("last_keys", ())):
            return True
        self.site.logger.info("%s: the list moved too much since the last run; its pass starts again", self.site.id)
        self.ended = "restarted"
        return False

    def end_walk(self, walk: str, complete: bool, failed: bool) -> list[ListingOutcome]:
        """A walk ended: its pages, unless it failed; a walk that reached the
        end of the list has done its part of the pass."""
        pages = self.pages.pop(walk, [])
        if failed:
            return []
        self.handed_over += pages
        if complete and walk in self.walks():
            self.progress[walk] = {"done": True}
        return pages

    def complete(self) -> bool:
        walks = self.walks()  # none for a board known only by its feed: no pass to make
        return (bool(walks) and not self.site.failures and self.ended is None
                and all(self.progress.get(walk, {}).get("done") for walk in walks))

    def check_unlisted(self):
        """A completed pass: every archived, listed release it did not see is
        fetched; the archive marks it unlisted if its page still answers."""
        if not self.complete():
            return
        self.ended = "complete"
        site = self.site
        seen = set(self.cycle.seen if self.cycle else ()) | {
            entry.key for listing in self.handed_over for entry in listing.entries
        }
        for key, known in site.known.items():
            if key in seen or known.status != "live" or known.unlisted_at:
                continue
            request = site.detail_request_for(key, known.url, known)
            request.cb_kwargs["missing_from_list"] = True
            site.scheduled.add(key)
            yield request

    def report(self) -> tuple[dict[str, Any], str | None] | None:
        """For the writer: how far the pass got (None when a walk failed)."""
        if self.site.failures:
            return None
        if self.ended == "restarted":
            progress = {
                walk: {"page": page, "url": url, "last_keys": keys, "done": False}
                for walk, (page, url, keys) in self.head_end.items() if walk in self.walks()
            }
            return progress, "restarted"
        return self.progress, self.ended
