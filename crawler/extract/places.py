"""Places in a board's template: where a block sits, and what of its text
is the template's rather than the release's.

A place is the tag, id and classes of a block and its ancestors.  Text
that repeats at one place from page to page is chrome; what varies only
in the facts a template fills in (digits, dates, an e-mail address, a
link) repeats all the same once those facts are masked.  The element
beside another, the box a heading stands over and the text outside an
element's links are found here too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from lxml import etree

from crawler.extract.dates import MONTHS
from crawler.extract.pages import HEADINGS, Block
from storage import normalise_text

# The element beside another, past comments.
_NEXT = etree.XPath("following-sibling::*[1]")
_PREVIOUS = etree.XPath("preceding-sibling::*[1]")
SLUG_HYPHENS = 5  # an id or class with this many hyphens is a release's slug, not a place
_DIGITS = re.compile(r"\d+")
_HASH = re.compile(r"[0-9a-f]{16,}")
_PAGE_TAGS = frozenset({"html", "body", "main"})
_LABEL_TAGS = frozenset({"span", "strong", "b", "em", "label", "i"})
FIELD_LABEL = 30  # a field's label ("From:", "담당부서") is short
# The facts a template fills in: e-mail addresses and links (an office's
# contact in a boilerplate notice), month names (a date in words), digits.
_FACTS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|\d+|\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b",
    re.I,
)
# Markup a reader never sees: hidden until a script shows it, or only for
# screen readers ("Share this page", a change history behind a toggle).
_HIDDEN_CLASSES = frozenset(
    {
        "hidden",
        "js-hidden",
        "visuallyhidden",
        "visually-hidden",
        "sr-only",
        "screen-reader-text",
        "govuk-visually-hidden",
        "element-invisible",
        "hide",
    }
)
_HIDDEN_STYLE = re.compile(r"(?i)display\s*:\s*none|visibility\s*:\s*hidden")


def signature(element: etree._Element) -> str:
    """The element's place in the template: tag#id.classes of it and its
    ancestors, digits masked: WordPress and others put the post's id in them
    (<body class="postid-123">, <article id="post-123">), and the place is
    the same on every release.  <html>, <body> and <main> count by their
    tags alone: a page has one of each, and their classes name the page
    ("section-noticias subsection-saude", "page-node-123", Government Site
    Builder's "nbcv-…" for the menu the page was reached from), not a place
    on it."""
    parts = []
    node = element
    while node is not None and isinstance(node.tag, str):
        parts.append(_part(node.tag, node.get("id"), node.get("class")))
        node = node.getparent()
    return ">".join(reversed(parts))


# Every block of every page asks for the places of all its ancestors, and a
# board's pages have few distinct ones: more than half of extraction's CPU
# went to masking the same ids and classes again.
@functools.lru_cache(maxsize=8192)
def _part(tag: str, id_: str | None, classes: str | None) -> str:
    name = tag.lower()  # h1 and h2 stay apart: only ids and classes are masked
    if name in _PAGE_TAGS:  # CMSs name the page's section, type and view here, not a place
        return name
    if id_:
        name += "#" + _token(id_)
    if classes:
        name += "." + ".".join(sorted(map(_token, classes.split())))
    return name


def _token(name: str) -> str:
    """An id or class with its digits and hashes masked, or "~" for one made of the
    release's slug (WordPress: <body class="post-office-of-attorney-general-secures-…">)."""
    if name.count("-") >= SLUG_HYPHENS:
        return "~"
    # A hash made anew for each page (Drupal's "js-view-dom-id-9b2e4f…"): masked whole.
    return _DIGITS.sub("#", _HASH.sub("#", name))


def mask(text: str) -> str:
    """A block's text with the facts a template fills in masked: "Hit : 231"
    and "Hit : 12", or "please email info@a.gov.uk" and "… press@b.gov.uk",
    are the same chrome."""
    return _FACTS.sub("#", text)


def labelled(block: Block) -> str | None:
    """A field's line, as its label: "<li><span>담당부서</span> 북미국</li>" and
    "… 개발협력국" are the same line of the template, whatever office a page
    names.  None when the line does not open with a short label element."""
    element = block.element
    if len(element) == 0 or (element.text or "").strip():
        return None
    label = element[0]
    if not isinstance(label.tag, str) or label.tag.lower() not in _LABEL_TAGS:
        return None
    name = " ".join("".join(label.itertext()).split())
    if not 0 < len(name) <= FIELD_LABEL:
        return None
    if _over_its_value(element, label, name):
        return mask(name) + " #"  # each of its lines: the label's and the value's
    if not block.text.startswith(name) or len(block.text) == len(name):
        return None
    return mask(name) + " #"


FIELD_VALUE = 120  # a field's value set under its label is a name, an address, a number


def _over_its_value(element: etree._Element, label: etree._Element, name: str) -> bool:
    """A label set over its short value, a line break between them
    (<p><strong>Location:</strong><br>2nd Floor Board Room<br>1520 Market
    St.</p>, St. Louis's event fields)."""
    following = label.getnext()
    return (
        name.endswith((":", "："))
        and following is not None
        and following.tag == "br"
        and not (label.tail or "").strip()
        and len(" ".join(element.text_content().split())) <= len(name) + FIELD_VALUE
    )


def hidden(element: etree._Element) -> bool:
    """Is the element hidden from a reader of the page?  A <dialog> is
    shown only when open: a consent box or a modal the page opens on a
    click."""
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if element.tag == "dialog" and element.get("open") is None:
        return True
    if _HIDDEN_STYLE.search(element.get("style", "")):
        return True
    return bool(_HIDDEN_CLASSES.intersection(element.get("class", "").lower().split()))


# Links to a named place in the page: "Return to top", a footnote's "Return
# to text", "↑".  A bare "#" is a script's button, not a place.
IN_PAGE_LINKS = etree.XPath(
    ".//a[starts-with(normalize-space(@href), '#') and string-length(normalize-space(@href)) > 1]"
)
_WORD = re.compile(r"[^\W\d_]")
_ARROWS = frozenset("↑⇧▲^⬆")
_SENTENCE_END = tuple(".!?。．！？:)」")


def page_navigation(link: etree._Element, block_tags: frozenset[str]) -> bool:
    """Is the link to a place in the page one that moves the reader about
    it, a line of its own or closing a finished sentence, rather than a
    footnote's mark or words of the text ("see the annex")?"""
    if any(ancestor.tag in HEADINGS for ancestor in link.iterancestors()):
        return False  # an accordion's or a contents' heading is the release's
    text = "".join(link.itertext()).strip()
    if text and not _WORD.search(text) and not set(text) <= _ARROWS:
        return False  # a footnote's number
    node = link
    while node.tag not in block_tags:
        if (node.tail or "").strip() or any(_says_something(after) for after in node.itersiblings()):
            return False
        parent = node.getparent()
        if parent is None:
            return False
        node = parent
    before = "".join(node.itertext()).rstrip()
    before = before[: len(before) - len(text)].rstrip() if text and before.endswith(text) else before
    return not before or before.endswith(_SENTENCE_END)


def _says_something(node: etree._Element) -> bool:
    own = "".join(node.itertext()) if isinstance(node.tag, str) else ""  # comments say nothing
    return bool(own.strip() or (node.tail or "").strip())


def next_sibling(element: etree._Element | None) -> etree._Element | None:
    return None if element is None else next(iter(_NEXT(element)), None)


def previous_sibling(element: etree._Element) -> etree._Element | None:
    return next(iter(_PREVIOUS(element)), None)


def siblings(element: etree._Element) -> list[etree._Element]:
    """The element's sibling elements, without it."""
    parent = element.getparent()
    return [] if parent is None else [node for node in parent if node is not element and isinstance(node.tag, str)]


INLINE = frozenset("span strong b em i abbr small".split())  # inline elements: they hold words of a line, not lines

LINKS = etree.XPath(".//a[@href]")


def within(element: etree._Element, region: etree._Element) -> bool:
    """Is the element the region, or inside it?"""
    node = element
    while node is not None:
        if node is region:
            return True
        node = node.getparent()
    return False


def whole_box(heading: etree._Element) -> etree._Element:
    """The outermost element that holds the heading and nothing else: its
    box's header (<div class="card-header"><h2>Files</h2></div>)."""
    text = normalise_text(heading.text_content())
    box = heading
    while (parent := box.getparent()) is not None and normalise_text(parent.text_content()) == text:
        box = parent
    return box


# The element after a heading, past comments ("<!-- Files for download -->")
# and line breaks ("<h3>Documents</h3><br/><table>").
_NEXT_BOX = etree.XPath("following-sibling::*[not(self::br)][1]")


def next_box(heading: etree._Element) -> etree._Element | None:
    """What a heading stands over: the element after its box, past line breaks."""
    return next(iter(_NEXT_BOX(whole_box(heading))), None)


def unlinked(element: etree._Element) -> str:
    """The element's text that no link holds."""
    return "".join(text for text, linked in text_pieces(element) if not linked)


def text_pieces(element: etree._Element, linked: bool = False) -> Iterator[tuple[str, bool]]:
    """The element's text in reading order, each piece with whether a link holds it."""
    linked = linked or (element.tag == "a" and bool(element.get("href")))
    if element.text:
        yield element.text, linked
    for child in element:
        if isinstance(child.tag, str):
            yield from text_pieces(child, linked)
        if child.tail:
            yield child.tail, linked
