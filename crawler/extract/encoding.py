"""Decoding pages whose charset declarations cannot be trusted.

Korean government pages are often CP949 served as UTF-8, UTF-8 served with
a stale ``<meta charset=euc-kr>``, or declare nothing at all.  A page is
decoded with the first candidate that decodes it *strictly*; a page none of
them decodes is an error, never a version full of U+FFFD.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

from crawler.exceptions import DecodeError

# Tried after everything the page and the profile say.
FALLBACKS = ("cp949",)


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    # EUC-KR pages routinely use CP949's extra syllables; CP949 is a superset.
    return "cp949" if name in ("euc_kr", "ks_c_5601-1987") else name


def _candidates(body: bytes, content_type: str | None, profile_encoding: str) -> Iterator[str]:
    # Lazily: most pages decode as the first or second, and reading the
    # declaration out of the body's first 4 KB cost more than decoding.
    for name in (
        _canonical(profile_encoding),
        # Valid UTF-8 with non-ASCII bytes is almost never an accident, so it
        # beats a declaration (stale <meta charset=euc-kr> after a migration).
        "utf-8",
    ):
        if name:
            yield name
    for name in (
        _canonical(http_content_type_encoding(content_type or "")),
        _canonical(html_body_declared_encoding(body[:4096])),
        *FALLBACKS,
    ):
        if name:
            yield name


def decode_page(body: bytes, content_type: str | None, profile_encoding: str = "") -> tuple[str, str]:
    """The page as text and the encoding that decoded it, or DecodeError."""
    tried: list[str] = []
    for name in _candidates(body, content_type, profile_encoding):
        if name in tried:
            continue
        tried.append(name)
        try:
            text = body.decode("utf-8-sig" if name == "utf-8" else name)
        except UnicodeDecodeError:
            continue
        return text, name
    raise DecodeError(f"cannot decode the page as {' or '.join(tried)}")


_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"\xd0\xcf\x11\xe0")
_CONTROL_BYTES = bytes(sorted(frozenset(range(32)) - {9, 10, 12, 13}))


def looks_like_html(body: bytes) -> bool:
    """Binary bodies (PDF, images, archives) served as text/html are not pages.
    A stray NUL in a paragraph is not enough to say so; a tenth of the bytes is."""
    head = body[:1024].lstrip()
    if head.startswith(_BINARY_MAGIC):
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C
    return controls <= len(head) // 10


_HTML_END = re.compile(rb"</(?:html|body)\s*>", re.IGNORECASE)


def looks_truncated(body: bytes) -> bool:
    """A page cut off mid-way would archive half a release as a new version.
    Servers that die mid-page still send a well-formed HTTP response, so the
    missing end of the document is the only sign."""
    return not _HTML_END.search(body[-4096:])
