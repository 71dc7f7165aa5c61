"""A release's files: the links to them, and the lines and boxes that
present them (a file's name, type and size, a box of downloads), which are
about the attachments rather than the release's text."""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract.pages import HEADINGS, Block
from crawler.extract.places import INLINE, LINKS, next_box, text_pieces, within
from storage import normalise_text

# Links to documents, and to the download endpoints boards serve them from.
FILE_LINK = re.compile(
    r"(?i)\.(pdf|hwpx?|docx?|xlsx?|pptx?|od[tsp]|rtf|txt|csv|zip|7z|jpe?g|png|gif|mp[34]|avi|wmv)(?:[?#]|$)"
    r"|download|file_?down|attach|getfile|fileid=|\bdown\.(?:do|php|jsp|asp)\b"
    # a handler that hands out documents: getDocumento.ashx?idDocumento=3353-B, GetDocument.aspx?id=12
    r"|get_?doc(?:ument[oi]?)?\b|\.ashx\?"
    # a document store's opaque key: /SearchPredefinedApi/Documents/AFF+CZRm…QhE=, not /documents/annual-report
    r"|/documents?/(?=[^/?#]*\d)(?=[^/?#]*(?-i:[A-Z]))[\w+=%~]{16,}(?:[?#]|$)"
    # a file shared from a cloud drive: drive.google.com/file/d/1LGW…/view, dropbox.com/s/…
    r"|//(?:drive|docs)\.google\.com/(?:file|document|spreadsheets|presentation)/d/|//drive\.google\.com/open\?id="
    r"|//(?:www\.)?dropbox\.com/s(?:cl/fi)?/|//1drv\.ms/"
)
FILE_LINE = 60  # a line describing a file is short
FILE_CARD = 800  # a file's box: its name, type and size, and a notice
_FILE_FACTS = re.compile(r"(?i)(?<![\w.])\d+(?:[.,]\d+)?\s?(?:[kmg]i?b|bytes?|[kmg]o)\b")
_DOCUMENT_TYPES = r"(?:pdf|docx?|xlsx?|pptx?|hwpx?|odt|csv|zip)"
_FILE_NAME = re.compile(rf"(?i)\.{_DOCUMENT_TYPES}$")  # a line that is a file's name
_NAMES_FILE_TYPE = re.compile(rf"(?i)(?<![^\W\d_])\.?{_DOCUMENT_TYPES}(?![^\W\d_])")
_FILE_TYPE = re.compile(r"(?i)^(?:pdf|html?|csv|docx?|xlsx?|pptx?|odt|ods|hwpx?|zip|rtf|txt)$")
# A line that only asks the reader to download the file its link gives: "To
# download the press release, click here", "Click here to download".  One
# that names a document to read ("To read the lawsuit, click here.") is the
# release's own sentence about its exhibit.
_FETCH_IT = re.compile(
    r"(?i)^(?:(?:to|please)\s+)?download\b.{0,40}[,:]?\s*(?:please\s+)?click\s+here\W*$"
    r"|^(?:please\s+)?click\s+here\s+to\s+download\b.{0,40}$"
)


def file_cards(page_blocks: list[Block]) -> list[etree._Element]:
    """The boxes that present one file: its name as a link, a line of its
    type and size, and whatever notice goes with it ("This file may not be
    suitable for users of assistive technology", "Request an accessible
    format").  Everything in them is about the file, which is an attachment."""
    cards = []
    for block in page_blocks:
        if len(block.text) > FILE_LINE or not _FILE_FACTS.search(block.text):
            continue
        card = block.element.getparent()
        if card is None or len(normalise_text(card.text_content())) > FILE_CARD:
            continue
        links = [link for link in card.iter("a") if FILE_LINK.search(link.get("href", ""))]
        named = [link for link in links if not within(link, block.element) and _alone(link)]
        if len({link.get("href") for link in links}) == 1 and named:
            cards.append(card)
    return cards


def typed_file_links(page_blocks: list[Block]) -> list[etree._Element]:
    """Links to a document that a box presents by its name and a line of
    its type alone ("HTML", "PDF"), whatever the link's address: GOV.UK
    offers a publication's HTML version at a page address, in the same
    box as its PDFs."""
    found = []
    for block in page_blocks:
        if len(block.text) > FILE_LINE or not _FILE_TYPE.match(block.text):
            continue
        card = block.element.getparent()
        for _ in range(2):  # the type's line, beside the name's, in the card or in a box within it
            if card is None or len(normalise_text(card.text_content())) > FILE_CARD:
                break
            links = LINKS(card)
            named = [link for link in links if not within(link, block.element) and _alone(link)]
            if named and len({link.get("href") for link in links}) == 1:
                found += links
                break
            card = card.getparent()
    return found


def file_boxes(page_blocks: list[Block]) -> list[etree._Element]:
    """The boxes of files under a heading of their own ("Documents", then a
    table of the reports' covers and names): links to files and nothing else
    to read.  The files are attachments; their names are not the text."""
    boxes = []
    for block in page_blocks:
        if str(block.element.tag).lower() in HEADINGS:
            box = next_box(block.element)
            if box is not None and _only_files(box):
                boxes.append(box)
    return boxes


def file_furniture(block: Block) -> bool:
    """A line that only describes a file the release offers: its type and
    size ("PDF, 436KB, 8 pages"), or its name as a heading over them, or
    that only asks the reader to fetch it ("To download the press release,
    click here"); the file is among the attachments."""
    if len(block.text) <= FILE_LINE and (_FILE_FACTS.search(block.text) or _FILE_TYPE.match(block.text)):
        return True
    if (
        (len(block.text) <= FILE_LINE or _FILE_NAME.search(block.text))
        and _NAMES_FILE_TYPE.search(block.text)
        and any(
            normalise_text(link.text_content()) == block.text
            for link in block.element.iter("a")
            if FILE_LINK.search(link.get("href", ""))
        )
    ):
        return True  # "Télécharger le .pdf", "Download PDF", "(Note 2025-01) Title.pdf": the link to a file
    if (
        len(block.text) <= FILE_LINE
        and _FETCH_IT.match(block.text)
        and any(FILE_LINK.search(link.get("href", "")) for link in block.element.iter("a"))
    ):
        return True
    if _in_file_link(block.element):
        return True
    if str(block.element.tag).lower() not in HEADINGS:
        return False
    following = next_box(block.element)
    return following is not None and (
        bool(_FILE_FACTS.search(normalise_text(following.text_content())[:FILE_LINE])) or _only_files(following)
    )


def _alone(link: etree._Element) -> bool:
    """Is the link a line of its own (a file's name as its heading), not a
    word of a sentence?"""
    line = link.getparent()
    while line is not None and str(line.tag).lower() in INLINE:
        line = line.getparent()
    name = normalise_text(link.text_content())
    return bool(name) and line is not None and normalise_text(line.text_content()) == name


def _in_file_link(element: etree._Element) -> bool:
    """Is the line inside a link to a file (a card whose whole face is the
    link: the file's name, type and size)?  A sentence holds its links; only
    a file's card is held by one."""
    return any(
        str(node.tag).lower() == "a" and FILE_LINK.search(node.get("href", "")) for node in element.iterancestors()
    )


# What a file's card asks besides its name: "Scarica il PDF", "Download the file", "Télécharger".
_GET_IT = re.compile(
    r"(?i)\b(?:download|scarica(?:re)?|t[ée]l[ée]charger|herunterladen|descargar|baixar|ladda\s+ner|pobierz"
    r"|downloaden|last\s+ned|hent|lataa|stáhnout)\b(?:\s+(?:the|il|le|la|das|den|el|o|a|het))?"
    r"(?:\s+(?:file|document|documento|fichier|datei|dokument|archivo|bestand))?"
)


def _only_files(box: etree._Element) -> bool:
    """Does the box hold links to files and nothing else to read (a "Files
    to download" box: each file's name, perhaps its type and size, and the
    card's call to fetch it)?"""
    links = [link for link in LINKS(box) if FILE_LINK.search(link.get("href", ""))]
    if not links:
        return False
    # each card's line apart: "Scarica PDF" then "Scarica il PDF", not "PDFScarica"
    rest = " ".join(text for text, linked in text_pieces(box) if not linked)
    rest = _GET_IT.sub("", _FILE_FACTS.sub("", normalise_text(rest)))
    return not _NAMES_FILE_TYPE.sub("", rest).strip(" ,;:()[]|·-")
