"""What a crawl hands the archive's writer: one fetch of a release page.

A ``FetchOutcome`` is plain data that survives a trip through JSON, so the
same record travels from a spider to the writer in one process, or between
machines through a queue, and is applied the same way.
"""

from __future__ import annotations

import base64
import enum
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from .content import Content
from .records import Observation, utcnow
from .signing import sign_message


class FetchKind(str, enum.Enum):
    PAGE = "page"  # a release page was extracted
    GONE = "gone"  # 404/410, or redirected away to a list or home page
    NOT_MODIFIED = "not_modified"  # 304 to a conditional GET
    ERROR = "error"  # nothing usable: 5xx, timeout, maintenance page, ...


@dataclass
class FetchOutcome:
    site_id: str
    key: str | None
    kind: FetchKind
    observation: Observation
    content: Content | None = None
    raw_html: bytes = b""
    encoding: str = "utf-8"
    crawl_id: int | None = None  # set by whoever hands the outcome to the writer
    # Fetched because a complete walk of the list no longer showed it.
    missing_from_list: bool = False
    # How the page was asked for and answered, as (name, value) pairs in the
    # order they were sent; kept with the raw page as evidence.
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    # The release's page answered a permanent redirect (301/308) to another
    # release URL of the board, or to its own on another origin the board
    # owns (it moved host): its new canonical URL and the key that URL has.
    # Still the same release, never a removal and a new one.
    moved_to: str | None = None
    moved_key: str | None = None
    # What read the content (storage.write.lens): the extraction code, the
    # profile and the learned template, as one id.
    reader: str | None = None
    # The URL the page's bytes came from, after any redirects within the
    # board (in the site's terms, as ``observation.url``); None: that URL.
    captured_from: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict; ``from_dict`` gives the same outcome back."""
        return {
            "site_id": self.site_id,
            "key": self.key,
            "kind": self.kind.value,
            "observation": asdict(self.observation),
            "content": None if self.content is None else self.content.as_dict(),
            "raw_html": base64.b64encode(self.raw_html).decode("ascii"),
            "encoding": self.encoding,
            "crawl_id": self.crawl_id,
            "missing_from_list": self.missing_from_list,
            "request_headers": [list(pair) for pair in self.request_headers],
            "response_headers": [list(pair) for pair in self.response_headers],
            "moved_to": self.moved_to,
            "moved_key": self.moved_key,
            "reader": self.reader,
            "captured_from": self.captured_from,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FetchOutcome:
        content = data.get("content")
        return cls(
            site_id=data["site_id"],
            key=data["key"],
            kind=FetchKind(data["kind"]),
            observation=Observation(**data["observation"]),
            content=None if content is None else Content.from_row(content),
            raw_html=base64.b64decode(data.get("raw_html", "")),
            encoding=data.get("encoding", "utf-8"),
            crawl_id=data.get("crawl_id"),
            missing_from_list=data.get("missing_from_list", False),
            request_headers=[(name, value) for name, value in data.get("request_headers", [])],
            response_headers=[(name, value) for name, value in data.get("response_headers", [])],
            moved_to=data.get("moved_to"),
            moved_key=data.get("moved_key"),
            reader=data.get("reader"),
            captured_from=data.get("captured_from"),
        )


@dataclass(frozen=True)
class ListedEntry:
    """One release as a list page showed it."""

    key: str
    url: str
    title: str = ""
    date: str | None = None  # the day the list gave, ISO
    position: int = 0  # 1-based, on its page


@dataclass
class ListingOutcome:
    """One list page of a walk that ended normally: evidence of what the
    site listed.  A walk that failed hands none of its pages over."""

    site_id: str
    walk: str  # the list's start path, or "feed"
    page: int
    entries: list[ListedEntry]
    seen_at: str = field(default_factory=utcnow)
    crawl_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "entries": [asdict(entry) for entry in self.entries]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListingOutcome:
        return cls(**{**data, "entries": [ListedEntry(**entry) for entry in data["entries"]]})


class MessageKind(str, enum.Enum):
    BEGIN = "begin"  # a job starts crawling a site: {"site": Site fields, "recent_pages": n}
    PAGE = "page"  # a FetchOutcome
    LISTING = "listing"  # a ListingOutcome
    FINISH = "finish"  # the job's crawl of a site ended: its site_id and CrawlSummary (storage.lifecycle)
    ENDED = "ended"  # the job is gone (from the dispatcher): whatever it did not finish was interrupted


# An ENDED message outranks every message of its job: one the job still
# sends after it was given up for dead is never applied.
ENDED_SEQ = 2**62


@dataclass(frozen=True)
class RelayedMessage:
    """One message of a crawl job on another machine, as it travels to the
    archive's writer (storage.relay).  ``token`` names the job; ``seq``
    counts its messages from 1, so the writer applies each exactly once."""

    token: str
    seq: int
    kind: MessageKind
    body: dict[str, Any]

    @property
    def site(self) -> str:
        """The site the message writes: a job's only one (storage.contract.signing)."""
        return str(self.body["site"]["id"] if self.kind == MessageKind.BEGIN else self.body["site_id"])

    def signed(self, key: bytes) -> dict[str, str]:
        """As a Redis stream entry's fields, signed with the job's key."""
        # Not ASCII-escaped: a Korean page's text stays 3 bytes a character, not 6.
        body = json.dumps(self.body, ensure_ascii=False, separators=(",", ":"))
        seq = str(self.seq)
        return {
            "token": self.token,
            "site": self.site,
            "seq": seq,
            "kind": self.kind.value,
            "body": body,
            "sig": sign_message(key, self.token, self.site, seq, self.kind.value, body),
        }
