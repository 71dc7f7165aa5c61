"""`presswatch writer` against what anyone with Redis access can write to
its stream: every entry it cannot apply is set aside with the reason, and it
goes on (real redis-server, entries injected by hand)."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, replace

import pytest

from storage import ArchiveWriter, JobChannel, MessageKind, RelayedMessage, RelayError, Site, apply_stream, redis_client
from storage.contract.messages import MAX_INT, sequence
from storage.contract.signing import job_key, sign_message
from storage.relay.keys import CONSUMER, GROUP, OUTCOME_STREAM, REJECTED, reply_key

from .test_relay import MAX_BYTES, RELAY_KEY, SITE, dispatched, page, signed

OTHER = Site("other", "Another board", base_url="http://127.0.0.1:2")
TOKEN = "job-1"


def entry(
    seq: int | str, body: str, *, kind: str = "page", site: str = SITE.id, token: str = TOKEN, key: bytes | None = None
) -> dict[str, str]:
    """A stream entry signed as a job with ``key`` signs it (the job's own by default)."""
    key = key or job_key(RELAY_KEY, token, site)
    return {
        "token": token,
        "site": site,
        "seq": str(seq),
        "kind": kind,
        "body": body,
        "sig": sign_message(key, token, site, str(seq), kind, body),
    }


def good(seq: int, key: str) -> dict[str, str]:
    return signed(RelayedMessage(TOKEN, seq, MessageKind.PAGE, page(key)))


def unsigned(seq: int) -> dict[str, str]:
    fields = good(seq, "9")
    del fields["sig"]
    return fields


# Each bad entry comes after the job's begin (1) and first page (2); then
# the job's next message (3) must still be applied.
BAD = {
    "null body": (lambda: entry(3, "null"), r"body is null, not an object"),
    "seq 2**64": (lambda: entry(2**64, json.dumps(page("9"))), r"sequence number '18446744073709551616'"),
    "negative seq": (lambda: entry(-1, json.dumps(page("9"))), r"sequence number '-1'"),
    "deep body": (lambda: entry(3, "[" * 100_000 + "]" * 100_000), r"nested deeper than 16 levels"),
    "not JSON": (lambda: entry(3, "{'site_id': 'relayed'"), r"body is not JSON"),
    "wrong type": (
        lambda: entry(3, json.dumps({**page("9"), "key": ["9"]})),
        r"body\.key is a list, not a string or null",
    ),
    "missing field": (lambda: {k: v for k, v in good(3, "9").items() if k != "kind"}, r"missing field\(s\): kind"),
    "int past 64 bits": (
        lambda: entry(
            3, json.dumps({**page("9"), "observation": {"url": "u", "http_status": 2**64, "fetched_at": "x"}})
        ),
        r"beyond a 64-bit integer",
    ),
    "30 MB body": (
        lambda: entry(3, json.dumps(page("9", "x" * 30_000_000))),
        r"field body has 30\d{6} bytes, over the 2\d{7}",
    ),
    "not UTF-8": (lambda: {**good(3, "9"), "body": b"\xff\xfe{}"}, r"field body is not UTF-8"),
    "repeated seq": (lambda: good(2, "9"), r"repeated: message 2 of job job-1 was applied already"),
    "out of order seq": (lambda: good(5, "9"), r"out of sequence: message 5 of the job, after 2; expected 3"),
    "unsigned": (lambda: unsigned(3), r"missing field\(s\): sig"),
    "empty signature": (lambda: {**unsigned(3), "sig": ""}, r"not signed"),
    "wrongly signed": (
        lambda: entry(3, json.dumps(page("9")), key=job_key(b"not the relay key" * 4, TOKEN, SITE.id)),
        r"wrong signature: not signed with the key of job 'job-1' for site 'relayed'",
    ),
    "another site, own key": (
        lambda: entry(
            3, json.dumps({**page("9"), "site_id": OTHER.id}), site=OTHER.id, key=job_key(RELAY_KEY, TOKEN, SITE.id)
        ),
        r"wrong signature.*for site 'other'",
    ),
    "another site in the body": (
        lambda: entry(3, json.dumps({**page("9"), "site_id": OTHER.id})),
        r"the body writes site 'other', the message is for 'relayed'",
    ),
}


class RunningWriter:
    """`presswatch writer`'s loop on a thread, as the command runs it."""

    def __init__(self, redis_url: str, db):
        self.client = redis_client(redis_url)
        self.stop = threading.Event()
        self.failed: list[BaseException] = []
        self.thread = threading.Thread(target=self.run, args=(redis_url, db))
        self.thread.start()

    def run(self, redis_url: str, db) -> None:
        try:
            with ArchiveWriter(db) as writer:
                apply_stream(redis_url, writer, RELAY_KEY, max_bytes=MAX_BYTES, stop=self.stop.is_set, block_ms=50)
        except BaseException as error:  # noqa: BLE001 - the test says it stopped
            self.failed.append(error)

    def settled(self) -> None:
        """Wait until every entry was read and acknowledged, or the writer died."""
        deadline = time.monotonic() + 20
        while self.client.xlen(OUTCOME_STREAM) or self.client.xpending(OUTCOME_STREAM, GROUP)["pending"]:
            assert self.thread.is_alive(), f"the writer stopped: {self.failed!r}"
            assert time.monotonic() < deadline, "the writer did not read the stream"
            time.sleep(0.02)
        assert self.thread.is_alive(), f"the writer stopped: {self.failed!r}"

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.failed, self.failed


@pytest.fixture
def writer(redis_url, tmp_path) -> Iterator[RunningWriter]:
    running = RunningWriter(redis_url, tmp_path / "archive.db")
    yield running
    running.close()


def begun(client, redis_url: str) -> None:
    dispatched(redis_url, TOKEN)
    client.xadd(OUTCOME_STREAM, signed(RelayedMessage(TOKEN, 1, MessageKind.BEGIN, {"site": asdict(SITE)})))
    client.xadd(OUTCOME_STREAM, good(2, "1"))


def archived(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT r.site_id, r.key, v.version FROM versions v JOIN releases r ON r.id = v.release_id ORDER BY 1, 2"
        ).fetchall()


def reasons(redis_url: str) -> list[str]:
    raw = redis_client(redis_url, decode=False).xrange(REJECTED)
    return [fields[b"reason"].decode() for _, fields in raw]


@pytest.mark.parametrize("name", BAD)
def test_a_bad_message_is_set_aside_and_the_writer_goes_on(name, writer, redis_url, tmp_path, caplog):
    make, reason = BAD[name]
    client = writer.client
    begun(client, redis_url)
    client.xadd(OUTCOME_STREAM, make())
    client.xadd(OUTCOME_STREAM, good(3, "2"))  # the job's next message, in its turn
    with caplog.at_level(logging.WARNING, logger="storage.relay"):
        writer.settled()
    writer.close()
    assert archived(tmp_path / "archive.db") == [(SITE.id, "1", 1), (SITE.id, "2", 1)]
    found = reasons(redis_url)
    assert len(found) == 1 and re.search(reason, found[0]), found
    kept = redis_client(redis_url, decode=False).xrange(REJECTED)[0][1]
    assert len(kept[b"body"]) <= 64 * 1024  # a 30 MB body is not kept whole
    if name == "repeated seq":
        assert "job 'job-1': message 2 repeated; not applied again" in caplog.text
    else:
        assert "rejected stream entry" in caplog.text


def test_a_restarted_writer_rereads_bad_messages_and_carries_on(redis_url, tmp_path):
    """Every bad entry read by a writer that then died (so pending, not
    acknowledged): the next writer sets each aside and applies the rest."""
    client = redis_client(redis_url)
    client.xgroup_create(OUTCOME_STREAM, GROUP, id="0", mkstream=True)
    begun(client, redis_url)
    for make, _ in BAD.values():
        client.xadd(OUTCOME_STREAM, make())
    client.xadd(OUTCOME_STREAM, good(3, "2"))
    # The writer that died read them all (as bytes: one is not UTF-8).
    redis_client(redis_url, decode=False).xreadgroup(GROUP, CONSUMER, {OUTCOME_STREAM: ">"})
    for _ in range(2):  # and a second restart, after the first set them aside, finds nothing to redo
        running = RunningWriter(redis_url, tmp_path / "archive.db")
        running.settled()
        running.close()
    assert archived(tmp_path / "archive.db") == [(SITE.id, "1", 1), (SITE.id, "2", 1)]
    # The writer's own redelivery of what it had applied is no repetition.
    assert len(reasons(redis_url)) == len(BAD) - 1


def test_a_job_begins_only_the_crawl_it_was_dispatched_for(writer, redis_url, tmp_path):
    client = writer.client
    begin = RelayedMessage(TOKEN, 1, MessageKind.BEGIN, {"site": asdict(SITE)})
    client.xadd(OUTCOME_STREAM, signed(begin))  # nobody dispatched job-1
    dispatched(redis_url, "job-2", OTHER)
    # job-2's node, which holds job-2's key, begins another site's crawl, or renames its own and moves it.
    key2 = job_key(RELAY_KEY, "job-2", OTHER.id)
    client.xadd(OUTCOME_STREAM, entry(1, json.dumps({"site": asdict(SITE)}), kind="begin", token="job-2", key=key2))
    renamed = replace(OTHER, name="Renamed board", base_url="http://attacker.example")
    client.xadd(OUTCOME_STREAM, signed(RelayedMessage("job-2", 1, MessageKind.BEGIN, {"site": asdict(renamed)})))
    writer.settled()
    found = reasons(redis_url)
    assert "no dispatch of job job-1 is recorded in Redis" in found[0]
    assert "wrong signature: not signed with the key of job 'job-2' for site 'relayed'" in found[1]
    assert "job job-2 began site 'other' otherwise than it was dispatched: a job may not rename a site" in found[2]
    # The job whose begin was refused is told so at once, not after a timeout.
    answer = json.loads(json.loads(client.lpop(reply_key("job-2", OTHER.id)))["answer"])
    assert "a job may not rename a site or change its base_url" in answer["error"]
    writer.close()
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        assert conn.execute("SELECT count(*) FROM sites").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM crawls").fetchone() == (0,)


def test_a_refused_job_fails_at_once_and_a_forged_answer_is_not_believed(writer, redis_url):
    key = dispatched(redis_url, TOKEN)
    channel = JobChannel(redis_url, TOKEN, key, reply_timeout=10)
    started = time.monotonic()
    with pytest.raises(
        RelayError, match="the archive's writer refused the crawl: job job-1 began site 'relayed' otherwise"
    ):
        channel.begin(replace(SITE, base_url="http://attacker.example"))
    assert time.monotonic() - started < 5
    writer.close()  # no writer: what answers now is whoever else writes Redis
    forged = JobChannel(redis_url, "job-2", dispatched(redis_url, "job-2"), reply_timeout=10)
    writer.client.rpush(
        reply_key("job-2", SITE.id), json.dumps({"answer": json.dumps({"crawl_id": 1, "state": {}}), "sig": "0" * 64})
    )
    with pytest.raises(RelayError, match="not signed by the archive's writer"):
        forged.begin(SITE)


@pytest.mark.parametrize(
    "applied, seq, kind, verdict",
    [
        (0, 1, MessageKind.BEGIN, "apply"),
        (0, 2, MessageKind.PAGE, "out of sequence: message 2 of the job, after 0; expected 1"),
        (4, 5, MessageKind.PAGE, "apply"),
        (4, 4, MessageKind.PAGE, "repeated"),
        (4, 2, MessageKind.FINISH, "repeated"),
        (4, 2**62, MessageKind.ENDED, "apply"),
        (2**62, 5, MessageKind.PAGE, "repeated"),  # after the job was given up for dead
        (4, MAX_INT, MessageKind.PAGE, f"out of sequence: message {MAX_INT} of the job, after 4; expected 5"),
    ],
)
def test_a_job_s_messages_are_applied_in_their_turn(applied, seq, kind, verdict):
    assert sequence(applied, seq, kind) == verdict


def test_neither_the_writer_nor_dispatch_starts_without_the_relay_key(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from crawler.commands.cli import cli
    from crawler.scaleout.dispatch import NodesError, load_nodes

    monkeypatch.delenv("PRESSWATCH_KEY_FILE", raising=False)
    writer = ["writer", "--redis", "redis://127.0.0.1:1/0", "--db", str(tmp_path / "archive.db")]
    result = CliRunner().invoke(cli, writer)
    assert result.exit_code == 2 and "pass --key-file or set PRESSWATCH_KEY_FILE" in result.output
    (tmp_path / "short.key").write_text("secret\n")
    result = CliRunner().invoke(cli, [*writer, "--key-file", str(tmp_path / "short.key")])
    assert result.exit_code == 1 and "holds 6 characters; a relay key needs at least 32" in result.output
    nodes = tmp_path / "nodes.toml"
    nodes.write_text('redis = "redis://127.0.0.1:1/0"\n\n[[node]]\nurl = "http://127.0.0.1:6800"\n')
    with pytest.raises(NodesError, match=r"needs key_file = .*or set PRESSWATCH_KEY_FILE"):
        load_nodes(nodes)
    (tmp_path / "relay.key").write_text(RELAY_KEY.decode())
    nodes.write_text(
        'redis = "redis://127.0.0.1:1/0"\nkey_file = "relay.key"\n\n[[node]]\nurl = "http://127.0.0.1:6800"\n'
    )
    assert load_nodes(nodes).relay_key == RELAY_KEY  # beside nodes.toml


def test_the_page_message_check_knows_every_field_a_job_sends():
    from storage import FetchKind, FetchOutcome, MessageKind, Observation
    from storage.contract.messages import BODIES

    sent = FetchOutcome("s", "1", FetchKind.PAGE, Observation(url="https://example.org/1")).to_dict()
    assert set(sent) == {name.rstrip("?") for name in BODIES[MessageKind.PAGE]}
