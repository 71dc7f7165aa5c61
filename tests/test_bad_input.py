"""Bad input from servers: a clear logged error or a correct record, never a
garbage version, and nothing already archived changes."""

import sqlite3

import pytest

from .helpers import release


def rows(db, sql, *params):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def snapshot(db):
    return rows(db, "SELECT id, status, version_count, content_hash FROM releases ORDER BY id")


def set_release(board, seq, **fields):
    state = board.state()
    for item in state["releases"]:
        if item["seq"] == seq:
            item.update(fields)
    board.set(state)


@pytest.mark.parametrize(
    "status, message",
    [
        ("binary", "not an HTML page"),
        ("huge", "larger than download max size"),
        ("gzip_bomb", "size"),
        ("truncated", "page looks truncated"),
        ("empty", "empty page"),
        ("reset", "Connection"),
        ("redirect_loop", "max redirections"),
        ("maintenance", "no title"),
    ],
)
def test_bad_page_is_a_logged_error_and_changes_nothing(crawl, board, db, status, message):
    crawl()
    before = snapshot(db)
    set_release(board, 497, status=status)
    result = crawl(env={"PRESSWATCH_RETRY_TIMES": "0"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "changed 0" in result.stdout and "errors 1" in result.stdout
    assert snapshot(db) == before
    (error,) = rows(db, "SELECT error FROM fetches WHERE outcome = 'error'")
    assert message.lower() in error[0].lower()
    assert message.lower() in result.stderr.lower()  # logged, not only stored


def test_5xx_then_recovery_is_retried_and_archived(crawl, board, db):
    set_release(board, 497, fail_times=1, title="Release 497, served on the second try")
    result = crawl()
    assert "new 12" in result.stdout and "errors 0" in result.stdout
    assert rows(db, "SELECT count(*) FROM versions v JOIN releases r ON r.id = v.release_id WHERE r.key = '497'") == [
        (1,)
    ]


def test_cookie_dance_on_every_request_is_a_failed_site(crawl, board, db):
    board.set({**board.state(), "cookie_dance": "always"})
    result = crawl()
    assert result.returncode == 1
    assert "list page 1 failed" in result.stdout


def test_control_characters_and_odd_spaces_never_reach_the_archive(crawl, board, db):
    set_release(
        board, 497, title="Release\u0007 497\u200b \x1b[31mred", paragraphs=["One\u0000 two\u00a0 three\u2028four."]
    )
    crawl()
    ((title, body),) = rows(
        db, "SELECT title, body FROM versions v JOIN releases r ON r.id = v.release_id WHERE r.key = '497'"
    )
    assert title == "Release 497 [31mred"
    assert body == "One two three four."


def test_impossible_date_archives_the_release_without_a_date(crawl, board, db):
    set_release(board, 497, date="2017-02-30 10:00:00")
    result = crawl()
    assert "new 12" in result.stdout and "errors 0" in result.stdout
    assert rows(db, "SELECT published FROM releases WHERE key = '497'") == [(None,)]


def test_a_date_that_turns_unreadable_makes_no_version(crawl, board, db):
    crawl()
    set_release(board, 497, date="2017-02-30 10:00:00")
    assert "changed 0, unchanged 12" in crawl().stdout


def test_list_whose_links_all_point_off_site_is_a_clear_failure(board, db):
    from .helpers import FILES, run_presswatch

    board.set({"layout": "generic", "offsite": True, "releases": [release(800 + n) for n in range(5)]})
    result = run_presswatch(
        "crawl",
        "example_press",
        "--db",
        db,
        "--base-url",
        board.url,
        env={"PRESSWATCH_SITES_DIR": str(FILES / "sites")},
    )
    assert result.returncode == 1
    assert "point off-site or are not http(s)" in result.stdout
    assert not [path for path in board.paths() if "elsewhere" in path]


def test_retries_back_off(crawl, board, db):
    set_release(board, 497, fail_times=2)
    result = crawl(env={"PRESSWATCH_RETRY_TIMES": "2", "PRESSWATCH_RETRY_BACKOFF": "0.4"})
    assert "new 12" in result.stdout and "errors 0" in result.stdout
    times = [entry["at"] for entry in board.log() if entry["path"].endswith("seq=497")]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.4 and times[2] - times[1] >= 0.8
