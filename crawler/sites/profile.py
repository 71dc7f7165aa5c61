"""Site profiles: everything presswatch knows about one board, as a TOML file.

A profile is data, never code.  It is checked when it is loaded, so a typo in
a selector or a timezone fails before the first request with a message that
names the file and the key, not half-way through a crawl.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import datetime, tzinfo
from importlib import resources
from pathlib import Path
from typing import Any

from dateutil import tz
from lxml import etree
from parsel import Selector

from crawler.exceptions import ProfileError
from crawler.extract.dates import MONTH_FIRST_COUNTRIES
from crawler.sites.checks import STRING_OR_LIST, kind_problem, range_problem, unknown_key
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
    published_pattern: str = (
        r"(\d{4}\s*[-./년]\s*\d{1,2}\s*[-./월]\s*\d{1,2}(?:\s*일)?(?:[^\d]{1,3}\d{1,2}:\d{2}(?::\d{2})?)?)"
    )
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
    key_terms: tuple[str, ...] = ()  # words whose change matters most here: a change touching one ranks higher
    links: LinkRule = field(default_factory=LinkRule)
    pagination: Pagination = field(default_factory=Pagination)
    detail: DetailRule = field(default_factory=DetailRule)
    source: str = ""

    def as_site(self) -> Site:
        """The site as the archive records it: what its crawl's writer
        registers, and what the dispatcher tells the writer to expect."""
        return Site(self.id, self.name, self.country, self.language, self.timezone, self.base_url, self.key_terms)

    @functools.cached_property
    def tzinfo(self) -> tzinfo | None:
        # Read for every date of every page; tz.gettz's own cache costs a microsecond a call.
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


_TOP_LEVEL: dict[str, object] = {
    "id": str,
    "name": str,
    "base_url": str,
    "start": STRING_OR_LIST,
    "feed": str,
    "sitemap": str,
    "timezone": str,
    "country": str,
    "language": str,
    "key": str,
    "key_segment": int,
    "encoding": str,
    "allowed_domains": list,
    "also_at": list,
    "key_terms": list,
}
_SECTIONS = {"links": LinkRule, "pagination": Pagination, "detail": DetailRule}
_LISTS = {"drop", "published_formats"}
_CSS_KEYS = {
    ("links", "rows"),
    ("links", "title"),
    ("pagination", "next"),
    ("detail", "title"),
    ("detail", "published"),
    ("detail", "updated"),
    ("detail", "body"),
    ("detail", "attachments"),
    ("detail", "hits"),
    ("detail", "drop"),
}
# Patterns whose group 1 the crawl reads (a key or link, a date, a count).
_REGEX_KEYS = {("links", "pattern"), ("links", "date"), ("detail", "published_pattern"), ("detail", "hits_pattern")}
_PATH_KEYS = {("", "start"), ("", "feed"), ("", "sitemap"), ("links", "detail_url")}
_QUERY_NAME = re.compile(r"[^\s&=?#]+")
MAX_KEY_TERM = 100


def _section_kinds(cls: type) -> dict[str, object]:
    return {f.name: list if f.name in _LISTS else type(f.default) for f in fields(cls)}


_KINDS = {"": _TOP_LEVEL, **{name: _section_kinds(cls) for name, cls in _SECTIONS.items()}}


def load_profile(path: str | Path, text: str | None = None) -> SiteProfile:
    """Parse one profile file and check it whole: every key known, every
    value of its type and in range, every selector and pattern usable, so
    that nothing in it can fail a crawl half-way."""
    source = str(path)
    try:
        data = tomllib.loads(text if text is not None else Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ProfileError(f"{source}: {error}") from error
    problem = _problem(data)
    if problem:
        raise ProfileError(f"{source}: {problem}")

    also_at = tuple(_origin(value) for value in data.get("also_at", ()))

    sections = {}
    for name, cls in _SECTIONS.items():
        values: dict[str, Any] = dict(data.get(name, {}))
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
        timezone=data.get("timezone", "UTC"),
        country=data.get("country", ""),
        language=data.get("language", ""),
        key_query=data.get("key", ""),
        key_segment=data.get("key_segment"),
        encoding=data.get("encoding", ""),
        allowed_domains=tuple(data.get("allowed_domains", ())),
        also_at=also_at,
        key_terms=tuple(" ".join(term.split()) for term in data.get("key_terms", ())),
        source=source,
        **sections,
    )


_ORIGIN = re.compile(r"(https?)://([^/?#@\s]+?)(?::(\d{1,5}))?/?", re.I)


def _origin(value: str) -> str:
    """An ``also_at`` entry, checked by _value_problem, as scheme://host[:port]."""
    match = _ORIGIN.fullmatch(value)
    assert match is not None  # the profile was checked whole before it is built
    scheme, host, port = match.groups()
    return f"{scheme.lower()}://{host.lower()}" + (f":{port}" if port else "")


def _problem(data: dict[str, Any]) -> str | None:
    """The first thing wrong with a parsed profile, as words for people."""
    for key, value in data.items():
        if key in _SECTIONS:
            if not isinstance(value, dict):
                return f"[{key}] must be a table"
            for inner, inner_value in value.items():
                problem = _key_problem(key, inner, inner_value)
                if problem:
                    return problem
        else:
            problem = _key_problem("", key, value)
            if problem:
                return problem
    for required in ("id", "name", "base_url"):
        if not data.get(required):
            return f"{required!r} is required"
    if not (data.get("start") or data.get("feed") or data.get("sitemap")):
        return "one of 'start', 'feed' or 'sitemap' is required"
    return None


def _key_problem(section: str, key: str, value: Any) -> str | None:
    """What is wrong with one key of the profile, or None."""
    where = f"[{section}] {key}" if section else repr(key)
    kinds = _KINDS[section]
    if key not in kinds:
        return _unknown(section, key)
    problem = kind_problem(value, kinds[key])
    if problem:
        return where + problem
    problem = _value_problem(section, key, value)
    return f"{where}{problem}" if problem else None


def _unknown(section: str, key: str) -> str:
    """An unknown key, and where it may have been meant to go."""
    home = next((name for name, kinds in _KINDS.items() if key in kinds and name != section), None)
    if section:
        where = f" in [{section}]"
        if home == "":
            return f"unknown key {key!r}{where}; {key!r} belongs at the top of the file, before any [section]"
        return unknown_key(key, _KINDS[section], where)
    if home:
        return f"unknown key {key!r}; it belongs in [{home}]"
    return unknown_key(key, [*_TOP_LEVEL, *_SECTIONS])


def _value_problem(section: str, key: str, value: Any) -> str | None:
    """What is wrong with a value of the right type, after the key's name."""
    if isinstance(value, list):
        for item in value:
            problem = _value_problem(section, key, item)
            if problem:
                return problem
        return None
    if (section, key) in _CSS_KEYS and value and not _css_ok(value):
        return f": invalid CSS selector {value!r}"
    if (section, key) in _REGEX_KEYS and value:
        try:
            groups = compiled(value).groups
        except PatternError as error:
            return f": {error}"
        if groups < 1:
            return f" needs a group in parentheses: group 1 is what is read ({value!r})"
    if (section, key) == ("", "also_at") and not (isinstance(value, str) and _ORIGIN.fullmatch(value)):
        # An origin, nothing more: a path would suggest that only part of the
        # host is the board's, which no check enforces.
        return f" entries must be http(s)://host[:port], nothing after: {value!r}"
    if (section, key) in _PATH_KEYS and value and not value.startswith("/"):
        return f": a path must begin with / (it follows base_url): {value!r}"
    match section, key:
        case "links", "xpath" if value:
            try:
                etree.XPath(value)
            except etree.XPathSyntaxError as error:
                return f": invalid XPath {value!r}: {error}"
        case "links", "detail_url" if value:
            if "{key}" not in value:
                return f" must contain {{key}}, where the release's key goes: {value!r}"
            try:
                value.format(key="1")
            except (KeyError, IndexError, ValueError):
                return f": only {{key}} can be filled in (write {{{{ and }}}} for braces): {value!r}"
        case ("pagination", "param") | ("", "key") if value or section:
            if not _QUERY_NAME.fullmatch(value):
                return f" must be a query parameter name (no spaces, &, =, ? or #): {value!r}"
        case "pagination", "first":
            return range_problem(value, 0)
        case "pagination", "max_pages":
            return range_problem(value, 1)
        case "detail", "published_formats":
            return _format_problem(value)
        case "", "id" if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
            return f" must be lower-case letters, digits and _: {value!r}"
        case "", "base_url" if not re.match(r"https?://[^/]+$", value.rstrip("/")):
            return f" must be http(s)://host: {value!r}"
        case "", "timezone" if not value or tz.gettz(value) is None:
            return f" is not a known timezone: {value!r}"
        case "", "encoding" if value:
            return _encoding_problem(value)
        case "", "country" if value and not re.fullmatch(r"[A-Za-z]{2}", value):
            return f" must be a two-letter ISO 3166 code such as 'KR': {value!r}"
        case "", "key_terms" if not any(c.isalnum() for c in value) or len(value) > MAX_KEY_TERM:
            return f": each must be a word or phrase of at most {MAX_KEY_TERM} characters, with a letter or digit: {value!r}"
        case "", "allowed_domains" if not re.fullmatch(r"[A-Za-z0-9.-]+", value):
            return f": each item must be a host name such as 'press.example.org', not {value!r}"
    return None


def _encoding_problem(name: str) -> str | None:
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return f" is not a known encoding: {name!r}"
    # rot13, base64, zlib and the like are codecs too, but turn bytes into bytes or text into text
    if not codec._is_text_encoding:
        return f" must be a text encoding, not {name!r}"
    return None


def _format_problem(fmt: str) -> str | None:
    if not fmt:
        return ": a format cannot be empty"
    if "%" not in fmt:
        return f": {fmt!r} has no %-directive (such as %d %B %Y)"
    try:
        datetime.strptime("", fmt)
    except ValueError as error:
        if "directive" in str(error) or "stray %" in str(error):
            return f": {error}"
    return None


def _css_ok(selector: str) -> bool:
    try:
        Selector(text="<html></html>").css(selector)
    except Exception:
        return False
    return True


ALERTS_FILE = "alerts.toml"


def find_alerts_file(explicit: str | None = None) -> Path | None:
    """``explicit``, else $PRESSWATCH_ALERTS, else alerts.toml in
    $PRESSWATCH_SITES_DIR; None when there is none (alerts are optional).
    Here, not in crawler.readers.alerts: a crawl without alerts never imports Apprise."""
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
    # alerts.toml beside the profiles says where to send changes (crawler.readers.alerts)
    paths = [*(path for path in found if path.name != ALERTS_FILE), *map(Path, site_files)]
    for path in paths:
        profile = load_profile(path)
        profiles[profile.id] = profile
    return profiles
