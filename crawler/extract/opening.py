"""The top of a release's text: the press office's contacts some boards set
above it, and the link to the same release in another language."""

from __future__ import annotations

import re

from crawler.extract.endmatter import REACHED_AT
from crawler.extract.files import FILE_LINE
from crawler.extract.furniture import SENTENCE_ENDS
from crawler.extract.phones import phone

CONTACT_LINES = 4  # the office, a name, a number, an address
# "En Español", "In English", "中文": the release in another language, named in it.
_LANGUAGE = re.compile(
    r"(?i)^(?:(?:en|in|auf|på|em|na)\s+)?"
    r"(?:english|español|espanol|français|francais|deutsch|português|italiano|nederlands|svenska|norsk|suomi"
    r"|dansk|polski|русский|українська|中文|简体中文|繁體中文|日本語|한국어|tiếng\s+việt|العربية|kreyòl(?:\s+ayisyen)?"
    r"|tagalog|हिन्दी)(?:\s+version)?$"
)


# "EDITOR'S NOTE: This release was updated on …", "Update:", "Correction:": the
# release's own word on itself, which a board may set above its contacts.
_NOTE = re.compile(r"(?i)^(?:editor[’']?s\s+note|update[ds]?|correction)\s*[:：–-]\s*\w")


# "Opinion piece - Please attribute the below to Dr Jeannette Young, Chief
# Health Officer:": the office's word to editors, above the text.
_ATTRIBUTE = re.compile(r"(?i)^(?:[^\W\d_][\w ]{0,30}\s[-–—]\s*)?please\s+attribute\s+(?:\w+\s+){0,3}to\s")
ATTRIBUTION_LINE = 200


def without_opening_matter(body: list[str]) -> list[str]:
    """The body without the other language's link at either end, without
    a block of press contacts above the text, each uncovering the other,
    and without the office's word to editors on whom to quote; an editor's
    note above them stays, where it stood."""
    notes = 0
    while notes < len(body) and _NOTE.match(body[notes]):
        notes += 1
    head, body = body[:notes], body[notes:]
    while (trimmed := _without_language_links(_without_opening_contacts(body))) != body:
        body = trimmed
    if len(body) > 1 and len(body[0]) <= ATTRIBUTION_LINE and _ATTRIBUTE.match(body[0]):
        body = body[1:]
    return head + body


def _without_language_links(body: list[str]) -> list[str]:
    while body and _LANGUAGE.match(body[0]):
        body = body[1:]
    while body and _LANGUAGE.match(body[-1]):
        body = body[:-1]
    return body


def _without_opening_contacts(body: list[str]) -> list[str]:
    """Without the press office's contacts set above the text
    ("Congressional and Public Affairs", "Benjamin A. Bell (202) 720-9113",
    "Press@fsis.usda.gov"): a few short lines, not sentences, that give both
    a number and an address, the last giving one of them."""
    for end in range(min(CONTACT_LINES, len(body) - 1), 0, -1):
        lines = body[:end]
        if (
            all(len(line) <= FILE_LINE and not line.endswith(SENTENCE_ENDS) for line in lines)
            and (REACHED_AT.search(lines[-1]) or phone(lines[-1]))
            and any(REACHED_AT.search(line) for line in lines)
            and any(phone(line) for line in lines)
        ):
            return body[end:]
    return body
