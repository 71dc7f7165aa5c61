"""Captures compressed against their board.

The release pages of one board share nearly all their bytes: the template,
its menus, scripts and footers; only the release's own text differs.  Each
board keeps *references* — its first capture, and a new one when a capture
no longer resembles any (a redesign) — stored once in
``capture_references``.  Every capture is compressed with zstd using one
reference as a raw-content dictionary, which leaves little but the release's
own text, or with plain zstd when that is smaller.  On the real pages of
tests/files/corpus that is 3.5 KB a page where zlib gave 23 KB.

A ``raw_pages`` row holds one of two forms:

- ``html_zlib``: zlib, as every capture was stored before (still read as is;
  ``compact`` rewrites them);
- ``html_zstd``: zstd, against the dictionary of ``reference_id`` when it is
  set, plain otherwise.

zstandard (the python-zstandard bindings) rather than the standard
library: ``compression.zstd`` arrives only in Python 3.14, and zstandard is
the maintained binding with raw-content dictionaries and reusable
compressors.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import zstandard

from .errors import ArchiveError
from .records import utcnow

# zstd's level 2 below 64 KB, 3 above: measured on the corpus and the
# synthetic board, each is faster than zlib level 1 at its sizes (make
# bench), and level 2 on larger pages gives twice level 3's bytes.
LEVEL = 3


def level(raw: bytes) -> int:
    return 2 if len(raw) < 64 * 1024 else LEVEL


REFERENCE_LEVEL = 19  # a reference is compressed once and kept for years
# A capture that compresses to more than this share of what plain zstd
# would give does not plainly share its board's template: look further.
RESEMBLANCE = 0.75
# A page that is mostly its own text (long minutes, a transcript) saves only
# a fifth of its bytes against its template; but what it saves is then a
# large part of the reference's own compressed size, the template.  Pages of
# another design save generic markup: measured on every pair of corpus
# boards, never more than 10 % of the reference where the page compresses
# below 0.9 of plain, against at least 26 % for every page of a board
# against its first page.
LONG_RESEMBLANCE = 0.9
TEMPLATE_SHARE = 0.15
SMALL = 2048  # below this a page is not worth a second reference of its own
TINY = 256  # nor a first
TRIED = 4  # references tried, newest first, before a capture becomes one
# The columns every reader of a capture selects, from raw_pages aliased p.
COLUMNS = "p.html_zlib, p.html_zstd, p.reference_id"


class CaptureError(ArchiveError):
    """A capture, or the reference it depends on, cannot be read back."""


class Connection(Protocol):
    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...


@dataclass
class Reference:
    id: int
    site_id: str
    size: int
    dictionary: zstandard.ZstdCompressionDict
    # What plain compression makes of it: how well pages of its template
    # compress.  Only a writer needs it: measured on first use.
    _plain_ratio: float | None = None
    _compressors: dict[int, zstandard.ZstdCompressor] = field(default_factory=dict)
    _decompressor: zstandard.ZstdDecompressor | None = None

    @property
    def plain_ratio(self) -> float:
        if self._plain_ratio is None:
            raw = self.dictionary.as_bytes()
            self._plain_ratio = len(zstandard.ZstdCompressor(level=LEVEL).compress(raw)) / max(len(raw), 1)
        return self._plain_ratio

    def compress(self, raw: bytes) -> bytes:
        chosen = level(raw)
        if chosen not in self._compressors:
            self._compressors[chosen] = zstandard.ZstdCompressor(level=chosen, dict_data=self.dictionary)
        return self._compressors[chosen].compress(raw)

    def decompress(self, data: bytes) -> bytes:
        if self._decompressor is None:
            self._decompressor = zstandard.ZstdDecompressor(dict_data=self.dictionary)
        return self._decompressor.decompress(data)


class Captures:
    """Packs and unpacks the captures of one archive connection.

    References are loaded once per instance and kept with their compressor
    and decompressor: building either from a 100 KB dictionary costs more
    than compressing a page with it.

    ``prove``: check every reference against its recorded SHA-256, as
    `verify` must; otherwise a reference whose frame carries zstd's own
    checksum is trusted to it, which catches damage as surely at a third
    of the cost."""

    def __init__(self, db: Connection, *, prove: bool = False):
        self.db = db
        self.prove = prove
        self._references: dict[int, Reference] = {}
        self._newest: dict[str, list[int]] = {}  # site → its reference ids, newest first
        self._plain = {chosen: zstandard.ZstdCompressor(level=chosen) for chosen in (2, LEVEL)}
        self._unplain = zstandard.ZstdDecompressor()

    # Reading ------------------------------------------------------------

    def unpack(self, html_zlib: bytes | None, html_zstd: bytes | None = None, reference_id: int | None = None) -> bytes:
        """The capture's original bytes, whichever form it is stored in."""
        try:
            if html_zstd is None:
                if html_zlib is None:
                    raise CaptureError("the capture holds no bytes")
                return zlib.decompress(html_zlib)
            if reference_id is None:
                return self._unplain.decompress(html_zstd)
            return self.reference(reference_id).decompress(html_zstd)
        except (zlib.error, zstandard.ZstdError, TypeError) as error:
            raise CaptureError(f"its bytes do not decompress: {error}") from None

    def unpack_row(self, row: Any) -> bytes:
        """``unpack`` of a row selected with COLUMNS (by name)."""
        return self.unpack(row["html_zlib"], row["html_zstd"], row["reference_id"])

    def reference(self, reference_id: int) -> Reference:
        if reference_id not in self._references:
            row = self.db.execute(
                "SELECT site_id, size, sha256, html_zstd FROM capture_references WHERE id = ?", [reference_id]
            ).fetchone()
            if row is None:
                raise CaptureError(f"its reference {reference_id} is missing")
            site_id, size, sha256, stored = row
            try:
                raw = self._unplain.decompress(stored)
                checked = not self.prove and zstandard.get_frame_parameters(stored).has_checksum
            except (zstandard.ZstdError, TypeError) as error:
                raise CaptureError(f"its reference {reference_id} does not decompress: {error}") from None
            if not checked and hashlib.sha256(raw).hexdigest() != sha256:
                raise CaptureError(f"its reference {reference_id} is not the page it was made from (SHA-256 differs)")
            self._references[reference_id] = Reference(
                reference_id,
                site_id,
                size,
                zstandard.ZstdCompressionDict(raw, dict_type=zstandard.DICT_TYPE_RAWCONTENT),
            )
        return self._references[reference_id]

    # Writing ------------------------------------------------------------

    def pack(self, site_id: str, raw: bytes) -> dict[str, Any]:
        """raw_pages columns for a capture of ``site_id``: against the
        newest of its references it resembles, or it becomes one."""
        ids = self._site_references(site_id)
        tried: list[tuple[bytes, int]] = []
        if ids:
            newest = self.reference(ids[0])
            tried.append((newest.compress(raw), newest.id))
            # The common case costs one compression: a page as well compressed
            # as its template's pages are is surely of that template.
            if len(tried[0][0]) <= RESEMBLANCE * newest.plain_ratio * len(raw):
                return _row(*tried[0])
        plain = self._plain[level(raw)].compress(raw)
        tried += [(self.reference(reference_id).compress(raw), reference_id) for reference_id in ids[1:TRIED]]
        best, best_id = min(tried, key=lambda found: len(found[0]), default=(plain, None))
        if len(plain) <= len(best):
            best, best_id = plain, None
        # A board's first capture is its first reference; after that, only a
        # page too large to be a stray (an error page, a stub) starts another.
        if self._resembles(len(best), len(plain), best_id) or len(raw) < (SMALL if ids else TINY):
            return _row(best, best_id)
        reference = self._add_reference(site_id, raw, plain)
        return _row(reference.compress(raw), reference.id)

    def _resembles(self, packed: int, plain: int, reference_id: int | None) -> bool:
        if reference_id is None:
            return False
        if packed <= RESEMBLANCE * plain:
            return True
        reference = self.reference(reference_id)
        template = reference.plain_ratio * reference.size
        return packed <= LONG_RESEMBLANCE * plain and plain - packed >= TEMPLATE_SHARE * template

    def _site_references(self, site_id: str) -> list[int]:
        if site_id not in self._newest:
            self._newest[site_id] = [
                row[0]
                for row in self.db.execute(
                    "SELECT id FROM capture_references WHERE site_id = ? ORDER BY id DESC", [site_id]
                )
            ]
        return self._newest[site_id]

    def _add_reference(self, site_id: str, raw: bytes, plain: bytes) -> Reference:
        stored = zstandard.ZstdCompressor(level=REFERENCE_LEVEL, write_checksum=True).compress(raw)
        cursor = self.db.execute(
            "INSERT INTO capture_references (site_id, created_at, size, sha256, html_zstd) VALUES (?, ?, ?, ?, ?)",
            [site_id, utcnow(), len(raw), hashlib.sha256(raw).hexdigest(), stored],
        )
        reference = Reference(
            cursor.lastrowid,
            site_id,
            len(raw),
            zstandard.ZstdCompressionDict(raw, dict_type=zstandard.DICT_TYPE_RAWCONTENT),
            _plain_ratio=len(plain) / max(len(raw), 1),
        )
        self._references[reference.id] = reference
        self._site_references(site_id).insert(0, reference.id)
        return reference

    def forget(self) -> None:
        """Drop what was loaded: after a rollback, a reference added in it is gone."""
        self._references.clear()
        self._newest.clear()


def _row(packed: bytes, reference_id: int | None) -> dict[str, Any]:
    return {"html_zlib": None, "html_zstd": packed, "reference_id": reference_id}


# Compacting old captures ------------------------------------------------------


@dataclass
class Compaction:
    captures: int = 0  # rewritten by this run
    before: int = 0  # bytes of every capture and reference, before
    after: int = 0

    def summary(self) -> str:
        saved = 1 - self.after / self.before if self.before else 0.0
        return (
            f"compacted {self.captures} captures: {self.before:,} bytes before, {self.after:,} after ({saved:.0%} less)"
        )


def stored_bytes(db: Connection) -> int:
    pages = db.execute(
        "SELECT coalesce(sum(length(html_zlib)), 0) + coalesce(sum(length(html_zstd)), 0) FROM raw_pages"
    ).fetchone()[0]
    references = db.execute("SELECT coalesce(sum(length(html_zstd)), 0) FROM capture_references").fetchone()[0]
    return int(pages + references)


def compact(db: Any, batch: int = 200, progress: Callable[[int], None] | None = None) -> Compaction:
    """Rewrite the zlib captures against their board's references, ``batch``
    at a time, each batch one transaction: a killed run loses nothing and
    the next picks up where it stopped.  ``db`` is a sqlite-utils Database
    held under the writer lock."""
    result = Compaction(before=stored_bytes(db))
    captures, after_id = Captures(db), 0
    while True:
        with db.atomic():
            rows = _zlib_captures(db, after_id, batch)
            for version_id, site_id, html_zlib in rows:
                after_id = version_id
                try:
                    raw = zlib.decompress(html_zlib)
                except zlib.error:
                    continue  # a damaged capture is left as it is, for `verify` to name
                packed = captures.pack(site_id, raw)
                db.execute(
                    "UPDATE raw_pages SET html_zlib = NULL, html_zstd = ?, reference_id = ? WHERE version_id = ?",
                    [packed["html_zstd"], packed["reference_id"], version_id],
                )
                result.captures += 1
        if progress:
            progress(result.captures)
        if len(rows) < batch:
            break
    result.after = stored_bytes(db)
    return result


def _zlib_captures(db: Connection, after_id: int, batch: int) -> list[tuple[int, str, bytes]]:
    # By id, not by form: a damaged capture stays zlib and must not be met again.
    return list(
        db.execute(
            "SELECT p.version_id, r.site_id, p.html_zlib FROM raw_pages p JOIN versions v ON v.id = p.version_id "
            "JOIN releases r ON r.id = v.release_id WHERE p.html_zlib IS NOT NULL AND p.version_id > ? "
            "ORDER BY p.version_id LIMIT ?",
            [after_id, batch],
        ).fetchall()
    )
