"""The archive's vocabulary: what a fetch observed, what a site is, how a
fetch ended.  Plain data, shared by the archive, its lock and its callers."""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .errors import ArchiveError

__all__ = ["ArchiveError", "KnownRelease", "Observation", "Outcome", "Site", "now", "utcnow"]


class Outcome(str, enum.Enum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    NOT_MODIFIED = "not_modified"
    REMOVED = "removed"
    ERROR = "error"


# Every archived release is rechecked at least once in this many days, a
# share each run (the rolling sweep).  The one default: the crawl policy,
# `presswatch sites` and the Datasette landing page read it from here.
SWEEP_DAYS = 7.0


def now() -> datetime:
    """The time, in UTC.  PRESSWATCH_NOW (ISO 8601) fixes it: tests and
    simulations move the clock instead of sleeping."""
    fixed = os.environ.get("PRESSWATCH_NOW")
    return datetime.fromisoformat(fixed).astimezone(UTC) if fixed else datetime.now(UTC)


def utcnow() -> str:
    return now().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    country: str = ""
    language: str = ""
    timezone: str = "UTC"
    base_url: str = ""
    # Words whose change matters most on this site (its profile's key_terms):
    # a change touching one ranks higher (storage.contract.kinds).
    key_terms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_terms", tuple(self.key_terms))  # a list, as JSON brings it


@dataclass
class Observation:
    """What one HTTP fetch of a detail page saw, apart from the content."""

    url: str
    http_status: int | None = None
    fetched_at: str = field(default_factory=utcnow)
    hits: int | None = None
    updated: str | None = None  # the day the page says it was last updated, when later than published
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class KnownRelease:
    key: str
    url: str
    status: str
    published: str | None
    etag: str | None
    last_modified: str | None
    title: str | None = None
    last_checked: str | None = None  # UTC; None: never answered a fetch
    unlisted_at: str | None = None  # missing from a complete walk of the list since then
    first_seen: str | None = None  # UTC

    @property
    def dated(self) -> str | None:
        """Its publication date, else when it was first seen: a release that
        shows no date leaves the revisit window like any other."""
        return self.published or self.first_seen
