"""A site's notice in the text of every release: a closing section with a
heading of its own, and a posting-period line, the same on every page."""

from __future__ import annotations

import dataclasses

import pytest

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.extract.notices import shared_texts, without_age_notices, without_notices
from crawler.extract.reader import template_id
from crawler.sites.profile import load_profile

from .helpers import FILES

TITLES = ["Metadata rules for open data", "A common vocabulary for addresses", "Checking identity online"]
TEXTS = [
    ["This paper proposes rules for describing datasets.", "Comments will shape the next draft of the rules."],
    ["Addresses are written in many ways across agencies.", "A shared vocabulary lets their records be matched."],
    ["Online services need to know who they are serving.", "The paper compares three ways of checking identity."],
]
AUTHORS = ["Sato Hanako, adviser", "Kimura Jiro, adviser", "Tanaka Mei, project manager"]
NOTICE = [
    "About these papers",
    "Send your comments through the form linked above. Files may be shared through a storage service.",
]


def paper(n: int, closing: list[str]) -> str:
    lines = [*TEXTS[n], "（掲載期間：2023年８月）", AUTHORS[n], *closing]
    paragraphs = "".join(f"<p>{line}</p>" for line in lines)
    return f"""<html><body><header><nav><a href="/">Home</a> <a href="/papers">Papers</a></nav></header>
<main><article><h1>{TITLES[n]}</h1>{paragraphs}</article></main>
<footer><p>© Digital Agency</p></footer></body></html>"""


def bodies(closings: list[list[str]]) -> list[list[str]]:
    pages = [paper(n, closing) for n, closing in enumerate(closings)]
    template = learn_template(pages)
    profile = load_profile(FILES / "sites" / "example_press.toml")
    return [
        extract_generic(html, PageContext(profile, "https://papers.example.org/1", template)).content.body.split("\n\n")
        for html in pages
    ]


def test_a_closing_section_every_page_shows_is_the_site_s():
    for n, body in enumerate(bodies([NOTICE] * 3)):
        assert body == [*TEXTS[n], AUTHORS[n]]  # the posting period and the notice gone


@pytest.mark.parametrize(
    "closing",
    [
        ["The minister will take questions at noon."],  # one closing formula, the release's own
        ["Ayako Ito, chair", "Ken Ono", "Mari Sato"],  # a list of the same names
        ["Ayako Ito, chair", "Ken Ono", "Mari Sato was present for the Treasury."],
    ],
)
def test_a_closing_line_or_list_every_page_shows_stays(closing):
    for n, body in enumerate(bodies([closing] * 3)):
        assert body == [*TEXTS[n], AUTHORS[n], *closing]


def test_a_section_not_on_every_page_stays():
    for n, body in enumerate(bodies([NOTICE, NOTICE, ["About this paper", "It was written in the spring."]])):
        assert body[-2:] == (NOTICE if n < 2 else ["About this paper", "It was written in the spring."])


def test_the_notice_is_cut_where_its_heading_opens_it():
    shared = shared_texts([["Results", *NOTICE], ["Results", *NOTICE]])
    body = ["Our text.", "Results", "They were good.", *NOTICE]
    assert without_notices(body, shared) == ["Our text.", "Results", "They were good."]
    assert without_notices(["Our text.", "Posted: 3 March 2023"], shared_texts([["Posted: 3 March 2023"]])) == [
        "Our text."
    ]
    assert without_notices(
        ["Our text.", "Posted by the press office"], shared_texts([["Posted by the press office"]])
    ) == [
        "Our text.",
        "Posted by the press office",
    ]


def test_a_release_that_is_only_the_site_s_text_keeps_it():
    """Releases that only point to their attachment: the notice is all
    there is, and a page with no text would be a failed fetch."""
    shared = shared_texts([NOTICE, NOTICE, NOTICE])
    assert without_notices(NOTICE, shared) == NOTICE
    assert without_notices(["Posted: 3 March 2023"], shared_texts([["Posted: 3 March 2023"]])) == [
        "Posted: 3 March 2023"
    ]


def test_what_every_page_shows_is_part_of_the_template_s_id():
    pages = [paper(n, NOTICE) for n in range(3)]
    plain = [paper(n, []) for n in range(3)]
    assert learn_template(pages).chrome == learn_template(plain).chrome
    assert template_id(learn_template(pages)) != template_id(learn_template(plain))
    dated = learn_template(pages)
    assert template_id(dataclasses.replace(dated, dated_titles=True)) != template_id(dated)


@pytest.mark.parametrize(
    "notice",
    [
        "Detta innehåll är äldre än 60 dagar.",  # Helsingborg, on its older news
        "This news release is more than 2 years old.",
        "This page is no longer being updated.",
        "We have archived this page and will not be updating it.",
        "Archived Content",
        "This was published under the 2010 to 2015 Conservative and Liberal Democrat coalition government",
        "Dieser Artikel ist älter als ein Jahr.",
        "Cette page a été archivée dans le Web.",
        "Este contenido está archivado.",
        "Dit bericht is gearchiveerd.",
    ],
)
def test_a_notice_of_the_page_s_age_is_not_the_release_s_text(notice):
    body = ["The council opens a new library.", "It lends books and tools."]
    assert without_age_notices([notice, *body]) == body
    assert without_age_notices([*body, notice]) == body


@pytest.mark.parametrize(
    "line",
    [
        "The minister said the page is archived.",
        "The content is more than just words.",
        "This release was issued to the media.",
        "Archives across the country open their doors on Saturday.",
    ],
)
def test_a_release_s_own_words_about_age_or_archives_stay(line):
    body = [line, "It lends books and tools."]
    assert without_age_notices(body) == body


def test_a_page_that_is_only_its_notice_keeps_it():
    assert without_age_notices([notice := "This page is no longer being updated."]) == [notice]  # all there is
