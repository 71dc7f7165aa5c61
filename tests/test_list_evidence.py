"""The list as evidence: releases withdrawn from the list, back in it, or
retitled in it, found by the pass over the whole list, on a moved clock."""

from __future__ import annotations

import json
import sqlite3

from .helpers import release, run_presswatch
from .test_sweep import at, crawl_at

UNLISTED = "no longer in the list; its page still answers"


def events(db: str, *kinds: str) -> list[tuple[str, str, str]]:
    marks = ", ".join("?" * len(kinds))
    with sqlite3.connect(db) as conn:
        return conn.execute(
            f"SELECT event, key, message FROM release_events WHERE event IN ({marks}) ORDER BY id", kinds
        ).fetchall()


def old_board(board, count: int) -> None:
    state = board.state()
    state["releases"] = [release(900 - i, days_ago=40 + i) for i in range(count)]  # all outside the window
    board.set(state)


def change(board, index: int, **fields) -> None:
    state = board.state()
    state["releases"][index].update(fields)
    board.set(state)  # also clears the request log


def test_a_release_withdrawn_from_the_list_is_unlisted_within_the_sweep_days(board, db):
    old_board(board, 30)  # three list pages
    assert crawl_at(board, db, 0).returncode == 0  # the first crawl walks the whole list
    change(board, 25, unlisted=True)  # 875, on page 3: gone from the list, its page still answers

    found_on = None
    for day in (1, 2, 3, 4):
        # Two new releases a day push the whole list down under the pass.
        state = board.state()
        state["releases"] = [release(1000 + 2 * day + n, days_ago=0) for n in range(2)] + state["releases"]
        board.set(state)
        result = crawl_at(board, db, day, "--sweep-days", "3")
        assert result.returncode == 0, result.stderr
        # This run's share of the list (⌈4 pages × 1 day / 1.5 days⌉: a pass every
        # half of the sweep days) and the page where the last run stopped, past
        # list page 1 (the early stop).
        assert len(set(board.paths("list.do"))) <= 1 + 4
        if found_on is None and events(db, "unlisted"):
            found_on = day

    assert found_on is not None and found_on <= 3
    # Exactly one event, for the withdrawn release only: the releases the new
    # ones pushed from page to page were never missed.
    assert events(db, "unlisted", "relisted", "removed") == [("unlisted", "875", UNLISTED)]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM releases WHERE key = '875'").fetchone() == ("live",)
    changes = json.loads(run_presswatch("changes", "--db", db, "--since", "30d", "--json", env=at(4)).stdout)
    assert [(c["event"], c["release"], c["message"]) for c in changes if c["event"] != "new"] == [
        ("unlisted", "mofa_en:875", UNLISTED)
    ]


def test_back_in_the_list_and_retitled_in_the_list(board, db):
    old_board(board, 12)  # two list pages
    assert crawl_at(board, db, 0).returncode == 0
    change(board, 3, unlisted=True)  # 897
    assert crawl_at(board, db, 1, "--sweep-days", "1").returncode == 0  # the pass is one run's share
    assert events(db, "unlisted") == [("unlisted", "897", UNLISTED)]

    change(board, 3, unlisted=False)
    assert crawl_at(board, db, 2, "--sweep-days", "1").returncode == 0
    assert events(db, "relisted") == [("relisted", "897", "back in the list")]

    change(board, 1, list_title="Release 899, as the list now words it")
    assert crawl_at(board, db, 3, "--sweep-days", "1").returncode == 0
    assert events(db, "list_retitled") == [
        (
            "list_retitled",
            "899",
            "listed as \u201cRelease 899, as the list now words it\u201d, was \u201cRelease 899 on bilateral cooperation\u201d",
        )
    ]
    # The page itself did not change: no version, and nothing else happened.
    assert events(db, "changed", "unlisted", "relisted", "removed") == [
        ("unlisted", "897", UNLISTED),
        ("relisted", "897", "back in the list"),
    ]
    # A listings row for each release when first listed, then only for what
    # changed: back in the list, a new title.  Three more runs added two.
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM listings").fetchone() == (12 + 2,)
        assert conn.execute("SELECT key, title FROM listings ORDER BY id DESC LIMIT 1").fetchone() == (
            "899",
            "Release 899, as the list now words it",
        )
    feed = run_presswatch("feed", "--db", db, env=at(3)).stdout
    assert "<title>Retitled in the list: Release 899 on bilateral cooperation</title>" in feed
    assert "Release 899, as the list now words it" in feed
    assert "<title>No longer listed: " in feed and "<title>Listed again: " in feed


def test_a_walk_cut_short_says_nothing_about_what_it_did_not_see(board, db):
    old_board(board, 12)
    assert crawl_at(board, db, 0).returncode == 0
    state = board.state()
    state["releases"][3]["unlisted"] = True
    state["list_status"] = {"2": 500}  # the pass cannot finish
    board.set(state)
    assert crawl_at(board, db, 1, "--sweep-days", "1").returncode == 1
    assert events(db, "unlisted", "relisted", "list_retitled") == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM listings").fetchone() == (12,)  # the first crawl's only

    state = board.state()
    state["list_status"] = {}
    board.set(state)
    assert crawl_at(board, db, 2, "--sweep-days", "1").returncode == 0
    assert events(db, "unlisted") == [("unlisted", "897", UNLISTED)]


def test_a_list_that_moved_too_much_starts_the_pass_again(board, db):
    old_board(board, 40)  # four list pages
    assert crawl_at(board, db, 0).returncode == 0
    # Day 1: a share of the pass: list pages 1 to 3 (⌈5 pages × 1 day / 3 days⌉ + 1).
    assert crawl_at(board, db, 1, "--sweep-days", "6").returncode == 0
    # Then fifteen releases above where that run stopped leave the list: the
    # page it stopped at now shows releases it never saw there.
    state = board.state()
    for entry in state["releases"][5:20]:
        entry["unlisted"] = True
    board.set(state)
    for day in range(2, 9):
        assert crawl_at(board, db, day, "--sweep-days", "6").returncode == 0
    with sqlite3.connect(db) as conn:
        ends = [row[0] for row in conn.execute("SELECT ended FROM list_cycles ORDER BY id")]
    assert "restarted" in ends and "complete" in ends[ends.index("restarted") :]
    # The fifteen are found once a whole pass has been made, none of the others.
    assert sorted(key for _, key, _ in events(db, "unlisted")) == sorted(str(900 - i) for i in range(5, 20))
