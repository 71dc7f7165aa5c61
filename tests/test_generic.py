"""Profile-less sites: a learned template instead of selectors."""

import hashlib
import json
import re
import sqlite3
from dataclasses import replace

import pytest

from bench import synthetic
from crawler.demo.server import Board, render_release
from crawler.extract.context import PageContext
from crawler.extract.endmatter import without_end_matter
from crawler.extract.generic import extract_generic, learn_template
from crawler.extract.titles import TitleIndex
from crawler.sites.profile import load_profile

from .helpers import FILES, run_presswatch

SITES = FILES / "sites"
CHROME = [
    "Skip",
    "Ministry of Examples",
    "cookies",
    "Share on",
    "Related releases",
    "Trending",
    "Visa information",
    "Contact us",
    "Countries Information",
    "HOME",
    "Press Releases",
    "Hit :",
    "바로가기",
    "Copyright",
    "There is no",
]


def board_state(layout, count=20, **options):
    return {**synthetic.board(count, seed=5), "layout": layout, "menu_items": 5, **options}


@pytest.mark.parametrize("layout", ["old", "new", "generic"])
def test_learned_template_extracts_exact_records(layout):
    state = Board(board_state(layout)).state
    pages = [render_release(state, n, release) for n, release in enumerate(state["releases"])]
    template = learn_template(pages[:8])
    profile = load_profile(SITES / "example_press.toml")
    titles = TitleIndex(release["title"] for release in state["releases"])
    for n in (0, 5, 12, 19):  # inside and outside the sample, first and last
        release = state["releases"][n]
        record = extract_generic(
            pages[n], PageContext(profile, template=template, titles=titles, own_title=release["title"])
        )
        assert record.content.title == release["title"]
        assert record.content.body == "\n\n".join(release["paragraphs"])
        for chrome in CHROME:
            assert chrome not in record.content.body


def test_too_few_pages_fall_back_to_trafilatura():
    assert learn_template(["<html><body><p>one</p></body></html>"] * 2) is None
    state = Board(board_state("generic", count=2)).state
    page = render_release(state, 0, state["releases"][0])
    record = extract_generic(page, PageContext(load_profile(SITES / "example_press.toml")))
    assert record.content.title == state["releases"][0]["title"]
    assert state["releases"][0]["paragraphs"][0] in record.content.body


def crawl(board, db, site, *extra):
    return run_presswatch(
        "crawl", site, "--db", db, "--base-url", board.url, *extra, env={"PRESSWATCH_SITES_DIR": str(SITES)}
    )


def bodies(db):
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT r.key, v.body FROM versions v JOIN releases r ON r.id = v.release_id"))


def test_profile_less_crawl_with_rotating_chrome_makes_no_spurious_versions(board, db):
    board.set(board_state("generic"))
    result = crawl(board, db, "example_press")
    assert result.returncode == 0, result.stderr
    assert "new 20" in result.stdout and "errors 0" in result.stdout
    truth = {r["seq"]: "\n\n".join(r["paragraphs"]) for r in board.state()["releases"]}
    archived = bodies(db)
    # the key is the canonical URL: the list's utm_source parameter is gone
    assert all(key.endswith(f"view.do?seq={key.rsplit('=', 1)[1]}") for key in archived)
    assert {int(key.rsplit("=", 1)[1]): body for key, body in archived.items()} == truth
    state = board.state()
    state["rotation"] = 2  # "related" and "trending" boxes show other things now
    for release in state["releases"]:
        release["hits"] += 17
    state["releases"][3]["paragraphs"][1] += " A sentence was added."
    board.set(state)
    result = crawl(board, db, "example_press")
    assert "new 0, changed 1, unchanged 19" in result.stdout


def test_profile_less_mofa_survives_a_redesign(board, db):
    board.set(board_state("old"))
    crawl(board, db, "mofa_en_generic")
    first = bodies(db)
    assert len(first) == 20
    board.set({**board.state(), "layout": "new"})
    result = crawl(board, db, "mofa_en_generic")
    assert "new 0, changed 0, unchanged 20" in result.stdout
    truth = {str(r["seq"]): "\n\n".join(r["paragraphs"]) for r in board.state()["releases"]}
    assert first == truth


def test_check_shows_what_would_be_archived(board):
    board.set(board_state("generic"))
    result = run_presswatch("check", str(SITES / "example_press.toml"), "--base-url", board.url)
    assert result.returncode == 0, result.stderr
    release = board.state()["releases"][0]
    assert f"title: {release['title']}  [learned template]" in result.stdout
    for number, paragraph in enumerate(release["paragraphs"], 1):  # every paragraph, a lead too
        assert f"  {number:>2}. {paragraph[:60]}" in result.stdout
    assert "published: " in result.stdout and "[page text]" in result.stdout
    assert "releases listed: 10" in result.stdout and "chrome dropped:" in result.stdout
    chrome = result.stdout.split("judged chrome by the learned template:", 1)[1]
    assert "  - Skip to main content" in chrome and "  - Share on social media Print this page" in chrome
    assert "warning: no attachments found (fine if the release has none" in result.stdout
    assert "warning: no published" not in result.stdout


@pytest.mark.parametrize("site", ["example_feed", "example_sitemap"])
def test_feeds_and_sitemaps_as_the_list(board, db, site):
    board.set(board_state("generic", count=12))
    result = crawl(board, db, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "new 12" in result.stdout and "errors 0" in result.stdout
    truth = {str(r["seq"]): "\n\n".join(r["paragraphs"]) for r in board.state()["releases"]}
    assert {key.rsplit("=", 1)[-1]: body for key, body in bodies(db).items()} == truth
    assert "unchanged 12" in crawl(board, db, site).stdout


def test_next_link_pagination_walks_the_whole_list(board, db):
    result = crawl(board, db, "mofa_en_next")
    assert result.returncode == 0 and "new 12" in result.stdout


def test_title_index_finds_quoted_titles_and_nothing_else():
    titles = TitleIndex(["Foreign Minister Meets Counterpart", "Short", "Vice Minister Visits Seoul"])
    assert titles.mentioned_in("Next: Foreign Minister Meets Counterpart")
    assert not titles.mentioned_in(
        "Next: Foreign Minister Meets Counterpart", own_title="Foreign Minister Meets Counterpart"
    )
    assert not titles.mentioned_in("Short")  # too short to be evidence
    long_paragraph = "The Vice Minister Visits Seoul programme " + "was discussed at length. " * 10
    assert not titles.mentioned_in(long_paragraph)  # a paragraph that quotes a title is still content
    assert "Vice Minister Visits Seoul" in titles and "Vice Minister" not in titles


def test_attachments_are_found_without_a_selector_and_an_added_one_is_a_version(board, db):
    state = board_state("generic", count=12)
    state["releases"][0]["attachments"] = [{"name": "Joint statement (PDF)"}]
    board.set(state)
    assert crawl(board, db, "example_press").returncode == 0
    with sqlite3.connect(db) as conn:
        found = dict(conn.execute("SELECT r.key, v.attachments FROM versions v JOIN releases r ON r.id = v.release_id"))
    first = str(state["releases"][0]["seq"])
    [key] = [key for key in found if key.endswith(first)]
    assert json.loads(found[key]) == [
        {"name": "Joint statement (PDF)", "url": f"https://press.example.org/files/{first}-1.pdf"}
    ]
    assert all(json.loads(value) == [] for other, value in found.items() if other != key)  # no chrome links

    state = board.state()
    state["releases"][0]["attachments"].append({"name": "Annex (PDF)"})
    board.set(state)
    result = crawl(board, db, "example_press")
    assert "changed 1" in result.stdout, result.stdout + result.stderr


def test_a_partial_detail_section_uses_each_selector_given_and_learns_the_rest(tmp_path):
    state = Board(board_state("generic")).state
    pages = [render_release(state, n, release) for n, release in enumerate(state["releases"])]
    profile = load_profile(SITES / "example_press.toml")
    partial = replace(
        profile,
        detail=replace(
            profile.detail, published="p.meta", hits="p.meta", hits_pattern=r"(\d+) views", attachments="ul.downloads a"
        ),
    )
    assert partial.generic  # no title or body selector: the template is learned for those
    release = {**state["releases"][3], "attachments": [{"name": "Annex"}]}
    page = re.sub(r"<time>[^<]*</time>", "<time>9 August 2025</time>", render_release(state, 3, release))
    record = extract_generic(
        page,
        PageContext(
            partial,
            "https://press.example.org/news/press/view.do?id=1",
            learn_template(pages[:8]),
            own_title=release["title"],
        ),
    )
    assert record.content.title == release["title"]
    assert record.content.body == "\n\n".join(release["paragraphs"])
    assert record.content.published == "2025-08-09"
    assert record.hits == release["hits"]
    assert [a.name for a in record.content.attachments] == ["Annex"]
    assert record.sources == {
        "title": "learned template",
        "body": "learned template",
        "published": "selector 'p.meta'",
        "hits": "selector 'p.meta'",
        "attachments": "selector 'ul.downloads a'",
    }


def wordpress(page: str, seq: int) -> str:
    """The generic layout as WordPress writes it: the post's id in classes and ids."""
    return page.replace("<body>", f"<body class='post-template-default single single-post postid-{seq}'>", 1).replace(
        "<article class='press'>", f"<article id='post-{seq}' class='post-{seq} post type-post press'>", 1
    )


def drupal(page: str, seq: int) -> str:
    """The generic layout inside a Drupal view: a hash made anew for each page
    in the wrapper's class, and the city's letterhead line in it."""
    view = hashlib.sha256(str(seq).encode()).hexdigest()
    return page.replace(
        "<article class='press'>",
        f"<div class='view js-view-dom-id-{view}'><p class='letterhead'>City of Examples</p><article class='press'>",
        1,
    ).replace("</article>", "</article></div>", 1)


def routed(page: str, seq: int) -> str:
    """The generic layout as Government Site Builder serves it: the release's
    year and day above its text, and on a page reached from a section's menu,
    that menu named in the classes of <main>."""
    facts = f"<div class='press-body'><p class='docData'>Year {2000 + seq % 20}<br>Number {seq}</p>"
    page = page.replace("<div class='press-body'>", facts, 1)
    return page.replace("<main id='main'>", f"<main id='main' class='main nbcv-{seq % 7} row'>", 1) if seq % 3 else page


def with_lead(page: str, lead: str) -> str:
    """The generic layout with a lead paragraph beside the body, as GOV.UK has it."""
    return page.replace("<div class='share'>", f"<p class='gem-c-lead-paragraph'>{lead}</p><div class='share'>", 1)


@pytest.mark.parametrize("layout", ["wordpress", "drupal", "lead", "routed"])
def test_per_page_ids_and_lead_paragraphs(layout):
    state = Board(board_state("generic")).state
    leads = [f"In brief: {' '.join(release['paragraphs'][-1].split()[2:14])}." for release in state["releases"]]
    pages = []
    for n, release in enumerate(state["releases"]):
        page = render_release(state, n, release)
        if layout == "lead":
            pages.append(with_lead(page, leads[n]))
        else:
            pages.append({"wordpress": wordpress, "drupal": drupal, "routed": routed}[layout](page, release["seq"]))
    template = learn_template(pages[:8])
    assert len(template.chrome) >= 10  # menus, footer, share bar…: the same places on every page
    profile = load_profile(SITES / "example_press.toml")
    titles = TitleIndex(release["title"] for release in state["releases"])
    for n in (0, 5, 12, 19):
        release = state["releases"][n]
        record = extract_generic(
            pages[n], PageContext(profile, template=template, titles=titles, own_title=release["title"])
        )
        expected = ([leads[n]] if layout == "lead" else []) + release["paragraphs"]
        assert record.content.body == "\n\n".join(expected)


@pytest.mark.parametrize(
    "body, kept",
    [
        (["HARRISBURG — The first paragraph.", "The second.", "# # #", "Contact the Press Office"], 2),
        (["(WARREN, Ohio) — The first.", "The second.", "MEDIA CONTACT:", "Steve Irwin: 614-728-5417", "-30-"], 2),
        (["(TOLEDO, Ohio) — The first.", "The second.", "MEDIA CONTACT:", "Steve Irwin: 614-728-5417"], 2),
        (["Richmond, VA – The first.", "###"], 1),
        (["PERTH — The first.", "The second.", "(ENDS)", "WA Health Media", "T: (08) 9222 4333"], 2),
        (["A release that quotes ###, and -30-, in its text.", "The media contacts at the ministry said so."], 2),
        (["Press contacts were told on Monday, the minister said, and more."] * 6, 6),  # a sentence, not a heading
    ],
)
def test_a_release_ends_at_its_end_mark_and_before_its_press_contacts(body, kept):
    assert without_end_matter(body) == body[:kept]


@pytest.mark.parametrize("layout", ["old", "new"])
def test_attachments_behind_a_download_endpoint_are_found_without_a_selector(layout):
    """MOFA offers files through down.do?…, a link that names no file type."""
    state = Board(board_state(layout, count=8)).state
    state["releases"][2]["attachments"] = [{"name": "Joint Statement.pdf"}, {"name": "Photo.jpg"}]
    pages = [render_release(state, n, release) for n, release in enumerate(state["releases"])]
    profile = load_profile(SITES / "mofa_en_generic.toml")
    titles = TitleIndex(release["title"] for release in state["releases"])
    record = extract_generic(
        pages[2],
        PageContext(
            profile,
            "https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=1",
            learn_template(pages),
            titles,
            own_title=state["releases"][2]["title"],
        ),
    )
    assert [a.name for a in record.content.attachments] == ["Joint Statement.pdf", "Photo.jpg"]
    assert all("/down.do?" in a.url for a in record.content.attachments)


def decision_page(n: int) -> str:
    """A central bank's decision: every release opens its sections with the
    same headings, so the template learns their place as its own."""
    said = ["kept rates unchanged", "lowered rates", "raised rates"][n]
    return f"""<html><head><title>Monetary policy decisions</title></head><body>
<nav><h2>Latest</h2><ul><li><a href="/a">Statements</a></li><li><a href="/d">Monetary policy decisions</a></li></ul></nav>
<aside><h2>You may also be interested in</h2><div class="items"><a href="/s{n}">Statement on {said}</a>
<a href="/p{n}">{["Account", "Minutes", "Lending terms"][n]}<span>View page</span></a></div></aside>
<main><h1>Monetary policy decisions</h1><div class="section">
<p>The Governing Council today {said}, decision {n}.</p>
<h2>Key interest rates</h2><p>The rates stand at {n + 2}.00%, {n + 1}.75% and {n + 1}.50%.</p>
<h2>Asset purchases</h2><p>Purchases {["go on", "slow down", "end"][n]} as planned in meeting {n}.</p>
<h3>Reinvestments</h3><table><tr><td>Programme</td><td>Holdings</td></tr><tr><td>APP</td><td>{n}00</td></tr></table>
<p>The Council stands ready to adjust its instruments, it said at meeting {n}.</p></div>
<div class="related"><h2>Related topics</h2><ul><li><a href="/t">Interest rates</a></li></ul></div></main>
<footer><p>Copyright the bank</p></footer></body></html>"""


@pytest.mark.parametrize("n", range(3))
def test_section_headings_every_release_repeats_stay_in_its_text_and_a_box_of_links_does_not(n):
    pages = [decision_page(day) for day in range(3)]
    profile = load_profile(SITES / "example_press.toml")
    found = extract_generic(pages[n], PageContext(profile, template=learn_template(pages)))
    body = found.content.body.split("\n\n")
    assert [line for line in body if line in ("Key interest rates", "Asset purchases", "Reinvestments")] == [
        "Key interest rates",
        "Asset purchases",
        "Reinvestments",
    ]
    assert body[body.index("Reinvestments") + 1 :][:2] == ["Programme Holdings", f"APP {n}00"]
    for chrome in ("Latest", "You may also be interested in", "Statement on", "Related topics", "Copyright"):
        assert chrome not in found.content.body


def test_a_file_linked_above_the_release_s_heading_is_not_its_attachment():
    def page(n: int) -> str:
        return (
            decision_page(n)
            .replace(
                "</div></aside>", f'<a href="/press/combined{n}.pdf">Combined decisions and statement</a></div></aside>'
            )
            .replace("</p></div>", f' The <a href="/legal/act{n}.pdf">legal act</a> follows.</p></div>', 1)
        )

    pages = [page(n) for n in range(3)]
    profile = load_profile(SITES / "example_press.toml")
    found = extract_generic(
        pages[1], PageContext(profile, template=learn_template(pages), url=profile.base_url + "/d1")
    )
    assert [attachment.url for attachment in found.content.attachments] == [profile.base_url + "/legal/act1.pdf"]


def news_page(n: int) -> str:
    """A city's news item: a fact box after the text in the text's own
    container, then a contact banner whose module ids differ on every page."""
    topic = ["the harbour", "the library", "the parks"][n]
    module = ["qx", "rv", "tw"][n]
    return f"""<html><head><title>News about {topic}</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<main><h1>News about {topic}</h1><div class="content"><div class="field body">
<p>The city opens {topic} to visitors from Monday, with new hours.</p>
<p>Guided tours of {topic} start in the spring and are free for residents.</p>
<p>The council approved the plan for {topic} after a year of consultation with residents and businesses.</p></div>
<div class="facts"><h3>Facts about {topic}</h3><p>Built by {["the navy", "a bishop", "the council"][n]}, renewed last year.</p></div></div>
<div class="banner" id="module-{module}"><h2 id="title-{module}">Contact the city</h2>
<p id="text-{module}">Call the contact centre on weekdays.</p></div></main>
<footer><p>The city's official website</p></footer></body></html>"""


@pytest.mark.parametrize("n", range(3))
def test_a_fact_box_after_the_text_is_the_release_s_and_a_banner_outside_it_is_not(n):
    pages = [news_page(day) for day in range(3)]
    profile = load_profile(SITES / "example_press.toml")
    found = extract_generic(pages[n], PageContext(profile, template=learn_template(pages)))
    body = found.content.body.split("\n\n")
    topic = ["the harbour", "the library", "the parks"][n]
    assert body[-2:] == [
        f"Facts about {topic}",
        f"Built by {['the navy', 'a bishop', 'the council'][n]}, renewed last year.",
    ]
    assert "Contact" not in found.content.body and "official" not in found.content.body


def bulletin_page(n: int) -> str:
    """A release written as lines of text and lists inside one inline <span>
    (Hong Kong's press releases): its lines belong to the block around it."""
    topic = ["harbour", "library", "parks"][n]
    items = "".join(f"<li>the {topic} measure number {word} applies from today to all visitors</li>" for word in "ab")
    return f"""<html><head><title>Update on the {topic}</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<div class="content"><div id="headline">Update on the {topic}</div><span id="release">
The Government today announced measures for the {topic}.<br /><br />Measures for {topic} users<ul>{items}</ul>
Advice on the {topic}<br /><br />The public should note these points about the {topic}:<ul>{items}</ul>
</span></div><footer><p>Brand of the city</p></footer></body></html>"""


@pytest.mark.parametrize("n", range(3))
def test_a_release_in_an_inline_element_keeps_its_lines_between_its_lists(n):
    pages = [bulletin_page(day) for day in range(3)]
    profile = load_profile(SITES / "example_press.toml")
    found = extract_generic(pages[n], PageContext(profile, template=learn_template(pages)))
    topic = ["harbour", "library", "parks"][n]
    assert [line for line in found.content.body.split("\n\n") if "measure number" not in line] == [
        f"The Government today announced measures for the {topic}.",
        f"Measures for {topic} users",
        f"Advice on the {topic}",
        f"The public should note these points about the {topic}:",
    ]


@pytest.mark.parametrize("n", range(3))
def test_a_day_above_a_source_line_goes_with_it(n):
    def page(day: int) -> str:
        return bulletin_page(day).replace(
            '<span id="release">',
            f'<span id="release">January {day + 6}, 2020<br /><br />'
            "The following is issued on behalf of the Hospital Authority:<br /><br />",
        )

    pages = [page(day) for day in range(3)]
    profile = load_profile(SITES / "example_press.toml")
    found = extract_generic(pages[n], PageContext(profile, template=learn_template(pages)))
    topic = ["harbour", "library", "parks"][n]
    assert found.content.body.split("\n\n")[0] == f"The Government today announced measures for the {topic}."
