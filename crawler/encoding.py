"""Decoding pages whose charset declarations cannot be trusted.

Korean government pages are often CP949 served as UTF-8, UTF-8 served with
a stale ``<meta charset=euc-kr>``, or declare nothing at all.  A page is
decoded with the first candidate that decodes it *strictly*; a page none of
them decodes is an error, never a version full of U+FFFD.
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

# Tried after everything the page and the profile say.
FALLBACKS = ("cp949",)


class DecodeError(ValueError):
    """No candidate charset decodes the page."""


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    # EUC-KR pages routinely use CP949's extra syllables; CP949 is a superset.
    return "cp949" if name in ("euc_kr", "ks_c_5601-1987") else name


def candidates(body: bytes, content_type: str | None, profile_encoding: str = "") -> list[str]:
    found = [
        _canonical(profile_encoding),
        # Valid UTF-8 with non-ASCII bytes is almost never an accident, so it
        # beats a declaration (stale <meta charset=euc-kr> after a migration).
        "utf-8",
        _canonical(http_content_type_encoding(content_type or "")),
        _canonical(html_body_declared_encoding(body[:4096])),
        *FALLBACKS,
    ]
    return list(dict.fromkeys(name for name in found if name))


def decode_page(body: bytes, content_type: str | None, profile_encoding: str = "") -> tuple[str, str]:
    """The page as text and the encoding that decoded it, or DecodeError."""
    tried = candidates(body, content_type, profile_encoding)
    for name in tried:
        try:
            text = body.decode("utf-8-sig" if name == "utf-8" else name)
        except UnicodeDecodeError:
            continue
        return text, name
    raise DecodeError(f"cannot decode the page as {' or '.join(tried)}")


_TEXTUAL = re.compile(rb"^\s*<|^\s*\xef\xbb\xbf\s*<", re.IGNORECASE)


def looks_like_html(body: bytes) -> bool:
    """Binary bodies (PDF, images) served as text/html are not pages."""
    head = body[:1024]
    return b"\x00" not in head and bool(_TEXTUAL.match(head) or b"<html" in head.lower() or not head.strip())
