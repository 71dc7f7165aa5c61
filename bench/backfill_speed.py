"""How long `presswatch backfill` takes: a board's past in a local pywb.

Writes a WARC of a board of N releases, each captured three times (the
second a chrome-only change, the third a real edit for one in three), and
its list pages twice, serves it with pywb (the tools environment `make
test` installs) and backfills it twice: with no delay, which measures
presswatch's own cost per capture, and with a short delay, which checks
that the time is requests × delay + that cost.  At the default delay
(PRESSWATCH_DOWNLOAD_DELAY, 2 s) the delay is nearly all of it.

    python -m bench.backfill_speed [--releases 1000] [--delay 0.05]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.demo.markup import render_list, render_release
from crawler.demo.server import Board

from .services import Pywb

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://www.mofa.go.kr/eng/brd/m_5676/"
DEFAULT_DELAY = 2.0


def board_warc(path: Path, releases: int) -> int:
    """The WARC; how many captures it holds."""
    state = {
        "releases": [
            {
                "seq": 10_000 + n,
                "title": f"Release {n} on bilateral cooperation",
                "date": "2024-01-01 10:00:00",
                "hits": n,
                "paragraphs": [f"1. Paragraph one of release {n}.", "2. The sides agreed to meet again."],
            }
            for n in range(releases)
        ],
        "per_page": 10,
    }
    board = Board(state)
    captures = []
    for n, release in enumerate(board.state["releases"]):
        url = f"{SITE}view.do?seq={release['seq']}"
        page = render_release(board.state, n, release)
        captures.append((url, "2024-02-01T00:00:00Z", page))
        captures.append((url, "2024-08-01T00:00:00Z", page.replace(f"Hit : {release['hits']}", "Hit : 9999")))
        if n % 3 == 0:
            edited = page.replace("agreed to meet again.", "agreed to meet again in Manila.")
            captures.append((url, "2025-02-01T00:00:00Z", edited))
    for number in range(1, releases // 10 + 1):
        for date in ("2024-02-02T00:00:00Z", "2025-02-02T00:00:00Z"):
            captures.append((f"{SITE}list.do?page={number}", date, render_list(board.state, number)))
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, date, page in captures:
            body = page.encode()
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=BytesIO(body),
                    length=len(body),
                    http_headers=StatusAndHeaders(
                        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                    ),
                    warc_headers_dict={"WARC-Date": date},
                )
            )
    return len(captures)


def backfill(cdx: str, db: Path, delay: float) -> tuple[float, int, str]:
    env = {**os.environ, "PRESSWATCH_DOWNLOAD_DELAY": str(delay)}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "backfill", "mofa_en", "--cdx", cdx, "--db", str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=7200,
    )
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])
    requests = int(re.search(r"in (\d+) requests", result.stdout).group(1))
    return seconds, requests, result.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=0.05)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        captures = board_warc(work / "board.warc.gz", args.releases)
        with Pywb(work / "pywb", [work / "board.warc.gz"]) as pywb:
            bare, requests, line = backfill(pywb.cdx, work / "bare.db", 0)
            paced, paced_requests, _ = backfill(pywb.cdx, work / "paced.db", args.delay)
    own = bare / requests
    print(f"{args.releases} releases, {captures} captures in a local pywb")
    print(f"  {line}")
    print(f"  no delay: {bare:.1f} s for {requests} requests ({own * 1000:.1f} ms a request, presswatch and pywb)")
    print(
        f"  delay {args.delay} s: {paced:.1f} s (requests × delay + that: {paced_requests * args.delay + bare:.1f} s)"
    )
    print(f"  at the default delay ({DEFAULT_DELAY} s): about {(requests * max(DEFAULT_DELAY, own)) / 60:.0f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
