"""A central bank's news board, read without selectors: decisions of a
page and more, beside notices of one line (the Central Bank of Egypt,
tests/files/corpus/eg_cbe_press_releases).  A notice whose whole text is
its title is still a release; a notice's day is the one the page shows,
not the day its title names."""

from __future__ import annotations

import pytest

from crawler.extract.context import PageContext
from crawler.extract.files import file_furniture
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES, body_blocks

NOTICES = [
    {
        "title": "MPC Press Release 2 October 2025",
        "shown": ("02 Oct 2025", "2025-10-02"),
        "text": "<h3>MPC decides to cut key policy rates by 100 basis points</h3>"
        "<p>The Committee today decided to cut the overnight deposit rate and the lending rate.</p>"
        "<p>Globally, growth continued to show signs of recovery, with expectations broadly stable.<br><br>"
        "<strong>Monetary Policy Sector</strong><br>monetary.policy@bank.example.eg</p>"
        '<div>To download the press release, <a href="/media/mpc-2-october-2025.pdf">click here</a></div>',
    },
    {
        "title": "The MPC meeting scheduled for 28 March 2024 has been cancelled",
        "shown": ("20 Mar 2024", "2024-03-20"),
        "text": "<h4>The Bank decided to cancel the scheduled meeting of the Committee on Thursday, March 28th"
        " 2024, in light of the special meeting of the Committee on March 6th 2024.</h4>"
        "<p><strong>Monetary Policy Sector</strong><br>monetary.policy@bank.example.eg</p>"
        '<div>To download press release, <a href="/media/mpc-28-march-2024.pdf">click here</a></div>',
    },
    {
        "title": "Net International Reserves reached US$ 53,134.2 mn at the end of May 2026",
        "shown": ("07 Jun 2026", "2026-06-07"),
        "text": "Net International Reserves reached US$ 53,134.2 mn at the end of May 2026",
    },
    {
        "title": "47.2% Rise in Remittances during the First Eight Months of 2025",
        "shown": ("23 Oct 2025", "2025-10-23"),
        "text": "<p>Remittances from workers abroad recorded a significant surge during the first eight months."
        "<br><br>On a monthly basis, remittances in August 2025 increased by 32.6%.</p>",
    },
]


def notice_page(notice: dict) -> str:
    shown, _ = notice["shown"]
    return f"""<html><head><title>{notice["title"]}</title></head><body>
<header><a href="/">Home</a> <a href="/en/news">News &amp; Publications</a></header>
<section class="herobanner bread"><ul class="breadcrumbs"><li><a href="/">Home</a></li>
<li><a href="/en/news">News</a></li></ul><h1 class="other-hero-title">{notice["title"]}</h1>
<div class="news-banner-meta-content"><span class="newsupdateddata">{shown}</span></div></section>
<section class="rich-texts cbe-component"><div class="container"><div class="sub-container">{notice["text"]}
</div></div></section>
<section class="rich-texts pagenote"><div class="container"><div class="sub-container">
<p><span>This page was last updated {shown}</span></p></div></div></section>
<footer>The official website of the Bank · Privacy</footer></body></html>"""


def read(n: int):
    profile = load_profile(FILES / "sites" / "example_press.toml")
    pages = [notice_page(notice) for notice in NOTICES]
    return extract_generic(pages[n], PageContext(profile, template=learn_template(pages))).content


def test_a_notice_whose_whole_text_is_its_title_is_still_a_release():
    found = read(2)
    assert (found.title, found.body) == (NOTICES[2]["title"], NOTICES[2]["title"])


@pytest.mark.parametrize("n", range(4))
def test_a_notice_s_day_is_the_one_the_page_shows_not_one_its_title_names(n):
    assert read(n).published[:10] == NOTICES[n]["shown"][1]


@pytest.mark.parametrize("n", range(2))
def test_the_press_contact_and_the_line_offering_the_release_s_file_are_not_its_text(n):
    found = read(n)
    assert "Monetary Policy Sector" not in found.body and "@" not in found.body
    assert "click here" not in found.body
    assert [file.url for file in found.attachments] == [
        [
            "https://press.example.org/media/mpc-2-october-2025.pdf",
            "https://press.example.org/media/mpc-28-march-2024.pdf",
        ][n]
    ]


PDF = '<a href="/media/statement.pdf">{}</a>'


@pytest.mark.parametrize(
    "html, the_page_s",
    [
        (f"To download the press release, {PDF.format('click here')}", True),
        (PDF.format("Click here to download the statement"), True),
        (f"To read the lawsuit, {PDF.format('click here')}.", False),  # the release's sentence on its exhibit (Texas)
        ("To download the figures, click here", False),  # no file linked
    ],
)
def test_a_line_that_only_asks_to_download_the_file_is_the_page_s(html, the_page_s):
    [block] = body_blocks(f"<div>{html}</div>")
    assert file_furniture(block) is the_page_s
