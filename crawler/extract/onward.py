"""Lines that lead onward: the site's ways to its other pages, not the release's text.

A row of tags or menu items, a label over links ("Read this release in:",
"Tags:"), a preview card of another site's page, and the box of related
pages under its heading ("Related Recalls", "Weitere Meldungen", "관련
기사") are set among a release's paragraphs on many boards; each is told by
its links and what little text they leave.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from crawler.extract.files import FILE_LINE, FILE_LINK
from crawler.extract.pages import HEADINGS, Block
from crawler.extract.pictures import CAPTION, HEADING_LABEL
from crawler.extract.places import FIELD_LABEL, INLINE, LINKS, next_box, text_pieces, unlinked, whole_box
from storage import normalise_text

ROW_LINKS = 3  # links side by side and nothing else: a row of links, not a sentence
_LIST_MARKS = re.compile(r"[,，、|·•]")
_ENDS_WITH_HOST = re.compile(r"[\w-]\.[a-z]{2,}$")


def onward(block: Block) -> bool:
    """Is the block a way to other pages rather than a line of the release?"""
    if _link_card(block):
        return True
    if len(block.text) > CAPTION:  # a paragraph: most blocks stop here, cheaply
        return False
    links = LINKS(block.element)  # found once for every test that needs them
    return bool(links) and (
        _labelled_links(block, links) or _a_row_of_links(block, links) or _topics(block) or _filed_in(block, links)
    )


# Boxes the markup names for the release's topics: <article class="tags">,
# Drupal's "field--name-field-tags", "post-tags", "entry-categories".
_TOPICS = re.compile(r"(?i)(?:^|[-_])(?:tags|categories|keywords|topics)$")
TOPICS_DEPTH = 3  # the line, its link's box, the list and the box named for them


def _topics(block: Block) -> bool:
    """A line with links in a box named for the release's topics (Detroit's
    <article class="tags">: the board's page linked, a "MEETING" badge):
    ways to the site's pages on them, whatever words they hold."""
    element = block.element
    for depth, node in enumerate((element, *element.iterancestors())):
        if depth > TOPICS_DEPTH:
            return False
        if any(_TOPICS.search(name) for name in node.get("class", "").split()):
            return True
    return False


def _a_row_of_links(block: Block, links: list[etree._Element]) -> bool:
    """A line of three links or more and not a word besides: keywords that
    each search the site, tags, a row of menu items.  A sentence has words
    between its links; a list of links gives each its own line."""
    if len(links) < ROW_LINKS:
        return False
    rest = unlinked(block.element)
    return not _LIST_MARKS.sub("", rest).strip()


# "Related Recalls", "Associated links", "See also", "Weitere Meldungen", "관련 기사": other pages, under their heading.
_RELATED = re.compile(
    r"(?i)^(?:related(?:\s+[^\W\d_]+){0,2}|associated\s+links|see\s+also|more\s+(?:news|releases|stories|press\s+releases)"
    r"|you\s+may\s+also\s+(?:like|be\s+interested\s+in)|ähnliche\s+[^\W\d_]+|verwandte\s+[^\W\d_]+"
    r"|weitere\s+(?:meldungen|pressemitteilungen|artikel|nachrichten)|voir\s+aussi|à\s+lire\s+aussi"
    r"|sur\s+le\s+même\s+sujet|(?:noticias|notícias|artículos|conteúdos?)\s+relacionad[oa]s|leia\s+também"
    r"|relaterat|relaterade\s+[^\W\d_]+|läs\s+även"
    # a box of other sites: "Useful links", "Collegamenti utili", "Liens utiles", "Weiterführende Links"
    r"|(?:useful|helpful)\s+links|(?:collegamenti|link)\s+utili|liens\s+utiles|enlaces\s+(?:útiles|de\s+interés)"
    r"|links\s+úteis|(?:weiterführende|nützliche)\s+links|nuttige\s+links"
    r"|関連(?:記事|情報|ニュース)?|相[关關](?:新[闻聞]|文章|[链連]接)?"
    r"|관련\s*(?:기사|뉴스|자료)?)\s*[:：]?$"
)


def related_boxes(page_blocks: list[Block]) -> list[etree._Element]:
    """The boxes of other pages under a heading that names them ("Related
    Recalls", then each recall's title linked and its hazard), and their
    heading: the site's ways onward, not the release's text."""
    boxes = []
    for block in page_blocks:
        if str(block.element.tag).lower() not in HEADINGS or len(block.text) > HEADING_LABEL:
            continue
        if _RELATED.match(block.text):
            box = next_box(block.element)
            if box is not None and any(not FILE_LINK.search(link.get("href", "")) for link in LINKS(box)):
                boxes += [whole_box(block.element), box]
    return boxes


def _link_card(block: Block) -> bool:
    """An embedded preview of another site's page (its title, blurb and host
    name, all one link): the page it points to is not the release."""
    if not _ENDS_WITH_HOST.search(block.text):  # most blocks: no walk of the tree
        return False
    outer = next((node for node in block.element.iterancestors() if str(node.tag).lower() == "a"), None)
    links = (
        [outer]
        if outer is not None
        else [link for link in block.element.iter("a") if normalise_text(link.text_content()) == block.text]
    )
    hosts = {urlsplit(link.get("href", "")).hostname or "" for link in links}
    return any(host and block.text.endswith(host.removeprefix("www.")) for host in hosts)


def _labelled_links(block: Block, links: list[etree._Element]) -> bool:
    """A label over links and nothing else: "Read this release in: Urdu,
    हिन्दी, Marathi", "Tags: budget, schools", or over a file: "Available
    as: PDF"."""
    if len(links) == 1 and not FILE_LINK.search(links[0].get("href", "")) and not _over_a_link(block.element):
        return False  # one file will do ("Available as: PDF"), or one link set under its label ("Website:")
    pieces = list(text_pieces(block.element))
    first = next((n for n, (_, linked) in enumerate(pieces) if linked), None)
    if first is None:  # links of images only
        return False
    label = normalise_text("".join(text for text, _ in pieces[:first]))
    between = "".join(text for text, linked in pieces[first:] if not linked)
    # a row of links may have a longer label: "Search for related information by keyword:"
    longest = FILE_LINE if len(links) >= ROW_LINKS else FIELD_LABEL
    return 0 < len(label) <= longest and label.endswith((":", "：")) and not _LIST_MARKS.sub("", between).strip()


def _over_a_link(element: etree._Element) -> bool:
    """A field's label set over a link, a line break between and nothing
    else (<p><strong>Website:</strong><br><a href="…">Port Authority</a></p>,
    St. Louis's events): a field that points to another page."""
    children = [child for child in element if isinstance(child.tag, str)]
    return (
        len(children) == 3
        and str(children[0].tag).lower() in INLINE
        and children[1].tag == "br"
        and children[2].tag == "a"
        and not (element.text or "").strip()
        and not any((child.tail or "").strip() for child in children)
    )


# A collection's page: GOV.UK's /government/collections/…, gob.pe's /colecciones/…
_COLLECTION = re.compile(
    r"(?i)/(?:collections?|colecci[oó]n(?:es)?|cole[cç](?:[aã]o|[oõ]es)|collezion[ei]|sammlung(?:en)?)/"
)


def _filed_in(block: Block, links: list[etree._Element]) -> bool:
    """A line that names the collection the release is filed in, closing
    with the collection's page linked ("Esta publicación pertenece a la
    colección Documentos, mensajes y consejos …"): where the site files
    it, not what it says."""
    if len(links) != 1 or not _COLLECTION.search(links[0].get("href", "")):
        return False
    pieces = list(text_pieces(block.element))
    linked = [n for n, (_, in_link) in enumerate(pieces) if in_link]
    if not linked:  # a link around an image only
        return False
    lead = normalise_text("".join(text for text, _ in pieces[: linked[0]]))
    after = "".join(text for text, _ in pieces[linked[-1] + 1 :])
    return len(lead) <= FILE_LINE and not after.strip(" .)")
