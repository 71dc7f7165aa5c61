"""Evidence: captures exported as WARC / WACZ, read back with warcio, replayed
by a real pywb and validated by py-wacz (both from the tools environment
`make test` installs), and the citation of a version."""

from __future__ import annotations

import base64
import hashlib
import os
import sqlite3
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from .helpers import ROOT, release, run_presswatch, stored_capture

TOOLS = Path(os.environ.get("PRESSWATCH_TOOLS", ROOT / ".venv" / "tools")) / "bin"
URL = "https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq="


@pytest.fixture(scope="module")
def tools():
    if not (TOOLS / "wayback").exists():
        pytest.fail(f"pywb is not installed in {TOOLS.parent}: run `make test`, which installs it")
    return TOOLS


@pytest.fixture(scope="module")
def archive(board_server, tmp_path_factory):
    """Release 500 in two versions; release 499's first capture stored as
    before presswatch kept headers.  Built once: the tests only read it."""
    board = board_server
    board.set({"releases": [release(500 - i, days_ago=i + 1) for i in range(12)]})
    db = str(tmp_path_factory.mktemp("evidence") / "archive.db")
    assert run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url).returncode == 0
    time.sleep(1.1)  # the second capture a second later: replay tells them apart by time
    state = board.state()
    state["releases"][0]["title"] = "Release 500, amended"
    board.set(state)
    assert run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE raw_pages SET http_status = NULL, response_headers = NULL, request_headers = NULL "
            "WHERE version_id = (SELECT v.id FROM versions v JOIN releases r ON r.id = v.release_id WHERE r.key = '499')"
        )
    return db


def stored(db: str) -> dict[tuple[str, str], bytes]:
    """(URL, WARC date) → the bytes the archive holds for that capture."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT p.url, v.captured_at, p.version_id FROM raw_pages p JOIN versions v ON v.id = p.version_id"
        ).fetchall()
        return {(url, at[:19] + "Z"): stored_capture(conn, version_id) for url, at, version_id in rows}


def sha256_b32(data: bytes) -> str:
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode()


def test_a_warc_export_holds_every_capture_byte_for_byte(archive, tmp_path):
    out = tmp_path / "mofa_en.warc.gz"
    result = run_presswatch("export", "warc", "mofa_en", "--db", archive, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote 13 captures of mofa_en to {out}"
    pages = stored(archive)
    records, referers = {}, 0
    with open(out, "rb") as handle:
        for record in ArchiveIterator(handle):
            headers = record.rec_headers
            if record.rec_type in ("response", "resource"):
                payload = record.content_stream().read()
                key = (headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date"))
                records[key] = (record.rec_type, headers, record.http_headers)
                assert payload == pages[key]  # the exact bytes
                assert headers.get_header("WARC-Payload-Digest") == sha256_b32(payload)
            elif record.rec_type == "request":
                assert b"Cookie" not in record.http_headers.to_bytes()
                assert record.http_headers.get_header("User-Agent").startswith("presswatch")
                # crawled through --base-url, recorded under the site's URLs: one host per record
                site = urlsplit(headers.get_header("WARC-Target-URI")).netloc
                assert record.http_headers.get_header("Host") == site
                referer = record.http_headers.get_header("Referer")
                assert referer is None or urlsplit(referer).netloc == site, referer
                referers += referer is not None
    assert set(records) == set(pages)
    assert referers  # detail pages are requested from the list, which the Referer names
    old = [key for key, (kind, *_) in records.items() if kind == "resource"]
    assert [url for url, _ in old] == [URL + "499"]  # stored before headers: the bytes alone, marked
    assert records[old[0]][1].get_header("WARC-Presswatch-Headers") == "not-recorded"
    kind, headers, http = records[next(key for key in records if key[0] == URL + "500")]
    assert kind == "response" and http.get_statuscode() == "200"
    assert http.get_header("Content-Type").startswith("text/html")


def test_pywb_replays_an_export_with_the_original_bytes(archive, tmp_path, tools):
    out = tmp_path / "mofa_en.warc.gz"
    assert run_presswatch("export", "warc", "mofa_en", "--db", archive, "-o", str(out)).returncode == 0
    replay = tmp_path / "replay"
    replay.mkdir()
    for step in (["wb-manager", "init", "press"], ["wb-manager", "add", "press", str(out)]):
        subprocess.run([str(tools / step[0]), *step[1:]], cwd=replay, check=True, capture_output=True, timeout=120)
    port = free_port()
    server = subprocess.Popen(
        [str(tools / "wayback"), "-p", str(port), "-b", "127.0.0.1"],
        cwd=replay,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        pages = stored(archive)
        for (url, date), page in pages.items():
            if not url.endswith(("=500", "=499")):
                continue
            stamp = date.replace("-", "").replace(":", "").replace("T", "")[:14]
            replayed = fetch(f"http://127.0.0.1:{port}/press/{stamp}id_/{url}")
            assert replayed == page, f"{url} at {date}"
    finally:
        server.terminate()
        server.wait(10)


def test_a_wacz_export_validates_and_indexes_every_capture(archive, tmp_path, tools):
    out = tmp_path / "mofa_en.wacz"
    assert run_presswatch("export", "wacz", "mofa_en", "--db", archive, "-o", str(out)).returncode == 0
    check = subprocess.run(
        [str(tools / "wacz"), "validate", "-f", str(out)], capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 0, check.stdout + check.stderr
    with zipfile.ZipFile(out) as package:
        index = package.read("indexes/index.cdxj").decode().splitlines()
        pages = package.read("pages/pages.jsonl").decode().splitlines()
    assert len(index) == 13 and len(pages) == 14  # a header line, then one page per capture


def test_export_errors_are_clear_and_leave_no_file(db, board, tmp_path):
    assert run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url).returncode == 0
    result = run_presswatch("export", "warc", "nosuch", "--db", db, "-o", str(tmp_path / "x.warc.gz"))
    assert result.returncode == 2 and "no site 'nosuch'" in result.stderr
    result = run_presswatch(
        "export", "warc", "mofa_en", "--since", "2999-01-01", "--db", db, "-o", str(tmp_path / "x.warc.gz")
    )
    assert result.returncode == 1 and "no versions of mofa_en captured since 2999-01-01" in result.stderr
    assert list(tmp_path.glob("x.warc.gz*")) == []


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, attempts: int = 100) -> bytes:
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read()
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.1)
    raise AssertionError(f"no answer from {url}")
