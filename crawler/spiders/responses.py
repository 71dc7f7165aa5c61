"""What a Scrapy response or a failed request says, as the crawl policy's
plain data (crawler.policy.verdict.FetchedPage) or a message."""

from __future__ import annotations

from urllib.parse import urljoin

import scrapy
from scrapy.http import Headers, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.middlewares import OffBoard
from crawler.policy.verdict import FetchedPage

# Request headers that are nobody's business in a public archive.
PRIVATE = frozenset({b"Cookie", b"Authorization", b"Proxy-Authorization"})


def header_pairs(headers: Headers | None, leave_out: frozenset[bytes] = frozenset()) -> list[tuple[str, str]]:
    """HTTP headers as (name, value) pairs in their order, a pair per value."""
    if headers is None:
        return []
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        if name not in leave_out
        for value in values
    ]


def content_type(response: Response) -> str:
    return (response.headers.get("Content-Type") or b"").decode("latin-1")


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def fetched_page(response: Response) -> FetchedPage:
    """A release page's response as the page verdict takes it."""
    meta = response.meta
    return FetchedPage(
        url=response.url,
        status=response.status,
        body=response.body,
        content_type=content_type(response),
        etag=_header(response, "ETag"),
        last_modified=_header(response, "Last-Modified"),
        text=isinstance(response, TextResponse),
        redirect_urls=meta.get("redirect_urls") or (),
        redirect_reasons=meta.get("redirect_reasons") or (),
        request_headers=header_pairs(response.request.headers if response.request else None, leave_out=PRIVATE),
        response_headers=header_pairs(response.headers),
    )


def next_page_url(response: Response, rule: str | None) -> str | None:
    """Where a list page's "next" link (CSS ``rule``) leads, if it has one."""
    if not rule or not isinstance(response, TextResponse):
        return None
    href = response.css(rule).attrib.get("href")
    return urljoin(response.url, href) if href else None


def describe(failure: Failure) -> str:
    if isinstance(failure.value, HttpError):
        return f"HTTP {failure.value.response.status}"
    if isinstance(failure.value, OffBoard):
        return str(failure.value)
    return f"{type(failure.value).__name__}: {failure.getErrorMessage()}"


def failed_request(failure: Failure) -> scrapy.Request:
    """The request an errback's failure is about (Scrapy sets it)."""
    request: scrapy.Request = failure.request  # type: ignore[attr-defined]
    return request
