"""A box of the release's files under a heading of its own: the files are
attachments, and neither the heading nor the files' names are the text."""

from __future__ import annotations

import pytest

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES

REPORTS = [
    ("Annual Report 2014", "Fact Sheet: What the Board Found"),
    ("Oversight Report on Programme 215", "Fact Sheet: Recommendations and Their Status"),
    ("Update on the Implementation", "Fact Sheet: Recommendations Implemented"),
]
TEXTS = [
    "The Board released its annual report to Congress on Tuesday afternoon.",
    "The Board published its oversight report after a year of hearings.",
    "The Board gave an update on how agencies carried out its advice.",
]
HEADINGS = ["Report Documents", "Documents", "Report Documents"]


def release_page(n: int) -> str:
    """A page of a hand-written board: the box's heading, a line break, then
    a table of each file's cover (a linked image) and its name (a link)."""
    cells = "".join(
        f'<td><a href="../library/{n}-{i}.pdf"><img src="../covers/{n}-{i}.png" alt="{name}"></a></td>'
        f'<td style="width: 150px"><a href="../library/{n}-{i}.pdf">{name}</a></td>'
        for i, name in enumerate(REPORTS[n])
    )
    return f"""<html><head><title>Release {n}</title></head><body>
<div id="nav"><a href="/">Home</a> <a href="/newsroom.html">Newsroom</a></div>
<div id="page-content"><h2>Release {n} of the Board</h2> FOR RELEASE <br/> March {n + 2}, 2016
<div class="divider"></div>
<p>{TEXTS[n]}</p>
<p>It will hold a public meeting on the findings in the spring, open to all.</p>
<div class="divider"></div>
<h3>{HEADINGS[n]}</h3><br/>
<table><tr>{cells}</tr></table>
<div class="divider"></div>
<p><center>###</center></p>
</div>
<div id="page-sidebar"><p>Privacy Board, 2100 K Street NW, Washington DC</p></div>
</body></html>"""


@pytest.mark.parametrize("n", range(3))
def test_a_box_of_files_under_its_heading_is_the_attachments(n):
    pages = [release_page(k) for k in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    context = PageContext(profile, "https://press.example.org/newsroom/1.html", learn_template(pages))
    found = extract_generic(pages[n], context)
    assert found.content.body.split("\n\n") == [
        TEXTS[n],
        "It will hold a public meeting on the findings in the spring, open to all.",
    ]
    assert [a.url for a in found.content.attachments] == [
        f"https://press.example.org/library/{n}-0.pdf",
        f"https://press.example.org/library/{n}-1.pdf",
    ]


def test_a_paragraph_that_links_a_file_stays_the_release_s():
    """Only a box under a heading is the files': "Read the e-book", a line of
    the text linking a file, stays where it is."""
    pages = [release_page(k).replace("<h3>", '<p><a href="/e.pdf">Read the e-book</a></p><h3>') for k in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(
        pages[0], PageContext(profile, "https://press.example.org/newsroom/1.html", learn_template(pages))
    )
    assert found.content.body.split("\n\n")[-1] == "Read the e-book"
