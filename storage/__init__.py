"""presswatch's archive: SQLite storage of releases, versions and fetches.

Usable without Scrapy: ``Archive.open("archive.db")`` in a script or notebook
reads (and writes) the same archive the crawler fills.
"""

from .archive import Archive
from .records import ArchiveError, KnownRelease, Observation, Outcome, Site
from .content import Attachment, Content, content_hash, normalise
from .lock import ArchiveBusy

__all__ = [
    "Archive",
    "ArchiveBusy",
    "ArchiveError",
    "Attachment",
    "Content",
    "KnownRelease",
    "Observation",
    "Outcome",
    "Site",
    "content_hash",
    "normalise",
]
