"""A profile-less board as trustworthy as a profiled one: a page that is not
a release page of the board is a failed fetch, never a version."""

from __future__ import annotations

import sqlite3

import pytest

from crawler.extract.titles import same_title, without_site_name

from .test_generic import SITES, board_state, crawl


def versions(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM versions").fetchone()[0]


def test_a_maintenance_page_is_a_failed_fetch_and_makes_no_version(board, db):
    board.set(board_state("generic", count=12))
    assert crawl(board, db, "example_press").returncode == 0
    state = board.state()
    state["releases"][0]["status"] = "maintenance"  # 200, "System maintenance", a page of another template
    board.set(state)
    result = crawl(board, db, "example_press")
    assert "errors 1" in result.stdout and "changed 0" in result.stdout, result.stdout
    assert "does not look like the site's release pages" in result.stderr
    state = board.state()
    state["releases"][0]["status"] = 200
    board.set(state)
    assert "changed 0" in crawl(board, db, "example_press").stdout
    assert versions(db) == 12  # no spurious version, before or after


@pytest.mark.parametrize(
    "page, listed, same",
    [
        ("Minister meets the delegation of Ghana", "Minister meets the delegation of Ghana", True),
        ("Minister meets the delegation of Ghana on trade", "Minister meets the delegation…", True),
        ("Minister meets the delegation of Ghana", "[Press release] Minister meets the delegation of Ghana", True),
        ("Minister meets Ghana's delegation on trade", "Minister meets the delegation of Ghana", True),
        ("System maintenance", "Minister meets the delegation of Ghana", False),
        # a board's own page, its name inside a meeting's title: another page (Cuyahoga County)
        ("Board of Control", "01/29/24 - Board of Control Meeting", False),
        ("Board of Control Meeting", "01/29/24 - Board of Control Meeting", True),
        ("Service temporarily unavailable", "Foreign Minister attends the summit", False),
        ("외교부 장관, 가나 대표단 접견", "외교부 장관, 가나 대표단 접견", True),
    ],
)
def test_the_page_and_the_list_name_the_same_release(page, listed, same):
    assert same_title(page, listed) is same


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Minister meets the delegation | Ministry of Examples", "Minister meets the delegation"),
        ("Minister meets the delegation｜Ministry of Examples", "Minister meets the delegation"),
        ("Ministry of Examples - Minister meets the delegation", "Minister meets the delegation"),
        ("Minister meets the delegation", "Minister meets the delegation"),
        ("Ministry of Examples", "Ministry of Examples"),  # nothing else to keep
    ],
)
def test_a_title_never_carries_the_site_name(title, expected):
    assert without_site_name(title, "Ministry of Examples") == expected


def test_a_page_whose_title_is_not_the_lists_is_a_failed_fetch(board, db):
    board.set(board_state("generic", count=12))
    assert crawl(board, db, "example_press").returncode == 0
    state = board.state()
    first = state["releases"][0]
    first["list_title"] = "Embassy closed for the national holiday"  # an error page in the site's own frame, say
    first["paragraphs"] = ["A paragraph that would otherwise be a new version.", *first["paragraphs"][1:]]
    board.set(state)
    result = crawl(board, db, "example_press")
    assert "errors 1" in result.stdout and "changed 0" in result.stdout, result.stdout
    assert "is not the list's 'Embassy closed for the national holiday'" in result.stderr
    assert versions(db) == 12


def test_a_profile_less_routine_run_costs_what_a_profiled_one_costs(board, db, tmp_path):
    profiled = tmp_path / "example_press_profiled.toml"
    profiled.write_text(
        (SITES / "example_press.toml").read_text().replace('id = "example_press"', 'id = "profiled"')
        + '\n[detail]\ntitle = "h1.press-title"\nbody = ".press-body"\npublished = "p.meta"\n'
    )
    costs = {}
    for site, extra in (("example_press", ()), ("profiled", ("--site-file", str(profiled)))):
        board.set({**board_state("generic", count=12), "validators": True, "log": True})
        archive = str(tmp_path / f"{site}.db")
        assert crawl(board, archive, site, *extra).returncode == 0
        board.set(board.state())  # clears the log
        result = crawl(board, archive, site, *extra)  # a routine run: nothing changed
        assert "new 0" in result.stdout and "changed 0" in result.stdout, result.stdout + result.stderr
        log = board.log()
        details = [entry for entry in log if "view.do" in entry["path"]]
        assert all(entry["if_none_match"] or entry["if_modified_since"] for entry in details)  # conditional
        costs[site] = len(log)
    assert costs["example_press"] == costs["profiled"], costs


def test_a_page_that_no_longer_fits_the_archived_template_makes_it_learned_again(board, db):
    board.set({**board_state("generic", count=12), "log": True})
    assert crawl(board, db, "example_press").returncode == 0
    state = board.state()
    state["releases"][0]["status"] = "maintenance"  # the first listed page, the one the template is checked on
    board.set(state)
    result = crawl(board, db, "example_press", "-v")
    assert "learning it again" in result.stderr
    assert "errors 1" in result.stdout and "changed 0" in result.stdout and "new 0" in result.stdout, result.stdout
    unconditional = [
        e for e in board.log() if "view.do" in e["path"] and not (e["if_none_match"] or e["if_modified_since"])
    ]
    assert len(unconditional) >= 7  # the fresh sample
    assert versions(db) == 12
