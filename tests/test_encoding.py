"""Decoding pages whose charset declarations cannot be trusted."""

import codecs

import pytest

from crawler.extract.encoding import DecodeError, decode_page, looks_like_html, looks_truncated

KOREAN = "<html><head>{meta}</head><body><p>외교부 보도자료: 조회수</p></body></html>"


@pytest.mark.parametrize(
    "encoding, content_type, meta, expected",
    [
        ("utf-8", "text/html; charset=utf-8", "", "utf-8"),
        ("cp949", "text/html; charset=euc-kr", "", "cp949"),
        ("cp949", "text/html; charset=utf-8", "<meta charset='euc-kr'>", "cp949"),  # header lies
        ("cp949", "text/html", "", "cp949"),  # nothing declared
        ("utf-8", "text/html; charset=euc-kr", "<meta charset='euc-kr'>", "utf-8"),  # stale labels
    ],
)
def test_decodes_with_the_charset_that_fits(encoding, content_type, meta, expected):
    page = KOREAN.format(meta=meta)
    text, used = decode_page(page.encode(encoding), content_type)
    assert text == page and used == expected


def test_utf8_bom_is_stripped():
    text, used = decode_page(codecs.BOM_UTF8 + "<p>é</p>".encode(), "text/html; charset=iso-8859-1")
    assert (text, used) == ("<p>é</p>", "utf-8")


def test_profile_encoding_comes_first():
    page = "<p>café</p>".encode("latin-1")
    assert decode_page(page, "text/html; charset=utf-8", "latin-1") == ("<p>café</p>", "iso8859-1")


def test_undecodable_bytes_are_an_error():
    with pytest.raises(DecodeError, match="cannot decode the page as utf-8 or cp949"):
        decode_page("<p>외교부</p>".encode("cp949") + b"\x80\xff", "text/html")


@pytest.mark.parametrize(
    "body, html",
    [
        (b"%PDF-1.4\n%\xe2\xe3", False),
        (b"\x89PNG\r\n\x1a\n", False),
        (b"\x00\x01\x02\x03" * 100, False),
        (b"<html><body><p>a\x00b</p></body></html>", True),  # a stray NUL is still a page
        (b"  <!DOCTYPE html><html>", True),
    ],
)
def test_binary_bodies_are_not_pages(body, html):
    assert looks_like_html(body) is html


def test_truncated_pages_are_noticed():
    assert looks_truncated(b"<html><body><p>half a rel")
    assert not looks_truncated(b"<html><body><p>whole</p></body></html>\n")
    assert not looks_truncated(b"<HTML><BODY>x</BODY>")
