"""Extraction for sites whose profile names no title or body selectors.

A single-page extractor must guess what is chrome.  A crawler of one board
need not: the board's template repeats on every page.  From a sample of the
site's release pages presswatch learns which places in the template (block
signatures: the tag, id and classes of each ancestor) carry the same text
from page to page — menus, headings, the "Date :" and "Hit :" lines with
their digits masked, prev/next links, share bars, footers — and drops
whatever those places hold on any page, even text that rotates between
crawls.  Titles of the board's other releases are dropped wherever they
appear.  The body is what is left in the region holding most of the text.
trafilatura is the fallback when too few pages are known to learn from.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from lxml import etree

from storage.content import Content, normalise_text

from .extract import Block, Extracted, ExtractionError, blocks, page_selector, parse_published, select
from .profile import SiteProfile

SAMPLE_PAGES = 8  # release pages a site's template is learned from
MIN_PAGES = 3  # fewer sample pages than this teach nothing
SHARED_SHARE = 0.5  # a place is chrome when its text repeats on half the pages
MAIN_SHARE = 0.8  # the body region holds this share of the content's text
NOISE_TAGS = ("script", "style", "noscript", "template", "svg", "select", "button", "form")
TITLE_CANDIDATES = ("h1", "h2", "h3", "[class*=title]", "[class*=tit]")
_DIGITS = re.compile(r"\d+")
_HITS = re.compile(r"(?i)(?:\bhits?\b|\bviews?\b|조회수?)\W*([\d,]+)")


@dataclass(frozen=True)
class Template:
    """Places on a site's release pages that carry chrome, not content."""

    chrome: frozenset[str]
    pages: int


def learn_template(pages: list[str]) -> Template | None:
    """Learn from release pages of one site (different releases, same crawl)."""
    if len(pages) < MIN_PAGES:
        return None
    per_page = []
    for html in pages:
        texts = defaultdict(set)
        for block in blocks(_body(html), cells=True):
            texts[signature(block.element)].add(_mask(block.text))
        per_page.append(texts)
    seen_on = Counter((place, text) for texts in per_page for place, values in texts.items() for text in values)
    present, shared = Counter(), Counter()
    for texts in per_page:
        for place, values in texts.items():
            present[place] += 1
            if all(seen_on[place, text] >= 2 for text in values):
                shared[place] += 1
    chrome = frozenset(
        place for place in present
        if shared[place] >= 2 and shared[place] >= SHARED_SHARE * present[place]
    )
    return Template(chrome, len(pages))


def extract_generic(
    html: str,
    profile: SiteProfile,
    template: Template | None,
    other_titles: frozenset[str] = frozenset(),
    listed: date | None = None,
) -> Extracted:
    """The clean record of a page of a profile-less site, or ExtractionError."""
    root = _body(html, profile.detail.drop)
    page_blocks = blocks(root, cells=True)
    chrome = template.chrome if template else frozenset()
    title = _title(page_selector(html).root, profile, chrome, other_titles)
    if not title:
        raise ExtractionError("no title found (maintenance or error page?)")
    content = [
        block for block in page_blocks
        if signature(block.element) not in chrome
        and block.text != title
        and not _mentions(block.text, other_titles)
    ]
    body = _main_region(content) if template else _fallback_body(html, title, other_titles)
    if not body:
        raise ExtractionError("no body text found")
    short = [block.text for block in page_blocks if len(block.text) <= 80]
    published = _published(short, profile) or (listed.isoformat() if listed else None)
    hits = next((int(m.group(1).replace(",", "")) for text in short if (m := _HITS.search(text))), None)
    return Extracted(Content(title, published, "\n\n".join(body)), hits)


def signature(element: etree._Element) -> str:
    """The element's place in the template: tag#id.classes of it and its ancestors."""
    parts = []
    node = element
    while node is not None and isinstance(node.tag, str):
        name = node.tag.lower()
        if node.get("id"):
            name += "#" + node.get("id")
        if node.get("class"):
            name += "." + ".".join(sorted(node.get("class").split()))
        parts.append(name)
        node = node.getparent()
    return ">".join(reversed(parts))


def _mask(text: str) -> str:
    """Digits vary on chrome (dates, counters); the words around them do not."""
    return _DIGITS.sub("#", text)


def _body(html: str, drop: tuple[str, ...] = ()) -> etree._Element:
    root = page_selector(html).root
    for selector in (*NOISE_TAGS, *drop):
        for element in select(root, selector):
            element.drop_tree()
    found = root.find(".//body")
    return found if found is not None else root


def _title(root, profile: SiteProfile, chrome: frozenset[str], other_titles: frozenset[str]) -> str:
    if profile.detail.title:
        return " ".join(b.text for e in select(root, profile.detail.title)[:1] for b in blocks(e))
    for css in TITLE_CANDIDATES:
        for element in select(root, css):
            text = normalise_text(" ".join(element.itertext()))
            if len(text) >= 8 and text not in other_titles and signature(element) not in chrome:
                return text
    og = root.xpath("//meta[@property='og:title']/@content")
    return normalise_text(og[0]) if og else normalise_text(root.findtext(".//title") or "")


def _mentions(text: str, titles: frozenset[str]) -> bool:
    """Prev/next and "related" boxes quote other releases' titles."""
    return any(
        len(title) >= 12 and title in text and len(text) <= len(title) + 40 for title in titles
    )


def _main_region(content: list[Block]) -> list[str]:
    """Blocks under the deepest element that holds most of the content's text."""
    if not content:
        return []
    total = sum(len(block.text) for block in content)
    weight: Counter = Counter()
    depth = {}
    for block in content:
        node, level = block.element, 0
        chain = []
        while node is not None:
            chain.append(node)
            node = node.getparent()
        for level, node in enumerate(reversed(chain)):
            weight[node] += len(block.text)
            depth[node] = level
    region = max(
        (node for node, held in weight.items() if held >= MAIN_SHARE * total),
        key=lambda node: depth[node],
    )
    return [block.text for block in content if _within(block.element, region)]


def _within(element: etree._Element, region: etree._Element) -> bool:
    node = element
    while node is not None:
        if node is region:
            return True
        node = node.getparent()
    return False


def _fallback_body(html: str, title: str, other_titles: frozenset[str]) -> list[str]:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    lines = (normalise_text(line) for line in text.splitlines())
    return [line for line in lines if line and line != title and not _mentions(line, other_titles)]


def _published(short_texts: list[str], profile: SiteProfile) -> str | None:
    return next(filter(None, (parse_published(text, profile) for text in short_texts)), None)
