"""Where a release page's fetch ended up, in the site's own URLs: moved
(a permanent redirect, a canonical link), redirected away (gone), and the
URLs a crawl through --base-url records as the site's."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urldefrag, urljoin, urlsplit

from crawler.extract.pages import release_key
from crawler.extract.urls import canonical_url, fetch_url, rebase
from crawler.origins import origin_of
from crawler.sites.profile import SiteProfile


def site_url(url: str, fetch_base: str, site_base: str) -> str:
    """A URL fetched through ``fetch_base`` (a mirror, a test server) as the
    site's own; a URL on another origin (one the profile's also_at or
    allowed_domains names) is its own already."""
    return rebase(url, site_base) if origin_of(url) == origin_of(fetch_base) else url


def captured_from(url: str, fetch_base: str, site_base: str) -> str:
    """The URL a page's bytes came from (the last of any redirects), as the site's."""
    return site_url(urldefrag(url)[0], fetch_base, site_base)


def as_sent_to_site(headers: Sequence[tuple[str, str]], fetch_base: str, site_base: str) -> list[tuple[str, str]]:
    """Request headers as the site would have had them: a crawl through
    --base-url records its captures under the site's URLs, so a Referer on
    the mirror is the same page on the site (one host per WARC record)."""
    if fetch_base.rstrip("/") == site_base.rstrip("/"):
        return list(headers)
    return [
        (name, fetch_url(value, fetch_base, site_base) if name.lower() == "referer" else value)
        for name, value in headers
    ]


def moved_url(
    url: str,
    redirect_urls: Sequence[str],
    redirect_reasons: Sequence[int | str],
    key: str,
    profile: SiteProfile,
    fetch_base: str,
) -> str | None:
    """The new canonical URL of a release whose page (answered at ``url``
    after ``redirect_urls``) answered only permanent redirects (301/308) to
    another release URL of the board, or to the same release on another of
    the board's origins (a board that moved host); else None.  A redirect
    back to the same URL (a first visit's cookie dance on the new host) moves
    nothing and is left out."""
    urls = [*redirect_urls, url]
    reasons = [reason for reason, source, target in zip(redirect_reasons, urls, urls[1:]) if source != target]
    if not reasons or any(reason not in (301, 308) for reason in reasons):
        return None
    moved = canonical_url(site_url(url, fetch_base, profile.base_url))
    first = site_url(redirect_urls[0], fetch_base, profile.base_url)
    moved_key = release_key(moved, profile)
    if moved_key is None or (moved_key == key and origin_of(moved) == origin_of(first)):
        return None
    return moved


def redirected_away(url: str, redirect_urls: Sequence[str], key: str, profile: SiteProfile, fetch_base: str) -> bool:
    """The page redirected to another release's URL, or to a list or home page."""
    if not redirect_urls:
        return False
    return release_key(site_url(url, fetch_base, profile.base_url), profile) != key


_CANONICAL = re.compile(r"""<link\b[^>]*\brel=["']?canonical["']?[^>]*>""", re.I)
_HREF = re.compile(r"""\bhref=["']?([^"' >]+)""", re.I)


def canonical_move(text: str, page_url: str, key: str, profile: SiteProfile) -> str | None:
    """The new canonical URL of a release whose page names another release
    URL of the board as its canonical one (its URL changed, the old one still
    answers).  On a board keyed by whole URLs only a URL in the same folder
    counts: a canonical link to the home page is a site's mistake, not a move."""
    head = text.find("</head>")  # where the link belongs; a page's body is not searched
    end = head if head >= 0 else 20000
    if "canonical" not in text[:end].lower():
        return None  # most pages: a plain search is ten times cheaper than the pattern
    tag = _CANONICAL.search(text, 0, end)
    href = _HREF.search(tag.group(0)) if tag else None
    if not href:
        return None
    url = canonical_url(rebase(urljoin(page_url, html.unescape(href.group(1))), profile.base_url))
    moved_key = release_key(url, profile)
    if moved_key is None or moved_key == key:
        return None
    if not (profile.key_query or profile.key_segment is not None):
        if _folder(url) != _folder(canonical_url(rebase(page_url, profile.base_url))):
            return None
    return url


def _folder(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    return path.rsplit("/", 1)[0]
