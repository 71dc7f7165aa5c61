"""What a crawl hands the archive's writer: one fetch of a release page.

A ``FetchOutcome`` is plain data that survives a trip through JSON, so the
same record travels from a spider to the writer in one process, or between
machines through a queue, and is applied the same way.
"""

from __future__ import annotations

import base64
import enum
from dataclasses import asdict, dataclass
from typing import Any

from .content import Content
from .records import Observation


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
        )
