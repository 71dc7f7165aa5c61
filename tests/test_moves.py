"""A moved release keeps its history: its page answers a permanent redirect
to another URL of the board, and it stays one release with a `moved` event,
never a removal and a new release."""

from __future__ import annotations

import sqlite3

import pytest

from .helpers import ROOT, crawl_board
from .test_generic import board_state
from .test_generic import crawl as generic_crawl


def rows(db: str, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def move(board, seq: int, to: int, status: int = 301, listed: bool = True) -> None:
    """Release ``seq`` now lives at ``to``: its old URL redirects there, and
    (``listed``) the list links to the new URL in its place."""
    state = board.state()
    index = next(n for n, r in enumerate(state["releases"]) if r["seq"] == seq)
    old = state["releases"][index]
    moved = {**old, "seq": to}
    state["releases"][index] = moved if listed else {**old, "status": status, "moved_to": to, "unlisted": True}
    state["releases"].append({**old, "status": status, "moved_to": to, "unlisted": True})  # the old URL
    if not listed:
        state["releases"].append({**moved, "unlisted": True})
    board.set(state)


@pytest.mark.parametrize("status", [301, 308])
def test_a_release_whose_url_moved_stays_one_release(board, db, status):
    assert crawl_board(board, db).returncode == 0
    move(board, 500, 900, status)
    result = crawl_board(board, db)
    assert result.returncode == 0, result.stderr
    assert "new 0" in result.stdout and "removed 0" in result.stdout, result.stdout
    assert rows(db, "SELECT key, url, status, version_count FROM releases WHERE key IN ('500', '900')") == [
        ("500", "https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=900", "live", 1)
    ]
    assert rows(db, "SELECT event, message FROM release_events WHERE key = '500' ORDER BY id") == [
        ("new", None),
        (
            "moved",
            "moved to https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=900 "
            "(was https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=500)",
        ),
    ]
    assert rows(db, "SELECT key FROM release_aliases") == [("900",)]
    again = crawl_board(board, db)  # the list shows 900: the release it always was
    assert "new 0" in again.stdout and "changed 0" in again.stdout, again.stdout
    assert rows(db, "SELECT count(*) FROM releases") == [(12,)]


def test_a_moved_release_edited_on_the_way_gets_a_version_not_a_new_release(board, db):
    assert crawl_board(board, db).returncode == 0
    state = board.state()
    state["releases"][0]["title"] = "Release 500, retitled when its URL changed"
    board.set(state)
    move(board, 500, 900)
    result = crawl_board(board, db)
    assert "new 0" in result.stdout and "changed 1" in result.stdout, result.stdout
    assert rows(db, "SELECT key, version_count FROM releases WHERE key IN ('500', '900')") == [("500", 2)]


def test_a_temporary_redirect_or_one_to_the_list_is_no_move(board, db):
    assert crawl_board(board, db).returncode == 0
    state = board.state()
    state["releases"][0]["status"] = "redirect_list"  # 302 to the list: gone, as before
    board.set(state)
    assert "removed 1" in crawl_board(board, db).stdout
    assert rows(db, "SELECT count(*) FROM release_events WHERE event = 'moved'") == [(0,)]


def test_a_slug_edited_with_the_title_on_a_profile_less_board_is_the_same_release(board, db):
    board.set(board_state("generic", count=12))
    assert generic_crawl(board, db, "example_press").returncode == 0
    first = board.state()["releases"][0]["seq"]
    move(board, first, 5_000_000)  # a seq no release of the board has
    result = generic_crawl(board, db, "example_press")
    assert "new 0" in result.stdout and "removed 0" in result.stdout, result.stdout + result.stderr
    assert rows(db, "SELECT count(*) FROM releases") == [(12,)]
    assert rows(db, "SELECT event FROM release_events WHERE event = 'moved'") == [("moved",)]
    assert "new 0" in generic_crawl(board, db, "example_press").stdout


def test_a_page_that_names_another_url_as_its_canonical_one_has_moved(board, db):
    board.set(board_state("generic", count=12))
    assert generic_crawl(board, db, "example_press").returncode == 0
    state = board.state()
    old = state["releases"][0]
    state["releases"][0] = {**old, "seq": 5_000_000}  # the list links to the new URL
    state["releases"].append({**old, "canonical": 5_000_000, "unlisted": True})  # the old one still answers
    board.set(state)
    result = generic_crawl(board, db, "example_press")
    assert "new 0" in result.stdout and "removed 0" in result.stdout, result.stdout + result.stderr
    assert rows(db, "SELECT count(*) FROM releases") == [(12,)]
    [(url, message)] = rows(
        db,
        "SELECT r.url, e.message FROM release_events e JOIN releases r ON r.id = e.release_id WHERE e.event = 'moved'",
    )
    assert (
        url.endswith("view.do?seq=5000000")
        and f"(was https://press.example.org/news/press/view.do?seq={old['seq']})" in message
    )


@pytest.mark.parametrize("rel", ["canonical", "Canonical", "CANONICAL"])
def test_a_canonical_link_is_read_in_any_case(rel):
    from crawler.policy.redirects import canonical_move
    from crawler.sites.profile import load_profile

    profile = load_profile(ROOT / "crawler" / "sites" / "mofa_en.toml")
    page = f'<html><head><link rel="{rel}" href="/eng/brd/m_5676/view.do?seq=601"></head><body></body></html>'
    moved = canonical_move(page, "https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=600", "600", profile)
    assert moved is not None and moved.endswith("seq=601")
