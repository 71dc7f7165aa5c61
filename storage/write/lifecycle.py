"""A crawl's lifecycle, as one protocol: ``begin`` a site's crawl (its
crawl id and what the archive knows of the site), ``apply`` its outcomes,
``finish`` it with one ``CrawlSummary``.

Two things implement it: the archive's writer on the crawl's own machine
(storage.writer.ArchiveWriter) and, for a crawl job on another machine,
the relay to that writer (storage.relay.channel.JobChannel).  What a begin
and a finish do to the archive is written once, below: the writer runs it
on its own, the relay's applier inside the transaction of the message that
asked for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ..contract.outcomes import FetchOutcome, ListingOutcome
from ..contract.records import Outcome, Site
from ..read.view import ArchiveView, SiteState
from .lens import Reread

if TYPE_CHECKING:
    from .archive import Archive


@dataclass
class CrawlSummary:
    """How one site's crawl ended: what its crawls row records."""

    requests: int = 0
    list_complete: bool = False
    failures: list[str] = field(default_factory=list)  # none: the crawl finished, else it failed
    swept: int = 0  # releases rechecked for the sweep
    sweep_size: int = 0  # releases due for it
    list_pages: int = 0  # list pages (feeds, sitemaps) that answered
    # How far the pass over the site's whole list got (storage.view.ListCycle);
    # None when the run did not end normally.
    list_cycle: tuple[dict[str, Any], str | None] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable: a relayed finish's body, without its site."""
        return {
            "requests": self.requests,
            "list_complete": self.list_complete,
            "failures": list(self.failures),
            "swept": self.swept,
            "sweep_size": self.sweep_size,
            "list_pages": self.list_pages,
            "list_cycle": None if self.list_cycle is None else list(self.list_cycle),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CrawlSummary:
        cycle = data.get("list_cycle")
        return cls(
            requests=data["requests"],
            list_complete=data["list_complete"],
            failures=list(data["failures"]),
            swept=data.get("swept", 0),
            sweep_size=data.get("sweep_size", 0),
            list_pages=data.get("list_pages", 0),
            list_cycle=None if cycle is None else (cycle[0], cycle[1]),
        )


@dataclass(frozen=True)
class CrawlStart:
    """A begun crawl: its crawls row's id and the site's state as the archive holds it."""

    crawl_id: int
    state: SiteState

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable: the writer's answer to a relayed begin."""
        return {"crawl_id": self.crawl_id, "state": self.state.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CrawlStart:
        return cls(int(data["crawl_id"]), SiteState.from_dict(data["state"]))


class CrawlLifecycle(Protocol):
    """What a crawl hands its outcomes to: the archive's writer, or the relay to it."""

    commit_every: float  # seconds between the crawl's calls to ``commit``

    def begin(self, site: Site, recent_pages: int = 0) -> CrawlStart:
        """Register the site and start its crawl; ``recent_pages``: how many
        of its latest captures the state brings (a template is learned from them)."""
        ...

    def apply(self, outcome: FetchOutcome, reread: Reread | None = None) -> Outcome | None:
        """Archive one fetch; its outcome, or None when the writer decides elsewhere."""
        ...

    def apply_listing(self, outcome: ListingOutcome) -> list[str]: ...

    def commit(self) -> None: ...

    def finish(self, crawl_id: int, summary: CrawlSummary) -> dict[str, Any] | None:
        """Close the crawl's row; the row, when it is written here."""
        ...

    def close(self) -> None: ...


# The archive's side, written once ----------------------------------------


def open_crawl(archive: Archive, site: Site) -> int:
    """Register the site, mark its killed crawls interrupted, start a crawl row; its id."""
    archive.register_site(site)
    archive.mark_interrupted(site.id)
    return archive.start_crawl(site.id)


def started(archive: Archive, crawl_id: int, site_id: str, recent_pages: int = 0) -> CrawlStart:
    """A begun crawl, its site's state read through the writer's own
    connection: whatever the writer applied, committed or not."""
    assert archive.path is not None  # the writer's archive is a file
    return CrawlStart(crawl_id, ArchiveView(archive.db, archive.path).site_state(site_id, recent_pages))


def close_crawl(archive: Archive, crawl_id: int, summary: CrawlSummary) -> dict[str, Any]:
    """Close the crawl row; a crawl without failures also records how far
    the pass over the site's whole list got."""
    if summary.list_cycle is not None and not summary.failures:
        archive.record_list_cycle(crawl_id, *summary.list_cycle)
    return archive.finish_crawl(
        crawl_id,
        status="failed" if summary.failures else "finished",
        requests=summary.requests,
        list_complete=summary.list_complete,
        message="; ".join(summary.failures) or None,
        swept=summary.swept,
        sweep_size=summary.sweep_size,
        list_pages=summary.list_pages,
    )


def interrupt_crawl(archive: Archive, crawl_id: int, message: str) -> None:
    """Close a crawl its job left running (the job is gone): interrupted, as a killed local run's."""
    if archive.db.table("crawls").get(crawl_id)["status"] == "running":
        archive.finish_crawl(crawl_id, status="interrupted", requests=0, list_complete=False, message=message)
