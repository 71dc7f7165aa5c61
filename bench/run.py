"""`make bench`: crawl throughput, recrawl cost, memory and archive scale.

Serves a synthetic board on 127.0.0.1 and measures, in one run, presswatch
against a bare-fetch and a fetch-and-parse Scrapy baseline (interleaved, on
the same pages), incremental recrawls, peak memory, and a large synthetic
archive.  Prints a table and writes docs/benchmarks.md.  ``--quick`` runs
small sizes in well under a minute and checks correctness, not speed.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import socket
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from . import capture_sizes, corpus, kind_scores, many, nodes, quality, scale
from .one_board import WHERE_THE_TIME_GOES, check, crawl_benchmarks, crawl_section, memory_benchmark, summary_counts

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scale_benchmark(releases: int, versions: int, workdir: Path) -> dict:
    path = workdir / "scale.db"
    build_seconds = scale.build(path, releases, versions)
    total = releases * versions
    with_fts = scale.file_size(path)
    without_fts = scale.size_without_fts(path)
    return {
        "versions": total,
        "build_seconds": build_seconds,
        "bytes_per_version": with_fts / total,
        "bytes_per_version_no_fts": without_fts / total,
        "queries_ms": scale.query_latencies(path),
        "append_ms_per_page": scale.append_crawl(path),
        "datasette_ms": scale.datasette_latencies(path, free_port()),
    }


def machine() -> dict:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import scrapy

    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "scrapy": scrapy.__version__,
        "platform": platform.platform(),
    }


# Boards of 20 releases, each on a host of its own that answers after 0.3 s,
# crawled at a 1 s delay: a job waits for its host, the nodes add job slots.
SCALEOUT = {"boards": 12, "releases": 20, "delay": 1.0, "latency": 0.3, "writer_pages": 5000}
SCALEOUT_QUICK = {"boards": 6, "releases": 3, "delay": 0.2, "latency": 0.05, "writer_pages": 500}


def report(
    machine_info: dict,
    crawl: dict,
    memory: dict,
    archive: dict,
    quick: bool,
    extraction: dict,
    many_runs: list[many.ManyRun],
    spread: nodes.ScaleOut,
    stored: dict,
    typed: kind_scores.Result,
) -> str:
    lines = ["# presswatch benchmarks", ""]
    lines.append(
        "Produced by `make bench" + (" QUICK=1" if quick else "") + "` on "
        f"{time.strftime('%Y-%m-%d')}: {machine_info['cores']} cores, "
        f"{machine_info['memory_gib']} GiB, Python {machine_info['python']}, "
        f"SQLite {machine_info['sqlite']}, Scrapy {machine_info['scrapy']}."
    )
    lines += crawl_section(crawl)
    lines += ["", WHERE_THE_TIME_GOES]
    lines += [
        "",
        "## Recrawls (default 30-day revisit window; nginx sends ETag and Last-Modified)",
        "",
        "| run | full crawl requests | recrawl requests | share | recrawl s | "
        "304s | 1% changed: found / expected | requests |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, item in enumerate(crawl["runs"], 1):
        full, recrawl, after = (summary_counts(item[k].stdout) for k in ("full", "recrawl", "after_change"))
        not_modified = re.search(r"\((\d+) not modified\)", item["recrawl"].stdout)
        lines.append(
            f"| {n} | {full['requests']} | {recrawl['requests']} | "
            f"{recrawl['requests'] / full['requests']:.1%} | {item['recrawl'].seconds:.2f} | "
            f"{not_modified.group(1) if not_modified else 0} | {after['changed']} / {item['changed_expected']} | "
            f"{after['requests']} |"
        )
    lines += ["", "## Peak memory of a full crawl", "", "| releases | peak RSS (MB) |", "|---|---|"]
    lines += [f"| {size} | {peak:.0f} |" for size, peak in memory.items()]
    sizes = sorted(memory)
    if len(sizes) > 1:
        lines.append(f"\nGrowth from {sizes[0]} to {sizes[-1]} releases: {memory[sizes[-1]] / memory[sizes[0]]:.2f}×")
    lines += [
        "",
        f"## Archive scale: {archive['versions']:,} versions",
        "",
        f"- built in {archive['build_seconds']:.0f} s (bulk SQL)",
        f"- {archive['bytes_per_version']:.0f} bytes per version with FTS, "
        f"{archive['bytes_per_version_no_fts']:.0f} without",
        f"- recording one crawl's pages into it: {archive['append_ms_per_page']:.1f} ms per changed page",
        "",
        "| query (in-process, median of 5) | ms |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | {ms:.1f} |" for name, ms in archive["queries_ms"].items()]
    lines += ["", "| Datasette page (HTTP, median of 5) | ms |", "|---|---|"]
    lines += [f"| {name} | {ms:.0f} |" for name, ms in archive["datasette_ms"].items()]
    lines += ["", "## Captures: compressed against their board (bench/capture_sizes.py)", ""]
    lines += capture_sizes.table(stored, archive["bytes_per_version"])
    lines += [
        "",
        f"## Many boards in one run: `presswatch crawl --all`, {many_runs[-1].origins} origins",
        "",
        "Each board is the 12-release MOFA board (pre-rendered, 25 KB pages) on one of the origins "
        "(nginx, one port each), profiles spread round-robin; politeness delay "
        f"{many_runs[-1].delay:g} s per origin, no AutoThrottle. The politeness bound is the busiest "
        "origin's requests times the delay: no run can be faster.",
        "",
    ]
    lines += many.table(many_runs)
    lines += ["", many.where_it_goes(many_runs)]
    lines += [
        "",
        "## Crawl jobs on several machines",
        "",
        f"`presswatch dispatch` over 1, 2 and 3 Scrapyd nodes on this machine ({nodes.SLOTS} job slots "
        f"each, docs/scale-out.md), one `presswatch writer`, one redis-server: {spread.runs[0].boards} boards "
        f"of {spread.releases} releases, each on a host of its own that answers release pages after "
        f"{spread.latency:g} s, crawled at a {spread.delay:g} s delay. Wall time is from dispatch to its last "
        "summary line, job start-up and Scrapyd's polling included.",
        "",
    ]
    lines += nodes.table(spread)
    lines += ["", "## Kinds of change and significance (bench/kind_scores.py)", ""]
    lines += kind_scores.table(typed)
    lines += ["", "## Extraction quality without selectors (bench/quality.py)", ""]
    lines += quality.table(extraction)
    lines += [""] + corpus_section(corpus.results(with_peers=True))
    return "\n".join(lines) + "\n"


CORPUS_HEADING = "## Extraction on real boards' saved pages (bench/corpus.py)"


def corpus_section(real: dict[str, dict[str, corpus.Result]], remeasured: str = "") -> list[str]:
    """The report's last section: every extractor on the corpus's boards.
    ``remeasured``: a line saying when this section alone was measured again."""
    lines = [
        CORPUS_HEADING,
        "",
        *([remeasured, ""] if remeasured else []),
        f"{len(real)} boards' saved pages with hand-checked records (tests/files/corpus/SOURCES.md, with "
        "each board's first-sight score): profile-less presswatch (the board's profile without its [detail] "
        "selectors, read as `presswatch extract` reads saved pages), profiled presswatch, and the "
        "extractors users would pick instead (bench/peers.py: trafilatura, default and favor_precision, "
        "readability-lxml, resiliparse, goose3, newspaper4k, boilerpy3), scored by the same measure. "
        "Boards are split into design and held-out sets by a fixed rule (corpus.held_out); the held-out "
        "boards first. Dates are right to the day; attachments scored as F1 over URLs; the wrong pages "
        "are a maintenance page, the list page and another release's page at the release's URL.",
        "",
    ]
    return lines + corpus.summary(real) + [""] + corpus.table(real)


def with_corpus_section(report: str, section: list[str]) -> str:
    """The report with its corpus section, the last, replaced: boards join
    the corpus more often than the rest of the benchmarks change."""
    head = report.split(CORPUS_HEADING)[0].rstrip("\n")
    text = "\n".join(section) + "\n"
    return f"{head}\n\n{text}" if head else text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI")
    parser.add_argument("--pages", type=int, help="releases on the synthetic board")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument(
        "--crawl-only",
        action="store_true",
        help="only the full crawl's CPU per page against the baselines, 8 rounds (4 minutes); writes nothing",
    )
    parser.add_argument(
        "--corpus-only",
        action="store_true",
        help="only the extraction corpus's section, measured again and rewritten in --output (5 minutes)",
    )
    args = parser.parse_args()
    if args.corpus_only:
        output = Path(args.output)
        when = f"This section alone measured again by `python -m bench.run --corpus-only` on {date.today()}."
        section = corpus_section(corpus.results(with_peers=True), when)
        output.write_text(with_corpus_section(output.read_text() if output.exists() else "", section))
        return 0
    pages = args.pages or (300 if args.quick else 2000)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        repeats = 2 if args.quick else 8 if args.crawl_only else 6
        crawl = crawl_benchmarks(pages, repeats=repeats, workdir=workdir)
        if args.crawl_only:
            print("\n".join(crawl_section(crawl)))
            return 1 if check(crawl) else 0
        memory = memory_benchmark([300, 1500] if args.quick else [2000, 20000], workdir)
        archive = scale_benchmark(*((500, 4) if args.quick else (100_000, 10)), workdir=workdir)
        many_runs = many.benchmark(
            [10, 40] if args.quick else [10, 100, 1000],
            origins=20 if args.quick else 50,
            delay=0.2 if args.quick else 0.5,
            workdir=workdir,
        )
        spread = nodes.benchmark(
            **(SCALEOUT_QUICK if args.quick else SCALEOUT),
            workdir=workdir,
        )
        stored = capture_sizes.benchmark(args.quick, workdir)
    typed = kind_scores.benchmark()
    text = report(machine(), crawl, memory, archive, args.quick, quality.evaluate(), many_runs, spread, stored, typed)
    print(text)
    if not args.quick:
        Path(args.output).write_text(text)
    # Quick mode's boards are too small for the speed-up to mean anything.
    problems = (
        check(crawl)
        + many.problems(many_runs)
        + nodes.problems(spread, None if args.quick else 2.5)
        + capture_sizes.problems(stored, timed=not args.quick)
        + kind_scores.problems(typed, timed=not args.quick)
    )
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
