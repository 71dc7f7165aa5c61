"""The pages of the local board, as the real sites render them.

Four layouts: MOFA's English board before and after its redesign, the
Korean-language board, and an HTML5 ministry site with rotating boxes (for
profile-less extraction).  Plus the RSS feed and sitemap some sites offer.
"""

from __future__ import annotations

import random
import time
from datetime import datetime
from email.utils import formatdate
from html import escape

BOARD = "/eng/brd/m_5676"
# Where each layout's board lives: the English board's two layouts, the
# Korean-language board, and a profile-less "generic" ministry site.
BOARD_PATHS = {"old": BOARD, "new": BOARD, "ko": "/www/brd/m_4080", "generic": "/news/press"}
KO_LABELS = {"date": "작성일", "dept": "담당부서", "hit": "조회수", "prev": "이전글", "next": "다음글"}


def listed_releases(state: dict) -> list[dict]:
    """The releases the list shows: one can be withdrawn from the list while
    its page still answers."""
    return [r for r in state["releases"] if not r.get("unlisted")]


def render_list(state: dict, page: int, listed: list[dict] | None = None) -> str:
    per_page = state["per_page"]
    listed = listed_releases(state) if listed is None else listed
    # The list may give a release another title than its page does.
    on_page = [dict(r, title=r.get("list_title", r["title"])) for r in listed[(page - 1) * per_page : page * per_page]]
    if state["layout"] == "generic":
        link = (
            "https://elsewhere.example/press/{seq}" if state.get("offsite") else "view.do?seq={seq}&amp;utm_source=list"
        )
        items = "".join(
            f"<li><a href='{link.format(seq=r['seq'])}'>{escape(r['title'])}</a> "
            f"<time>{escape(r['date'][:10])}</time></li>"
            for r in on_page
        )
        return _page(state, "Press centre", f"<ul class='press-list'>{items}</ul>")
    rows = []
    for number, release in enumerate(on_page):
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
        body = (
            "<div>" + "<br>\n<br>&nbsp;".join(escape(p).replace(" ", "  ", 1) for p in release["paragraphs"]) + "</div>"
        )
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
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Press</title>{items}</channel></rss>"
    )


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
    # links signed afresh on every view, as a bucket's expiring links are
    signed = f"?X-Amz-Expires=300&amp;X-Amz-Signature={release.get('hits', 0):08x}" if state.get("signed_files") else ""
    # a download box outside the body, as many boards have
    downloads = "".join(
        f"<ul class='downloads'><li><a href='/files/{release['seq']}-{n}.pdf{signed}'>{escape(a['name'])}</a></li></ul>"
        for n, a in enumerate(release.get("attachments", []), start=1)
    )
    # what an old release comes to show ("This news release is more than two years old.")
    notice = f"<div class='notice'><p>{escape(release['notice'])}</p></div>" if release.get("notice") else ""
    canonical = release.get("canonical")  # the URL the page names as its own, if another
    link = f"<link rel='canonical' href='{BOARD_PATHS['generic']}/view.do?seq={canonical}'>" if canonical else ""
    article = (
        f"<article class='press'><header><h1 class='press-title'>{escape(release['title'])}</h1>"
        f"<p class='meta'>Published <time>{escape(release['date'][:10])}</time> · {release.get('hits', 0)} views</p>"
        "<div class='share'><a href='#'>Share on social media</a> <a href='#'>Print this page</a></div></header>"
        + notice
        + "<div class='press-body'>"
        + "".join(f"<p>{escape(p)}</p>" for p in release["paragraphs"])
        + (f"<p>{escape(release['stamp'])}</p>" if release.get("stamp") else "")  # "Last updated: …" at the end
        + "</div>"
        + downloads
        + f"<nav class='pager'><a class='prev' href='#'>{escape(older)}</a> <a class='next' href='#'>{escape(newer)}</a></nav>"
        "</article>"
        f"<aside class='related'><h2>Related releases</h2><ul>{related}</ul></aside>"
        f"<aside class='trending'><h2>Trending now</h2><ul>{trending}</ul></aside>"
    )
    return _page(state, "Press centre", article, head=link)


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


def _page(state: dict, heading: str, content: str, head: str = "") -> str:
    meta = state.get("meta_charset", state.get("charset", "utf-8"))
    meta = f"<meta http-equiv='Content-Type' content='text/html; charset={meta}'>" if meta else ""
    if state["layout"] == "ko":
        return (
            f"<!DOCTYPE html><html lang='ko'><head>{meta}<title>외교부</title></head><body>"
            "<div id='skip'><a href='#contents'>본문 바로가기</a></div>"
            "<div id='header'><ul id='gnb'><li>외교부</li><li>알림·소식</li><li>정책정보</li>"
            + _menu(state)
            + "</ul></div>"
            "<div id='lnb'><h2>좌측 메뉴</h2><ul><li>보도자료</li><li>브리핑</li><li>공지사항</li></ul></div>"
            "<div class='location'><ol><li>홈</li><li>알림·소식</li><li>보도자료</li></ol></div>"
            f"<div id='contents'><h3 class='sub_tit'>보도자료</h3>{content.replace('>List<', '>목록<')}</div>"
            "<div id='footer'><address>03172 서울특별시 종로구 사직로8길 60 외교부</address></div></body></html>"
        )
    if state["layout"] == "generic":
        return (
            f"<!DOCTYPE html><html lang='en'><head>{meta}<title>{heading} | Ministry of Examples</title>{head}</head><body>"
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
        + _menu(state)
        + "</ul></nav></header>"
        "<main id='contents'><div class='sub_visual'><h2 class='board_tit'>Press Releases</h2>"
        "<ul class='breadcrumb'><li>Home</li><li>Press &amp; Media</li><li>Press Releases</li></ul></div>"
        f"{content}</main>"
        "<footer class='footer'><p>Copyright (c) Ministry of Foreign Affairs. All rights reserved.</p>"
        "<button class='top'>TOP</button></footer></body></html>"
    )
