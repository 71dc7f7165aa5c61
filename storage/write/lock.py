"""One writer per archive: a second crawl on the same database is refused.

SQLite would serialise the writes anyway, but two crawls interleaving their
crawl bookkeeping would make the counts and revisit decisions of both wrong.
An ``flock`` is released by the kernel when its holder dies, so a crash or
``kill -9`` never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Any

from ..contract.errors import ArchiveBusy, ArchiveError

# flock() locks belong to an open file description, so two opens in one
# process would lock each other out; count the holders per path instead.
_held: dict[Path, list[Any]] = {}  # path → [open file, holders]


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    path = Path(db_path).resolve()
    return path.with_name(path.name + ".lock")


def acquire(db_path: str | os.PathLike[str]) -> None:
    """Take the archive's writer lock, or raise ArchiveBusy at once."""
    path = lock_path(db_path)
    if path in _held:
        _held[path][1] += 1
        return
    try:
        handle = open(path, "a+")
    except OSError as error:
        raise ArchiveError(f"cannot lock {path}: {error.strerror}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise ArchiveBusy(
            f"another presswatch crawl ({holder}) is writing to {Path(db_path)}; try again when it has finished"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}")
    handle.flush()
    _held[path] = [handle, 1]


def release(db_path: str | os.PathLike[str]) -> None:
    path = lock_path(db_path)
    entry = _held.get(path)
    if entry is None:
        return
    entry[1] -= 1
    if entry[1] == 0:
        del _held[path]
        entry[0].close()
