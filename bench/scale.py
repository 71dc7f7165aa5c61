"""Archive scale: a synthetic archive of many versions, and what it costs to use.

Versions are written with bulk SQL (not one crawl at a time) so a million of
them take minutes, not hours; their sizes and shapes match what crawls write:
bodies of a few KB, a unified diff per change, two word_changes rows, one
event, the FTS indexes kept by their triggers.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from storage import ArchiveView, ArchiveWriter, Content, CrawlSummary, FetchKind, FetchOutcome, Observation, Site

from .synthetic import WORDS
from .synthetic import release as synthetic_release

SPAN_DAYS = 5 * 365  # captures spread over five years
SITE = Site("mofa_en", "Synthetic board", "KR", "en", "Asia/Seoul", "https://www.mofa.go.kr")


def build(path: Path, releases: int, versions_per_release: int, seed: int = 7) -> float:
    """Write the synthetic archive; returns seconds taken."""
    started = time.perf_counter()
    rng = random.Random(seed)
    # The schema and the crawl row through the archive; the bulk rows through
    # a connection of the benchmark's own, in one transaction.
    with ArchiveWriter(path) as writer:
        crawl_id = writer.begin(SITE).crawl_id
    db = Database(path)
    now = datetime.now(UTC)
    with db.atomic():
        for number in range(releases):
            item = synthetic_release(1_000_000 - number, 0, rng)
            paragraphs = item["paragraphs"]
            first = now - timedelta(days=rng.uniform(0, SPAN_DAYS))
            release_id = (
                db["releases"]
                .insert(
                    {
                        "site_id": "mofa_en",
                        "key": str(item["seq"]),
                        "url": f"https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq={item['seq']}",
                        "status": "live",
                        "first_seen": first.isoformat(timespec="seconds"),
                        "published": first.date().isoformat(),
                        "version_count": versions_per_release,
                    }
                )
                .last_pk
            )
            rows, words = [], []
            at = first
            for version in range(1, versions_per_release + 1):
                diff = None
                if version > 1:
                    at = at + timedelta(days=rng.uniform(0, 30))
                    index = rng.randrange(len(paragraphs))
                    old = paragraphs[index]
                    gone, new_word = rng.choice(old.split()[1:]), rng.choice(WORDS)
                    paragraphs[index] = old.replace(gone, new_word, 1)
                    diff = (
                        f"--- version {version - 1}\n+++ version {version}\n@@ -{index + 3},2 +{index + 3},2 @@\n"
                        f"-{old}\n+{paragraphs[index]}\n"
                    )
                    words += [(gone, "deleted"), (new_word, "inserted")]
                body = "\n\n".join(paragraphs)
                rows.append(
                    {
                        "release_id": release_id,
                        "version": version,
                        "captured_at": at.isoformat(timespec="seconds"),
                        "crawl_id": crawl_id,
                        "title": item["title"],
                        "published": first.date().isoformat(),
                        "body": body,
                        "attachments": "[]",
                        "content_hash": f"{release_id}-{version}",
                        "changed": json.dumps(["body"] if version > 1 else []),
                        "diff": diff,
                    }
                )
            db["versions"].insert_all(rows)
            ids = [
                r[0] for r in db.execute("SELECT id FROM versions WHERE release_id = ? ORDER BY version", [release_id])
            ]
            db["releases"].update(
                release_id, {"latest_version_id": ids[-1], "last_seen": at.isoformat(timespec="seconds")}
            )
            db["release_events"].insert_all(
                {
                    "release_id": release_id,
                    "site_id": "mofa_en",
                    "key": str(item["seq"]),
                    "crawl_id": crawl_id,
                    "at": row["captured_at"],
                    "event": "new" if row["version"] == 1 else "changed",
                    "version_id": vid,
                }
                for row, vid in zip(rows, ids)
            )
            db["word_changes"].insert_all(
                {
                    "version_id": ids[1 + n // 2],
                    "release_id": release_id,
                    "site_id": "mofa_en",
                    "year": int(rows[1 + n // 2]["captured_at"][:4]),
                    "field": "body",
                    "op": op,
                    "text": text,
                }
                for n, (text, op) in enumerate(words)
            )
    db.close()
    with ArchiveWriter(path) as writer:
        writer.finish(crawl_id, CrawlSummary(list_complete=True))
    return time.perf_counter() - started


def size_without_fts(path: Path) -> int:
    copy = path.with_name(path.stem + "-nofts.db")
    if copy.exists():
        copy.unlink()
    import sqlite3

    with sqlite3.connect(path) as source:
        source.execute(f"VACUUM INTO '{copy}'")
    conn = sqlite3.connect(copy)
    for table in ("versions_fts", "word_changes_fts"):
        conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    size = copy.stat().st_size
    copy.unlink()
    return size


def timed(function, repeat: int = 5) -> float:
    """Median milliseconds of ``repeat`` calls (after one warm-up)."""
    function()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def query_latencies(path: Path) -> dict[str, float]:
    view = ArchiveView.open(path)
    since = (datetime.now(UTC) - timedelta(days=7)).isoformat(timespec="seconds")
    key = random_key(path)

    def history():
        return view.history(view.release("mofa_en", key)["id"])

    results = {
        "changes --since 7d": timed(lambda: view.changes(since)),
        "search WORD (common word)": timed(lambda: view.search("cooperation")),
        "search 'A AND B'": timed(lambda: view.search("denuclearization AND summit")),
        "history SITE:KEY": timed(history),
    }
    view.close()
    return results


def random_key(path: Path, count: int = 1) -> list[str] | str:
    import sqlite3

    with sqlite3.connect(path) as conn:
        keys = [row[0] for row in conn.execute("SELECT key FROM releases ORDER BY random() LIMIT ?", [count])]
    return keys[0] if count == 1 else keys


def append_crawl(path: Path, pages: int = 100) -> float:
    """Milliseconds per page to record a crawl's worth of changed releases."""
    keys = random_key(path, pages)
    writer = ArchiveWriter(path)
    rng = random.Random(3)
    crawl_id = writer.begin(SITE).crawl_id
    started = time.perf_counter()
    for key in keys:
        item = synthetic_release(int(key), 0, rng)
        content = Content(item["title"], None, "\n\n".join(item["paragraphs"]))
        writer.apply(
            FetchOutcome(
                "mofa_en",
                key,
                FetchKind.PAGE,
                Observation(url=key),
                content,
                b"<html>" * 4000,
                crawl_id=crawl_id,
            )
        )
    writer.commit()
    elapsed = time.perf_counter() - started
    writer.close()
    return elapsed * 1000 / len(keys)


def datasette_latencies(path: Path, port: int) -> dict[str, float]:
    """Median ms of the pages people open most, from a real `presswatch serve`."""
    import subprocess
    import sys
    import urllib.request

    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", str(path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    name = path.stem
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/-/versions.json").close()
                break
            except OSError:
                time.sleep(0.2)
        key = random_key(path)
        since = (datetime.now(UTC) - timedelta(days=7)).date().isoformat()
        pages = {
            "changes view": f"/{name}/changes",
            # a kind no synthetic edit makes: over all history, the worst case of a filter by kind
            "changes view, one kind (none has it)": f"/{name}/changes?change_kinds__arraycontains=negation",
            "changes view, one kind, by significance": f"/{name}/changes?change_kinds__arraycontains=number"
            "&_sort_desc=significance",
            "latest_versions view": f"/{name}/latest_versions",
            "recent_changes (7 days)": f"/{name}/recent_changes?since={since}",
            "release_history": f"/{name}/release_history?site=mofa_en&key={key}",
            "search (canned)": f"/{name}/search?query=denuclearization&site=",
            "versions table": f"/{name}/versions",
            "releases table (facets)": f"/{name}/releases",
        }

        def fetch(url):
            with urllib.request.urlopen(base + url) as response:
                response.read()

        return {label: timed(lambda url=url: fetch(url), repeat=5) for label, url in pages.items()}
    finally:
        process.terminate()
        process.wait(10)


def file_size(path: Path) -> int:
    return sum(Path(str(path) + suffix).stat().st_size for suffix in ("", "-wal") if os.path.exists(str(path) + suffix))
