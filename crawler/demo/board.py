"""A local stand-in for the MOFA English press-release board.

It renders the board's list and release pages in either of the site's two
layouts, with the real site's habits: a 307 cookie dance on the first visit,
hit counters that tick on every view, prev/next links with the neighbours'
titles.  The demo crawls it, and the tests drive it: ``PUT /_state`` replaces
the board, ``GET /_log`` returns the requests it has served since.

Run it alone with ``python -m crawler.demo.board [STATE.json]``; it prints
its base URL on the first line of output.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

BOARD = "/eng/brd/m_5676"
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


def render_list(state: dict, page: int) -> str:
    per_page = state["per_page"]
    listed = state["releases"]
    rows = []
    for number, release in enumerate(listed[(page - 1) * per_page : page * per_page]):
        seq = release["seq"]
        if number % 2:
            link = f'<a href="#" onclick="f_view(\'{seq}\');return false;">'
        else:
            link = f'<a href="./view.do?seq={seq}&amp;page={page}&amp;srchFr=&amp;srchTo=&amp;srchWord=">'
        rows.append(
            f"<tr><td>{escape(str(seq))}</td><td class='left'>{link}{escape(release['title'])}</a></td>"
            f"<td>{escape(release['date'][:10])}</td><td>{release.get('hits', 0)}</td></tr>"
        )
    return _page(
        state,
        "Press Releases",
        "<table class='board_list'><caption>Press Releases list</caption>"
        "<thead><tr><th>No.</th><th>Title</th><th>Date</th><th>Hit</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<div class='paging'><a href='list.do?page={page + 1}'>Next page</a></div>",
    )


def render_release(state: dict, index: int, release: dict) -> str:
    releases = state["releases"]
    newer = releases[index - 1]["title"] if index > 0 else "There is no next post."
    older = releases[index + 1]["title"] if index + 1 < len(releases) else "There is no previous post."
    title = escape(release["title"])
    files = "".join(
        f"<li><a href='{BOARD}/down.do?brd_id=5676&amp;seq={release['seq']}&amp;file_seq={n}'>"
        f"{escape(a['name'])}</a> <a href='#' class='preview'>Preview</a></li>"
        for n, a in enumerate(release.get("attachments", []), start=1)
    )
    if state["layout"] == "old":
        head = (
            f"<h2>{title}</h2><div class='bo_head'><ul>"
            f"<li>Date : {escape(release['date'])}</li><li>Hit : {release.get('hits', 0)}</li></ul></div>"
        )
        body = "".join(f"<p>{escape(p)}</p>" for p in release["paragraphs"])
    else:
        head = (
            f"<div class='bo_head'><h2 class='tit'>{title}</h2><dl>"
            f"<dt>Date</dt><dd>{escape(release['date'][:10])}</dd>"
            f"<dt>hit</dt><dd>{release.get('hits', 0)}</dd></dl></div>"
        )
        body = "<div>" + "<br>\n<br>&nbsp;".join(
            escape(p).replace(" ", "  ", 1) for p in release["paragraphs"]
        ) + "</div>"
    detail = (
        "<p class='blind'>Press Releases 상세보기</p>"
        f"<div class='board_detail'>{head}<div class='bo_con'>{body}</div>"
        + (f"<ul class='bo_file'>{files}</ul>" if files else "")
        + "<table class='bo_nav'>"
        f"<tr><th>Next</th><td class='bro_link'><a href='#'>{escape(newer)}</a></td></tr>"
        f"<tr><th>Previous</th><td class='bro_link'><a href='#'>{escape(older)}</a></td></tr>"
        "</table><div class='btn_area'><a href='list.do'>List</a></div></div>"
    )
    return _page(state, "Press Releases", detail)


def _menu(state: dict) -> str:
    return "".join(
        f"<li><a href='/eng/wpge/m_{5400 + n}/contents.do' title='Section {n}'>Section {n} of the ministry</a></li>"
        for n in range(state["menu_items"])
    )


def _page(state: dict, heading: str, content: str) -> str:
    if state["layout"] == "old":
        return (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<title>Ministry of Foreign Affairs</title></head><body>"
            "<div id='skip'><a href='#content'>Skip navigation</a></div>"
            "<div id='header'><ul id='gnb'><li><a href='/eng/nation/m_4902/list.do'>Countries Information</a></li>"
            "<li><a href='/eng/wpge/m_5410/contents.do'>Press</a></li>" + _menu(state) + "</ul></div>"
            "<div class='location'><ol><li>HOME</li><li>Press</li><li>Press Releases</li></ol></div>"
            f"<div id='content'><h3 class='sub_tit'>{heading}</h3>{content}</div>"
            "<div id='footer'><address>60, Sajik-ro 8-gil, Jongno-gu, Seoul</address>"
            f"<p>Visitors today: {int(time.time()) % 9973}</p></div></body></html>"
        )
    return (
        "<!DOCTYPE html><html lang='ko'><head><meta charset='UTF-8'>"
        "<meta name='viewport' content='width=device-width'><title>MOFA</title></head><body>"
        "<ul class='skipnav'><li><a href='#gnb'>바로가기 메뉴</a></li><li><a href='#contents'>본문 바로가기</a></li>"
        "<li><a href='#gnb'>주메뉴 바로가기</a></li><li><button type='button'>검색창 열기</button></li></ul>"
        "<header class='header'><nav id='gnb'><ul><li><a href='/eng/index.do'>Ministry</a></li>"
        "<li><a href='/eng/wpge/m_5410/contents.do'>Press &amp; Media</a></li><li>Policy</li>"
        + _menu(state) + "</ul></nav></header>"
        "<main id='contents'><div class='sub_visual'><h2 class='board_tit'>Press Releases</h2>"
        "<ul class='breadcrumb'><li>Home</li><li>Press &amp; Media</li><li>Press Releases</li></ul></div>"
        f"{content}</main>"
        "<footer class='footer'><p>Copyright (c) Ministry of Foreign Affairs. All rights reserved.</p>"
        "<button class='top'>TOP</button></footer></body></html>"
    )


class Handler(BaseHTTPRequestHandler):
    server: "BoardServer"
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
            if state["cookie_dance"] and "JSESSIONID" not in self.headers.get("Cookie", ""):
                token = hashlib.sha1(str(time.time()).encode()).hexdigest()[:16]
                return self.send(
                    307, "", "text/html",
                    {"Location": self.path, "Set-Cookie": f"JSESSIONID={token}; Path=/"},
                )
            if url.path == f"{BOARD}/list.do":
                page = int(query.get("page", ["1"])[0])
                status = state.get("list_status", {}).get(str(page), 200)
                return self.send(status, render_list(state, page) if status == 200 else "Error")
            found = board.release(query.get("seq", [""])[0])
        if url.path == f"{BOARD}/view.do" and found is not None:
            time.sleep(found[1].get("delay", 0))  # outside the lock: others go on
            with board.lock:
                return self.release_page(board.state, *found)
        self.send(404, "<html><body><p>The post does not exist.</p></body></html>")

    def request_summary(self) -> dict:
        return {
            "path": self.path,
            "user_agent": self.headers.get("User-Agent"),
            "if_none_match": self.headers.get("If-None-Match"),
            "if_modified_since": self.headers.get("If-Modified-Since"),
        }

    def release_page(self, state: dict, index: int, release: dict) -> None:
        status = release.get("status", 200)
        if status == "maintenance":
            return self.send(200, "<html><body><h1>System maintenance</h1>"
                             "<p>We will be back shortly.</p></body></html>")
        if status == "redirect_list":
            return self.send(302, "", "text/html", {"Location": f"{BOARD}/list.do"})
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
        self.send(200, html, "text/html; charset=utf-8", headers)

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.server.board.replace(json.loads(self.rfile.read(length)))
        self.send(204, "")

    def send(self, status: int, body: str, content_type: str = "text/html; charset=utf-8",
             headers: dict | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data) if status != 304 else 0))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if status != 304:
            self.wfile.write(data)


class BoardServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # Crawlers that time out hang up mid-response; that is not news.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def __init__(self, board: Board, port: int = 0):
        super().__init__(("127.0.0.1", port), Handler)
        self.board = board

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def serve_in_thread(board: Board, port: int = 0) -> BoardServer:
    server = BoardServer(board, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    state = json.loads(open(sys.argv[1]).read()) if len(sys.argv) > 1 else None
    server = BoardServer(Board(state))
    print(server.base_url, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
