"""Only the board's own bytes: a redirect or meta refresh to another origin
is a failed fetch that requests nothing there, unless the board's profile
names that origin as its own (also_at); a capture records the URL its bytes
came from; private and link-local addresses are refused unless the board is
on one.

The strangers here are real servers on 127.0.0.2 and on another port of
127.0.0.1: their request logs show that nothing reached them."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from scrapy import Request
from warcio.archiveiterator import ArchiveIterator

from crawler.demo.server import Board, serve_in_thread
from crawler.exceptions import ProfileError
from crawler.middlewares import BoardOriginMiddleware, OffBoard
from crawler.origins import board_origins, private_kind, redirect_refusal
from crawler.sites.profile import load_profile

from .helpers import ROOT, crawl_board, release, run_presswatch

SITE = "https://www.mofa.go.kr"
VIEW = "/eng/brd/m_5676/view.do?seq="
PLANTED = "1. A paragraph planted by a host that is not the board."
METADATA = "http://169.254.169.254/latest/meta-data/"


def rows(db: str, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def archived(db: str) -> tuple[list[tuple], ...]:
    """Everything a fetch could have changed for the worse."""
    return (
        rows(db, "SELECT * FROM versions ORDER BY id"),
        rows(db, "SELECT key, url, status, version_count, latest_version_id FROM releases ORDER BY key"),
        rows(db, "SELECT version_id, url, sha256 FROM raw_pages ORDER BY version_id"),
        rows(db, "SELECT event FROM release_events WHERE event NOT IN ('new')"),
    )


@pytest.fixture
def strangers():
    """Start boards on other origins, each serving its own take on release 500."""
    servers = []

    def start(host: str, state: dict | None = None):
        state = state or {"releases": [release(500, paragraphs=[PLANTED])], "cookie_dance": False}
        server = serve_in_thread(Board(state), host=host)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def redirect(board, seq: int, status, location: str, **fields) -> None:
    state = board.state()
    for item in state["releases"]:
        if item["seq"] == seq:
            item.update(status=status, location=location, **fields)
    board.set(state)


@pytest.mark.parametrize(
    "status, host",
    [
        (302, "127.0.0.2"),  # another host
        (301, "127.0.0.1"),  # the board's host, another port
        ("refresh", "127.0.0.2"),  # <meta http-equiv=refresh> to another host
    ],
)
def test_a_redirect_off_the_board_is_a_failed_fetch_that_fetches_nothing_there(board, db, strangers, status, host):
    assert crawl_board(board, db).returncode == 0
    before = archived(db)
    stranger = strangers(host)
    location = f"{stranger.base_url}{VIEW}500"
    redirect(board, 500, status, location)
    result = crawl_board(board, db)
    assert "errors 1" in result.stdout and "changed 0" in result.stdout, result.stdout + result.stderr
    reason = f"redirected off the board to {location}: not followed"
    assert f"mofa_en:500 {reason}" in result.stderr
    assert stranger.board.log == []  # not the page, not its robots.txt: nothing
    assert archived(db) == before
    assert rows(
        db, "SELECT r.key, f.error FROM fetches f JOIN releases r ON r.id = f.release_id WHERE f.outcome = 'error'"
    ) == [("500", reason)]


def test_a_redirect_to_the_cloud_metadata_address_is_refused_before_connecting(board, db, strangers):
    assert crawl_board(board, db).returncode == 0
    before = archived(db)
    # Every plain-HTTP request but the board's goes through this proxy: a
    # request that got past presswatch shows in its log, and never reaches
    # the real address, whatever answers there on this machine.
    proxy = strangers("127.0.0.2")
    redirect(board, 500, 302, METADATA)
    result = run_presswatch(
        "crawl",
        "mofa_en",
        "--db",
        db,
        "--base-url",
        board.url,
        env={"http_proxy": proxy.base_url, "no_proxy": "127.0.0.1"},
    )
    assert "errors 1" in result.stdout, result.stdout + result.stderr
    assert f"mofa_en:500 redirected off the board to {METADATA}: not followed" in result.stderr
    assert "169.254.169.254/robots.txt" not in result.stderr
    assert proxy.board.log == []
    assert archived(db) == before


@pytest.mark.parametrize("status", [302, "refresh"])
def test_a_same_origin_redirect_is_followed_and_the_capture_says_where_its_bytes_came_from(board, db, tmp_path, status):
    assert crawl_board(board, db).returncode == 0
    assert rows(
        db,
        "SELECT p.url FROM raw_pages p JOIN versions v ON v.id = p.version_id "
        "JOIN releases r ON r.id = v.release_id WHERE r.key = '500'",
    ) == [(f"{SITE}{VIEW}500",)]
    moved_page = f"{VIEW}500&lang=en"
    redirect(board, 500, status, moved_page, paragraphs=["1. Paragraph one, revised where it now lives."])
    result = crawl_board(board, db)
    assert "changed 1" in result.stdout and "errors 0" in result.stdout, result.stdout + result.stderr
    assert rows(
        db,
        "SELECT v.version, p.url FROM raw_pages p JOIN versions v ON v.id = p.version_id "
        "JOIN releases r ON r.id = v.release_id WHERE r.key = '500' ORDER BY v.version",
    ) == [
        (1, f"{SITE}{VIEW}500"),
        (2, f"{SITE}{moved_page}"),
    ]
    assert rows(db, "SELECT url FROM releases WHERE key = '500'") == [(f"{SITE}{VIEW}500",)]  # the release's own URL
    out = tmp_path / "export.warc.gz"
    assert run_presswatch("export", "warc", "mofa_en", "--db", db, "-o", str(out)).returncode == 0
    with out.open("rb") as stream:
        targets = {
            (record.rec_type, record.rec_headers.get_header("WARC-Target-URI"))
            for record in ArchiveIterator(stream)
            if "500 version 2" in (record.rec_headers.get_header("WARC-Presswatch-Version") or "")
        }
    assert targets == {("response", f"{SITE}{moved_page}")}


def test_a_board_that_moved_to_an_origin_its_profile_names_keeps_its_releases(board, db, strangers, tmp_path):
    new_home = strangers("127.0.0.2", board.state())  # the same releases, on another host
    profile = tmp_path / "mofa_en.toml"
    text = (ROOT / "crawler" / "sites" / "mofa_en.toml").read_text("utf-8")
    profile.write_text(text.replace("\n[links]", f'\nalso_at = ["{new_home.base_url}"]\n\n[links]', 1))

    def crawl():
        return run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url, "--site-file", str(profile))

    assert crawl().returncode == 0
    redirect(board, 500, 301, f"{new_home.base_url}{VIEW}500")
    result = crawl()
    assert "errors 0" in result.stdout and "new 0" in result.stdout and "changed 0" in result.stdout, (
        result.stdout + result.stderr
    )
    assert f"{VIEW}500" in "".join(entry["path"] for entry in new_home.board.log)
    assert rows(db, "SELECT url, version_count FROM releases WHERE key = '500'") == [
        (f"{new_home.base_url}{VIEW}500", 1)
    ]
    assert rows(db, "SELECT event, message FROM release_events WHERE key = '500' ORDER BY id") == [
        ("new", None),
        ("moved", f"moved to {new_home.base_url}{VIEW}500 (was {SITE}{VIEW}500)"),
    ]
    assert "unchanged 12" in crawl().stdout  # and it stays one release, at home in its new place


# The rules themselves -------------------------------------------------------

OWN = board_origins("http://127.0.0.1:8000", ("https://new.example.gov",))


@pytest.mark.parametrize(
    "url, first, refused",
    [
        ("http://127.0.0.1:8000/b", "http://127.0.0.1:8000/a", False),  # same origin
        ("https://new.example.gov/a", "http://127.0.0.1:8000/a", False),  # also_at
        ("https://new.example.gov:443/a", "http://127.0.0.1:8000/a", False),  # its default port spelled out
        ("http://press.example.gov/b", "http://press.example.gov/a", False),  # within the host a link led to
        ("http://127.0.0.2:8000/a", "http://127.0.0.1:8000/a", True),  # another host
        ("http://127.0.0.1:8001/a", "http://127.0.0.1:8000/a", True),  # another port
        ("https://127.0.0.1:8000/a", "http://127.0.0.1:8000/a", True),  # another scheme
        ("http://new.example.gov/a", "http://127.0.0.1:8000/a", True),  # also_at names https only
        (METADATA, "http://127.0.0.1:8000/a", True),
    ],
)
def test_a_redirect_is_followed_only_to_the_boards_own_origins(url, first, refused):
    assert (redirect_refusal(url, [first], OWN) is not None) is refused
    assert redirect_refusal(url, [], OWN) is None  # not a redirect: the walk chose the URL


@pytest.mark.parametrize(
    "address, kind",
    [
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("127.0.0.2", "loopback"),
        ("::1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("93.184.216.34", None),
        ("2606:2800:220:1::", None),
    ],
)
def test_addresses_inside_a_network_are_named(address, kind):
    assert private_kind(address) == kind


class _Spider:
    def __init__(self, **origins):
        self.sites = {site: type("Site", (), {"origins": board_origins(base, ())})() for site, base in origins.items()}


def _middleware(resolved: dict[str, str], **origins) -> BoardOriginMiddleware:
    async def resolve(host: str) -> str:
        return resolved[host]

    crawler = type("Crawler", (), {"spider": _Spider(**origins)})()
    return BoardOriginMiddleware(crawler, resolve=resolve)  # type: ignore[arg-type]


def _refusal(middleware: BoardOriginMiddleware, url: str, **meta) -> str | None:
    try:
        asyncio.run(middleware.process_request(Request(url, meta=meta)))
    except OffBoard as refused:
        return str(refused)
    return None


def test_private_addresses_are_refused_unless_the_board_is_on_one():
    names = {"metadata.internal": "169.254.169.254", "press.example.gov": "93.184.216.34"}
    middleware = _middleware(names, local="http://127.0.0.1:8000", public="https://www.mofa.go.kr")
    assert _refusal(middleware, "http://127.0.0.1:8000/eng/list.do", site="local") is None  # the board's own
    assert _refusal(middleware, "http://127.0.0.1:8000/robots.txt") is None  # Scrapy's own request for it
    assert _refusal(middleware, "http://press.example.gov/a", site="public") is None
    assert _refusal(middleware, METADATA, site="public") == (
        f"refused {METADATA}: 169.254.169.254 is a link-local address, not the board's own"
    )
    assert "metadata.internal (169.254.169.254) is a link-local address" in (  # a name is resolved
        _refusal(middleware, "http://metadata.internal/x", site="public") or ""
    )
    assert "loopback" in _refusal(
        middleware, "http://127.0.0.1:8000/a", site="public"
    )  # another board's is not its own
    assert "private" in _refusal(middleware, "http://10.0.0.1/robots.txt")
    assert "private" in _refusal(middleware, "http://[fd00::1]/a", site="public")


def test_also_at_is_checked_when_the_profile_is_loaded(tmp_path):
    text = (ROOT / "crawler" / "sites" / "mofa_en.toml").read_text("utf-8")
    path = tmp_path / "mofa_en.toml"
    for bad, message in [
        ('"https://new.example.gov"', "'also_at' must be a list of strings"),
        ('["https://new.example.gov/eng"]', "'also_at' entries must be"),
        ('["ftp://new.example.gov"]', "'also_at' entries must be"),
    ]:
        path.write_text(text.replace("\n[links]", f"\nalso_at = {bad}\n\n[links]", 1))
        with pytest.raises(ProfileError, match=message):
            load_profile(path)
    path.write_text(text.replace("\n[links]", '\nalso_at = ["https://NEW.example.gov:8443/"]\n\n[links]', 1))
    assert load_profile(path).also_at == ("https://new.example.gov:8443",)


def test_the_guard_sits_before_robots_txt_and_redirects_stay_on():
    from scrapy.settings import Settings

    from crawler import settings as project

    settings = Settings()
    settings.setmodule(project)
    middlewares = {**settings.getdict("DOWNLOADER_MIDDLEWARES_BASE"), **settings.getdict("DOWNLOADER_MIDDLEWARES")}
    guard = middlewares["crawler.middlewares.BoardOriginMiddleware"]
    assert guard < middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"]
    assert middlewares["scrapy.downloadermiddlewares.redirect.RedirectMiddleware"] is not None
    assert middlewares["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is not None
    assert settings.getbool("REDIRECT_ENABLED") and settings.getbool("METAREFRESH_ENABLED")
