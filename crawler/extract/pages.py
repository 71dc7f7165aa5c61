"""Extraction: HTML in, clean fields out.  Pure functions, no network, no Scrapy.

What to take is the site profile's business (selectors as data); how to turn
an element into paragraphs, a date or a hit count is the same for every site
and lives here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from datetime import tzinfo as datetime_tzinfo
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.exceptions import ExtractionError
from crawler.extract.dates import MONTHS, find_date, from_datetime_attribute
from crawler.extract.parse import page_root
from crawler.extract.selectors import compiled_xpath, select, select_all
from crawler.extract.urls import canonical_url, host, link_name, link_target, query_value, rebase
from crawler.sites.patterns import Pattern, compiled, search
from crawler.sites.profile import DetailRule, LinkRule, SiteProfile
from storage import Attachment, Content, normalise_text

# Elements that start a new paragraph; everything else flows inline.
BLOCK_TAGS = frozenset(
    "address article aside blockquote caption dd div dl dt figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section "
    "table tbody tfoot thead tr ul".split()
)
CELL_TAGS = frozenset({"td", "th"})
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())


@dataclass(frozen=True)
class Listed:
    """One release as a list page (or feed, or sitemap) shows it."""

    key: str
    url: str  # canonical URL of its page, on the real site
    date: date | None = None  # the day the list gives it
    title: str = ""


@dataclass(frozen=True)
class Block:
    """A paragraph of a page and the block element it sits in."""

    text: str
    element: etree._Element


@dataclass(frozen=True)
class Extracted:
    content: Content
    hits: int | None
    sources: dict[str, str] = field(default_factory=dict)  # field → where it came from (for check)
    updated: str | None = None  # the day the page says it was last updated, when later than published


def blocks(root: etree._Element, *, cells: bool = False) -> list[Block]:
    """The text of an element as paragraphs: blocks and <br> break, inline flows.

    With ``cells``, table cells are blocks too (template learning wants the
    label "Previous" apart from the title beside it).
    """
    breaking = BLOCK_TAGS | CELL_TAGS if cells else BLOCK_TAGS
    found: list[Block] = []
    buffer: list[str] = []
    open_blocks: list[etree._Element] = [root]

    def flush() -> None:
        if buffer:  # most block boundaries have no text between them
            text = normalise_text("".join(buffer))
            buffer.clear()
            if text:
                found.append(Block(text, open_blocks[-1]))

    # iterwalk rather than recursion: broken pages nest thousands deep.  A
    # comment comes as an event of its own, whose tail is text a browser
    # shows: "<!-- NewsDate.start -->June 8, 2020<!-- NewsDate.end -->".
    for event, node in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        tag = node.tag.lower() if isinstance(node.tag, str) else None
        if tag is None:
            if node.tail:
                buffer.append(node.tail)
        elif event == "start":
            if tag in breaking:
                flush()
                open_blocks.append(node)
            elif tag == "br":
                flush()
            if node.text:
                buffer.append(node.text)
        else:
            if tag in breaking:
                flush()
                open_blocks.pop()
            elif tag in CELL_TAGS:
                buffer.append(" ")
            if node is not root and node.tail:
                buffer.append(node.tail)
    flush()
    return found


def paragraphs(root: etree._Element) -> list[str]:
    return [block.text for block in blocks(root)]


def parse_date(text: str, tzinfo: datetime_tzinfo | None, month_first: bool | None = None) -> str | None:
    """ISO 8601 from the first date in ``text`` (any form crawler.extract.dates
    reads): with the site's UTC offset when a time is shown, a bare date when
    not; None when there is no valid date."""
    return find_date(text, tzinfo, month_first)


def parse_published(text: str, profile: SiteProfile) -> str | None:
    """The publication date in ``text``: numeric dates by the profile's
    pattern, then dates in words by its strptime formats ("6 August 2017")."""
    found = search(profile.detail.published_pattern, text)
    if found and (value := parse_date(found.group(1), profile.tzinfo, profile.month_first)):
        return value
    words = text.split()[:40]
    for fmt in profile.detail.published_formats:
        width = len(fmt.split())
        for start in range(len(words) - width + 1):
            try:
                moment = datetime.strptime(" ".join(words[start : start + width]).strip(",."), fmt)
            except ValueError:
                continue
            if "%H" in fmt or "%I" in fmt:
                return moment.replace(tzinfo=profile.tzinfo).isoformat()
            return moment.date().isoformat()
    return find_date(text, profile.tzinfo, profile.month_first)  # in words, eras, 年月日, the country's d/m/y


def parse_list(html: str, profile: SiteProfile, page_url: str) -> list[Listed]:
    """The releases a list page links to, in page order, each once."""
    rule = profile.links
    pattern = compiled(rule.pattern) if rule.pattern else None
    seen: set[str] = set()
    listed = []
    page = page_root(html)  # lxml itself: parsel's Selector per row cost as much as the parse
    for row in compiled_xpath(rule.xpath)(page) if rule.xpath else select(page, rule.rows):
        if not isinstance(row, etree._Element):  # an XPath may select text or attributes
            continue
        found = _row_link(row, pattern)
        if found is None:
            continue
        url = release_url(found[0], profile, page_url)
        key = release_key(url, profile)
        if key is None or key in seen:
            continue
        seen.add(key)
        title = _text(select(row, rule.title) if rule.title else [found[1]])
        if only_a_day(title, profile.month_first):
            title = ""  # a list that links each release by its day names none: "27 Jul 2026"
        listed.append(Listed(key, url, _listed_date(row, rule, profile.month_first), title))
    return listed


_NOT_DAY_WORDS = re.compile(r"[^\W\d_]{3,}")


def only_a_day(text: str, month_first: bool | None) -> bool:
    """Is the text a day and nothing more ("27 Jul 2026", "2026.07.27")?"""
    return bool(find_date(text, None, month_first)) and all(
        word.lower() in MONTHS for word in _NOT_DAY_WORDS.findall(text)
    )


def release_url(found: str, profile: SiteProfile, page_url: str) -> str:
    """Canonical URL on the real site, from a key (with detail_url) or a link."""
    if profile.links.detail_url:
        return profile.base_url + profile.links.detail_url.format(key=found)
    url = urljoin(page_url, found)
    if host(url) == host(page_url):
        url = rebase(url, profile.base_url)
    return canonical_url(url)


def release_key(url: str, profile: SiteProfile) -> str | None:
    """A release's identity: its key parameter, a path segment, or its canonical URL."""
    if profile.key_query:
        return query_value(url, profile.key_query)
    if profile.key_segment is not None:
        segments = [part for part in urlsplit(url).path.split("/") if part]
        try:
            return segments[profile.key_segment]
        except IndexError:
            return None
    return canonical_url(url)


_ROW_LINKS = etree.XPath("self::*[@href or @onclick] | .//a")
_ROW_TEXT = etree.XPath("descendant-or-self::text()")


# Without a pattern, any one-line link but these (what `^(?!#|javascript:|mailto:)(.+)$`
# took, when patterns could look ahead).
_NOT_LINKS = ("#", "javascript:", "mailto:")


def _row_link(row: etree._Element, pattern: Pattern | None) -> tuple[str, etree._Element] | None:
    """What the link pattern captured, and the element it was found on."""
    for element in _ROW_LINKS(row):
        for attribute in ("href", "onclick"):
            value = element.get(attribute, "").strip()
            if pattern is None:
                if value and "\n" not in value and not value.startswith(_NOT_LINKS):
                    return value, element
            elif match := pattern.search(value):
                return match.group(1), element
    return None


def _listed_date(row: etree._Element, rule: LinkRule, month_first: bool | None) -> date | None:
    text = " ".join(_ROW_TEXT(row))
    match = search(rule.date, text)
    iso = parse_date(match.group(1) if match else text, None, month_first)  # the rule's, else any form
    return date.fromisoformat(iso[:10]) if iso else None


def parse_feed(body: bytes, profile: SiteProfile, page_url: str) -> list[Listed]:
    """Releases from an RSS or Atom feed, or a sitemap, newest first as given."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    listed, seen = [], set()
    for entry in root.iter("{*}item", "{*}entry", "{*}url"):
        link = entry.findtext("{*}link") or entry.findtext("{*}loc") or ""
        if not link.strip():
            href = entry.find("{*}link[@href]")
            link = href.get("href") if href is not None else ""
        if not link.strip():
            continue
        url = release_url(link.strip(), replace(profile, links=replace(profile.links, detail_url="")), page_url)
        key = release_key(url, profile)
        if key is None or key in seen:
            continue
        seen.add(key)
        when = next(
            (
                entry.findtext(f"{{*}}{name}")
                for name in ("pubDate", "published", "updated", "lastmod", "date")
                if entry.findtext(f"{{*}}{name}")
            ),
            "",
        )
        listed.append(Listed(key, url, _feed_date(when), normalise_text(entry.findtext("{*}title") or "")))
    return listed


def _feed_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        iso = parse_date(text, None)
        return date.fromisoformat(iso[:10]) if iso else None


def extract_release(html: str, profile: SiteProfile, page_url: str, utf8: bytes | None = None) -> Extracted:
    """The clean record of a release page, or ExtractionError (``utf8``: see page_root)."""
    rule = profile.detail
    page = page_root(html, utf8)
    # Selected before anything is dropped from the body, all in one walk.
    selected = select_all(
        page, [css for css in (rule.title, rule.published, rule.updated, rule.hits, rule.body, rule.attachments) if css]
    )
    title = " ".join(_texts(selected[rule.title][:1]))
    if not title:
        raise ExtractionError(f"no title at {rule.title!r} (maintenance or error page?)", "title", rule.title)
    # Profiles often read the date and the hit count from one line (".bo_head"): its text once.
    shared = _text(selected[rule.hits]) if rule.hits and rule.hits == rule.published else None
    published = published_from(selected[rule.published], profile, shared) if rule.published else None
    hits = hits_from(selected[rule.hits], rule.hits_pattern, shared) if rule.hits else None
    attachments = attachments_from(selected[rule.attachments], profile, page_url) if rule.attachments else ()
    body = body_from(selected[rule.body], rule.drop)
    if not body:
        raise ExtractionError(f"no body text at {rule.body!r}", "body", rule.body)
    updated = later_day(published_from(selected[rule.updated], profile), published) if rule.updated else None
    return Extracted(Content(title, published, body, attachments), hits, selector_sources(rule), updated)


def later_day(updated: str | None, published: str | None) -> str | None:
    """``updated`` when it is a later day than ``published`` (else the page was not updated since)."""
    return updated if updated and updated[:10] > (published or "")[:10] else None


def selector_sources(rule: DetailRule) -> dict[str, str]:
    """Where each field a [detail] selector is given for comes from."""
    fields = (
        ("title", rule.title),
        ("published", rule.published),
        ("updated", rule.updated),
        ("hits", rule.hits),
        ("body", rule.body),
        ("attachments", rule.attachments),
    )
    return {name: f"selector {css!r}" for name, css in fields if css}


def published_from(elements: list[etree._Element], profile: SiteProfile, text: str | None = None) -> str | None:
    """The date the selected elements show: a <time datetime> first.
    ``text``: their text, when the caller has it already."""
    stamps = [e.get("datetime") for found in elements for e in found.iter("time") if e.get("datetime")]
    published = from_datetime_attribute(stamps[0], profile.tzinfo) if stamps else None
    return published or parse_published(_text(elements) if text is None else text, profile)


def hits_from(elements: list[etree._Element], pattern: str, text: str | None = None) -> int | None:
    found = search(pattern, _text(elements) if text is None else text)
    return int(found.group(1).replace(",", "")) if found else None


def body_from(bodies: list[etree._Element], drop: tuple[str, ...]) -> str:
    """The selected body's paragraphs, without the profile's drop list."""
    if drop:
        # One walk for the whole list: the elements dropped and the text kept
        # are the same in any order.
        dropped = ", ".join(drop)
        for body in bodies:
            for element in select(body, dropped):
                element.drop_tree()  # keeps the text that follows the element
    return "\n\n".join(_texts(bodies))  # paragraphs() normalised each one


def _texts(elements: Iterable[etree._Element]) -> list[str]:
    return [text for element in elements for text in paragraphs(element)]


def _text(elements: Iterable[etree._Element]) -> str:
    return " ".join(_texts(elements))


def attachments_from(links: list[etree._Element], profile: SiteProfile, page_url: str) -> tuple[Attachment, ...]:
    found: dict[str, Attachment] = {}
    for link in links:
        href = link_target(link)
        name = _text([link]) or normalise_text(link.get("title", "")) or link_name(link)
        if not href or href.startswith(("#", "javascript:")) or not name:
            continue
        url = urljoin(page_url, href)
        if host(url) == host(page_url):  # record the site's URL, not a mirror's
            url = rebase(url, profile.base_url)
        url = canonical_url(url, bare=True)
        found.setdefault(url, Attachment(name, url))
    return tuple(found.values())
