"""Datasette over a crawled archive, as a person (and a feed reader) uses it."""

import hashlib
import html
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest

from .helpers import ROOT, run_presswatch, stored_capture

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
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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


def test_serve_stopped_by_sigterm_leaves_nothing_behind(browse_db, tmp_path):
    port, scratch = free_port(), tmp_path / "tmp"
    scratch.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", browse_db, "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json").close()
            break
        except OSError:
            time.sleep(0.2)
    assert list(scratch.glob("*.json"))  # the metadata Datasette was started with
    process.terminate()
    assert process.wait(10) == 0
    assert not list(scratch.iterdir())


def get(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return response.read().decode("utf-8")


def test_changes_page_shows_a_word_level_diff(site):
    page = get(f"{site}/archive/changes")
    assert "again <ins>in Manila</ins> next <del>year.</del> <ins>spring.</ins>" in page
    assert "← version 1" in page


def test_scraped_markup_is_shown_as_text_never_run(site):
    for path in (
        "/archive/changes",
        "/archive/versions",
        "/archive/latest_versions",
        "/archive/search?query=pwned&site=",
    ):
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
    assert (
        'data-column="status"' in releases or "facet-status" in releases or "status (2)" in releases.replace("\n", "")
    )
    history = get(f"{site}/archive/release_history?site=mofa_en&key=600")
    assert "<del>" in history and history.count("<tr") >= 3


@pytest.mark.parametrize("path, expected", [("changes.atom", 10), ("mofa_en.atom", 10), ("nosuchsite.atom", 0)])
def test_atom_feeds_parse(site, path, expected):
    feed = feedparser.parse(get(f"{site}/-/presswatch/{path}"))
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == expected
    if expected:
        kinds = sorted(entry.title.split(":")[0] for entry in feed.entries)
        assert kinds == ["Changed"] * 4 + ["New release"] * 5 + ["Removed"]
        diffs = [entry.content[0].value for entry in feed.entries if entry.title.startswith("Changed")]
        assert any("+2. The two sides agreed to meet again in Manila next spring." in d for d in diffs)
        manila = [entry for entry in feed.entries if "in Manila" in entry.content[0].value][0]
        assert {tag.term for tag in manila.tags} == {"name", "wording"}  # "in Manila" put in, "year" for "spring"


def test_presswatch_feed_writes_the_same_feed(browse_db, tmp_path):
    out = tmp_path / "feed.atom"
    assert run_presswatch("feed", "--db", browse_db, "-o", str(out)).returncode == 0
    feed = feedparser.parse(out.read_bytes())
    assert not feed.bozo and len(feed.entries) == 10
    assert feed.entries[0].link.startswith("https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=")


def test_the_landing_page_shows_changes_per_week_latest_diffs_search_and_health(site):
    page = get(f"{site}/")
    assert "<h2>Changes per week</h2>" in page and '<svg class="pw-chart"' in page
    monday = date.today() - timedelta(days=date.today().weekday())
    # four changed, one removed, in this week: the bar's tooltip, and its label the Monday
    assert f"mofa_en: 5 in the week of {monday.day} {monday:%B} {monday.year}</title>" in page
    assert f'text-anchor="middle">{monday.day} {monday:%b}</text>' in page
    assert "New releases are left out" in page
    assert "again <ins>in Manila</ins> next <del>year.</del> <ins>spring.</ins>" in page
    assert 'action="/archive/versions"' in page and 'name="_search"' in page
    assert "<td>finished</td>" in page and 'href="/archive"' in page
    assert "<script>window.pwned" not in page and "&lt;script&gt;window.pwned" in page
    assert not re.search(r"<script[^>]+src=\"(https?:)?//", page)  # nothing from a CDN


def test_a_release_page_shows_its_timeline_hits_and_two_versions_side_by_side(site):
    page = get(f"{site}/-/presswatch/release/mofa_en/600")
    timeline = page.split("<h2>Timeline</h2>", 1)[1].split("</svg>", 1)[0]
    assert ">v1</text>" in timeline and ">v2</text>" in timeline
    assert "<h2>Hit count</h2>" in page and "<polyline" in page
    assert 'href="/-/presswatch/release/mofa_en/600/v1"' in page
    compare = page.split('<div class="pw-side-by-side">', 1)[1]  # the last two versions by default
    assert "meet again next <del>year.</del></td>" in compare  # left: what version 1 lost
    assert "again <ins>in Manila</ins> next <ins>spring.</ins></td>" in compare  # right: what version 2 gained
    reversed_ = get(f"{site}/-/presswatch/release/mofa_en/600?a=2&b=1")
    assert "Version 2 (left) and version 1 (right)" in reversed_ and "<del>in Manila</del>" in reversed_
    hostile = get(f"{site}/-/presswatch/release/mofa_en/599")
    assert "<script>window.pwned" not in hostile and "&lt;script&gt;window.pwned" in hostile


def test_each_version_has_a_permalink_that_cites_its_capture(site, browse_db):
    with sqlite3.connect(browse_db) as conn:
        captured_at, version_id = conn.execute(
            "SELECT v.captured_at, v.id FROM versions v JOIN releases r ON r.id = v.release_id "
            "WHERE r.key = '600' AND v.version = 2"
        ).fetchone()
        payload = stored_capture(conn, version_id)
    page = get(f"{site}/-/presswatch/release/mofa_en/600/v2")
    cite = html.unescape(page.split('<p class="pw-cite">', 1)[1].split("</p>", 1)[0])
    assert cite == (
        f"mofa_en:600 version 2, https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=600, captured "
        f"{captured_at[:19]}Z by presswatch, SHA-256 {hashlib.sha256(payload).hexdigest()}, "
        f"{site}/-/presswatch/release/mofa_en/600/v2"
    )
    with urllib.request.urlopen(f"{site}/-/presswatch/release/mofa_en/600/v2/capture") as response:
        assert response.read() == payload  # the exact bytes, as text: never run as a page here
        assert response.headers["Content-Type"].startswith("text/plain")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == "sandbox"
    for missing in ("/-/presswatch/release/mofa_en/600/v9", "/-/presswatch/release/mofa_en/1/v1"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(site + missing)
        assert error.value.code == 404


def changed_keys(page: str) -> list[str]:
    """The releases the landing page's latest changes show, in order."""
    latest = page.split("<h2>Sites</h2>", 1)[0].split('class="pw-rank"', 1)[1]
    return re.findall(r'<a href="/-/presswatch/release/mofa_en/(\d+)">', latest)


def test_the_landing_page_orders_and_filters_changes_by_significance(site, browse_db):
    with sqlite3.connect(browse_db) as conn:
        rows = conn.execute("SELECT key, significance FROM changes ORDER BY at DESC, event_id DESC").fetchall()
    significance = dict(rows)
    newest_first = get(f"{site}/")
    assert changed_keys(newest_first) == [key for key, _ in rows]  # by time unless asked
    ranked = changed_keys(get(f"{site}/?order=significance"))
    assert sorted(ranked) == sorted(significance) and ranked != changed_keys(newest_first)
    ranks = [1 if significance[key] is None else significance[key] for key in ranked]  # a removal: never left out
    assert ranks == sorted(ranks, reverse=True) and ranked[-1] == "597"  # the punctuation fix last
    assert changed_keys(get(f"{site}/?min=0.5")) == [key for key, n in rows if n is None or n >= 0.5]
    assert changed_keys(get(f"{site}/?kind=typography")) == ["597"]
    assert changed_keys(get(f"{site}/?kind=moved&order=significance")) == ["596"]
    assert changed_keys(get(f"{site}/?min=lots&kind=nonsense&order=random")) == changed_keys(newest_first)
    chosen = get(f"{site}/?kind=name&min=0.5&order=significance")
    assert '<option value="significance" selected>' in chosen and "<option selected>0.5</option>" in chosen
    assert "Most significant changes of the last 12 weeks" in chosen
    labels = chosen.split('class="pw-kinds"', 1)[1].split("</p>", 1)[0]
    assert re.findall(r'data-kind="(\w+)"', labels) == ["name", "wording"]
    assert 'title="a person, place or organisation"' in labels and "significance 0.81" in labels
    every = html.unescape(re.search(r'<a href="([^"]+)">every change, as chosen here', chosen).group(1))
    weeks_ago = (
        date.today() - timedelta(days=date.today().weekday(), weeks=11)
    ).isoformat()  # the chart's first Monday
    assert every == (
        f"/archive/changes?_sort_desc=significance&at__gte={weeks_ago}"
        "&significance__gte=0.5&change_kinds__arraycontains=name"
    )
    table = get(site + every)  # Datasette's own sort and filters on the changes view
    assert re.findall(r'<td class="col-key type-str">(\d+)</td>', table) == ["600"]


def test_the_changes_view_shows_kinds_as_labels_and_sorts_by_significance(site):
    table = get(f"{site}/archive/changes?_sort_desc=significance")
    keys = re.findall(r'<td class="col-key type-str">(\d+)</td>', table)
    assert keys[:3] == ["599", "600", "596"] and keys[-1] == "598"  # a removal has no significance: last
    assert (
        'data-kind="typography"' in table
        and 'title="punctuation, quotation marks, dashes, case or spacing only"' in table
    )
    assert '["name", "wording"]' not in table  # the JSON array is shown as labels
    moved = get(f"{site}/archive/changes?change_kinds__arraycontains=moved")
    assert "↕ moved here:</span> 4. The talks closed on a Friday.</p>" in moved
    assert "<del>4. The talks" not in moved and "<ins>4. The talks" not in moved


def test_the_changes_view_filtered_by_kind_finds_the_same_rows_by_index(site, browse_db):
    import json

    from storage import KINDS, browsing

    by_json = "SELECT key FROM changes WHERE :k IN (SELECT value FROM json_each(change_kinds)) ORDER BY at DESC, event_id DESC"
    with sqlite3.connect(browse_db) as conn:
        for kind in KINDS:  # a kind of few versions and of many: the same rows as the JSON says
            expected = conn.execute(by_json, {"k": kind}).fetchall()
            for clause in (browsing.FEW_OF_KIND, browsing.MANY_OF_KIND):
                where = clause.format(param="k")
                found = conn.execute(
                    f"SELECT key FROM changes WHERE {where} ORDER BY at DESC, event_id DESC", {"k": kind}
                )
                assert found.fetchall() == expected, (kind, clause)
        plan = " ".join(
            row[-1]
            for row in conn.execute(
                f"EXPLAIN QUERY PLAN SELECT key FROM changes WHERE {browsing.FEW_OF_KIND.format(param='k')} "
                "ORDER BY at DESC",
                {"k": "name"},
            )
        )
        assert "release_events_version" in plan and "version_kinds" in plan  # found by index, not by reading JSON
        names = [key for (key,) in conn.execute(by_json, {"k": "name"})]
    table = get(f"{site}/archive/changes?change_kinds__arraycontains=name&_sort_desc=at")
    assert names and re.findall(r'<td class="col-key type-str">(\d+)</td>', table) == names
    query = json.loads(get(f"{site}/archive/changes.json?change_kinds__arraycontains=name"))["query"]["sql"]
    assert "version_kinds" in query  # the plugin's clause, beside Datasette's own filter


def test_version_kinds_follow_versions_change_kinds(browse_db, tmp_path):
    import json

    from storage import upgrade_archive

    copy = tmp_path / "copy.db"
    with sqlite3.connect(browse_db) as conn:
        conn.execute(f"VACUUM INTO '{copy}'")
    every = (
        "SELECT j.value, v.id FROM versions v, json_each(v.change_kinds) j "
        "EXCEPT SELECT kind, version_id FROM version_kinds"
    )
    with sqlite3.connect(copy) as conn:
        (changed,) = conn.execute("SELECT id FROM versions WHERE change_kinds LIKE '%name%'").fetchone()
        conn.execute("UPDATE versions SET change_kinds = ? WHERE id = ?", [json.dumps(["number", "quote"]), changed])
        assert conn.execute(
            "SELECT kind FROM version_kinds WHERE version_id = ? ORDER BY kind", [changed]
        ).fetchall() == [("number",), ("quote",)]
        columns = ", ".join(
            row[1]
            for row in conn.execute("PRAGMA table_info(versions)")
            if row[1] not in ("id", "version", "change_kinds")
        )
        conn.execute(
            f"INSERT INTO versions ({columns}, version, change_kinds) SELECT {columns}, 99, '[\"date\"]' "
            "FROM versions WHERE id = ?",
            [changed],
        )
        assert conn.execute("SELECT count(*) FROM version_kinds WHERE kind = 'date'").fetchone() == (1,)
        conn.execute("DELETE FROM versions WHERE version = 99")
        conn.execute("UPDATE versions SET change_kinds = NULL WHERE id = ?", [changed])
        assert conn.execute(every).fetchall() == [] and conn.execute(
            "SELECT count(*) FROM version_kinds WHERE kind = 'date' OR version_id = ?", [changed]
        ).fetchone() == (0,)
        # an archive from before m018: its versions' kinds are found there when it is upgraded
        conn.execute("DROP TABLE version_kinds")
        for name in ("version_kinds_insert", "version_kinds_update", "version_kinds_delete"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("DROP INDEX release_events_version")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm018_version_kinds'")
    upgrade_archive(copy)
    with sqlite3.connect(copy) as conn:
        assert conn.execute(every).fetchall() == [] and conn.execute("SELECT count(*) FROM version_kinds").fetchone()[0]


def test_the_comparison_folds_unchanged_paragraphs_and_shows_moves(site):
    page = get(f"{site}/-/presswatch/release/mofa_en/600")
    compare = page.split('<div class="pw-side-by-side">', 1)[1]
    folds = re.findall(r'<details class="pw-fold"><summary>([^<]+)</summary>(.*?)</details>', compare)
    assert [summary for summary, _ in folds] == ["Unchanged title and date", "7 unchanged paragraphs"]
    assert all(f"{n}. Paragraph {n} of the statement" in folds[1][1] for n in range(4, 11))
    shown = re.sub(r"<details.*?</details>", "", compare)  # one paragraph of context each side, never folded
    assert "1. Paragraph one of release 600" in shown and "3. Paragraph 3 of the statement" in shown
    assert "4. Paragraph 4" not in shown
    moved = get(f"{site}/-/presswatch/release/mofa_en/596").split('<div class="pw-side-by-side">', 1)[1]
    assert (
        '<td><span class="pw-moved">↕ moved to paragraph 2</span> 4. The talks closed on a Friday.</td><td></td>'
        in moved
    )
    assert '<td></td><td><span class="pw-moved">↕ moved here from paragraph 4</span> 4. The talks' in moved
    assert "<del>" not in moved and "<ins>" not in moved


def test_dates_read_in_the_site_s_timezone_with_the_iso_value_in_a_tooltip(site, browse_db):
    with sqlite3.connect(browse_db) as conn:
        published, captured = conn.execute(
            "SELECT v.published, v.captured_at FROM versions v JOIN releases r ON r.id = v.release_id "
            "WHERE r.key = '600' AND v.version = 2"
        ).fetchone()
    moment = datetime.fromisoformat(published)  # as the board gave it, in Seoul
    readable = f"{moment.day} {moment:%B} {moment.year}, {moment:%H:%M} KST"
    version = get(f"{site}/-/presswatch/release/mofa_en/600/v2")
    assert f'Published <time datetime="{published}" title="{published}">{readable}</time>' in version
    seoul = datetime.fromisoformat(captured).replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Seoul"))
    assert f">{seoul.day} {seoul:%B} {seoul.year}, {seoul:%H:%M} KST</time>" in version
    assert not re.search(r">\d{4}-\d\d-\d\d[ T]\d\d:\d\d", version.split("<h2>Cite")[0])  # no raw ISO shown
    release = get(f"{site}/-/presswatch/release/mofa_en/600")
    assert f'title="{published}">{readable}</time>' in release
    assert re.search(r"first seen <time datetime=\S+ title=\S+>\d{1,2} December \d{4}, \d\d:\d\d KST</time>", release)
    landing = get(f"{site}/")
    assert re.search(r"mofa_en · <time datetime=\S+ title=\S+>\d{1,2} \w+ \d{4}, \d\d:\d\d KST</time>", landing)


def test_the_hit_count_axis_fits_its_data(site, browse_db):
    with sqlite3.connect(browse_db) as conn:
        low, high = conn.execute(
            "SELECT min(hits), max(hits) FROM fetches f JOIN releases r ON r.id = f.release_id WHERE r.key = '600'"
        ).fetchone()
    assert 0 < low < high
    chart = get(f"{site}/-/presswatch/release/mofa_en/600").split("<h2>Hit count</h2>", 1)[1].split("</svg>", 1)[0]
    axis = [int(n) for n in re.findall(r'text-anchor="end">(\d+)</text>', chart)]
    assert axis == [high, low]  # top and bottom of the axis: the values seen, not from 0


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
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
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

        # presswatch's own pages: charts drawn, nothing fetched from anywhere else
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        shots = Path(os.environ.get("PRESSWATCH_SCREENSHOTS") or tmp_path)
        for path, name in (
            ("/", "landing"),
            ("/-/presswatch/release/mofa_en/600", "release"),
            ("/-/presswatch/release/mofa_en/599", "hostile-release"),
            ("/-/presswatch/release/mofa_en/600/v2", "version"),
            (
                "/archive/changes?_sort_desc=significance&_col=at&_col=key&_col=title&_col=change_kinds"
                "&_col=significance&_col=diff",
                "changes-by-significance",
            ),
        ):
            page.goto(site + path)
            assert page.evaluate("typeof window.pwned") == "undefined"
            folder = tmp_path if name.startswith("hostile") else shots  # docs/ shows the ordinary pages
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        page.goto(f"{site}/")
        bars = page.locator("svg.pw-chart rect")
        assert bars.count() == 1 and bars.first.bounding_box()["height"] > 50
        page.goto(f"{site}/-/presswatch/release/mofa_en/600")
        assert page.locator("svg.pw-chart circle").count() >= 2
        page.select_option("select[name=a]", "2")
        page.select_option("select[name=b]", "1")
        page.click("form.pw-compare input[type=submit]")
        page.wait_for_url("**a=2&b=1")
        assert "Version 2 (left) and version 1 (right)" in page.locator("body").inner_text()
        assert [url for url in requested if not url.startswith(site)] == []

        # the comparison's folds open with a click, and without any script
        for scripts in (True, False):
            reader = browser.new_context(
                java_script_enabled=scripts, viewport={"width": 1400, "height": 900}
            ).new_page()
            reader.goto(f"{site}/-/presswatch/release/mofa_en/600")
            folded = reader.locator("details.pw-fold", has_text="7 unchanged paragraphs")
            paragraph = folded.get_by_text("7. Paragraph 7 of the statement, unchanged.").first
            context = reader.locator(".pw-side-by-side td", has_text="3. Paragraph 3 of the statement").first
            assert context.is_visible() and not paragraph.is_visible()
            folded.locator("summary").click()
            assert paragraph.is_visible() and folded.get_attribute("open") is not None
            reader.close()
        browser.close()
