"""The one writer of an archive.

However many sites a run crawls, each archive has exactly one writer: it
holds the archive's lock, owns its only writing connection, and applies the
fetch outcomes crawls hand it, one transaction each, in the order they
arrive.  SQLite connections belong to the thread that made them, so the
writer keeps one thread of its own and every call runs there; callers get a
``Future`` and never wait on each other's transactions.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from . import lock
from .archive import Archive
from .errors import ArchiveError
from .outcomes import FetchOutcome
from .records import Outcome, Site

T = TypeVar("T")


class ArchiveWriter:
    def __init__(self, path: str | os.PathLike[str]):
        """Take the archive's lock (ArchiveBusy if another writer has it) and open it."""
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise ArchiveError(f"directory {self.path.parent} does not exist")
        lock.acquire(self.path)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-writer")
        try:
            self._archive: Archive = self._call(Archive.open, self.path).result()
        except BaseException:
            self._thread.shutdown()
            lock.release(self.path)
            raise

    def _call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        return self._thread.submit(function, *args, **kwargs)

    def begin_crawl(self, site: Site) -> Future[int]:
        """Register the site, mark its killed crawls interrupted, start a crawl row."""
        return self._call(self._begin, site)

    def _begin(self, site: Site) -> int:
        self._archive.register_site(site)
        self._archive.mark_interrupted(site.id)
        return self._archive.start_crawl(site.id)

    def apply(self, outcome: FetchOutcome) -> Future[Outcome]:
        return self._call(self._archive.apply, outcome)

    def finish_crawl(
        self, crawl_id: int, *, requests: int, list_complete: bool, failures: list[str]
    ) -> Future[dict[str, Any]]:
        return self._call(
            self._archive.finish_crawl, crawl_id,
            status="failed" if failures else "finished", requests=requests,
            list_complete=list_complete, message="; ".join(failures) or None,
        )

    def close(self) -> None:
        try:
            self._call(self._archive.close).result()
        finally:
            self._thread.shutdown()
            lock.release(self.path)

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
