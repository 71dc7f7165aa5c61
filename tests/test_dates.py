"""Dates as boards write them: one table, every form, with and without a time."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from datetime import date, timedelta, timezone

import pytest

from bench import synthetic
from crawler.demo.server import Board, render_release
from crawler.extract.context import PageContext
from crawler.extract.dates import find_date, from_datetime_attribute
from crawler.extract.generic import extract_generic, learn_template
from crawler.extract.pages import parse_list
from crawler.sites.profile import load_profile

from .helpers import FILES, release
from .test_sweep import crawl_at

SEOUL = timezone(timedelta(hours=9))
LONDON_SUMMER = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-08-09", "2025-08-09"),
        ("Date : 2025.08.09 Hit : 1,234", "2025-08-09"),
        ("2025/8/9 14:05", "2025-08-09T14:05:00+09:00"),
        ("2025-08-09 14:05:33", "2025-08-09T14:05:33+09:00"),
        ("작성일 2025년 8월 9일", "2025-08-09"),
        ("2025年8月9日", "2025-08-09"),
        ("２０２５年８月９日", "2025-08-09"),  # full-width digits
        ("令和7年8月9日", "2025-08-09"),
        ("令和元年5月1日", "2019-05-01"),
        ("平成30年12月28日", "2018-12-28"),
        ("昭和64年1月7日", "1989-01-07"),
        ("民國114年8月9日", "2025-08-09"),
        ("Published 9 August 2025", "2025-08-09"),
        ("9 Aug 2025", "2025-08-09"),
        ("August 9, 2025", "2025-08-09"),
        ("Aug. 9, 2025 3:15 PM", "2025-08-09T15:15:00+09:00"),
        ("Sept 1st, 2025", "2025-09-01"),
        ("1st September 2025", "2025-09-01"),
        ("9 août 2025", "2025-08-09"),
        ("9 de agosto de 2025", "2025-08-09"),
        ("Fecha: 4\n\n\tde\t\toctubre\n\tde2022", "2022-10-04"),  # USAGov's template glues the year to "de"
        ("4 December 2022", "2022-12-04"),  # "De" is a month's start, not the word
        ("9. August 2025", "2025-08-09"),
        ("9 agosto 2025", "2025-08-09"),
        ("Press release, 12 December 2024, updated 3 January 2025", "2024-12-12"),  # the first one
        ("2017-02-30", None),  # no such day
        ("30 Febuary 2025", None),  # not a month
        ("09/08/2025", None),  # day or month first? the profile's formats say
        ("Release 500 on bilateral cooperation, 2 sides agreed", None),
        ("", None),
    ],
)
def test_every_form_boards_use(text, expected):
    assert find_date(text, SEOUL) == expected


@pytest.mark.parametrize(
    "text, month_first, expected",
    [
        ("2/6/2026", True, "2026-02-06"),  # a US board (tests/files/corpus/ohio_ag)
        ("02/09/2026 Office of Attorney General Secures …", True, "2026-02-09"),
        ("9/8/2025", False, "2025-08-09"),  # a British or French one
        ("9.8.2025", False, "2025-08-09"),  # a German one
        ("13/6/2026", True, None),  # no 13th month
        ("09/08/2025", None, None),  # no country: not read
    ],
)
def test_numeric_dates_as_the_country_writes_them(text, month_first, expected):
    assert find_date(text, SEOUL, month_first) == expected


def test_the_profile_s_country_says_which_comes_first():
    def month_first(country: str) -> bool | None:
        text = f'id = "x"\nname = "x"\nbase_url = "https://x"\nstart = "/"\ncountry = "{country}"\n'
        return load_profile("x.toml", text.replace('country = ""\n', "")).month_first

    assert (month_first("US"), month_first("GB"), month_first("")) == (True, False, None)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2025-08-09", "2025-08-09"),
        ("2025-08-09T10:00:00+01:00", "2025-08-09T18:00:00+09:00"),  # an instant, shown in the site's time
        ("2025-08-09T10:00:00Z", "2025-08-09T19:00:00+09:00"),
        ("2025-08-09T10:00", "2025-08-09T10:00:00+09:00"),  # local time: the site's
        ("9 August 2025", "2025-08-09"),
        ("soon", None),
    ],
)
def test_time_elements(value, expected):
    assert from_datetime_attribute(value, SEOUL) == expected


def test_a_release_that_shows_no_date_leaves_the_revisit_window_like_any_other(board, db):
    undated = []
    for seq in range(500, 488, -1):
        item = release(seq)
        del item["days_ago"]
        undated.append({**item, "date": ""})  # neither the list nor the page shows a date
    board.set({"releases": undated})
    assert crawl_at(board, db, 0).returncode == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM releases WHERE published IS NULL").fetchone()[0] == 12
    assert crawl_at(board, db, 40).returncode == 0  # first seen 40 days ago: outside the window
    board.set(board.state())  # clears the request log
    # the next routine run, 3 hours later, with a sweep so slow it rechecks one release
    assert crawl_at(board, db, 40.125, "--sweep-days", "1000").returncode == 0
    assert len(board.paths("view.do")) == 1  # not every undated release again
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT sweep_size FROM crawls ORDER BY id DESC").fetchone()[0] == 12


@pytest.mark.parametrize(
    "shown, expected",
    [
        ("<time>9 August 2025</time>", "2025-08-09"),
        ("<time>August 9, 2025</time>", "2025-08-09"),
        ('<time datetime="2025-08-09T11:00:00+01:00">this morning</time>', "2025-08-09T10:00:00+00:00"),  # a UTC board
        ("<time>2025년 8월 9일</time>", "2025-08-09"),
        ("<time>令和7年8月9日</time>", "2025-08-09"),
        ("<time>2025年8月9日</time>", "2025-08-09"),
    ],
)
def test_a_profile_less_page_gives_its_date_in_any_form(shown, expected):
    state = Board({**synthetic.board(8, seed=5), "layout": "generic"}).state
    pages = [render_release(state, n, release) for n, release in enumerate(state["releases"])]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    template = learn_template(pages)
    release_ = state["releases"][3]
    page = re.sub(r"<time>[^<]*</time>", shown, pages[3], count=1)
    record = extract_generic(page, PageContext(profile, template=template, own_title=release_["title"]))
    assert record.content.published == expected


def test_a_list_row_gives_its_date_in_words_when_the_rule_finds_none():
    profile = load_profile(FILES / "sites" / "example_press.toml")
    html = (
        "<html><body><ul class='press-list'>"
        "<li><a href='/press/1'>One</a> <span>9 August 2025</span></li>"
        "<li><a href='/press/2'>Two</a> <span>令和7年8月8日</span></li>"
        "<li><a href='/press/3'>Three</a> <span>2025-08-07</span></li>"
        "<li><a href='/press/4'>Four</a></li></ul></body></html>"
    )
    listed = parse_list(html, profile, profile.base_url + "/news/press/list.do")
    assert [item.date for item in listed] == [date(2025, 8, 9), date(2025, 8, 8), date(2025, 8, 7), None]


@pytest.mark.parametrize(
    "declared, published",
    [
        ('<meta property="article:published_time" content="2025-08-01T09:30:00+00:00">', "2025-08-01T09:30:00+00:00"),
        ('<meta itemprop="datePublished" content="2025-08-01T09:30:00+00:00">', "2025-08-01T09:30:00+00:00"),
        ('<meta name="DCTERMS.issued" content="2025-08-01">', "2025-08-01"),
        ('<meta name="release.date" content="2025-08-01">', "2025-08-01"),
    ],
)
def test_a_page_showing_only_its_update_day_gives_the_publication_it_declares(declared, published):
    state = Board({**synthetic.board(8, seed=5), "layout": "generic"}).state
    pages = [render_release(state, n, release) for n, release in enumerate(state["releases"])]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    template = learn_template(pages)
    release_ = state["releases"][3]
    page = re.sub(r"<time>[^<]*</time>", "Uppdaterad: 2025-08-09", pages[3], count=1)
    page = page.replace("</head>", declared + "</head>", 1)
    record = extract_generic(page, PageContext(profile, template=template, own_title=release_["title"]))
    assert record.content.published == published  # a UTC board
    assert record.updated == "2025-08-09"


@pytest.mark.parametrize(
    "teaser",
    [
        "<a href='/conference'><div class='caption'>Latest press conference</div><div>19 March 2026</div></a>",
        "<ul><li><a href='/news/9'>19 March 2026</a></li></ul>",
        # the day beside the linked title (Bank of Canada's mega-menu), in one line or two
        "<ul><li><span>19 March 2026</span> <a href='/2026/03/debt-consultations/'>Debt Management Consultations</a></li></ul>",
        "<div><span>19 March 2026</span><h5><a href='/2026/03/money-market/'>An update on money markets</a></h5></div>",
        # a card the link wraps, its day inline after a summary (KDI's SPOTLIGHT carousel)
        "<div class='item'><a href='/research/economy?pub_no=19259'><b>KDI 경제전망</b><strong>KDI 경제전망 | 수정, "
        "2026년 8월</strong><p>우리 경제는 2026년 3.2% 성장할 전망</p><span>19 March 2026</span></a></div>",
    ],
)
def test_a_day_in_a_menu_s_teaser_is_the_linked_page_s_not_this_one_s(teaser):
    state = Board({**synthetic.board(8, seed=5), "layout": "generic"}).state
    profile = load_profile(FILES / "sites" / "example_press.toml")
    pages = [
        re.sub(
            r"<p class='meta'>.*?<time>([^<]*)</time>.*?</p>", r"<p>\1</p>", render_release(state, n, release)
        ).replace("<body>", f"<body><nav>{teaser}</nav>", 1)
        for n, release in enumerate(state["releases"])
    ]
    release_ = state["releases"][3]
    record = extract_generic(
        pages[3], PageContext(profile, template=learn_template(pages), own_title=release_["title"])
    )
    assert record.content.published and record.content.published[:10] != "2026-03-19"
    assert record.content.published[:10] == release_["date"][:10]


def hammer_page(n: int) -> str:
    """The World Bank's head: the kind and the day in spans side by side,
    no space between them; a later table gives a settlement day."""
    day, title = [
        ("July 11, 2025", "Bond priced"),
        ("July 14, 2025", "Loan approved"),
        ("July 16, 2025", "Grant signed"),
    ][n]
    return f"""<html><head><title>{title}</title></head><body><nav><a href="/">Home</a></nav>
<main><div class="hammer"><span>PRESS RELEASE</span><span>{day}</span></div><h1>{title}</h1>
<article><p>{["The bond drew strong demand from investors in Asia.", "The loan builds roads in the north.", "The grant pays for clinics."][n]}</p>
<table><tr><td>Settlement date:</td><td>July 23, 2025</td></tr></table></article></main></body></html>"""


@pytest.mark.parametrize("n", range(3))
def test_a_day_set_beside_its_label_without_a_space_is_read(n):
    pages = [hammer_page(k) for k in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[n], PageContext(profile, template=learn_template(pages)))
    assert found.content.published[:10] == ["2025-07-11", "2025-07-14", "2025-07-16"][n]


def fema_page(n: int) -> str:
    """FEMA's release: its day in a table of fields, a later "Last updated";
    the site prints each day as its UTC day."""
    published, updated = [("2024-11-19T21:35:00Z", "2024-11-20T00:47:27+00:00"), ("2024-11-18T16:30:00Z", None)][n % 2]
    shown = {"2024-11-19T21:35:00Z": "November 19, 2024", "2024-11-18T16:30:00Z": "November 18, 2024"}
    update = (
        f'<div class="views-row">Last updated <time datetime="{updated}">November 20, 2024</time></div>'
        if updated
        else ""
    )
    return f"""<html><body><nav><a href="/">Home</a></nav><main><h1>Release {n} on the {["fire", "flood", "storm"][n]}</h1>
<table><thead><tr><th>Release Date</th><th>Release Number</th></tr></thead>
<tbody><tr><td><time datetime="{published}">{shown[published]}</time></td><td>DR-48{n}0 NR 05{n}</td></tr></tbody></table>
<p>The agency approved help for the {["fire", "flood", "storm"][n]} in county {n}, it said on Tuesday.</p>
<p>Crews from {n + 3} states are at work on the {["fire", "flood", "storm"][n]} and its damage.</p>{update}</main>
<footer><p>FEMA</p></footer></body></html>"""


def test_a_day_a_site_prints_in_utc_is_the_day_it_shows_and_a_field_table_is_not_the_text():
    pages = [fema_page(n) for n in range(3)]
    profile = replace(load_profile(FILES / "sites" / "example_press.toml"), timezone="America/New_York")
    record = extract_generic(pages[0], PageContext(profile, template=learn_template(pages)))
    assert record.content.published.startswith("2024-11-19T16:35")  # the time, in New York, where the day agrees
    assert record.updated == "2024-11-20"  # 00:47 UTC, the 19th in New York: the page shows the 20th
    assert "NR" not in record.content.body  # the release number, under its column's header
