"""The site's notices inside the text of every release.

Some boards close each release, in the same place as its paragraphs, with a
section of their own: "ディスカッションペーパーについて" and how to comment, an
"About the Department" blurb.  No template place gives it away (the
release's paragraphs share that place), but its text is the same on every
page.  So is a release's own closing formula at times ("The President of
the ECB will comment …", a list of the members present), which is one line
or a list, not a heading over text: only a closing section that opens with
a heading of its own over text, all of it on every sample page, is the
site's.  A posting-period line on every page ("（掲載期間：2023年８月）") is
the page's date line wherever it sits.
"""

from __future__ import annotations

from collections.abc import Iterable

from crawler.extract.dates import YEAR, date_label
from storage import normalise_text

HEADING = 40  # a section's heading is short
DATE_LINE = 60  # and so is a posting-period line
_SENTENCE_END = tuple(".!?。！？:：;；")


def shared_texts(pages: list[Iterable[str]]) -> frozenset[str]:
    """The block texts (normalised, as blocks give them) every one of
    ``pages`` shows outside the template's chrome."""
    seen = [frozenset(texts) for texts in pages]
    return frozenset.intersection(*seen) - {""} if seen else frozenset()


def without_notices(body: list[str], shared: frozenset[str]) -> list[str]:
    """``body`` without the site's closing section and posting-period lines."""
    if not shared:
        return body
    texts = [normalise_text(line) for line in body]
    end = len(body)
    while end and texts[end - 1] in shared:
        end -= 1
    # The notice opens with a heading over text; a line of a list of names
    # (each short, as a heading is) does not open one.
    cut = next(
        (
            i
            for i in range(end, len(body) - 1)
            if _heading(texts[i]) and not _heading(texts[i + 1]) and (i == end or not _heading(texts[i - 1]))
        ),
        len(body),
    )
    kept = [line for line, text in zip(body[:cut], texts[:cut]) if not _posting_period(text, shared)]
    return kept or body  # a release that is only the site's text keeps it


def _posting_period(text: str, shared: frozenset[str]) -> bool:
    return text in shared and len(text) <= DATE_LINE and YEAR.search(text) is not None and date_label(text) is not None


def _heading(text: str) -> bool:
    return 0 < len(text) <= HEADING and not text.endswith(_SENTENCE_END)
