"""Captures as web archives hold them: WARC records, read with warcio.

A ``WebCapture`` is one HTTP response a web archive kept: where and when
it was captured, its status, headers and payload (transfer and content
codings undone, as a crawl's response has them), its payload digest and
where it came from.  ``read_files`` reads WARC, gzipped WARC and WACZ
(the WARC files inside its zip), response and resource records only.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

# Codings warcio's content stream undoes: the body is as a crawl's response holds it.
_UNDONE = frozenset({"transfer-encoding", "content-encoding"})


@dataclass(frozen=True)
class WebCapture:
    url: str
    captured_at: str  # UTC ISO, to the second
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    digest: str  # "sha1:BASE32", "sha256:BASE32", …
    source: str  # the WARC file's name (inside a WACZ: WACZ!member), or the CDX API
    record_id: str | None = None
    loaded: bool = True  # False: only a CDX row so far, its bytes not yet fetched

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)


def utc_seconds(moment: str) -> str:
    """A WARC-Date or a 14-digit CDX timestamp as presswatch's UTC ISO time."""
    if moment.isdigit():
        parsed = datetime.strptime(moment[:14].ljust(14, "0"), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    else:
        parsed = datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(UTC)
    return parsed.replace(microsecond=0).isoformat()


def payload_digest(body: bytes) -> str:
    return "sha256:" + base64.b32encode(hashlib.sha256(body).digest()).decode()


def normal_digest(digest: str) -> str:
    """A digest as WARC records spell it: a CDX API's bare one is SHA-1."""
    return digest if ":" in digest else f"sha1:{digest}"


def read_files(paths: list[Path]) -> Iterator[WebCapture]:
    for path in paths:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as package:
                for member in package.namelist():
                    if member.startswith("archive/") and ".warc" in member:
                        with package.open(member) as stream:
                            yield from read_stream(stream, f"{path.name}!{member}")
        else:
            with open(path, "rb") as stream:
                yield from read_stream(stream, path.name)


def read_stream(stream: IO[bytes], source: str) -> Iterator[WebCapture]:
    for record in ArchiveIterator(stream):
        if record.format != "warc":  # warcio reads anything else as an ARC file's records
            raise ArchiveLoadFailed(f"{source} is not a WARC file")
        if record.rec_type not in ("response", "resource"):
            continue  # requests, metadata, revisits (no payload of their own)
        found = _capture(record, source)
        if found is not None:
            yield found


def _capture(record: Any, source: str) -> WebCapture | None:
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    date = headers.get_header("WARC-Date")
    if not url or not date or not url.startswith(("http://", "https://")):
        return None
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = int(record.http_headers.get_statuscode() or 0)
        pairs = [(name, value) for name, value in record.http_headers.headers if name.lower() not in _UNDONE]
    else:  # a resource: the bytes alone (presswatch's own captures from before it kept headers)
        status = 200
        pairs = [("Content-Type", headers.get_header("Content-Type") or "text/html")]
    body = record.content_stream().read()
    digest = headers.get_header("WARC-Payload-Digest") or payload_digest(body)
    return WebCapture(url, utc_seconds(date), status, pairs, body, digest, source, headers.get_header("WARC-Record-ID"))
