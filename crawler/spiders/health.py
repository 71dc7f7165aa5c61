"""Has a site's profile stopped matching it?  Judged from one run's pages."""

from __future__ import annotations

from collections import Counter

# A profile has stopped matching when more than this share of the release
# pages that answered in a run failed extraction for the same reason, and at
# least MIN_SAME_FAILURES did: one maintenance page among good ones is not it.
BROKEN_SHARE = 0.5
MIN_SAME_FAILURES = 2


def broken_profile(site_id: str, failures: Counter[tuple[str, str]], pages_answered: int) -> str | None:
    """Why the profile seems broken, or None.  ``failures`` counts extraction
    failures by (field, selector); ``pages_answered`` counts the release pages
    that answered with HTML."""
    if not failures:
        return None
    (field, selector), count = failures.most_common(1)[0]
    if count < MIN_SAME_FAILURES or count <= pages_answered * BROKEN_SHARE:
        return None
    of = f"{pages_answered}" if count == pages_answered else f"{count} of {pages_answered}"
    what = f"{field} selector {selector!r} matched none of" if selector else f"no {field} found on"
    return f"{what} {of} release pages; the site may have been redesigned: run presswatch check {site_id}"
