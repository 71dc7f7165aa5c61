"""Extraction quality of the profile-less path, against hand-made truth.

Real boards' saved pages are scored per board in bench/corpus.py.  Here:
the real MOFA release of shared/examples in both layouts (saved in
tests/files, with sibling pages made by swapping in other releases' text so
the template can be learned), and the local board's four layouts (old and
new MOFA, the Korean board, an HTML5 ministry with rotating boxes).  For
each page the truth is the release's own paragraphs.

Scores are token precision / recall / F1 of the body (multiset of words)
and the chrome leak rate: the share of pages whose body holds any line that
is not the release's text (``leaked``).  presswatch's generic path is scored against
trafilatura alone (default settings) on the same pages.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from crawler.demo.server import Board, render_release
from crawler.extract.context import PageContext
from crawler.extract.generic import SAMPLE_PAGES, extract_generic, learn_template
from crawler.extract.titles import TitleIndex
from crawler.sites.profile import load_profile
from storage import normalise_text

from . import synthetic

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "tests" / "files"
BASELINE = Path(__file__).with_name("quality_baseline.json")
PROFILE_TEXT = 'id = "q"\nname = "q"\nbase_url = "https://www.mofa.go.kr"\nstart = "/"\ntimezone = "Asia/Seoul"\n'


@dataclass
class Page:
    html: str
    truth: list[str]
    title: str
    group: str


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    leak_rate: float
    pages: int


def board_pages(layout: str, count: int = 24) -> list[Page]:
    state = Board({**synthetic.board(count, seed=11), "layout": layout, "menu_items": 30}).state
    return [
        Page(render_release(state, n, r), r["paragraphs"], r["title"], layout) for n, r in enumerate(state["releases"])
    ]


def example_pages(name: str, count: int = 12) -> list[Page]:
    """The saved example page, and siblings with other releases' text in its template."""
    original = (FILES / name).read_text("utf-8")
    example = json.loads((ROOT / "crawler" / "demo" / "sample.json").read_text("utf-8"))["releases"][-1]
    truth, title = example["paragraphs"], example["title"]
    pages = [Page(original, truth, title, name)]
    others = synthetic.board(count, seed=3)["releases"]
    for other in others[1:]:
        page = original.replace(html_lib.escape(title), html_lib.escape(other["title"]))
        for old, new in zip(truth, other["paragraphs"] + [""] * len(truth)):
            page = page.replace(html_lib.escape(old), html_lib.escape(new), 1)
        kept = [p for p in other["paragraphs"][: len(truth)] if p]
        pages.append(Page(page, kept, other["title"], name))
    return pages


def template_groups() -> list[list[Page]]:
    """Groups of pages that share a template."""
    return [
        example_pages("mofa_en_318874_old.html"),
        example_pages("mofa_en_318874_new.html"),
        *(board_pages(layout) for layout in ("old", "new", "ko", "generic")),
    ]


def presswatch_bodies(group: list[Page]) -> list[str]:
    profile = load_profile("quality.toml", PROFILE_TEXT)
    template = learn_template([page.html for page in group[:SAMPLE_PAGES]])
    titles = TitleIndex(page.title for page in group)
    return [
        extract_generic(
            page.html, PageContext(profile, template=template, titles=titles, own_title=page.title)
        ).content.body
        for page in group
    ]


def trafilatura_bodies(group: list[Page]) -> list[str]:
    import trafilatura

    return [trafilatura.extract(page.html) or "" for page in group]


def _tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def score(groups: list[list[Page]], bodies_of) -> Score:
    return body_score([(page.truth, body) for group in groups for page, body in zip(group, bodies_of(group))])


def leaked(line: str, truth: list[str]) -> bool:
    """Whether a body line is not the release's text: neither one of its
    paragraphs nor a run of two words or more of them.  Pages and records
    differ on what a <br> divides (two lines of an address are one
    paragraph on one board, two on the next): a line broken off a
    paragraph, or two paragraphs read as one, is the release's text, not
    chrome.  A single word must be a paragraph: "Share" or "Print" inside a
    paragraph is not."""
    return _outside(line, *_release_text(truth))


def _release_text(truth: list[str]) -> tuple[frozenset[str], str]:
    """The record's paragraphs, normalised, and all of them as one text."""
    paragraphs = [normalise_text(paragraph) for paragraph in truth]
    return frozenset(paragraphs), f" {' '.join(paragraphs)} "


def _outside(line: str, paragraphs: frozenset[str], text: str) -> bool:
    if line in paragraphs:
        return False
    return " " not in line or f" {line} " not in text


def body_score(pairs: list[tuple[list[str], str]]) -> Score:
    """Token precision / recall / F1 and chrome leaks of (truth paragraphs, body) pairs."""
    hit = predicted = expected = leaks = 0
    for truth, body in pairs:
        got, want = _tokens(body), _tokens("\n".join(truth))
        hit += sum((got & want).values())
        predicted += sum(got.values())
        expected += sum(want.values())
        release = _release_text(truth)
        leaks += any(_outside(line, *release) for line in map(normalise_text, body.splitlines()) if line)
    precision = hit / predicted if predicted else 0.0
    recall = hit / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, leaks / len(pairs) if pairs else 0.0, len(pairs))


def evaluate() -> dict[str, Score]:
    groups = template_groups()
    return {
        "presswatch (generic)": score(groups, presswatch_bodies),
        "trafilatura alone": score(groups, trafilatura_bodies),
    }


def baseline() -> dict:
    """The floor the generic path must stay above: raised when it improves, never lowered."""
    return json.loads(BASELINE.read_text())


def table(results: dict[str, Score]) -> list[str]:
    lines = [
        "| extractor | pages | token precision | token recall | F1 | pages leaking chrome |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in results.items():
        lines.append(f"| {name} | {s.pages} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.leak_rate:.1%} |")
    return lines


if __name__ == "__main__":
    print("\n".join(table(evaluate())))
    from . import corpus  # it scores with body_score, from here

    print()
    print("\n".join(corpus.table()))
