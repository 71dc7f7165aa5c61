"""A table of contents inside the text: the release's headings listed
again, before the text or after it (each KDI FOCUS paper closes with its
목차, "Ⅰ. 문제 제기 … Ⅳ. …"), or a list under a "Contents" label.  The
headings are the text's own; the list is the page's way about it."""

from __future__ import annotations

import re
import unicodedata

CONTENTS_ITEMS = 3  # a list of three headings or more: a line said twice is not a contents
ITEM = 80  # an entry of a contents is a heading: short
_LABEL = re.compile(
    r"(?i)^(?:[^\W\d_]+(?:\s+[^\W\d_]+)?\s+)?(?:(?:table\s+of\s+)?contents|목\s*차|目\s*次|目\s*录|目\s*錄"
    r"|inhalt(?:sverzeichnis)?|sommaire|table\s+des\s+matières|índice|indice|inhoud(?:sopgave)?|innehåll)\s*[:：]?$"
)


def without_contents(body: list[str]) -> list[str]:
    """``body`` without a table of contents at either end."""
    keys = [_key(line) for line in body]
    start = _contents_after(body, keys)
    if start < len(body):
        body, keys = body[:start], keys[:start]
    end = _contents_before(body, keys)
    return body[end:] or body


def _contents_after(body: list[str], keys: list[str]) -> int:
    """Where a closing table of contents starts, or len(body)."""
    labelled = next((n for n, line in enumerate(body) if n and _LABEL.match(line)), None)
    if (
        labelled is not None
        and len(body) - labelled > CONTENTS_ITEMS
        and all(len(line) <= ITEM for line in body[labelled + 1 :])
    ):
        return labelled  # "목차" over short lines that run to the end
    start = len(body)
    while start and len(body[start - 1]) <= ITEM and (not keys[start - 1] or keys[start - 1] in keys[: start - 1]):
        start -= 1
    if sum(bool(key) for key in keys[start:]) < CONTENTS_ITEMS:
        return len(body)
    return start - 1 if start and _LABEL.match(body[start - 1]) else start


def _contents_before(body: list[str], keys: list[str]) -> int:
    """Where the text starts after an opening table of contents, or 0."""
    first = 1 if body and _LABEL.match(body[0]) else 0
    end = first
    while end < len(body) and len(body[end]) <= ITEM and keys[end] in keys[end + 1 :]:
        end += 1
    return end if end - first >= CONTENTS_ITEMS else 0


def _key(line: str) -> str:
    """A heading as a contents lists it: "Ⅰ. 문제 제기" and "I.  문제 제기" alike."""
    return " ".join(unicodedata.normalize("NFKC", line).casefold().split())
