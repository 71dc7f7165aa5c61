"""Outcomes through Redis to the archive's one writer: each message applied
exactly once, whatever was redelivered (real redis-server)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import asdict
from datetime import timedelta

import pytest

from crawler.settings import DOWNLOAD_MAXSIZE
from storage import (
    ArchiveView,
    ArchiveWriter,
    Content,
    CrawlSummary,
    Dispatcher,
    FetchKind,
    FetchOutcome,
    JobChannel,
    KnownRelease,
    ListCycle,
    ListedEntry,
    ListingOutcome,
    MessageRejected,
    Observation,
    Site,
    SiteState,
    apply_stream,
    largest_message,
    redis_client,
)
from storage.contract.messages import read_entry
from storage.contract.outcomes import ENDED_SEQ, MessageKind, RelayedMessage
from storage.contract.signing import job_key
from storage.relay.keys import CONSUMER, GROUP, OUTCOME_STREAM

SITE = Site("relayed", "A relayed board", base_url="http://127.0.0.1:1")
RELAY_KEY = b"a relay key for tests, not a secret: 64 characters long........."
MAX_BYTES = largest_message(DOWNLOAD_MAXSIZE)


def signed(message: RelayedMessage) -> dict[str, str]:
    """As the job's node sends it, with the key the dispatcher gave the job."""
    return message.signed(job_key(RELAY_KEY, message.token, message.site))


def dispatched(redis_url: str, token: str, site: Site = SITE) -> bytes:
    """The job scheduled for the site, as `presswatch dispatch` does it; its key."""
    return bytes.fromhex(Dispatcher(redis_url, RELAY_KEY).assign(token, site))


def page(key: str, body: str = "A body.") -> dict:
    return FetchOutcome(
        SITE.id,
        key,
        FetchKind.PAGE,
        Observation(url=f"http://127.0.0.1:1/view?seq={key}", http_status=200),
        Content(f"Release {key}", "2026-11-01", body),
        b"<html>raw</html>",
    ).to_dict()


def finish() -> dict:
    return {"site_id": SITE.id, "requests": 3, "list_complete": True, "failures": [], "list_cycle": None}


def job(token: str, *bodies: tuple[MessageKind, dict]) -> list[RelayedMessage]:
    return [RelayedMessage(token, seq, kind, body) for seq, (kind, body) in enumerate(bodies, 1)]


def versions(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT r.key, v.version, v.body FROM versions v JOIN releases r ON r.id = v.release_id ORDER BY 1, 2"
        ).fetchall()


def crawls(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, status, new, changed, unchanged, message FROM crawls ORDER BY id").fetchall()


def test_site_state_survives_json():
    release = KnownRelease(
        "2",
        "u2",
        "live",
        "2026-11-01",
        '"e"',
        None,
        "Title",
        "2026-11-02T00:00:00+00:00",
        first_seen="2026-11-01T00:00:00+00:00",
    )
    state = SiteState(
        "s",
        {"2": release, "old-slug": release},
        True,
        timedelta(hours=3),
        ListCycle("2026-11-01T00:00:00+00:00", {"/list": {"next": 3}}, frozenset({"2"})),
        ["<html>"],
    )
    assert SiteState.from_dict(json.loads(json.dumps(state.to_dict()))) == state


def test_each_message_is_applied_once_however_often_it_arrives(tmp_path):
    db = tmp_path / "archive.db"
    messages = job(
        "job-1",
        (MessageKind.BEGIN, {"site": asdict(SITE)}),
        (MessageKind.PAGE, page("1")),
        (MessageKind.PAGE, page("2")),
        (MessageKind.FINISH, finish()),
    )
    with ArchiveWriter(db) as writer:
        answers = [writer.relay_applier().apply(message) for message in messages]
        for message in messages:  # all of it again: a writer killed after committing, before acknowledging
            writer.relay_applier().apply(message)
    assert answers[0]["crawl_id"] == 1 and answers[0]["state"]["known"] == []
    assert answers[3]["relayed"]["status"] == "finished"
    assert versions(db) == [("1", 1, "A body."), ("2", 1, "A body.")]
    assert crawls(db) == [(1, "finished", 2, 0, 0, None)]
    # The next job's begin is answered with what the archive now knows.
    with ArchiveWriter(db) as writer:
        answer = writer.relay_applier().apply(RelayedMessage("job-2", 1, MessageKind.BEGIN, {"site": asdict(SITE)}))
    assert sorted(release["key"] for release in answer["state"]["known"]) == ["1", "2"]


def test_a_job_given_up_for_dead_is_interrupted_and_never_applied_after(tmp_path):
    db = tmp_path / "archive.db"
    begin, first, late = job(
        "job-1",
        (MessageKind.BEGIN, {"site": asdict(SITE)}),
        (MessageKind.PAGE, page("1")),
        (MessageKind.PAGE, page("2")),
    )
    ended = RelayedMessage(
        "job-1", ENDED_SEQ, MessageKind.ENDED, {"site_id": SITE.id, "message": "node n1 stopped answering"}
    )
    with ArchiveWriter(db) as writer:
        writer.relay_applier().apply(begin)
        writer.relay_applier().apply(first)
        answer = writer.relay_applier().apply(ended)
        writer.relay_applier().apply(late)  # the node was only slow: too late, the crawl was closed
    assert answer["relayed"]["status"] == "interrupted"
    with ArchiveWriter(db) as writer, pytest.raises(MessageRejected, match="already ended"):
        writer.relay_applier().apply(RelayedMessage("job-1", ENDED_SEQ + 1, MessageKind.PAGE, page("3")))
    assert crawls(db) == [(1, "interrupted", 1, 0, 0, "node n1 stopped answering")]
    assert versions(db) == [("1", 1, "A body.")]


def test_the_writer_rereads_what_it_had_not_acknowledged(tmp_path, redis_url):
    """A writer killed mid-batch: some messages read and applied (committed,
    not acknowledged), some only read.  The next writer applies every
    message once."""
    db = tmp_path / "archive.db"
    client = redis_client(redis_url)
    client.xgroup_create(OUTCOME_STREAM, GROUP, id="0", mkstream=True)
    dispatched(redis_url, "job-1")
    messages = job(
        "job-1",
        (MessageKind.BEGIN, {"site": asdict(SITE)}),
        *[(MessageKind.PAGE, page(str(n))) for n in range(1, 7)],
        (MessageKind.FINISH, finish()),
    )
    for message in messages:
        client.xadd(OUTCOME_STREAM, signed(message))
    read = client.xreadgroup(GROUP, CONSUMER, {OUTCOME_STREAM: ">"}, count=5)[0][1]
    assert len(read) == 5
    with ArchiveWriter(db) as writer:  # the killed writer got this far
        for _, fields in read[:3]:
            writer.relay_applier().apply(read_entry(fields, RELAY_KEY, MAX_BYTES))

    with ArchiveWriter(db) as writer:
        stop = threading.Event()
        timer = threading.Timer(3, stop.set)
        timer.start()
        applied = apply_stream(redis_url, writer, RELAY_KEY, max_bytes=MAX_BYTES, stop=stop.is_set, block_ms=200)
    assert applied == len(messages)
    assert versions(db) == [(str(n), 1, "A body.") for n in range(1, 7)]
    assert crawls(db) == [(1, "finished", 6, 0, 0, None)]
    assert client.xlen(OUTCOME_STREAM) == 0 and client.xpending(OUTCOME_STREAM, GROUP)["pending"] == 0
    assert Dispatcher(redis_url, RELAY_KEY).result("job-1", SITE.id)[SITE.id]["status"] == "finished"
    assert client.xlen("presswatch:rejected") == 0


def test_a_job_channel_begins_with_the_writers_answer(tmp_path, redis_url):
    db = tmp_path / "archive.db"
    stop = threading.Event()

    def write() -> None:
        with ArchiveWriter(db) as writer:
            apply_stream(redis_url, writer, RELAY_KEY, max_bytes=MAX_BYTES, stop=stop.is_set, block_ms=100)

    thread = threading.Thread(target=write)
    thread.start()
    try:
        channel = JobChannel(redis_url, "job-1", dispatched(redis_url, "job-1"), reply_timeout=10)
        start = channel.begin(SITE)
        channel.apply(FetchOutcome.from_dict(page("1")))
        channel.finish(start.crawl_id, CrawlSummary(requests=2, list_complete=True))
        channel.close()
        client = redis_client(redis_url)
        deadline = time.monotonic() + 10
        while client.hget("presswatch:result:job-1", "crawls") is None:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join()
    assert start.state == SiteState(SITE.id)
    with ArchiveView.open(db) as view:
        assert view.crawl(start.crawl_id)["status"] == "finished"
    assert versions(db) == [("1", 1, "A body.")]


def test_a_job_that_cannot_reach_redis_says_so():
    from storage import RelayError

    with pytest.raises(RelayError, match=r"cannot reach Redis at redis://127\.0\.0\.1:1/0"):
        JobChannel("redis://127.0.0.1:1/0", "job-1", bytes(32))


def test_a_relayed_sites_key_terms_rank_the_changes_its_writer_stores(tmp_path):
    from storage import Content, classify

    db = tmp_path / "archive.db"
    site = json.loads(json.dumps(asdict(Site(SITE.id, SITE.name, base_url=SITE.base_url, key_terms=("sanctions",)))))
    with ArchiveWriter(db) as writer:  # as the wire brings them: a JSON list
        for token, body in (("job-1", "Sanctions were lifted."), ("job-2", "Sanctions were eased.")):
            for message in job(
                token,
                (MessageKind.BEGIN, {"site": site}),
                (MessageKind.PAGE, page("1", body)),
                (MessageKind.FINISH, finish()),
            ):
                writer.relay_applier().apply(message)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT key_terms FROM sites").fetchone() == ('["sanctions"]',)
        (stored,) = conn.execute("SELECT significance FROM versions WHERE version = 2").fetchone()
    old, new = (Content("T", None, text) for text in ("Sanctions were lifted.", "Sanctions were eased."))
    assert stored > classify(old, new).significance


def test_a_list_page_a_job_sends_passes_the_writers_check():
    """Every field a job's list page carries is one the writer accepts (a
    renamed field would have every relayed list page rejected)."""
    listing = ListingOutcome("mofa_en", "/list.do", 1, [ListedEntry("1", "https://x/1", "T", "2026-01-02", 4)])
    message = RelayedMessage("job1", 2, MessageKind.LISTING, listing.to_dict())
    read = read_entry(signed(message), RELAY_KEY, MAX_BYTES)
    assert ListingOutcome.from_dict(read.body).entries[0].date == "2026-01-02"
