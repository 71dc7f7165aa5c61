"""A release's files: a box that presents one file is the attachment's,
and a document is an attachment whether a handler or a button's script
hands it out."""

from __future__ import annotations

import pytest

from crawler.extract.context import PageContext
from crawler.extract.files import file_cards
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES, body_blocks
from .test_furniture import TEXTS, TITLES

GOVSPEAK_FILE = """<section class="attachment embedded"><div class="attachment-thumb">
<a href="/uploads/report.pdf"><img alt="" src="/uploads/thumb.png"></a></div>
<div class="attachment-details"><h3 class="title"><a href="/uploads/report.pdf">R052022 Surbiton</a></h3>
<p class="metadata"><span>PDF</span>, <span>5.83 MB</span>, <span>55 pages</span></p>
<div class="accessibility-warning"><p>This file may not be suitable for users of assistive technology.</p>
<details><summary>Request an accessible format.</summary><div>If you use assistive technology and need a version
of this document in a more accessible format, please email <a href="mailto:enquiries@raib.gov.uk">enquiries</a>.
</div></details></div></div></section>"""


def test_a_file_s_box_is_the_attachment_s_not_the_release_s():
    """A box in the release's text that presents one file (its name, type
    and size, an accessibility notice) says nothing of the release."""
    page = body_blocks(
        f"<div><p>The branch reported on the accident today.</p>{GOVSPEAK_FILE}<p>A driver was injured.</p></div>"
    )
    cards = file_cards(page)
    inside = [block.text for block in page if any(node in cards for node in block.element.iterancestors())]
    assert inside[0] == "R052022 Surbiton" and inside[-1].startswith("If you use assistive technology")
    assert [block.text for block in page if block.text not in inside] == [
        "The branch reported on the accident today.",
        "A driver was injured.",
    ]
    # a sentence that names a file's size is the release's, and so is the text around it
    assert file_cards(body_blocks('<div><p>Read the <a href="/r.pdf">report</a>.</p><p>(PDF, 2 MB)</p></div>')) == []
    assert file_cards(body_blocks('<div><p>The report (<a href="/r.pdf">PDF, 2 MB</a>) is out.</p></div>')) == []


@pytest.mark.parametrize(
    "href",
    [
        "//documenti.camera.it/apps/CommonServices/getDocumento.ashx?sezione=lavori&idDocumento=3353-B",
        "/Handlers/File.ashx?id=118",
        "/GetDocument.aspx?docid=77",
    ],
)
def test_a_document_handed_out_by_a_handler_is_an_attachment(href):
    """A board that serves its documents through a handler names no file
    type in the link: the Italian Chamber's getDocumento.ashx?…"""
    pages = [
        f"""<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><main>
<h1>{TITLES[n]}</h1><p>{TEXTS[n][0]}</p><p>{TEXTS[n][1]} See <a href="{href}{n}">the bill</a>.</p>
</main><footer><p>Camera dei deputati</p></footer></body></html>"""
        for n in range(3)
    ]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[0], PageContext(profile, "https://press.example.org/1", learn_template(pages)))
    assert [a.name for a in found.content.attachments] == ["the bill"]


def test_a_button_that_opens_a_file_is_an_attachment():
    """KDI offers each publication's file only by a button's script."""
    opener = "<button type='button' onclick=\"location.href='/file/download?atch_no=F{n}'\">원문 다운로드</button>"
    pages = [
        f"""<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><main>
<h1>{TITLES[n]}</h1><div class="links">{opener.format(n=n)}
<button type="button" onclick="location.href='/share/userGuide'">이용안내</button></div>
<p>{TEXTS[n][0]}</p><p>{TEXTS[n][1]}</p></main></body></html>"""
        for n in range(3)
    ]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[1], PageContext(profile, "https://press.example.org/1", learn_template(pages)))
    assert [a.url for a in found.content.attachments] == ["https://press.example.org/file/download?atch_no=F1"]
    assert found.content.body == "\n\n".join(TEXTS[1][:2])
