"""CSS selectors on a parsed page: each compiled once, and many run in
one walk of the page.  Profiles give their selectors as data; this is how
they are applied, the same for every site."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from parsel.csstranslator import HTMLTranslator


@lru_cache(maxsize=256)
def _compiled(css: str) -> etree.XPath:
    return etree.XPath(HTMLTranslator().css_to_xpath(css))


@lru_cache(maxsize=64)
def compiled_xpath(xpath: str) -> etree.XPath:
    return etree.XPath(xpath)


def select(element: etree._Element, css: str) -> list[etree._Element]:
    """Elements matching a CSS selector, compiled once per selector: profiles
    reuse a handful of selectors on every page."""
    return list(_compiled(css)(element))


# "[tag].class rest": a selector that starts with a class, and whose rest (if
# any) is a plain descendant selector.
_LEADING_CLASS = re.compile(r"^([a-zA-Z][\w-]*)?\.([\w-]+)(?:\s+([^\s>+~,][^,]*))?$")
_XPATH_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() collapses


@dataclass(frozen=True)
class _Anchored:
    tag: str | None
    name: str  # the leading class
    rest: etree.XPath | None  # evaluated under each element with that class


@dataclass(frozen=True)
class _Plan:
    anchors: etree.XPath | None  # every class attribute of the page (None: no selector starts with a class)
    names: tuple[str, ...]  # the leading classes
    anchored: dict[str, _Anchored]
    whole: tuple[str, ...]  # selectors of any other shape: walked on their own


@lru_cache(maxsize=64)
def _plan(selectors: tuple[str, ...]) -> _Plan:
    anchored, whole = {}, []
    for css in selectors:
        _compiled(css)  # a selector that is not CSS fails here as it would alone
        match = _LEADING_CLASS.match(css.strip())
        if not match:
            whole.append(css)
            continue
        tag, name, rest = match.groups()
        relative = etree.XPath(HTMLTranslator().css_to_xpath(rest, prefix="descendant::")) if rest else None
        anchored[css] = _Anchored(tag.lower() if tag else None, name, relative)
    names = tuple(sorted({a.name for a in anchored.values()}))
    return _Plan(_CLASS_ATTRIBUTES if names else None, names, anchored, tuple(whole))


# The page's class attributes, each knowing its element: select_all keeps
# those that hold a leading class.  Testing the names in Python costs less
# than libxml2's contains() on every element (0.07 against 0.11 ms on make
# bench's release pages; 0.19 against 0.23 on the corpus's real pages).
_CLASS_ATTRIBUTES = etree.XPath("descendant-or-self::*/@class")


def select_all(page: etree._Element, selectors: Iterable[str]) -> dict[str, list[etree._Element]]:
    """What each CSS selector matches in ``page``, as ``select`` would find it,
    in one walk of the page for all selectors that start with a class.

    Each selector walks the whole page (0.12 ms on a 25 KB release page), and
    profiles anchor theirs on a container class (".board_detail h2"): one walk
    finds the containers, the rest is looked up inside them.
    """
    plan = _plan(tuple(dict.fromkeys(selectors)))
    found = {css: select(page, css) for css in plan.whole}
    if plan.anchors is None:
        return found
    # A cheap superset first (the name anywhere in the attribute); the loop
    # below keeps the elements that carry it as a whole word.
    classed = [
        (value.getparent(), _XPATH_SPACE.split(value.strip()))
        for value in plan.anchors(page)
        if any(name in value for name in plan.names)
    ]
    for css, anchored in plan.anchored.items():
        mine = [
            element
            for element, names in classed
            if anchored.name in names and (anchored.tag is None or element.tag == anchored.tag)
        ]
        if anchored.rest is None:
            found[css] = mine
        elif len(mine) == 1:
            found[css] = list(anchored.rest(mine[0]))
        else:  # containers may nest: only a whole walk keeps document order without repeats
            found[css] = select(page, css)
    return found
