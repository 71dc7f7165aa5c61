"""What a reader of a page is not shown or does not read as text: scripts,
forms that ask for input, embedded posts, hidden elements, links that move
the reader about the page.  Every generic reading starts from the page
without them."""

from __future__ import annotations

from lxml import etree

from crawler.extract.pages import BLOCK_TAGS, CELL_TAGS, select
from crawler.extract.places import IN_PAGE_LINKS, hidden, page_navigation

# figcaption: an image's caption and credit ("© Tapui / Adobe Stock") are not the release's text
NOISE_TAGS = ("form", "script", "style", "noscript", "template", "svg", "select", "button", "figcaption")
# A post embedded from a social network is that network's, quoted: not the release's text.
EMBEDS = ("blockquote.twitter-tweet", "blockquote.instagram-media", "blockquote.tiktok-embed", "div.fb-post")
_PLACES = BLOCK_TAGS | CELL_TAGS
# Elements that may be hidden from readers (places.hidden decides), found in C.
_MAYBE_HIDDEN = etree.XPath(
    ".//*[@hidden or @aria-hidden='true' or self::dialog[not(@open)] "
    "or contains(@style, 'none') or contains(@style, 'hidden') "
    "or contains(@class, 'hid') or contains(@class, 'sr-only') or contains(@class, 'screen-reader') "
    "or contains(@class, 'invisible')]"
)
# A label only screen readers are shown (<dt class="sr-only">구분</dt>) still
# says that the value beside it is a field's, not the release's text.
_LABELS = ("dt", "th")
# Fields a reader fills in or picks from; hidden state and buttons are not.
_FIELDS = etree.XPath(".//input|.//textarea|.//select")
_NOT_FIELDS = frozenset({"hidden", "submit", "button", "image", "reset"})


def _asks_for_input(form: etree._Element) -> bool:
    return any(
        field.tag != "input" or (field.get("type") or "text").lower() not in _NOT_FIELDS for field in _FIELDS(form)
    )


def without_noise(root: etree._Element, drop: tuple[str, ...] = ()) -> etree._Element:
    """The page's <body>, without scripts, forms and the profile's drop list.

    A form that holds most of the page stays: ASP.NET WebForms sites wrap
    the whole page, release included, in one <form>.  So does a form with
    nothing to fill in: boards built on Korea's eGovFrame wrap the release's
    view in <form id="board"> for its hidden state; a search box, a
    newsletter sign-up or a comment form asks for input."""
    found = root.find(".//body")
    body = found if found is not None else root
    page_text = 0
    for selector in (*NOISE_TAGS, *EMBEDS, *drop):
        for element in select(root, selector):
            if element.tag == "form":
                page_text = page_text or len(body.text_content())  # only pages with forms pay for it
                if len(element.text_content()) > page_text / 2 or not _asks_for_input(element):
                    continue
            element.drop_tree()
    drop_hidden(_MAYBE_HIDDEN(body), _LABELS)  # descendants of <body>: never the body itself
    for link in reversed(IN_PAGE_LINKS(body)):  # from the end: a run of such links goes whole
        if page_navigation(link, _PLACES):
            link.drop_tree()
    return body


TEASER = 40  # the shortest cut a "read more" teaser is known by


def drop_hidden(elements: list[etree._Element], keep: tuple[str, ...]) -> None:
    """Drop what a reader is not shown, of ``elements`` but tags in ``keep``.
    A hidden text a visible teaser cuts short replaces the teaser, and a
    hidden footnote a script gathers into a group further down is moved
    there: the reader sees each at that place."""
    for element in elements:
        if not hidden(element) or element.tag in keep:
            continue
        if (place := _footnote_place(element)) is not None:
            _show_in(place, element)
            continue
        teaser = teaser_of(element)  # a text cut short beside it in full: the cut goes
        (element if teaser is None else teaser).drop_tree()


_FOLLOWING = etree.XPath("following::*")


def _footnote_place(note: etree._Element) -> etree._Element | None:
    """The group further down that a hidden footnote is shown in
    (<mas-footnote group="1"> into <mas-footnote-group name="1">), or None."""
    if not _names_a_footnote(note):
        return None
    for later in _FOLLOWING(note):
        if _names_a_footnote(later) and "group" in f"{later.tag} {later.get('class', '')}".lower():
            if note.get("group") in (None, later.get("name")):
                return later
    return None


def _names_a_footnote(element: etree._Element) -> bool:
    return "footnote" in f"{element.tag} {element.get('class', '')}".lower()


def _show_in(place: etree._Element, note: etree._Element) -> None:
    """Move the note, shown, to the end of ``place``: its text stays where
    it stood, and notes in one place are lines apart."""
    tail, note.tail = note.tail, None
    previous, parent = note.getprevious(), note.getparent()
    if previous is not None:
        previous.tail = (previous.tail or "") + (tail or "")
    elif parent is not None:
        parent.text = (parent.text or "") + (tail or "")
    for attribute in ("style", "hidden", "aria-hidden"):
        note.attrib.pop(attribute, None)
    if len(place):
        place.append(etree.Element("br"))
    place.append(note)


def teaser_of(element: etree._Element) -> etree._Element | None:
    """The visible teaser beside a hidden element that holds the same text
    in full ("… being Lot 1 on plan of" over the whole description behind
    a "read more" toggle), or None: then the full text is the page's."""
    full = " ".join(element.text_content().split())
    for sibling in (element.getprevious(), element.getnext()):
        if sibling is None or not isinstance(sibling.tag, str) or hidden(sibling):
            continue
        cut = " ".join(sibling.text_content().split()).rstrip(" .…")
        if len(cut) >= TEASER and len(full) > len(cut) and full.startswith(cut):
            return sibling
    return None
