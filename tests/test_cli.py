"""The command line on an archive built by the demo (two real crawls)."""

import json
import subprocess
import sys

import click
import pytest

from crawler.commands.cli import cli

from .helpers import ROOT, run_presswatch

EDITED = "mofa_en:321000"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = subprocess.run(
        [sys.executable, "-m", "crawler.demo", "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return str(db), result.stdout


def test_demo_shows_both_summaries_and_the_diff(demo):
    _, output = demo
    assert "mofa_en: finished: requests 19, new 14, changed 0, unchanged 0, removed 0, errors 0" in output
    assert "new 0, changed 1, unchanged 12, removed 1, errors 0; swept 1 of 1" in output
    assert "+2. The two sides held in-depth talks on how to deepen development cooperation and agreed" in output
    assert "+3. The meeting was followed by a working lunch." in output


def test_history_by_key_and_by_url(demo):
    db, _ = demo
    by_key = run_presswatch("history", EDITED, "--db", db)
    assert by_key.returncode == 0
    lines = by_key.stdout.splitlines()
    assert lines[0].startswith("mofa_en:321000 https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=321000 (live)")
    assert lines[1].split()[:2] == ["version", "captured_at"]
    assert [line.split()[0] for line in lines[2:]] == ["1", "2"]
    assert "body" in lines[3]
    url = "https://www.mofa.go.kr/eng/brd/m_5676/view.do?page=3&seq=321000&srchWord="
    assert run_presswatch("history", url, "--db", db).stdout == by_key.stdout


def test_history_json_and_csv(demo):
    db, _ = demo
    data = json.loads(run_presswatch("history", EDITED, "--db", db, "--json").stdout)
    assert data["release"]["version_count"] == 2
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert data["versions"][1]["changed"] == ["body"]
    lines = run_presswatch("history", EDITED, "--db", db, "--csv").stdout.splitlines()
    assert lines[0] == "version,captured_at,published,changed,title,content_hash"
    assert lines[2].startswith("2,") and ",body," in lines[2]


def test_diff_json(demo):
    db, _ = demo
    data = json.loads(run_presswatch("diff", EDITED, "--db", db, "--json").stdout)
    assert (data["release"], data["from"], data["to"]) == (EDITED, 1, 2)
    assert data["diff"].startswith("--- version 1\n+++ version 2\n")


def test_diff_default_is_the_last_two_versions(demo):
    db, _ = demo
    default = run_presswatch("diff", EDITED, "--db", db)
    assert default.returncode == 0
    assert default.stdout.startswith("--- version 1\n+++ version 2\n")
    assert run_presswatch("diff", EDITED, "1", "2", "--db", db).stdout == default.stdout
    backwards = run_presswatch("diff", EDITED, "2", "1", "--db", db).stdout
    assert "-3. The meeting was followed by a working lunch." in backwards


@pytest.mark.parametrize(
    "args, message",
    [
        (["history", "mofa_en:999"], "no release mofa_en:999"),
        (["history", "nonsense"], "neither SITE:KEY nor a URL"),
        (["diff", "mofa_en:318874"], "has 1 version: nothing to compare"),
        (["diff", EDITED, "1", "7"], "no version 7"),
        (["diff", EDITED, "1"], "give two version numbers"),
    ],
)
def test_bad_references_are_usage_errors(demo, args, message):
    db, _ = demo
    result = run_presswatch(*args, "--db", db)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_archive_is_a_clear_error(tmp_path):
    result = run_presswatch("history", EDITED, "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1
    assert "no archive at" in result.stderr


def test_sites_lists_id_name_and_profile_file():
    result = run_presswatch("sites")
    assert result.returncode == 0
    assert "mofa_en" in result.stdout and "mofa_en.toml" in result.stdout


def test_scraped_control_characters_never_reach_the_terminal():
    from crawler.commands.text import safe

    assert safe("Title\x1b]0;pwned\x07 \x1b[2J") == "Title\ufffd]0;pwned\ufffd \ufffd[2J"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented_with_an_example(name):
    command = cli.commands[name]
    assert command.help and "Example:" in command.help
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts} has no help"


def test_crawl_disables_telnet_and_remote_control(board, db):
    result = run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url, "-v")
    enabled = result.stderr.split("Enabled extensions:", 1)[1].split("]", 1)[0]
    assert "CoreStats" in enabled
    assert "RemoteControl" not in enabled and "TelnetConsole" not in enabled


def test_changes_table_json_and_csv(demo):
    db, _ = demo
    table = run_presswatch("changes", "--db", db).stdout.splitlines()
    assert table[0].split() == [
        "at",
        "event",
        "release",
        "version",
        "changed",
        "kinds",
        "significance",
        "title",
        "message",
    ]
    events = sorted(line.split()[1] for line in table[1:])
    assert events == ["changed"] + ["new"] * 14 + ["removed"]
    data = json.loads(run_presswatch("changes", "--db", db, "--json", "--site", "mofa_en").stdout)
    (changed,) = [row for row in data if row["event"] == "changed"]
    assert (
        changed["release"] == EDITED and changed["changed"] == ["body"] and changed["diff"].startswith("--- version 1")
    )
    csv_lines = run_presswatch("changes", "--db", db, "--csv").stdout.splitlines()
    assert csv_lines[0] == "at,event,release,version,changed,kinds,significance,title,message,url,diff"
    assert run_presswatch("changes", "--db", db, "--site", "nosuchsite").stdout.strip().count("\n") == 0


def test_changes_since(demo):
    db, _ = demo
    assert len(json.loads(run_presswatch("changes", "--db", db, "--json", "--since", "2099-01-01").stdout)) == 0
    assert len(json.loads(run_presswatch("changes", "--db", db, "--json", "--since", "1h").stdout)) == 16
    bad = run_presswatch("changes", "--db", db, "--since", "last tuesday")
    assert bad.returncode == 2 and "neither an age" in bad.stderr


def test_search(demo):
    db, _ = demo
    found = json.loads(run_presswatch("search", "ASEAN AND Manila", "--db", db, "--json").stdout)
    assert [row["release"] for row in found] == ["mofa_en:318874"]
    assert "[ASEAN]" in found[0]["snippet"] or "[Manila]" in found[0]["snippet"]
    # every version is searchable: the words the edit removed are still found
    old_words = json.loads(run_presswatch("search", '"exchanged views on ways"', "--db", db, "--json").stdout)
    assert {row["release"] for row in old_words} >= {EDITED}
    bad = run_presswatch("search", "ASEAN AND (", "--db", db)
    assert bad.returncode == 2 and "cannot search" in bad.stderr and "Traceback" not in bad.stderr
