"""Site profiles: everything presswatch knows about one board, as a TOML file.

A profile is data, never code.  It is checked when it is loaded, so a typo in
a selector or a timezone fails before the first request with a message that
names the file and the key, not half-way through a crawl.
"""

from __future__ import annotations

import codecs
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import tzinfo
from importlib import resources
from pathlib import Path
from typing import Any

from dateutil import tz
from lxml import etree
from parsel import Selector

from crawler.errors import ProfileError
from crawler.extract.dates import MONTH_FIRST_COUNTRIES
from crawler.sites.patterns import PatternError, compiled
from storage import Site


@dataclass(frozen=True)
class LinkRule:
    """How a list page names its releases."""

    rows: str = "a[href]"  # CSS: one element per listed release
    xpath: str = ""  # or XPath, instead of rows
    # Regex over each row's href and onclick; group 1 is the key when
    # detail_url is set, else the (relative) URL of the release page.
    # "": any link but "#…", "javascript:…" and "mailto:…".
    pattern: str = ""
    detail_url: str = ""  # path of a release page, with {key}
    date: str = r"(\d{4}[-./]\d{1,2}[-./]\d{1,2})"  # regex over the row's text
    title: str = ""  # CSS inside the row for the release title (default: all its text)


@dataclass(frozen=True)
class Pagination:
    param: str = "page"  # ?page=N ...
    next: str = ""  # ... or follow this CSS selector's link instead
    first: int = 1
    max_pages: int = 5000


@dataclass(frozen=True)
class DetailRule:
    """Selectors for a release page; any left out are found generically."""

    title: str = ""
    published: str = ""
    published_pattern: str = r"(\d{4}\s*[-./년]\s*\d{1,2}\s*[-./월]\s*\d{1,2}(?:\s*일)?(?:[^\d]{1,3}\d{1,2}:\d{2}(?::\d{2})?)?)"
    published_formats: tuple[str, ...] = ()  # strptime formats for dates in words
    updated: str = ""  # the "last updated" day, on pages that show one besides the publication day
    body: str = ""
    drop: tuple[str, ...] = ("script", "style", "noscript")
    attachments: str = ""
    hits: str = ""
    hits_pattern: str = r"(\d[\d,]*)"


@dataclass(frozen=True)
class SiteProfile:
    id: str
    name: str
    base_url: str
    start: tuple[str, ...] = ()  # list page paths
    feed: str = ""  # or an RSS/Atom feed path
    sitemap: str = ""  # or a sitemap path
    timezone: str = "UTC"
    country: str = ""
    language: str = ""
    key_query: str = ""  # query parameter that identifies a release
    key_segment: int | None = None  # or a path segment (0-based, -1 = last)
    encoding: str = ""  # for sites whose declared charset is wrong
    allowed_domains: tuple[str, ...] = ()  # other hosts release pages may live on
    also_at: tuple[str, ...] = ()  # other origins (scheme://host[:port]) that are the board's own
    links: LinkRule = field(default_factory=LinkRule)
    pagination: Pagination = field(default_factory=Pagination)
    detail: DetailRule = field(default_factory=DetailRule)
    source: str = ""

    def as_site(self) -> Site:
        """The site as the archive records it: what its crawl's writer
        registers, and what the dispatcher tells the writer to expect."""
        return Site(self.id, self.name, self.country, self.language, self.timezone, self.base_url)

    @property
    def tzinfo(self) -> tzinfo | None:
        zone: tzinfo | None = tz.gettz(self.timezone)
        return zone

    def list_url(self, base_url: str, path: str, page: int) -> str:
        """A list page on ``base_url`` (the site, or a mirror)."""
        separator = "&" if "?" in path else "?"
        return f"{base_url}{path}{separator}{self.pagination.param}={page}"

    @property
    def month_first(self) -> bool | None:
        """How the site's country writes 2/6/2026 (None: no country given, not read)."""
        return self.country.upper() in MONTH_FIRST_COUNTRIES if self.country else None

    @property
    def generic(self) -> bool:
        """No title or body selector: the page's template is learned instead."""
        return not (self.detail.title and self.detail.body)


_TOP_LEVEL = {
    "id": str, "name": str, "base_url": str, "start": (str, list), "feed": str,
    "sitemap": str, "timezone": str, "country": str, "language": str, "key": str,
    "key_segment": int, "encoding": str, "allowed_domains": list, "also_at": list,
}
_SECTIONS = {"links": LinkRule, "pagination": Pagination, "detail": DetailRule}
_CSS_KEYS = {("links", "rows"), ("links", "title"), ("pagination", "next"),
             ("detail", "title"), ("detail", "published"), ("detail", "updated"), ("detail", "body"),
             ("detail", "attachments"), ("detail", "hits")}
_REGEX_KEYS = {("links", "pattern"), ("links", "date"),
               ("detail", "published_pattern"), ("detail", "hits_pattern")}
_LISTS = {"drop", "published_formats"}
_XPATH_KEYS = {("links", "xpath")}


def load_profile(path: str | Path, text: str | None = None) -> SiteProfile:
    """Parse and validate one profile file."""
    source = str(path)
    try:
        data = tomllib.loads(text if text is not None else Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ProfileError(f"{source}: {error}") from error

    def fail(message: str) -> ProfileError:
        return ProfileError(f"{source}: {message}")

    for key, value in data.items():
        if key in _SECTIONS:
            if not isinstance(value, dict):
                raise fail(f"[{key}] must be a table")
        elif key not in _TOP_LEVEL:
            raise fail(f"unknown key {key!r}")
        elif not isinstance(value, _TOP_LEVEL[key]):  # type: ignore[arg-type]  # a type or a tuple of types
            raise fail(f"{key!r} has the wrong type: {type(value).__name__}")
    for required in ("id", "name", "base_url"):
        if not data.get(required):
            raise fail(f"{required!r} is required")
    if not (data.get("start") or data.get("feed") or data.get("sitemap")):
        raise fail("one of 'start', 'feed' or 'sitemap' is required")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", data["id"]):
        raise fail(f"'id' must be lower-case letters, digits and _: {data['id']!r}")
    if not re.match(r"https?://[^/]+$", data["base_url"].rstrip("/")):
        raise fail(f"'base_url' must be http(s)://host: {data['base_url']!r}")
    timezone = data.get("timezone", "UTC")
    if tz.gettz(timezone) is None:
        raise fail(f"'timezone' is not a known timezone: {timezone!r}")
    if data.get("encoding"):
        try:
            codecs.lookup(data["encoding"])
        except LookupError:
            raise fail(f"'encoding' is not a known encoding: {data['encoding']!r}") from None

    also_at = tuple(_origin(value, fail) for value in data.get("also_at", ()))

    sections = {}
    for name, cls in _SECTIONS.items():
        values: dict[str, Any] = dict(data.get(name, {}))
        defaults: dict[str, Any] = {f.name: f.default for f in fields(cls)}
        for key, value in values.items():
            if key not in defaults:
                raise fail(f"unknown key {key!r} in [{name}]")
            expected = list if key in _LISTS else type(defaults[key])
            if not isinstance(value, expected):
                raise fail(f"[{name}] {key} must be a {expected.__name__}, not {type(value).__name__}")
            if (name, key) in _CSS_KEYS and value:
                _check_css(str(value), fail(f"[{name}] {key}: invalid CSS selector {value!r}"))
            if (name, key) in _XPATH_KEYS and value:
                try:
                    etree.XPath(value)
                except etree.XPathSyntaxError as error:
                    raise fail(f"[{name}] {key}: invalid XPath {value!r}: {error}") from None
            if (name, key) in _REGEX_KEYS and value:
                try:
                    compiled(str(value))
                except PatternError as error:
                    raise fail(f"[{name}] {key}: {error}") from None
        for selector in values.get("drop", ()):
            _check_css(selector, fail(f"[{name}] drop: invalid CSS selector {selector!r}"))
        for key in _LISTS & set(values):
            values[key] = tuple(values[key])
        sections[name] = cls(**values)

    start = data.get("start", ())
    return SiteProfile(
        id=data["id"],
        name=data["name"],
        base_url=data["base_url"].rstrip("/"),
        start=(start,) if isinstance(start, str) else tuple(start),
        feed=data.get("feed", ""),
        sitemap=data.get("sitemap", ""),
        timezone=timezone,
        country=data.get("country", ""),
        language=data.get("language", ""),
        key_query=data.get("key", ""),
        key_segment=data.get("key_segment"),
        encoding=data.get("encoding", ""),
        allowed_domains=tuple(data.get("allowed_domains", ())),
        also_at=also_at,
        source=source,
        **sections,
    )


def _origin(value: Any, fail: Callable[[str], ProfileError]) -> str:
    """An ``also_at`` entry: an origin, nothing more.  A path would suggest
    that only part of the host is the board's, which no check enforces."""
    match = re.fullmatch(r"(https?)://([^/?#@\s]+?)(?::(\d{1,5}))?/?", value, re.I) if isinstance(value, str) else None
    if match is None:
        raise fail(f"'also_at' entries must be http(s)://host[:port], nothing after: {value!r}")
    scheme, host, port = match.groups()
    return f"{scheme.lower()}://{host.lower()}" + (f":{port}" if port else "")


def _check_css(selector: str, error: ProfileError) -> None:
    try:
        Selector(text="<html></html>").css(selector)
    except Exception:
        raise error from None


ALERTS_FILE = "alerts.toml"


def find_alerts_file(explicit: str | None = None) -> Path | None:
    """``explicit``, else $PRESSWATCH_ALERTS, else alerts.toml in
    $PRESSWATCH_SITES_DIR; None when there is none (alerts are optional).
    Here, not in crawler.alerts: a crawl without alerts never imports Apprise."""
    if explicit:
        return Path(explicit)
    if os.environ.get("PRESSWATCH_ALERTS"):
        return Path(os.environ["PRESSWATCH_ALERTS"])
    folder = os.environ.get("PRESSWATCH_SITES_DIR")
    if folder and (Path(folder) / ALERTS_FILE).is_file():
        return Path(folder) / ALERTS_FILE
    return None


def builtin_profiles() -> dict[str, SiteProfile]:
    """The profiles shipped with presswatch, by site id."""
    folder = resources.files("crawler.sites")
    profiles = [
        load_profile(f"crawler/sites/{entry.name}", entry.read_text("utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml")
    ]
    return {profile.id: profile for profile in profiles}


def all_profiles(site_files: tuple[str, ...] = (), folder: str | None = None) -> dict[str, SiteProfile]:
    """Built-in profiles, then those in ``folder`` ($PRESSWATCH_SITES_DIR),
    then ``site_files``; a later profile with the same id wins.

    PRESSWATCH_BUILTIN_SITES=0 leaves the built-in profiles out, for an
    archive of one's own boards only (then ``crawl --all`` means just those)."""
    builtin = os.environ.get("PRESSWATCH_BUILTIN_SITES", "1") != "0"
    profiles = builtin_profiles() if builtin else {}
    folder = folder if folder is not None else os.environ.get("PRESSWATCH_SITES_DIR", "")
    found = sorted(Path(folder).glob("*.toml")) if folder else []
    # alerts.toml beside the profiles says where to send changes (crawler.alerts)
    paths = [*(path for path in found if path.name != ALERTS_FILE), *map(Path, site_files)]
    for path in paths:
        profile = load_profile(path)
        profiles[profile.id] = profile
    return profiles
