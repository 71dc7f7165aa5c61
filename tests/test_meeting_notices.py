"""Thin notices: a meeting's day, place and agenda in a large page
(Cuyahoga County's boards and commissions, Sitefinity,
tests/files/corpus/us_cuyahogacounty_meetings)."""

from __future__ import annotations

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES

STORE = "https://cuyahogacms.blob.core.windows.net/home/docs/boards"
MEETINGS = [
    ("01/29/24 - Board of Control Meeting", "boc/012924", "January 29, 2024"),
    ("06/07/23 DCFS Advisory Board", "cfs/060723", "June 07, 2023"),
    ("11/09/23 Technical Advisory Committee", "tac/110923", "November 09, 2023"),
]
NOTES = [
    "This meeting is open to the public and may also be accessed via livestream.",
    "Join the Teams meeting from the link the board sends to its members.",
    "The committee reviews the projects submitted for the coming year.",
]


def notice(n: int) -> str:
    title, file, day = MEETINGS[n]
    return f"""<html><head><title>BC Event Detail</title></head><body>
<header><nav><a href="/">Home</a> <a href="/boards-and-commissions">Boards and Commissions</a></nav></header>
<main><div class="moudle detail events" itemscope itemtype="http://schema.org/Event">
<header class="head"><h1 class="title" itemprop="name">{title}</h1>
<div class="content"><span itemprop="description"><p>{NOTES[n]}</p></span></div>
<div class="meta"><div class="meta-item"><h2>Date and time:</h2><p>{day} 11:00 AM - 12:00 PM</p></div></div>
</header>
<div class="related-content">
<a href="{STORE}/{file}-agenda.pdf?sfvrsn=6{n}"><span>Agenda</span></a>
<a href="{STORE}/{file}-minutes.pdf?sfvrsn=7{n}"><span>Minutes</span></a>
<a href="/boards-and-commissions/print/{file.replace("/", "-")}.pdf"><span>PDF version</span></a>
</div></div></main>
<footer>Cuyahoga County · 2079 East Ninth Street</footer></body></html>"""


def read(pages: list[str], n: int):
    profile = load_profile(FILES / "sites" / "example_press.toml")
    context = PageContext(profile, "https://press.example.org/boards-and-commissions/event", learn_template(pages))
    return extract_generic(pages[n], context).content


def test_files_named_alike_on_every_notice_but_kept_elsewhere_are_each_notice_s_own():
    found = read([notice(m) for m in range(3)], 1)
    # the agenda and minutes on the county's document store; not the site's own "PDF version" of the page
    assert [attachment.url for attachment in found.attachments] == [
        f"{STORE}/cfs/060723-agenda.pdf?sfvrsn=61",
        f"{STORE}/cfs/060723-minutes.pdf?sfvrsn=71",
    ]
