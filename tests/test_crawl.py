"""Real crawls of the local board: what a cron user relies on."""

import sqlite3

import pytest

from .helpers import release, run_presswatch


def rows(db, sql, *params):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(sql, params)]


def versions_of(db, key):
    return rows(
        db,
        "SELECT v.* FROM versions v JOIN releases r ON r.id = v.release_id WHERE r.key = ? ORDER BY v.version",
        str(key),
    )


def edit(board, seq, **fields):
    """Change one release on the board (and keep every other one as it is)."""
    state = board.state()
    for item in state["releases"]:
        if item["seq"] == seq:
            item.update(fields)
    return board.set(state)


def test_first_crawl_archives_every_release(crawl, board, db):
    result = crawl()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "mofa_en: finished: requests 17, new 12, changed 0, unchanged 0, removed 0, errors 0"
    )
    releases = rows(db, "SELECT * FROM releases ORDER BY key")
    assert len(releases) == 12
    assert releases[0]["url"] == "https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=489"
    version = versions_of(db, 500)[0]
    assert version["title"] == "Release 500 on bilateral cooperation"
    assert version["published"].endswith("T10:00:00+09:00")
    assert version["body"] == (
        "1. Paragraph one of release 500, on cooperation.\n\n2. The two sides agreed to meet again next year."
    )
    fetch = rows(db, "SELECT * FROM fetches WHERE url LIKE '%seq=500'")[0]
    assert (fetch["outcome"], fetch["http_status"], fetch["hits"]) == ("new", 200, 11)


def test_each_raw_page_keeps_how_it_was_fetched(crawl, board, db):
    import json

    assert crawl().returncode == 0
    (raw,) = rows(
        db,
        "SELECT p.* FROM raw_pages p JOIN versions v ON v.id = p.version_id "
        "JOIN releases r ON r.id = v.release_id WHERE r.key = '500'",
    )
    assert raw["http_status"] == 200
    response = dict(json.loads(raw["response_headers"]))
    assert response["Content-Type"] == "text/html; charset=utf-8"
    request = [name for name, _ in json.loads(raw["request_headers"])]
    assert "User-Agent" in request and "Accept" in request
    # The board's session cookie went with the request; it is not kept.
    assert any(entry["cookie"] for entry in board.log() if "seq=500" in entry["path"])
    assert "Cookie" not in request


def test_polite_by_default(crawl, board):
    crawl()
    log = board.log()
    assert log[0]["path"] == "/robots.txt"
    assert all(entry["user_agent"].startswith("presswatch/") for entry in log)
    assert "(+http" in log[0]["user_agent"]


def test_robots_txt_is_obeyed(crawl, board, db):
    state = board.state()
    board.set({**state, "robots": "User-agent: *\nDisallow: /eng/brd/m_5676/view.do?seq=500\n"})
    crawl()
    assert not [p for p in board.paths("view.do") if p.endswith("seq=500")]
    assert not rows(db, "SELECT * FROM releases WHERE key = '500'")


def test_noise_makes_no_version(crawl, board, db):
    crawl()
    state = board.state()
    # New layout, hit counters ticking, a new release shifting every
    # neighbour's prev/next titles, whitespace and markup differences.
    state["layout"] = "new"
    state["releases"].insert(0, release(501, days_ago=0))
    state["releases"][5]["paragraphs"][0] = "  " + state["releases"][5]["paragraphs"][0].replace(" ", "\u00a0 ")
    board.set(state)
    result = crawl()
    assert result.returncode == 0, result.stderr
    assert "new 1, changed 0, unchanged 12" in result.stdout
    assert rows(db, "SELECT max(version_count) AS n FROM releases")[0]["n"] == 1


@pytest.mark.parametrize(
    "change, field, removed, added",
    [
        (
            lambda r: {"paragraphs": [r["paragraphs"][0].replace("cooperation", "trade"), r["paragraphs"][1]]},
            "body",
            "on cooperation.",
            "on trade.",
        ),
        (lambda r: {"title": r["title"] + " (corrected)"}, "title", "Title: Release", "(corrected)"),
        (lambda r: {"date": r["date"][:8] + "01 09:30:00"}, "published", "Published: ", "T09:30:00+09:00"),
        (
            lambda r: {"paragraphs": r["paragraphs"] + ["3. An added paragraph."]},
            "body",
            None,
            "3. An added paragraph.",
        ),
        (
            lambda r: {"attachments": [{"name": "statement.pdf"}]},
            "attachments",
            None,
            "Attachment: statement.pdf <https://www.mofa.go.kr/",
        ),
    ],
    ids=["one-word", "title", "date", "appended-paragraph", "attachment"],
)
def test_each_real_change_makes_exactly_one_version(crawl, board, db, change, field, removed, added):
    crawl()
    target = next(r for r in board.state()["releases"] if r["seq"] == 495)
    edit(board, 495, **change(target))
    result = crawl()
    assert "new 0, changed 1, unchanged 11" in result.stdout
    second = versions_of(db, 495)[-1]
    assert second["version"] == 2
    assert field in second["changed"]
    if removed:
        assert any(line.startswith("-") and removed in line for line in second["diff"].splitlines())
    assert any(line.startswith("+") and added in line for line in second["diff"].splitlines())
    assert "changed 0, unchanged 12" in crawl().stdout  # and nothing more on the next run


@pytest.mark.parametrize("status", [404, 410, "redirect_list"])
def test_gone_release_is_removed_never_deleted_and_comes_back(crawl, board, db, status):
    crawl()
    edit(board, 497, status=status)
    assert "removed 1" in crawl().stdout
    (gone,) = rows(db, "SELECT * FROM releases WHERE key = '497'")
    assert gone["status"] == "removed" and gone["removed_at"]
    assert len(versions_of(db, 497)) == 1
    edit(board, 497, status=200)
    assert "changed 0" in crawl().stdout
    (back,) = rows(db, "SELECT * FROM releases WHERE key = '497'")
    assert back["status"] == "live" and back["removed_at"] is None
    assert len(versions_of(db, 497)) == 1


def test_withdrawn_release_that_left_the_list_is_noticed(crawl, board, db):
    crawl()
    state = board.state()
    state["releases"] = [r for r in state["releases"] if r["seq"] != 498]
    board.set(state)
    assert "removed 1" in crawl().stdout
    assert rows(db, "SELECT status FROM releases WHERE key = '498'") == [{"status": "removed"}]


def test_restored_with_new_content_makes_a_version(crawl, board, db):
    crawl()
    edit(board, 497, status=404)
    crawl()
    edit(board, 497, status=200, title="Release 497, reissued")
    assert "changed 1" in crawl().stdout
    assert [v["title"] for v in versions_of(db, 497)][-1] == "Release 497, reissued"


@pytest.mark.parametrize("failure", [500, 503, "maintenance"])
def test_errors_are_logged_and_change_nothing(crawl, board, db, failure):
    crawl()
    before = rows(db, "SELECT * FROM releases ORDER BY id")
    edit(board, 496, status=failure)
    result = crawl()
    assert result.returncode == 0
    assert "errors 1" in result.stdout and "changed 0" in result.stdout
    after = rows(db, "SELECT * FROM releases ORDER BY id")
    # The list showed it again (list evidence); nothing of the release changed.
    release_columns = lambda r: {k: v for k, v in r.items() if k != "last_listed"}  # noqa: E731
    assert [release_columns(r) for r in after if r["key"] == "496"] == [
        release_columns(r) for r in before if r["key"] == "496"
    ]
    (error,) = rows(db, "SELECT * FROM fetches WHERE outcome = 'error'")
    assert error["error"]
    if failure != "maintenance":
        assert error["http_status"] == failure
        assert len(board.paths("seq=496")) == 2  # retried once (PRESSWATCH_RETRY_TIMES=1 in tests)
    else:
        assert "no title" in error["error"]


def test_timeout_is_a_failed_fetch(crawl, board, db):
    crawl()
    edit(board, 496, delay=6)
    result = crawl(env={"PRESSWATCH_DOWNLOAD_TIMEOUT": "2", "PRESSWATCH_RETRY_TIMES": "0"})
    assert "errors 1" in result.stdout
    (error,) = rows(db, "SELECT * FROM fetches WHERE outcome = 'error'")
    assert "Timeout" in error["error"]
    assert rows(db, "SELECT status FROM releases WHERE key = '496'") == [{"status": "live"}]


def test_unchanged_board_costs_a_handful_of_requests(crawl, board, db):
    state = board.state()
    state["releases"] = [release(400 - i, days_ago=100 + i) for i in range(40)]
    board.set(state)
    crawl()  # the first crawl walks the whole list: 4 pages
    state = board.state()
    state["releases"] = [release(401, days_ago=0)] + state["releases"]
    board.set(state)
    result = crawl()
    # robots.txt, the 307 cookie dance, list page 1, the new release, one old
    # release rechecked by the rolling sweep (⌈40 × seconds / 7 days⌉) and
    # list page 2, this run's share of the pass over the whole list
    assert "requests 6, new 1, changed 0, unchanged 1, removed 0, errors 0; swept 1 of 40" in result.stdout
    assert set(board.paths("list.do")) == {"/eng/brd/m_5676/list.do?page=1", "/eng/brd/m_5676/list.do?page=2"}
    assert rows(db, "SELECT list_pages FROM crawls ORDER BY id DESC LIMIT 1") == [{"list_pages": 2}]
    fetched = board.paths("view.do")
    assert "/eng/brd/m_5676/view.do?seq=401" in fetched and len(fetched) == 2


def test_revisit_window_and_full(crawl, board, db):
    state = board.state()
    state["releases"] = [release(300, days_ago=3), release(299, days_ago=10), release(298, days_ago=60)]
    board.set(state)
    crawl()
    board.set(board.state())  # clears the request log
    crawl("--revisit-days", "5")
    # 300 is in the window; the sweep rechecks one of the two outside it.
    fetched = sorted(p.rsplit("=", 1)[1] for p in board.paths("view.do"))
    assert fetched in (["298", "300"], ["299", "300"])
    board.set(board.state())
    crawl("--revisit-days", "30")
    # 300 and 299 are in the window; 298 is the only one left to sweep.
    assert sorted(p.rsplit("=", 1)[1] for p in board.paths("view.do")) == ["298", "299", "300"]
    board.set(board.state())
    result = crawl("--full", "--revisit-days", "5")
    assert sorted(p.rsplit("=", 1)[1] for p in board.paths("view.do")) == ["298", "299", "300"]
    assert "unchanged 3" in result.stdout


def test_same_release_under_other_query_strings_is_one_release(crawl, board, db):
    crawl()
    # Both link forms and the page/search parameters appear on the list; the
    # detail is requested by its key alone.
    assert len(rows(db, "SELECT * FROM releases")) == 12
    assert all(p.split("?")[1].startswith("seq=") and "&" not in p for p in board.paths("view.do"))


def test_conditional_get_uses_validators(crawl, board, db):
    board.set({**board.state(), "validators": True})
    crawl()
    board.set(board.state())
    result = crawl()
    assert "unchanged 12 (12 not modified)" in result.stdout
    sent = [e for e in board.log() if "view.do" in e["path"]]
    assert sent and all(e["if_none_match"] and e["if_modified_since"] for e in sent)
    assert rows(db, "SELECT count(*) AS n FROM fetches WHERE outcome = 'not_modified'") == [{"n": 12}]
    edit(board, 500, title="Release 500, amended")
    assert "changed 1" in crawl().stdout


def test_unreachable_site_fails_with_exit_1(db):
    result = run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", "http://127.0.0.1:9")
    assert result.returncode == 1
    assert result.stdout.startswith("mofa_en: failed:")
    assert "list page 1 failed" in result.stdout


def test_board_with_no_releases_fails_loudly(crawl, board, db):
    board.set({**board.state(), "releases": []})
    result = crawl()
    assert result.returncode == 1
    assert result.stdout.endswith(
        f"— list selector 'table tbody tr' matched no release links on "
        f"{board.url}/eng/brd/m_5676/list.do?page=1; the site may have been redesigned: "
        "run presswatch check mofa_en\n"
    )


def test_list_page_error_is_a_failed_crawl_and_the_next_run_completes(crawl, board, db):
    board.set({**board.state(), "list_status": {"2": 500}})
    result = crawl()
    assert result.returncode == 1 and "list page 2 failed: HTTP 500" in result.stdout
    assert len(rows(db, "SELECT * FROM releases")) == 10
    board.set({**board.state(), "list_status": {}})
    result = crawl()
    assert result.returncode == 0 and "new 2" in result.stdout


def test_second_crawl_on_the_same_archive_is_refused(crawl, board, db, tmp_path):
    import subprocess
    import sys
    import time

    from .helpers import FAST_ENV, ROOT

    edit(board, 500, delay=3)
    first = subprocess.Popen(
        [sys.executable, "-m", "crawler", "crawl", "mofa_en", "--db", db, "--base-url", board.url],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**__import__("os").environ, **FAST_ENV},
    )
    deadline = time.time() + 30
    while not board.paths("seq=500") and time.time() < deadline:
        time.sleep(0.1)
    second = crawl()
    assert second.returncode == 1
    assert "another presswatch crawl (pid" in second.stderr
    assert first.wait(30) == 0
    assert "new 12" in first.stdout.read()


def test_usage_errors_exit_2(db):
    assert run_presswatch("crawl", "nosuchsite", "--db", db).returncode == 2
    assert run_presswatch("crawl", "--all", "--base-url", "http://127.0.0.1:1", "mofa_en", "--db", db).returncode == 2
    assert run_presswatch("crawl", "--db", db).returncode == 2


def test_scrapy_crawl_works_too(board, db):
    import subprocess
    import sys

    from .helpers import FAST_ENV, ROOT

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "mofa_en",
            "-a",
            f"base_url={board.url}",
            "-s",
            f"PRESSWATCH_DB={db}",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**__import__("os").environ, **FAST_ENV},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(rows(db, "SELECT * FROM releases")) == 12
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], capture_output=True, text=True, cwd=ROOT)
    # One spider per profile, and the one Scrapyd jobs run (presswatch dispatch).
    assert listed.stdout.split() == ["mofa_en", "mofa_ko", "presswatch"]
