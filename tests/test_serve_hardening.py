"""`presswatch serve` as a public server: every page it sends tells the
browser what it may run, an attachment link is a link only to http(s), and
each query is held to a time limit the settings may change."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT
from .test_doors import archive_crawled_twice, copy_of, wait_for


@pytest.fixture(scope="module")
def archived(board_server, tmp_path_factory) -> Path:
    return archive_crawled_twice(board_server, tmp_path_factory.mktemp("serve"))


HOSTILE_LINKS = [
    {"name": "Annex (script)", "url": "javascript:alert(document.domain)"},
    {"name": "Annex (data)", "url": "data:text/html,<script>window.pwned=3</script>"},
    {"name": "Annex (PDF)", "url": "https://www.mofa.go.kr/files/annex.pdf"},
]


@pytest.fixture(scope="module")
def served(archived, tmp_path_factory):
    """`presswatch serve` over a copy whose release 700 lists hostile attachment URLs."""
    import json

    from .test_browse import free_port

    db = copy_of(archived, tmp_path_factory.mktemp("served"))
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE versions SET attachments = ? WHERE version = 2 AND release_id = "
            "(SELECT id FROM releases WHERE key = '700')",
            [json.dumps(HOSTILE_LINKS)],
        )
    conn.close()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/-/versions.json")
    yield url
    process.terminate()
    process.wait(10)


PAGES = [
    "/",
    "/archive",
    "/archive/versions",
    "/archive/versions/1",
    "/archive/changes",
    "/archive/recent_changes",
    "/archive?sql=select+1",
    "/-/presswatch/release/mofa_en/700",
    "/-/presswatch/release/mofa_en/700/v2",
    "/-/presswatch/changes.atom",
    "/-/versions.json",
    "/archive/versions.json",
    "/-/static/app.css",
    "/-/presswatch/release/mofa_en/nosuchkey",
]


def fetch(url: str):
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_a_content_security_policy_and_nosniff(served, path):
    status, headers, body = fetch(served + path)
    assert status in (200, 404)
    assert headers["X-Content-Type-Options"] == "nosniff"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    html = "text/html" in headers["Content-Type"]
    for script in re.findall(r"<script>(.*?)</script>", body, re.S) if html else []:  # each allowed by its hash
        import base64
        import hashlib

        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy, (path, script[:80])


def test_a_capture_keeps_its_own_sandbox_policy(served):
    status, headers, _ = fetch(served + "/-/presswatch/release/mofa_en/700/v2/capture")
    assert status == 200 and headers.get_all("Content-Security-Policy") == ["sandbox"]


def test_only_http_attachment_links_are_links(served):
    _, _, page = fetch(served + "/-/presswatch/release/mofa_en/700/v2")
    assert 'href="https://www.mofa.go.kr/files/annex.pdf"' in page
    assert 'href="javascript:' not in page and 'href="data:' not in page
    assert "javascript:alert(document.domain)" in page  # shown, as text
    assert "&lt;script&gt;window.pwned=3" in page


def test_serve_limits_each_query_to_a_second_and_passes_settings_on(served, archived, tmp_path):
    import json

    from .test_browse import free_port

    _, _, settings = fetch(served + "/-/settings.json")
    assert json.loads(settings)["sql_time_limit_ms"] == 1000
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler",
            "serve",
            "--db",
            str(copy_of(archived, tmp_path)),
            "--port",
            str(port),
            "--setting",
            "default_allow_sql",
            "off",
            "--setting",
            "sql_time_limit_ms",
            "250",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        settings = json.loads(wait_for(f"http://127.0.0.1:{port}/-/settings.json"))
        assert settings["sql_time_limit_ms"] == 250 and settings["default_allow_sql"] is False
        assert fetch(f"http://127.0.0.1:{port}/archive?sql=select+1")[0] == 403
        assert fetch(f"http://127.0.0.1:{port}/archive/recent_changes?since=2020-01-01")[0] == 200
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_datasette_and_presswatch_pages_work_under_the_policy(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        page = browser.new_page()
        refused: list[str] = []
        page.on(
            "console",
            lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
        )
        for path in (
            "/",
            "/archive",
            "/archive/versions",
            "/archive/changes",
            "/-/presswatch/release/mofa_en/700",
            "/-/presswatch/release/mofa_en/700/v2",
        ):
            page.goto(served + path)
        page.goto(served + "/archive?sql=select+1")
        assert page.locator(".CodeMirror").count() == 1  # Datasette's SQL editor ran
        page.goto(served + "/archive/versions")
        page.locator("th .dropdown-menu-icon").first.click()  # table.js: the column menu opens
        assert page.locator(".dropdown-menu").first.is_visible()
        page.goto(served + "/-/presswatch/release/mofa_en/700/v2")
        page.locator("text=Annex (PDF)").wait_for()
        assert page.evaluate("typeof window.pwned") == "undefined"
        browser.close()
    assert refused == []
