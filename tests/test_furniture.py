"""A small board's first crawl is as clean as any later one: the lines a
template fills in differently on every page (an office, a hit count, a
caption, a file's size, a change history) are not the release's, and a page
showing two days gives both."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from crawler.extract.furniture import rows_joined, without_source_lines
from crawler.extract.generic import extract_generic, learn_template
from crawler.extract.pages import blocks
from crawler.extract.parse import page_root
from crawler.extract.titles import TitleIndex
from crawler.sites.profile import load_profile

from .conftest import FILES

OFFICES = ["Home Office", "Ministry of Justice", "HM Treasury"]
KICKERS = ["Press release", "News story", "Policy paper"]
TITLES = ["Budget for schools rises in the spring", "New rules for river water quality",
          "Parks open longer over the summer holidays"]
TEXTS = [
    ["Schools will receive more money for teachers and books from April onwards.",
     "Head teachers welcomed the news, which follows a review of rural schools.", "spring"],
    ["Rivers will be tested weekly for pollution by the new water agency.",
     "Companies that pollute will pay fines set by the regulator each quarter.", "autumn"],
    ["Parks will close at ten in the evening during the holiday weeks.",
     "Wardens will patrol the lakes and the playgrounds until closing time.", "summer"],
]
SECTIONS = ["section-health subsection-health-2021", "section-tax", "section-travel subsection-parks"]


def release_page(n: int, *, published: str, updated: str | None = None) -> str:
    """One page of a board of GOV.UK's and Plone's kind, every varying line
    in place: kicker, office, hits, a hidden history, a captioned photo, a
    table, a download box, a source line."""
    days = f"<dt>Published:</dt><dd>{published}</dd>" + (f"<dt>Last updated:</dt><dd>{updated}</dd>" if updated else "")
    return f"""<html><body class="{SECTIONS[n]}">
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav></header>
<main><article>
<p class="type">{KICKERS[n]}</p>
<h1>{TITLES[n]}</h1>
<dl class="meta"><dt>From:</dt><dd><a href="/org/{n}">{OFFICES[n]}</a></dd>
<dt>History:</dt><dd>Updated in 2021 <div class="overlay js-hidden"><p>First published.</p><p>Corrected a figure.</p></div></dd></dl>
<table class="info"><tr><th>담당부서</th><td>{OFFICES[n]} press desk {n}</td><th>조회수</th><td>{100 + 37 * n}</td></tr></table>
<div class="summary"><p>Announced for the {TEXTS[n][2]}: {TITLES[n].lower()}.</p></div>
<div class="body">
<div id="media"><img src="/img/{n}.jpg" alt=""><p class="credit">Minister {n} at the launch, {OFFICES[n]}</p></div>
<p>{TEXTS[n][0]}</p>
<p>{TEXTS[n][1]}</p>
<table><tr><td><p>{TEXTS[n][2].title()} phase</p></td><td><p>{OFFICES[n]} budget</p></td></tr>
<tr><td><p>{TITLES[n].split()[0]}</p></td><td><p>{TEXTS[n][0].split()[0]} grants</p></td></tr></table>
<p>Com informações do {OFFICES[n]}</p>
</div>
<section class="attachment"><h2 class="title"><a href="/files/report-{n}.pdf">{TEXTS[n][2].title()} report</a></h2>
<p class="metadata">PDF, {200 + n}KB, {10 + n} pages</p>
<p class="help">If you need this in another format, email info{n}@office{n}.gov.uk quoting its title.</p></section>
</article></main>
<footer><dl class="dates">{days}</dl><p>Crown copyright</p></footer>
</body></html>"""


def expected_body(n: int) -> str:
    return "\n\n".join([
        f"Announced for the {TEXTS[n][2]}: {TITLES[n].lower()}.", TEXTS[n][0], TEXTS[n][1],
        f"{TEXTS[n][2].title()} phase {OFFICES[n]} budget", f"{TITLES[n].split()[0]} {TEXTS[n][0].split()[0]} grants",
    ])


DAYS = [("28 May 2010", "4 August 2014"), ("16/07/2021 17h28", "02/08/2021 09h49"), ("3 March 2020", "3 March 2020")]


@pytest.fixture(scope="module")
def board():
    pages = [release_page(n, published=DAYS[n][0], updated=DAYS[n][1]) for n in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    return pages, profile, learn_template(pages)


@pytest.mark.parametrize("n", range(3))
def test_a_first_crawl_of_three_pages_keeps_only_the_release(board, n):
    pages, profile, template = board
    found = extract_generic(pages[n], profile, template, TitleIndex(), page_url="https://press.example.org/news/1")
    assert found.content.title == TITLES[n]
    assert found.content.body == expected_body(n)
    assert [a.url for a in found.content.attachments] == [f"https://press.example.org/files/report-{n}.pdf"]
    assert found.hits == 100 + 37 * n


@pytest.mark.parametrize("n, published, updated", [
    (0, "2010-05-28", "2014-08-04"),  # "Published:" / "Last updated:" in a list of fields
    (1, "2021-07-16T17:28:00+00:00", "2021-08-02T09:49:00+00:00"),  # a day-first board's "17h28"
    (2, "2020-03-03", None),  # updated the same day: not an update worth a column
])
def test_a_page_showing_two_days_gives_both(board, n, published, updated):
    pages, profile, template = board
    profile = replace(profile, country="BR")
    found = extract_generic(pages[n], profile, template, TitleIndex())
    assert (found.content.published, found.updated) == (published, updated)


def test_a_page_showing_only_its_update_day_takes_the_listed_day_as_published(board):
    _, profile, template = board
    page = release_page(0, published="", updated="4 August 2014").replace("<dt>Published:</dt><dd></dd>", "")
    found = extract_generic(page, profile, template, TitleIndex(), listed=date(2010, 5, 28))
    assert (found.content.published, found.updated) == ("2010-05-28", "2014-08-04")


@pytest.mark.parametrize("body, kept", [
    (["来源：驻印度使馆", "Text."], ["Text."]),
    (["Text.", "Com informações do Ministério da Economia"], ["Text."]),
    (["Source: the ministry's survey of 2020 shows growth", "Text."], ["Text."]),
    (["Text.", "The source of the figures is the census."], ["Text.", "The source of the figures is the census."]),
])
def test_a_source_line_at_either_end_is_not_the_release_s(body, kept):
    assert without_source_lines(body) == kept


def test_a_layout_table_keeps_its_paragraphs_and_a_data_row_is_one():
    layout = page_root("<html><body><table><tr><td><p>One.</p><p>Two.</p></td><td><p>Side</p></td></tr>"
                       "<tr><td>2020</td><td>12%</td></tr></table></body></html>")
    assert rows_joined(blocks(layout.find(".//body"), cells=True)) == ["One.", "Two.", "Side", "2020 12%"]


def body_blocks(html: str) -> list:
    return blocks(page_root(f"<html><body>{html}</body></html>").find(".//body"), cells=True)


@pytest.mark.parametrize("html, furniture_", [
    ('<div class="card"><a href="https://gbiz-id.go.jp/top/"><strong>GBizID | Home</strong>'
     "<em>One ID for every service.</em><em>gbiz-id.go.jp</em></a></div>", True),  # another site's preview
    ('<p><a href="/front/pdf/module-22864-fr.pdf">Télécharger le .pdf</a></p>', True),  # the file, by its type
    ('<p class="callout"><a href="/files/ebook.pdf">Acesse o e-book</a></p>', False),  # a sentence of the text
    ('<p>See <a href="https://example.org/">example.org</a> for more on example.org</p>', False),
])
def test_previews_and_download_links_are_not_the_release_s(html, furniture_):
    from crawler.extract.furniture import furniture

    [block] = body_blocks(html)
    assert furniture(block, frozenset()) is furniture_


def test_separators_go_and_meaningful_marks_stay():
    from crawler.extract.furniture import without_end_matter

    assert without_end_matter(["One.", "* * *", "****************", "...", "Two."]) == ["One.", "...", "Two."]


def test_zero_width_joiners_spell_emoji_and_words():
    from storage import normalise_text

    assert normalise_text("行政×デジタルの解説 👨\u200d🏫") == "行政×デジタルの解説 👨\u200d🏫"
    assert normalise_text("Attor\u00adney\u200b") == "Attorney"


def test_a_stray_document_before_the_page_is_passed_over():
    root = page_root("<!doctype html><html><head><title>inc</title></head></html>\n"
                     "<html><head><title>Page</title></head><body><h1>The release</h1></body></html>")
    assert root.findtext(".//h1") == "The release"
