"""Opening an archive: to read it without ever writing to it, and to refuse
a damaged or outdated one before anything is written.

A reader may not be allowed to write the archive (a read-only mount, a
file owned by the crawl's user, a backup on a write-protected disk), so
reading never migrates: an archive an older presswatch wrote is named as
such, and upgraded by its writer (a crawl, or ``presswatch upgrade``).
A damaged archive is reported as SQLite's own integrity check sees it, and
nothing is written to it: a migration or a crawl on a broken b-tree can
only make it worse.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from .errors import ArchiveDamaged, ArchiveError, ArchiveOutdated
from .schema import NAMES, migrations

# What a failing read raises: SQLite's errors, and the UnicodeDecodeError
# Python's sqlite3 raises for text (even an error message) that is not UTF-8.
READ_ERRORS = (sqlite3.DatabaseError, UnicodeDecodeError)

# Errors about access, not about the file's contents.
_NOT_DAMAGE = {"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_READONLY", "SQLITE_IOERR"}
_UNPRINTABLE = re.compile(r"[^\w\s.,:;'\"()\[\]{}<>=+\-*/!?#@&%$|~^`\\]")


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot write, with the schema read once."""
    return open_readonly(path)[0]


def open_readonly(path: Path) -> tuple[sqlite3.Connection, bool]:
    """A connection that cannot write, and whether it reads the file as immutable.

    A WAL archive is read through its -shm file, which SQLite creates beside
    it; in a directory nobody may write (a read-only mount) it cannot, and
    the file is opened as immutable instead.  No writer can be at work
    there: a writer needs that same directory for its -wal and -shm files.
    """
    uri = path.resolve().as_uri()
    try:
        return _connect(uri + "?mode=ro"), False
    except sqlite3.OperationalError as error:
        shm = path.with_name(path.name + "-shm")
        if error.sqlite_errorname != "SQLITE_CANTOPEN" or shm.exists() or os.access(path.parent, os.W_OK):
            raise
    return _connect(uri + "?immutable=1"), True


def _connect(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def check_current(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse an archive this presswatch cannot read as it is: written by a
    newer presswatch, or by an older one and not upgraded since."""
    applied = [migration.name for migration in migrations.applied(Database(conn))]
    newer = [name for name in applied if name not in NAMES]
    if newer:
        raise ArchiveError(
            f"archive {path} was written by a newer presswatch (migration {newer[0]}): upgrade presswatch to use it"
        )
    missing = [name for name in NAMES if name not in applied]
    if missing:
        raise ArchiveOutdated(
            f"archive {path} was written by an older presswatch (migration {missing[0]} not applied): "
            f"run 'presswatch upgrade --db {path}' or a crawl, as a user who may write it, then read it"
        )


def check_before_writing(path: Path) -> list[str]:
    """Before a writer opens ``path``: refuse a damaged archive or one from
    a newer presswatch, untouched.  The migrations it is missing."""
    try:
        conn = connect_readonly(path)
        try:
            check_current(conn, path)
            return []
        except ArchiveOutdated:
            applied = {migration.name for migration in migrations.applied(Database(conn))}
        finally:
            conn.close()
    except READ_ERRORS as error:
        raise read_error(path, error) from None
    # A migration rewrites rows; the whole file is checked first (this is paid
    # once per upgrade, never by an ordinary crawl).
    verdict = integrity(path)
    if verdict != "ok":
        raise damaged(path, verdict)
    return [name for name in NAMES if name not in applied]


def integrity(path: Path) -> str:
    """What SQLite's integrity check says of the file, on one line ("ok")."""
    try:
        conn = connect_readonly(path)
        try:
            found = [row[0] for row in conn.execute("PRAGMA integrity_check(3)")]
        finally:
            conn.close()
    except READ_ERRORS as error:
        return one_line(error)
    return "ok" if found == ["ok"] else one_line("; ".join(found))


def read_error(path: Path, error: BaseException) -> ArchiveError:
    """The one-line error for a read that failed: the archive is damaged
    when its text is not UTF-8 (presswatch writes nothing else) or when
    SQLite's integrity check finds a fault; else SQLite's own words."""
    name = getattr(error, "sqlite_errorname", None)
    if name == "SQLITE_NOTADB":  # no SQLite header: truncated, or not an archive at all
        return ArchiveError(f"cannot open archive {path}: {one_line(error)}")
    if name in _NOT_DAMAGE:
        return ArchiveError(f"cannot read archive {path}: {one_line(error)}")
    verdict = integrity(path)
    not_text = isinstance(error, UnicodeDecodeError) or "decode to UTF-8" in str(error)
    if verdict == "ok" and not not_text:
        return ArchiveError(f"cannot read archive {path}: {one_line(error)}")
    return damaged(path, verdict)


def damaged(path: Path, verdict: str) -> ArchiveDamaged:
    """``verdict``: what SQLite's integrity check says ("ok": only text is garbled)."""
    found = (
        "some of its text is not UTF-8, though SQLite's integrity check finds its pages whole"
        if verdict == "ok"
        else f"SQLite's integrity check says: {verdict}"
    )
    return ArchiveDamaged(
        f"archive {path} is damaged: {found} — nothing was written to it; "
        f"restore it from a backup ('presswatch verify --db {path}' lists the faults)"
    )


def one_line(error: BaseException | str, width: int = 160) -> str:
    """An error's message on one short line, without the damaged bytes it quotes."""
    text = "the schema is not valid UTF-8" if isinstance(error, UnicodeDecodeError) else str(error)
    text = " ".join(_UNPRINTABLE.sub("?", text).split())
    return text if len(text) <= width else text[: width - 1] + "…"
