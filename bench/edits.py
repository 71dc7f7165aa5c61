"""A labelled set of edits: typed edits applied to the real release texts
of tests/files/corpus (each board's hand-checked records), each with the
kinds a reader would name (bench/kind_scores.py adds the real edits the tests
know, and measures the classifier on them all).  Made by
their own rules and word lists (bench/edit_words.py), from nothing in
storage/contract/kinds.py, so that the classifier is measured against an
independent labelling; seeded, the same set every run.

A ``name`` in Chinese and Japanese, scripts without case: a proper noun of
edit_words.NAMES (countries, cities, ministries, people) put for another.
Their common words swapped (合作 → 交流) are ``wording``: the set holds
both, so the classifier's rule for those scripts is measured both ways.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote

from .edit_words import CJK_SWAPS, MONTHS, NAMES, NEGATIONS, NEGATORS, WORDS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "files" / "corpus"
CJK = ("zh", "ja")


@dataclass
class Record:
    title: str
    published: str | None
    body: list[str]
    attachments: list[tuple[str, str]]  # (name, url)


@dataclass
class Edit:
    source: str  # board/page, or the test that knows the edit
    language: str
    label: str  # the kind of edit made (a kind, or "wording (CJK word swapped)" and the like)
    expected: frozenset[str]  # the kinds a reader names
    old: Record
    new: Record


# A quotation left open runs to the paragraph's end: a quote of several paragraphs closes only at its last.
QUOTED = re.compile(r"“[^”]{3,}(?:”|$)|\"[^\"]{3,}(?:\"|$)|«[^»]{3,}(?:»|$)|「[^」]{2,}(?:」|$)|『[^』]{2,}(?:』|$)")
WORD = re.compile(r"(?<![\w'’-])[^\W\d_]+(?![\w'’-])")
# A sentence ends after a word of two small letters or more (not "Mr.", "Jan. 17" or "4."), not a
# capitalised abbreviation ("Sgt.", "Gov.", "Dr."), or a quotation closed after its stop, before a
# capital; in Chinese and Japanese after 。！？.
SENTENCES = re.compile(
    r"(?<=[a-zà-öø-ÿ)\d]{2}[.!?])(?<!\b[A-Z][a-z]\.)(?<!\b[A-Z][a-z]{2}\.)\s+(?=[\"“«A-ZÀ-ÖØ-Þ])|(?<=[.!?][\"”»])\s+(?=[\"“«A-ZÀ-ÖØ-Þ])"
    r"|(?<=[。！？])(?![」』”）])"
)
CJK_LETTER = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _quoted(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in QUOTED.finditer(text)]


def _free(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return not any(a <= start < b or a < end <= b for a, b in spans)


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in '.!?:;"“«(–-—0123456789'


def _sentences(paragraph: str) -> list[str]:
    return [s for s in SENTENCES.split(paragraph) if s.strip()]


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row, last = [i], row
        for j, y in enumerate(b, 1):
            row.append(min(last[j] + 1, row[j - 1] + 1, last[j - 1] + (x != y)))
    return row[-1]


Edited = tuple[Record, Record] | None
Body = Callable[[random.Random, str, list[str], list[str]], tuple[list[str], list[str]] | None]


def _in_one_paragraph(
    rng: random.Random, body: list[str], spots: Callable[[str], list[tuple[int, int, str]]], old_side: bool = False
) -> tuple[list[str], list[str]] | None:
    """One replacement (start, end, text) among those ``spots`` finds in the
    body's paragraphs; (old, new) bodies (``old_side``: the replacement is
    the old text, as for a typo that is fixed)."""
    found = [(n, *spot) for n, paragraph in enumerate(body) for spot in spots(paragraph)]
    if not found:
        return None
    n, start, end, text = rng.choice(found)
    changed = list(body)
    changed[n] = body[n][:start] + text + body[n][end:]
    return (changed, list(body)) if old_side else (list(body), changed)


def number(rng, lang, body, pool):
    def spots(p):
        spans = _quoted(p)
        found = [
            (m.start(), m.end(), str(int(m.group()) + rng.randint(1, 9)))
            for m in re.finditer(r"(?<![\w.])[0-9]{1,4}(?![\w])", p)
            if _free(spans, *m.span())
        ]
        months = MONTHS.get(lang, [])
        for m in WORD.finditer(p):
            if m.group() in months and _free(spans, *m.span()):
                found.append((m.start(), m.end(), rng.choice([x for x in months if x != m.group()])))
        return found

    return _in_one_paragraph(rng, body, spots)


def name(rng, lang, body, pool):
    names = NAMES[lang]

    def spots(p):
        spans = _quoted(p)
        if lang in CJK:
            return [
                (m.start(), m.end(), rng.choice([x for x in names if x != m.group()]))
                for m in re.finditer("|".join(names), p)
                if _free(spans, *m.span())
            ]
        skip = {m.casefold() for m in MONTHS.get(lang, [])} | {"i"}
        abbreviated = lambda m: p[m.end() : m.end() + 1] == "." and len(m.group()) <= 4  # noqa: E731  Jan., Gov.
        return [
            (m.start(), m.end(), rng.choice([x for x in names if x != m.group()]))
            for m in WORD.finditer(p)
            if m.group()[0].isupper()
            and m.group()[1:].islower()
            and len(m.group()) > 2
            and not abbreviated(m)
            and m.group().casefold() not in skip
            and not _opens_sentence(p, m.start())
            and _free(spans, *m.span())
        ]

    return _in_one_paragraph(rng, body, spots)


def negation(rng, lang, body, pool):
    def spots(p):
        spans = _quoted(p)
        return [
            (m.start(), m.end(), after)
            for before, after in NEGATIONS[lang]
            for m in re.finditer(re.escape(before), p)
            if _free(spans, *m.span())
        ]

    return _in_one_paragraph(rng, body, spots)


def quote(rng, lang, body, pool):
    def spots(p):
        found = []
        for a, b in _quoted(p):
            if lang in CJK:
                found += [
                    (m.start(), m.end(), rng.choice("新大全高好多长"))
                    for m in CJK_LETTER.finditer(p, a, b)
                    if m.group() not in "不没未无非別别" and m.group() not in "".join(NAMES[lang])
                ]
            else:
                found += [
                    (m.start(), m.end(), rng.choice(WORDS[lang]))
                    for m in WORD.finditer(p, a, b)
                    if m.group().islower()
                    and len(m.group()) > 3
                    and m.group() not in NEGATORS
                    and m.group() not in MONTHS.get(lang, [])
                    and m.group() not in WORDS[lang]
                ]
        return found

    return _in_one_paragraph(rng, body, spots)


def wording(rng, lang, body, pool):
    def spots(p):
        spans = _quoted(p)
        if lang in CJK:  # a word put in, after a comma
            return [
                (m.end(), m.end(), rng.choice(WORDS[lang])) for m in re.finditer("[，、]", p) if _free(spans, *m.span())
            ]
        found = []
        for m in WORD.finditer(p):
            word = m.group()
            if (
                not word.islower()
                or len(word) < 4
                or word in NEGATORS
                or word in MONTHS.get(lang, [])
                or not _free(spans, *m.span())
            ):
                continue
            other = rng.choice(WORDS[lang])
            if _distance(word, other) > 2:
                found.append((m.start(), m.end(), other))
        return found

    return _in_one_paragraph(rng, body, spots)


def cjk_word_swap(rng, lang, body, pool):
    def spots(p):
        spans = _quoted(p)
        return [
            (m.start(), m.end(), after)
            for before, after in CJK_SWAPS[lang]
            for m in re.finditer(before, p)
            if _free(spans, *m.span())
        ]

    return _in_one_paragraph(rng, body, spots)


def spelling(rng, lang, body, pool):
    def typo(word: str) -> str:
        i = rng.randrange(1, len(word) - 2)
        how = rng.choice(("swap", "drop", "double"))
        if how == "swap" and word[i] != word[i + 1]:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        return word[:i] + word[i + 1 :] if how == "drop" else word[:i] + word[i] + word[i:]

    def spots(p):
        spans = _quoted(p)
        return [
            (m.start(), m.end(), typo(m.group()))
            for m in WORD.finditer(p)
            if m.group().islower() and len(m.group()) >= 6 and m.group().isalpha() and _free(spans, *m.span())
        ]

    return _in_one_paragraph(rng, body, spots, old_side=True)  # the typo was there; the edit fixes it


def typography(rng, lang, body, pool):
    def spots(p):
        if lang in CJK:
            marks = {"，": ",", "、": "，", "“": "「", "”": "」", "（": "(", "）": ")", "：": ":"}
            found = [(m.start(), m.end(), marks[m.group()]) for m in re.finditer("[，、“”（）：]", p)]
            return found + [
                (m.start(), m.end(), m.group().translate({c: c + 0xFEE0 for c in range(48, 58)}))
                for m in re.finditer("[0-9]+", p)
            ]  # full-width digits
        found = [(m.start(), m.end(), rng.choice(["“", "”"])) for m in re.finditer('"', p)]
        found += [(m.start(), m.end(), "’") for m in re.finditer("'", p)]
        found += [(m.start(), m.end(), " – ") for m in re.finditer(r"(?<=\w) - (?=\w)", p)]
        found += [(m.start(), m.end(), "") for m in re.finditer(r",(?= )", p)]
        found += [(m.start(), m.end(), " ,") for m in re.finditer(r"(?<=\w),", p)]
        found += [
            (m.start(), m.end(), m.group().upper())
            for m in WORD.finditer(p)
            if m.group().islower() and len(m.group()) > 3
        ]
        return found

    return _in_one_paragraph(rng, body, spots)


def sentence_added(rng, lang, body, pool):
    # whole sentences: a capital or a quotation first (in scripts with case), a stop last
    sentences = [
        s
        for p in pool
        for s in _sentences(p)
        if len(s) > 20 and re.search(r"[.!?。！？][\"”」]?$", s) and (lang in CJK or re.match(r"[\"“«A-ZÀ-ÖØ-Þ]", s))
    ]
    # at the end of a paragraph, or between two of its sentences outside quotation marks
    spots = [(n, len(p)) for n, p in enumerate(body) if re.search(r"[.!?。！？]$", p)]
    spots += [
        (n, m.start())
        for n, p in enumerate(body)
        for m in SENTENCES.finditer(p)
        if m.start() < len(p) and _free(_quoted(p), m.start(), m.start() + 1)
    ]
    if not sentences or not spots:
        return None
    n, at = rng.choice(spots)
    space = "" if lang in CJK else " "
    changed = list(body)
    changed[n] = (body[n][:at] + space + rng.choice(sentences) + body[n][at:]).strip()
    return list(body), changed


def sentence_removed(rng, lang, body, pool):
    found = [(n, i) for n, p in enumerate(body) for i in range(len(_sentences(p))) if len(_sentences(p)) >= 2]
    if not found:
        return None
    n, i = rng.choice(found)
    parts = _sentences(body[n])
    changed = list(body)
    changed[n] = ("" if lang in CJK else " ").join(parts[:i] + parts[i + 1 :])
    return list(body), changed


def paragraph_added(rng, lang, body, pool):
    fresh = [p for p in pool if p not in body and len(p) > 20]
    if not fresh:
        return None
    changed = list(body)
    changed.insert(rng.randrange(len(body) + 1), rng.choice(fresh))
    return list(body), changed


def paragraph_removed(rng, lang, body, pool):
    if len(body) < 2:
        return None
    changed = list(body)
    del changed[rng.randrange(len(body))]
    return list(body), changed


def moved(rng, lang, body, pool):
    unique = [n for n, p in enumerate(body) if body.count(p) == 1]
    if len(body) < 3 or not unique:
        return None
    n = rng.choice(unique)
    changed = list(body)
    paragraph = changed.pop(n)
    changed.insert(rng.choice([i for i in range(len(body)) if i != n]), paragraph)
    return list(body), changed


BODY_EDITS: dict[str, Body] = {
    "number": number,
    "name": name,
    "negation": negation,
    "quote": quote,
    "wording": wording,
    "spelling": spelling,
    "typography": typography,
    "sentence_added": sentence_added,
    "sentence_removed": sentence_removed,
    "paragraph_added": paragraph_added,
    "paragraph_removed": paragraph_removed,
    "moved": moved,
}
EXPECTED = {"quote": {"quote", "wording"}, "wording (CJK word swapped)": {"wording"}}


def record_edits(rng: random.Random, lang: str, record: Record) -> dict[str, tuple[Record, Record]]:
    """The edits of the record's own fields: title, date, attachments."""
    found: dict[str, tuple[Record, Record]] = {}
    same = lambda **fields: Record(**{**record.__dict__, **fields})  # noqa: E731
    words = [m for m in WORD.finditer(record.title) if m.group().islower() and len(m.group()) > 3]
    if words and lang not in CJK:
        m = rng.choice(words)
        found["title"] = (
            record,
            same(title=record.title[: m.start()] + rng.choice(NAMES[lang]) + record.title[m.end() :]),
        )
    else:
        found["title"] = (record, same(title=record.title + ("（更新）" if lang in CJK else " (updated)")))
    if lang not in CJK:
        found["typography (title's case)"] = (record, same(title=record.title.upper()))
    day = date.fromisoformat(record.published[:10]) if record.published else date(2020, 1, 1)
    found["date"] = (record, same(published=(day + timedelta(days=rng.randint(1, 40))).isoformat()))
    annex = ("annex.pdf", f"https://files.example.org/{rng.randrange(10**6)}/annex.pdf")
    found["attachment_added"] = (record, same(attachments=[*record.attachments, annex]))
    if record.attachments:
        n = rng.randrange(len(record.attachments))
        name_, url = record.attachments[n]
        others = record.attachments[:n] + record.attachments[n + 1 :]
        found["attachment_removed"] = (record, same(attachments=others))
        renamed = [*others[:n], (f"Revised {name_}", url), *others[n:]]
        found["attachment_renamed"] = (record, same(attachments=renamed))
        found["link"] = (record, same(attachments=[*others[:n], (name_, url + "?v=2"), *others[n:]]))
    return found


def corpus_edits(seed: int = 24) -> list[Edit]:
    """Every typed edit that fits each release of each board, seeded."""
    rng = random.Random(seed)
    edits = []
    for folder in sorted(p for p in CORPUS.iterdir() if (p / "expected.json").exists()):
        profile = (folder / "profile.toml").read_text("utf-8")
        found = re.search(r'^language\s*=\s*"(\w+)"', profile, re.M)
        lang = found.group(1) if found else "en"
        if lang not in NAMES:  # a language the edit set has no words for yet (il_govil_news's Hebrew)
            continue
        records = json.loads((folder / "expected.json").read_text("utf-8"))
        for page, raw in sorted(records.items()):
            record = Record(
                raw["title"],
                raw["published"],
                raw["body"],
                [(unquote(url.rstrip("/").rsplit("/", 1)[-1]) or "file", url) for url in raw["attachments"]],
            )
            pool = [p for other, item in records.items() if other != page for p in item["body"]]
            source = f"{folder.name}/{page}"
            makers = dict(BODY_EDITS)
            if lang in CJK:
                del makers["spelling"]  # no letters to misspell: a wrong character is a word changed
                makers["wording (CJK word swapped)"] = cjk_word_swap
            for label, make in makers.items():
                # Chinese and Japanese have few boards: names and swapped words three times over each
                tries = 3 if lang in CJK and label in ("name", "wording (CJK word swapped)") else 1
                made: list[tuple[list[str], list[str]]] = []
                for _ in range(tries):
                    bodies = make(rng, lang, record.body, pool)
                    if bodies and bodies[0] != bodies[1] and bodies not in made:
                        made.append(bodies)
                for bodies in made:
                    old, new = (Record(record.title, record.published, body, record.attachments) for body in bodies)
                    edits.append(Edit(source, lang, label, frozenset(EXPECTED.get(label, {label})), old, new))
            for label, (old, new) in record_edits(rng, lang, record).items():
                kind = label.split(" (")[0]
                edits.append(Edit(source, lang, label, frozenset({kind}), old, new))
    return edits
