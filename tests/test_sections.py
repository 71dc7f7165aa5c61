"""A release's sections: headings every release repeats (the template
learns their place) stay in its text when they open a box of the release's."""

from __future__ import annotations

import pytest

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES

TOPICS = ["a refugee pilot", "asylum claims", "visa payments"]


def news_release(n: int) -> str:
    """Canada.ca's news release: the text in a box, then the quotes and the
    quick facts in a box of their own, each under a heading every release has."""
    return f"""<html><head><title>News release {n}</title></head><body>
<nav><ul><li><a href="/">Canada.ca</a></li><li><a href="/news">News</a></li></ul></nav>
<main><div id="news-release-container"><h1>The minister announces {TOPICS[n]}</h1>
<p class="gc-byline"><strong>From: <a href="/ircc">Immigration</a></strong></p><h2>News release</h2>
<div class="textimage-text"><p><b>March {n + 2}, 2018 – Ottawa – </b>The minister announced {TOPICS[n]} today.</p>
<p>The programme, on {TOPICS[n]}, runs for {n + 2} more years across the country.</p></div>
<div><h2>Quotes</h2><blockquote><p>“We are proud of {TOPICS[n]},” said the minister.</p></blockquote>
<h2>Quick facts</h2><ul><li><p>Funding for {TOPICS[n]} starts in {2019 + n}.</p></li>
<li><p>{n + 10} groups work on {TOPICS[n]} already.</p></li></ul></div></div></main>
<footer><p>Terms and conditions</p></footer></body></html>"""


@pytest.mark.parametrize("n", range(3))
def test_headings_that_open_a_box_after_the_text_s_stay_in_the_text(n):
    pages = [news_release(day) for day in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[n], PageContext(profile, template=learn_template(pages)))
    body = found.content.body.split("\n\n")
    assert body[2:] == [
        "Quotes",
        f"“We are proud of {TOPICS[n]},” said the minister.",
        "Quick facts",
        f"Funding for {TOPICS[n]} starts in {2019 + n}.",
        f"{n + 10} groups work on {TOPICS[n]} already.",
    ]
    assert "News release" not in body  # a label above the text is the template's


def resolution(n: int, heading: str) -> str:
    """A committee's resolution: its sections opened by paragraphs the
    markup calls headings, <p class="head">, the same in every release."""
    lines = [
        ("The Committee voted to cut the policy rate by a quarter point.", "Growth slowed through the summer."),
        ("The Committee held the rate and kept its neutral stance.", "Inflation eased for a second month."),
        ("The Committee raised the rate to anchor expectations.", "Food prices rose sharply in the autumn."),
    ][n]
    return f"""<html><head><title>Resolution {n}</title></head><body><nav><a href="/">Home</a></nav>
<main><h1>Resolution of the Committee, meeting {n + 1}</h1><div class="text"><p>{lines[0]} It did so to
steady prices, as its statement sets out in full below, paragraph by paragraph.</p>
<p class="{heading}">Assessment</p><p>{lines[1]} The outlook is for moderate growth next year.</p>
<p class="{heading}">Press Release : 2019-2020/{2391 + n}</p>
<p>The minutes of meeting {n + 1} will follow in {["two", "three", "four"][n]} weeks, with each member's vote.</p></div></main><footer>Terms</footer></body></html>"""


@pytest.mark.parametrize("n", range(3))
def test_a_paragraph_the_markup_calls_a_heading_stays_in_the_text(n):
    pages = [resolution(day, "head") for day in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    body = extract_generic(pages[n], PageContext(profile, template=learn_template(pages))).content.body
    assert body.split("\n\n")[1] == "Assessment"
    assert "Press Release" not in body  # a number's line set alike is no heading
