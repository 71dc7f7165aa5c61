"""What a response or a failed request says, in the terms a walk needs."""

from __future__ import annotations

import scrapy
from scrapy.http import Headers, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

# Request headers that are nobody's business in a public archive.
PRIVATE = frozenset({b"Cookie", b"Authorization", b"Proxy-Authorization"})


def header_pairs(headers: Headers | None, leave_out: frozenset[bytes] = frozenset()) -> list[tuple[str, str]]:
    """HTTP headers as (name, value) pairs in their order, a pair per value."""
    if headers is None:
        return []
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items() if name not in leave_out
        for value in values
    ]


def content_type(response: Response) -> str:
    return (response.headers.get("Content-Type") or b"").decode("latin-1")


def describe(failure: Failure) -> str:
    if isinstance(failure.value, HttpError):
        return f"HTTP {failure.value.response.status}"
    return f"{type(failure.value).__name__}: {failure.getErrorMessage()}"


def failed_request(failure: Failure) -> scrapy.Request:
    """The request an errback's failure is about (Scrapy sets it)."""
    request: scrapy.Request = failure.request  # type: ignore[attr-defined]
    return request
