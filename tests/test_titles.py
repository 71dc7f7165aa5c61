"""What names a release when a board's pages have much in common: a title
every release bears, the day in the title (a daily release, which keeps its
recurring table too), the site's name in the page's title tag."""

from __future__ import annotations

import pytest

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES


def statement_page(n: int, head: str) -> str:
    """A board whose releases all bear one title, the page's own name."""
    day = ["January 29", "March 18", "April 29"][n]
    section = '<div class="page-title"><h2>Press Release</h2></div>' if "og:title" in head else ""
    return f"""<html><head>{head}</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>{section}
<div id="article"><p class="time">{day}, 2020</p><h3 class="title">Federal Reserve issues FOMC statement</h3>
<p>{["The Committee kept the target range.", "The Committee lowered the rate.", "Markets were calm."][n]}</p>
<p>{["Voting for the action were all members.", "One member dissented.", "Two members were absent."][n]}</p></div><footer>Last Update: {day}, 2020</footer></body></html>"""


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="og:title" content="Federal Reserve issues FOMC statement">'
        "<title>Federal Reserve Board - Federal Reserve issues FOMC statement</title>",
        "<title>\n  Federal Reserve issues FOMC statement - News\n</title>",  # the title, then the section
    ],
)
def test_a_title_every_release_bears_is_still_each_one_s_title(head):
    pages = [statement_page(n, head) for n in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[2], PageContext(profile, template=learn_template(pages)))
    assert (found.content.title, found.content.published) == ("Federal Reserve issues FOMC statement", "2020-04-29")


def daily_update(n: int) -> str:
    """A board's daily statistics release: the day in the title, the text in
    two paragraph entities of one kind, a table whose rows recur every day
    with new numbers, a contact box between the text and the table."""
    day = f"{5 + n} July 2020"
    entity = (
        '<div class="paragraph rich-text"><div class="layout"><div class="field rich-text-text">{}</div></div></div>'
    )
    return f"""<html><head><title>Health Department | Coronavirus update for Victoria - {day}</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/media">Media hub</a></li></ul></nav>
<div class="banner"><h1>Coronavirus update for Victoria - {day}</h1></div>
<article><div class="first-line">Media Release<br>{day}</div><div class="page-content">
{
        entity.format(
            f"<p>Victoria has recorded {10 + 7 * n} new cases since yesterday, {['all', 'most', 'none'][n]} linked "
            f"to known outbreaks.</p><h2>{['Testing', 'Tracing', 'Quarantine'][n]}</h2>"
            f"<p>{['Testing', 'Tracing', 'Quarantine'][n]} continues across the state.</p>"
            "<h2>Media enquiries:</h2><p>Media Unit (03) 9096 8860 or press@health.example.gov.au</p>"
        )
    }
{
        entity.format(
            "<h2>Latest statewide numbers</h2><table><tr><td><p>Cases acquired locally</p></td>"
            "<td><p>Active cases</p><p>(today)</p></td></tr>"
            f"<tr><td>{3 * n}</td><td>{40 + n}</td></tr></table>"
        )
    }
</div></article><footer><p>Authorised by the Victorian Government</p></footer></body></html>"""


@pytest.mark.parametrize("n", range(3))
def test_a_daily_release_keeps_its_recurring_table_and_its_dated_title(n):
    pages = [daily_update(day) for day in range(3)]
    profile = load_profile(
        "vic.toml",
        'id="vic"\nname="Health Department: Media hub"\n'
        'base_url="https://health.example.gov.au"\nstart="/media"\ntimezone="Australia/Melbourne"\n',
    )
    found = extract_generic(pages[n], PageContext(profile, template=learn_template(pages)))
    assert found.content.title == f"Coronavirus update for Victoria - {5 + n} July 2020"
    assert found.content.body.split("\n\n")[3:] == [
        "Latest statewide numbers",
        "Cases acquired locally Active cases (today)",
        f"{3 * n} {40 + n}",
    ]
    assert "Media" not in found.content.body


def test_a_site_s_name_leaves_the_title_as_written():
    from crawler.extract.titles import without_site_name

    site = "Health Department: Media hub"
    assert (
        without_site_name("Health Department | Update for Victoria - 5 July 2020", site)
        == "Update for Victoria - 5 July 2020"
    )
    assert without_site_name("Title - News | Health Department", site) == "Title - News"
    assert without_site_name("Notice | Health Department | Archive", site) == "Notice | Archive"
    assert without_site_name("Health Department", site) == "Health Department"


def test_a_title_every_release_bears_wins_over_a_subheading_the_title_tag_does_not_name():
    def page(n: int) -> str:
        return (
            f"<html><head><title>COVID-19 (Coronavirus) statistics - News</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><h1 class='pagetitle'>COVID-19 (Coronavirus) statistics</h1>"
            f"<div class='field'><p>NSW recorded {n + 3} new cases in the 24 hours to 8pm last night.</p>"
            f"<h2>{['Likely source of cases', 'Venues of concern', 'Testing clinics'][n]}</h2>"
            f"<p>{['Most were linked to known clusters.', 'Two venues were added.', 'Clinics open late.'][n]}</p>"
            "</div></body></html>"
        )

    pages = [page(n) for n in range(3)]
    profile = load_profile(
        "nsw.toml",
        'id="nsw"\nname="NSW Health"\nbase_url="https://health.example.gov.au"\n'
        'start="/news"\ntimezone="Australia/Sydney"\n',
    )
    template = learn_template(pages)
    for n in range(3):
        assert (
            extract_generic(pages[n], PageContext(profile, template=template)).content.title
            == "COVID-19 (Coronavirus) statistics"
        )


def short_titled(n: int) -> str:
    """A board whose releases may be named in a word or two ("הגל שלי", "My
    wave"), under a section label every page shows."""
    title = ["הגל שלי", "Tax day", "Summer school programme for the regions"][n]
    return f"""<html><head><title>{title} | Authority for Community Safety</title></head><body>
<nav><a href="/">Home</a></nav><h2 class="section">News</h2>
<main><h1 id="NewsTitle">{title}</h1><p class="lead">{TEXTS[n]}</p><p>{TEXTS[(n + 1) % 3]}</p></main></body></html>"""


TEXTS = [
    "Between the waves of the pandemic, the council gathered its young people for a day at sea.",
    "Returns for the year must be filed by the end of the month, online or by post.",
    "Schools in the regions will open their doors to pupils during the summer weeks.",
]


@pytest.mark.parametrize("n", range(3))
def test_a_short_title_the_title_tag_names_first_is_the_release_s(n):
    pages = [short_titled(k) for k in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[n], PageContext(profile, template=learn_template(pages)))
    assert found.content.title == ["הגל שלי", "Tax day", "Summer school programme for the regions"][n]
    assert found.content.body.split("\n\n") == [TEXTS[n], TEXTS[(n + 1) % 3]]


def test_a_short_label_every_page_shows_is_not_a_title():
    pages = [short_titled(k).replace("<title>", "<title>News | ") for k in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[1], PageContext(profile, template=learn_template(pages)))
    assert found.content.title == "Tax day"


def minutes_page(n: int, title: str) -> str:
    """A board of minutes: every page headed alike, the <title> naming the
    series and the meeting's day, a section's tabs under the heading."""
    day = ["September 16, 2008", "March 17-18, 2009", "November 2-3, 2010"][n]
    tabs = [
        "",
        '<li><a href="/sep.htm">Summary of Economic Projections</a></li>',
        '<li><a href="/f">Forecasts</a></li>',
    ][n]
    return f"""<html><head><title>{title.format(day=day, n=n)}</title></head><body>
<nav><a href="/">Home</a></nav><div id="content"><h1 class="border">Minutes of the Open Market Committee</h1>
<p><strong>{day}</strong></p><div class="contentNav"><ul><li>Minutes</li>{tabs}</ul></div>
<div id="leftText"><p>{TEXTS[n]}</p><p>{MORE[n]}</p><p>The Committee will next meet on {NEXT[n]}, in Washington.</p></div></div>
<div id="lastUpdate">Last update: {PUBLISHED[n]}</div></body></html>"""


# Minutes are published three weeks after their meeting; the text names the next one.
PUBLISHED = ["October 7, 2008", "April 8, 2009", "November 23, 2010"]
NEXT = ["October 28-29, 2008", "April 28-29, 2009", "December 14, 2010"]


MORE = ["The staff's outlook was little changed.", "Members voted for the action.", "The meeting adjourned at noon."]


@pytest.mark.parametrize("n", range(3))
def test_where_the_title_tag_names_only_the_series_and_its_day_the_heading_is_the_title(n):
    pages = [minutes_page(k, "FRB: Minutes, {day}") for k in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    template = learn_template(pages)
    found = extract_generic(pages[n], PageContext(profile, template=template))
    assert found.content.title == "Minutes of the Open Market Committee"
    assert found.content.body.split("\n\n") == [
        TEXTS[n],
        MORE[n],
        f"The Committee will next meet on {NEXT[n]}, in Washington.",
    ]  # no tabs, no day
    assert template.dated_titles
    # the <title>'s day is the meeting's; the day the page was last changed, after it, the minutes'
    assert found.content.published == ["2008-10-07", "2009-04-08", "2010-11-23"][n]


def test_where_the_title_tag_names_each_release_it_is_the_title():
    # the heading every page shows is the office's ("Jay Jones"), the <title> the release's
    names = ["Schools get more money", "Rivers are tested weekly", "Parks open longer"]
    pages = [minutes_page(k, names[k] + " | Ministry of Examples") for k in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    template = learn_template(pages)
    assert not template.dated_titles
    found = extract_generic(pages[2], PageContext(profile, template=template))
    assert found.content.title == "Parks open longer"


@pytest.mark.parametrize(
    "declared, text, leading",
    [
        # the title's own colon: its parts alone would name no heading (Bank of Korea)
        (
            "Hires : Implications for Youth [Note 2025-01] | Issue Note | Research",
            "Hires : Implications for Youth [Note 2025-01]",
            True,
        ),
        ("Press Releases | Ministry", "Press Releases", False),  # no separator of its own: judged by the parts
        ("Hires : Implications | Research", "Hires : Impl", False),  # not up to a separator
        ("Hires : Implications", "Hires : Implications", False),  # the whole <title>: matched as such
    ],
)
def test_a_heading_the_title_tag_opens_with_is_the_title(declared, text, leading):
    from crawler.extract.titles import leads

    assert leads(declared, text) is leading


def test_a_section_heading_gives_way_to_the_heading_the_title_tag_opens_with():
    profile = load_profile(FILES / "sites" / "example_press.toml")
    titles = ["Hires : Implications for Youth", "Wages : What Moved Them", "Rates : A Look Back"]
    pages = [
        f"<html><head><title>{title} [Note 2025-0{n}] | Issue Note | Research</title></head><body>"
        f"<div class='visual'><h1>{['Issue Note', 'Press Releases', 'Notices'][n]}</h1></div>"
        f"<div class='view'><h2 class='subject'>{title} [Note 2025-0{n}]</h2>"
        f"<p>Paragraph {n} says something of its own about {title.split()[0].lower()} this time.</p></div></body></html>"
        for n, title in enumerate(titles)
    ]
    template = learn_template(pages)
    found = extract_generic(pages[0], PageContext(profile, template=template))
    assert found.content.title == "Hires : Implications for Youth [Note 2025-00]"


TITLE = "Statement by the Governor at the 46th Annual Meeting of the Asian Development Bank"


@pytest.mark.parametrize(
    "body, kept",
    [
        # the page's head in the text: the office, a date line, the title again a word apart (Taiwan's central bank)
        (
            [
                "Central Bank of the Republic of China (Taiwan)",
                "PRESS RELEASE Release Date : May 4, 2013",
                "Statement by the Governor at the 46th Annual Meeting of Asian Development Bank",
                "Mr. Chairman, Fellow Governors:",
            ],
            ["Mr. Chairman, Fellow Governors:"],
        ),
        # a release that opens with its text and names its occasion later keeps it all
        (
            ["The Governor spoke in Delhi today, where the bank's members met for the 46th time this May.", TITLE],
            ["The Governor spoke in Delhi today, where the bank's members met for the 46th time this May.", TITLE],
        ),
        (
            ["Statement by the Governor at the Annual Meeting", "Text."],
            ["Statement by the Governor at the Annual Meeting", "Text."],
        ),
        ([TITLE], [TITLE]),  # a page that is only its title keeps it
    ],
)
def test_the_release_starts_after_its_title_set_again_in_the_text(body, kept):
    from crawler.extract.titles import after_title_again

    assert after_title_again(body, TITLE) == kept


def test_a_part_of_the_title_over_the_text_is_the_page_s_head():
    from crawler.extract.titles import after_title_again

    title = "Opening Statement before the House of Commons Standing Committee on Finance"
    venue = "House of Commons Standing Committee on Finance"
    assert after_title_again([venue, "Good evening."], title) == ["Good evening."]  # a statement's venue
    assert after_title_again(["Finance", "Good evening."], title) == ["Finance", "Good evening."]  # a word or two
    assert after_title_again(["Good evening.", venue], title) == ["Good evening.", venue]  # within the text
    assert after_title_again([venue], title) == [venue]


COURT_TOPICS = ["2G+-Regeln im Deutschen Bundestag", "Zuteilung des Otto-Wels-Saals", "Fragerecht der Abgeordneten"]
COURT_TITLES = ["Erfolglose Organklage gegen ", "Organklage wegen ", "Unzulässiger Antrag zum "]
COURT_TEXT = [
    ("Mit heute veröffentlichtem Beschluss hat der Senat Anträge verworfen.", "Die Regeln galten im Plenum."),
    ("Der Senat hat einen Antrag im Organstreitverfahren verworfen.", "Der Saal ging an die größere Fraktion."),
    ("Der Antrag ist mangels Substantiierung unzulässig.", "Die Antragstellerin hat nichts dargelegt."),
]


def court_release(n: int, topic_as: str) -> str:
    """A court's release: a part of its title over the text, as a paragraph
    like the text's (the case's topic line) or as a field of the head (a
    venue)."""
    topic, title = COURT_TOPICS[n], COURT_TITLES[n] + COURT_TOPICS[n]
    line = f"<p>{topic}</p>" if topic_as == "p" else f'<div class="post-venue">{topic}</div>'
    text = "".join(f"<p>{paragraph}</p>" for paragraph in COURT_TEXT[n])
    return f"""<html><head><title>{title}</title></head><body><nav><a href="/">Start</a> <a href="/p">Presse</a></nav>
<main><h1>{title}</h1><p class="topline">Pressemitteilung Nr. {40 + n}/2026 vom {20 + n}. Juli 2026</p>
<div class="content">{line}{text}</div></main><footer>Impressum</footer></body></html>"""


@pytest.mark.parametrize(("topic_as", "kept"), [("p", True), ("div", False)])
def test_a_part_of_the_title_set_as_the_text_is_the_release_s_topic_line(topic_as, kept):
    pages = [court_release(n, topic_as) for n in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[0], PageContext(profile, template=learn_template(pages)))
    first = found.content.body.split("\n\n")[0]
    assert (first == "2G+-Regeln im Deutschen Bundestag") is kept
    assert "Mit heute veröffentlichtem Beschluss" in found.content.body


PUBLICATIONS = ["재생에너지의 효과적 보급확대를 위한 정책 과제", "온라인 플랫폼 규제 개선 방향", "불평등에 관한 연구"]
# KDI's title box: a series label, the title and the day in one <strong>, the authors beside it
TITLE_BOX = (
    '<div class="top-title"><strong class="title"><b>KDI FOCUS</b> <p>{title}</p> <span>{day}</span>'
    '</strong><div class="authors"><strong>{author} <span>연구위원</span></strong></div></div>'
)


def publication_pages(title_tag: str) -> list[str]:
    return [
        f"""<html><head><title>{title_tag.format(title=title)}</title></head><body>
<nav><a href="/">연구</a> <a href="/share">소통</a></nav>
{TITLE_BOX.format(title=title, author=author, day=day)}
<div class="editor"><p>{title}에 관한 요약 문단입니다. 정책 방향을 제시합니다.</p><p>{author} 연구위원이 썼습니다.</p></div>
</body></html>"""
        for title, author, day in zip(
            PUBLICATIONS, ["임희현", "조성익", "정성훈"], ["2026.07.27", "2025.10.22", "2025.12.31"]
        )
    ]


def test_the_part_of_a_title_box_the_title_tag_opens_with_is_the_title():
    """KDI's title box holds its series, the title, the day and the authors:
    the <title> ("Title - KDI 한국개발연구원 - 연구") says which part names the release."""
    pages = publication_pages("{title} - KDI 한국개발연구원 - 연구")
    profile = load_profile(FILES / "sites" / "example_press.toml")
    for page, title in zip(pages, PUBLICATIONS):
        found = extract_generic(page, PageContext(profile, template=learn_template(pages))).content
        assert found.title == title
        assert found.body.split("\n\n")[0].startswith(title + "에 관한")  # the day and the authors are the head's


def test_a_deck_in_the_title_s_box_stays_the_release_s():
    decks = [f"{title}: 보조금 투입이 급증한 상황에서 검토가 필요하다는 점을 밝힌다." for title in PUBLICATIONS]
    pages = [
        page.replace('<div class="authors">', f"<p class='deck'>{deck}</p><div class=\"authors\">", 1)
        for page, deck in zip(publication_pages("{title} - KDI 한국개발연구원 - 연구"), decks)
    ]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[0], PageContext(profile, template=learn_template(pages))).content
    assert decks[0] in found.body.split("\n\n")


BOARD_TITLES = ["PCLOB announces its agenda", "Board releases its report", "Website is now HTTPS by default"]
REPOSTED = "Statement by the President on the Resignation of the Chairman"


def newsroom_page(title: str, heading: str, text: str) -> str:
    return f"""<html><head><title>{title} </title></head><body><div id="nav"><a href="/">Home</a></div>
<div id="page-content"><h2>{heading}</h2> FOR RELEASE <br/> March 29, 2016 <div class="divider"></div>
<p>{text}</p><p>{" ".join(reversed(text.split()))}</p></div>
<div id="page-sidebar"><p>Contact us: 2100 K Street NW</p></div></body></html>"""


def test_a_statement_reposted_under_its_issuer_s_letterhead_keeps_its_own_title():
    """The heading is the White House letterhead; the list and the <title>
    call the release by the bold line under it, which is its title."""
    said = ["It met the public in July.", "It looked at the surveillance programmes.", "Visitors are safer now."]
    pages = [newsroom_page(title, title, f"The Board announced: {text}") for title, text in zip(BOARD_TITLES, said)]
    reposted = newsroom_page(
        REPOSTED,
        "The White House Office of the Press Secretary",
        f"<strong><i>{REPOSTED}</i></strong></p><p>I am deeply appreciative of his stewardship of the Board.",
    )
    profile = load_profile(FILES / "sites" / "example_press.toml")
    template = learn_template([*pages, reposted])
    found = extract_generic(reposted, PageContext(profile, template=template, own_title=REPOSTED))
    assert found.content.title == REPOSTED
    assert found.content.body.split("\n\n")[0] == "I am deeply appreciative of his stewardship of the Board."
    # the <title> alone, with no list's word for it, does not overrule the heading
    found = extract_generic(reposted, PageContext(profile, template=template))
    assert found.content.title == "The White House Office of the Press Secretary"
