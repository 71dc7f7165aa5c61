"""What a release *is*: its content, normalised so that only real changes count.

Two captures of a release are the same version exactly when their normalised
content is equal.  Everything here is pure and deterministic, so scripts can
recompute hashes from an archive without presswatch's crawler.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

FIELDS = ("title", "published", "body", "attachments")

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Soft hyphens and zero-width characters that CMS editors sprinkle into
# text without meaning ("Attor\u00adney Gen\u00ader\u00adal").  The zero-width
# joiner and non-joiner stay: they spell emoji sequences (👨‍🏫) and words in
# Persian and the Indic scripts.  Bidirectional embeddings, overrides and
# isolates (U+202A-202E, U+2066-2069) go too: they make a title or a diff
# display in an order other than the one stored and compared ("Trojan
# Source"), and a page that adds one has not changed.
_INVISIBLE = dict.fromkeys(
    [*map(ord, "\u00ad\u200b\u2060\ufeff"), *range(0x202A, 0x202F), *range(0x2066, 0x206A)], None
)
# Unicode categories Cc (C0, DEL, C1) and Cs (surrogates) that are not
# whitespace (those become spaces), as one regex: a per-character category
# test was the crawler's hottest loop.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]")
_ASCII_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f]")  # _CONTROL's ASCII part
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Attachment:
    name: str
    url: str


@dataclass(frozen=True)
class Content:
    """The fields that define a version: nothing else may make one."""

    title: str
    published: str | None
    body: str
    attachments: tuple[Attachment, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "published": self.published,
            "body": self.body,
            "attachments": [{"name": a.name, "url": a.url} for a in self.attachments],
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Content:
        attachments = row.get("attachments") or "[]"
        if isinstance(attachments, str):
            attachments = json.loads(attachments)
        return cls(
            title=row["title"],
            published=row["published"],
            body=row["body"],
            attachments=tuple(Attachment(a["name"], a["url"]) for a in attachments),
        )

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split("\n\n") if self.body else []


def normalise_text(text: str) -> str:
    """One line of text: NFC, no control characters, single spaces, trimmed.

    Non-breaking and other Unicode spaces are matched by ``\\s`` and become
    plain spaces; unpaired surrogates (from broken decoders) are dropped.
    """
    if text.isascii():  # most text on most boards: nothing to normalise or make visible
        joined = " ".join(text.split())
        # split() took the whitespace controls: anything unprintable left is one
        # to remove (checked in C, a quarter of a regex search's cost).
        return joined if joined.isprintable() else " ".join(_ASCII_CONTROL.sub("", text).split())
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text.translate(_INVISIBLE))
    # split() breaks on exactly the characters \s matches (str.isspace) and
    # drops the ends: the same result as a regex sub and strip(), in C.
    return " ".join(text.split())


def normalise_body(text: str) -> str:
    """Paragraphs separated by exactly one blank line, each one normalised."""
    if text.isascii():
        # Already so (as extraction gives it, and most pages are ASCII):
        # printable once the breaks are spaces (so no other whitespace or
        # control is left), no two spaces together and none at either end,
        # so no empty paragraph either.  Checked in C, at a fifth of the cost
        # of normalising it again (make bench's release pages).
        joined = text.replace("\n\n", " ")
        if joined.isprintable() and "  " not in joined and joined[:1] != " " and joined[-1:] != " ":
            return text
    paragraphs = (normalise_text(p) for p in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def normalise(content: Content) -> Content:
    return Content(
        title=normalise_text(content.title),
        published=normalise_text(content.published) if content.published else None,
        body=normalise_body(content.body),
        attachments=tuple(Attachment(normalise_text(a.name), a.url.strip()) for a in content.attachments),
    )


def content_hash(content: Content) -> str:
    """SHA-256 over the canonical JSON of the (already normalised) content."""
    canonical = json.dumps(content.as_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def changed_fields(old: Content, new: Content) -> list[str]:
    return [name for name in FIELDS if getattr(old, name) != getattr(new, name)]


def keep_precision(previous: Content, new: Content) -> Content:
    """A date shown with less precision than before (same day) is not a change.

    Sites that redesign often drop the time of day from the date line, or
    show it in a form no longer read (or garbled: 2017-02-30); the release
    was not republished, so the earlier, more precise value stands.
    """
    if new.published is None and previous.published:
        return replace(new, published=previous.published)
    if (
        new.published
        and previous.published
        and _DATE_ONLY.match(new.published)
        and previous.published.startswith(new.published + "T")
    ):
        return replace(new, published=previous.published)
    return new
