"""A small board's first crawl is as clean as any later one: the lines a
template fills in differently on every page (an office, a hit count, a
caption, a file's size, a change history) are not the release's, and a page
showing two days gives both."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from crawler.extract.context import PageContext
from crawler.extract.furniture import furniture, rows_joined, without_source_lines
from crawler.extract.generic import extract_generic, learn_template
from crawler.extract.pages import blocks
from crawler.extract.parse import page_root
from crawler.sites.profile import load_profile

from .helpers import FILES, body_blocks

OFFICES = ["Home Office", "Ministry of Justice", "HM Treasury"]
KICKERS = ["Press release", "News story", "Policy paper"]
TITLES = [
    "Budget for schools rises in the spring",
    "New rules for river water quality",
    "Parks open longer over the summer holidays",
]
TEXTS = [
    [
        "Schools will receive more money for teachers and books from April onwards.",
        "Head teachers welcomed the news, which follows a review of rural schools.",
        "spring",
    ],
    [
        "Rivers will be tested weekly for pollution by the new water agency.",
        "Companies that pollute will pay fines set by the regulator each quarter.",
        "autumn",
    ],
    [
        "Parks will close at ten in the evening during the holiday weeks.",
        "Wardens will patrol the lakes and the playgrounds until closing time.",
        "summer",
    ],
]
KEYWORDS = " <span> | </span> ".join(
    f'<span><a href="/sr/sra.html?allq={word}">{word}</a></span>'
    for word in ("Immigration policy", "Canada", "news releases")
)
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
    return "\n\n".join(
        [
            f"Announced for the {TEXTS[n][2]}: {TITLES[n].lower()}.",
            TEXTS[n][0],
            TEXTS[n][1],
            f"{TEXTS[n][2].title()} phase {OFFICES[n]} budget",
            f"{TITLES[n].split()[0]} {TEXTS[n][0].split()[0]} grants",
        ]
    )


DAYS = [("28 May 2010", "4 August 2014"), ("16/07/2021 17h28", "02/08/2021 09h49"), ("3 March 2020", "3 March 2020")]


@pytest.fixture(scope="module")
def board():
    pages = [release_page(n, published=DAYS[n][0], updated=DAYS[n][1]) for n in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    return pages, profile, learn_template(pages)


@pytest.mark.parametrize("n", range(3))
def test_a_first_crawl_of_three_pages_keeps_only_the_release(board, n):
    pages, profile, template = board
    found = extract_generic(pages[n], PageContext(profile, "https://press.example.org/news/1", template))
    assert found.content.title == TITLES[n]
    assert found.content.body == expected_body(n)
    assert [a.url for a in found.content.attachments] == [f"https://press.example.org/files/report-{n}.pdf"]
    assert found.hits == 100 + 37 * n


@pytest.mark.parametrize(
    "n, published, updated",
    [
        (0, "2010-05-28", "2014-08-04"),  # "Published:" / "Last updated:" in a list of fields
        (1, "2021-07-16T17:28:00+00:00", "2021-08-02T09:49:00+00:00"),  # a day-first board's "17h28"
        (2, "2020-03-03", None),  # updated the same day: not an update worth a column
    ],
)
def test_a_page_showing_two_days_gives_both(board, n, published, updated):
    pages, profile, template = board
    profile = replace(profile, country="BR")
    found = extract_generic(pages[n], PageContext(profile, template=template))
    assert (found.content.published, found.updated) == (published, updated)


def test_an_update_day_the_markup_stamps_in_a_sentence_is_the_page_s(board):
    # Philadelphia's footer: "This content was last updated on <time …>March 29, 2016</time> by <a>…</a>."
    _, profile, template = board
    stamped = (
        '<dt>Published:</dt><dd>28 May 2010</dd></dl><p>This content was last updated on <time datetime="2014-08-04'
        'T14:25:23+00:00">August 4, 2014</time> by <a href="/org/0">the Office of the Mayor</a>.</p><dl>'
    )
    page = release_page(0, published="28 May 2010").replace("<dt>Published:</dt><dd>28 May 2010</dd>", stamped)
    found = extract_generic(page, PageContext(profile, template=template))
    assert (found.content.published, found.updated) == ("2010-05-28", "2014-08-04")
    # a sentence of the text that names a day with no stamp gives no update
    said = page.replace('<time datetime="2014-08-04T14:25:23+00:00">August 4, 2014</time>', "August 4, 2014")
    assert extract_generic(said, PageContext(profile, template=template)).updated is None


def test_a_page_showing_only_its_update_day_takes_the_listed_day_as_published(board):
    _, profile, template = board
    page = release_page(0, published="", updated="4 August 2014").replace("<dt>Published:</dt><dd></dd>", "")
    found = extract_generic(page, PageContext(profile, template=template, listed_day=date(2010, 5, 28)))
    assert (found.content.published, found.updated) == ("2010-05-28", "2014-08-04")
    # no list's day either (a city's bulletin shows only 最終更新日): the update day dates it
    found = extract_generic(page, PageContext(profile, template=template))
    assert (found.content.published, found.updated) == ("2014-08-04", None)


@pytest.mark.parametrize(
    "body, kept",
    [
        (["来源：驻印度使馆", "Text."], ["Text."]),
        (["Text.", "Com informações do Ministério da Economia"], ["Text."]),
        (["Source: the ministry's survey of 2020 shows growth", "Text."], ["Text."]),
        (["Text.", "The source of the figures is the census."], ["Text.", "The source of the figures is the census."]),
        (["The following is issued on behalf of the Hospital Authority:", "Text."], ["Text."]),
        (["Issued by the ministry today, the report shows growth.", "Text."], None),  # a sentence, kept
    ],
)
def test_a_source_line_at_either_end_is_not_the_release_s(body, kept):
    assert without_source_lines(body) == (body if kept is None else kept)


def test_a_layout_table_keeps_its_paragraphs_and_a_data_row_is_one():
    one, two = "The minister met the delegation today.", "Both sides agreed to meet again."
    layout = page_root(
        f"<html><body><table><tr><td><p>{one}</p><p>{two}</p></td><td><p>Side</p></td></tr>"
        "<tr><td>2020</td><td>12%</td></tr></table></body></html>"
    )
    assert rows_joined(blocks(layout.find(".//body"), cells=True)) == [one, two, "Side", "2020 12%"]
    # a data table's heading cells hold a label and its note, each a line of its own
    data = page_root(
        "<html><body><table><tr><td><p>Permits issued</p><p>(Jan 11 - today)</p></td>"
        "<td><p>Applications</p></td></tr><tr><td>936,459</td><td>20,087</td></tr></table></body></html>"
    )
    assert rows_joined(blocks(data.find(".//body"), cells=True)) == [
        "Permits issued (Jan 11 - today) Applications",
        "936,459 20,087",
    ]


@pytest.mark.parametrize(
    "html, furniture_",
    [
        (
            '<div class="card"><a href="https://gbiz-id.go.jp/top/"><strong>GBizID | Home</strong>'
            "<em>One ID for every service.</em><em>gbiz-id.go.jp</em></a></div>",
            True,
        ),  # another site's preview
        ('<p><a href="/front/pdf/module-22864-fr.pdf">Télécharger le .pdf</a></p>', True),  # the file, by its type
        ('<p class="callout"><a href="/files/ebook.pdf">Acesse o e-book</a></p>', False),  # a sentence of the text
        # a label over links: the release in other languages
        ('<div>Read this release in: <a href="/?id=2">Urdu</a> , <a href="/?id=3">Tamil</a></div>', True),
        # a row of links may have a longer label (Canada.ca's keywords)
        (f"<div><span>Search for related information by keyword:</span>{KEYWORDS}</div>", True),
        ('<p>See <a href="/a">the plan</a> and <a href="/b">its annex</a> for the details:</p>', False),
        ('<p>See <a href="https://example.org/">example.org</a> for more on example.org</p>', False),
        # a file's card, all one link: its name is the attachment's (Helsingborg)
        (
            '<a href="/uploads/survey.pdf"><div><h2>A summary of the results of the 2024 safety survey can be found here (pdf, 0.4 MB)</h2></div></a>',
            True,
        ),
        ('<a href="/news/survey"><div><h2>A summary of the survey</h2></div></a>', False),  # a page, not a file
        # a heading over a box of files and nothing else (gov.il's "Files to download")
        (
            '<div><div class="card-header"><h2><a href="javascript:;">Files to download</a></h2></div></div>'
            '<div><a href="/BlobFolder/notice.pdf">Notice on the fee</a><span>pdf</span></div>',
            True,
        ),
        ('<h2>The plan</h2><div><p>We publish <a href="/plan.pdf">the plan</a> today.</p></div>', False),
        ('<div>Available as: <a href="/uploads/opening-statement.pdf">PDF</a></div>', True),  # a label over a file
        ('<div>Contact: <a href="/press/contacts/">Media Relations</a></div>', False),  # over one page: a field
        # the line that announces the picture below it (Austin's police releases)
        ('<p><strong>Booking photo of Lopez:</strong></p><p><strong><img src="/a.jpg"></strong></p>', True),
        ("<p>The plan has two parts:</p><ul><li>Roads</li><li>Bridges</li></ul>", False),
        # keywords, each a search of the site (Bank of Korea), and a sentence that links its words
        (
            '<dd><a href="/s?q=Bond">Monetary Stabilization Bond</a> <a href="/s?q=I">Issuance</a> '
            '<a href="/s?q=O">Open Market Operations</a></dd>',
            True,
        ),
        ('<p><a href="/a">Bonds</a>, <a href="/b">bills</a> and <a href="/c">notes</a> were sold.</p>', False),
        # an office and its telephone: the release's contact, under its heading
        ("<dd>Market Operations Team(02-759-4564)</dd>", True),
        ("<p>Call 02-759-4564 to book a seat at the briefing.</p>", False),
        # a file's name as the link's whole line, however long
        (
            '<li><a href="/fileSrc/eng/b5/1/94a.pdf">(BOK Issue Note 2025-01) The Shift Toward Experienced Hires.pdf</a></li>',
            True,
        ),
    ],
)
def test_previews_and_download_links_are_not_the_release_s(html, furniture_):
    from crawler.extract.furniture import furniture

    block = body_blocks(html)[0]
    assert furniture(block, frozenset()) is furniture_


def test_zero_width_joiners_spell_emoji_and_words():
    from storage import normalise_text

    assert normalise_text("行政×デジタルの解説 👨\u200d🏫") == "行政×デジタルの解説 👨\u200d🏫"
    assert normalise_text("Attor\u00adney\u200b") == "Attorney"


def test_a_stray_document_before_the_page_is_passed_over():
    root = page_root(
        "<!doctype html><html><head><title>inc</title></head></html>\n"
        "<html><head><title>Page</title></head><body><h1>The release</h1></body></html>"
    )
    assert root.findtext(".//h1") == "The release"


@pytest.mark.parametrize(
    "body, kept",
    [
        (["Text.", "December 6, 2021, Minsk"], ["Text."]),  # a closing date line, with its place
        (["Text.", "Newsdate: 25 May 2022"], ["Text."]),
        (["6 August 2017", "Text."], ["Text."]),
        (["Text.", "CMRs 15 October 2022 15 December 2022"], ["Text.", "CMRs 15 October 2022 15 December 2022"]),
        (
            ["Projeto será expandido para todo o país até 10 de março de 2022"],
            ["Projeto será expandido para todo o país até 10 de março de 2022"],
        ),
        (
            ["Text.", "The talks end on 6 August 2017 in Geneva."],
            ["Text.", "The talks end on 6 August 2017 in Geneva."],
        ),
        (["Media Release", "9 December 2020", "Text."], ["Text."]),  # the document's kind over its day
        (["FOR IMMEDIATE RELEASE", "Text."], ["Text."]),  # a press release's letterhead
        (["Opening statement", "Good morning."], ["Good morning."]),
        (["Good morning.", "Speech", "Remarks"], ["Good morning.", "Speech", "Remarks"]),  # only the first lines
        (["Press release on the budget follows.", "Text."], ["Press release on the budget follows.", "Text."]),
        # stamps the site rewrites when it touches the page, however long their label
        (["Text.", "Page last updated: 12/05/2024"], ["Text."]),
        (["Text.", "This page was last modified on 12 March 2024, at 10:15."], ["Text."]),
        (["Published: Tuesday, 3 May 2024 at 10:15 am", "Text."], ["Text."]),
        (["Text.", "最終更新日：2024年5月3日"], ["Text."]),
        (["Text.", "The budget was updated on 3 May 2024."], ["Text.", "The budget was updated on 3 May 2024."]),
        (["Text.", "Updated guidance follows in 2024"], ["Text.", "Updated guidance follows in 2024"]),
        # a meeting's day and hours: when it takes place, the notice's (Cuyahoga County)
        (["December 14, 2023 8:00 AM - 9:00 AM", "Location"], ["December 14, 2023 8:00 AM - 9:00 AM", "Location"]),
        (["Text.", "December 14, 2023 8:00 AM"], ["Text."]),
        # the stamp of an event's page, whatever it calls the page (St. Louis)
        (["Text.", "Event published: Jan 3, 2020 4:34 PM"], ["Text."]),
        (["Text.", "Post updated on March 2, 2024"], ["Text."]),
        (
            ["Text.", "The event was published in 2020 by the city"],
            ["Text.", "The event was published in 2020 by the city"],
        ),
    ],
)
def test_a_line_that_only_gives_the_day_is_not_the_release_s(board, body, kept):
    from crawler.extract.furniture import without_date_lines

    _, profile, _ = board
    assert without_date_lines(body, profile) == kept


def test_a_speech_dated_only_in_its_title_is_published_that_day(board):
    _, profile, template = board
    page = (
        release_page(0, published="")
        .replace("<dt>Published:</dt><dd></dd>", "")
        .replace(
            TITLES[0],
            f"Statement by the Minister at the Extraordinary Virtual Summit on {TITLES[0].lower()} (May 15, 2020)",
        )
    )
    found = extract_generic(page, PageContext(profile, template=template))
    assert found.content.published == "2020-05-15"
    assert found.sources["published"] == "the title"


def minutes_page(n: int) -> str:
    return f"""<html><body><a href="#content">Skip to content</a><nav><a href="/">Home</a></nav>
<div id="content"><h1>{TITLES[n]}</h1>
<h3><a href="#part{n}">Part {n}: the {TEXTS[n][2]} review</a></h3>
<p>{TEXTS[n][0]}<a href="#fn{n}" id="t{n}"><sup>{n + 1}</sup></a> More follows.</p>
<p>{TEXTS[n][1]}</p>
<p>The figures are in <a href="#annex{n}">the annex</a></p>
<p><a id="fn{n}">{n + 1}.</a> Attended part of the meeting. <a href="#t{n}">Return to text</a></p>
<p><a href="#top"><img src="/up.gif" alt="Return to top"></a><a href="#top">Return to top</a></p>
<p><a href="#top">↑</a></p>
</div><footer><p>Last update: {DAYS[n][0]}</p></footer></body></html>"""


@pytest.mark.parametrize("n", range(3))
def test_links_about_the_page_go_and_footnote_marks_and_linked_words_stay(n):
    pages = [minutes_page(k) for k in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[n], PageContext(profile, "https://press.example.org/1", learn_template(pages)))
    assert found.content.body.split("\n\n") == [
        f"Part {n}: the {TEXTS[n][2]} review",  # a contents' heading is the release's
        f"{TEXTS[n][0]}{n + 1} More follows.",
        TEXTS[n][1],
        "The figures are in the annex",  # a link within a sentence is words of it
        f"{n + 1}. Attended part of the meeting.",
    ]


@pytest.mark.parametrize(
    "html, at, furniture_",
    [
        # a file's name as a heading, its facts past a comment
        ("<div><h3>Annual report</h3><!-- Files for download --><p>PDF, 200 KB</p></div>", 0, True),
        # a heading over the text, a comment after it: the release's
        ("<div><h3>Annual report</h3><!-- text --><p>The year in review.</p></div>", 0, False),
        # a photo's line, a comment between it and the photo
        ('<div><img src="/a.jpg"><!-- caption --><p>The minister at the port</p></div>', 0, True),
    ],
)
def test_comments_between_elements_are_passed_over(html, at, furniture_):
    from crawler.extract.furniture import furniture

    assert furniture(body_blocks(html)[at], frozenset()) is furniture_


def portal_page(n: int) -> str:
    """A portal's news item: its subject and day each a row of a facts list,
    the label and the value side by side, then the lead and the text."""
    return f"""<html><body><nav><a href="/">gov.example</a></nav><main>
<h1 id="NewsTitle">{TITLES[n]}</h1>
<ul class="facts"><li class="row"><span class="label">נושא</span><div class="value"><a href="/topics/{n}">{KICKERS[n]}</a></div></li>
<li class="row"><span class="label">Published</span><div class="value"><span>0{n + 1}.03.2021</span></div></li></ul>
<h3 id="NewsDescription">{TEXTS[n][0]}</h3><div id="NewsContent"><p>{TEXTS[n][1]}</p></div></main></body></html>"""


@pytest.mark.parametrize("n", range(3))
def test_a_value_beside_its_label_in_a_row_the_template_fills_is_not_the_release_s(n):
    pages = [portal_page(k) for k in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[n], PageContext(profile, "https://gov.example/news/1", learn_template(pages)))
    assert found.content.body.split("\n\n") == TEXTS[n][:2]


def test_a_post_embedded_from_a_social_network_is_not_the_release_s():
    pages = [
        f"""<html><body><nav><a href="/">Home</a></nav><main><h1>{TITLES[n]}</h1><p>{TEXTS[n][0]}</p>
<blockquote class="twitter-tweet"><p>Hoisted the flag today {n} <a href="https://x.com/h">#Flag</a></p>
— Minister (@minister) August 9, 2026</blockquote><p>{TEXTS[n][1]}</p></main></body></html>"""
        for n in range(3)
    ]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[1], PageContext(profile, "https://gov.example/1", learn_template(pages)))
    assert found.content.body.split("\n\n") == TEXTS[1][:2]


@pytest.mark.parametrize(
    "html, trail",
    [
        # Coahuila's judiciary: the trail inside the article, its last item the day and a short title, unlinked
        (
            '<article><nav aria-label="breadcrumb"><ol class="breadcrumb"><li class="breadcrumb-item">'
            '<a href="../">2022</a></li><li class="breadcrumb-item active" aria-current="page">2022-09-06 '
            "Erradicación de la delincuencia cibernética</li></ol></nav><p>En Coahuila el delito.</p></article>",
            ["2022", "2022-09-06 Erradicación de la delincuencia cibernética"],
        ),
        (
            '<div id="breadcrumbs"><span>News</span> › <span>Minister visits Busan</span></div><p>Text.</p>',
            ["News › Minister visits Busan"],
        ),
        ("<article><p>The breadcrumb trail of the old site was removed.</p></article>", []),
    ],
)
def test_a_breadcrumb_trail_s_lines_are_the_page_s(html, trail):
    lines = [block.text for block in body_blocks(html) if furniture(block, frozenset())]
    assert lines == trail
