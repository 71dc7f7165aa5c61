"""URL identity: one release, one key, however a board happens to link it."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, sorted query without tracking or empty
    parameters, no session id in the path, no fragment."""
    parts = urlsplit(url.strip())
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if value and name.lower() not in TRACKING_PARAMS
    )
    return urlunsplit(
        (
            parts.scheme.lower(),
            parts.netloc.lower(),
            _SESSION_IN_PATH.sub("", parts.path) or "/",
            urlencode(query),
            "",
        )
    )


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
