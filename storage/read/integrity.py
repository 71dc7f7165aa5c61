"""Proof that an archive is whole, and a copy of it that is.

An archive is evidence: a reader must be able to show that nothing in it
changed since presswatch wrote it.  ``verify`` recomputes what the writer
recorded — every version's content hash from its fields, every capture's
SHA-256 from its stored bytes — and checks what SQLite itself can
(the file's pages, the full-text indexes, the foreign keys, the version
numbering).  ``backup`` copies an archive while a crawl writes to it, with
SQLite's online backup, and verifies the copy before it takes the name.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..contract.captures import COLUMNS, CaptureError, Captures
from ..contract.content import Content, content_hash
from ..contract.errors import ArchiveError
from ..contract.opening import READ_ERRORS, connect_readonly

FTS_TABLES = ("versions_fts", "word_changes_fts")


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # checks that could not run, and why
    versions: int = 0
    captures: int = 0

    @property
    def whole(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        state = "whole" if self.whole else f"{len(self.problems)} problems"
        skipped = f" (not checked: {'; '.join(self.skipped)})" if self.skipped else ""
        return f"{state}: {self.versions} versions, {self.captures} captures checked{skipped}"


def verify(path: str | os.PathLike[str]) -> Report:
    """Every check, each problem named; the archive is only read."""
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}")
    report = Report()
    try:
        conn = connect_readonly(path)  # on a read-only mount too
        conn.row_factory = sqlite3.Row
        found = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except READ_ERRORS as error:
        report.problems.append(f"the file is not a readable SQLite database: {error}")
        return report
    with conn:
        if found != ["ok"]:
            report.problems += [f"SQLite integrity check: {line}" for line in found]
        for checker in (_versions, _captures, _numbering, _foreign_keys):
            try:
                checker(conn, report)
            except sqlite3.DatabaseError as error:  # a damaged page under the rows being read
                report.problems.append(f"{checker.__name__.strip('_')}: cannot be read: {error}")
    conn.close()
    _fts(path, report)
    return report


def _versions(conn: sqlite3.Connection, report: Report) -> None:
    rows = conn.execute(
        "SELECT v.id, r.site_id, r.key, v.version, v.title, v.published, v.body, v.attachments, v.content_hash "
        "FROM versions v LEFT JOIN releases r ON r.id = v.release_id ORDER BY v.id"
    )
    for row in rows:
        report.versions += 1
        try:
            recomputed = content_hash(Content.from_row(dict(row)))
        except (TypeError, ValueError, KeyError) as error:
            report.problems.append(f"{_name(row)}: its fields cannot be read: {error}")
            continue
        if recomputed != row["content_hash"]:
            report.problems.append(
                f"{_name(row)}: its content hash does not match its title, date, body and attachments"
            )


def _captures(conn: sqlite3.Connection, report: Report) -> None:
    columns = {row[1] for row in conn.execute("PRAGMA table_info(raw_pages)")}
    if "sha256" not in columns:
        report.skipped.append(
            "captures' SHA-256 (not recorded before presswatch's migration m013: open the "
            "archive with this presswatch once, by a crawl, to record them)"
        )
    digest = "p.sha256" if "sha256" in columns else "NULL AS sha256"
    forms = COLUMNS if "html_zstd" in columns else "p.html_zlib, NULL AS html_zstd, NULL AS reference_id"
    stored = Captures(conn, prove=True)
    damaged = _damaged_references(conn, stored)
    rows = conn.execute(
        f"SELECT p.version_id, r.site_id, r.key, v.version, {forms}, {digest} FROM raw_pages p "
        "LEFT JOIN versions v ON v.id = p.version_id LEFT JOIN releases r ON r.id = v.release_id ORDER BY p.version_id"
    )
    for row in rows:
        report.captures += 1
        if row["reference_id"] in damaged:
            damaged[row["reference_id"]][1].append(_name(row))
            continue
        try:
            raw = stored.unpack_row(row)
        except CaptureError as error:
            report.problems.append(f"capture of {_name(row)}: {error}")
            continue
        if row["sha256"] is not None and hashlib.sha256(raw).hexdigest() != row["sha256"]:
            report.problems.append(f"capture of {_name(row)}: its SHA-256 is not the one recorded when it was fetched")
    for reason, dependants in damaged.values():
        report.problems.append(f"{reason}; the captures that depend on it: {', '.join(dependants) or 'none'}")


def _damaged_references(conn: sqlite3.Connection, stored: Captures) -> dict[int, tuple[str, list[str]]]:
    """Each reference that cannot give back its page, with why; a damaged
    reference is one problem naming every capture it takes down."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'capture_references'").fetchone():
        return {}
    damaged: dict[int, tuple[str, list[str]]] = {}
    for reference_id, site_id in conn.execute("SELECT id, site_id FROM capture_references ORDER BY id").fetchall():
        try:
            stored.reference(reference_id)
        except CaptureError as error:
            reason = str(error).replace("its reference", "reference", 1)
            damaged[reference_id] = (f"capture {reason} (site {site_id})", [])
    return damaged


def _numbering(conn: sqlite3.Connection, report: Report) -> None:
    """Versions 1..n without gaps, as many as the release counts, the latest its latest."""
    rows = conn.execute(
        "SELECT r.site_id, r.key, r.version_count, r.latest_version_id, count(v.id) AS n, max(v.version) AS top, "
        "(SELECT id FROM versions WHERE release_id = r.id ORDER BY version DESC LIMIT 1) AS last "
        "FROM releases r LEFT JOIN versions v ON v.release_id = r.id GROUP BY r.id"
    )
    for row in rows:
        name = f"release {row['site_id']} {row['key']}"
        if (row["n"] or 0) != (row["top"] or 0) or row["n"] != row["version_count"]:
            report.problems.append(
                f"{name}: versions are not numbered 1..{row['version_count']} "
                f"({row['n']} versions, highest {row['top']})"
            )
        if row["last"] != row["latest_version_id"]:
            report.problems.append(f"{name}: its latest version is not the one it points to")


def _foreign_keys(conn: sqlite3.Connection, report: Report) -> None:
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        report.problems.append(f"{table} row {rowid}: points to a {parent} row that does not exist")


def _fts(path: Path, report: Report) -> None:
    """FTS5 compares each index with the rows it indexes only through a
    statement that SQLite counts as a write: it runs in a transaction that
    is rolled back, and changes nothing."""
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    except sqlite3.DatabaseError as error:
        report.skipped.append(f"full-text indexes: {error}")
        return
    try:
        try:
            present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except READ_ERRORS as error:  # a read-only mount: SQLite cannot create the -shm it reads through
            report.skipped.append(f"full-text indexes (a read-write connection cannot read the file: {error})")
            return
        for table in FTS_TABLES:
            if table not in present:
                continue
            conn.execute("BEGIN")
            try:
                # rank 1: compare the index with the rows it indexes (external content)
                conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
            except sqlite3.OperationalError as error:
                if "readonly" not in str(error):
                    raise
                report.skipped.append(f"full-text index {table}: the file is read-only to this user")
            except sqlite3.DatabaseError as error:
                report.problems.append(f"full-text index {table} does not match the rows it indexes: {error}")
            finally:
                conn.execute("ROLLBACK")
    finally:
        conn.close()


def _name(row: sqlite3.Row) -> str:
    if row["site_id"] is None:
        return f"version row {row[0]} (of no release)"
    return f"{row['site_id']} {row['key']} version {row['version']}"


def backup(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> Report:
    """A consistent copy of ``source`` at ``target``, taken while crawls may
    write (SQLite's online backup), verified under a temporary name before
    it takes ``target``'s: a failed backup leaves no file that looks whole."""
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise ArchiveError(f"no archive at {source}")
    partial = target.with_name(f".{target.name}.partial")
    try:
        reader = connect_readonly(source)  # on a read-only mount too
    except READ_ERRORS as error:
        raise ArchiveError(f"cannot back up {source}: {error}") from None
    try:
        writer = sqlite3.connect(partial)
        try:
            reader.backup(writer)
            writer.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            writer.close()
    except sqlite3.DatabaseError as error:
        partial.unlink(missing_ok=True)
        raise ArchiveError(f"cannot back up {source}: {error}") from error
    finally:
        reader.close()
    report = verify(partial)
    if not report.whole:
        partial.unlink(missing_ok=True)
        raise ArchiveError(f"the copy of {source} is not whole: " + "; ".join(report.problems[:5]))
    os.replace(partial, target)
    return report


def as_json(report: Report) -> str:
    return json.dumps(
        {
            "whole": report.whole,
            "versions": report.versions,
            "captures": report.captures,
            "problems": report.problems,
            "skipped": report.skipped,
        },
        ensure_ascii=False,
    )
