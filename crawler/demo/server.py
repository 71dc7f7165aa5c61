"""A local stand-in for the MOFA English press-release board.

It renders the board's list and release pages in either of the site's two
layouts, with the real site's habits: a 307 cookie dance on the first visit,
hit counters that tick on every view, prev/next links with the neighbours'
titles.  The demo crawls it, and the tests drive it: ``PUT /_state`` replaces
the board, ``GET /_log`` returns the requests it has served since.

Run it alone with ``python -m crawler.demo.server [STATE.json]``; it prints
its base URL on the first line of output.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from functools import lru_cache
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

from crawler.demo.markup import BOARD_PATHS, render_feed, render_list, render_release, render_sitemap

SAMPLE = "sample.json"


def sample_state() -> dict:
    return json.loads((resources.files("crawler.demo") / SAMPLE).read_text("utf-8"))


def days_ago(days: int) -> str:
    """A board date-time ``days`` before now, in Korea Standard Time."""
    kst = datetime.now(timezone(timedelta(hours=9))) - timedelta(days=days)
    return kst.strftime("%Y-%m-%d 10:00:00")


class Board:
    """The board's state and how it renders; thread-safe."""

    def __init__(self, state: dict | None = None):
        self.lock = threading.Lock()
        self.log: list[dict] = []
        self.replace(state or sample_state())

    def replace(self, state: dict) -> None:
        with self.lock:
            self.state = {
                "layout": "old",
                "cookie_dance": True,
                "validators": False,
                "per_page": 10,
                "robots": "User-agent: *\nDisallow: /eng/private/\n",
                "menu_items": 0,  # extra menu links: pads pages to a real page's weight
                "log": True,
                **state,
            }
            for release in self.state["releases"]:
                if "days_ago" in release:  # keeps sample boards inside the revisit window
                    release["date"] = days_ago(release.pop("days_ago"))
            self.index = {str(r["seq"]): i for i, r in enumerate(self.state["releases"])}
            self.log = []

    def release(self, seq: str) -> tuple[int, dict] | None:
        index = self.index.get(seq)
        return None if index is None else (index, self.state["releases"][index])


class Handler(BaseHTTPRequestHandler):
    server: BoardServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # the request log is /_log
        pass

    def do_GET(self) -> None:
        board = self.server.board
        url = urlsplit(self.path)
        found = None
        query = parse_qs(url.query)
        if url.path == "/_log":
            with board.lock:
                return self.send(200, json.dumps(board.log), "application/json")
        if url.path == "/_state":
            with board.lock:
                return self.send(200, json.dumps(board.state), "application/json")
        with board.lock:
            if board.state["log"]:
                board.log.append(self.request_summary())
            state = board.state
            if url.path == "/robots.txt":
                return self.send(200, state["robots"], "text/plain")
            # "always": a broken server that never accepts its own cookie.
            dance = state["cookie_dance"]
            if dance and (dance == "always" or "JSESSIONID" not in self.headers.get("Cookie", "")):
                token = hashlib.sha1(str(time.time()).encode()).hexdigest()[:16]
                return self.send(
                    307,
                    "",
                    "text/html",
                    {"Location": self.path, "Set-Cookie": f"JSESSIONID={token}; Path=/"},
                )
            board_path = BOARD_PATHS[state["layout"]]
            if url.path in (f"{board_path}/rss.xml", f"{board_path}/sitemap.xml"):
                feed = render_feed if url.path.endswith("rss.xml") else render_sitemap
                return self.send(200, feed(state, board_path), "application/xml; charset=utf-8")
            if url.path == f"{board_path}/list.do":
                page = int(query.get("page", ["1"])[0])
                status = state.get("list_status", {}).get(str(page), 200)
                if status != 200:
                    return self.send(status, "Error")
                return self.page(state, render_list(state, page))
            found = board.release(query.get("seq", [""])[0])
        if url.path == f"{board_path}/view.do" and found is not None:
            time.sleep(found[1].get("delay", 0))  # outside the lock: others go on
            with board.lock:
                return self.release_page(board.state, *found)
        self.send(404, "<html><body><p>The post does not exist.</p></body></html>")

    @property
    def url(self) -> str:
        """The URL this request asked for, as an absolute URL on this server."""
        return self.server.base_url + self.path

    def request_summary(self) -> dict:
        return {
            "at": time.time(),
            "path": self.path,
            "user_agent": self.headers.get("User-Agent"),
            "if_none_match": self.headers.get("If-None-Match"),
            "if_modified_since": self.headers.get("If-Modified-Since"),
            "cookie": self.headers.get("Cookie"),
        }

    def release_page(self, state: dict, index: int, release: dict) -> None:
        status = release.get("status", 200)
        if release.get("fail_times", 0) > 0:  # 503 a few times, then recover
            release["fail_times"] -= 1
            status = 503
        if status in MISBEHAVIOURS:
            return MISBEHAVIOURS[status](self, state, release)
        if status == "maintenance":
            return self.send(
                200, "<html><body><h1>System maintenance</h1><p>We will be back shortly.</p></body></html>"
            )
        if status in (301, 308) and release.get("moved_to"):  # the release lives at another URL now
            location = f"{BOARD_PATHS[state['layout']]}/view.do?seq={release['moved_to']}"
            return self.send(status, "", "text/html", {"Location": location})
        target = release.get("location")  # any URL, on this board or another host
        if target and target not in (self.path, self.url):  # once there, the page is served
            if status == "refresh":
                return self.send(
                    200,
                    f'<html><head><meta http-equiv="refresh" content="0; url={escape(target)}">'
                    "</head><body><p>This page has moved.</p></body></html>",
                )
            return self.send(status, "", "text/html", {"Location": target})
        if target or status == "refresh":
            status = 200
        if status == "redirect_list":
            return self.send(302, "", "text/html", {"Location": f"{BOARD_PATHS[state['layout']]}/list.do"})
        if status != 200:
            return self.send(status, f"<html><body>Error {status}</body></html>")
        release["hits"] = release.get("hits", 0) + 1  # every view ticks the counter
        html = render_release(state, index, release)
        headers = {}
        if state["validators"]:
            content = json.dumps([state["layout"], {k: v for k, v in release.items() if k != "hits"}])
            etag = '"' + hashlib.sha1(content.encode()).hexdigest()[:20] + '"'
            headers = {"ETag": etag, "Last-Modified": formatdate(release.get("modified", 1500000000), usegmt=True)}
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, "", "text/html", headers)
        self.page(state, html, headers, corrupt=release.get("corrupt", False))

    def page(self, state: dict, html: str, headers: dict | None = None, corrupt: bool = False) -> None:
        """An HTML page in the board's charset, labelled as the board labels it;
        ``corrupt`` slips in bytes that no charset decodes."""
        charset = state.get("charset", "utf-8")
        label = state.get("header_charset", charset)
        content_type = f"text/html; charset={label}" if label else "text/html"
        data = html.encode(charset)
        if corrupt:
            data = data.replace(b"</p>", b"\x80\xff</p>", 1)
        self.send(200, data, content_type, headers)

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.server.board.replace(json.loads(self.rfile.read(length)))
        self.send(204, "")

    def send(
        self,
        status: int,
        body: str | bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict | None = None,
        encoding: str = "utf-8",
    ) -> None:
        data = body if isinstance(body, bytes) else body.encode(encoding)
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data) if status != 304 else 0))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if status != 304:
            self.wfile.write(data)


def _reset(handler, state, release) -> None:
    handler.close_connection = True
    handler.connection.shutdown(2)  # hang up without a word


def _redirect_loop(handler, state, release) -> None:
    handler.send(302, "", "text/html", {"Location": handler.path})


def _binary(handler, state, release) -> None:
    handler.send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" + bytes(range(256)) * 40, "text/html")


def _huge(handler, state, release) -> None:
    """A 20 MB page."""
    page = render_release(state, 0, release).encode()
    handler.send(200, page.replace(b"<body>", b"<body>" + b"<p>padding</p>" * 1_500_000, 1), "text/html; charset=utf-8")


@lru_cache(maxsize=1)
def _bomb() -> bytes:
    return gzip.compress(b"<html><body><p>" + b"A" * (64 * 1024 * 1024), compresslevel=9)


def _gzip_bomb(handler, state, release) -> None:
    """64 MB of page in 64 KB of gzip."""
    handler.send(200, _bomb(), "text/html; charset=utf-8", {"Content-Encoding": "gzip"})


def _truncated(handler, state, release) -> None:
    page = render_release(state, 0, release).encode()
    handler.send(200, page[: len(page) * 2 // 3], "text/html; charset=utf-8")


def _empty(handler, state, release) -> None:
    handler.send(200, b"", "text/html; charset=utf-8")


# Release "status" values that make the board misbehave as real servers do.
MISBEHAVIOURS = {
    "reset": _reset,
    "redirect_loop": _redirect_loop,
    "binary": _binary,
    "huge": _huge,
    "gzip_bomb": _gzip_bomb,
    "truncated": _truncated,
    "empty": _empty,
}


class BoardServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # Crawlers that time out hang up mid-response; that is not news.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def __init__(self, board: Board, port: int = 0, host: str = "127.0.0.1"):
        super().__init__((host, port), Handler)
        self.board = board
        self.host = host

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.server_address[1]}"


def serve_in_thread(board: Board, port: int = 0, host: str = "127.0.0.1") -> BoardServer:
    server = BoardServer(board, port, host)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    state = json.loads(open(sys.argv[1]).read()) if len(sys.argv) > 1 else None
    server = BoardServer(Board(state))
    print(server.base_url, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
