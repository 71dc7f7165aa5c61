"""``presswatch upgrade``: the migrations an archive is missing, applied by
its writer alone (under the archive's lock), as a crawl applies them first.
Reading never migrates (storage.contract.opening)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

from ..contract.errors import ArchiveError
from ..contract.opening import READ_ERRORS, connect_readonly, read_error
from ..contract.schema import NAMES, migrations
from . import lock
from .archive import Archive


def upgrade(path: str | os.PathLike[str]) -> list[str]:
    """Apply the migrations an archive is missing, under its writer's lock,
    as a crawl does first; the names applied.  A damaged archive is refused."""
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}")
    lock.acquire(path)
    try:
        try:
            conn = connect_readonly(path)
            try:
                applied = {migration.name for migration in migrations.applied(Database(conn))}
            finally:
                conn.close()
        except READ_ERRORS as error:
            raise read_error(path, error) from None
        Archive.open(path, create=False).close()
    finally:
        lock.release(path)
    return [name for name in NAMES if name not in applied]
