"""mofa_ko: the Korean-language board, in the charsets Korean sites really use."""

import sqlite3

import pytest

from .helpers import run_presswatch

TITLE = "강경화 장관, 아세안+3 외교장관회의 참석 결과"
PARAGRAPHS = [
    "1. 강경화 외교부 장관은 8.6.(일) 필리핀 마닐라에서 개최된 아세안+3 외교장관회의에 참석하였다.",
    "2. 이번 회의에서 참석국들은 북한 핵·미사일 문제에 대해 깊은 우려를 표명하였다.",
    "※ 각주: 자세한 내용은 외교부 누리집에서 확인할 수 있습니다.",
]
CHROME = ["좌측 메뉴", "이전글", "다음글", "목록", "담당부서", "조회수", "본문 바로가기", "보도자료", "사직로"]


def korean_board(**options):
    releases = [
        {
            "seq": 370000 + n,
            "title": f"{TITLE} {n}",
            "days_ago": n + 1,
            "hits": 40 + n,
            "dept": "아세안협력과",
            "paragraphs": [*PARAGRAPHS[:2], f"{n}번째 문단입니다.", PARAGRAPHS[2]],
        }
        for n in range(12)
    ]
    return {"layout": "ko", "releases": releases, **options}


def crawl(board, db):
    return run_presswatch("crawl", "mofa_ko", "--db", db, "--base-url", board.url)


def versions(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT title, body, published FROM versions ORDER BY id").fetchall()


@pytest.mark.parametrize(
    "charset, header, meta",
    [
        ("utf-8", "utf-8", "utf-8"),
        ("cp949", "euc-kr", "euc-kr"),
        ("cp949", "", "euc-kr"),  # only the <meta> says
        ("cp949", "utf-8", "euc-kr"),  # the HTTP header lies
        ("cp949", "", ""),  # nobody says
        ("utf-8", "euc-kr", "euc-kr"),  # converted to UTF-8, declarations left behind
    ],
)
def test_korean_text_comes_out_right_whatever_the_declarations(board, db, charset, header, meta):
    board.set(korean_board(charset=charset, header_charset=header, meta_charset=meta))
    result = crawl(board, db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "new 12" in result.stdout and "errors 0" in result.stdout
    title, body, published = versions(db)[0]
    assert title.startswith(TITLE)
    assert body.split("\n\n")[0] == PARAGRAPHS[0]
    assert body.split("\n\n")[-1] == PARAGRAPHS[2]
    assert published.endswith("+09:00")
    for chrome in CHROME:
        assert chrome not in body


def test_hits_are_read_from_the_korean_label(board, db):
    board.set(korean_board())
    crawl(board, db)
    with sqlite3.connect(db) as conn:
        hits = [row[0] for row in conn.execute("SELECT hits FROM fetches ORDER BY id")]
    assert all(isinstance(h, int) and h > 40 for h in hits)


def test_undecodable_page_is_an_error_not_mojibake(board, db):
    state = korean_board(charset="cp949", header_charset="", meta_charset="")
    board.set(state)
    crawl(board, db)
    before = versions(db)
    # A byte no charset we try can decode, in one release's body.
    state = board.state()
    state["releases"][0]["corrupt"] = True
    board.set(state)
    result = crawl(board, db)
    assert "errors 1" in result.stdout and "changed 0" in result.stdout
    assert versions(db) == before
    with sqlite3.connect(db) as conn:
        (error,) = conn.execute("SELECT error FROM fetches WHERE outcome = 'error'").fetchone()
    assert "cannot decode the page" in error
