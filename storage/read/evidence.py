"""Evidence: each version's capture as WARC 1.1 records, and a line to cite it.

A capture is what presswatch fetched to make a version: the exact bytes of
the page, how it was answered (status, headers) and asked for (request
headers, cookies and credentials left out), and when.  ``write_warc`` writes
them with warcio, the Webrecorder library behind pywb and ReplayWeb.page, so
any WARC tool can read, check and replay them.

Pages are stored as received after any transfer or content coding was undone,
so a response record drops Transfer-Encoding / Content-Encoding and gives the
length of the bytes it holds (the original values kept as
X-Presswatch-Orig-* headers).  Captures stored before presswatch kept
headers (migration m006) become ``resource`` records: the bytes alone,
marked ``WARC-Presswatch-Headers: not-recorded``.  Payload digests are
SHA-256 (WARC 1.1 allows any algorithm), the digest ``cite`` quotes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from io import BytesIO
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from sqlite_utils import Database
from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from ..contract.captures import Captures
from ..contract.errors import NotFound

_CAPTURES_SQL = """
SELECT r.site_id, r.key, v.version, v.captured_at, p.url, p.encoding, p.html_zlib, p.html_zstd, p.reference_id,
       p.http_status, p.response_headers, p.request_headers,
       (SELECT i.source || coalesce(' record ' || i.record_id, '') || ', digest ' || i.digest
        FROM imported_captures i WHERE i.version_id = v.id ORDER BY i.captured_at LIMIT 1) AS origin
FROM versions v
JOIN releases r ON r.id = v.release_id
JOIN raw_pages p ON p.version_id = v.id
WHERE r.site_id = :site AND v.captured_at >= :since
  AND (:key IS NULL OR r.key = :key) AND (:version IS NULL OR v.version = :version)
ORDER BY v.captured_at, v.id
"""

# Codings undone before a page was stored: the record holds the decoded bytes.
_UNDONE = ("transfer-encoding", "content-encoding", "content-length")


@dataclass(frozen=True)
class Capture:
    site_id: str
    key: str
    version: int
    captured_at: str  # UTC ISO
    url: str
    encoding: str | None
    payload: bytes
    http_status: int | None
    response_headers: list[tuple[str, str]] | None  # None: stored before headers were kept
    request_headers: list[tuple[str, str]] | None
    origin: str | None = None  # imported from a web archive (storage.write.backfill): which file or API, which record

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.payload).hexdigest()

    @property
    def warc_date(self) -> str:
        moment = datetime.fromisoformat(self.captured_at)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def cite(self) -> str:
        """One line a reader can quote: what, where, when, and the bytes' digest."""
        by = f"by a web archive ({self.origin})" if self.origin else "by presswatch"
        return (
            f"{self.site_id}:{self.key} version {self.version}, {self.url}, captured {self.warc_date} "
            f"{by}, SHA-256 {self.sha256}"
        )


def captures(
    db: Database, site_id: str, since: str = "", key: str | None = None, version: int | None = None
) -> Iterator[Capture]:
    """The captures behind a site's versions (or one release's), oldest first."""
    params = {"site": site_id, "since": since, "key": key, "version": version}
    cursor = db.execute(_CAPTURES_SQL, params)
    columns = [d[0] for d in cursor.description]
    stored = Captures(db)
    for values in cursor:
        row = dict(zip(columns, values))
        yield Capture(
            row["site_id"],
            row["key"],
            row["version"],
            row["captured_at"],
            row["url"],
            row["encoding"],
            stored.unpack_row(row),
            row["http_status"],
            _pairs(row["response_headers"]),
            _pairs(row["request_headers"]),
            row["origin"],
        )


def capture(db: Database, site_id: str, key: str, version: int) -> Capture:
    for found in captures(db, site_id, key=key, version=version):
        return found
    raise NotFound(f"no capture of {site_id}:{key} version {version} in the archive")


def _pairs(stored: str | None) -> list[tuple[str, str]] | None:
    return None if stored is None else [(name, value) for name, value in json.loads(stored)]


class _SHA256Writer(WARCWriter):  # type: ignore[misc]
    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def write_warc(out: BinaryIO, found: Iterator[Capture], *, software: str, description: str) -> int:
    """Write a gzipped WARC 1.1 file of ``found`` to ``out``; how many captures."""
    writer = _SHA256Writer(out, gzip=True, warc_version="WARC/1.1")
    info = writer.create_warcinfo_record(
        "",
        {
            "software": software,
            "format": "WARC File Format 1.1",
            "description": description,
        },
    )
    info.rec_headers.remove_header("WARC-Filename")
    writer.write_record(info)
    count = 0
    for item in found:
        for record in _records(writer, item):
            writer.write_record(record)
        count += 1
    return count


def _records(builder: RecordBuilder, item: Capture) -> list[Any]:
    warc_headers = {
        "WARC-Date": item.warc_date,
        "WARC-Presswatch-Version": f"{item.site_id}:{item.key} version {item.version}",
        **({"WARC-Presswatch-Origin": item.origin} if item.origin else {}),
    }
    if item.response_headers is None:
        charset = f"; charset={item.encoding}" if item.encoding else ""
        resource = builder.create_warc_record(
            item.url,
            "resource",
            payload=BytesIO(item.payload),
            length=len(item.payload),
            warc_content_type=f"text/html{charset}",
            warc_headers_dict={**warc_headers, "WARC-Presswatch-Headers": "not-recorded"},
        )
        return [resource]
    headers = [(n, v) for n, v in item.response_headers if n.lower() not in _UNDONE]
    headers += [(f"X-Presswatch-Orig-{n}", v) for n, v in item.response_headers if n.lower() in _UNDONE]
    headers.append(("Content-Length", str(len(item.payload))))
    status = item.http_status or 200
    reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
    response = builder.create_warc_record(
        item.url,
        "response",
        payload=BytesIO(item.payload),
        length=len(item.payload),
        http_headers=StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1"),
        warc_headers_dict=warc_headers,
    )
    records = [response]
    if item.request_headers is not None:
        parts = urlsplit(item.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        sent = [("Host", parts.netloc), *item.request_headers]
        request = builder.create_warc_record(
            item.url,
            "request",
            payload=BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(f"GET {target or '/'} HTTP/1.1", sent, is_http_request=True),
            warc_headers_dict={
                "WARC-Date": item.warc_date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        records.append(request)
    return records
