"""Pages into lxml trees, whatever state they arrive in.

Broken pages carry control characters and lone surrogates that would crash
lxml half-way through; parsel's path cleans them.  Most pages have none,
and page_root hands those to lxml directly, at half the cost.
"""

from __future__ import annotations

import re
import threading

import lxml.html
from lxml import etree
from parsel import Selector

# Characters lxml refuses in text it is asked to move (drop_tree): none of
# them is ever meant to be read.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def page_selector(html: str) -> Selector:
    """Parse a page, without the control characters and lone surrogates of
    broken pages, which would otherwise crash lxml half-way through."""
    return Selector(text=_NOT_XML.sub("", html))


_CONTROL_BYTES = bytes(sorted(set(range(32)) - {9, 10, 13}))
# Bytes that may belong to a character _NOT_XML removes: the control bytes,
# and 0xEF, which leads U+FFFE and U+FFFF in UTF-8 (and every character
# from U+F000 on, which the exact check then clears).  One table lookup a
# byte marks them 0, and a clean page has no 0 to find: a third of the cost
# of deleting the control bytes to count them and searching for both
# non-characters (make bench's 25 KB pages, 52 -> 15 us).
_SUSPECT = bytes(0 if byte in _CONTROL_BYTES or byte == 0xEF else 1 for byte in range(256))
_XML_DECLARATION = re.compile(r"[\s\ufeff]*<\?xml\s")  # as parsel tells XML from HTML
_parsers = threading.local()


def page_root(html: str, utf8: bytes | None = None) -> etree._Element:
    """``page_selector(html).root``, the same tree, at half the cost for the
    usual page: an HTML document with nothing to clean is handed to lxml as
    parsel would hand it, without the regex over the whole page (0.1 ms on
    25 KB) and parsel's detours (is it JSON? XML?).  Anything else takes
    page_selector's path.

    ``utf8`` is the page as received when ``html`` is those bytes decoded as
    UTF-8 (no BOM): parsed as they are, they spare encoding the text again."""
    data = _as_received(utf8) if utf8 is not None else None
    if data is None:
        text = html.strip()
        if not text.startswith("<") or _XML_DECLARATION.match(text):
            return _cleaned_page(html)
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates
            return _cleaned_page(html)
    # In UTF-8, a character _NOT_XML removes shows as a control byte or
    # as U+FFFE / U+FFFF; lone surrogates cannot be encoded at all.
    if 0 not in data.translate(_SUSPECT) or (
        len(data.translate(None, _CONTROL_BYTES)) == len(data)
        and b"\xef\xbf\xbe" not in data
        and b"\xef\xbf\xbf" not in data
    ):
        parser = getattr(_parsers, "html", None)
        if parser is None:  # lxml parsers may be reused, but by one thread at a time
            # No table of ids (collect_ids): selectors match @id, and building it cost 5% of the parse.
            parser = _parsers.html = lxml.html.HTMLParser(
                recover=True,
                encoding="utf-8",
                huge_tree=True,
                collect_ids=False,
            )
        root = etree.fromstring(data, parser=parser)
        return _page(root) if root is not None else etree.fromstring(b"<html/>", parser=parser)
    return _cleaned_page(html)


def _cleaned_page(html: str) -> etree._Element:
    """page_selector's tree, and of two documents the one with the page, on
    every path (a byte-order mark before a stray document took another)."""
    root = page_selector(html).root
    return _page(root) if isinstance(root, etree._Element) else root


def _page(root: etree._Element) -> etree._Element:
    """The document that holds the page: a server that writes a stray
    document before the page (an ASP include's <html>…</html>) leaves lxml
    two roots side by side, the first with no body."""
    if root.getnext() is None or root.find("body") is not None:
        return root
    found = root
    while (found := found.getnext()) is not None:
        if isinstance(found.tag, str) and found.tag == "html" and found.find("body") is not None:
            return found
    return root


def _as_received(utf8: bytes) -> bytes | None:
    """The page's bytes exactly as ``html.strip().encode()`` would give them,
    when that is plain to see: stripped of ASCII whitespace, they begin with
    "<" and end with ">", so Unicode's other spaces cannot be at either end;
    an XML declaration is left to the text's check."""
    data = utf8.strip()
    if data.startswith(b"<") and data.endswith(b">") and not data.startswith(b"<?xml"):
        return data
    return None
