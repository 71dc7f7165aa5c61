"""Extraction on saved pages of both MOFA layouts (built from shared/examples)."""

import pytest
from dateutil import tz
from lxml import etree, html

from crawler.extract.pages import (
    ExtractionError,
    attachments_from,
    extract_release,
    paragraphs,
    parse_date,
    parse_list,
)
from crawler.extract.urls import canonical_url, link_target
from crawler.sites.profile import DetailRule, LinkRule, builtin_profiles

from .helpers import FILES

PROFILE = builtin_profiles()["mofa_en"]
URL = "https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=318874"
TITLE = (
    "ROK and ASEAN Agree to Elevate Strategic Partnership to Higher Level and Pursue "
    "People-centered Diplomacy (Outcome of ASEAN-ROK Ministerial Meeting)"
)
CHROME = [
    "Skip navigation",
    "Countries Information",
    "HOME",
    "Press Releases",
    "상세보기",
    "Date :",
    "Hit :",
    "1626",
    "1837",
    "바로가기",
    "검색창",
    "Joint Press Statement",
    "Outcome of the ROK-China",
    "Ballistic Missile",
    "List",
    "목록",
    "Sajik-ro",
    "Copyright",
    "Share",
    "Preview",
    "Privacy Policy",
]


def extract(name: str, url: str = URL):
    return extract_release((FILES / name).read_text("utf-8"), PROFILE, url)


@pytest.fixture(scope="module")
def old():
    return extract("mofa_en_318874_old.html")


@pytest.fixture(scope="module")
def new():
    return extract("mofa_en_318874_new.html")


def test_title(old):
    assert old.content.title == TITLE


def test_published_with_korean_offset(old):
    assert old.content.published == "2017-08-06T18:00:00+09:00"


def test_body_is_the_numbered_paragraphs_and_the_closing_line(old):
    paras = old.content.paragraphs
    assert paras[0].startswith("1. Minister Kang Kyung-wha attended the 20th ASEAN-ROK")
    assert paras[-1] == "* unofficial translation"
    assert [p[:2] for p in paras if p[0].isdigit()] == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]
    assert sum(p.startswith("o ") for p in paras) == 6
    assert len(paras) == 14


@pytest.mark.parametrize("chrome", CHROME)
def test_no_chrome_in_title_or_body(old, new, chrome):
    for record in (old, new):
        assert chrome not in record.content.body
        assert chrome not in record.content.title


def test_hits_are_an_observation(old, new):
    assert old.hits == 1626
    assert new.hits == 1837


def test_both_layouts_give_the_same_record(old, new):
    assert new.content.title == old.content.title
    assert new.content.body == old.content.body
    assert new.content.published == "2017-08-06"  # the new layout shows no time


def test_attachments_name_and_canonical_url(new, old):
    assert old.content.attachments == ()
    (attachment,) = new.content.attachments
    assert attachment.name == "Outcome_ASEAN-ROK_Ministerial_Meeting.pdf"
    assert attachment.url == (
        "https://www.mofa.go.kr/eng/brd/m_5676/down.do?brd_id=5676&data_tp=A&file_seq=1&seq=318874"
    )


@pytest.mark.parametrize(
    "url, canonical",
    [
        (
            "https://b.s3.amazonaws.com/r.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240503T101500Z"
            "&X-Amz-Expires=300&X-Amz-Signature=9f2c&X-Amz-SignedHeaders=host",
            "https://b.s3.amazonaws.com/r.pdf",
        ),
        (
            "https://d.cloudfront.net/r.pdf?Expires=1714731300&Signature=abc~&Key-Pair-Id=K2J",
            "https://d.cloudfront.net/r.pdf",
        ),
        (
            "https://a.blob.core.windows.net/c/r.pdf?sv=2022-11-02&se=2024-05-03&sr=b&sp=r&sig=xy%3D",
            "https://a.blob.core.windows.net/c/r.pdf",
        ),
        (
            "https://x.go.kr/down.do?fileSn=0&_=1714731300123&atchFileId=F1",
            "https://x.go.kr/down.do?atchFileId=F1&fileSn=0",
        ),
        # the same names with no signature beside them are a board's own parameters
        ("https://x.gov/list.do?st=2&se=4", "https://x.gov/list.do?se=4&st=2"),
        ("https://x.gov/file.do?id=2&expires=2024", "https://x.gov/file.do?expires=2024&id=2"),
        ("https://x.gov/file.do?id=2&_=page2", "https://x.gov/file.do?_=page2&id=2"),
    ],
)
def test_a_link_signed_for_one_view_names_its_file(url, canonical):
    assert canonical_url(url) == canonical


TRACKED = "http://tr.anpdm.com/track?t=c&mid=21884993&uid=1194746254&&&http%3A%2F%2Fwww.iucsyd.se%2Fmedia%2F{}.pdf"


def test_files_behind_one_tracker_stay_apart():
    # Familjen Helsingborg links three PDFs through a mail tracker; only the parameter without "=" names each
    links = html.fragment_fromstring(
        "<div>" + "".join(f'<a href="{TRACKED.format(n)}">Träff {n}</a>' for n in (1, 2, 3)) + "</div>"
    ).findall("a")
    found = attachments_from(links, PROFILE, URL)
    assert [a.url for a in found] == [
        f"http://tr.anpdm.com/track?http%3A%2F%2Fwww.iucsyd.se%2Fmedia%2F{n}.pdf&mid=21884993&t=c&uid=1194746254"
        for n in (1, 2, 3)
    ]


@pytest.mark.parametrize(
    "url, release, attachment",
    [
        (
            TRACKED.format(1),
            "http://tr.anpdm.com/track?mid=21884993&t=c&uid=1194746254",
            "http://tr.anpdm.com/track?http%3A%2F%2Fwww.iucsyd.se%2Fmedia%2F1.pdf&mid=21884993&t=c&uid=1194746254",
        ),
        ("https://x.gov/report.pdf?1714731300", "https://x.gov/report.pdf", "https://x.gov/report.pdf"),  # a time
        ("https://x.gov/view.php?a=&print&b=2", "https://x.gov/view.php?b=2", "https://x.gov/view.php?b=2&print"),
    ],
)
def test_a_parameter_without_a_value_names_a_file_but_not_a_release(url, release, attachment):
    # a release's key is as it always was, so that an archive's releases keep theirs
    assert canonical_url(url) == release
    assert canonical_url(url, bare=True) == attachment


def test_attachment_urls_name_the_real_site_when_crawling_a_mirror():
    mirrored = extract("mofa_en_318874_new.html", "http://127.0.0.1:8000/eng/brd/m_5676/view.do?seq=318874")
    assert mirrored.content.attachments[0].url.startswith("https://www.mofa.go.kr/")


def test_maintenance_page_is_an_error():
    with pytest.raises(ExtractionError, match="no title"):
        extract_release("<html><body><h1>System maintenance</h1></body></html>", PROFILE, URL)


def test_title_without_body_is_an_error():
    page = "<div class='board_detail'><h2>A title</h2><div class='bo_con'> &nbsp; </div></div>"
    with pytest.raises(ExtractionError, match="no body"):
        extract_release(page, PROFILE, URL)


def test_list_keys_from_both_link_forms_once_each():
    listed = parse_list((FILES / "mofa_en_list.html").read_text("utf-8"), PROFILE, URL)
    assert [(item.key, str(item.date), item.title) for item in listed] == [
        ("318880", "2017-08-07", "Outcome of the ROK-China Foreign Ministers' Meeting"),
        ("318874", "2017-08-06", "ROK and ASEAN Agree to Elevate Strategic Partnership"),
    ]
    assert listed[1].url == "https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=318874"


def test_paragraphs_break_at_blocks_and_br_and_flow_inline():
    root = html.fromstring("<div>One <b>bold</b> line<br>Two<p>Three <span>and</span> more</p>tail<!-- c --></div>")
    assert paragraphs(root) == ["One bold line", "Two", "Three and more", "tail"]


def test_paragraphs_survive_nesting_deeper_than_the_recursion_limit():
    root = node = etree.Element("div")
    for _ in range(5000):
        node = etree.SubElement(node, "span")
    node.text = "deep"
    assert paragraphs(root) == ["deep"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Date : 2017-08-06 18:00:00", "2017-08-06T18:00:00+09:00"),
        ("2017-08-06 18:00", "2017-08-06T18:00:00+09:00"),
        ("2017.8.6", "2017-08-06"),
        ("2017년 8월 6일", "2017-08-06"),
        ("2017-02-30", None),
        ("2017-08-06 25:00", None),
        ("no date here", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text, tz.gettz("Asia/Seoul")) == expected


def test_dates_in_words_by_the_profiles_formats():
    from crawler.extract.pages import parse_published
    from crawler.sites.profile import load_profile

    profile = load_profile(
        "x.toml",
        'id="x"\nname="x"\nbase_url="https://x.example"\nstart="/"\n'
        'timezone="Europe/London"\n[detail]\npublished_formats=["%d %B %Y", "%d %B %Y %H:%M"]\n',
    )
    assert parse_published("Published 6 August 2017, by the press office", profile) == "2017-08-06"
    assert parse_published("Date: 2017-08-06", profile) == "2017-08-06"
    assert parse_published("no date", profile) is None


def test_a_profiled_page_that_shows_no_day_takes_the_lists():
    from datetime import date

    from crawler.extract.context import PageContext
    from crawler.extract.generic import extract_page
    from crawler.sites.profile import load_profile

    profile = load_profile(
        "x.toml",
        'id="x"\nname="x"\nbase_url="https://x.example"\nstart="/"\n'
        'timezone="Asia/Tokyo"\n[detail]\ntitle="h1"\nbody="article"\n',
    )
    page = "<html><body><h1>Paper</h1><article><p>Its text.</p></article></body></html>"
    found = extract_page(page, PageContext(profile, "https://x.example/p1", listed_day=date(2021, 8, 31)))
    assert (found.content.published, found.sources["published"]) == ("2021-08-31", "the list")
    assert extract_page(page, PageContext(profile, "https://x.example/p1")).content.published is None
    dated = load_profile(
        "y.toml",
        'id="y"\nname="y"\nbase_url="https://x.example"\nstart="/"\n'
        'timezone="Asia/Tokyo"\n[detail]\ntitle="h1"\nbody="article"\npublished="time"\n',
    )
    own_day = page.replace("</h1>", "</h1><time>2021-09-01</time>")
    found = extract_page(own_day, PageContext(dated, "https://x.example/p1", listed_day=date(2021, 8, 31)))
    assert found.content.published.startswith("2021-09-01")  # the page's own day wins


def test_atom_feed_and_sitemap_entries():
    from crawler.extract.pages import parse_feed
    from crawler.sites.profile import load_profile

    profile = load_profile("x.toml", 'id="x"\nname="x"\nbase_url="https://x.example"\nfeed="/atom"\n')
    atom = b"""<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>
      <entry><title>Second</title><link href='https://x.example/n/2'/><updated>2017-08-07T09:00:00Z</updated></entry>
      <entry><title>First</title><link href='/n/1?utm_source=feed'/><published>2017-08-06T18:00:00+09:00</published></entry>
      <entry><title>Elsewhere</title><link href='javascript:alert(1)'/></entry></feed>"""
    listed = parse_feed(atom, profile, "https://x.example/atom")
    assert [(i.key, str(i.date), i.title) for i in listed[:2]] == [
        ("https://x.example/n/2", "2017-08-07", "Second"),
        ("https://x.example/n/1", "2017-08-06", "First"),
    ]
    assert parse_feed(b"<not xml", profile, "https://x.example/atom") == []
    entity = b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><rss><channel><item><title>&x;</title><link>/n/3</link></item></channel></rss>"
    (item,) = parse_feed(entity, profile, "https://x.example/rss")
    assert "root:" not in item.title  # no external entities


@pytest.mark.parametrize(
    "onclick",
    [
        "location.href='/file/download?atch_no=F1'",
        'window.open("/file/download?atch_no=F1", "_blank")',
        "document.location = '/file/download?atch_no=F1'; return false;",
        "location.replace('/file/download?atch_no=F1')",
    ],
)
def test_where_a_script_link_leads(onclick):
    assert link_target(html.fragment_fromstring("<button onclick='x'>f</button>")) == ""
    assert link_target(html.fragment_fromstring("<a href='/a.pdf' onclick=\"window.open('/b.pdf')\">f</a>")) == "/a.pdf"
    button = html.fragment_fromstring("<a href='javascript:;'>f</a>")
    button.set("onclick", onclick)
    assert link_target(button) == "/file/download?atch_no=F1"


def test_a_list_that_links_each_release_by_its_day_gives_days_not_titles():
    """MAS's past decisions: each statement linked by its day alone.  Taken
    for a title, "27 Jul 2026" made every page a failed fetch (the page's
    title is not the list's)."""
    from dataclasses import replace

    from crawler.extract.context import PageContext
    from crawler.extract.generic import extract_generic

    profile = replace(
        builtin_profiles()["mofa_en"],
        key_query="",
        key_segment=-1,
        links=LinkRule(rows="table tr", pattern=r"(/news/mps-\w+)", date=r"(\d+ \w+ \d{4})"),
    )
    rows = "".join(
        f'<tr><td><a href="/news/mps-{slug}">{day}</a></td><td>Appreciation</td></tr>'
        for slug, day in (("27jul26", "27 Jul 2026"), ("29jan24", "29 Jan 2024"))
    )
    listed = parse_list(f"<html><body><table>{rows}</table></body></html>", profile, "https://www.mas.gov.sg/decisions")
    assert [(item.title, str(item.date)) for item in listed] == [("", "2026-07-27"), ("", "2024-01-29")]
    page = """<html><head><title>Monetary Authority of Singapore</title></head><body>
<div class="mas-title"></div><h1>MAS Monetary Policy Statement - July 2026</h1><p>Published Date: 27 July 2026</p>
<p>MAS will maintain the rate of appreciation of the S$NEER policy band.</p></body></html>"""
    generic = replace(profile, detail=DetailRule())
    found = extract_generic(page, PageContext(generic, own_title=listed[0].title)).content
    assert found.title == "MAS Monetary Policy Statement - July 2026"


def test_a_page_that_links_many_releases_by_their_days_is_a_list_not_a_release():
    """MAS's past decisions answering at a statement's address: no list
    title to refuse it by, but a list: its links name releases by day."""
    from dataclasses import replace

    from crawler.extract.context import PageContext
    from crawler.extract.generic import extract_generic, learn_template

    profile = replace(
        builtin_profiles()["mofa_en"],
        key_query="",
        key_segment=-1,
        links=LinkRule(rows="table tr", pattern=r"(/news/mps-\w+)"),
        detail=DetailRule(),
    )

    def page(title: str, text: str, rows: str) -> str:
        return f"""<html><head><title>{title}</title></head><body><nav><a href="/">Home</a></nav>
<main><h1>{title}</h1><p>{text}</p>{rows}</main><footer>Terms of use</footer></body></html>"""

    words = ["kept", "steepened", "flattened", "recentred"]
    days = "".join(
        f'<tr><td><a href="/news/mps-{n}jan">{n} Jan 20{10 + n}</a></td><td>The band was {words[n % 4]}.</td></tr>'
        for n in range(1, 13)
    )
    titled = [f'<a href="/news/mps-{n}jan">the statement of review {n}</a>' for n in range(1, 13)]
    releases = [
        page(
            f"Statement {n}",
            f"The Authority kept policy unchanged at review {n}, as inflation eased.",
            f"<p>It follows {', '.join(titled[n:])}, each {words[n]} in its own way.</p>",
        )
        for n in range(3)
    ]
    template = learn_template(releases)
    listing = page(
        "Past Monetary Policy Decisions", "Each decision since 2001, with its day.", f"<table>{days}</table>"
    )
    with pytest.raises(ExtractionError, match="lists other releases"):
        extract_generic(listing, PageContext(profile, template=template))
    assert extract_generic(releases[0], PageContext(profile, template=template)).content.title == "Statement 0"
