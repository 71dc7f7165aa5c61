"""WARC files of a board's past, written with warcio as web archives write
them: the captures the backfill tests import and a real pywb serves."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.demo.markup import render_list, render_release
from crawler.demo.server import Board

SITE = "https://www.mofa.go.kr"
VIEW = SITE + "/eng/brd/m_5676/view.do?seq="
LIST = SITE + "/eng/brd/m_5676/list.do?page=1"
MAINTENANCE = (
    b"<!DOCTYPE html><html><head><title>Ministry of Foreign Affairs</title></head><body>"
    b"<div id='content'><p>The site is under maintenance until 06:00. We apologise.</p></div></body></html>"
)


@dataclass(frozen=True)
class Shot:
    """One capture: URL, WARC date, status, body, extra headers."""

    url: str
    date: str  # 2024-03-01T00:00:00Z
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


def release(seq: int, date: str, paragraphs: list[str], **fields) -> dict:
    return {
        "seq": seq,
        "title": f"Release {seq} on bilateral cooperation",
        "date": date,
        "hits": 10,
        "paragraphs": paragraphs,
        **fields,
    }


def page(one: dict, neighbours: tuple[str, str] = ("Newer release", "Older release")) -> bytes:
    """A release page as the board renders it (old layout), between two neighbours."""
    board = Board(
        {"releases": [{**one, "seq": 1, "title": neighbours[0]}, one, {**one, "seq": 2, "title": neighbours[1]}]}
    )
    return render_release(board.state, 1, board.state["releases"][1]).encode()


def list_page(releases: list[dict]) -> bytes:
    board = Board({"releases": releases})
    return render_list(board.state, 1).encode()


FIRST = ["1. Paragraph one of release 500, on cooperation.", "2. The two sides agreed to meet again next year."]
EDITED = [FIRST[0], "2. The two sides agreed to meet again in Manila next spring."]


def history() -> list[Shot]:
    """Two years of a board in a web archive: release 500 captured three
    times (the second a chrome-only change, the third a real edit) and once
    during maintenance; release 501 captured as a 302 to its new slug;
    release 502 captured live, then 404; the list before and after 502 and
    503 left it; and another host's copy of release 500."""
    r500 = release(500, "2024-02-28 10:00:00", FIRST)
    r501 = release(501, "2024-04-20 10:00:00", ["1. Release 501 text.", "2. More of it."])
    r502 = release(502, "2024-03-10 10:00:00", ["1. Release 502 text.", "2. Withdrawn later."])
    r503 = release(503, "2024-03-05 10:00:00", ["1. Release 503 text."])
    html = ("Content-Type", "text/html; charset=utf-8")
    return [
        Shot(LIST, "2024-03-11T00:00:00Z", body=list_page([r500, r501, r502, r503]), headers=(html,)),
        Shot(VIEW + "500", "2024-03-01T00:00:00Z", body=page(r500), headers=(html,)),
        Shot(VIEW + "502", "2024-03-12T00:00:00Z", body=page(r502), headers=(html,)),
        Shot(VIEW + "501", "2024-05-01T00:00:00Z", 302, headers=(("Location", VIEW + "501&title=new-slug"),)),
        Shot(VIEW + "501&title=new-slug", "2024-05-01T00:00:03Z", body=page(r501), headers=(html,)),
        # chrome only: another hit count, other neighbours
        Shot(
            VIEW + "500",
            "2024-09-01T00:00:00Z",
            body=page({**r500, "hits": 977}, ("Other newer", "Other older")),
            headers=(html,),
        ),
        Shot(VIEW + "500", "2024-12-01T00:00:00Z", body=MAINTENANCE, headers=(html,)),
        Shot(VIEW + "502", "2025-01-15T00:00:00Z", 404, b"<html><body>Not found</body></html>", (html,)),
        Shot(LIST, "2025-02-01T00:00:00Z", body=list_page([r500, r501]), headers=(html,)),
        Shot(VIEW + "500", "2025-06-01T00:00:00Z", body=page({**r500, "paragraphs": EDITED}), headers=(html,)),
        Shot(
            "https://copies.example/eng/brd/m_5676/view.do?seq=500",
            "2025-07-01T00:00:00Z",
            body=page({**r500, "title": "Not the ministry's"}),
            headers=(html,),
        ),
    ]


def write_warc(path: Path, shots: list[Shot]) -> Path:
    """A gzipped WARC of ``shots``, response records with SHA-1 payload digests (as Heritrix writes)."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for shot in shots:
            reason = {200: "OK", 302: "Found", 404: "Not Found"}.get(shot.status, "Status")
            headers = [*shot.headers, ("Content-Length", str(len(shot.body)))]
            record = writer.create_warc_record(
                shot.url,
                "response",
                payload=BytesIO(shot.body),
                length=len(shot.body),
                http_headers=StatusAndHeaders(f"{shot.status} {reason}", headers, protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": shot.date},
            )
            writer.write_record(record)
    return path
