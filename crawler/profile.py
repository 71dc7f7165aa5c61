"""Site profiles: everything presswatch knows about one board, as a TOML file.

A profile is data, never code.  It is checked when it is loaded, so a typo in
a selector or a timezone fails before the first request with a message that
names the file and the key, not half-way through a crawl.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from dateutil import tz
from parsel import Selector

BUILTIN_DIR = "profiles"


class ProfileError(ValueError):
    """A profile file is unreadable or says something invalid."""


@dataclass(frozen=True)
class LinkRule:
    """How a list page names its releases."""

    rows: str = "a"  # CSS: one element per listed release
    pattern: str = r"href"  # regex over each row's href/onclick; group 1 = key
    detail_url: str = ""  # path template for a release's page, with {key}
    date: str = r"(\d{4}-\d{2}-\d{2})"  # regex over the row's text


@dataclass(frozen=True)
class Pagination:
    param: str = "page"
    first: int = 1
    max_pages: int = 5000


@dataclass(frozen=True)
class DetailRule:
    title: str = "h1"
    published: str = ""
    published_pattern: str = r"(\d{4}[-./]\d{1,2}[-./]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)"
    body: str = "body"
    drop: tuple[str, ...] = ("script", "style", "noscript")
    attachments: str = ""
    hits: str = ""
    hits_pattern: str = r"(\d[\d,]*)"


@dataclass(frozen=True)
class SiteProfile:
    id: str
    name: str
    base_url: str
    start: str
    timezone: str = "UTC"
    country: str = ""
    language: str = ""
    key_query: str = ""  # query parameter that identifies a release
    links: LinkRule = field(default_factory=LinkRule)
    pagination: Pagination = field(default_factory=Pagination)
    detail: DetailRule = field(default_factory=DetailRule)
    source: str = ""

    @property
    def tzinfo(self):
        return tz.gettz(self.timezone)


_TOP_LEVEL = {"id", "name", "base_url", "start", "timezone", "country", "language", "key"}
_SECTIONS = {"links": LinkRule, "pagination": Pagination, "detail": DetailRule}
_CSS_KEYS = {("links", "rows"), ("detail", "title"), ("detail", "published"),
             ("detail", "body"), ("detail", "attachments"), ("detail", "hits")}
_REGEX_KEYS = {("links", "pattern"), ("links", "date"),
               ("detail", "published_pattern"), ("detail", "hits_pattern")}


def load_profile(path: str | Path, text: str | None = None) -> SiteProfile:
    """Parse and validate one profile file."""
    source = str(path)
    try:
        data = tomllib.loads(text if text is not None else Path(path).read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ProfileError(f"{source}: {error}") from error

    def fail(message: str) -> ProfileError:
        return ProfileError(f"{source}: {message}")

    unknown = set(data) - _TOP_LEVEL - set(_SECTIONS)
    if unknown:
        raise fail(f"unknown key {sorted(unknown)[0]!r}")
    for required in ("id", "name", "base_url", "start"):
        if not isinstance(data.get(required), str) or not data[required]:
            raise fail(f"{required!r} is required and must be a string")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", data["id"]):
        raise fail(f"'id' must be lower-case letters, digits and _: {data['id']!r}")
    if not re.match(r"https?://[^/]+$", data["base_url"].rstrip("/")):
        raise fail(f"'base_url' must be http(s)://host: {data['base_url']!r}")
    timezone = data.get("timezone", "UTC")
    if tz.gettz(timezone) is None:
        raise fail(f"'timezone' is not a known timezone: {timezone!r}")

    sections = {}
    for name, cls in _SECTIONS.items():
        values = dict(data.get(name, {}))
        allowed = set(cls.__dataclass_fields__)
        for key, value in values.items():
            if key not in allowed:
                raise fail(f"unknown key {key!r} in [{name}]")
            if (name, key) in _CSS_KEYS and value:
                _check_css(value, fail(f"[{name}] {key}: invalid CSS selector {value!r}"))
            if (name, key) in _REGEX_KEYS:
                try:
                    re.compile(value)
                except re.error as error:
                    raise fail(f"[{name}] {key}: invalid regular expression: {error}")
        if "drop" in values:
            for selector in values["drop"]:
                _check_css(selector, fail(f"[{name}] drop: invalid CSS selector {selector!r}"))
            values["drop"] = tuple(values["drop"])
        sections[name] = cls(**values)

    return SiteProfile(
        id=data["id"],
        name=data["name"],
        base_url=data["base_url"].rstrip("/"),
        start=data["start"],
        timezone=timezone,
        country=data.get("country", ""),
        language=data.get("language", ""),
        key_query=data.get("key", ""),
        source=source,
        **sections,
    )


def _check_css(selector: str, error: ProfileError) -> None:
    try:
        Selector(text="<html></html>").css(selector)
    except Exception:
        raise error from None


def builtin_profiles() -> dict[str, SiteProfile]:
    """The profiles shipped with presswatch, by site id."""
    folder = resources.files("crawler") / BUILTIN_DIR
    profiles = [
        load_profile(f"crawler/{BUILTIN_DIR}/{entry.name}", entry.read_text("utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml")
    ]
    return {profile.id: profile for profile in profiles}
