"""`presswatch backfill` against the Internet Archive's shape of answer (its
CDX JSON table, raw captures under /web/ with the original headers kept
apart), served locally: the internet is mocked, nothing else.  And the
politeness a crawl has: robots.txt, one request at a time, the delay."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from .helpers import run_presswatch, spacing_problem
from .test_import_warc import state
from .warcs import history, write_warc


class InternetArchive:
    """The Wayback Machine's CDX API and id_ captures, for ``history()``."""

    def __init__(self, robots: str = "User-agent: *\nDisallow: /save/\n"):
        self.shots = [shot for shot in history() if "copies.example" not in shot.url]
        self.robots = robots
        self.unavailable: set[str] = set()  # timestamps answered 503, as an overloaded archive does
        self.log: list[tuple[float, str]] = []
        self.in_flight = self.most_in_flight = 0
        archive = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                archive.in_flight += 1
                archive.most_in_flight = max(archive.most_in_flight, archive.in_flight)
                archive.log.append((time.monotonic(), self.path))
                try:
                    self.answer()
                finally:
                    archive.in_flight -= 1

            def answer(self):
                parts = urlsplit(self.path)
                if parts.path == "/robots.txt":
                    return self.send(200, [("Content-Type", "text/plain")], archive.robots.encode())
                if parts.path == "/cdx/search/cdx":
                    return self.send(200, [("Content-Type", "application/json")], archive.cdx(parse_qs(parts.query)))
                if parts.path.startswith("/web/"):
                    stamp, _, url = self.path[len("/web/") :].partition("/")
                    return archive.replay(self, stamp[:14], url)
                self.send(404, [], b"")

            def send(self, status, headers, body):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @staticmethod
    def stamp(date: str) -> str:
        return date.replace("-", "").replace(":", "").replace("T", "").rstrip("Z")

    def cdx(self, query: dict) -> bytes:
        from warcio.utils import Digester

        wanted = query["url"][0]
        rows = [["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]]
        for shot in self.shots:
            bare = shot.url.split("://", 1)[1]
            if bare.startswith(wanted) if query.get("matchType") == ["prefix"] else bare == wanted:
                digest = Digester("sha1")
                digest.update(shot.body)
                rows.append(
                    [
                        "kr,go,mofa)",
                        self.stamp(shot.date),
                        shot.url,
                        "text/html",
                        str(shot.status),
                        str(digest).split(":", 1)[1],
                        str(len(shot.body)),
                    ]
                )
        return json.dumps(rows).encode()

    def replay(self, handler, stamp: str, url: str) -> None:
        if stamp in self.unavailable:
            return handler.send(503, [("Retry-After", "60")], b"Service Unavailable")
        shot = next(shot for shot in self.shots if shot.url == url and self.stamp(shot.date) == stamp)
        headers = [(f"x-archive-orig-{name}", value) for name, value in shot.headers]
        headers += [(name, value) for name, value in shot.headers if name.lower() == "content-type"]
        location = dict((name.lower(), value) for name, value in shot.headers).get("location")
        if location:  # the Wayback Machine points a redirect at its own copy
            headers.append(("Location", f"{self.url}/web/{stamp}/{location}"))
        handler.send(shot.status, headers, shot.body)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def internet_archive():
    archive = InternetArchive()
    yield archive
    archive.close()


def test_the_internet_archive_s_answers_build_the_same_history(internet_archive, db, tmp_path):
    cdx = internet_archive.url + "/cdx/search/cdx"
    result = run_presswatch("backfill", "mofa_en", "--cdx", cdx, "--db", db, env={"PRESSWATCH_DOWNLOAD_DELAY": "0.2"})
    assert result.returncode == 0, result.stderr
    assert "imported 10 captures (1 changed, 1 error, 2 listed, 3 new, 1 removed, 2 unchanged)" in result.stdout
    warc = write_warc(tmp_path / "same.warc.gz", internet_archive.shots)
    imported = str(tmp_path / "imported.db")
    assert run_presswatch("import", "warc", str(warc), "--site", "mofa_en", "--db", imported).returncode == 0
    ours, theirs = state(db), state(imported)
    assert ours["versions"] == theirs["versions"] and ours["events"] == theirs["events"]
    assert ours["fetches"] == theirs["fetches"] and ours["listings"] == theirs["listings"]
    # Politely: robots.txt first, one request at a time, the delay between them.
    paths = [path for _, path in internet_archive.log]
    assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
    assert internet_archive.most_in_flight == 1
    assert spacing_problem([at for at, _ in internet_archive.log], 0.2) is None


def test_an_archive_s_robots_txt_is_obeyed(db):
    archive = InternetArchive(robots="User-agent: *\nDisallow: /web/\n")
    try:
        result = run_presswatch("backfill", "mofa_en", "--cdx", archive.url + "/cdx/search/cdx", "--db", db)
    finally:
        archive.close()
    assert result.returncode == 1
    assert "robots.txt does not allow presswatch to fetch" in result.stderr
    assert not [path for _, path in archive.log if path.startswith("/web/")]


def test_an_archive_that_fails_half_way_is_gone_on_from_next_time(internet_archive, db):
    internet_archive.unavailable.add("20241201000000")
    cdx = internet_archive.url + "/cdx/search/cdx"
    result = run_presswatch("backfill", "mofa_en", "--cdx", cdx, "--db", db)
    assert (
        result.returncode == 1 and "answered HTTP 503" in result.stderr and "goes on where it stopped" in result.stderr
    )
    internet_archive.unavailable.clear()
    internet_archive.log.clear()
    again = run_presswatch("backfill", "mofa_en", "--cdx", cdx, "--db", db)
    assert again.returncode == 0 and "imported 4 captures" in again.stdout and "6 held already" in again.stdout
    fetched = [path for _, path in internet_archive.log if path.startswith("/web/")]
    assert len(fetched) == 4 and all(path.startswith(("/web/2024120", "/web/2025")) for path in fetched)
