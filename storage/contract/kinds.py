"""What kind of change a version is, and how much it matters.

A newsroom watching many boards needs the one change that is the story
(a figure lowered, a country's name swapped, a "will" that became "may")
above the dozens that are nothing (a comma, a doubled space).  Each version
after the first records its kinds, from the vocabulary below, and a
significance from 0 to 1.

The rule, in order:

- the title and the published date are compared whole;
- attachments by URL: a new URL is `attachment_added`, a gone one
  `attachment_removed`, a URL under a new name `attachment_renamed`, a
  name under a new URL `link`;
- body paragraphs are aligned; a paragraph found unchanged elsewhere is
  `moved`, one with no counterpart is `paragraph_added` or
  `paragraph_removed`; within a changed paragraph, sentences are aligned
  the same way (`sentence_added`, `sentence_removed`), and within a
  changed sentence each run of changed words is typed: `typography` when
  only punctuation, case or spacing differ; otherwise `number` (digits or
  a month's name), `negation` (a negator or a modal that weakens or
  strengthens: will/may, shall/should, and their equivalents), `name`
  (a capitalised word not opening its sentence; in Chinese, Japanese and
  Korean, which have no capitals, a run that changed inside a name found
  by storage.contract.kind_names' rules: a known name, a body by its ending, a
  person before a title, a foreign name spelt out), `quote` (inside
  quotation marks), `spelling` (one word for another one or two letters
  apart, neither capitalised), else `wording`.

Significance is the weight of the heaviest kind (WEIGHTS), raised by up to
0.15 by the share of the text that changed, by 0.05 when the change is in
the title or the first paragraph, and by 0.15 (KEY_TERM) when it touches
one of the site's key terms (its profile's ``key_terms``: in the words
that changed, the sentence they changed in, a paragraph or sentence added
or removed, the title or an attachment's name; whole words in any case, or
anywhere in Chinese, Japanese and Korean), at most 1; a change that is
only typography or spelling never exceeds 0.2, key term or not, so every
number, name, negation, date, title, removed paragraph or removed
attachment (weights of 0.7 and more) ranks above every cosmetic one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from .content import Attachment, Content
from .kind_names import in_name
from .kind_words import cjk_negation, run_kinds

KINDS: dict[str, str] = {
    "title": "the title changed",
    "date": "the published date changed",
    "number": "an amount, count, percentage or date inside the text",
    "name": "a person, place or organisation",
    "negation": "a negation or a modal: not, never, will/may, shall/should",
    "quote": "words inside quotation marks",
    "sentence_added": "a sentence added to a paragraph",
    "sentence_removed": "a sentence taken out of a paragraph",
    "paragraph_added": "a paragraph added",
    "paragraph_removed": "a paragraph removed",
    "moved": "a paragraph moved, unchanged",
    "attachment_added": "an attachment added",
    "attachment_removed": "an attachment removed",
    "attachment_renamed": "an attachment given a new name",
    "link": "an attachment's address changed under the same name",
    "wording": "other words changed",
    "spelling": "a one- or two-letter fix inside a word",
    "typography": "punctuation, quotation marks, dashes, case or spacing only",
}
WEIGHTS: dict[str, float] = {
    "negation": 0.9,
    "title": 0.8,
    "date": 0.8,
    "number": 0.8,
    "name": 0.8,
    "paragraph_removed": 0.7,
    "attachment_removed": 0.7,
    "quote": 0.6,
    "sentence_removed": 0.6,
    "paragraph_added": 0.55,
    "attachment_added": 0.55,
    "sentence_added": 0.5,
    "attachment_renamed": 0.45,
    "wording": 0.4,
    "link": 0.4,
    "moved": 0.3,
    "spelling": 0.1,
    "typography": 0.05,
}
COSMETIC = frozenset({"typography", "spelling"})
KEY_TERM = 0.15  # added when a change touches one of the site's key terms (a profile's key_terms)

# A straight mark may be closed by a curly one ("Viaje pelo Brasil…”): a slip the boards make.
_QUOTED = re.compile(r"\"[^\"”]*[\"”]|“[^”]*”|„[^“”]*[“”]|«[^»]*»|「[^」]*」|『[^』]*』|‘[^’]*’")
# Chinese and Japanese letters one by one (their words are not spaced);
# Korean words, which are, whole.
_CJK_LETTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A word of other letters stops at the first Chinese or Japanese one: "2030年" is "2030", "年".
_WORD = rf"[{_CJK_LETTERS}]|[^\W_{_CJK_LETTERS}]+(?:['’][^\W_{_CJK_LETTERS}]+)*"
_TOKEN = re.compile(_WORD + r"|\S")
_WORDS = re.compile(_WORD)
# A sentence ends at a stop, or at a quotation closed after its stop (…consequences.” The …): a
# space after a closing mark is a sentence's end only after a stop (_sentences joins the others).
_SENTENCE_END = re.compile(r"(?<=[.!?。！？\"”»’])\s+|(?<=[。！？])")
_CLOSED = frozenset('"”»’')
_NOT_ALNUM = re.compile(r"[\W_]+")
_QUOTE_MARK = re.compile('["“”«»「」『』„]')
_CLOSING = {'"': '"', "“": "”", "«": "»", "「": "」", "『": "』", "„": "“"}
_LIST_MARKER = re.compile(r"\(?[\dA-Za-z]{1,3}[.)]")  # "4." or "(b)": it numbers a sentence, it is none
_HIRAGANA = re.compile(r"[\u3040-\u309f]+")
_CJK_TERM = re.compile(rf"[{_CJK_LETTERS}\uac00-\ud7af]")


@dataclass(frozen=True)
class Change:
    kinds: tuple[str, ...]  # in KINDS' order
    significance: float


def classify(old: Content, new: Content, key_terms: tuple[str, ...] = ()) -> Change:
    """The kinds of the change from ``old`` to ``new``, and its significance
    (raised when the change touches one of the site's ``key_terms``)."""
    walk = _Walk()
    lead = False
    if old.title != new.title:
        typographic = _plain(old.title) == _plain(new.title)
        walk.found.add("typography" if typographic else "title")
        if not typographic:
            walk.touched += [old.title, new.title]
        lead = True
    if old.published != new.published:
        walk.found.add("date")
    if old.attachments != new.attachments:
        walk.found |= _attachment_kinds(old.attachments, new.attachments)
        walk.touched += [a.name for a in set(old.attachments) ^ set(new.attachments)]
    before, after = _paragraphs(old.body), _paragraphs(new.body)
    walk.body(before, after)
    lead = lead or bool(before and after and before[0] != after[0])
    total = len(old.body) + len(new.body)  # the share changed is counted in letters
    kinds = tuple(kind for kind in KINDS if kind in walk.found)
    pattern = _key_terms(key_terms) if key_terms else None
    keyed = pattern is not None and any(pattern.search(text) for text in walk.touched)
    return Change(kinds, significance(kinds, walk.changed / total if total else 0.0, lead, keyed))


def significance(kinds: tuple[str, ...], share: float, lead: bool, key_term: bool = False) -> float:
    """From the kinds, the share of the words that changed, whether the
    title or the first paragraph did, and whether the change touches one of
    the site's key terms: the rule in this module's docstring."""
    if not kinds:
        return 0.0
    score = (
        max(WEIGHTS[kind] for kind in kinds)
        + 0.15 * min(1.0, share * 2)
        + (0.05 if lead else 0.0)
        + (KEY_TERM if key_term else 0.0)
    )
    if set(kinds) <= COSMETIC:
        return round(min(score, 0.2), 3)
    return round(min(score, 1.0), 3)


class _Walk:
    """Paragraphs, then sentences, then runs of words: the kinds found and
    how many words (old and new counted alike) changed."""

    def __init__(self) -> None:
        self.found: set[str] = set()
        self.changed = 0
        self.touched: list[str] = []  # what changed, or the sentences it changed in: where key terms are looked for

    def body(self, old: list[str], new: list[str]) -> None:
        removed, added = _unmatched(old, new)
        for text in [text for text in removed if text in added]:
            self.found.add("moved")
            removed.remove(text)
            added.remove(text)
        for before, after in self._pairs(removed, added, "paragraph"):
            if _plain(before) == _plain(after):
                self.found.add("typography")
                continue
            old_sentences, new_sentences = _sentences(before), _sentences(after)
            opened = {**_inside_quotes(old_sentences), **_inside_quotes(new_sentences)}
            for one, other in self._pairs(*_unmatched(old_sentences, new_sentences), "sentence"):
                self.sentence(one, other, opened)

    def sentence(self, old: str, new: str, opened: dict[str, tuple[str, str]] | None = None) -> None:
        if _plain(old) == _plain(new):
            self.found.add("typography")
            return
        old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
        opened = opened or {}
        quoted_old = _quoted_tokens(old, old_tokens, *opened.get(old, ("", "")))
        quoted_new = _quoted_tokens(new, new_tokens, *opened.get(new, ("", "")))
        uncased = max(old) >= "\u3040" or max(new) >= "\u3040"  # perhaps Chinese, Japanese or Korean
        negated = uncased and cjk_negation(old, new)
        old_at, new_at = (_offsets(old), _offsets(new)) if uncased else ([], [])
        for op, i1, i2, j1, j2 in SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            gone, came = old_tokens[i1:i2], new_tokens[j1:j2]
            self.changed += sum(map(len, gone)) + sum(map(len, came))
            kinds = run_kinds(gone, came, first=(i1 == 0 or j1 == 0))
            if negated and kinds == {"wording"} and _HIRAGANA.fullmatch("".join(gone + came)):
                kinds = {"negation"}  # the verb's ending that carries it: します → しません
            if uncased and not kinds <= COSMETIC and (_in_name(old, old_at, i1, i2) or _in_name(new, new_at, j1, j2)):
                kinds = (kinds - {"wording"}) | {"name"}
            if not kinds <= COSMETIC:
                self.touched += [old, new]
            if kinds != {"typography"} and (any(quoted_old[i1:i2]) or any(quoted_new[j1:j2])):
                kinds.add("quote")
            self.found |= kinds
        if negated:
            self.found.add("negation")

    def _pairs(self, removed: list[str], added: list[str], unit: str) -> list[tuple[str, str]]:
        """Each removed text with the added one most like it (half its words
        at least); the rest were taken out or put in whole."""
        pairs, left = [], [(text, _words(text)) for text in added]
        for before in removed:
            tokens = _words(before)
            scored = [(_likeness(tokens, other, before, text, unit), n) for n, (text, other) in enumerate(left)]
            best = max(scored, default=(0.0, -1))
            if best[0] >= 0.5:
                pairs.append((before, left.pop(best[1])[0]))
            else:
                self.found.add(f"{unit}_removed")
                self.changed += len(before)
                self.touched.append(before)
        if left:
            self.found.add(f"{unit}_added")
            self.changed += sum(len(text) for text, _ in left)
            self.touched += [text for text, _ in left]
        return pairs


@functools.lru_cache(maxsize=256)
def _key_terms(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for a site's key terms, any case: whole words in scripts
    that space them, anywhere in Chinese, Japanese and Korean (a Korean word
    carries its particle: 사상자가 is 사상자, casualties, as a subject)."""
    parts = [
        re.escape(term) if _CJK_TERM.search(term) else rf"(?<!\w){re.escape(term)}(?!\w)"
        for term in (" ".join(term.split()) for term in terms)
        if term
    ]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _attachment_kinds(old: tuple[Attachment, ...], new: tuple[Attachment, ...]) -> set[str]:
    found = set()
    old_names, new_names = {a.url: a.name for a in old}, {a.url: a.name for a in new}
    for url in new_names.keys() & old_names.keys():
        if new_names[url] != old_names[url]:
            found.add("attachment_renamed")
    added, removed = new_names.keys() - old_names.keys(), old_names.keys() - new_names.keys()
    renamed_urls = {new_names[url] for url in added} & {old_names[url] for url in removed}
    if renamed_urls:
        found.add("link")
    if {url for url in added if new_names[url] not in renamed_urls}:
        found.add("attachment_added")
    if {url for url in removed if old_names[url] not in renamed_urls}:
        found.add("attachment_removed")
    return found


def _offsets(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _TOKEN.finditer(text)]


def _in_name(text: str, offsets: list[tuple[int, int]], first: int, last: int) -> bool:
    """Whether tokens ``first`` to ``last`` (excluded) of ``text`` stand inside a name."""
    return first < last and in_name(text, offsets[first][0], offsets[last - 1][1])


def _inside_quotes(sentences: list[str]) -> dict[str, tuple[str, str]]:
    """For each sentence of a paragraph, the mark of the quotation it
    begins inside and of the one it ends inside ("" for none): a quote of
    several sentences (“We welcome it. We will act.”), or one that runs to
    the paragraph's end, as a quote of several paragraphs does."""
    found, inside = {}, ""
    for sentence in sentences:
        begins = inside
        for mark in _QUOTE_MARK.findall(sentence):
            inside = ("" if inside else mark) if mark == '"' else (mark if mark in _CLOSING else "")
        found[sentence] = (begins, inside)
    return found


def _quoted_tokens(text: str, tokens: list[str], begins: str = "", ends: str = "") -> list[bool]:
    """For each token of ``text``, whether it stands inside quotation marks
    (``begins``, ``ends``: the opening mark of the quotation the sentence
    begins or ends inside)."""
    shift = len(begins)
    text = begins + text + _CLOSING.get(ends, "")
    spans = [(a - shift, b - shift) for a, b in (match.span() for match in _QUOTED.finditer(text))]
    text = text[shift:]
    if not spans:
        return [False] * len(tokens)
    inside, position = [], 0
    for token in tokens:
        start = text.find(token, position)
        position = start + len(token) if start >= 0 else position
        inside.append(any(a < start < b for a, b in spans))
    return inside


def _unmatched(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def _words(text: str) -> Counter[str]:
    """What pairing compares: words, case folded (a text set in capitals is
    the same text), in any order."""
    return Counter(_WORDS.findall(text.casefold()))


def _likeness(a: Counter[str], b: Counter[str], text_a: str, text_b: str, unit: str) -> float:
    """The share of words two texts have in common, in any order
    (difflib's quick_ratio, without building its index).  Words cannot
    tell two texts of a word or two apart ("2016" for "2019"): those are
    compared letter by letter.  Two paragraphs with a sentence in common
    are the same paragraph, however many sentences were added to it or
    taken out."""
    total = a.total() + b.total()
    if total <= 4:
        return SequenceMatcher(None, text_a, text_b, autojunk=False).ratio()
    share = 2 * (a & b).total() / total
    if share < 0.5 and unit == "paragraph" and _sentence_set(text_a) & _sentence_set(text_b):
        return 0.5
    return share


def _paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if p.strip()]  # as storage.contract.content joins them


@functools.lru_cache(maxsize=1024)
def _sentence_set(paragraph: str) -> frozenset[str]:
    """A paragraph's sentences, once however many paragraphs it is held against."""
    return frozenset(_sentences(paragraph))


def _sentences(paragraph: str) -> list[str]:
    found: list[str] = []
    for sentence in _SENTENCE_END.split(paragraph):
        if found and (_LIST_MARKER.fullmatch(found[-1]) or _runs_on(found[-1])):
            found[-1] += " " + sentence
        elif sentence.strip():
            found.append(sentence)
    return found


def _runs_on(piece: str) -> bool:
    """A piece split after a closing mark with no stop before it: its sentence goes on."""
    return piece[-1] in _CLOSED and piece[-2:-1] not in (".", "!", "?")


def _plain(text: str) -> str:
    """Only letters and digits, case folded: what typography cannot change."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())
