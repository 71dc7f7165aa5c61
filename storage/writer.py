"""The one writer of an archive.

However many sites a run crawls, each archive has exactly one writer: it
holds the archive's lock, owns its only writing connection, and applies the
fetch outcomes crawls hand it, one transaction each, in the order they
arrive.  Everything else reads through an ``ArchiveView``.

The writer runs on its caller's thread.  A thread of its own, so that the
reactor never waited on a transaction, cost 0.4 ms of CPU per page in GIL
hand-offs (sqlite3 releases the GIL around every statement) and bought no
pages per second against nginx (make bench); a page's transaction takes
under a millisecond, nothing at a polite crawl's pace.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import lock
from .archive import Archive
from .errors import ArchiveError
from .outcomes import FetchOutcome
from .records import Outcome, Site


class ArchiveWriter:
    def __init__(self, path: str | os.PathLike[str]):
        """Take the archive's lock (ArchiveBusy if another writer has it) and open it."""
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise ArchiveError(f"directory {self.path.parent} does not exist")
        lock.acquire(self.path)
        try:
            self._archive = Archive.open(self.path)
        except BaseException:
            lock.release(self.path)
            raise

    def begin_crawl(self, site: Site) -> int:
        """Register the site, mark its killed crawls interrupted, start a crawl row."""
        self._archive.register_site(site)
        self._archive.mark_interrupted(site.id)
        return self._archive.start_crawl(site.id)

    def apply(self, outcome: FetchOutcome) -> Outcome:
        """Archive one fetch, in one transaction."""
        return self._archive.apply(outcome)

    def finish_crawl(
        self, crawl_id: int, *, requests: int, list_complete: bool, failures: list[str],
        swept: int = 0, sweep_size: int = 0,
    ) -> dict[str, Any]:
        return self._archive.finish_crawl(
            crawl_id, status="failed" if failures else "finished", requests=requests,
            list_complete=list_complete, message="; ".join(failures) or None,
            swept=swept, sweep_size=sweep_size,
        )

    def close(self) -> None:
        try:
            self._archive.close()
        finally:
            lock.release(self.path)

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
