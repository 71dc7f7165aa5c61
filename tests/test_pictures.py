"""A picture's lines: its credit, its caption, the line that announces it
and the label over a box of pictures are the page's, not the release's."""

from __future__ import annotations

import pytest

from crawler.extract.pictures import picture_line

from .helpers import body_blocks

CAPTION_250 = (
    "Consumers can continue to use the electric oven sections indicated by the green checks but must shut off"
    " the gas supply valve, which will prevent usage of the gas surface burners indicated by the red crosses,"
    " until the range is repaired."
)


@pytest.mark.parametrize(
    "html, pictures_",
    [
        ("<div><p>Foto: Jane Doe</p><p>The minister opened the port.</p></div>", True),  # a credit
        ('<p><strong>Booking photo of Lopez:</strong></p><p><strong><img src="/a.jpg"></strong></p>', True),
        # the label over the pictures that close the box (FSIS's alerts: the product labels' photos)
        (
            '<div><p><a id="labels"> </a>Product Labels</p><p><img src="/front.jpg"></p>'
            '<!-- back --><p><img src="/back.jpg"></p></div>',
            True,
        ),
        ('<div><h3>Photos</h3><img src="/a.jpg"><img src="/b.jpg"></div>', True),
        # text after the pictures: a subheading of the release
        ('<div><p>Product Labels</p><p><img src="/a.jpg"></p><p>Check the date on the back.</p></div>', False),
        # a sentence before a picture is the release's, and so is a label over nothing
        ('<div><p>The products were sold nationwide.</p><p><img src="/a.jpg"></p></div>', False),
        ("<div><p>Product Labels</p></div>", False),
        # a caption of a few lines, in a box with its picture alone (CPSC's slider)
        (f'<ul class="slides"><li><img src="/oven.jpg"><div class="flex-caption">{CAPTION_250}</div></li></ul>', True),
        # a longer text beside a picture is the release's
        (f'<div><img src="/oven.jpg"><p>{CAPTION_250} {CAPTION_250}</p></div>', False),
        # a long line over pictures is no label
        (
            "<div><p>The labels of every product this alert is about, front and back, in order</p>"
            '<p><img src="/a.jpg"></p></div>',
            False,
        ),
        # a chart's number and name with it in one paragraph, or over it (MAS's statements)
        (
            '<p><strong>Chart 1<br><strong>S$ Nominal Effective Exchange Rate<br><img src="/c.jpg"></strong></strong></p>',
            True,
        ),
        (
            "<div><p><strong>Chart 1<br>S$ Nominal Effective Exchange Rate (S$NEER)</strong></p>"
            '<p><strong> </strong></p><p><img src="/c.jpg" width="563px"></p></div>',
            True,
        ),
        ('<p>Read the report <img src="/pdf.gif" width="16" height="16"></p>', False),  # an icon is no picture
        # a sentence over a picture, however it ends, is the text
        ('<div><p>発信していけたらいいなと思っています！</p><p><img src="/a.jpg"></p><p>以上です。</p></div>', False),
        (
            '<div><p>The latest advice is on the website at www.health.example.gov.au/virus</p><p><img src="/a.jpg"></p></div>',
            False,
        ),
    ],
)
def test_a_picture_s_lines_are_not_the_release_s(html, pictures_):
    assert picture_line(body_blocks(html)[0]) is pictures_


def test_a_contact_s_lines_over_a_closing_logo_are_not_a_picture_s():
    # Familjen Helsingborg's Rampljus item: the press contact, <br>s apart, over the programme's logo
    html = (
        "<div><p>Rampljus är en webbsänd programserie.</p>"
        "<p><strong>För ytterligare information:</strong><br>Ulf Dahlström, redaktionschef<br>"
        'Tel: 0723-97 07 62<br>Mejl: <a href="mailto:ulf@example.se">ulf@example.se</a></p>'
        '<p><a href="https://example.se/rampljus"><img src="/rampljus.webp"></a></p></div>'
    )
    assert [line.text for line in body_blocks(html) if picture_line(line)] == []
    # a paragraph that is all label still labels the pictures under it, and announces them with a colon
    assert picture_line(body_blocks('<div><p>Partners</p><p><img src="/a.jpg"></p><p><img src="/b.jpg"></p></div>')[0])
    assert picture_line(body_blocks('<div><p>Read on.<br>The new logo:</p><p><img src="/a.jpg"></p></div>')[1])
