"""Text after an HTML comment is text a browser shows: the Senate of the
Philippines' generator marks each field with comments
(tests/files/corpus/ph_senate_press_releases), so its day, its headline
and the opening of its text are all a comment's tail."""

from __future__ import annotations

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.extract.pages import paragraphs
from crawler.extract.parse import page_root
from crawler.sites.profile import load_profile

from .helpers import FILES

RELEASES = [
    ("June 8, 2020", "Recto urges jeepneys back on the road", "Senator Recto asked transport officials to act."),
    ("June 19, 2020", "Lapid pushes broadband in unserved areas", "Senator Lapid filed a bill on last-mile links."),
    ("June 21, 2020", "Revilla: waive fees on relief goods", "Senator Revilla asked shippers to carry goods free."),
]


def release(n: int, *, declared: str = "{title}", shown: str = "{title}") -> str:
    day, title, line = RELEASES[n]
    declared, shown = (form.format(title=title, TITLE=title.upper()) for form in (declared, shown))
    return f"""<html><head><title>{declared}</title></head><body>
<div id="menu"><a href="/">Home</a> <a href="/news.asp">News</a></div>
<table id="container"><tr><td id="content">
Press Release<br />
<!-- NewsDate.start -->{day}<!-- NewsDate.end -->
<p style="text-align: center"><span class="PRTitle"><!-- NewsTitle.start -->{shown}<!-- NewsTitle.end --></span></p>
<!-- NewsBody.start --><p style="text-align: justify">{line}</p>
<p style="text-align: justify">The measure goes to the committee <!-- edited -->next week.</p><!-- NewsBody.end -->
</td><td id="sidepane"><a href="/press_release/2020/0622_a.asp">Another release</a></td></tr></table>
<div id="footer">Senate of the Philippines</div></body></html>"""


def test_a_comment_s_tail_is_read_where_it_stands():
    assert paragraphs(page_root("<p><!-- a -->June 8, 2020<!-- b --></p><p>One <!-- c -->line</p>")) == [
        "June 8, 2020",
        "One line",
    ]


def read(pages: list[str], n: int):
    profile = load_profile(FILES / "sites" / "example_press.toml")
    return extract_generic(pages[n], PageContext(profile, template=learn_template(pages))).content


def test_a_day_and_a_text_set_between_comments_are_the_release_s():
    found = read([release(m) for m in range(3)], 0)
    assert found.published == "2020-06-08"
    assert found.body.split("\n\n") == [RELEASES[0][2], "The measure goes to the committee next week."]


def test_with_no_heading_the_title_is_the_headline_the_page_shows():
    # in capitals, where the <title> is not; without the bureau's tag the <title> opens with
    capitals = read([release(m, shown="{TITLE}") for m in range(3)], 1)
    assert capitals.title == RELEASES[1][1].upper()
    tagged = read([release(m, declared="PRIB: {title}") for m in range(3)], 2)
    assert (tagged.title, tagged.body.split("\n\n")[0]) == (RELEASES[2][1], RELEASES[2][2])
    # a tag is one word: the <title>'s longer opening is not dropped
    opened = read([release(m, declared="Senate approves: {title}") for m in range(3)], 2)
    assert opened.title == "Senate approves: " + RELEASES[2][1]
