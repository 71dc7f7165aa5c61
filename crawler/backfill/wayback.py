"""A Wayback-compatible web archive, asked politely: its CDX API for the
captures of a board's pages, and each capture's raw bytes.

Both shapes of answer are read: the Internet Archive's (one JSON array of
arrays, the first naming the fields; raw captures at
``/web/TIMESTAMPid_/URL``) and pywb's (one JSON object per line; raw
captures at ``/COLLECTION/TIMESTAMPid_/URL``).  Politeness is a crawl's:
one request at a time, the crawl's delay between two requests to the same
host, its User-Agent, and the archive's robots.txt obeyed.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from protego import Protego

from crawler.backfill.web_captures import WebCapture, normal_digest, utc_seconds
from crawler.exceptions import PresswatchError
from crawler.origins import origin

# Headers a replay adds of its own, not the captured server's.
_REPLAY_HEADERS = frozenset({"memento-datetime", "link", "content-location", "x-archive-src", "server-timing"})


class ArchiveUnreachable(PresswatchError):
    """The web archive did not answer, or refused (robots.txt, HTTP errors)."""


@dataclass(frozen=True)
class CdxRow:
    timestamp: str  # 14 digits
    url: str
    status: int | None  # None: a revisit or a capture without one
    digest: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a capture's redirect is its content
        return None


class Wayback:
    def __init__(self, cdx_url: str, *, delay: float, user_agent: str, timeout: float, obey_robots: bool = True):
        self.cdx_url = cdx_url.rstrip("/")
        path = urlsplit(self.cdx_url).path
        base = self.cdx_url[: len(self.cdx_url) - len(path)]
        if path.endswith("/cdx/search/cdx"):
            self.replay = base + path[: -len("/cdx/search/cdx")] + "/web/"
        else:  # pywb: /COLLECTION/cdx
            self.replay = base + path.rsplit("/", 1)[0] + "/"
        self.delay, self.user_agent, self.timeout, self.obey_robots = delay, user_agent, timeout, obey_robots
        self._last: dict[str, float] = {}  # host → when its last request was sent (monotonic)
        self._robots: dict[str, Protego | None] = {}
        self._opener = urllib.request.build_opener(_NoRedirects)
        self.requests = 0

    def rows(self, url: str, *, prefix: bool, since: str = "", until: str = "") -> list[CdxRow]:
        """Every capture of ``url`` (or of every URL it begins), oldest first."""
        query = {"url": url, "output": "json", "matchType": "prefix" if prefix else "exact"}
        if since:
            query["from"] = since.replace("-", "")[:14]
        if until:
            query["to"] = until.replace("-", "")[:14]
        status, _, body = self.get(f"{self.cdx_url}?{urlencode(query)}")
        if status == 404 and not body.strip():
            return []
        if status != 200:
            raise ArchiveUnreachable(f"the CDX API answered HTTP {status} for {url}")
        return sorted(parse_cdx(body.decode("utf-8", "replace")), key=lambda row: (row.timestamp, row.url))

    def capture(self, row: CdxRow) -> WebCapture:
        """The capture's own status, headers and bytes (``id_``: as captured, not rewritten)."""
        status, headers, body = self.get(f"{self.replay}{row.timestamp}id_/{row.url}")
        if status != row.status and (status >= 500 or status == 429):  # the archive's trouble, not the capture's
            raise ArchiveUnreachable(
                f"the web archive answered HTTP {status} for {row.url} at {row.timestamp}: "
                "run the backfill again later, it goes on where it stopped"
            )
        original = [
            (name[len("x-archive-orig-") :], value)
            for name, value in headers
            if name.lower().startswith("x-archive-orig-")
        ]
        kept = original or [(name, value) for name, value in headers if name.lower() not in _REPLAY_HEADERS]
        if original:  # the Internet Archive keeps the original headers apart; its own Content-Type is the page's
            kept += [(name, value) for name, value in headers if name.lower() == "content-type"]
        kept = [(name, self.unwrap(value) if name.lower() == "location" else value) for name, value in kept]
        return WebCapture(
            row.url, utc_seconds(row.timestamp), row.status or status, kept, body, row.digest, self.cdx_url
        )

    def unwrap(self, location: str) -> str:
        """A Location the replay pointed at itself, as the page's own."""
        if location.startswith(self.replay):
            rest = location[len(self.replay) :]
            stamp, _, url = rest.partition("/")
            if stamp[:14].isdigit() and url.startswith(("http://", "https://")):
                return url
        return location

    def get(self, url: str) -> tuple[int, list[tuple[str, str]], bytes]:
        self._allowed(url)
        return self._fetch(url)

    def _fetch(self, url: str) -> tuple[int, list[tuple[str, str]], bytes]:
        host = urlsplit(url).netloc
        wait = self._last.get(host, -self.delay) + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last[host] = time.monotonic()
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                return answer.status, list(answer.headers.items()), answer.read()
        except urllib.error.HTTPError as answer:  # 3xx, 4xx, 5xx: the answer is the content
            return answer.code, list(answer.headers.items()), answer.read()
        except (urllib.error.URLError, OSError) as error:
            raise ArchiveUnreachable(f"cannot reach {url}: {getattr(error, 'reason', error)}") from None

    def _allowed(self, url: str) -> None:
        if not self.obey_robots:
            return
        parts = urlsplit(url)
        if parts.netloc not in self._robots:
            status, _, body = self._fetch(f"{origin(url)}/robots.txt")
            self._robots[parts.netloc] = Protego.parse(body.decode("utf-8", "replace")) if status == 200 else None
        robots = self._robots[parts.netloc]
        if robots is not None and not robots.can_fetch(url, self.user_agent):
            raise ArchiveUnreachable(f"{parts.netloc}'s robots.txt does not allow presswatch to fetch {url}")


def parse_cdx(text: str) -> Iterator[CdxRow]:
    """Rows of a CDX API's JSON answer, in either shape."""
    text = text.strip()
    if not text:
        return
    if text.startswith("["):  # the Internet Archive: [[fields...], [values...], ...]
        table = json.loads(text)
        if not table:
            return
        fields = table[0]
        records = [dict(zip(fields, values)) for values in table[1:]]
    else:  # pywb: one object per line
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    for record in records:
        status = str(record.get("statuscode", record.get("status", "")))
        yield CdxRow(
            str(record["timestamp"]),
            str(record.get("original", record.get("url", ""))),
            int(status) if status.isdigit() else None,
            normal_digest(str(record.get("digest", ""))),
        )
