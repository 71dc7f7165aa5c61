"""No traceback at any door: out-of-range options, damaged archives and
archives presswatch may not write each get one `Error:` line, and are never
made worse."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.commands.cli import cli

from .helpers import ROOT, crawl_board, release, run_presswatch


@pytest.fixture(scope="module")
def archived(board_server, tmp_path_factory) -> Path:
    return archive_crawled_twice(board_server, tmp_path_factory.mktemp("doors"))


def archive_crawled_twice(board_server, folder: Path) -> Path:
    """A small real archive (two crawls: new and changed versions)."""
    db = folder / "archive.db"
    board_server.set({"releases": [release(700 - i, days_ago=i + 1) for i in range(6)]})
    assert crawl_board(board_server, str(db)).returncode == 0
    state = board_server.state()
    state["releases"][0]["paragraphs"][1] = "2. The two sides agreed to meet in Manila."
    board_server.set(state)
    assert crawl_board(board_server, str(db)).returncode == 0
    return db


def copy_of(archive: Path, folder: Path, name: str = "archive.db") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(archive, target)  # the file alone: its writer closed it, checkpointed
    return target


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def one_error_line(result, code: int) -> str:
    """The result failed with ``code`` and one `Error:` line, no traceback."""
    assert not (result.exception and not isinstance(result.exception, SystemExit)), (
        f"{type(result.exception).__name__}: {result.exception}"
    )
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    return errors[0]


def test_no_bidirectional_override_reaches_a_terminal():
    from crawler.commands.text import safe

    assert safe("Minister \u202eteem\u2066 x\u200d") == "Minister \ufffdteem\ufffd x\u200d"


# Out-of-range options ----------------------------------------------------

OUT_OF_RANGE = [
    ("changes", "--since", "9999999d"),
    ("changes", "--since", "99999999999999999999999h"),
    ("changes", "--since", "9999-12-31T23:59:59-05:00"),
    ("changes", "--since", "0001-01-01T00:00:00+05:00"),
    ("search", "a", "--limit", "99999999999999999999"),
    ("feed", "--limit", "99999999999999999999"),
    ("diff", "mofa_en:700", "1", "99999999999999999999"),
    ("diff", "mofa_en:700", "0", "1"),
    ("sites", "--sweep-days", "1e300"),
    ("sites", "--sweep-days", "nan"),
    ("export", "warc", "mofa_en", "--since", "9999999d"),
    ("export", "warc", "mofa_en", "-o", "{tmp}/missing-dir/x.warc.gz"),
    ("export", "wacz", "mofa_en", "-o", "{tmp}/missing-dir/x.wacz"),
    ("backup", "-o", "{tmp}/missing-dir/x.db"),
    ("crawl", "mofa_en", "--sweep-days", "nan"),
    ("crawl", "mofa_en", "--sweep-days", "1e300"),
    ("crawl", "mofa_en", "--revisit-days", "99999999999999999999"),
    ("crawl", "mofa_en", "--base-url", "http://"),
    ("crawl", "mofa_en", "--base-url", "http://[::1"),
    ("crawl", "mofa_en", "--base-url", "http://127.0.0.1:99999"),
    ("check", "mofa_en", "--base-url", "http://["),
    ("check", "mofa_en", "--url", "http://[::1"),
    ("writer", "--redis", "notaurl"),
    ("writer", "--redis", "redis://[::1"),
    ("writer", "--redis", "redis://127.0.0.1:99999"),
    ("dispatch", "mofa_en", "--nodes", "{nodes}", "--timeout", "nan"),
    ("dispatch", "mofa_en", "--nodes", "{nodes}", "--poll", "inf"),
    ("dispatch", "mofa_en", "--nodes", "{nodes}", "--node-grace", "1e308"),
    ("dispatch", "mofa_en", "--nodes", "{nodes}", "--sweep-days", "nan"),
    ("serve", "--setting", "no_such_setting", "1"),
    ("serve", "--setting", "sql_time_limit_ms", "soon"),
    ("serve", "--host", "999.1.1.1"),
    ("serve", "--host", "a host"),
    ("changes", "--min-significance", "1.5"),
    ("changes", "--kind", "typo"),
    ("compact", "--batch", "0"),
]


@pytest.mark.parametrize("args", OUT_OF_RANGE, ids=" ".join)
def test_an_out_of_range_option_is_one_error_line_and_exit_2(args, archived, tmp_path):
    nodes = tmp_path / "nodes.toml"
    nodes.write_text('redis = "redis://127.0.0.1:1"\n[[node]]\nurl = "http://127.0.0.1:1"\n')
    args = [arg.format(tmp=tmp_path, nodes=nodes) for arg in args]
    if args[0] == "crawl":  # were the option taken, nothing would leave this machine
        args += [] if "--base-url" in args else ["--base-url", "http://127.0.0.1:1"]
        args += ["--db", str(tmp_path / "new.db")]
    elif args[0] not in ("check", "dispatch"):
        args += ["--db", str(archived)]
    result = invoke(*args)
    one_error_line(result, 2)
    assert not (tmp_path / "missing-dir").exists()


def test_sweep_days_inf_means_no_sweep(archived):
    result = invoke("sites", "--sweep-days", "inf", "--db", str(archived), "--json")
    assert result.exit_code == 0, result.output
    assert all(site["due"] == 0 for site in json.loads(result.stdout))


# Damaged archives ------------------------------------------------------------

READS = [
    ("changes", "--since", "999d"),
    ("sites",),
    ("history", "mofa_en:700"),
    ("diff", "mofa_en:700"),
    ("search", "cooperation"),
    ("feed",),
    ("export", "warc", "mofa_en", "-o", "{tmp}/out.warc.gz"),
]


def pages_holding(path: Path, *needles: bytes) -> list[int]:
    data = path.read_bytes()
    size = int.from_bytes(data[16:18], "big")
    return sorted({match.start() // size for needle in needles for match in re.finditer(re.escape(needle), data)})


def flipped(archive: Path, folder: Path, offset: int, count: int = 200) -> Path:
    damaged = copy_of(archive, folder)
    data = bytearray(damaged.read_bytes())
    for index in range(offset, min(offset + count, len(data))):
        data[index] ^= 0xFF
    damaged.write_bytes(bytes(data))
    return damaged


def damages(archived: Path) -> list[int]:
    """Offsets to flip 200 bytes at: across the schema's pages and the versions' text."""
    offsets = []
    for needles in ((b"CREATE TABLE", b"CREATE VIEW"), (b"Paragraph one of release",)):
        for page in pages_holding(archived, *needles)[:3]:
            offsets += [page * 4096 + start for start in range(0, 4096, 512)]
    return offsets


def test_a_damaged_archive_is_one_error_line_naming_it_and_never_written(archived, tmp_path):
    failed = 0
    for number, offset in enumerate(damages(archived)):
        folder = tmp_path / str(number)
        damaged = flipped(archived, folder, offset)
        before = damaged.read_bytes()
        for command in READS:
            args = [arg.format(tmp=folder) for arg in command]
            result = invoke(*args, "--db", str(damaged))
            if result.exit_code:
                line = one_error_line(result, 1)
                assert str(damaged) in line, line
                failed += 1
            assert damaged.read_bytes() == before, (offset, command)
            assert not Path(f"{damaged}-wal").exists() or not Path(f"{damaged}-wal").stat().st_size
    assert failed > 50  # the damage was seen, not only stepped around


def test_the_error_says_what_sqlites_integrity_check_says(archived, tmp_path):
    [page, *_] = pages_holding(archived, b"Paragraph one of release")
    damaged = flipped(archived, tmp_path, page * 4096)  # the page's b-tree header
    try:
        with sqlite3.connect(damaged) as conn:
            first = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:  # what it says when it cannot even walk the file
        first = str(error)
    assert first != "ok"
    line = one_error_line(invoke("changes", "--since", "999d", "--db", str(damaged)), 1)
    assert f"archive {damaged} is damaged" in line and first[:40] in line, line


def test_a_crawl_refuses_a_damaged_archive_untouched(archived, board, tmp_path):
    [page, *_] = pages_holding(archived, b"CREATE TABLE")
    damaged = flipped(archived, tmp_path, page * 4096 + 1024)
    before = damaged.read_bytes()
    result = run_presswatch("crawl", "mofa_en", "--db", str(damaged), "--base-url", board.url)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("Error:")] == [
        line for line in result.stderr.splitlines() if line.strip()
    ]
    assert f"archive {damaged} is damaged" in result.stderr
    assert damaged.read_bytes() == before


# Archives presswatch may not write ---------------------------------------------


def read_only(path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run presswatch with ``path`` (a file or a directory) bind-mounted
    read-only in a private mount namespace: even root cannot write it."""
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "-", str(path), sys.executable, "-m", "crawler", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture(scope="module")
def can_mount(tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("mount")
    probe = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" && ! touch "{folder}/x"',
        ],
        capture_output=True,
    )
    if probe.returncode:
        pytest.skip("read-only bind mounts are not possible here (needs root or a user namespace)")


@pytest.mark.parametrize("mounted", ["directory", "file"])
def test_every_read_command_works_on_an_archive_it_may_not_write(mounted, archived, can_mount, tmp_path):
    db = copy_of(archived, tmp_path / "ro")
    out = tmp_path / "out"
    out.mkdir()
    target = db.parent if mounted == "directory" else db
    before = db.read_bytes()
    for command in [
        *READS,
        ("verify",),
        ("export", "wacz", "mofa_en", "-o", "{tmp}/out.wacz"),
        ("backup", "-o", "{tmp}/copy.db"),
    ]:
        args = [arg.format(tmp=out) for arg in command]
        result = read_only(target, *args, "--db", str(db))
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr
    assert db.read_bytes() == before


def outdated(archive: Path, folder: Path) -> Path:
    """An archive as an older presswatch left it: its last migration not applied."""
    db = copy_of(archive, folder)
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE fetches DROP COLUMN updated")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm012_fetch_updated'")
    conn.close()
    return db


def test_a_read_of_an_archive_that_needs_upgrading_says_so_and_leaves_it(archived, tmp_path):
    db = outdated(archived, tmp_path)
    before = db.read_bytes()
    line = one_error_line(invoke("changes", "--db", str(db)), 1)
    assert str(db) in line and "older presswatch" in line and "presswatch upgrade" in line, line
    assert db.read_bytes() == before
    result = invoke("upgrade", "--db", str(db))
    assert result.exit_code == 0 and "m012_fetch_updated" in result.stdout, result.output
    assert invoke("changes", "--db", str(db)).exit_code == 0


def test_upgrade_refuses_a_damaged_archive_untouched(archived, tmp_path):
    db = outdated(archived, tmp_path)
    [page, *_] = pages_holding(db, b"Paragraph one of release")
    data = bytearray(db.read_bytes())
    data[page * 4096 : page * 4096 + 200] = bytes(b ^ 0xFF for b in data[page * 4096 : page * 4096 + 200])
    db.write_bytes(bytes(data))
    line = one_error_line(invoke("upgrade", "--db", str(db)), 1)
    assert f"archive {db} is damaged" in line
    assert db.read_bytes() == bytes(data)


def test_serve_shows_an_archive_it_may_not_write(archived, can_mount, tmp_path):
    db = copy_of(archived, tmp_path / "ro")
    from .test_browse import free_port

    port = free_port()
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    process = subprocess.Popen(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            script,
            "-",
            str(db.parent),
            sys.executable,
            "-m",
            "crawler",
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = wait_for(f"http://127.0.0.1:{port}/-/presswatch/release/mofa_en/700")
        assert "Manila" in page
    finally:
        process.terminate()
        process.wait(10)


def wait_for(url: str, seconds: float = 30) -> str:
    import time
    import urllib.request

    deadline = time.time() + seconds
    while True:
        try:
            with urllib.request.urlopen(url) as response:
                return response.read().decode()
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)
