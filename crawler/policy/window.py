"""The revisit window and the rolling sweep's share: which archived releases
a run rechecks, as pure functions of dates, counts and the time between runs."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from storage import KnownRelease


def cutoff(today: date, revisit_days: int) -> date:
    """Releases listed on or after this day (site time) are revisited."""
    return today - timedelta(days=revisit_days)


def day_of(moment: str | None) -> date | None:
    """The day of an ISO timestamp (an archived release's date)."""
    return date.fromisoformat(moment[:10]) if moment else None


def in_window(day: date | None, since: date) -> bool:
    """An undated release is always in the window: nothing says it is old."""
    return day is None or day >= since


def should_fetch(listed_on: date | None, known: KnownRelease | None, full: bool, since: date) -> bool:
    """A listed release is fetched when it was never archived, on a full run,
    or when it is in the window (by the list's date, else the archive's)."""
    if known is None or full:
        return True
    return in_window(listed_on or day_of(known.dated), since)


def own_releases(known: Mapping[str, KnownRelease]) -> Iterable[KnownRelease]:
    """Each archived release once: a key its page moved from is an alias."""
    return (release for key, release in known.items() if key == release.key)


def in_window_unlisted(known: Mapping[str, KnownRelease], full: bool, since: date) -> list[KnownRelease]:
    """Archived releases revisited whether listed or not: fetching them is
    how a withdrawn release is noticed."""
    return [release for release in own_releases(known) if full or in_window(day_of(release.dated), since)]


def sweep_share(outside: int, sweep_days: float, interval: timedelta | None) -> int:
    """How many of the ``outside`` releases (archived, outside the window) a
    run rechecks: the board's size × the time between runs ÷ sweep_days, so
    the load is spread evenly over the runs instead of landing on one weekly
    --full.  0 days or less: all of them; inf: none."""
    if sweep_days <= 0:
        return outside
    if math.isinf(sweep_days):
        return 0
    interval = interval or timedelta(days=1)  # until cron's pace is known
    return math.ceil(outside * min(interval / timedelta(days=sweep_days), 1))


def sweep(
    known: Mapping[str, KnownRelease], since: date, sweep_days: float, interval: timedelta | None, scheduled: set[str]
) -> tuple[int, list[KnownRelease]]:
    """The sweep's size (archived releases outside the window) and this run's
    share of it, the longest unchecked first; releases already scheduled are
    not counted in the share."""
    outside = [release for release in own_releases(known) if not in_window(day_of(release.dated), since)]
    due = sorted(
        (release for release in outside if release.key not in scheduled), key=lambda release: release.last_checked or ""
    )
    return len(outside), due[: sweep_share(len(outside), sweep_days, interval)]


def pass_budget(known: int, page_size: int, sweep_days: float, interval: timedelta | None, max_pages: int) -> int:
    """List pages a run walks past its early stop: its share of the list's
    pages (board size × time between runs ÷ half of sweep_days), and one more
    for the page where the last run stopped.  A pass every half sweep_days: a
    release withdrawn from the list just after one pass saw it is missing
    from the next, which ends within sweep_days."""
    if sweep_days <= 0:
        return max_pages
    if math.isinf(sweep_days):  # no sweep: only the page where the last run stopped
        return 1
    pages = math.ceil((known + 1) / max(page_size, 1))
    interval = interval or timedelta(days=1)
    return math.ceil(pages * min(interval / timedelta(days=sweep_days / 2), 1)) + 1
