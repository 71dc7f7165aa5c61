"""presswatch's archive: SQLite storage of releases, versions and fetches.

Usable without Scrapy.  This module's exports are storage's whole public
interface: ``ArchiveView.open("archive.db")`` reads an archive in a script or
notebook; ``ArchiveWriter`` is the one process-wide writer that applies
``FetchOutcome`` records; ``decide`` is the versioning rule itself.
"""

import importlib
from typing import TYPE_CHECKING, Any

from .contract.captures import Captures, Compaction
from .contract.content import Attachment, Content, content_hash, normalise, normalise_text
from .contract.diff import content_lines, moved_lines, with_moves_marked, word_runs
from .contract.docs import TABLES
from .contract.errors import (
    ArchiveBusy,
    ArchiveDamaged,
    ArchiveError,
    ArchiveOutdated,
    BadQuery,
    MessageRejected,
    NotFound,
    PresswatchError,
    RelayError,
)
from .contract.kinds import COSMETIC, KINDS, classify
from .contract.messages import largest_message
from .contract.outcomes import (
    ENDED_SEQ,
    FetchKind,
    FetchOutcome,
    ListedEntry,
    ListingOutcome,
    MessageKind,
    RelayedMessage,
)
from .contract.records import SWEEP_DAYS, KnownRelease, Observation, Outcome, Site, now, utcnow
from .contract.signing import load_key
from .contract.versioning import Decision, ReleaseState, decide, listing_events, site_event
from .read import browsing
from .read.integrity import Report as IntegrityReport
from .read.integrity import as_json as report_json
from .read.integrity import backup as backup_archive
from .read.integrity import verify as verify_archive
from .read.queries import CHANGE_ORDERS, CHANGES_SQL, NO_FILTER, SEARCH_SQL, SITE_HEALTH_SQL
from .read.view import ArchiveView, ListCycle, SiteState
from .write.alerts import AlertLog, target_digest
from .write.backfill import CaptureOrigin, Importer, ImportSummary
from .write.lens import Reread
from .write.lifecycle import CrawlLifecycle, CrawlStart, CrawlSummary
from .write.upgrading import upgrade as upgrade_archive
from .write.writer import ArchiveWriter

if TYPE_CHECKING:
    from .read.evidence import Capture, capture, write_warc
    from .read.wacz import write_wacz
    from .relay.channel import JobChannel
    from .relay.dispatcher import Dispatcher
    from .relay.keys import OUTCOME_STREAM, redis_client
    from .relay.stream import apply_stream

# warcio and the CDXJ indexer take 0.1 s to import, and so does redis: only
# exports and crawls on several machines load them.
_LAZY = {
    "Capture": "read.evidence",
    "capture": "read.evidence",
    "write_warc": "read.evidence",
    "write_wacz": "read.wacz",
    "OUTCOME_STREAM": "relay.keys",
    "Dispatcher": "relay.dispatcher",
    "JobChannel": "relay.channel",
    "apply_stream": "relay.stream",
    "redis_client": "relay.keys",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ENDED_SEQ",
    "AlertLog",
    "CHANGE_ORDERS",
    "CHANGES_SQL",
    "COSMETIC",
    "KINDS",
    "classify",
    "NO_FILTER",
    "SEARCH_SQL",
    "SITE_HEALTH_SQL",
    "SWEEP_DAYS",
    "TABLES",
    "Captures",
    "CaptureOrigin",
    "Importer",
    "ImportSummary",
    "Compaction",
    "ArchiveBusy",
    "ArchiveDamaged",
    "ArchiveError",
    "ArchiveOutdated",
    "ArchiveView",
    "ArchiveWriter",
    "Attachment",
    "BadQuery",
    "Capture",
    "Content",
    "CrawlLifecycle",
    "CrawlStart",
    "CrawlSummary",
    "Decision",
    "IntegrityReport",
    "Dispatcher",
    "FetchKind",
    "FetchOutcome",
    "JobChannel",
    "KnownRelease",
    "ListCycle",
    "ListedEntry",
    "ListingOutcome",
    "MessageKind",
    "MessageRejected",
    "NotFound",
    "OUTCOME_STREAM",
    "Observation",
    "Outcome",
    "PresswatchError",
    "RelayError",
    "RelayedMessage",
    "Reread",
    "ReleaseState",
    "Site",
    "SiteState",
    "apply_stream",
    "backup_archive",
    "browsing",
    "capture",
    "content_hash",
    "content_lines",
    "decide",
    "largest_message",
    "listing_events",
    "load_key",
    "normalise",
    "now",
    "redis_client",
    "report_json",
    "normalise_text",
    "site_event",
    "utcnow",
    "verify_archive",
    "target_digest",
    "upgrade_archive",
    "moved_lines",
    "with_moves_marked",
    "word_runs",
    "write_wacz",
    "write_warc",
]
