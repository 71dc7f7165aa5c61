"""One crawl lifecycle (storage.lifecycle): begin → the crawl's id and the
site's state, finish with a summary → the crawls row, the same through the
local writer and through the relay to it (real redis-server)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from crawler.session import CrawlSession
from crawler.sites.profile import builtin_profiles
from storage import (
    ArchiveView,
    ArchiveWriter,
    Content,
    CrawlLifecycle,
    CrawlSummary,
    FetchKind,
    FetchOutcome,
    JobChannel,
    Observation,
    Site,
    apply_stream,
)

from .test_relay import MAX_BYTES, RELAY_KEY, dispatched

SITE = Site("relayed", "A relayed board", base_url="http://127.0.0.1:1")
CYCLE = ({"/list": {"next": 3, "last_keys": ["1"], "done": False}}, None)

# summary → (status, message, list_complete, requests, swept, sweep_size, list_pages), list cycle recorded
SUMMARIES = [
    (CrawlSummary(), ("finished", None, 0, 0, 0, 0, 0), False),
    (
        CrawlSummary(requests=7, list_complete=True, swept=2, sweep_size=5, list_pages=3, list_cycle=CYCLE),
        ("finished", None, 1, 7, 2, 5, 3),
        True,
    ),
    (
        CrawlSummary(requests=4, failures=["HTTP 500", "crawl ended early: shutdown"], list_cycle=CYCLE),
        ("failed", "HTTP 500; crawl ended early: shutdown", 0, 4, 0, 0, 0),
        False,
    ),
]


def page(key: str, crawl_id: int) -> FetchOutcome:
    return FetchOutcome(
        SITE.id,
        key,
        FetchKind.PAGE,
        Observation(url=f"{SITE.base_url}/view?seq={key}", http_status=200),
        Content(f"Release {key}", "2026-11-01", "A body."),
        b"<html>raw</html>",
        crawl_id=crawl_id,
    )


@contextmanager
def local(db, redis_url) -> Iterator[CrawlLifecycle]:
    with ArchiveWriter(db) as writer:
        yield writer


@contextmanager
def relayed(db, redis_url) -> Iterator[CrawlLifecycle]:
    """A job's channel, and `presswatch writer` applying what it sends; closed once all is applied."""
    stop = threading.Event()

    def write() -> None:  # the writer's connection lives on its thread
        with ArchiveWriter(db) as writer:
            apply_stream(redis_url, writer, RELAY_KEY, max_bytes=MAX_BYTES, stop=stop.is_set, block_ms=50)

    thread = threading.Thread(target=write)
    thread.start()
    channels = []

    def channel(token: str) -> JobChannel:
        channels.append(JobChannel(redis_url, token, dispatched(redis_url, token, SITE), reply_timeout=10))
        return channels[-1]

    try:
        yield _Jobs(channel)
        # Applied once the stream is drained: a job's finish is its last message.
        from storage import Dispatcher

        dispatcher = Dispatcher(redis_url, RELAY_KEY)
        while dispatcher.backlog():
            stop.wait(0.05)
    finally:
        stop.set()
        thread.join()
        for each in channels:
            each.close()


class _Jobs:
    """Each crawl a job of its own, as `presswatch dispatch` runs them."""

    commit_every = JobChannel.commit_every

    def __init__(self, channel):
        self.channel = channel
        self.current: JobChannel | None = None
        self.count = 0

    def begin(self, site, recent_pages=0):
        self.count += 1
        self.current = self.channel(f"job-{self.count}")
        return self.current.begin(site, recent_pages)

    def apply(self, outcome, reread=None):
        return self.current.apply(outcome, reread)

    def apply_listing(self, outcome):
        return self.current.apply_listing(outcome)

    def commit(self):
        self.current.commit()

    def finish(self, crawl_id, summary):
        return self.current.finish(crawl_id, summary)

    def close(self):
        pass


IMPLEMENTATIONS = [pytest.param(local, id="local"), pytest.param(relayed, id="relayed")]


@pytest.fixture
def lifecycle(request, tmp_path):
    if request.param is relayed:
        redis_url = request.getfixturevalue("redis_url")
    else:
        redis_url = None
    return lambda: request.param(tmp_path / "archive.db", redis_url)


def crawl_row(db, crawl_id: int) -> tuple:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT status, message, list_complete, requests, swept, sweep_size, list_pages FROM crawls WHERE id = ?",
            [crawl_id],
        ).fetchone()


def list_cycles(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM list_cycles").fetchone()[0]


@pytest.mark.parametrize("lifecycle", IMPLEMENTATIONS, indirect=True)
@pytest.mark.parametrize("summary, row, cycle_recorded", SUMMARIES)
def test_finish_with_a_summary_writes_the_crawl_row(lifecycle, tmp_path, summary, row, cycle_recorded):
    db = tmp_path / "archive.db"
    with lifecycle() as archive:
        start = archive.begin(SITE)
        archive.finish(start.crawl_id, summary)
    assert crawl_row(db, start.crawl_id) == row
    assert list_cycles(db) == int(cycle_recorded)


@pytest.mark.parametrize("lifecycle", IMPLEMENTATIONS, indirect=True)
def test_begin_gives_the_crawls_id_and_what_the_archive_knows(lifecycle, tmp_path):
    with lifecycle() as archive:
        first = archive.begin(SITE)
        assert first.state.known == {} and not first.state.list_ever_completed
        archive.apply(page("1", first.crawl_id))
        archive.finish(first.crawl_id, CrawlSummary(requests=2, list_complete=True))
        second = archive.begin(SITE, recent_pages=8)
        archive.finish(second.crawl_id, CrawlSummary(requests=1))
    assert second.crawl_id == first.crawl_id + 1
    assert list(second.state.known) == ["1"] and second.state.list_ever_completed
    assert second.state.recent_pages == ["<html>raw</html>"]  # a profile-less site's template learns from them


def test_a_killed_runs_crawl_is_interrupted_when_the_next_begins(tmp_path):
    db = tmp_path / "archive.db"
    with ArchiveWriter(db) as writer:
        killed = writer.begin(SITE).crawl_id  # and never finished
        writer.finish(writer.begin(SITE).crawl_id, CrawlSummary(requests=1))
    assert crawl_row(db, killed)[0] == "interrupted"


def test_a_summary_survives_the_wire():
    for summary, _, _ in SUMMARIES:
        assert CrawlSummary.from_dict(summary.to_dict()) == summary


# The crawler's side: one session per run ------------------------------------

PROFILE = builtin_profiles()["mofa_en"]


def test_a_session_begins_every_site_and_reports_from_the_crawl_rows(tmp_path):
    db = tmp_path / "archive.db"
    profile = PROFILE
    session = CrawlSession(ArchiveWriter(db), owned=True)
    states = session.begin([profile])
    assert list(states) == ["mofa_en"] and states["mofa_en"].known == {}
    session.finish({"mofa_en": CrawlSummary(requests=3, failures=["HTTP 500"])})
    session.close()  # the runner's, after the pipeline's: closed once
    with ArchiveView.open(db) as view:
        report = session.report(view, "mofa_en")
    assert (report.status, report.message) == ("failed", "HTTP 500")


def test_a_session_whose_rows_cannot_be_written_reports_why(tmp_path):
    db = tmp_path / "archive.db"
    profile = PROFILE
    writer = ArchiveWriter(db)
    session = CrawlSession(writer)
    session.begin([profile])
    writer.close()  # the connection is gone from under the run
    session.finish({"mofa_en": CrawlSummary(requests=3)})
    assert session.failure is not None and session.failure.startswith("cannot write to the archive:")
    with ArchiveView.open(db) as view:
        report = session.report(view, "mofa_en")
    assert (report.status, report.message) == ("failed", session.failure)


def test_a_session_that_never_began_says_so():
    session = CrawlSession(None)  # type: ignore[arg-type]
    session.fail("cannot reach Redis at redis://127.0.0.1:1/0")
    assert not session.fail("a second reason")
    report = session.report(None, "mofa_en")
    assert (report.status, report.message) == ("failed", "cannot reach Redis at redis://127.0.0.1:1/0")
