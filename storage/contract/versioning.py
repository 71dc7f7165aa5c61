"""The heart of the contract: what one fetch does to one archived release.

``decide`` is a pure function of the release as archived and the fetch's
outcome.  Everything the archive writes for a fetch (a version or none, the
release's status, its events, the crawl's counters) follows from the
``Decision`` it returns, so the rules live here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .content import Content, content_hash, keep_precision, normalise
from .outcomes import FetchKind
from .records import Outcome


@dataclass(frozen=True)
class ReleaseState:
    """What the archive holds of a release when a fetch of it arrives."""

    status: str  # live or removed
    content: Content | None  # its latest version
    content_hash: str | None
    unlisted: bool = False  # a complete walk of the list did not show it


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    version: Content | None = None  # store this as the next version
    status: str | None = None  # the release's status from now on (None: as it was)
    events: tuple[str, ...] = ()  # new, changed, removed, restored, unlisted
    counted: bool = True  # counts in the crawl's summary
    error: str | None = None  # why the fetch is an error, when the archive says so


def decide(
    release: ReleaseState | None,
    kind: FetchKind,
    content: Content | None = None,
    *,
    missing_from_list: bool = False,
    moved: bool = False,
) -> Decision:
    """Apply the contract's rules to one fetch of one release.

    - A version is stored iff the normalised content differs from the
      latest version (a date shown with less precision is no difference).
    - 404/410 or a redirect away marks a live release removed, once; a
      removed release that answers again is restored, with a version only
      if its content differs.
    - Errors change nothing, and neither does a 304.
    - A release a complete walk of the list no longer shows, whose page
      still answers, becomes unlisted (once): withdrawn from view, not removed.
    - A release whose page moved (a permanent redirect to another release URL
      of the board) is the same release: a ``moved`` event, its content
      decided as any page's.
    """
    decision = _decide(release, kind, content)
    if moved and release is not None and kind is FetchKind.PAGE and decision.outcome is not Outcome.ERROR:
        decision = replace(decision, events=(*decision.events, "moved"))
    if (
        missing_from_list
        and release is not None
        and not release.unlisted
        and decision.outcome not in (Outcome.REMOVED, Outcome.ERROR)
    ):
        return replace(decision, events=(*decision.events, "unlisted"))
    return decision


def listing_events(listed_title: str | None, unlisted: bool, title: str) -> tuple[str, ...]:
    """What a list page showing an archived release says about it: back in
    the list after a complete walk missed it, or listed under a new title."""
    events: tuple[str, ...] = ("relisted",) if unlisted else ()
    if title and listed_title and title != listed_title:
        events += ("list_retitled",)
    return events


def _decide(release: ReleaseState | None, kind: FetchKind, content: Content | None) -> Decision:
    if kind is FetchKind.ERROR:
        return Decision(Outcome.ERROR)
    if release is None:
        if kind is FetchKind.PAGE:
            assert content is not None
            return Decision(Outcome.NEW, normalise(content), "live", ("new",))
        why = "listed release is not there" if kind is FetchKind.GONE else "304 for a release never archived"
        return Decision(Outcome.ERROR, error=why)
    restored = ("restored",) if release.status == "removed" else ()
    if kind is FetchKind.GONE:
        if release.status == "removed":
            return Decision(Outcome.REMOVED, counted=False)
        return Decision(Outcome.REMOVED, status="removed", events=("removed",))
    if kind is FetchKind.NOT_MODIFIED:
        return Decision(Outcome.NOT_MODIFIED, status="live", events=restored)
    assert content is not None
    content = normalise(content)
    if release.content is None:
        return Decision(Outcome.NEW, content, "live", ("new", *restored))
    content = keep_precision(release.content, content)
    if content_hash(content) == release.content_hash:
        return Decision(Outcome.UNCHANGED, status="live", events=restored)
    return Decision(Outcome.CHANGED, content, "live", ("changed", *restored))


def site_event(previous_status: str | None, status: str) -> str | None:
    """A site's health as events: one when its crawls start failing, one when
    they succeed again; nothing while it stays as it was.  ``previous_status``
    is how the site's last concluded crawl ended (None: it never ran)."""
    if status == "failed" and previous_status != "failed":
        return "site_failing"
    if status == "finished" and previous_status == "failed":
        return "site_recovered"
    return None
