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


def notice_page(n: int) -> str:
    """Bank of Korea's bbs view: the release inside the board's <form> of
    hidden state, a search form in the header; two of four pages are
    notices that only point to their files, named alike but for digits."""
    if n < 2:
        text = "<p>* Please refer to the attached file.</p>"
    else:
        text = "".join(f"<p>{line}</p>" for line in NOTICE_TEXTS[n])
    return f"""<html><head><title>Release {n} | Bank</title></head><body>
<header><form action="/search"><input type="text" name="query"><button>Search</button></form>
<nav><ul><li><a href="/news">News</a></li><li><a href="/research">Research</a></li></ul></nav>
<div class="mega">{MEGA_MENU}</div></header>
<form id="board" method="post" action="/"><input type="hidden" name="nttId" value="{n}">
<div class="bd-view"><h2 class="subject">{NOTICE_TITLES[n]}</h2><dl class="dataInfo">
{'<dt class="sr-only">구분</dt><dd class="ass">Macro Economy</dd>' if n == 3 else ""}<dt class="sr-only">등록일</dt><dd>2025.05.0{n + 1}</dd></dl>
<dl class="down"><dd><ul><li><a href="/fileSrc/{n}/1.hwp">Issuance Notice(DC025-08{n}2-0910).hwp</a></li></ul></dd></dl>
<div class="dbdata">{text}</div></div></form><footer><p>Copyright the bank</p></footer></body></html>"""


NOTICE_TITLES = ["Issuance Notice one", "Issuance Notice two", "Balance of payments", "Issue note on hiring"]
# A mega menu longer than the release: the board's <form> holds less than half the page.
MEGA_MENU = "".join(f"<p><a href='/m{k}'>Monetary policy section {k} and its publications</a></p>" for k in range(12))
NOTICE_TEXTS = {
    2: [
        "During March the current account registered a surplus of nine billion dollars, its twenty-third in a row.",
        "Goods exports fell.",
    ],
    3: [
        "Companies have been favouring experienced hires over entry-level candidates, shifting away from public recruitment.",
        "Youths wait longer.",
    ],
}


@pytest.mark.parametrize("n", range(4))
def test_a_board_s_form_and_its_notices_that_only_point_to_files_are_read(n):
    pages = [notice_page(day) for day in range(4)]
    profile = load_profile(SITES / "example_press.toml")
    context = PageContext(profile, template=learn_template(pages), own_title=NOTICE_TITLES[n])
    found = extract_generic(pages[n], context)
    body = found.content.body.split("\n\n")
    assert body == (["* Please refer to the attached file."] if n < 2 else NOTICE_TEXTS[n])
    # each notice's own file, though the two are named alike but for their digits
    assert [a.url.rsplit("/fileSrc/", 1)[1] for a in found.content.attachments] == [f"{n}/1.hwp"]
    assert "Search" not in found.content.body and "Research" not in found.content.body
    assert "Macro Economy" not in found.content.body  # a field's value, its label shown to screen readers only
