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

import gzip
import hashlib
import json
import sys
import threading
import random
import time
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from functools import lru_cache
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

BOARD = "/eng/brd/m_5676"
# Where each layout's board lives: the English board's two layouts, the
# Korean-language board, and a profile-less "generic" ministry site.
BOARD_PATHS = {"old": BOARD, "new": BOARD, "ko": "/www/brd/m_4080", "generic": "/news/press"}
KO_LABELS = {"date": "작성일", "dept": "담당부서", "hit": "조회수", "prev": "이전글", "next": "다음글"}
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
    if state["layout"] == "generic":
        link = "https://elsewhere.example/press/{seq}" if state.get("offsite") else "view.do?seq={seq}&amp;utm_source=list"
        items = "".join(
            f"<li><a href='{link.format(seq=r['seq'])}'>{escape(r['title'])}</a> "
            f"<time>{escape(r['date'][:10])}</time></li>"
            for r in listed[(page - 1) * per_page : page * per_page]
        )
        return _page(state, "Press centre", f"<ul class='press-list'>{items}</ul>")
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
    if state["layout"] == "generic":
        return _generic_release(state, release, newer, older)
    board = BOARD_PATHS[state["layout"]]
    files = "".join(
        f"<li><a href='{board}/down.do?brd_id=5676&amp;seq={release['seq']}&amp;file_seq={n}'>"
        f"{escape(a['name'])}</a> <a href='#' class='preview'>Preview</a></li>"
        for n, a in enumerate(release.get("attachments", []), start=1)
    )
    if state["layout"] == "old":
        head = (
            f"<h2>{title}</h2><div class='bo_head'><ul>"
            f"<li>Date : {escape(release['date'])}</li><li>Hit : {release.get('hits', 0)}</li></ul></div>"
        )
        body = "".join(f"<p>{escape(p)}</p>" for p in release["paragraphs"])
    elif state["layout"] == "ko":
        head = (
            f"<div class='bo_head'><h2>{title}</h2><ul>"
            f"<li><span>{KO_LABELS['date']}</span> {escape(release['date'][:16])}</li>"
            f"<li><span>{KO_LABELS['dept']}</span> {escape(release.get('dept', '북미국'))}</li>"
            f"<li><span>{KO_LABELS['hit']}</span> {release.get('hits', 0)}</li></ul></div>"
        )
        body = "".join(f"<p>{escape(p)}</p>" for p in release["paragraphs"])
        newer, older = f"{KO_LABELS['next']} {newer}", f"{KO_LABELS['prev']} {older}"
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


def render_feed(state: dict, board_path: str) -> str:
    """RSS 2.0 of the newest releases, as many ministries publish."""
    items = "".join(
        f"<item><title>{escape(r['title'])}</title><link>{board_path}/view.do?seq={r['seq']}&amp;utm_medium=rss</link>"
        f"<pubDate>{formatdate(datetime.fromisoformat(r['date'][:10]).timestamp(), usegmt=True)}</pubDate></item>"
        for r in state["releases"][:20]
    )
    return f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Press</title>{items}</channel></rss>"


def render_sitemap(state: dict, board_path: str) -> str:
    urls = "".join(
        f"<url><loc>{board_path}/view.do?seq={r['seq']}</loc><lastmod>{r['date'][:10]}</lastmod></url>"
        for r in state["releases"]
    )
    return f"<?xml version='1.0' encoding='utf-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>"


def _generic_release(state: dict, release: dict, newer: str, older: str) -> str:
    """An HTML5 ministry template unlike MOFA's: article, aside, share bar."""
    others = [r["title"] for r in state["releases"] if r is not release]
    rotation = random.Random(f"{state.get('rotation', 0)}:{release['seq']}")
    related = "".join(f"<li><a href='#'>{escape(t)}</a></li>" for t in rotation.sample(others, min(3, len(others))))
    trending = "".join(f"<li>{escape(t)}</li>" for t in TRENDING[state.get("rotation", 0) % 3])
    article = (
        f"<article class='press'><header><h1 class='press-title'>{escape(release['title'])}</h1>"
        f"<p class='meta'>Published <time>{escape(release['date'][:10])}</time> · {release.get('hits', 0)} views</p>"
        "<div class='share'><a href='#'>Share on social media</a> <a href='#'>Print this page</a></div></header>"
        "<div class='press-body'>" + "".join(f"<p>{escape(p)}</p>" for p in release["paragraphs"]) + "</div>"
        f"<nav class='pager'><a class='prev' href='#'>{escape(older)}</a> <a class='next' href='#'>{escape(newer)}</a></nav>"
        "</article>"
        f"<aside class='related'><h2>Related releases</h2><ul>{related}</ul></aside>"
        f"<aside class='trending'><h2>Trending now</h2><ul>{trending}</ul></aside>"
    )
    return _page(state, "Press centre", article)


# "Trending" boxes rotate between crawls (state["rotation"]), unlike menus.
TRENDING = (
    ("Visa information for travellers", "Embassy opening hours during holidays"),
    ("Scholarship programme opens applications", "Passport renewal made simpler"),
    ("Consular alerts for the monsoon season", "Cultural festival this weekend"),
)


def _menu(state: dict) -> str:
    return "".join(
        f"<li><a href='/eng/wpge/m_{5400 + n}/contents.do' title='Section {n}'>Section {n} of the ministry</a></li>"
        for n in range(state["menu_items"])
    )


def _page(state: dict, heading: str, content: str) -> str:
    meta = state.get("meta_charset", state.get("charset", "utf-8"))
    meta = f"<meta http-equiv='Content-Type' content='text/html; charset={meta}'>" if meta else ""
    if state["layout"] == "ko":
        return (
            f"<!DOCTYPE html><html lang='ko'><head>{meta}<title>외교부</title></head><body>"
            "<div id='skip'><a href='#contents'>본문 바로가기</a></div>"
            "<div id='header'><ul id='gnb'><li>외교부</li><li>알림·소식</li><li>정책정보</li>" + _menu(state) + "</ul></div>"
            "<div id='lnb'><h2>좌측 메뉴</h2><ul><li>보도자료</li><li>브리핑</li><li>공지사항</li></ul></div>"
            "<div class='location'><ol><li>홈</li><li>알림·소식</li><li>보도자료</li></ol></div>"
            f"<div id='contents'><h3 class='sub_tit'>보도자료</h3>{content.replace('>List<', '>목록<')}</div>"
            "<div id='footer'><address>03172 서울특별시 종로구 사직로8길 60 외교부</address></div></body></html>"
        )
    if state["layout"] == "generic":
        return (
            f"<!DOCTYPE html><html lang='en'><head>{meta}<title>{heading} | Ministry of Examples</title></head><body>"
            "<a class='skip' href='#main'>Skip to main content</a>"
            "<header class='site'><div class='brand'>Ministry of Examples</div><nav><ul>"
            "<li><a href='/'>Home</a></li><li><a href='/news/press/list.do'>Press centre</a></li>"
            "<li><a href='/about'>About the ministry</a></li></ul></nav></header>"
            f"<div class='cookie-banner'>We use cookies to improve this site. <a href='#'>Accept</a></div>"
            f"<main id='main'><ol class='crumbs'><li>Home</li><li>{heading}</li></ol>{content}</main>"
            "<footer class='site'><p>Ministry of Examples, 1 Example Square</p><p>Contact us · Accessibility</p></footer>"
            "</body></html>"
        )
    if state["layout"] == "old":
        return (
            f"<!DOCTYPE html><html lang='en'><head>{meta}"
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
        f"<!DOCTYPE html><html lang='ko'><head>{meta}"
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
            # "always": a broken server that never accepts its own cookie.
            dance = state["cookie_dance"]
            if dance and (dance == "always" or "JSESSIONID" not in self.headers.get("Cookie", "")):
                token = hashlib.sha1(str(time.time()).encode()).hexdigest()[:16]
                return self.send(
                    307, "", "text/html",
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

    def request_summary(self) -> dict:
        return {
            "path": self.path,
            "user_agent": self.headers.get("User-Agent"),
            "if_none_match": self.headers.get("If-None-Match"),
            "if_modified_since": self.headers.get("If-Modified-Since"),
        }

    def release_page(self, state: dict, index: int, release: dict) -> None:
        status = release.get("status", 200)
        if release.get("fail_times", 0) > 0:  # 503 a few times, then recover
            release["fail_times"] -= 1
            status = 503
        if status in MISBEHAVIOURS:
            return MISBEHAVIOURS[status](self, state, release)
        if status == "maintenance":
            return self.send(200, "<html><body><h1>System maintenance</h1>"
                             "<p>We will be back shortly.</p></body></html>")
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

    def send(self, status: int, body: str | bytes, content_type: str = "text/html; charset=utf-8",
             headers: dict | None = None, encoding: str = "utf-8") -> None:
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
    "reset": _reset, "redirect_loop": _redirect_loop, "binary": _binary, "huge": _huge,
    "gzip_bomb": _gzip_bomb, "truncated": _truncated, "empty": _empty,
}


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
