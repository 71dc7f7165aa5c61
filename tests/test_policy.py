"""The crawl policy from tables: what to fetch, when a list walk ends, the
revisit window, the sweep's share and a page's verdict, without Scrapy, a
server or an archive (crawler.policy).  Each case runs in well under a
millisecond; the crawls in test_crawl.py and test_sweep.py check the same
policy end to end."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from crawler.extract.pages import Listed
from crawler.items import FetchKind, ListingOutcome
from crawler.policy import window
from crawler.policy.crawlconfig import CrawlConfig
from crawler.policy.listpass import ListPass
from crawler.policy.listwalk import SiteWalk
from crawler.policy.plan import ListFetch, ReleaseFetch, conditional_headers
from crawler.policy.verdict import FetchedPage, Reading, page_verdict
from crawler.sites.profile import load_profile
from storage import KnownRelease, ListCycle, SiteState

ROOT = Path(__file__).resolve().parent.parent
FILES = Path(__file__).resolve().parent / "files"
MOFA = load_profile(ROOT / "crawler" / "sites" / "mofa_en.toml")
TODAY = date(2026, 6, 1)
SINCE = date(2026, 5, 2)  # 30 days back
BOARD = "https://www.mofa.go.kr/eng/brd/m_5676"
LIST = "/eng/brd/m_5676/list.do"


def known(key, dated="2026-05-20", checked=None, status="live", unlisted_at=None, under=None):
    return KnownRelease(
        under or key,
        f"{BOARD}/view.do?seq={under or key}",
        status,
        dated,
        '"e"',
        None,
        last_checked=checked,
        unlisted_at=unlisted_at,
    )


def listed(*keys, day=None):
    return [Listed(key, f"{BOARD}/view.do?seq={key}", day, f"Release {key}") for key in keys]


# The revisit window and the sweep -------------------------------------------


@pytest.mark.parametrize(
    "listed_on, dated, full, fetch",
    [
        (None, None, False, True),  # never archived
        (date(2026, 5, 2), "2020-01-01", False, True),  # the list's date wins: on the window's first day
        (date(2026, 5, 1), "2026-05-30", False, False),  # the list says it is older than the window
        (None, "2026-05-01", False, False),  # the archive's date, the day before the window
        (None, "2026-05-02T09:00:00", False, True),
        (None, "2020-01-01", True, True),  # a full run fetches everything
    ],
)
def test_which_listed_releases_are_fetched(listed_on, dated, full, fetch):
    archived = None if dated is None else known("1", dated)
    assert window.should_fetch(listed_on, archived, full, SINCE) is fetch


def test_an_undated_archived_release_stays_in_the_window():
    undated = KnownRelease("1", "u", "live", None, None, None)
    assert window.should_fetch(None, undated, False, SINCE)


@pytest.mark.parametrize(
    "outside, days, interval, share",
    [
        (100, 7, None, 15),  # a run a day until the pace is known: a seventh, rounded up
        (100, 7, timedelta(hours=6), 4),
        (100, 7, timedelta(days=14), 100),  # runs further apart than the sweep: everything
        (100, 0, None, 100),  # 0 days: everything each run
        (100, float("inf"), None, 0),  # no sweep at all
        (0, 7, None, 0),
        (1, 7, timedelta(minutes=1), 1),  # never less than one while any is outside
    ],
)
def test_the_sweep_share(outside, days, interval, share):
    assert window.sweep_share(outside, days, interval) == share


def test_the_sweep_rechecks_the_longest_unchecked_first_once_each():
    archive = {
        "1": known("1", "2025-01-01", checked="2026-05-30"),
        "2": known("2", "2025-01-01", checked=None),  # never answered: first
        "3": known("3", "2025-01-01", checked="2026-01-01"),
        "4": known("4", "2026-05-20"),  # in the window: the walk revisits it, not the sweep
        "5": known("5", "2025-01-01", checked="2025-01-01"),  # already scheduled this run
        "old-key": known("old-key", "2025-01-01", under="3"),  # an alias of 3: counted once
    }
    size, due = window.sweep(archive, SINCE, 7, timedelta(days=3), scheduled={"5"})
    assert size == 4
    assert [release.key for release in due] == ["2", "3"]  # ceil(4 × 3/7) = 2


@pytest.mark.parametrize(
    "known_count, page_size, days, interval, budget",
    [
        (99, 10, 7, None, 4),  # 10 pages, a pass every 3.5 days: 3 a day, and the page where the last run stopped
        (99, 10, 7, timedelta(days=7), 11),
        (99, 10, 0, None, 50),  # everything: max_pages
        (99, 10, float("inf"), None, 1),
        (0, 0, 7, None, 2),
    ],
)
def test_the_list_pass_budget(known_count, page_size, days, interval, budget):
    assert window.pass_budget(known_count, page_size, days, interval, max_pages=50) == budget


@pytest.mark.parametrize(
    "etag, modified, full, headers",
    [
        ('"a"', None, False, {"If-None-Match": '"a"'}),
        (
            '"a"',
            "Mon, 01 Jun 2026 00:00:00 GMT",
            False,
            {"If-None-Match": '"a"', "If-Modified-Since": "Mon, 01 Jun 2026 00:00:00 GMT"},
        ),
        ('"a"', None, True, {}),  # a full run refetches unconditionally
        (None, None, False, {}),
    ],
)
def test_conditional_headers(etag, modified, full, headers):
    release = KnownRelease("1", "u", "live", None, etag, modified)
    assert conditional_headers(release, full) == headers
    assert conditional_headers(None, full) == {}


# A list walk ----------------------------------------------------------------


def walk(archive=None, full=False, completed=True, cycle=None, interval=None, profile=MOFA):
    site = SiteWalk(profile, config=CrawlConfig(full=full))
    state = SiteState(profile.id, archive or {}, list_ever_completed=completed, run_interval=interval, cycle=cycle)
    site.load(state, today=TODAY)
    site.start()
    return site


def plans(steps):
    """Steps as short tuples: ('list', page, url), ('get', key), ('gone?', key), ('listing', page)."""
    out = []
    for step in steps:
        if isinstance(step, ListFetch):
            out.append(("list", step.page, step.url))
        elif isinstance(step, ReleaseFetch):
            out.append(("missing?" if step.missing_from_list else "get", step.key))
        else:
            assert isinstance(step, ListingOutcome)
            out.append(("listing", step.page))
    return out


def test_a_first_crawl_asks_for_the_next_page_before_the_releases():
    site = walk(completed=False)
    assert plans(site.listed_page(LIST, 1, "u1", listed("9", "8"))) == [("list", 2, None), ("get", "9"), ("get", "8")]
    # the last page served again for a number past the end: the list is complete
    assert plans(site.listed_page(LIST, 2, "u2", listed("9", "8"))) == [("listing", 1)]
    assert site.list_complete and not site.failures


@pytest.mark.parametrize(
    "archive, completed, expected",
    [
        # an archived release older than the window, on a list once walked whole: the early stop
        ({"8": known("8", "2020-01-01")}, True, [("get", "9")]),
        # never walked whole (a first crawl killed half-way): walk on
        ({"8": known("8", "2020-01-01")}, False, [("list", 2, None), ("get", "9")]),
        # archived but in the window: revisited, and walk on
        ({"8": known("8", "2026-05-20")}, True, [("list", 2, None), ("get", "9"), ("get", "8")]),
    ],
)
def test_where_a_routine_walk_stops(archive, completed, expected):
    site = walk(archive, completed=completed, interval=timedelta(days=1))
    steps = plans(site.listed_page(LIST, 1, "u1", listed("9", "8")))
    # past the early stop a share of the pass goes on (here: one more page, then the page where it stops)
    assert steps[: len(expected)] == expected
    if completed and expected == [("get", "9")]:
        assert steps[1:] == [("list", 2, None)]
        assert site.list_pass.past_stop(LIST)


def test_an_empty_first_page_fails_the_walk_and_hands_nothing_over():
    site = walk()
    assert plans(site.listed_page(LIST, 1, "https://x/list", [])) == []
    assert not site.list_complete
    assert site.failures == [
        "list selector 'table tbody tr' matched no release links on https://x/list; "
        "the site may have been redesigned: run presswatch check mofa_en"
    ]


def test_a_failed_list_page_fails_the_walk():
    site = walk(completed=False)
    list(site.listed_page(LIST, 1, "u1", listed("9")))
    assert plans(site.list_failed(LIST, 2, "HTTP 500")) == []  # its pages are not handed over
    assert site.failures == ["list page 2 failed: HTTP 500"] and not site.list_complete


def test_off_site_links_are_not_followed():
    site = walk()
    links = [Listed("1", "https://elsewhere.example/view?seq=1"), Listed("2", "javascript:go(2)")]
    assert site.accept("https://x/list", links) == []
    assert site.failures == ["all 2 release links on https://x/list point off-site or are not http(s)"]


def test_the_last_walk_to_end_revisits_the_unlisted_and_sweeps():
    gone = "2026-04-01"  # known to be unlisted already: the pass does not fetch them as missing
    archive = {
        "5": known("5", "2026-05-25", unlisted_at=gone),
        "4": known("4", "2020-01-01", unlisted_at=gone),
        "3": known("3", "2020-02-01", unlisted_at=gone),
    }
    site = walk(archive, completed=False, interval=timedelta(days=7))
    assert plans(site.listed_page(LIST, 1, "u1", listed("9"))) == [("list", 2, None), ("get", "9")]
    # the list ends: 5 is in the window but no longer listed; 4 and 3 are swept (interval ≥ sweep_days)
    assert plans(site.listed_page(LIST, 2, "u2", [])) == [("listing", 1), ("get", "5"), ("get", "4"), ("get", "3")]
    assert (site.sweep_size, site.swept) == (2, 2)


def test_a_full_run_fetches_everything_and_does_not_sweep():
    archive = {"4": known("4", "2020-01-01")}
    site = walk(archive, full=True)
    assert plans(site.listed_page(LIST, 1, "u1", listed("4"))) == [("list", 2, None), ("get", "4")]
    assert plans(site.listed_page(LIST, 2, "u2", [])) == [("listing", 1)]
    assert (site.sweep_size, site.swept) == (0, 0)


def test_a_completed_pass_fetches_the_archived_releases_it_did_not_see():
    archive = {"7": known("7", "2020-01-01"), "6": known("6", "2020-01-01", unlisted_at="2026-01-01")}
    cycle = ListCycle("2026-05-01", {}, frozenset())
    site = walk(archive, completed=False, cycle=cycle, interval=timedelta(minutes=1))
    list(site.listed_page(LIST, 1, "u1", listed("9")))
    # 6 is already known to be unlisted: not fetched as missing, but the sweep's share
    # (one of the two outside the window, a run a minute) is what 7's fetch left due
    assert plans(site.listed_page(LIST, 2, "u2", listed("9"))) == [("listing", 1), ("missing?", "7"), ("get", "6")]
    assert (site.sweep_size, site.swept) == (2, 1)
    assert site.pass_report() == ({LIST: {"done": True}}, "complete")


# The list pass --------------------------------------------------------------


@pytest.mark.parametrize(
    "progress, page, budget, expected",
    [
        ({}, 1, 2, ListFetch(LIST, 2, "n")),  # the head's stop: its share begins
        ({}, 1, 1, None),  # a budget of one page: it ends here, remembered
        ({LIST: {"done": True}}, 1, 5, None),  # its part of the pass is done
        ({LIST: {"page": 7, "url": "p7", "last_keys": ["x"], "done": False}}, 1, 3, ListFetch(LIST, 7, "p7")),  # jump
        ({LIST: {"page": 2, "url": "p2", "last_keys": ["x"], "done": False}}, 1, 3, ListFetch(LIST, 2, "n")),
    ],
)
def test_the_pass_walks_on_from_the_stop(progress, page, budget, expected):
    share = ListPass("s", [LIST])
    share.load(ListCycle("t", progress, frozenset()))
    assert share.walk_on(LIST, page, "u", frozenset({"a"}), "n", budget) == expected


@pytest.mark.parametrize("keys, stitched", [({"x", "y"}, True), ({"z"}, False)])
def test_a_jump_must_land_on_a_page_the_last_run_saw(keys, stitched):
    share = ListPass("s", [LIST])
    share.load(ListCycle("t", {LIST: {"page": 7, "url": "p7", "last_keys": ["x"], "done": False}}, frozenset()))
    share.walk_on(LIST, 1, "u", frozenset({"a"}), "n", 3)
    assert share.stitched(LIST, frozenset(keys)) is stitched
    assert share.ended == (None if stitched else "restarted")


def test_a_run_with_failures_reports_no_progress():
    share = ListPass("s", [LIST])
    assert share.report(failed=True) is None
    assert share.report(failed=False) == ({}, None)


# A page's verdict -----------------------------------------------------------

PAGE = (FILES / "mofa_en_318874_new.html").read_bytes()
URL = f"{BOARD}/view.do?seq=318874"


def page(status=200, body=PAGE, url=URL, content_type="text/html; charset=utf-8", **facts):
    return FetchedPage(url=url, status=status, body=body, content_type=content_type, **facts)


@pytest.mark.parametrize(
    "fetched, kind, error, answered",
    [
        (page(304, b""), FetchKind.NOT_MODIFIED, None, False),
        (page(404), FetchKind.GONE, None, False),
        (page(410), FetchKind.GONE, None, False),
        (page(body=b"  \n"), FetchKind.ERROR, "empty page", False),
        (
            page(body=b"%PDF-1.4", text=False, content_type="application/pdf"),
            FetchKind.ERROR,
            "not an HTML page (application/pdf)",
            False,
        ),
        (page(body=PAGE[:2000]), FetchKind.ERROR, "page looks truncated (no closing </html>)", False),
        (page(body=b"<html><body><p>Maintenance</p></body></html>"), FetchKind.ERROR, "title", True),
        # redirected to the list: gone
        (page(url=f"{BOARD}/list.do", redirect_urls=[URL], redirect_reasons=[302]), FetchKind.GONE, None, False),
        (page(), FetchKind.PAGE, None, True),
    ],
)
def test_a_page_verdict(fetched, kind, error, answered):
    verdict = page_verdict("318874", URL, fetched, Reading(MOFA))
    assert verdict.outcome.kind is kind
    assert (verdict.outcome.observation.error is None) is (error is None)
    if error:
        assert error in verdict.outcome.observation.error
    assert verdict.answered is answered
    assert (verdict.failed_rule is not None) is (error == "title")


def test_a_page_that_answered_keeps_its_capture_as_the_site_had_it():
    fetched = page(
        url="http://127.0.0.1:8000/eng/brd/m_5676/view.do?seq=318874",
        etag='"v1"',
        request_headers=[("Referer", "http://127.0.0.1:8000/eng/brd/m_5676/list.do")],
        response_headers=[("ETag", '"v1"')],
    )
    verdict = page_verdict("318874", URL, fetched, Reading(MOFA, "http://127.0.0.1:8000"))
    outcome = verdict.outcome
    assert outcome.kind is FetchKind.PAGE and outcome.content.title
    assert outcome.observation.etag == '"v1"' and outcome.raw_html == PAGE
    assert outcome.captured_from == URL
    assert outcome.request_headers == [("Referer", f"{BOARD}/list.do")]
    assert outcome.reader.startswith("presswatch ")


def test_a_permanent_redirect_to_another_release_is_a_move():
    moved = f"{BOARD}/view.do?seq=999"
    fetched = page(url=moved, redirect_urls=[URL], redirect_reasons=[301])
    outcome = page_verdict("318874", URL, fetched, Reading(MOFA)).outcome
    assert outcome.kind is FetchKind.PAGE and (outcome.moved_to, outcome.moved_key) == (moved, "999")
