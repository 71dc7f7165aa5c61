"""presswatch's archive: SQLite storage of releases, versions and fetches.

Usable without Scrapy.  This module's exports are storage's whole public
interface: ``ArchiveView.open("archive.db")`` reads an archive in a script or
notebook; ``ArchiveWriter`` is the one process-wide writer that applies
``FetchOutcome`` records; ``decide`` is the versioning rule itself.
"""

import importlib
from typing import TYPE_CHECKING, Any

from . import browsing
from .alerts import AlertLog, target_digest
from .backfill import CaptureOrigin, Importer, ImportSummary
from .captures import Captures, Compaction
from .content import Attachment, Content, content_hash, normalise, normalise_text
from .diff import content_lines, moved_lines, with_moves_marked, word_runs
from .docs import TABLES
from .errors import (
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
from .integrity import Report as IntegrityReport
from .integrity import as_json as report_json
from .integrity import backup as backup_archive
from .integrity import verify as verify_archive
from .kinds import COSMETIC, KINDS, classify
from .lens import Reread
from .messages import largest_message
from .opening import upgrade as upgrade_archive
from .outcomes import FetchKind, FetchOutcome, ListedEntry, ListingOutcome, MessageKind, RelayedMessage
from .queries import CHANGE_ORDERS, CHANGES_SQL, NO_FILTER, SEARCH_SQL, SITE_HEALTH_SQL
from .records import SWEEP_DAYS, KnownRelease, Observation, Outcome, Site, now, utcnow
from .signing import load_key
from .versioning import Decision, ReleaseState, decide, listing_events, site_event
from .view import ArchiveView, ListCycle, SiteState
from .writer import ArchiveWriter

if TYPE_CHECKING:
    from .evidence import Capture, capture, write_warc
    from .relay import OUTCOME_STREAM, Dispatcher, JobChannel, apply_stream, redis_client
    from .wacz import write_wacz

# warcio and the CDXJ indexer take 0.1 s to import, and so does redis: only
# exports and crawls on several machines load them.
_LAZY = {
    "Capture": "evidence", "capture": "evidence", "write_warc": "evidence", "write_wacz": "wacz",
    "OUTCOME_STREAM": "relay", "Dispatcher": "relay", "JobChannel": "relay", "apply_stream": "relay", "redis_client": "relay",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
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
