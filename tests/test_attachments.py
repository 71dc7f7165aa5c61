"""What a release offers beside its text: files, and its pictures' full-size downloads."""

from __future__ import annotations

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES
from .test_furniture import TEXTS, TITLES


def test_a_gallery_s_full_size_photos_are_attachments_named_by_their_pictures():
    """CPSC's recalls offer each product photo full size behind a thumbnail
    in a popup: a link with a picture and no text, named by the picture."""
    pages = [
        f"""<html><body><nav><a href="/">Home</a> <a href="/recalls">Recalls</a></nav><main>
<h1>{TITLES[n]}</h1><p>{TEXTS[n][0]}</p><p>{TEXTS[n][1]}</p></main>
<div id="gallery-popup" class="white-popup mfp-hide"><div>Images</div>
<a href="/s3fs-public/product{n}.png?VersionId=v{n}"><img src="/styles/thumb/product{n}.png" alt="Recalled product {n}"></a>
<a href="/s3fs-public/label{n}.png"><img src="/styles/thumb/label{n}.png" title="Label location {n}"></a>
<a href="/s3fs-public/bare{n}.png"><img src="/styles/thumb/bare{n}.png"></a></div>
<footer><a href="/"><img src="/logo.png" alt="Home"></a></footer></body></html>"""
        for n in range(3)
    ]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[2], PageContext(profile, "https://press.example.org/2", learn_template(pages)))
    assert [(a.name, a.url) for a in found.content.attachments] == [
        ("Recalled product 2", "https://press.example.org/s3fs-public/product2.png?VersionId=v2"),
        ("Label location 2", "https://press.example.org/s3fs-public/label2.png"),
    ]  # a picture that says nothing names no file; the logo's link is to a page


def test_a_document_store_s_opaque_key_is_a_file_and_a_documents_page_is_not():
    """gov.il links a release's notice to its document store by a key, with
    no file name: /SearchPredefinedApi/Documents/AFF+CZRm…=."""
    key = "AFF+CZRmfZcDcjPFZkmYNqdAnMkIaWts3Us8p878QhE="
    pages = [
        f"""<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><main>
<h1>{TITLES[n]}</h1><p>{TEXTS[n][0]}</p>
<p>The fees were published <a href="https://docs.example.org/SearchPredefinedApi/Documents/{key[n:]}">in the notice</a>,
and the year's reports are <a href="/en/documents/annual-reports-202{n}">on their page</a>
and <a href="/en/documents/annualreports202{n}">in a list</a>.</p></main>
<footer><a href="/contact">Contact</a></footer></body></html>"""
        for n in range(3)
    ]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[2], PageContext(profile, "https://press.example.org/2", learn_template(pages)))
    assert [(a.name, a.url) for a in found.content.attachments] == [
        ("in the notice", f"https://docs.example.org/SearchPredefinedApi/Documents/{key[2:]}")
    ]
    assert "The fees were published in the notice" in found.content.body


def test_a_file_shared_from_a_cloud_drive_is_an_attachment_and_a_folder_is_not():
    """Minnesota's attorney general offers a press conference's video on
    Google Drive: "Click here to watch and download video …"."""
    drive = "https://drive.google.com/file/d/1LGWeveQ63e2o7oxzkmpIsoSKUgwBQ1z5{n}/view?usp=sharing"
    pages = [
        f"""<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><main>
<h1>{TITLES[n]}</h1><p>{TEXTS[n][0]}</p>
<p><a href="{drive.format(n=n)}">Click here to watch and download video of the press conference.</a></p>
<p>The photos are <a href="https://drive.google.com/drive/folders/1AbC{n}">in a shared folder</a>.</p></main>
<footer><a href="/contact">Contact</a></footer></body></html>"""
        for n in range(3)
    ]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[2], PageContext(profile, "https://press.example.org/2", learn_template(pages)))
    assert [a.url for a in found.content.attachments] == [drive.format(n=2)]


def test_a_document_its_box_calls_html_is_an_attachment_at_a_page_address():
    """GOV.UK (2014) offers a publication's HTML version in the same box as
    a PDF would be: its name as a heading, then "HTML" alone on a line."""
    html = "/government/publications/guarantees-{n}/table-of-prequalified-projects"
    pages = [
        f"""<html><body><nav><a href="/">Home</a> <a href="/government/publications">Publications</a></nav><main>
<h1>{TITLES[n]}</h1><p>{TEXTS[n][0]}</p>
<section class="attachment embedded"><div class="attachment-thumb"><a href="{html.format(n=n)}"><img src="/cover.png"></a></div>
<div class="attachment-details"><h2 class="title"><a href="{html.format(n=n)}">Table of prequalified projects {n}</a></h2>
<p class="metadata"><span class="type">HTML</span></p></div></section>
<div class="more"><h2><a href="/government/policies/growth-{n}">Policy {n}</a></h2>
<p><a href="/government/news/{n}">News {n}</a></p><p>HTML</p></div></main>
<footer><a href="/contact">Contact</a></footer></body></html>"""
        for n in range(3)
    ]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[2], PageContext(profile, "https://press.example.org/2", learn_template(pages)))
    assert [(a.name, a.url) for a in found.content.attachments] == [
        ("Table of prequalified projects 2", "https://press.example.org" + html.format(n=2))
    ]  # a box of two pages is no document's box
