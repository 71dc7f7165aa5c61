"""The days a release page gives: when it was published and, when it also
shows one, when it was last updated.

A page that shows two days labels them ("Published: 28 May 2010",
"Last updated 4 August 2014", "등록일", "更新日"), and taking the first day
on the page would take whichever its template puts first.  So labelled
days are read as labelled; an unlabelled day counts as published; the
most exact unlabelled day is a <time datetime> outside the chrome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lxml import etree

from crawler.extract.dates import MONTHS, YEAR, date_label, from_datetime_attribute, labelled_parts
from crawler.extract.furniture import SENTENCE_ENDS
from crawler.extract.pages import BLOCK_TAGS, CELL_TAGS, Block, parse_published
from crawler.extract.places import mask, signature
from crawler.sites.profile import SiteProfile

SHORT = 80  # a line giving a date is short; longer lines are prose that mentions one
_PLACES = BLOCK_TAGS | CELL_TAGS
DATELINE = 30  # a dateline's date is at the start of its paragraph
_PLACE = re.compile(r"^\(?[A-Z][A-Z .'-]{1,30}\)?,?\s*[-—–]?\s*")  # "WASHINGTON, " before the date
LABEL = 30  # a label alone on its line ("Published:") names the day on the next
_NOT_WORDS = re.compile(r"[#\W\d]+")
TEASER_WORDS = 3  # a link of three words or more beside a day names a page: a teaser
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Days:
    published: str | None
    updated: str | None  # the day labelled as an update (pages.later_day keeps it only when later)
    source: str  # where published came from (for `presswatch check`)


def page_days(
    page_blocks: list[Block],
    page: etree._Element,
    chrome: frozenset[str],
    profile: SiteProfile,
    listed: date | None,
    occasion: str | None = None,
    title: str = "",
) -> Days:
    """``occasion``: the day a board's dated <title>s give each page.  Minutes
    are published weeks after their meeting: an unlabelled day the text
    gives after it is the publication's; a daily update's only day is its
    own.  The release's ``title`` names no day of the page's: "The meeting
    scheduled for 28 March 2024 has been cancelled" was published on 20
    March (a title's day is the extractor's last resort)."""
    found: dict[str | None, str] = {}  # label → first day given with it
    shown: list[tuple[str | None, str]] = []  # every (label, day), in order
    after_occasion = None  # the first unlabelled day after the <title>'s, on a line of its own
    label = None
    for block in page_blocks:
        if len(block.text) > SHORT or block.text == title:
            label = None
            continue
        stamp = _time_value(block, profile)
        parts = labelled_parts(block.text)
        days = [(own, (stamp if len(parts) == 1 else None) or parse_published(text, profile)) for own, text in parts]
        dated = any(day for _, day in days)
        if not dated and (day := _day_of_a_piece(block, profile)):
            days, dated = [(None, day)], True
        own = parts[-1][0]
        labels = bool(own) and not dated and len(block.text) <= LABEL
        if (dated or labels) and _linked(block):  # asked only of the few lines that matter
            label = None
            continue
        if block.text.endswith(SENTENCE_ENDS) and not a_day_line(block.text) and not stamp:
            # a sentence that names a day is no label's: "The minutes of the
            # meeting will be published by June 5, 2020."  One whose day the
            # markup stamps is the page's: "This content was last updated on
            # <time datetime=…>March 29, 2016</time> by the Office of the Mayor."
            days = [(None, day) for _, day in days]
        for part_label, day in days:
            if day and (part_label or label or not occasion):
                found.setdefault(part_label or label, day)
                shown.append((part_label or label, day))
            elif day and occasion and day > occasion and a_day_line(block.text):
                after_occasion = after_occasion or day
        label = own if labels else None
    published, source = found.get("published"), "page text (labelled)"
    if published and (declared := _declared_among(shown, published, page, profile)):
        published, source = declared, "page text, the day the page's metadata declares"
    if not published and (stamp := _time_element(page, chrome, profile)):
        published, source = stamp, "<time datetime>"
    if not published and after_occasion:
        published, source = after_occasion, "page text, after the occasion the <title> names"
    if not published and found.get(None):
        published, source = found[None], "page text"
    if not published and (stamp := _declared(page, profile)):
        published, source = stamp, "the page's metadata"
    if not published and occasion:
        published, source = occasion, "the <title>"
    if not published and (day := _dateline(page_blocks, profile)):
        published, source = day, "the body's dateline"
    if not published and listed:
        published, source = listed.isoformat(), "the list"
    if not published and found.get("updated"):
        # A page that shows only when it was last updated (最終更新日) was out
        # by then: an upper bound on its publication, better than no day.
        published, source = found["updated"], "the update day, the only day given"
    return Days(published, found.get("updated"), source if published else "none found")


def _day_of_a_piece(block: Block, profile: SiteProfile) -> str | None:
    """A day set in an element of its own beside a label with no space
    between them, <span>PRESS RELEASE</span><span>July 11, 2025</span>,
    which reads "PRESS RELEASEJuly 11, 2025" as one line and as no day."""
    if len(block.element) < 2 or not YEAR.search(block.text):  # most lines stop here, cheaply
        return None
    pieces = [" ".join(child.text_content().split()) for child in block.element if isinstance(child.tag, str)]
    return next((day for piece in pieces if piece and (day := parse_published(piece, profile))), None)


def a_day_line(text: str) -> bool:
    """A line that gives a day and at most a label ("Last update: October 7,
    2008"), not a sentence that names one ("… until 29 July 2020.")."""
    return len(_NOT_WORDS.sub("", mask(text))) <= LABEL


def _linked(block: Block) -> bool:
    """A line inside a link, or a day beside one that names another page: a
    teaser's or a list item's day is the day of the page it leads to
    ("Latest press conference / 19 March 2026", "August 14, 2025 Debt
    Management Strategy Consultations" in a menu), not this one's."""
    if any(str(node.tag).lower() == "a" and node.get("href") for node in block.element.iterancestors()):
        return True
    links = [link for link in block.element.iter("a") if link.get("href")]
    names = [" ".join(link.text_content().split()) for link in links]
    # the line is the link, or a part of a card the link wraps (a title, a
    # summary and the day inside one <a>: "SPOTLIGHT … 2026.05.13")
    return any(name == block.text or (block.text in name and len(name.split()) > TEASER_WORDS) for name in names) or (
        len(links) == 1 and _a_teaser(block.element, links[0], names[0])
    )


def _a_teaser(element: etree._Element, link: etree._Element, name: str) -> bool:
    """Does the element hold a day and a link to another page, and nothing
    else ("August 14, 2025 <a>Debt Management Strategy Consultations</a>")?
    A label beside the day ("Published 3 May 2024 by <a>the Ministry</a>")
    makes it this page's; a link of a word or two names no page."""
    if len(name.split()) < TEASER_WORDS or link.get("href", "").startswith(("#", "javascript:", "mailto:")):
        return False
    rest = " ".join(element.text_content().split()).replace(name, " ", 1)
    return all(word.lower() in MONTHS for word in _LETTERS.findall(rest)) and bool(YEAR.search(rest))


# Open Graph, schema.org, Dublin Core and the names government CMSs give
# the day a page was released (Queensland Health's "release.date").
_DECLARED = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dcterms.issued",
    "dc.date.issued",
    "release.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
)


def _declared(page: etree._Element, profile: SiteProfile) -> str | None:
    """The publication time the page declares for machines (Open Graph's
    article:published_time, schema.org's datePublished as a meta) when its text shows
    none: a board that prints only an "Updated" day still says when it first
    published.  Read after the text's days: some CMSs write the time the page
    was saved there."""
    for element in page.iter("meta"):
        name = (element.get("property") or element.get("itemprop") or element.get("name") or "").lower()
        if name in _DECLARED and (day := from_datetime_attribute(element.get("content", ""), profile.tzinfo)):
            return day
    return None


def _declared_among(
    shown: list[tuple[str | None, str]], published: str, page: etree._Element, profile: SiteProfile
) -> str | None:
    """Another day the page shows, not as an update, that its metadata
    declares as the publication's: a register's notice labels a later
    event's day "Determination publication date" beside its own day
    ("Effective notification date"), which article:published_time names."""
    if all(day[:10] == published[:10] for _, day in shown):
        return None  # one day shown: nothing to choose between (and no <meta> walk)
    declared = _declared(page, profile)
    if not declared or declared[:10] == published[:10]:
        return None
    return next((day for label, day in shown if day[:10] == declared[:10] and label != "updated"), None)


def _dateline(page_blocks: list[Block], profile: SiteProfile) -> str | None:
    """The day a paragraph opens with, when no line gives one: "April 3, 2020
    (SAINT PAUL) — …", "WASHINGTON, 3 March 2020 — …"."""
    for block in page_blocks:
        if len(block.text) > SHORT:
            opening = _PLACE.sub("", block.text, count=1)[:DATELINE]
            if opening[:1].isalnum() and (day := parse_published(opening, profile)):
                start = opening.find(day[:4])  # the year closes the date: it must come early
                if 0 <= start <= DATELINE - 4:
                    return day
    return None


def _time_value(block: Block, profile: SiteProfile) -> str | None:
    """The datetime of a <time> in the block's own text (not a nested block's)."""
    for element in block.element.iter("time"):
        owner = next((node for node in element.iterancestors() if str(node.tag).lower() in _PLACES), None)
        if element.get("datetime") and owner is block.element:
            return _time_day(element, profile)
    return None


def _time_day(element: etree._Element, profile: SiteProfile) -> str | None:
    """A <time>'s datetime in the site's zone, or the day its text shows
    where that is another: a site that prints days in UTC shows a release
    updated at 00:47 UTC on the 20th as of the 20th ("Last updated
    November 20, 2024"), the evening of the 19th in Washington."""
    value = from_datetime_attribute(element.get("datetime", ""), profile.tzinfo)
    shown = parse_published(" ".join(element.itertext()), profile)
    return shown if value and shown and shown[:10] != value[:10] else value


def _time_element(page: etree._Element, chrome: frozenset[str], profile: SiteProfile) -> str | None:
    """A <time datetime> outside the chrome, not labelled as an update: the
    most exact date a page gives."""
    for element in page.iter("time"):
        parent = element.getparent()
        if (
            element.get("datetime")
            and signature(element) not in chrome
            and date_label(" ".join(parent.itertext()) if parent is not None else "") != "updated"
        ):
            return _time_day(element, profile)
    return None
