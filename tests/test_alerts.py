"""Alerts: after a crawl, one message per site and destination, each change
sent once, through a real SMTP server (aiosmtpd) and a real HTTP receiver."""

from __future__ import annotations

import email
import email.policy
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from .helpers import FAST_ENV, HOSTILE, ROOT, release, run_presswatch


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """A real SMTP server on 127.0.0.1 that keeps what it is sent."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def url(self) -> str:
        return f"mailto://127.0.0.1:{self.port}?mode=insecure&from=presswatch@localhost&to=desk@example.org"


class Receiver:
    """A real HTTP endpoint for webhooks: answers with ``status``; while
    ``hold`` is set it keeps the sender waiting (a message delivered, its
    sender not yet told)."""

    def __init__(self):
        self.posts: list[dict] = []
        self.status = 200
        self.hold = threading.Event()
        self.received = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append(json.loads(body))
                receiver.received.set()
                while receiver.hold.is_set():
                    time.sleep(0.05)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self) -> str:
        return f"json://127.0.0.1:{self.server.server_port}/hook"


@pytest.fixture(scope="module")
def mailbox():
    box = Mailbox()
    box.controller.start()
    yield box
    box.controller.stop()


@pytest.fixture
def receiver():
    endpoint = Receiver()
    yield endpoint
    endpoint.hold.clear()
    endpoint.server.shutdown()


@pytest.fixture
def alerts(tmp_path, mailbox, receiver):
    """alerts.toml beside the profiles: mail and a webhook for every site."""
    mailbox.messages.clear()
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "alerts.toml").write_text(
        f'[[alert]]\nname = "desk"\nurls = ["{mailbox.url()}"]\n\n'
        f'[[alert]]\nname = "hook"\nurls = ["{receiver.url()}"]\nsites = ["mofa_en"]\n'
    )
    return {"PRESSWATCH_SITES_DIR": str(tmp_path / "sites")}


def crawl(board, db, env, *extra):
    return run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url, *extra, env=env)


def edit(board, **changes) -> None:
    """Edit release 500's first paragraph, remove 499, publish 501."""
    state = board.state()
    first = state["releases"][0]
    first["paragraphs"] = ["1. Paragraph one of release 500, on closer cooperation.", *first["paragraphs"][1:]]
    state["releases"][1]["status"] = 404
    state["releases"].insert(0, release(501, days_ago=0, **changes))
    board.set(state)


def retitle(board, seq: int, title: str) -> None:
    state = board.state()
    next(r for r in state["releases"] if r["seq"] == seq)["title"] = title
    board.set(state)


def deliveries(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT site_id, event_id, state, attempts FROM alert_deliveries ORDER BY id").fetchall()


def test_each_change_is_sent_once_by_mail_and_webhook(board, db, alerts, mailbox, receiver):
    assert crawl(board, db, alerts).returncode == 0
    assert mailbox.messages == [] and receiver.posts == []  # a first crawl finds everything "new": no news
    edit(board, title=f"Release 501 {HOSTILE}")
    result = crawl(board, db, alerts)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1  # the crawl's summary line only: alerts log to stderr

    [mail] = mailbox.messages
    assert mail["Subject"] == "presswatch: mofa_en: 1 new release, 1 changed, 1 removed"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Changed: Release 500 on bilateral cooperation" in text
    assert "{+closer+}" in text  # the word diff, readable as text
    assert "https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=499" in text  # links keep their URL
    assert "<ins>" in html and "closer" in html
    assert "<script>" not in html and "&lt;script&gt;" in html  # scraped text escaped
    assert "Removed: Release 499" in text and "New release: Release 501" in text

    [post] = receiver.posts
    assert post["title"] == mail["Subject"] and "closer" in post["message"]
    assert [state for *_, state, _ in deliveries(db)] == ["sent"] * 6  # 3 changes × 2 destinations

    assert crawl(board, db, alerts).returncode == 0  # nothing new: nothing sent
    assert len(mailbox.messages) == 1 and len(receiver.posts) == 1


def test_a_failed_send_is_retried_next_run_and_never_fails_the_crawl(board, db, alerts, mailbox, receiver):
    assert crawl(board, db, alerts).returncode == 0
    edit(board)
    receiver.status = 500
    result = crawl(board, db, alerts)
    assert result.returncode == 0  # archived; the alert waits
    assert "hook" in result.stderr and "not sent (3 changes; retried next run)" in result.stderr
    assert len(receiver.posts) == 1 and len(mailbox.messages) == 1  # mail went; the webhook refused

    receiver.status = 200
    assert crawl(board, db, alerts).returncode == 0
    assert len(receiver.posts) == 2 and receiver.posts[1]["message"] == receiver.posts[0]["message"]
    assert len(mailbox.messages) == 1  # mail had it: not sent twice
    assert sorted({(state, attempts) for _, _, state, attempts in deliveries(db)}) == [("sent", 1), ("sent", 2)]
    assert crawl(board, db, alerts).returncode == 0
    assert len(receiver.posts) == 2


def test_a_kill_after_sending_never_sends_the_same_changes_again(board, db, alerts, receiver, tmp_path):
    assert crawl(board, db, alerts).returncode == 0
    edit(board)
    # archive the changes without alerting, then send them with `notify`, killed
    # after the receiver has the message but before presswatch hears back
    (tmp_path / "none.toml").write_text("# no destinations\n")
    assert crawl(board, db, {**alerts, "PRESSWATCH_ALERTS": str(tmp_path / "none.toml")}).returncode == 0
    receiver.hold.set()
    sender = subprocess.Popen(
        [sys.executable, "-m", "crawler", "notify", "--db", db, "--site", "mofa_en"],
        cwd=ROOT,
        env={**os.environ, **FAST_ENV, **alerts},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert receiver.received.wait(60)
    sender.send_signal(signal.SIGKILL)
    sender.wait(10)
    receiver.hold.clear()
    assert len(receiver.posts) == 1

    again = run_presswatch("notify", "--db", db, "--site", "mofa_en", env=alerts)
    assert again.returncode == 0, again.stderr
    assert "may have arrived, and are not sent again" in again.stderr
    assert len(receiver.posts) == 1
    assert {state for _, _, state, _ in deliveries(db)} >= {"unknown"}

    retitle(board, 498, "Release 498, retitled")  # a later change still goes out
    assert crawl(board, db, alerts).returncode == 0
    assert (
        len(receiver.posts) == 2
        and receiver.posts[1]["title"] == "presswatch: mofa_en: 1 changed, 1 retitled in the list"
    )


def test_notify_test_sends_a_sample_and_reports_each_destination(alerts, mailbox, receiver):
    receiver.status = 503
    result = run_presswatch("notify", "--test", env=alerts)
    assert result.returncode == 1  # the webhook refused it
    assert "desk (mailto://" in result.stdout and "test message sent" in result.stdout
    assert "hook (json://" in result.stdout and "not sent" in result.stdout
    [mail] = mailbox.messages
    assert mail["Subject"].startswith("[test] presswatch: sample:")
    assert "{+Tuesday.+}" in mail.get_body(("plain",)).get_content()


def test_a_new_destination_starts_from_now_and_follows_only_its_sites(board, db, alerts, mailbox, tmp_path):
    assert crawl(board, db, alerts).returncode == 0
    edit(board)
    (tmp_path / "none.toml").write_text("# no destinations\n")
    quiet = {**alerts, "PRESSWATCH_ALERTS": str(tmp_path / "none.toml")}
    assert crawl(board, db, quiet).returncode == 0  # changes archived before the destination existed
    # a destination is its URL: these two are new (desk@ had followed mofa_en since the first crawl)
    (tmp_path / "later.toml").write_text(f'[[alert]]\nurls = ["{mailbox.url()}&to=later@example.org"]\n')
    (tmp_path / "other.toml").write_text(
        f'[[alert]]\nurls = ["{mailbox.url()}&to=x@example.org"]\nsites = ["mofa_ko"]\n'
    )
    for config in ("later.toml", "other.toml"):
        result = run_presswatch("notify", "--db", db, env={**alerts, "PRESSWATCH_ALERTS": str(tmp_path / config)})
        assert result.stdout.strip() == "nothing new to send"
    assert mailbox.messages == []
    retitle(board, 498, "Release 498, retitled")  # from now on: sent to the one following mofa_en
    assert crawl(board, db, quiet).returncode == 0
    for config in ("later.toml", "other.toml"):
        run_presswatch("notify", "--db", db, env={**alerts, "PRESSWATCH_ALERTS": str(tmp_path / config)})
    [mail] = mailbox.messages
    assert mail["To"] == "later@example.org" and "Release 498, retitled" in mail.get_body(("plain",)).get_content()


def test_a_broken_alerts_file_is_refused_before_the_crawl(board, db, alerts, tmp_path):
    # Checked when loaded, as profiles are: fixed before the first request,
    # not found after a run whose changes would then go nowhere.
    (tmp_path / "sites" / "alerts.toml").write_text('[[alert]]\nurls = ["nosuchservice://x"]\n')
    result = crawl(board, db, alerts)
    assert result.returncode == 2 and "Apprise does not know the URL nosuchservice://" in result.stderr
    assert board.paths() == [] and not os.path.exists(db)
    notify = run_presswatch("notify", "--db", db, env=alerts)
    assert notify.returncode == 2 and "Apprise does not know the URL" in notify.stderr


def targets(db) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {
            row[0]
            for row in conn.execute("SELECT target FROM alert_subscriptions UNION SELECT target FROM alert_deliveries")
        }


def test_destinations_are_known_by_a_keyed_digest_whose_key_is_not_in_the_archive(board, db, alerts, mailbox, receiver):
    import hashlib
    import hmac
    import stat
    from pathlib import Path

    assert crawl(board, db, alerts).returncode == 0
    key_file = Path(db + ".key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = bytes.fromhex(key_file.read_text().strip())
    assert len(key) == 32
    urls = [mailbox.url(), receiver.url()]
    assert targets(db) == {hmac.new(key, url.encode(), hashlib.sha256).hexdigest() for url in urls}
    archive = Path(db).read_bytes()
    assert key not in archive and key.hex().encode() not in archive
    assert not any(hashlib.sha256(url.encode()).hexdigest()[:16].encode() in archive for url in urls)


def test_an_archive_with_unkeyed_digests_keeps_each_destinations_history(board, db, alerts, mailbox, receiver):
    import hashlib
    import hmac
    from pathlib import Path

    assert crawl(board, db, alerts).returncode == 0
    key = bytes.fromhex(Path(db + ".key").read_text())
    with sqlite3.connect(db) as conn:  # as presswatch 0.2 left it: 64 unsalted bits per URL, no key
        for url in (mailbox.url(), receiver.url()):
            old = hashlib.sha256(url.encode()).hexdigest()[:16]
            keyed = hmac.new(key, url.encode(), hashlib.sha256).hexdigest()
            for table in ("alert_subscriptions", "alert_deliveries"):
                conn.execute(f"UPDATE {table} SET target = ? WHERE target = ?", [old, keyed])
    conn.close()
    Path(db + ".key").unlink()
    assert all(len(target) == 16 for target in targets(db))
    edit(board)  # archived by the next crawl, and sent: the destinations still follow mofa_en
    assert crawl(board, db, alerts).returncode == 0
    assert len(mailbox.messages) == 1 and len(receiver.posts) == 1
    assert all(len(target) == 64 for target in targets(db))
    assert crawl(board, db, alerts).returncode == 0
    assert len(mailbox.messages) == 1 and len(receiver.posts) == 1


def test_a_destination_s_min_significance_leaves_cosmetic_changes_out_for_good(board, db, mailbox, tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir()
    config = sites / "alerts.toml"
    config.write_text(f'[[alert]]\nurls = ["{mailbox.url()}"]\nmin_significance = 0.5\n')
    env = {"PRESSWATCH_SITES_DIR": str(sites)}
    mailbox.messages.clear()
    assert crawl(board, db, env).returncode == 0
    state = board.state()
    state["releases"][0]["paragraphs"][1] = "2. The two sides agreed to meet again next year ."  # spacing
    state["releases"][3]["paragraphs"][1] = "2. The two sides agreed to meet again in 2027."  # a number
    board.set(state)
    assert crawl(board, db, env).returncode == 0
    [mail] = mailbox.messages
    text = mail.get_body(("plain",)).get_content()
    assert "in 2027" in text and "next year ." not in text
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM alert_deliveries WHERE state = 'below'").fetchone() == (1,)
    config.write_text(f'[[alert]]\nurls = ["{mailbox.url()}"]\n')  # the threshold lowered: still never sent
    assert run_presswatch("notify", "--db", db, env=env).stdout.strip() == "nothing new to send"
    config.write_text(f'[[alert]]\nurls = ["{mailbox.url()}"]\nmin_significance = 2\n')
    refused = run_presswatch("notify", "--db", db, env=env)
    assert refused.returncode == 2 and "min_significance must be a number from 0 to 1, not 2" in refused.stderr
