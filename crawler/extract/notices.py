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

A notice of the page's age is the site's too, though only old pages show
it: "Detta innehåll är äldre än 60 dagar.", "We have archived this page and
will not be updating it.", GOV.UK's "This was published under the 2010 to
2015 … government".  It appears when the release grows old or a government
changes, and the release's text has not changed: kept, it would make a
version of every release it reaches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.extract.dates import YEAR, date_label
from storage import normalise_text

HEADING = 40  # a section's heading is short
DATE_LINE = 60  # and so is a posting-period line
_SENTENCE_END = tuple(".!?。！？:：;；")
AGE_NOTICE = 320  # Canada's runs to three sentences
_SPAN = r"(?:\d+|an?|one|two|three|four|five|six|ten|twelve)\s+(?:days?|weeks?|months?|years?)"
_KINDS = r"(?:page|content|article|story|post|item|information|document|(?:news|press|media)\s+release|news(?:\s+item)?|release)"
_AGE = re.compile(
    rf"""(?ix)^(?:
    (?:this|the)\s+{_KINDS}\s+(?:is|was|has\s+been)\s+
        (?:archived|(?:older|more)\s+than\s+{_SPAN}(?:\s+old)?|over\s+{_SPAN}\s+old|no\s+longer\s+(?:being\s+)?(?:updated|maintained|current))
    |(?:this|the)\s+information\s+(?:on\s+this\s+page\s+)?(?:may\s+be|is)\s+out\s+of\s+date
    |we\s+have\s+archived\s+this\s+page
    |archived\s+(?:content|page|information|material|news|release|web\s+page)\b
    |information\s+identified\s+as\s+archived\b
    |this\s+was\s+published\s+under\s+the\s+.{{4,90}}\s+government\b
    |(?:detta\s+innehåll|den\s+här\s+(?:sidan|nyheten|artikeln))\s+är\s+(?:äldre\s+än|arkiverad)
    |(?:dieser?|diese)\s+(?:inhalt|artikel|beitrag|meldung|seite|pressemitteilung)\s+ist\s+(?:älter\s+als|archiviert|nicht\s+mehr\s+aktuell)
    |(?:ce\s+contenu|cette\s+page)\s+(?:a\s+été|est)\s+archivée?|contenu\s+archivé
    |(?:este\s+contenido|esta\s+página)\s+(?:está|fue|ha\s+sido)\s+archivad[oa]|contenido\s+archivado
    |dit\s+(?:bericht|artikel|nieuwsbericht)\s+is\s+gearchiveerd|dit\s+is\s+een\s+gearchiveerde\s+pagina
    )""",
)


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


def without_age_notices(body: list[str]) -> list[str]:
    """``body`` without a notice of the page's age at either end."""
    while len(body) > 1 and _is_age_notice(body[0]):
        body = body[1:]
    while len(body) > 1 and _is_age_notice(body[-1]):
        body = body[:-1]
    return body


def _is_age_notice(text: str) -> bool:
    """Whether ``text`` says the page is old or archived ("This content is
    more than two years old"), as a notice, not as a release would say it."""
    return len(text) <= AGE_NOTICE and _AGE.match(text.strip()) is not None


def _posting_period(text: str, shared: frozenset[str]) -> bool:
    return text in shared and len(text) <= DATE_LINE and YEAR.search(text) is not None and date_label(text) is not None


def _heading(text: str) -> bool:
    return 0 < len(text) <= HEADING and not text.endswith(_SENTENCE_END)
