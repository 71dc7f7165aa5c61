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

from lxml import etree

from crawler.extract.dates import MONTHS, YEAR, date_label
from crawler.extract.files import file_furniture
from crawler.extract.onward import onward
from crawler.extract.pages import CELL_TAGS, Block, parse_published
from crawler.extract.phones import DIGIT_GROUPS, phone
from crawler.extract.pictures import CAPTION, picture_line
from crawler.extract.places import (
    FIELD_LABEL,
    INLINE,
    previous_sibling,
    siblings,
    signature,
)
from crawler.sites.profile import SiteProfile
from storage import normalise_text

DAY_LINE = 60  # a line that only gives a day is short
_WORDS = re.compile(r"[^\W\d_]+")
_DATE_WORDS = frozenset("de of the st nd rd th er".split())
SOURCE_LINE = 120  # a source line names an office, and perhaps a day
_SOURCE = re.compile(
    r"(?i)^[(\s]*(?:sources?|fonte|fuente|quelle|来源|來源|出典|출처|com\s+informações\s+d[aeo]s?|"
    r"con\s+información\s+de|with\s+information\s+from|from)\s*[:：]|"
    r"^[(\s]*(?:com\s+informações\s+d[aeo]s?|con\s+información\s+de|with\s+information\s+from)\b|"
    # Hong Kong's "The following is issued on behalf of the Hospital Authority:"
    r"^(?:the\s+following\s+is\s+)?issued\s+(?:on\s+behalf\s+of|by)\s[^.]*[:：]$"
)


def furniture(block: Block, chrome: frozenset[str]) -> bool:
    """Is the block one of the page's lines rather than the release's?"""
    return (
        _field_value(block.element, chrome)
        or _new_row_of_known_fields(block.element, chrome)
        or _in_a_field_of_data(block)
        or _set_right(block)
        or file_furniture(block)
        or picture_line(block)
        or onward(block)
        or _office_and_phone(block.text)
        or _in_a_trail(block.element)
    )


def _in_a_trail(element: etree._Element) -> bool:
    """A line of a breadcrumb trail, the current page's unlinked item too
    ("2022-09-06 Erradicación de la delincuencia cibernética"): where the
    page sits in the site, not the release's text."""
    return any(
        "breadcrumb" in f"{node.get('class', '')} {node.get('id', '')} {node.get('aria-label', '')}".lower()
        for node in (element, *element.iterancestors())
    )


# "Market Operations Team(02-759-4564)": an office and its telephone number, the
# release's contact, set under its heading (Bank of Korea) as others set it below.
_OFFICE = re.compile(
    r"(?i)\b(?:team|department|division|office|bureau|unit|section|desk)$|(?:팀|부|과|실|국|課|室|部|局|处|司)$"
)


def _office_and_phone(text: str) -> bool:
    if len(text) > SOURCE_LINE or not phone(text):
        return False
    return bool(_OFFICE.search(DIGIT_GROUPS.sub("", text).strip(" ()（）:：,-")))


def _field_value(element: etree._Element, chrome: frozenset[str]) -> bool:
    """Is the element the value of a label the template knows ("From:" →
    the office, 담당부서 → its name, 조회수 → the count)?  Values differ
    from page to page, so only their label marks them as chrome."""
    tag = str(element.tag).lower()
    if tag not in ("dd", "td"):
        return _labelled_in_its_row(element, chrome)
    label = previous_sibling(element)
    while label is not None and str(label.tag).lower() == tag:  # a <dt> with several <dd>
        label = previous_sibling(label)
    if label is None and tag == "td":
        label = _column_header(element)
    if label is None or str(label.tag).lower() not in ("dt", "th", "td"):
        return False
    text = normalise_text(label.text_content())
    named = tag == "dd" or label.tag != "td" or text.endswith((":", "："))
    return 0 < len(text) <= FIELD_LABEL and named and signature(label) in chrome


def _column_header(cell: etree._Element) -> etree._Element | None:
    """The header over a cell of a table of one row, a table of fields:
    FEMA's <tr><th>Release Date</th><th>Release Number</th></tr> over
    <tr><td>November 20, 2024</td><td>DR-4830 GA NR 053</td></tr>."""
    table = next((node for node in cell.iterancestors() if str(node.tag).lower() == "table"), None)
    if table is None:
        return None
    data, heads = [], []
    for row in table.iter("tr"):  # every cell of a data table asks: stop at its second row of data
        if row.find("td") is not None:
            data.append(row)
            if len(data) > 1:
                return None
        elif row.find("th") is not None:
            heads.append(row)
    if len(data) != 1 or len(heads) != 1 or cell.getparent() is not data[0]:
        return None
    cells = [node for node in data[0] if isinstance(node.tag, str)]
    headers = [node for node in heads[0] if isinstance(node.tag, str)]
    return headers[cells.index(cell)] if len(headers) == len(cells) else None


def _labelled_in_its_row(element: etree._Element, chrome: frozenset[str]) -> bool:
    """A field's value set beside its label in one row the template fills,
    <li><span>Subject</span><div><a>Prevention</a></div></li>: the row is
    chrome, by its label, and the value a short line of its own."""
    label, row = previous_sibling(element), element.getparent()
    return (
        label is not None
        and row is not None
        and str(label.tag).lower() in INLINE
        and 0 < len(normalise_text(label.text_content())) <= FIELD_LABEL
        and len(normalise_text(element.text_content())) <= SOURCE_LINE
        and signature(row) in chrome
    )


def _new_row_of_known_fields(element: etree._Element, chrome: frozenset[str]) -> bool:
    """A field row the template has not seen, among rows it knows: gov.il
    sets a "Secondary subject" row on some releases only, between the
    "Subject" and "Published" rows every release has."""
    row = element if str(element.tag).lower() == "li" else element.getparent()
    if row is None or str(row.tag).lower() != "li" or signature(row) in chrome:
        return False
    others = [node for node in siblings(row) if str(node.tag).lower() == "li"]
    label = next((node for node in row if isinstance(node.tag, str)), None)
    return (
        len(others) >= 2
        and all(signature(node) in chrome for node in others)
        and label is not None
        and str(label.tag).lower() in INLINE
        and 0 < len(normalise_text(label.text_content())) <= FIELD_LABEL
        and len(normalise_text(row.text_content())) <= SOURCE_LINE
    )


_RIGHT = re.compile(r"(?i)text-align\s*:\s*right")


def _set_right(block: Block) -> bool:
    """A short line of a paragraph set flush right that closes the text: a
    signatory's name and post under a release ("(Yogesh Dayal)" / "Chief
    General Manager").  Not a sentence, nor a table's cell (figures are set
    right too), nor a line the text goes on after (a paper's authors under
    its title); footnotes under a rule may follow."""
    element = block.element
    if str(element.tag).lower() not in ("p", "div") or len(block.text) > SOURCE_LINE or _sentence(block.text):
        return False
    if (element.get("align") or "").lower() != "right" and not _RIGHT.search(element.get("style", "")):
        return False
    for sibling in element.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag == "hr":  # the text's end: footnotes follow a rule
            return True
        if len(text := normalise_text(sibling.text_content())) > SOURCE_LINE or _sentence(text):
            return False
    return True


FIELD_DEPTH = 4  # a value sits a few boxes deep in its field (Drupal: items > li > paragraph)


def _a_label(element: etree._Element) -> bool:
    """Does the markup call the element a field's label (Drupal's
    ``field__label``, ``views-label``), not a section's heading?"""
    return any(name == "label" or name.endswith(("__label", "-label")) for name in element.get("class", "").split())


# Drupal's field types whose values are picked from a fixed list: a status
# ("Under assessment"), a category, a contact line the editor selects.
_CHOICES = re.compile(r"^field(?:--|-)type-list-(?:string|text|integer|float|boolean)$")


def _a_choice(element: etree._Element) -> bool:
    """Does the markup call the element a field whose value is chosen from a
    fixed list, never written as the release's text?"""
    return any(_CHOICES.match(name) for name in element.get("class", "").split())


def _in_a_field_of_data(block: Block) -> bool:
    """A label the markup names as one, or a value of a field it labels
    that holds data, not prose: the ACCC register's "Acquirer(s)" over a
    company's name and ABN, "ANZSIC code(s)" over "121 Beverage
    Manufacturing", or a value chosen from a fixed list (a status badge
    "Under assessment").  A field of prose ("Description" over paragraphs, or
    over one sentence in a <p>) is the text."""
    element = block.element
    if len(block.text) > SOURCE_LINE:  # most blocks stop here, cheaply
        return False
    if _a_label(element):
        return len(block.text) <= FIELD_LABEL
    if _a_choice(element):
        return True
    for depth, box in enumerate(element.iterancestors()):
        if depth == FIELD_DEPTH:
            return False
        if _a_choice(box):
            return True
        if any(isinstance(child.tag, str) and _a_label(child) for child in box):
            return not any(_sentence(normalise_text(p.text_content())) for p in box.iter("p")) and all(
                len(normalise_text(value.text_content())) <= SOURCE_LINE for value in _values(box)
            )
    return False


_VALUE_BOXES = ("p", "li", "div", "td", "dd")


def _values(box: etree._Element) -> list[etree._Element]:
    """The innermost boxes in ``box``: its values, one by one."""
    return [
        node for node in box.iterdescendants(*_VALUE_BOXES) if next(node.iterdescendants(*_VALUE_BOXES), None) is None
    ]


def without_source_lines(body: list[str]) -> list[str]:
    """The body without a source line at either end: "来源：驻印度使馆",
    "Com informações do Ministério da Economia", "The following is issued
    on behalf of the Hospital Authority:"."""
    while body and len(body[0]) <= SOURCE_LINE and _SOURCE.match(body[0]):
        body = body[1:]
    while body and len(body[-1]) <= SOURCE_LINE and _SOURCE.match(body[-1]):
        body = body[:-1]
    return body


def without_date_lines(body: list[str], profile: SiteProfile) -> list[str]:
    """The body without a line at either end that only gives a day, perhaps
    with a place or a label: "December 6, 2021, Minsk", "Newsdate: 25 May
    2022" close a release as its date line, not as its text."""
    while body and (_only_a_day(body[-1], profile) or _a_stamp(body[-1])):
        body = body[:-1]
    while body and (_only_a_day(body[0], profile) or _a_stamp(body[0]) or _DOCUMENT_TYPE.match(body[0])):
        body = body[1:]
    return body


# Words a publication or update stamp may hold besides its label and its day:
# "This page was last modified on 12 March 2024, at 10:15."
_STAMP_WORDS = frozenset(
    "this page content article event post item was has been last date on at am pm a m p utc gmt "
    "monday tuesday wednesday thursday friday saturday sunday 年 月 日 時 时 分".split()
)


def _a_stamp(text: str) -> bool:
    """A line that only stamps the page with its day and perhaps a time,
    however many words its label takes ("Page last updated: 12/05/2024").
    The site rewrites it whenever it touches the page, the release unchanged."""
    if len(text) > DAY_LINE or date_label(text) is None or len(YEAR.findall(text)) != 1:
        return False
    words = [word for word in _WORDS.findall(text) if date_label(word) is None]
    return all(word.lower() in MONTHS or word.lower() in _DATE_WORDS or word.lower() in _STAMP_WORDS for word in words)


# A label naming what kind of document the page is, over its day ("Media
# Release / 9 December 2020"): the page's, not the release's text.
_DOCUMENT_TYPE = re.compile(
    r"^(?:(?:joint\s+)?(?:media|press|news)\s+(?:release|statement|advisory)|communiqu[ée] de presse"
    r"|for\s+immediate\s+release|(?:opening\s+)?statement|speech|remarks|testimony"
    r"|comunicado(?: de imprensa| de prensa)?|pressemitteilung|pressmeddelande|보도자료|報道発表(?:資料)?|新闻稿)$",
    re.I,
)


# "8:00 AM - 9:00 AM", "18.00–20.00 Uhr": a span of hours is an event's, when it takes place.
_HOURS_SPAN = re.compile(r"(?i)\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?\s?m\.?)?\s*[-–]\s*\d{1,2}[:.]\d{2}\b")


def _only_a_day(text: str, profile: SiteProfile) -> bool:
    """A line that only dates the page; a meeting's day and hours are the notice's."""
    if len(text) > DAY_LINE or not parse_published(text, profile) or _HOURS_SPAN.search(text):
        return False
    words = [word for word in _WORDS.findall(text) if word.lower() not in MONTHS and word.lower() not in _DATE_WORDS]
    return len(words) <= 2 and len(YEAR.findall(text)) == 1


def rows_joined(body: list[Block]) -> list[str]:
    """Paragraphs, a table row whose cells each hold one paragraph being one
    ("Phase I From 30/07/2021 Copacabana and Leme"); a layout table's cell
    holding a whole release keeps its paragraphs."""
    cell_of: list[etree._Element | None] = []  # elements themselves, not id()s: lxml's proxies come and go
    for block in body:
        is_cell = str(block.element.tag).lower() in CELL_TAGS
        cell_of.append(
            block.element
            if is_cell
            else next((node for node in block.element.iterancestors() if str(node.tag).lower() in CELL_TAGS), None)
        )
    rows: dict[etree._Element, list[int]] = {}
    for number, cell in enumerate(cell_of):
        if cell is not None and cell.getparent() is not None:
            rows.setdefault(cell.getparent(), []).append(number)
    joined = []
    for number, block in enumerate(body):
        cell = cell_of[number]
        members = rows.get(cell.getparent()) if cell is not None and cell.getparent() is not None else None
        cells = [cell_of[member] for member in members] if members else []
        if (
            not members
            or len(distinct := set(cells)) < 2
            or (len(cells) != len(distinct) and _layout(members, body, len(distinct)))
        ):
            joined.append(block.text)
        elif number == members[0]:
            joined.append(" ".join(body[member].text for member in members))
    return joined


def _layout(members: list[int], body: list[Block], cells: int) -> bool:
    """Is a row whose cells hold several paragraphs the page's layout (a
    cell holding a whole release) rather than data ("Number of permits
    issued" over "(Jan 11 - midday today)": a few short lines a cell)?"""
    return len(members) > DATA_CELL_LINES * cells or any(
        len(body[member].text) > CAPTION or _sentence(body[member].text) for member in members
    )


def _sentence(text: str) -> bool:
    """A sentence of the release's text, not a street line ("310 McKinzie St. S.")."""
    return text.endswith(SENTENCE_ENDS) and (len(text.split()) >= SENTENCE_WORDS or not text.isascii())


DATA_CELL_LINES = 3
SENTENCE_WORDS = 5
SENTENCE_ENDS = (".", "!", "?", "。")  # a sentence: text, not a datum or an address line
