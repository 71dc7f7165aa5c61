"""No traceback at any door: out-of-range options, damaged archives and
archives presswatch may not write each get one `Error:` line, and are never
made worse."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.commands.cli import cli

from .conftest import crawl_board, release


@pytest.fixture(scope="module")
def archived(board_server, tmp_path_factory) -> Path:
    """A small real archive (two crawls: new and changed versions)."""
    db = tmp_path_factory.mktemp("doors") / "archive.db"
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
    ("sites", "--sweep-days", "inf"),
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
