"""Footnotes a page's script gathers: each note is written hidden where its
mark stands and shown in a group further down (the Monetary Authority of
Singapore's <mas-footnote> and <mas-footnote-group>,
tests/files/corpus/sg_mas_monetary_policy_statements).  The record reads
each note where the page shows it, once; hidden text with no such place
stays unread."""

from __future__ import annotations

import pytest

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES

NOTE = "Core inflation excludes the costs of accommodation and private transport."
STATEMENTS = [
    ("Monetary Policy Statement - January 2024", "Core inflation continued to decline in the fourth quarter."),
    ("Monetary Policy Statement - April 2024", "Core inflation stayed firm in the first quarter of the year."),
    ("Monetary Policy Statement - July 2024", "Core inflation eased in the second quarter as costs fell."),
]


def statement(n: int, *, group: bool = True) -> str:
    title, line = STATEMENTS[n]
    head, rest = line.split(" ", 2)[:2], line.split(" ", 2)[2]
    note = f'<mas-footnote class="ts:xs" style="display:none" group="1">{NOTE}</mas-footnote>'
    place = '<p style="text-align: left;"><mas-footnote-group class="ts:xs" name="1"></mas-footnote-group></p>'
    return f"""<html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav><h1>{title}</h1><div class="rich-text">
<h2>INFLATION OUTLOOK</h2>
<p>1.&nbsp;&nbsp;{" ".join(head)}<span>{note}</span> {rest} Prices of services rose less than in the past year.</p>
<p>2.&nbsp;&nbsp;The authority will keep the rate of appreciation of the policy band unchanged this time.</p>
{place if group else ""}</div><footer>Authority · Privacy</footer></body></html>"""


def read(pages: list[str], n: int) -> list[str]:
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[n], PageContext(profile, template=learn_template(pages))).content
    return found.body.split("\n\n")


@pytest.mark.parametrize("n", range(3))
def test_a_note_gathered_by_script_is_read_where_the_page_shows_it(n):
    body = read([statement(m) for m in range(3)], n)
    [marked] = [line for line in body if line.startswith("1. Core inflation")]
    assert body[-1] == NOTE and NOTE not in marked  # not at its mark too


def test_a_hidden_note_with_no_place_to_show_it_stays_unread():
    body = read([statement(m, group=False) for m in range(3)], 0)
    assert NOTE not in "\n".join(body)
