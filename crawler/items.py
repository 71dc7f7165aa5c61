"""What a spider hands to the archive pipeline: one fetch of a release page."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from storage import Content, Observation


class FetchResult(str, enum.Enum):
    PAGE = "page"  # a release page was extracted
    GONE = "gone"  # 404/410, or redirected away to a list or home page
    NOT_MODIFIED = "not_modified"  # 304 to a conditional GET
    ERROR = "error"  # nothing usable: 5xx, timeout, maintenance page, ...


@dataclass
class ReleaseFetch:
    key: str | None
    result: FetchResult
    observation: Observation
    content: Content | None = None
    raw_html: bytes = b""
    encoding: str = "utf-8"
