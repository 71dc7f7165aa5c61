"""A page's labelled fields (a subject, a publication day) are the page's,
not the release's, even a field the template has not seen before."""

from __future__ import annotations

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES
from .test_furniture import TEXTS, TITLES

MEASURES = [
    ["Lifeguards at every beach", "Longer bus hours", "Free water at the stations"],
    ["Night trains on Fridays", "A second ferry", "Shade over the queues"],
    ["Cooling rooms in libraries", "Checks on elderly neighbours", "Fans for schools"],
]


def fields(n: int, extra: str = "") -> str:
    return f"""<ul class="list-unstyled" id="md_container">
<li id="md_subject" class="col-12 d-flex"><span class="bold colon-after">Subject</span>
<div id="md_content_subject"><a href="/topics/{n}">Topic {n}</a></div></li>{extra}
<li id="md_publishDate" class="col-12 d-flex"><span class="bold colon-after">Published</span>
<div id="md_content_publishDate"><span>0{n + 1}.03.2021</span></div></li></ul>"""


def test_a_field_row_seen_on_one_release_only_is_the_page_s():
    """gov.il sets "Secondary subject" on some releases only, between rows
    every release has: the new row is a field too, and a list in the
    release's text stays."""
    secondary = """
<li id="md_subSubject" class="col-12 d-flex"><span class="bold colon-after">Secondary subject</span>
<div id="md_content_subSubject"><span>Ministry of Health</span> <span>Updates</span></div></li>"""
    pages = [
        f"""<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><main>
<h1>{TITLES[n]}</h1>{fields(n, secondary if n == 2 else "")}
<p>{TEXTS[n][0]}</p><ul>{"".join(f"<li>{item}</li>" for item in MEASURES[n])}</ul>
<p>{TEXTS[n][1]}</p></main><footer><a href="/contact">Contact</a></footer></body></html>"""
        for n in range(3)
    ]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[2], PageContext(profile, "https://press.example.org/2", learn_template(pages)))
    assert found.content.body.split("\n\n") == [
        TEXTS[2][0],
        *MEASURES[2],
        TEXTS[2][1],
    ]
