"""A federal newsroom of 2016, read without selectors: a dek under each
title, and an infographic box floated beside the text with its caption
and a link to its PDF (the CDC's press releases,
tests/files/corpus/us_cdc_media_releases)."""

from __future__ import annotations

import pytest

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES

RELEASES = [
    (
        "Cigarette smoking among high school students at an all-time low",
        "New study also finds texting and driving are still problems",
        "Cigarette smoking among high school students dropped to the lowest level since the survey began.",
    ),
    (
        "Falls are the leading cause of injury among older adults",
        "Healthcare providers play an important role in falls prevention",
        "Every second of every day an older adult falls, making falls the leading cause of injury.",
    ),
    (
        "More than 18 million young people see e-cigarette ads",
        "Many ads use themes from cigarette ads that appeal to youth",
        "Nearly seven in ten middle and high school students see e-cigarette advertisements.",
    ),
]


def release_page(n: int, *, infographic: bool = False) -> str:
    title, dek, text = RELEASES[n]
    box = (
        '<div class="span8 pull-right"><div class="module-typeN"><a href="/media/infographic-{n}.pdf">'
        f'<img alt="" src="/media/images/p{n}.jpg"></a><br><p>{dek.split(" ", 3)[3].capitalize()}.<br>'
        f'<a href="/media/infographic-{n}.pdf">Entire Infographic</a></p></div></div>'
        if infographic
        else ""
    )
    # the <html> element's classes name the page's scripts and theme ("nav"), not a place on it
    return f"""<html class="no-js nav theme-green"><head><title>{title} | Newsroom</title></head><body>
<nav><a href="/">Home</a> <a href="/media">Newsroom</a></nav>
<div class="span19 pagetitle"><div class="mSyndicate"><h1>{title}</h1><p class='subtitle'>{dek}</p></div></div>
<div id="body"><div id="contentArea"><div class="module-typeF"><h4><strong>Press Release</strong></h4>
<p><span class="green">Embargoed Until:</span> Thursday, June {9 + n}, 2016, 1:00 p.m. ET<br>
<strong>Contact:</strong> <a href="/media">Media Relations</a><br>(404) 639-3286</p></div>{box}
<p>{text}</p><p>The study looked at the years from 1991 to 2015 and found {10 + n} percent in the last year.</p>
<p class="center">###</p></div></div><footer>Department of Health · Privacy</footer></body></html>"""


def read(pages: list[str], n: int):
    profile = load_profile(FILES / "sites" / "example_press.toml")
    return extract_generic(pages[n], PageContext(profile, template=learn_template(pages))).content


@pytest.mark.parametrize("n", range(3))
def test_the_dek_under_the_title_is_the_release_s_first_line(n):
    found = read([release_page(m) for m in range(3)], n)
    title, dek, text = RELEASES[n]
    assert found.title == title
    assert found.body.split("\n\n")[:2] == [dek, text]


@pytest.mark.parametrize("n", range(3))
def test_an_infographic_set_beside_the_text_is_no_line_of_it_but_its_file_is_attached(n):
    found = read([release_page(m, infographic=True) for m in range(3)], n)
    _, dek, text = RELEASES[n]
    assert found.body.split("\n\n")[:2] == [dek, text]
    assert "Infographic" not in found.body and dek.split(" ", 3)[3].capitalize() not in found.body
    assert [file.url for file in found.attachments] == [f"https://press.example.org/media/infographic-{n}.pdf"]


def test_a_box_beside_the_text_with_no_picture_is_still_read():
    pages = [release_page(m, infographic=True).replace('<img alt="" src', "<span data-src") for m in range(3)]
    found = read(pages, 0)
    assert RELEASES[0][1].split(" ", 3)[3].capitalize() in found.body  # a fact box of its own
