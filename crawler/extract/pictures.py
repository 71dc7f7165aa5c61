"""The lines about a picture rather than the release: its credit, its
caption, the line that announces it, the label over a box of pictures."""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract.pages import Block
from crawler.extract.places import next_sibling, previous_sibling
from storage import normalise_text

CAPTION = 200  # a caption is a line or two
BOXED_CAPTION = 300  # in a box with its picture and nothing else, a few lines
HEADING_LABEL = 40  # a box's heading, or the label over its pictures ("Product Labels"), is short
_SENTENCE_ENDS = tuple(".!?。:：")
_CREDIT = re.compile(
    r"(?i)^[-–—(\s]*(?:©|photos?|fotos?|foto\s+de|image[sn]?|imagem|ilustra(?:ção|ción|tion)|illustration|credits?|"
    r"crédito|bild|사진|写真|图片|圖片|摄影|攝影)\s*(?:by|de|:|：|/)"
)


def picture_line(block: Block) -> bool:
    """A photo's credit ("Foto: …", "사진 …"), the line set right under a
    picture in a box of its own (<div><img><p>caption</p></div>), or the
    line that announces the picture below it ("Booking photo of …:"), or
    the label over the pictures that close its box ("Product Labels", then
    the labels' photos and nothing more to read), or a line of a picture's
    box set beside the text."""
    if len(block.text) > BOXED_CAPTION:
        return False
    element = block.element
    # of a paragraph's lines (<br>s apart), only its last stands over the picture below it, and only
    # a paragraph that is all label labels the pictures: a contact's lines over a closing logo are not
    if len(block.text) <= CAPTION and (
        _CREDIT.match(block.text)
        or (
            block.text.endswith((":", "："))
            and _picture_alone(next_sibling(element))
            and normalise_text(element.text_content()).endswith(block.text)
        )
    ):
        return True
    if (
        len(block.text) <= HEADING_LABEL
        and not block.text.endswith(_SENTENCE_ENDS)
        and _pictures_close(element)
        and normalise_text(element.text_content()) == block.text
    ):
        return True
    if _a_pictured_paragraph(element) or _in_a_picture_aside(element):
        return True
    before = previous_sibling(element)
    if before is None or str(before.tag).lower() not in ("img", "picture", "a", "span", "div"):
        return False
    pictured = str(before.tag).lower() in ("img", "picture") or (
        before.find(".//img") is not None and not normalise_text(before.text_content())
    )
    parent = element.getparent()
    alone = parent is not None and len(parent) <= 3 and not normalise_text(parent.text or "")
    return pictured and alone


# A box set beside the text: Bootstrap's pull-right, WordPress's alignright, a float.
_ASIDE = re.compile(r"(?i)(?:^|\s)(?:pull|float|align)-?(?:right|left)(?:\s|$)")
_FLOATED = re.compile(r"(?i)float\s*:\s*(?:right|left)")
ASIDE_LEVELS = 3  # a line sits this close under its box
PICTURE_ASIDE = 400  # characters: a picture's caption lines and its links, not a fact box


def _in_a_picture_aside(element: etree._Element) -> bool:
    """Is the element a line of a box set beside the text that holds a
    picture and a few short lines: an infographic with its caption and a
    link to the whole of it (the CDC's <div class="span8 pull-right">)?"""
    for depth, box in enumerate(element.iterancestors()):
        if depth == ASIDE_LEVELS:
            return False
        if _ASIDE.search(box.get("class", "")) or _FLOATED.search(box.get("style", "")):
            return len(normalise_text(box.text_content())) <= PICTURE_ASIDE and any(
                _a_picture(image) for image in box.iter("img")
            )
    return False


_FIGURE = re.compile(
    r"(?i)^(?:chart|figure|fig\.|graph|exhibit|abbildung|grafik|graphique|gr[áa]fico|figura|図|그림|图|圖)\s*\d"
)
CHART_CAPTION = 80  # a chart's number and name, not a line of the text
ICON = 50  # pixels: an image this small beside words is an icon, not a picture


def _a_pictured_paragraph(element: etree._Element) -> bool:
    """Is the element a paragraph of a caption's words, no sentence, that
    holds a picture or sits over one: a chart's number and name
    (<p><strong>Chart 1<br>S$ Nominal Effective Exchange Rate<br><img>, or
    the picture in the next paragraph)?"""
    if str(element.tag).lower() != "p":
        return False
    text = normalise_text(element.text_content())
    if len(text) > CHART_CAPTION or text.endswith(_SENTENCE_ENDS + ("！", "？")) or "、" in text or "，" in text:
        return False
    if any(_a_picture(image) for image in element.iter("img")):
        return True
    if not _FIGURE.match(text):  # over a picture, a line that numbers it; any other may head the text's next part
        return False
    below = next((node for node in element.itersiblings() if _something(node)), None)
    return below is not None and _picture_alone(below) and any(_a_picture(image) for image in below.iter("img"))


def _something(node: etree._Element) -> bool:
    """Does the node show anything: words or a picture (not an empty <p>)?"""
    return isinstance(node.tag, str) and (bool(normalise_text(node.text_content())) or node.find(".//img") is not None)


def _a_picture(image: etree._Element) -> bool:
    sizes = [image.get(name, "").removesuffix("px") for name in ("width", "height")]
    return not any(size.isdigit() and int(size) < ICON for size in sizes)


def _picture_alone(element: etree._Element | None) -> bool:
    """Is the element a picture and nothing to read (<p><strong><img></strong></p>)?"""
    if element is None:
        return False
    pictured = str(element.tag).lower() in ("img", "picture") or element.find(".//img") is not None
    return pictured and not normalise_text(element.text_content())


def _pictures_close(element: etree._Element) -> bool:
    """Is all that follows the element in its box pictures, and nothing to
    read?  Read up to the first text only: most short lines have one soon."""
    if normalise_text(element.tail or ""):
        return False
    pictured = False
    for sibling in element.itersiblings():
        if normalise_text(sibling.tail or ""):
            return False
        if not isinstance(sibling.tag, str):  # a comment says nothing
            continue
        if normalise_text(sibling.text_content()):
            return False
        pictured = pictured or _picture_alone(sibling)
    return pictured
