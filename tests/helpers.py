"""Helpers the tests share that are not fixtures: importing them from
conftest.py would make pytest's own module a library."""

from __future__ import annotations

import sqlite3
import zlib

from storage import Captures


def stored_capture(conn: sqlite3.Connection, version_id: int) -> bytes:
    """The bytes the archive gives back for a version's capture, whatever its form."""
    row = conn.execute("SELECT html_zlib, html_zstd, reference_id FROM raw_pages WHERE version_id = ?",
                       [version_id]).fetchone()
    return Captures(conn).unpack(*row)


def store_as_before_compaction(db: str) -> None:
    """Rewrite an archive's captures in the form presswatch stored before
    0.3 (zlib, no reference), as an upgraded old archive holds them."""
    with sqlite3.connect(db) as conn:
        for version_id in [row[0] for row in conn.execute("SELECT version_id FROM raw_pages")]:
            raw = stored_capture(conn, version_id)
            conn.execute("UPDATE raw_pages SET html_zlib = ?, html_zstd = NULL, reference_id = NULL "
                         "WHERE version_id = ?", [zlib.compress(raw), version_id])
        conn.execute("DELETE FROM capture_references")
