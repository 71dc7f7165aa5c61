"""Many boards in one run: N site profiles on many origins, one `crawl --all`.

Every board is the same pre-rendered 12-release board, served by one nginx on
``origins`` ports (each port an origin: scheme, host and port), so boards on
one port share its politeness delay.  With the delay well above what the CPU
needs per page, the run's wall time should be set by the politeness schedule:
the busiest origin's requests times the delay.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from crawler.demo.server import Board

from . import static, synthetic
from .measure import ROOT, Measured, measured

PROFILE = (ROOT / "crawler" / "sites" / "mofa_en.toml").read_text("utf-8")
RELEASES = 12


@dataclass
class ManyRun:
    boards: int
    origins: int
    delay: float
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float
    requests: int
    finished: int
    schedule_seconds: float  # the politeness bound: busiest origin's requests × delay
    matches_single: bool
    exit_code: int

    @property
    def cpu_ms_per_board(self) -> float:
        return self.cpu_seconds * 1000 / self.boards


def write_profiles(folder: Path, urls: list[str], boards: int) -> dict[str, str]:
    """``boards`` profiles spread round-robin over the origins; id → origin."""
    folder.mkdir(parents=True, exist_ok=True)
    placed = {}
    for n in range(boards):
        site_id, url = f"board{n:04d}", urls[n % len(urls)]
        text = PROFILE.replace('id = "mofa_en"', f'id = "{site_id}"')
        text = text.replace('base_url = "https://www.mofa.go.kr"', f'base_url = "{url}"')
        (folder / f"{site_id}.toml").write_text(text, "utf-8")
        placed[site_id] = url
    return placed


def crawl_all(sites: Path, db: Path, delay: float) -> Measured:
    env = {
        "PRESSWATCH_SITES_DIR": str(sites),
        "PRESSWATCH_BUILTIN_SITES": "0",
        "PRESSWATCH_DOWNLOAD_DELAY": str(delay),
        "PRESSWATCH_AUTOTHROTTLE": "0",
    }
    return measured([sys.executable, "-m", "crawler", "crawl", "--all", "--db", str(db)], env)


def archived(db: Path) -> dict[str, set[tuple[str, int, str]]]:
    """Site → its (key, version, content hash) rows."""
    found: dict[str, set[tuple[str, int, str]]] = {}
    with sqlite3.connect(db) as conn:
        for site, key, version, digest in conn.execute(
            "SELECT r.site_id, r.key, v.version, v.content_hash FROM versions v JOIN releases r ON r.id = v.release_id"
        ):
            found.setdefault(site, set()).add((key, version, digest))
    return found


def schedule(stdout: str, placed: dict[str, str], delay: float) -> tuple[int, float]:
    """Total requests, and the politeness bound: the busiest origin's requests × delay."""
    per_origin: dict[str, int] = {}
    total = 0
    for site, requests in re.findall(r"^(\w+): \w+: requests (\d+)", stdout, re.M):
        per_origin[placed[site]] = per_origin.get(placed[site], 0) + int(requests)
        total += int(requests)
    busiest = max(per_origin.values(), default=0)
    return total, max(busiest - 1, 0) * delay


def benchmark(counts: list[int], origins: int, delay: float, workdir: Path) -> list[ManyRun]:
    os.chmod(workdir, 0o755)  # nginx's workers are not root
    state = synthetic.board(RELEASES)
    state["cookie_dance"] = False  # nginx serves files; the cookie dance is tested elsewhere
    root = workdir / "board"
    static.render(Board(state), root)
    results = []
    with static.Nginx(workdir / "nginx", [root] * origins) as nginx:
        # What one board crawled alone archives: the reference every board must equal.
        single = workdir / "single"
        write_profiles(single, nginx.urls[:1], 1)
        crawl_all(single, workdir / "single.db", 0)
        reference = archived(workdir / "single.db")["board0000"]
        for count in counts:
            sites = workdir / f"sites-{count}"
            placed = write_profiles(sites, nginx.urls, count)
            db = workdir / f"many-{count}.db"
            child = crawl_all(sites, db, delay)
            result, seconds, peak, cpu = child.result, child.seconds, child.peak_rss_mb, child.cpu_seconds
            requests, bound = schedule(result.stdout, placed, delay)
            boards = archived(db)
            results.append(
                ManyRun(
                    boards=count,
                    origins=min(count, origins),
                    delay=delay,
                    seconds=seconds,
                    peak_rss_mb=peak,
                    cpu_seconds=cpu,
                    requests=requests,
                    finished=result.stdout.count(": finished:"),
                    schedule_seconds=bound,
                    matches_single=len(boards) == count and all(rows == reference for rows in boards.values()),
                    exit_code=result.returncode,
                )
            )
    return results


def table(runs: list[ManyRun]) -> list[str]:
    lines = [
        "| boards | origins | delay s | finished | requests | wall s | politeness bound s | wall / bound | "
        "peak RSS MB | CPU s | CPU ms / board | archive = single-board crawls |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        ratio = run.seconds / run.schedule_seconds if run.schedule_seconds else float("nan")
        lines.append(
            f"| {run.boards} | {run.origins} | {run.delay:g} | {run.finished} | {run.requests} | {run.seconds:.1f} | "
            f"{run.schedule_seconds:.1f} | {ratio:.2f} | {run.peak_rss_mb:.0f} | {run.cpu_seconds:.1f} | "
            f"{run.cpu_ms_per_board:.0f} | {'yes' if run.matches_single else 'NO'} |"
        )
    return lines


def where_it_goes(runs: list[ManyRun]) -> str:
    """Per-board memory and CPU, from the smallest and largest runs."""
    small, large = runs[0], runs[-1]
    kb = (large.peak_rss_mb - small.peak_rss_mb) * 1024 / max(large.boards - small.boards, 1)
    startup = max(run.seconds - run.schedule_seconds for run in runs)
    return (
        f"Per board, memory grows by about {kb:.0f} KB (peak RSS {small.peak_rss_mb:.0f} MB at {small.boards} "
        f"boards, {large.peak_rss_mb:.0f} MB at {large.boards}): a board in a run is its profile, a SiteCrawl "
        "(what the archive knows of it, the keys and titles its list showed) and the requests queued for its "
        f"origin; the rest is the interpreter, Scrapy and lxml, paid once. CPU per board is "
        f"{large.cpu_ms_per_board:.0f} ms at {large.boards} boards, about "
        f"{large.cpu_seconds * 1000 / max(large.requests, 1):.1f} ms per request (fetch, parse, extract, "
        f"write). The wall time follows the politeness schedule: at most {startup:.1f} s above it, "
        "start-up and the last responses."
    )


def problems(runs: list[ManyRun]) -> list[str]:
    found = []
    for run in runs:
        if run.exit_code != 0 or run.finished != run.boards:
            found.append(f"{run.boards} boards: {run.finished} finished, exit {run.exit_code}")
        if not run.matches_single:
            found.append(f"{run.boards} boards: the archive differs from single-board crawls")
    return found
