"""Where a release's own text lies on a page whose template was learned: the
region holding most of the text that is not chrome, and what the template
took for chrome inside that region but belongs to the release after all."""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from crawler.extract.pages import BLOCK_TAGS, CELL_TAGS, HEADINGS, Block, only_a_day
from crawler.extract.places import FIELD_LABEL, signature, within
from crawler.sites.patterns import compiled
from crawler.sites.profile import SiteProfile
from storage import normalise_text

ALIKE_LEVELS = 6  # how far up a second field of the release's text is looked for
# The body region holds this share of the content's text.  0.8 took in the
# press-contact box beside the European Parliament's releases (F1 0.970 on its
# real pages, contacts on every page); the lead before the region is kept
# apart (_with_lead), so 0.6 finds the body's own container (F1 1.000).
MAIN_SHARE = 0.6
_CONTAINERS = BLOCK_TAGS | CELL_TAGS | {"body", "html"}
_SUBHEADINGS = HEADINGS - {"h1"}  # h1 is the page's title
_NAVIGATION = frozenset("nav navigation menu breadcrumb breadcrumbs tabs pager pagination".split())
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORDS = re.compile(r"[a-z]+")


def main_region(content: list[Block]) -> list[Block]:
    """Blocks under the deepest element that holds most of the content's text."""
    if not content:
        return []
    regions = _alike(_main_element(content))
    return [block for block in content if any(within(block.element, region) for region in regions)]


def taken_back(page_blocks: list[Block], region: list[Block], chrome: frozenset[str]) -> list[Block]:
    """The region with what its own container holds that the template took
    for chrome: the cells of its tables, and the subheadings between its
    paragraphs.  A board's daily tables repeat row for row with new numbers,
    and a daily statistics release or a monetary policy decision opens its
    sections with the same headings every time, so the template takes their
    places for its own; but a template never puts a table, or a heading
    followed by the release's next paragraph, inside the release's text."""
    if not region:
        return region
    keep = {id(block) for block in region}
    keep |= _table_cells(page_blocks, region, chrome, keep)
    keep |= _subheadings(page_blocks, keep)
    return [block for block in page_blocks if id(block) in keep]


def with_what_follows(page_blocks: list[Block], content: list[Block], region: list[Block]) -> list[Block]:
    """The region and the content right after it in the same container: a
    second web part of the release's text (NSW Health's video update), its
    fact box, its closing lines.  The run stops at the first block of the
    template, of another container (a contact banner, the footer) or
    made of links only (prev/next, related releases)."""
    if not region:
        return region
    container = _main_element(region).getparent()
    if container is None:
        return region
    kept = {id(block) for block in content}
    last = next(n for n, block in enumerate(page_blocks) if block is region[-1])
    tail = []
    for block in page_blocks[last + 1 :]:
        if id(block) not in kept or not within(block.element, container) or links_only(block):
            break
        tail.append(block)
    return region + tail


def links_only(block: Block) -> bool:
    """A box of links (related publications, a teaser row, prev/next): every
    word of it is a link's."""
    linked = "".join(link.text_content() for link in block.element.iter("a") if link.get("href"))
    return bool(linked) and "".join(linked.split()) == "".join(block.text.split())


def label_and_links(block: Block) -> bool:
    """A short label, then links and nothing else: a release's topics
    under its heading ("Argomenti" and a chip for each), its tags."""
    linked = "".join("".join(link.text_content() for link in block.element.iter("a") if link.get("href")).split())
    words = "".join(block.text.split())
    return bool(linked) and words.endswith(linked) and 0 < len(words) - len(linked) <= FIELD_LABEL


def in_navigation(block: Block) -> bool:
    """Is the block inside an element its page names as navigation (class or
    id "contentNav", "subNavLinks", "breadcrumbs", "tabs"): a section's tabs
    between a release's heading and its text, the current one not linked."""
    for element in block.element.iterancestors():
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if names.strip() and _NAVIGATION.intersection(_WORDS.findall(_CAMEL.sub(" ", names).lower())):
            return True
    return False


# Drupal's fields of rich text: what an editor writes, never a value picked or a date.
_RICH_TEXT = re.compile(r"(?:^|\s)(?:text-formatted|field-{1,2}type-text-(?:long|with-summary))(?:\s|$)")


def other_text_fields(page_blocks: list[Block], content: list[Block], region: list[Block]) -> list[Block]:
    """The content of the release's other fields of rich text after the
    region, in the same node (<article>): the ACCC's "Consultation" text a
    section below the notice's description.  A node's fields of rich text
    are all written for the release; the template took the others."""
    if not region:
        return []
    field = next((box for box in region[-1].element.iterancestors() if _RICH_TEXT.search(box.get("class", ""))), None)
    node = next((box for box in region[-1].element.iterancestors() if box.tag == "article"), None)
    if field is None or node is None:
        return []
    kept = {id(block) for block in content}
    last = next(n for n, block in enumerate(page_blocks) if block is region[-1])  # the region is in page order
    return [
        block
        for block in page_blocks[last + 1 :]
        if id(block) in kept
        and within(block.element, node)
        and not within(block.element, field)
        and any(_RICH_TEXT.search(box.get("class", "")) for box in block.element.iterancestors())
    ]


def _table_cells(page_blocks: list[Block], region: list[Block], chrome: frozenset[str], keep: set[int]) -> set[int]:
    tables = {
        table for element in _alike(_main_element(region)) for table in element.iter("table") if table is not element
    }
    if not tables:  # most releases: nothing to take back
        return set()
    cells = set()
    for block in page_blocks:
        if id(block) in keep:
            continue
        table = next((node for node in block.element.iterancestors() if str(node.tag).lower() == "table"), None)
        if table in tables and signature(block.element) in chrome:
            cells.add(id(block))
    return cells


def _subheadings(page_blocks: list[Block], keep: set[int]) -> set[int]:
    """Headings that sit between two of the region's blocks, in their
    container: a block of the release came before in it or in the box
    around it (Canada.ca's "Quotes" box after the text's), and the next
    block on the page (a paragraph, a table's first cell, a quote) is the
    release's own, inside the heading's box."""
    found = set()
    # containers, and the boxes around them, where a kept block came before
    seen_own: set[etree._Element | None] = set()
    own_blocks: list[etree._Element] = []
    for block, after in zip(page_blocks, page_blocks[1:]):
        parent = block.element.getparent()
        if parent is None:
            continue
        if id(block) in keep:
            seen_own.update((parent, parent.getparent()))
            own_blocks.append(block.element)
            continue
        if (
            (str(block.element.tag).lower() in _SUBHEADINGS or _named_a_heading(block))
            and id(after) in keep
            and within(after.element, parent)
            and (parent in seen_own or parent.getparent() in seen_own or _a_section_like(parent, own_blocks))
        ):
            found.add(id(block))
    return found


def _a_section_like(box: etree._Element, own_blocks: list[etree._Element]) -> bool:
    """Is the box set as one the release's text came in before: the text in
    sections, each a box of its own under its heading (Italy's digital
    department: <div class="mid-formatted-content"><h2>…</h2><div
    class="row">…)?"""
    place = signature(box)
    return any(signature(up) == place for element in own_blocks for up in element.iterancestors() if up.tag == box.tag)


_HEADING_CLASSES = frozenset({"head", "heading", "subhead", "subheading"})


def _named_a_heading(block: Block) -> bool:
    """A paragraph the markup calls a heading: the Reserve Bank of India's
    <p class="head">Assessment</p> between the text's paragraphs (its
    "Press Release : 2019-2020/2391", set alike, is a number's line)."""
    return not _HEADING_CLASSES.isdisjoint(block.element.get("class", "").lower().split()) and not any(
        character.isdigit() for character in block.text
    )


def _alike(element: etree._Element) -> list[etree._Element]:
    """The element and those of the same place near it: a release's text in
    two rich-text fields, or one paragraph entity after another, each in a
    wrapper of its own."""
    if str(element.tag).lower() not in ("div", "section", "article", "main"):
        return [element]  # a list or a table holding most of the text is one, not a field
    place, node = signature(element), element
    for depth in range(1, ALIKE_LEVELS + 1):
        node = node.getparent()
        if node is None:
            break
        # A place names every ancestor, so an element of the same place lies
        # as deep below this ancestor as the element does: only that level is compared.
        level = [node]
        for _ in range(depth):
            level = [child for parent in level for child in parent if isinstance(child.tag, str)]
        alike = [
            other for other in level if other is element or (other.tag == element.tag and signature(other) == place)
        ]
        if len(alike) > 1:
            return alike
    return [element]


def _main_element(content: list[Block]) -> etree._Element:
    """The deepest element that holds most of the content's text."""
    total = sum(len(block.text) for block in content)
    weight: Counter[etree._Element] = Counter()
    depth = {}
    for block in content:
        # From the block's container up: one <p> holding most of the text as
        # <br>-separated paragraphs (California's Drupal) is not the region.
        node, level = block.element.getparent(), 0
        chain = []
        while node is not None:
            chain.append(node)
            node = node.getparent()
        for level, node in enumerate(reversed(chain)):
            weight[node] += len(block.text)
            depth[node] = level
    main = max(
        (node for node, held in weight.items() if held >= MAIN_SHARE * total),
        key=lambda node: depth[node],
    )
    # An inline element (Hong Kong's <span id="pressrelease">) holds the
    # release's lists but not its lines of text, which belong to the block
    # around it: the region is that block.
    while str(main.tag).lower() not in _CONTAINERS and main.getparent() is not None:
        main = main.getparent()
    return main


def set_as_text(region: list[Block]) -> frozenset[str]:
    """The lines of ``region`` set as the paragraph after them is (the same
    tag and class): the text's own paragraphs, where a head's fields are
    elements of their own kind (a venue's ``div.post-venue`` over ``<p>``)."""
    return frozenset(
        block.text
        for block, after in zip(region, region[1:])
        if (block.element.tag, block.element.get("class")) == (after.element.tag, after.element.get("class"))
    )


LIST_LINKS = 10  # links to the board's releases by their days alone in a page's main region: a list page


def links_to_releases(region: list[Block], profile: SiteProfile) -> int:
    """How many of the board's release pages the region links to by their
    day alone, as a list that names each release so does ("27 Jul 2026"):
    such a list gives no titles to know it by.  A release may link to many
    others, by their titles."""
    if not region or not profile.links.pattern:
        return 0
    pattern = compiled(profile.links.pattern)
    targets = {
        href
        for block in region
        for link in block.element.iter("a")
        if pattern.search(href := link.get("href", ""))
        and only_a_day(normalise_text(link.text_content()), profile.month_first)
    }
    return len(targets)
