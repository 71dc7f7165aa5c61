"""Where a board's crawl may fetch from: the board's own origins only.

An origin is (scheme, host, port).  A board's own are its base URL's (the
site's, or the mirror ``--base-url`` names) and those its profile lists in
``also_at``.  A redirect or meta refresh to any other origin is not
followed: the page there is not the ministry's, and a capture that said it
came from the ministry's URL would be false evidence.  Nor is any request
sent to an address inside a network (loopback, private, link-local) unless
the board itself is there: a board that redirects to 169.254.169.254 must
not make presswatch read a cloud machine's credentials.

Plain functions of URLs and addresses; crawler.middlewares applies them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

Origin = tuple[str, str, int]  # scheme, host (lower case), port

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> str:
    """scheme://host:port as the URL spells it: the unit of politeness (one
    download slot each, one turn per host between machines)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def origin_of(url: str) -> Origin:
    """The URL's origin, its default port spelled out: https://x and
    https://x:443 are one origin."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a port that is no number: an origin nothing else has
        port = -1
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme, 0)


def board_origins(base_url: str, also_at: Iterable[str] = ()) -> frozenset[Origin]:
    return frozenset(origin_of(url) for url in (base_url, *also_at))


def redirect_refusal(url: str, redirect_urls: Sequence[str], own: frozenset[Origin]) -> str | None:
    """Why a redirect to ``url`` is not followed, or None when it may be.

    ``redirect_urls`` are the URLs that redirected here, first the one the
    walk asked for.  A redirect stays on the board's own origins, or on the
    origin that first URL was on (a release page on a host the profile's
    allowed_domains names may move about its own host)."""
    if not redirect_urls:
        return None  # no redirect: the walk chose the URL
    target = origin_of(url)
    if target in own or target == origin_of(redirect_urls[0]):
        return None
    return f"redirected off the board to {url}: not followed"


def private_kind(address: str) -> str | None:
    """What kind of address inside a network ``address`` is ("loopback",
    "link-local", "private", ...), or None for a public one."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:169.254.169.254 reaches 169.254.169.254
    for kind in ("loopback", "link_local", "unspecified", "multicast", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    # Shared (100.64/10, where some clouds keep their metadata service),
    # reserved and documentation ranges: nowhere a ministry publishes.
    return None if ip.is_global else "reserved"


def is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def address_refusal(url: str, address: str, own: frozenset[Origin]) -> str | None:
    """Why ``url``, whose host is at ``address``, is not fetched, or None.
    Any address is fine for the board's own origins: a board on 127.0.0.1
    (a test server, a mirror on the same machine) is crawled there."""
    if origin_of(url) in own:
        return None
    kind = private_kind(address)
    if kind is None:
        return None
    host = origin_of(url)[1]
    where = host if host == address.strip("[]").lower() else f"{host} ({address})"
    article = "an" if kind[0] in "aeiou" else "a"
    return f"refused {url}: {where} is {article} {kind} address, not the board's own"
