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

``ListPass`` answers; its site's walk (crawler.policy.listwalk) acts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.extract.pages import Listed
from crawler.items import ListedEntry, ListingOutcome
from crawler.policy.plan import ListFetch
from storage import KnownRelease, ListCycle


class ListPass:
    """One site's part of the pass in one run.  ``walks``: the walks whose
    end is the end of the list (a feed shows only the latest)."""

    def __init__(self, site_id: str, walks: list[str]):
        self.site_id = site_id
        self.walks = walks
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

    def record(self, walk: str, page: int, url: str, listed: list[Listed]) -> None:
        """A list page, kept until its walk ends."""
        self.pages.setdefault(walk, []).append(
            ListingOutcome(
                self.site_id,
                walk,
                page,
                [
                    ListedEntry(item.key, item.url, item.title, item.date.isoformat() if item.date else None, position)
                    for position, item in enumerate(listed, 1)
                ],
            )
        )
        if walk not in self.segment_left:
            self.head_end[walk] = (page, url, [item.key for item in listed])

    def past_stop(self, walk: str) -> bool:
        return walk in self.segment_left

    def walk_on(
        self, walk: str, page: int, url: str, keys: frozenset[str], next_url: str | None, budget: int
    ) -> ListFetch | None:
        """Past the early stop: the next page of this run's share, or None:
        the walk ends here.  ``budget``: pages past the stop for this run
        (crawler.policy.window.pass_budget), taken on the head of the list."""
        progress = self.progress.get(walk, {})
        if walk not in self.segment_left:  # the early stop, on the head of the list
            if walk not in self.walks or progress.get("done"):
                return None
            self.segment_left[walk] = budget
            if progress.get("page", 0) > page + 1:  # jump to where the last run stopped
                self.stitching.add(walk)
                return ListFetch(walk, progress["page"], progress["url"])
        self.segment_left[walk] -= 1
        if self.segment_left[walk] <= 0:
            self.progress[walk] = {"page": page, "url": url, "last_keys": sorted(keys), "done": False}
            return None
        return ListFetch(walk, page + 1, next_url)

    def stitched(self, walk: str, keys: frozenset[str]) -> bool:
        """After a jump: the page where the last run stopped must still show a
        release that run saw there.  If not, the pass starts again from this
        run's head of the list."""
        if walk not in self.stitching:
            return True
        self.stitching.discard(walk)
        if keys & set(self.progress[walk].get("last_keys", ())):
            return True
        self.ended = "restarted"
        return False

    def end_walk(self, walk: str, complete: bool, failed: bool) -> list[ListingOutcome]:
        """A walk ended: its pages, unless it failed; a walk that reached the
        end of the list has done its part of the pass."""
        pages = self.pages.pop(walk, [])
        if failed:
            return []
        self.handed_over += pages
        if complete and walk in self.walks:
            self.progress[walk] = {"done": True}
        return pages

    def complete(self, failed: bool) -> bool:
        walks = self.walks  # none for a board known only by its feed: no pass to make
        return (
            bool(walks)
            and not failed
            and self.ended is None
            and all(self.progress.get(walk, {}).get("done") for walk in walks)
        )

    def unlisted(self, known: Mapping[str, KnownRelease], failed: bool) -> list[tuple[str, KnownRelease]]:
        """A completed pass: every archived, live, listed release it did not
        see (by the key it was seen under), to fetch; the archive marks it
        unlisted if its page still answers."""
        if not self.complete(failed):
            return []
        self.ended = "complete"
        seen = set(self.cycle.seen if self.cycle else ()) | {
            entry.key for listing in self.handed_over for entry in listing.entries
        }
        return [
            (key, release)
            for key, release in known.items()
            if key not in seen and release.status == "live" and not release.unlisted_at
        ]

    def report(self, failed: bool) -> tuple[dict[str, Any], str | None] | None:
        """For the writer: how far the pass got (None when a walk failed)."""
        if failed:
            return None
        if self.ended == "restarted":
            progress = {
                walk: {"page": page, "url": url, "last_keys": keys, "done": False}
                for walk, (page, url, keys) in self.head_end.items()
                if walk in self.walks
            }
            return progress, "restarted"
        return self.progress, self.ended
