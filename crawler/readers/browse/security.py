"""What every page of `presswatch serve` tells the browser to refuse.

Everything the archive shows was scraped from someone else's pages and is
escaped on the way out; the Content-Security-Policy is the second wall, for
the day an escape is missed.  Scripts run only from this server and from
Datasette's own inline scripts, allowed by hash: their text is read from
Datasette's templates, so an upgrade of Datasette keeps them working and
nothing else inline runs.  Styles may be inline (Datasette and
presswatch's pages use style attributes): a style cannot run code.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import datasette

TEMPLATES = Path(datasette.__file__).parent / "templates"

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
# The inline scripts a template fills in, with every value it fills in.
_FILLED = {"{{ datasette_allow_facet }}": ("true", "false")}


def inline_script_hashes() -> list[str]:
    """CSP sources for each inline script in Datasette's templates."""
    found = set()
    for template in sorted(TEMPLATES.glob("*.html")):
        for script in _INLINE_SCRIPT.findall(template.read_text("utf-8")):
            for text in _filled(script):
                if "{{" not in text and "{%" not in text:  # what a template varies freely never runs
                    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
                    found.add(f"'sha256-{digest}'")
    return sorted(found)


def _filled(script: str) -> Iterator[str]:
    for placeholder, values in _FILLED.items():
        if placeholder in script:
            for value in values:
                yield script.replace(placeholder, value)
            return
    yield script


@cache
def page_policy() -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self' " + " ".join(inline_script_hashes()),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",  # Datasette's table menus fetch its JSON
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ]
    )


def with_page_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """A response's headers with the policy and nosniff added; a policy the
    response set itself (a capture's ``sandbox``) stands."""
    present = {name.lower() for name, _ in headers}
    added = []
    if b"content-security-policy" not in present:
        added.append((b"content-security-policy", page_policy().encode()))
    if b"x-content-type-options" not in present:
        added.append((b"x-content-type-options", b"nosniff"))
    return [*headers, *added]
