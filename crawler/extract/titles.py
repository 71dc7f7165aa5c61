"""What names a release: the titles a board's list gives, the page's own,
and the site's name that titles must not carry."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from difflib import SequenceMatcher

from crawler.exceptions import ExtractionError

SAME_TITLE = 0.5  # share of the shorter title's words the list's and the page's titles share
_WORDS = re.compile(r"\w+")
_SEPARATORS = re.compile(r"\s+[|｜\-–—:·•]\s+|\s*[|｜]\s*")


class TitleIndex:
    """Titles of a board's releases, found inside a paragraph in time linear
    in the paragraph's length, however many releases the board has.
    """

    PREFIX = 12  # shorter titles ("Notice") are too common to be evidence

    def __init__(self, titles: Iterable[str] = ()):
        self._by_prefix: dict[str, set[str]] = defaultdict(set)
        self._longest = 0
        for title in titles:
            self.add(title)

    def add(self, title: str) -> None:
        if len(title) >= self.PREFIX:
            self._by_prefix[title[: self.PREFIX]].add(title)
            self._longest = max(self._longest, len(title))

    def __contains__(self, text: str) -> bool:
        return text in self._by_prefix.get(text[: self.PREFIX], ())

    def mentioned_in(self, text: str, own_title: str | None = None) -> bool:
        """Does ``text`` quote another release's title (and little else)?"""
        if not self.PREFIX <= len(text) <= self._longest + 40:
            return False
        for start in range(len(text) - self.PREFIX + 1):
            for title in self._by_prefix.get(text[start : start + self.PREFIX], ()):
                if title != own_title and len(text) <= len(title) + 40 and text.startswith(title, start):
                    return True
        return False


def same_title(page_title: str, listed_title: str) -> bool:
    """Do a page's title and the title a list gave it name the same release?
    Lists shorten titles ("…") and add labels ("[Press release]")."""
    page, listed = page_title.casefold(), listed_title.casefold().rstrip(" .…")
    if not listed or listed in page:
        return True
    page_words, listed_words = set(_WORDS.findall(page)), set(_WORDS.findall(listed))
    if page in listed:  # a label the list adds ("[Press release] …"), not a name inside another
        return len(page_words) >= SAME_TITLE * len(listed_words)
    shorter = min(len(page_words), len(listed_words))
    return shorter > 0 and len(page_words & listed_words) >= SAME_TITLE * shorter


def names_listed_release(title: str, own_title: str | None, selector: str) -> None:
    """Without a title selector, a page that names another release than the
    list gave its URL (an error page with a heading of its own) is a failed
    fetch, never a version.  Lenient: lists shorten and reword titles."""
    if own_title and not same_title(title, own_title):
        raise ExtractionError(
            f"the page's title {title[:80]!r} is not the list's {own_title[:80]!r} (maintenance or error page?)",
            "title",
            selector,
        )


def echoes_title(text: str, title: str) -> bool:
    """The title again, whole or cut short in a breadcrumb ("Attorney General Bonta Combats…")."""
    if text == title:
        return True
    stem = text.rstrip(".…").rstrip()
    return text != stem and len(stem) >= 20 and title.startswith(stem)


HEAD_LINES = 4  # a page's head inside the body: a letterhead, a date line, the title again
HEAD_LINE = 120
NEAR_COPY = 0.9  # share of the title's words a line repeats, in order, to be the title again
PART_WORDS = 3


def after_title_again(body: list[str], title: str, set_as_text: Collection[str] = ()) -> list[str]:
    """The body after the title, where a page sets its head (the office's
    name, a date line) and the title again, a word or two apart ("… of Asian
    Development Bank"), in the release's own text: the release starts
    after its title.  ``set_as_text`` are lines set as the paragraph after
    them is (crawler.extract.region.set_as_text): a part of the title there
    is the text's topic line, not the head's."""
    for n, line in enumerate(body[:HEAD_LINES]):
        if _near_copy(line, title):
            if n + 1 < len(body):
                return body[n + 1 :]
            break
        if len(line) > HEAD_LINE:
            break
    # A part of the title as the text's first line: a statement's venue under
    # its title ("Opening Statement before the House of Commons Standing
    # Committee on Finance" / "House of Commons Standing Committee on Finance").
    # A court's topic line is the release's ("2G+-Regeln im Deutschen
    # Bundestag" under "Erfolglose Organklage gegen 2G+-Regeln im …"): it is
    # a paragraph like the text's, where a venue is a field of the head.
    while len(body) > 1 and _part_of(body[0], title) and body[0] not in set_as_text:
        body = body[1:]
    return body


def _part_of(line: str, title: str) -> bool:
    return len(line.split()) >= PART_WORDS and line != title and f" {line} " in f" {title} "


def _near_copy(line: str, title: str) -> bool:
    if line == title:
        return True
    words, named = line.casefold().split(), title.casefold().split()
    if len(named) < 5 or abs(len(words) - len(named)) > len(named) * (1 - NEAR_COPY):
        return False
    return SequenceMatcher(None, words, named, autojunk=False).ratio() >= NEAR_COPY


def leads(declared: str, text: str) -> bool:
    """Does the page's <title> open with the text, a separator of its own
    and all ("Title : Subtitle [Note 2025-01] | Section | Site")?  Split at
    every separator, its parts would name no heading.  A text without one
    is judged by the <title>'s parts, as "Press Releases | Ministry" is."""
    if not declared.startswith(text) or declared == text or not _SEPARATORS.search(text):
        return False
    return _SEPARATORS.match(declared, len(text)) is not None


def title_parts(title: str) -> list[str]:
    """The parts of a page's <title> between separators ("Title | Ministry")."""
    return [part.strip() for part in _SEPARATORS.split(title) if part.strip()]


def without_site_name(title: str, site_name: str) -> str:
    """A page's <title> without the site's name at either end ("Ministry |
    Title"): a title never carries it, or a page that shows it once would
    make a version.  What is left is kept as written, separators inside it
    too ("Update for Victoria - 5 July 2020")."""
    name = site_name.casefold()
    spans, start = [], 0
    for separator in _SEPARATORS.finditer(title):
        spans.append((start, separator.start()))
        start = separator.end()
    spans.append((start, len(title)))
    named = [
        bool(part) and (part in name or name in part) for part in (title[a:b].strip().casefold() for a, b in spans)
    ]
    first = next((n for n, is_name in enumerate(named) if not is_name), None)
    if first is None or all(not is_name for is_name in named):
        return title
    last = max(n for n, is_name in enumerate(named) if not is_name)
    if any(named[first : last + 1]):  # the name inside, not at an end: the old way
        kept = [title[a:b].strip() for (a, b), is_name in zip(spans, named) if not is_name and title[a:b].strip()]
        return " | ".join(kept)
    return title[spans[first][0] : spans[last][1]].strip()
