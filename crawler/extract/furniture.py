"""Lines on a release page that belong to the page, not to the release.

Between and around a release's paragraphs boards put lines that no
template place gives away, because their text differs on every page: a
photo's caption and credit, the office a release comes from ("来源：驻印度
使馆", "Com informações do Ministério da Economia"), a field's value beside
its label ("From:" Home Office, 담당부서 홍보과), a file's name and size in a
download box, and the end mark with the press contacts after it.  Each is
told by its form and where it sits, in any language a board writes.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from crawler.extract.pages import CELL_TAGS, Block
from crawler.extract.places import FIELD_LABEL, signature
from storage import normalise_text

# Links to documents, and to the download endpoints boards serve them from.
FILE_LINK = re.compile(
    r"(?i)\.(pdf|hwpx?|docx?|xlsx?|pptx?|od[tsp]|rtf|txt|csv|zip|7z|jpe?g|png|gif|mp[34]|avi|wmv)(?:[?#]|$)"
    r"|download|file_?down|attach|getfile|fileid=|\bdown\.(?:do|php|jsp|asp)\b"
)
FILE_LINE = 60  # a line describing a file is short
CAPTION = 200  # a caption is a line or two
SOURCE_LINE = 120  # a source line names an office, and perhaps a day
_ENDS_WITH_HOST = re.compile(r"[\w-]\.[a-z]{2,}$")
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_FILE_FACTS = re.compile(r"(?i)(?<![\w.])\d+(?:[.,]\d+)?\s?(?:[kmg]i?b|bytes?|[kmg]o)\b")
_NAMES_FILE_TYPE = re.compile(r"(?i)(?<![^\W\d_])\.?(?:pdf|docx?|xlsx?|pptx?|hwpx?|odt|csv|zip)(?![^\W\d_])")
_FILE_TYPE = re.compile(r"(?i)^(?:pdf|html?|csv|docx?|xlsx?|pptx?|odt|ods|hwpx?|zip|rtf|txt)$")
_CREDIT = re.compile(
    r"(?i)^[-–—(\s]*(?:©|photos?|fotos?|foto\s+de|image[sn]?|imagem|ilustra(?:ção|ción|tion)|illustration|credits?|"
    r"crédito|bild|사진|写真|图片|圖片|摄影|攝影)\s*(?:by|de|:|：|/)"
)
_SOURCE = re.compile(
    r"(?i)^[(\s]*(?:sources?|fonte|fuente|quelle|来源|來源|出典|출처|com\s+informações\s+d[aeo]s?|"
    r"con\s+información\s+de|with\s+information\s+from|from)\s*[:：]|"
    r"^[(\s]*(?:com\s+informações\s+d[aeo]s?|con\s+información\s+de|with\s+information\s+from)\b"
)


def furniture(block: Block, chrome: frozenset[str]) -> bool:
    """Is the block one of the page's lines rather than the release's?"""
    return _field_value(block.element, chrome) or _file_furniture(block) or _caption(block) or _link_card(block)


def _link_card(block: Block) -> bool:
    """An embedded preview of another site's page (its title, blurb and host
    name, all one link): the page it points to is not the release."""
    if not _ENDS_WITH_HOST.search(block.text):  # most blocks: no walk of the tree
        return False
    outer = next((node for node in block.element.iterancestors() if str(node.tag).lower() == "a"), None)
    links = [outer] if outer is not None else [
        link for link in block.element.iter("a") if normalise_text(link.text_content()) == block.text]
    hosts = {urlsplit(link.get("href", "")).hostname or "" for link in links}
    return any(host and block.text.endswith(host.removeprefix("www.")) for host in hosts)


def _field_value(element: etree._Element, chrome: frozenset[str]) -> bool:
    """Is the element the value of a label the template knows ("From:" →
    the office, 담당부서 → its name, 조회수 → the count)?  Values differ
    from page to page, so only their label marks them as chrome."""
    tag = str(element.tag).lower()
    if tag not in ("dd", "td"):
        return False
    label = element.getprevious()
    while label is not None and str(label.tag).lower() == tag:  # a <dt> with several <dd>
        label = label.getprevious()
    if label is None or str(label.tag).lower() not in ("dt", "th", "td"):
        return False
    text = normalise_text(label.text_content())
    named = tag == "dd" or label.tag != "td" or text.endswith((":", "："))
    return 0 < len(text) <= FIELD_LABEL and named and signature(label) in chrome


def _file_furniture(block: Block) -> bool:
    """A line that only describes a file the release offers: its type and
    size ("PDF, 436KB, 8 pages"), or its name as a heading over them; the
    file is among the attachments."""
    if len(block.text) <= FILE_LINE and (_FILE_FACTS.search(block.text) or _FILE_TYPE.match(block.text)):
        return True
    if len(block.text) <= FILE_LINE and _NAMES_FILE_TYPE.search(block.text) and any(
            normalise_text(link.text_content()) == block.text for link in block.element.iter("a")
            if FILE_LINK.search(link.get("href", ""))):
        return True  # "Télécharger le .pdf", "Download PDF": the link to a file, named by its type
    following = block.element.getnext()
    return (str(block.element.tag).lower() in _HEADINGS and following is not None
            and bool(_FILE_FACTS.search(normalise_text(following.text_content())[:FILE_LINE])))


def _caption(block: Block) -> bool:
    """A photo's credit ("Foto: …", "사진 …"), or the line set right under a
    picture in a box of its own (<div><img><p>caption</p></div>)."""
    if len(block.text) > CAPTION:
        return False
    if _CREDIT.match(block.text):
        return True
    element = block.element
    before = element.getprevious()
    if before is None or str(before.tag).lower() not in ("img", "picture", "a", "span", "div"):
        return False
    pictured = str(before.tag).lower() in ("img", "picture") or (
        before.find(".//img") is not None and not normalise_text(before.text_content()))
    parent = element.getparent()
    alone = parent is not None and len(parent) <= 3 and not normalise_text(parent.text or "")
    return pictured and alone


def without_source_lines(body: list[str]) -> list[str]:
    """The body without a source line at either end: "来源：驻印度使馆",
    "Com informações do Ministério da Economia"."""
    while body and len(body[0]) <= SOURCE_LINE and _SOURCE.match(body[0]):
        body = body[1:]
    while body and len(body[-1]) <= SOURCE_LINE and _SOURCE.match(body[-1]):
        body = body[:-1]
    return body


def rows_joined(body: list[Block]) -> list[str]:
    """Paragraphs, a table row whose cells each hold one paragraph being one
    ("Phase I From 30/07/2021 Copacabana and Leme"); a layout table's cell
    holding a whole release keeps its paragraphs."""
    cell_of: list[etree._Element | None] = []  # elements themselves, not id()s: lxml's proxies come and go
    for block in body:
        is_cell = str(block.element.tag).lower() in CELL_TAGS
        cell_of.append(block.element if is_cell else next(
            (node for node in block.element.iterancestors() if str(node.tag).lower() in CELL_TAGS), None))
    rows: dict[etree._Element, list[int]] = {}
    for number, cell in enumerate(cell_of):
        if cell is not None and cell.getparent() is not None:
            rows.setdefault(cell.getparent(), []).append(number)
    joined = []
    for number, block in enumerate(body):
        cell = cell_of[number]
        members = rows.get(cell.getparent()) if cell is not None and cell.getparent() is not None else None
        cells = [cell_of[member] for member in members] if members else []
        if not members or len(members) < 2 or len(cells) != len(set(cells)):  # a cell of several paragraphs: layout
            joined.append(block.text)
        elif number == members[0]:
            joined.append(" ".join(body[member].text for member in members))
    return joined


# Press releases end with a mark ("###", "-30-", "ENDS"); what follows it is
# the office's boilerplate, and so is a closing block of press contacts.
_END_MARK = re.compile(r"^(?:#\s*#\s*#|-\s*30\s*-|-?\s*ends?\s*-?(?:\s*/\s*\w+,?\s.{0,30})?)$", re.I)
_SEPARATOR = re.compile(r"^[\s*＊=_~·•◆◇■□-]{3,}$")  # "* * *", a row of asterisks: not a paragraph
_CONTACTS = re.compile(r"^(?:media|press|news)\s+(?:contacts?|inquiries|enquiries)\b.{0,40}$", re.I)
CONTACT_TAIL = 4  # a press-contact heading this close to the end starts the contacts


def without_end_matter(body: list[str]) -> list[str]:
    """The release's paragraphs, without its end mark ("###", "-30-",
    "Ends/Tuesday, December 31, 2019") and what follows, without a closing
    block of press contacts, and without separators."""
    for number, text in enumerate(body):
        if number and _END_MARK.match(text):
            body = body[:number]
            break
    body = [text for text in body if not _SEPARATOR.match(text)]
    for number in range(max(1, len(body) - CONTACT_TAIL), len(body)):
        if _CONTACTS.match(body[number]):
            return body[:number]
    return body
