"""What names a release on a page read without selectors: the heading it
is titled by, and the day a board's dated <title>s give (a meeting's)."""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract.days import a_day_line
from crawler.extract.pages import BLOCK_TAGS, CELL_TAGS, Block, blocks, parse_published, select
from crawler.extract.places import signature, within
from crawler.extract.titles import TitleIndex, leads, title_parts, without_site_name
from crawler.sites.profile import SiteProfile
from storage import normalise_text

SENTENCE = 40  # characters: a line this long between two headings is text, not a label
TITLE_CANDIDATES = ("h1", "h2", "h3", "[class*=title]", "[class*=tit]")
_PLACES = BLOCK_TAGS | CELL_TAGS
_DAY_RANGE = re.compile(r"(?<!\d[-–/.])\b(\d{1,2})\s*[-–]\s*(\d{1,2})\b(?!\s*[-–/.:]\s*\d)")


def page_title(
    root: etree._Element,
    profile: SiteProfile,
    chrome: frozenset[str],
    titles: TitleIndex,
    own_title: str | None,
    page_blocks: list[Block],
    dated_titles: bool = False,
) -> str:
    """The release's title on a page read without a title selector (or with
    one: its first match)."""
    if profile.detail.title:
        return " ".join(b.text for e in select(root, profile.detail.title)[:1] for b in blocks(e))
    own_title = own_title or None  # a list that gives no title ("") names nothing, not an empty heading
    og = root.xpath("//meta[@property='og:title']/@content")
    declared = without_site_name(normalise_text(og[0] if og else root.findtext(".//title") or ""), profile.name)
    named_parts = title_parts(declared)  # "Title - News": a <title> names the page, and perhaps its section
    found = named = own_named = first_named = heading = None
    for css in TITLE_CANDIDATES:
        for element in select(root, css):
            # Inline markup flows ("<span>50</span>-Year" is "50-Year").
            parts = blocks(element)
            text = " ".join(block.text for block in parts)
            if (part := _named_part(element, parts, named_parts, chrome)) is not None:
                return part
            if (len(text) < 8 and not _short_title(text, element, own_title, named_parts, chrome)) or (
                text in titles and text != own_title
            ):
                continue
            if text == declared or text == own_title or leads(declared, text):
                # the heading the page names itself by, or the list does, even where
                # every release bears the same title ("Federal Reserve issues FOMC statement")
                return text
            own = signature(_block_of(element)) not in chrome
            heading = heading or text
            if found is None and own:
                found = element, text
            if text in named_parts:
                named = named or text
                own_named = own_named or (text if own else None)
                if first_named is None and text == named_parts[0]:
                    first_named = element, text
    if own_named:
        return own_named
    # No heading is the release's, and a line of the text is what the list and the <title> call it:
    # a statement reposted under its issuer's letterhead, its own title a bold line below.
    if own_title and own_title == declared and found is not None and found[1] != own_title:
        if any(block.text == own_title and signature(block.element) not in chrome for block in page_blocks):
            return own_title
    # The heading the <title>'s first part names, even in a place every page
    # fills alike (every daily release titled "COVID-19 statistics"), rather
    # than a subheading that follows some of the release's text.
    if first_named and (found is None or _text_between(page_blocks, first_named[0], found[0], chrome)):
        return first_named[1]
    # a heading the <title> names in part ("Title - News") when no heading is the page's own
    if found:
        return found[1]
    if named:
        return named
    # Where the <title> names only the series and its day, the page's heading,
    # though every page shows it ("Minutes of the Federal Open Market Committee").
    if dated_titles and heading:
        return heading
    return (
        _title_as_shown(page_blocks, named_parts or [declared], chrome)
        or _bold_line(page_blocks, chrome, profile)
        or declared
    )


# A bureau's tag before a <title> the page's headline does not carry: "PRIB: ".
_TAG = re.compile(r"^[^\W\d_][\w.&-]{0,14}\s*:$")


def _title_as_shown(page_blocks: list[Block], named: list[str], chrome: frozenset[str]) -> str | None:
    """With no heading, the page's own line before its text that the
    <title> names, as the page sets it: in capitals where the <title> is
    not, or without the tag the <title> opens with ("PRIB: Revilla: …",
    the headline "Revilla: …").  The Senate of the Philippines writes its
    headline in a <span> between comments."""
    wanted = [part.casefold() for part in named]
    for block in page_blocks:
        if len(block.text) >= TEXT_LINE:
            return None
        if len(block.text) < TITLE_LINE or signature(block.element) in chrome:
            continue
        line = block.text.casefold()
        for part in wanted:
            if part == line or (part.endswith(line) and _TAG.match(part[: -len(line)].strip())):
                return block.text
    return None


TITLE_LINE = 12  # characters: a bold line shorter than this is a label ("Date :", "Annex")
TEXT_LINE = 200  # a paragraph this long is the release's text: its title came before


def _bold_line(page_blocks: list[Block], chrome: frozenset[str], profile: SiteProfile) -> str | None:
    """With no heading of the page's own, the release's first line set
    wholly in bold before its text, not a day's line: the Reserve Bank of
    India titles each release in a centred <td><b> under "Date : May 22,
    2020", every page's <title> the site's name."""
    for block in page_blocks:
        if len(block.text) >= TEXT_LINE:
            return None
        if len(block.text) < TITLE_LINE or signature(block.element) in chrome:
            continue
        bold = "".join(  # the outermost bold runs: <strong><b>…</b></strong> counts once
            node.text_content()
            for node in block.element.iter("b", "strong")
            if not any(str(up.tag).lower() in ("b", "strong") for up in node.iterancestors() if up is not block.element)
        )
        a_day = a_day_line(block.text) and parse_published(block.text, profile)  # "Date : May 22, 2020"
        if "".join(bold.split()) == "".join(block.text.split()) and not a_day:
            return block.text
    return None


def _short_title(
    text: str, element: etree._Element, own_title: str | None, named_parts: list[str], chrome: frozenset[str]
) -> bool:
    """A short heading is a label ("News"), unless the list names it, or the
    <title> names it and no other page shows it there: a Hebrew release's
    "הגל שלי" ("My wave")."""
    return text == own_title or (text in named_parts and signature(_block_of(element)) not in chrome)


def _text_between(
    page_blocks: list[Block], first: etree._Element, then: etree._Element, chrome: frozenset[str]
) -> bool:
    """Is there a sentence of the page's own text between two headings?"""
    started = False
    for block in page_blocks:
        if within(block.element, then) and started:
            return False
        if started and len(block.text) >= SENTENCE and signature(block.element) not in chrome:
            return True
        started = started or within(block.element, first)
    return False


BOX_LINE = 40  # a line beside the title in its box: a label, the day, a name and post
BOX_LINES = 12  # and a title's box holds a few such lines, not a page


# The line under a title that the markup names its subtitle: the release's first line.
_DEK = re.compile(r"(?i)^(?:sub-?title|sub-?heading|dek|standfirst|strapline)$")


def a_dek(element: etree._Element) -> bool:
    """Does the markup name the element the title's dek or subtitle
    (<p class="subtitle">)?  Whatever box it sits in, it is the release's
    first line, not navigation: the CDC's <html class="no-js nav"> puts
    every line of its pages "in navigation"."""
    return any(_DEK.match(name) for name in element.get("class", "").split())


def title_box(root: etree._Element, title: str) -> etree._Element | None:
    """The outermost box named for the title that holds the title as one of
    its lines and otherwise only short ones: the page's head, its series
    label, day and authors (KDI's div.new_top-title), not the release's text."""
    boxes = [
        element
        for element in select(root, "[class*=tit]")  # every box named for a title ([class*=title] among them)
        if 1 < len(parts := blocks(element)) <= BOX_LINES
        and any(part.text == title for part in parts)
        and all(part.text == title or len(part.text) <= BOX_LINE for part in parts)
    ]
    return max(boxes, key=lambda box: sum(1 for _ in box.iter()), default=None)


def _named_part(
    element: etree._Element, parts: list[Block], named_parts: list[str], chrome: frozenset[str]
) -> str | None:
    """The part of a title box the <title> opens with, where the box holds
    more than the title: a series label, tags, the day, the authors ("KDI
    FOCUS / 재생에너지의 … 정책 과제 / 2026.07.27")."""
    if not named_parts or len(named := named_parts[0]) < 8 or len(parts) > BOX_LINES:
        return None
    text = " ".join(part.text for part in parts)
    if text == named or named not in text:
        return None
    inside = (node for node in element.iterdescendants() if isinstance(node.tag, str))
    for node in [part.element for part in parts] + list(inside):
        if normalise_text(node.text_content()) == named and signature(_block_of(node)) not in chrome:
            return named
    return None


def _block_of(element: etree._Element) -> etree._Element:
    """The block an element's text belongs to (the template knows blocks:
    a menu's <span class="title"> is chrome as its item is)."""
    node = element
    while node is not None and isinstance(node.tag, str) and node.tag.lower() not in _PLACES:
        parent = node.getparent()
        if parent is None:
            break
        node = parent
    return node


def occasion(page: etree._Element, profile: SiteProfile) -> str | None:
    """The day a dated <title> names: a meeting's, its last day for a range
    ("November 2-3, 2010", "17–18 March")."""
    return parse_published(_DAY_RANGE.sub(r"\2", page.findtext(".//title") or ""), profile)
