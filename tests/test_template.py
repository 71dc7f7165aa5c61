"""What a board's learned template takes for chrome (crawler.extract.generic.learn_template)."""

import pytest

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES

SITES = FILES / "sites"


SERIES_TITLES = ["Rates held", "Notes issued", "Survey out", "Rates cut", "Summary of June", "Summary of July"]


def series_page(n: int) -> str:
    """A board of press releases, two of its six pages from a series of its
    own (Bank of Canada's summaries of deliberations): the same lead and
    section headings, in places no other page has."""
    text = f"<p>Release {n} says what the bank did on day {n}.</p><p>It will say more on day {n + 9}.</p>"
    if n >= 4:
        text = (
            f'<div class="module"><p class="lead">This is an account of the deliberations leading to the '
            f"decision on June {n}, 2025.</p></div>"
            f'<div class="module"><h2>International economy</h2><p>Growth slowed in month {n}.</p></div>'
            f'<div class="module"><h2>Considerations</h2><p>Members agreed to hold at meeting {n}.</p></div>'
        )
    return f"""<html><head><title>Bank</title></head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<main><h1>{SERIES_TITLES[n]}</h1>{text}</main><footer><p>Copyright the bank</p></footer></body></html>"""


@pytest.mark.parametrize("n", [4, 5])
def test_a_series_few_pages_share_keeps_its_headings(n):
    pages = [series_page(day) for day in range(6)]
    profile = load_profile(SITES / "example_press.toml")
    context = PageContext(profile, template=learn_template(pages), own_title=SERIES_TITLES[n])
    found = extract_generic(pages[n], context)
    assert found.content.body.split("\n\n") == [
        f"This is an account of the deliberations leading to the decision on June {n}, 2025.",
        "International economy",
        f"Growth slowed in month {n}.",
        "Considerations",
        f"Members agreed to hold at meeting {n}.",
    ]
