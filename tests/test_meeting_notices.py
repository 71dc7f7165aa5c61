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


FIELDS = [
    ("Webinar", "Board of Aldermen", "Kennedy, Terry", "(314) 622-3287"),
    ("2nd Floor Board Room<br>1520 Market St.", "Port Authority", "Harris, Janet", "(314) 657-3795"),
    ("City Hall<br>1200 Market Street, Room 208", "Zoning Section", "Gutierrez, Andrea", "(314) 657-3865"),
]
TEXTS = [
    "The public may view or listen to this meeting by following the instructions the clerk posts.",
    "The commission meets to approve the lease of the riverfront terminal to its new operator.",
    "The Board of Adjustment meets each Wednesday to hear appeals of the zoning administrator.",
]


def event(n: int) -> str:
    place, sponsor, person, phone = FIELDS[n]
    return f"""<html><head><title>Event {n} - City of St. Louis</title></head><body>
<nav><a href="/">Home</a> <a href="/events">Events</a></nav>
<div id="EventDisplayBlock"><h1>Meeting of the board {n}</h1><div class="row"><div class="col-md-8">
<p>{TEXTS[n]}</p></div>
<div class="col-md-4"><div class="content-block"><p><strong>Location:</strong><br>{place}</p></div>
<div class="content-block"><p><strong>Sponsor:</strong><br><a href="/boards/{n}.cfm">{sponsor}</a></p>
<p><strong>Email:</strong><br><a href="mailto:clerk{n}@stlouis-mo.gov">{person}</a></p>
<p><strong>Phone:</strong><br>{phone}</p></div></div></div></div>
<footer>City of St. Louis · 1200 Market Street</footer></body></html>"""


def test_a_field_s_label_over_its_value_is_the_template_s_row():
    # "Location:" over a place, "Phone:" over a number: a row every notice fills, not its text
    found = read([event(m) for m in range(3)], 1)
    assert found.body.split("\n\n") == [TEXTS[1]]


BOARDS = [("City Council", "MEETING"), ("City Planning Commission", "MEETING"), ("Emergency Management", "TRAINING")]


def listed(n: int) -> str:
    board, kind = BOARDS[n]
    return f"""<html><head><title>Event {n} | City of Detroit</title></head><body>
<nav><a href="/">Home</a> <a href="/Calendar-and-Events">Calendar and Events</a></nav>
<h1 class="title">Meeting {n} of the {board}</h1>
<div class="event-node"><section class="event-preview-top">
<article class="tags"><a href="/government/{board.lower().replace(" ", "-")}">{board}</a>
<span class="event-type">{kind}</span></article>
<article class="time">{n + 9}:00 am</article></section>
<article class="description"><p>{TEXTS[n]}</p></article></div>
<footer>City of Detroit · 2 Woodward Avenue</footer></body></html>"""


def test_a_line_in_a_box_named_for_the_notice_s_topics_is_not_its_text():
    # Detroit's <article class="tags">: the board's page linked and a "MEETING" badge
    lines = read([listed(m) for m in range(3)], 1).body.split("\n\n")
    assert TEXTS[1] in lines
    assert not [line for line in lines if "City Planning Commission" in line or "MEETING" in line]


def test_a_label_set_over_one_link_is_a_field_pointing_elsewhere():
    # St. Louis's "Website:" over the board's page, a line break between
    pages = [
        event(m).replace(
            '</p></div>\n<div class="col-md-4">',
            f'</p><p><strong>Website:</strong><br><a href="/boards/{m}.cfm">{FIELDS[m][1]}</a></p></div>\n'
            '<div class="col-md-4">',
        )
        for m in range(3)
    ]
    assert "Website:" in pages[1]
    assert read(pages, 1).body.split("\n\n") == [TEXTS[1]]
    # a sentence under its label keeps its place: a link in it is the text's
    told = pages[1].replace(
        f'<br><a href="/boards/1.cfm">{FIELDS[1][1]}</a>',
        f'<br>The <a href="/boards/1.cfm">{FIELDS[1][1]}</a> posts its minutes after each meeting.',
    )
    assert "posts its minutes" in read([pages[0], told, pages[2]], 1).body
