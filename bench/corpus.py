"""Real boards' saved pages: profile-less presswatch, profiled presswatch
and trafilatura side by side (tests/files/corpus, sources in its SOURCES.md).

Each board folder holds release pages, its list page when one was saved
(list.html), ``expected.json`` (each page's hand-checked record: title,
publication date, the release's own paragraphs, attachment URLs) and
``profile.toml``, the board's profile with [detail] selectors.  The
profile-less path gets the same profile without its [detail] section: the
list rule, key and country a minimal profile gives.

As in a crawl, the list page gives each release its listed title (the page
must name the same release) and date (used when the page shows none), and
the template is learned from the board's release pages.  Scores per page:
body tokens (precision, recall, F1) and chrome leaks (any body line that is
not the record's text: quality.leaked), title, date (the calendar day), attachments (F1 over URLs);
per board, whether an error page (a maintenance page answering 200, the
list page) at a release's URL would have been archived as the release (the
target: never), and another release's page (reported: the title check is
lenient, as lists shorten and reword titles).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass

import lxml.html

from crawler.exceptions import ExtractionError
from crawler.extract.context import PageContext
from crawler.extract.encoding import decode_page
from crawler.extract.generic import extract_page
from crawler.extract.pages import Extracted, Listed, parse_list
from crawler.extract.saved import SavedPage, reading
from crawler.extract.urls import canonical_url
from crawler.sites.profile import DetailRule, SiteProfile, load_profile

from .first_sight import FirstSight, first_sight
from .measure import ROOT
from .quality import body_score

CORPUS = ROOT / "tests" / "files" / "corpus"
MAINTENANCE = (
    "<html><head><title>Service temporarily unavailable</title></head><body>"
    "<h1>Service temporarily unavailable</h1><p>The site is under maintenance. Please come back later.</p>"
    "</body></html>"
)


@dataclass
class Page:
    name: str
    html: str
    title: str
    published: str | None
    body: list[str]
    attachments: list[str]
    listed: Listed | None  # the list page's entry for it, when the list shows it
    updated: str | None | bool = False  # the later "updated" day it shows (False: its record does not say)


def held_out(name: str) -> bool:
    """The fixed rule that keeps a third of the boards out of design work:
    a board is held out when the SHA-256 of its folder's name, read as a
    number from its first 8 hex digits, is a multiple of 3."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % 3 == 0


@dataclass
class Board:
    name: str
    pages: list[Page]
    profile: SiteProfile  # with [detail] selectors
    list_html: str | None
    listed: list[Listed]  # what the list page shows

    @property
    def held_out(self) -> bool:
        return held_out(self.name)

    @property
    def generic(self) -> SiteProfile:
        return dataclasses.replace(self.profile, detail=DetailRule())

    @property
    def page_url(self) -> str:
        return self.profile.base_url + "/"


def boards() -> list[Board]:
    found = []
    for folder in sorted(
        path for path in CORPUS.iterdir() if (path / "expected.json").exists() and (path / "profile.toml").exists()
    ):
        profile = load_profile(folder / "profile.toml")
        list_path = folder / "list.html"
        list_html = _read(list_path, profile) if list_path.exists() else None
        listed = parse_list(list_html, profile, profile.base_url + profile.start[0]) if list_html else []
        pages = []
        for name, record in sorted(json.loads((folder / "expected.json").read_text("utf-8")).items()):
            html = _read(folder / name, profile)
            entry = _entry_for(html, record["title"], listed)
            pages.append(
                Page(
                    name,
                    html,
                    record["title"],
                    record["published"],
                    record["body"],
                    record["attachments"],
                    entry,
                    record.get("updated", False),
                )
            )
        found.append(Board(folder.name, pages, profile, list_html, listed))
    return found


def _read(path, profile: SiteProfile) -> str:
    """A saved page as a crawl decodes it (pages keep their own charsets)."""
    return decode_page(path.read_bytes(), None, profile.encoding)[0]


def _entry_for(html: str, title: str, listed: list[Listed]) -> Listed | None:
    """The list's entry for a release page: by the page's canonical URL, as
    a crawl knows it (the URL it fetched), else by its exact title."""
    root = lxml.html.fromstring(html)
    urls = root.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
    slugs = {url.rstrip("/").rsplit("/", 1)[-1] for url in urls}
    by_url = next((entry for entry in listed if entry.url.rstrip("/").rsplit("/", 1)[-1] in slugs), None)
    return by_url or next((entry for entry in listed if entry.title == title), None)


def generic_extractor(board: Board):
    """extract(html, own_title, listed date) as `presswatch extract` reads saved
    pages (crawler.extract.saved): the template learned from the board's pages."""
    pages = [SavedPage(page.name, page.html.encode("utf-8")) for page in board.pages]
    found = reading(board.generic, pages)
    titles = dataclasses.replace(found, titles=type(found.titles)(entry.title for entry in board.listed if entry.title))

    def extract(html: str, own_title: str | None, day) -> Extracted:
        return extract_page(
            html, PageContext(titles.profile, board.page_url, titles.template, titles.titles, day, own_title)
        )

    return extract


def profiled_extractor(board: Board):
    def extract(html: str, own_title: str | None, day) -> Extracted:  # as a crawl does: the selectors' word
        return extract_page(html, PageContext(board.profile, board.page_url, listed_day=day, own_title=own_title))

    return extract


@dataclass
class Result:
    pages: int
    precision: float
    recall: float
    f1: float
    leak_rate: float
    titles: float  # share of pages with the right title
    dates: float  # share with the right day (or rightly none)
    attachments_f1: float
    updated: float  # of the pages whose record says, the share with the right "updated" day (or rightly none)
    failed: int  # pages not extracted at all
    errors_archived: int  # of the error pages (maintenance, the list page), how many would have made a version
    error_pages: int
    other_archived: int  # another release's page at the release's URL: archived (1) or refused (0)


def evaluate(board: Board, make_extractor) -> Result:
    extract = make_extractor(board)
    bodies, titles, dates, failed, updated = [], 0, 0, 0, []
    hit = predicted = expected = 0
    for page in board.pages:
        own_title = page.listed.title if page.listed else None
        day = page.listed.date if page.listed else None
        try:
            found = extract(page.html, own_title, day)
            content = found.content
        except ExtractionError:
            failed += 1
            bodies.append("")
            continue
        bodies.append(content.body)
        titles += content.title == page.title
        dates += (content.published or "")[:10] == (page.published or "")
        if page.updated is not False:
            updated.append((found.updated or "")[:10] == (page.updated or ""))
        # one file, one URL: presswatch records a link as crawler.extract.urls names
        # it (its query sorted), a record as the page wrote it
        got, want = (
            {canonical_url(a.url, bare=True) for a in content.attachments},
            {canonical_url(url, bare=True) for url in page.attachments},
        )
        hit, predicted, expected = hit + len(got & want), predicted + len(got), expected + len(want)
    body = body_score([(page.body, text) for page, text in zip(board.pages, bodies)])
    precision = hit / predicted if predicted else 1.0
    recall = hit / expected if expected else 1.0
    attachments = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    first, second = board.pages[0], board.pages[1]
    own = first.listed.title if first.listed else first.title
    errors = [MAINTENANCE, *([board.list_html] if board.list_html else [])]
    count = len(board.pages)
    return Result(
        count,
        body.precision,
        body.recall,
        body.f1,
        body.leak_rate,
        titles / count,
        dates / count,
        attachments,
        sum(updated) / len(updated) if updated else math.nan,
        failed,
        sum(_archived(extract, html, own) for html in errors),
        len(errors),
        _archived(extract, second.html, own),
    )


def _archived(extract, html: str, own_title: str) -> int:
    """Would this page, answering at the URL of the release the list called
    ``own_title``, have made a version?"""
    try:
        extract(html, own_title, None)
    except ExtractionError:
        return 0
    return 1


def peer_results(boards: list[Board]) -> dict[str, dict[str, Result]]:
    """Per board, each peer extractor's body score on the same pages
    (bench/peers.py, in the peers' own environment that `make` builds)."""
    from . import peers

    pages = [{"html": page.html, "url": page_url(board, page)} for board in boards for page in board.pages]
    runs = peers.run_isolated(pages)
    found: dict[str, dict[str, Result]] = {board.name: {} for board in boards}
    nan = float("nan")
    for name, run in runs.items():
        offset = 0
        for board in boards:
            bodies = ["\n".join(paragraphs) for paragraphs in run.paragraphs[offset : offset + len(board.pages)]]
            offset += len(board.pages)
            body = body_score([(page.body, text) for page, text in zip(board.pages, bodies)])
            found[board.name][name] = Result(
                len(board.pages), body.precision, body.recall, body.f1, body.leak_rate, nan, nan, nan, nan, 0, 0, 0, 0
            )
    return found


def page_url(board: Board, page: Page) -> str:
    root = lxml.html.fromstring(page.html.encode("utf-8"))
    links = root.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
    return str(links[0]) if links else board.page_url


EXTRACTORS = {"presswatch, no selectors": generic_extractor, "presswatch, profiled": profiled_extractor}
GENERIC = "presswatch, no selectors"


def results(with_peers: bool = False) -> dict[str, dict[str, Result]]:
    """Per board, per extractor (and per peer, when asked)."""
    found = boards()
    table = {board.name: {name: evaluate(board, make) for name, make in EXTRACTORS.items()} for board in found}
    if with_peers:
        for board, row in peer_results(found).items():
            table[board].update(row)
    return table


def summary(found: dict[str, dict[str, Result]]) -> list[str]:
    """Body F1 (mean and minimum over boards), pages without a leaked line
    and the means of titles, dates and attachments F1 over boards, per
    extractor, for the design boards and the held-out boards apart; then
    the boards where a peer's body F1 is above profile-less presswatch's."""
    lines = [
        "| boards | extractor | boards | F1 mean | F1 min | pages with no leaked line | titles | dates | "
        "attachments F1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    seen = first_sight()
    for label, keep in (("held out", True), ("design", False)):
        names = [name for name in found if held_out(name) == keep]
        if not names:
            continue
        for extractor in found[names[0]]:
            rows = [found[name][extractor] for name in names if extractor in found[name]]
            pages = sum(r.pages for r in rows)
            clean = sum((1 - r.leak_rate) * r.pages for r in rows) / pages if pages else math.nan
            means = [_mean([getattr(r, field) for r in rows]) for field in ("titles", "dates", "attachments_f1")]
            lines.append(
                f"| {label} | {extractor} | {len(rows)} | {sum(r.f1 for r in rows) / len(rows):.3f} | "
                f"{min(r.f1 for r in rows):.3f} | {clean:.0%} | " + " | ".join(means) + " |"
            )
        lines.append(_at_first_sight(label, names, found, seen))
    behind = below_best_peer(found)
    return lines + [
        "",
        "At first sight: profile-less presswatch on the same boards as it read each one before any change was made "
        "for it (tests/files/corpus/SOURCES.md), boards with a first-sight row only.",
        "",
        "Boards where a peer's body F1 is above profile-less presswatch's: " + (behind or "none") + ".",
    ]


def _at_first_sight(
    label: str, names: list[str], found: dict[str, dict[str, Result]], seen: dict[str, FirstSight]
) -> str:
    """The summary's row of first-sight scores for one set of boards."""
    rows = [(seen[name], found[name][GENERIC].pages) for name in names if name in seen]
    if not rows:
        return f"| {label} | {GENERIC}, at first sight | 0 | — | — | — | — | — | — |"
    pages = sum(count for _, count in rows)
    clean = sum((1 - score.leak_rate) * count for score, count in rows) / pages
    means = [_mean([getattr(score, field) for score, _ in rows]) for field in ("titles", "dates", "attachments_f1")]
    return (
        f"| {label} | {GENERIC}, at first sight | {len(rows)} | {sum(s.f1 for s, _ in rows) / len(rows):.3f} | "
        f"{min(s.f1 for s, _ in rows):.3f} | {clean:.0%} | " + " | ".join(means) + " |"
    )


def _mean(values: list[float]) -> str:
    known = [value for value in values if not math.isnan(value)]
    return f"{sum(known) / len(known):.2f}" if known else "—"


def below_best_peer(found: dict[str, dict[str, Result]]) -> str:
    """Each board whose best peer reads the body better, with both F1s."""
    behind = []
    for board, row in found.items():
        ours = row[GENERIC].f1
        peers = {name: r.f1 for name, r in row.items() if name not in EXTRACTORS}
        best = max(peers, key=peers.__getitem__, default=None)
        if best and round(peers[best], 3) > round(ours, 3):
            behind.append(
                f"{board} ({'held out' if held_out(board) else 'design'}: {ours:.3f}, {best} {peers[best]:.3f})"
            )
    return "; ".join(behind)


def table(found: dict[str, dict[str, Result]] | None = None) -> list[str]:
    found = found if found is not None else results()
    lines = [
        "| board | set | extractor | pages | body precision | recall | F1 | pages leaking chrome | titles | dates | "
        "updated days | attachments F1 | error pages archived | another release's page archived |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for board, row in found.items():
        for name, r in row.items():
            extra = (
                "— | — | — | — | — | —"
                if math.isnan(r.titles)
                else f"{r.titles:.0%} | {r.dates:.0%} | {'—' if math.isnan(r.updated) else f'{r.updated:.0%}'} | "
                f"{r.attachments_f1:.3f} | {r.errors_archived} of {r.error_pages} | "
                f"{'yes' if r.other_archived else 'no'}"
            )
            kind = "held out" if held_out(board) else "design"
            lines.append(
                f"| {board} | {kind} | {name} | {r.pages} | {r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} | "
                f"{r.leak_rate:.0%} | {extra} |"
            )
    return lines
