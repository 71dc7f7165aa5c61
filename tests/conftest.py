"""Shared fixtures: one local board server per session, real presswatch runs."""

from __future__ import annotations

import compileall
import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from crawler.demo.server import sample_state

from .helpers import HOSTILE, BoardClient, crawl_board, release, run_presswatch

# `pytest tests/test_properties.py --hypothesis-profile=fuzz` for a long run.
settings.register_profile("default", max_examples=200, deadline=None)
settings.register_profile("fuzz", max_examples=5000, deadline=None)
settings.load_profile("default")


def pytest_configure(config):
    # Hundreds of tests start `python -m crawler`.  Where Python is told not
    # to write bytecode (PYTHONDONTWRITEBYTECODE, common in containers),
    # each of those processes would compile presswatch from source again.
    for package in ("crawler", "storage"):
        compileall.compile_dir(Path(__file__).parent.parent / package, quiet=1)


def pytest_xdist_auto_num_workers(config) -> int:
    # A test spends about a third of its time waiting (on presswatch runs it
    # started, on servers, on retry windows), so `-n auto` starts a worker
    # more than the cores; make test caps them with --maxprocesses.  More
    # would crowd the tests that time a crawl's requests.
    return (os.cpu_count() or 1) + 1


@pytest.fixture(scope="session")
def board_server():
    process = subprocess.Popen([sys.executable, "-m", "crawler.demo.server"], stdout=subprocess.PIPE, text=True)
    url = process.stdout.readline().strip()
    yield BoardClient(url)
    process.terminate()
    process.wait(5)


@pytest.fixture
def board(board_server):
    """A small board (12 recent releases, two list pages), fresh for each test."""
    board_server.set({"releases": [release(500 - i, days_ago=i + 1) for i in range(12)]})
    return board_server


@pytest.fixture
def sample():
    return copy.deepcopy(sample_state())


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "archive.db")


@pytest.fixture
def crawl(board, db):
    """Run `presswatch crawl mofa_en` against the board; returns the process."""

    def run(*extra: str, env: dict | None = None):
        return run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url, *extra, env=env)

    return run


@pytest.fixture(scope="session")
def browse_db(board_server, tmp_path_factory):
    """An archive with a changed, a removed and a hostile release, a
    punctuation fix and a paragraph moved, by real crawls."""
    db = str(tmp_path_factory.mktemp("browse") / "archive.db")
    releases = [release(600 - i, days_ago=i + 1) for i in range(5)]
    releases[0]["paragraphs"] += [f"{n}. Paragraph {n} of the statement, unchanged." for n in range(3, 11)]
    releases[1]["title"] = f"Statement {HOSTILE}"
    releases[1]["paragraphs"].append(f"Quoted markup: {HOSTILE}")
    releases[4]["paragraphs"] += ["3. The ministry thanked the delegation.", "4. The talks closed on a Friday."]
    board_server.set({"releases": releases})
    assert crawl_board(board_server, db).returncode == 0
    state = board_server.state()
    state["releases"][0]["paragraphs"][1] = "2. The two sides agreed to meet again in Manila next spring."
    state["releases"][0]["hits"] = 37
    state["releases"][1]["paragraphs"][0] = f"1. Revised {HOSTILE} paragraph."
    state["releases"][2]["status"] = 404
    state["releases"][3]["paragraphs"][0] = "1. Paragraph one of release 597 - on cooperation."  # a comma, a dash
    moved = state["releases"][4]["paragraphs"]
    moved.insert(1, moved.pop())  # 596's last paragraph, second
    board_server.set(state)
    assert crawl_board(board_server, db).returncode == 0
    return db


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A real redis-server (Debian's), as presswatch writer's stream runs on."""
    from bench.services import RedisServer

    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def redis_url(redis_server):
    from storage import redis_client

    redis_client(redis_server.url).flushdb()
    return redis_server.url
