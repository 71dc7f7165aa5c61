"""Datasette over a crawled archive, as a person (and a feed reader) uses it."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import feedparser
import pytest

from .conftest import ROOT, run_presswatch

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(browse_db):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", browse_db, "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/-/versions.json").close()
            break
        except OSError:
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(10)


def get(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return response.read().decode("utf-8")


def test_changes_page_shows_a_word_level_diff(site):
    page = get(f"{site}/archive/changes")
    assert "again <ins>in Manila</ins> next <del>year.</del> <ins>spring.</ins>" in page
    assert "← version 1" in page


def test_scraped_markup_is_shown_as_text_never_run(site):
    for path in ("/archive/changes", "/archive/versions", "/archive/latest_versions", "/archive/search?query=pwned&site="):
        page = get(site + path)
        assert "window.pwned" in page, path
        assert "<script>window.pwned" not in page and "<img src=x" not in page, path
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in get(f"{site}/archive/changes")


def test_metadata_canned_queries_and_facets(site):
    home = get(f"{site}/archive")
    for query in ("recent_changes", "search", "release_history"):
        assert f"/archive/{query}" in home
    releases = get(f"{site}/archive/releases")
    assert "One row per press release" in releases
    assert 'data-column="status"' in releases or "facet-status" in releases or "status (2)" in releases.replace("\n", "")
    history = get(f"{site}/archive/release_history?site=mofa_en&key=600")
    assert "<del>" in history and history.count("<tr") >= 3


@pytest.mark.parametrize("path, expected", [("changes.atom", 8), ("mofa_en.atom", 8), ("nosuchsite.atom", 0)])
def test_atom_feeds_parse(site, path, expected):
    feed = feedparser.parse(get(f"{site}/-/presswatch/{path}"))
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == expected
    if expected:
        kinds = sorted(entry.title.split(":")[0] for entry in feed.entries)
        assert kinds == ["Changed"] * 2 + ["New release"] * 5 + ["Removed"]
        diffs = [entry.content[0].value for entry in feed.entries if entry.title.startswith("Changed")]
        assert any("+2. The two sides agreed to meet again in Manila next spring." in d for d in diffs)


def test_presswatch_feed_writes_the_same_feed(browse_db, tmp_path):
    out = tmp_path / "feed.atom"
    assert run_presswatch("feed", "--db", browse_db, "-o", str(out)).returncode == 0
    feed = feedparser.parse(out.read_bytes())
    assert not feed.bozo and len(feed.entries) == 8
    assert feed.entries[0].link.startswith("https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=")


needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)


@needs_chromium
def test_in_a_real_browser(site, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{site}/archive/changes?event=changed")
        deleted = page.locator(".pw-diff del").all_inner_texts()
        inserted = page.locator(".pw-diff ins").all_inner_texts()
        assert "year." in deleted and "in Manila" in inserted and "spring." in inserted
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert "<script>window.pwned = 1</script>" in page.locator("body").inner_text()
        page.screenshot(path=str(tmp_path / "changes.png"), full_page=True)
        page.goto(f"{site}/archive/release_history?site=mofa_en&key=600")
        assert page.locator(".pw-diff ins").count() >= 1
        browser.close()
