"""The rolling sweep: old releases rechecked a share at a time, on a moved clock."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from .conftest import crawl_board, release, run_presswatch

T0 = datetime.now(UTC).replace(microsecond=0)


def at(days: float) -> dict[str, str]:
    return {"PRESSWATCH_NOW": (T0 + timedelta(days=days)).isoformat()}


def crawl_at(board, db, days: float, *extra: str):
    return run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url, *extra, env=at(days))


def swept_keys(board) -> set[str]:
    return {path.rsplit("=", 1)[1] for path in board.paths("view.do")}


def test_every_old_release_is_rechecked_within_the_sweep_days(board, db):
    state = board.state()
    state["releases"] = [release(800 - i, days_ago=40 + i) for i in range(12)]  # all outside the window
    board.set(state)
    assert crawl_at(board, db, 0).returncode == 0
    state = board.state()
    state["releases"][9]["paragraphs"][1] = "2. The two sides quietly agreed on something else."
    board.set(state)  # also clears the request log

    seen: list[set[str]] = []
    changed = 0
    for day in (1, 2, 3):
        result = crawl_at(board, db, day, "--sweep-days", "3")
        assert result.returncode == 0, result.stderr
        # one day between runs, 12 releases, every one within 3 days: 4 a run
        assert result.stdout.rstrip().endswith("; swept 4 of 12")
        changed += int(re.search(r"changed (\d+)", result.stdout).group(1))
        seen.append(swept_keys(board))
        board.set(board.state())
    assert changed == 1  # the quiet edit was found
    assert [len(keys) for keys in seen] == [4, 4, 4]
    assert set().union(*seen) == {str(800 - i) for i in range(12)}  # each once, oldest check first
    # Conditional GETs and nothing else: list page 1 (the early stop), no other list pages.
    sites = json.loads(run_presswatch("sites", "--db", db, "--json", "--sweep-days", "3", env=at(3)).stdout)
    (mofa,) = [site for site in sites if site["id"] == "mofa_en"]
    assert mofa["releases"] == 12 and mofa["due"] == 0
    assert mofa["oldest_check"].startswith((T0 + timedelta(days=1)).date().isoformat())


def test_the_share_follows_the_time_between_runs(board, db):
    state = board.state()
    state["releases"] = [release(900 - i, days_ago=40 + i) for i in range(24)]
    board.set(state)
    crawl_board(board, db)  # now: the first run
    # Runs 6 hours apart for 3-day coverage: ⌈24 × 6 h / 72 h⌉ = 2 a run.
    for hours in (6, 12, 18):
        result = crawl_at(board, db, hours / 24, "--sweep-days", "3")
    assert result.stdout.rstrip().endswith("; swept 2 of 24")
