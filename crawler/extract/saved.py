"""Saved pages in, the records a crawl would store out: no server, no archive
written.  ``presswatch extract`` and the corpus benchmark (bench/corpus.py)
both read pages through here, so what they report is what a crawl stores.

As in a crawl, a saved list page gives each release its listed title (the
page must name the same release) and date (used when the page shows none),
and a profile without selectors has its template learned from the release
pages given (or from an archive's captures, when the caller has them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from crawler.exceptions import DecodeError, ExtractionError
from crawler.extract.context import PageContext
from crawler.extract.encoding import decode_page
from crawler.extract.generic import SAMPLE_PAGES, Template, extract_page, learn_template
from crawler.extract.pages import Listed, parse_list, release_key
from crawler.extract.parse import page_root
from crawler.extract.titles import TitleIndex, title_parts
from crawler.extract.urls import canonical_url
from crawler.sites.profile import SiteProfile
from storage import Content, normalise, normalise_text


@dataclass(frozen=True)
class SavedPage:
    name: str  # what the user called it (a file name)
    body: bytes
    url: str = ""  # where it was fetched from; "" when unknown


@dataclass
class Record:
    """What a crawl would store from one saved page, or why it would not."""

    name: str
    url: str
    content: Content | None = None
    hits: int | None = None
    error: str | None = None
    updated: str | None = None
    listed: Listed | None = None
    sources: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        content = self.content
        return {
            "file": self.name,
            "url": self.url,
            "title": content.title if content else None,
            "published": content.published if content else None,
            "updated": self.updated,
            "body": [part for part in content.body.split("\n\n") if part] if content else [],
            "attachments": [{"name": a.name, "url": a.url} for a in content.attachments] if content else [],
            "error": self.error,
        }


@dataclass
class Reading:
    """How one board's saved pages are read: its profile, its list, its template."""

    profile: SiteProfile
    listed: list[Listed] = field(default_factory=list)
    template: Template | None = None
    titles: TitleIndex = field(default_factory=TitleIndex)

    def read(self, page: SavedPage) -> Record:
        url = page_url(page, self.profile)
        try:
            text = decode_page(page.body, None, self.profile.encoding)[0]
        except DecodeError as error:
            return Record(page.name, url, error=str(error))
        entry = self.entry_for(text, url)
        try:
            found = extract_page(
                text,
                PageContext(
                    self.profile,
                    url,
                    self.template,
                    self.titles,
                    entry.date if entry else None,
                    entry.title if entry else None,
                ),
            )
        except ExtractionError as error:
            return Record(page.name, url, error=str(error), listed=entry)
        return Record(
            page.name,
            url,
            normalise(found.content),
            found.hits,
            updated=found.updated,
            listed=entry,
            sources=found.sources,
        )

    def entry_for(self, text: str, url: str) -> Listed | None:
        """The list's entry for a release page: by its key (the URL it was
        fetched from, or its canonical one), else by the title it shows."""
        if not self.listed:
            return None
        keys = {key for address in (url, *_canonical_links(text)) if (key := release_key(address, self.profile))}
        found = next((entry for entry in self.listed if entry.key in keys), None)
        if found is not None:
            return found
        # A page saved without its address: the list's entry whose title the
        # page shows as a heading, or its <title> does ("Title - PCLOB")
        root = page_root(text)
        titles = {normalise_text(element.text_content()) for element in root.iter("h1", "h2", "h3", "title")}
        titles.update(title_parts(normalise_text(root.findtext(".//title") or "")))
        return next((entry for entry in self.listed if entry.title and entry.title in titles), None)


def reading(
    profile: SiteProfile,
    pages: list[SavedPage],
    list_page: SavedPage | None = None,
    recent_pages: list[str] | None = None,
    known_titles: Sequence[str] = (),
) -> Reading:
    """A board's reading from its saved pages: the list's entries, and the
    template learned from ``recent_pages`` (an archive's captures) or else
    from the pages themselves (as a crawl's first sample: up to 8)."""
    listed: list[Listed] = []
    if list_page is not None:
        text = decode_page(list_page.body, None, profile.encoding)[0]
        listed = parse_list(text, profile, page_url(list_page, profile))
    template = None
    if profile.generic:
        if recent_pages is None:
            recent_pages = []
            for page in pages[:SAMPLE_PAGES]:
                try:
                    recent_pages.append(decode_page(page.body, None, profile.encoding)[0])
                except DecodeError:
                    continue
        template = learn_template(recent_pages)
    titles = TitleIndex([*known_titles, *(entry.title for entry in listed if entry.title)])
    return Reading(profile, listed, template, titles)


def page_url(page: SavedPage, profile: SiteProfile) -> str:
    """The address links resolve against: the one given, else the page's
    canonical link, else the site's home."""
    if page.url:
        return page.url
    try:
        text = decode_page(page.body, None, profile.encoding)[0]
    except DecodeError:
        return profile.base_url + "/"
    found = _canonical_links(text)
    return canonical_url(found[0]) if found else profile.base_url + "/"


def _canonical_links(text: str) -> list[str]:
    links = page_root(text).xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
    return [str(link) for link in links if str(link).startswith(("http://", "https://"))]
