"""URL identity: one release, one key, however a board happens to link it."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote_plus, unquote_plus, urlencode, urlsplit, urlunsplit

from lxml import etree

from storage import normalise_text

# Parameters that say who clicked, not what was asked for.
TRACKING_PARAMS = frozenset(
    {
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "fbclid",
        "gclid",
        "jsessionid",
        "phpsessid",
        "sid",
    }
)
_SESSION_IN_PATH = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
# A signed link to a file (S3, Google Cloud Storage, CloudFront, Azure) is
# signed afresh on every page view, and expires: its signature and expiry
# say when the page was fetched, not which file it names.
_SIGNED_PREFIXES = ("x-amz-", "x-goog-")
_SIGNED = {
    "signature": frozenset({"signature", "expires", "key-pair-id", "policy", "awsaccesskeyid", "googleaccessid"}),
    "sig": frozenset(
        {"sig", "se", "st", "sv", "sp", "sr", "spr", "ss", "srt", "skoid", "sktid", "skt", "ske", "sks", "skv"}
    ),
}
_TIMESTAMP = re.compile(r"\d{10,13}")  # "?_=1717171717171": a script's cache buster, the time of the view


def canonical_url(url: str, *, bare: bool = False) -> str:
    """Lower-case scheme and host, sorted query without tracking, signing,
    cache-busting or empty parameters, no session id in the path, no fragment.

    ``bare``: keep a parameter written without "=" (a file's link; a mail
    tracker's "track?mid=1&&&http%3A%2F%2F…%2Freport.pdf" names the file
    there) unless it is a time, a cache buster.  A release's key drops them
    as it always has, so that an archive's releases keep theirs."""
    parts = urlsplit(url.strip())
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    names = {name.lower() for name, _ in pairs}
    volatile = TRACKING_PARAMS.union(*(params for key, params in _SIGNED.items() if key in names))
    kept = {name for name in _bare_names(parts.query) if not _TIMESTAMP.fullmatch(name)} if bare else set()
    query = sorted(
        (name, value)
        for name, value in pairs
        if (value or name in kept)
        and name.lower() not in volatile
        and not name.lower().startswith(_SIGNED_PREFIXES)
        and not (name == "_" and _TIMESTAMP.fullmatch(value))
    )
    return urlunsplit(
        (
            parts.scheme.lower(),
            parts.netloc.lower(),
            _SESSION_IN_PATH.sub("", parts.path) or "/",
            _query(query, kept),
            "",
        )
    )


def _query(pairs: list[tuple[str, str]], bare: set[str]) -> str:
    """The query string, a kept parameter without a value written without "=" too."""
    if not bare:
        return urlencode(pairs)
    return "&".join(
        quote_plus(name) if not value and name in bare else urlencode([(name, value)]) for name, value in pairs
    )


def _bare_names(query: str) -> set[str]:
    return {unquote_plus(field) for field in query.split("&") if field and "=" not in field}


def rebase(url: str, base_url: str) -> str:
    """The same path and query on another scheme and host."""
    parts = urlsplit(url)
    base = urlsplit(base_url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))


def fetch_url(url: str, site_base: str, fetch_base: str) -> str:
    """Where to fetch a site URL when crawling through ``fetch_base`` (a
    mirror, a test server); URLs on other hosts are fetched as they are."""
    return rebase(url, fetch_base) if host(url) == host(site_base) else url


def query_value(url: str, name: str) -> str | None:
    for key, value in parse_qsl(urlsplit(url).query):
        if key == name and value:
            return value
    return None


def host(url: str) -> str:
    return urlsplit(url).hostname or ""


# A button or a script link that opens its file by script, with the address
# written out: onclick="location.href='/file/download?atch_no=…'".
_OPENS = re.compile(r"""(?:location(?:\.href)?\s*=|location\.(?:assign|replace)\(|window\.open\()\s*(["'])([^"']+)\1""")


def link_target(element: etree._Element) -> str:
    """Where a link (or a button) leads: its href, else the address its
    onclick opens; "" when neither says."""
    href = (element.get("href") or "").strip()
    if href and not href.lower().startswith("javascript:"):
        return href
    opened = _OPENS.search(element.get("onclick") or "")
    return opened.group(2).strip() if opened else href


def link_name(element: etree._Element) -> str:
    """What a link says: its text, or for a picture that is all the link, the
    picture's alt text or title (a gallery's full-size photo)."""
    text = normalise_text(element.text_content())
    if text:
        return text
    picture = element.find(".//img")
    return "" if picture is None else normalise_text(picture.get("alt") or picture.get("title") or "")
