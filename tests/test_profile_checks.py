"""A profile or alerts file is checked whole when it is loaded; a profile's
regular expressions cannot stall a run; whatever goes wrong inside a crawl's
callbacks fails the site instead of passing for success; SIGTERM stops a run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from crawler.exceptions import AlertConfigError, ProfileError
from crawler.sites.profile import load_profile

from .helpers import FAST_ENV, FILES, ROOT, release, run_presswatch

MINIMAL = 'id = "x"\nname = "X"\nbase_url = "https://x.example"\nstart = "/news"\n'
MOFA = (ROOT / "crawler" / "sites" / "mofa_en.toml").read_text("utf-8")


@pytest.mark.parametrize(
    "text, message",
    [
        # values the loader let through, which failed every page at run time
        (MINIMAL + "encoding = 'rot13'\n", "'encoding' must be a text encoding, not 'rot13'"),
        (MINIMAL + "encoding = 'zlib'\n", "'encoding' must be a text encoding"),
        (
            MINIMAL + "[detail]\npublished_formats = [1]\n",
            "[detail] published_formats: each item must be a string, not int",
        ),
        (MINIMAL + "[detail]\npublished_formats = ['']\n", "[detail] published_formats: a format cannot be empty"),
        (MINIMAL + "[detail]\ndrop = ['script', 2]\n", "[detail] drop: each item must be a string, not int"),
        (MINIMAL + "allowed_domains = ['ok.example', 3]\n", "'allowed_domains': each item must be a string, not int"),
        (MINIMAL.replace('"/news"', '["/news", 7]'), "'start': each item must be a string, not int"),
        # numbers out of range
        (MINIMAL + "[pagination]\nfirst = -100\n", "[pagination] first must be 0 or more, not -100"),
        (MINIMAL + "[pagination]\nmax_pages = 0\n", "[pagination] max_pages must be 1 or more, not 0"),
        (MINIMAL + "[pagination]\nfirst = true\n", "[pagination] first must be an integer, not bool"),
        (MINIMAL + "key_segment = true\n", "'key_segment' must be an integer, not bool"),
        # key terms: a list of words or phrases, each with something to match
        (MINIMAL + "key_terms = 'casualties'\n", "'key_terms' must be a list of strings, not str"),
        (MINIMAL + "key_terms = ['casualties', '--']\n", "'key_terms': each must be a word or phrase of at most 100"),
        (MINIMAL + f"key_terms = ['{'x' * 101}']\n", "'key_terms': each must be a word or phrase of at most 100"),
        (MINIMAL + "[pagination]\nparam = ''\n", "[pagination] param must be a query parameter name"),
        # unknown keys, with the likely intended one
        (MINIMAL + "timezon = 'Asia/Seoul'\n", "unknown key 'timezon'; did you mean 'timezone'?"),
        (MINIMAL + "[detial]\ntitle = 'h1'\n", "unknown key 'detial'; did you mean 'detail'?"),
        (MINIMAL + "[links]\npatern = '(.+)'\n", "unknown key 'patern' in [links]; did you mean 'pattern'?"),
        (MINIMAL + "[detail]\ntitle = 3\n", "[detail] title must be a string, not int"),
        # paths the crawl joins to base_url
        (MINIMAL.replace('"/news"', '"news"'), "'start': a path must begin with /"),
        (MINIMAL + "[links]\ndetail_url = '/view.do?seq=1'\n", "[links] detail_url must contain {key}"),
        (
            MINIMAL + "[links]\ndetail_url = '/view.do?seq={key}&b={board}'\n",
            "[links] detail_url: only {key} can be filled in",
        ),
        # regular expressions: RE2's syntax, and the group the crawl reads
        (
            MINIMAL + "[links]\npattern = '^(?!#)(.+)$'\n",
            "[links] pattern: look-ahead and look-behind are not supported",
        ),
        (MINIMAL + "[links]\npattern = '(a)\\1'\n", "[links] pattern: back-references are not supported"),
        (MINIMAL + "[links]\npattern = 'seq=\\d+'\n", "[links] pattern needs a group in parentheses"),
        (MINIMAL + "[detail]\nhits_pattern = 'Hits: \\d+'\n", "[detail] hits_pattern needs a group in parentheses"),
    ],
)
def test_broken_profile_is_refused_whole_naming_file_and_key(text, message):
    with pytest.raises(ProfileError) as error:
        load_profile("x.toml", text)
    assert str(error.value).startswith("x.toml: ")
    assert message in str(error.value)


def test_key_terms_load_with_their_spaces_tidied_and_reach_the_site_record():
    profile = load_profile("x.toml", MINIMAL + "key_terms = ['casualties', '  maritime\tsecurity ', '사상자']\n")
    assert profile.key_terms == ("casualties", "maritime security", "사상자")
    assert profile.as_site().key_terms == profile.key_terms
    assert load_profile("x.toml", MINIMAL).as_site().key_terms == ()


def test_every_bundled_and_test_profile_still_loads():
    paths = [*ROOT.glob("crawler/sites/*.toml"), *FILES.glob("sites/*.toml"), *FILES.glob("corpus/*/profile.toml")]
    assert len(paths) > 10
    for path in paths:
        load_profile(path)


def test_a_catastrophic_pattern_runs_in_linear_time():
    from crawler.extract.pages import parse_list
    from crawler.sites.patterns import search

    # (a+)+$, the classic: Python's re took 4 s over 26 letters here, doubling with each one more
    profile = load_profile("x.toml", MINIMAL + "[links]\npattern = '^(/n/(?:a+)+)$'\n")
    page = f"<li><a href='/n/{'a' * 27}!'>Long</a></li><li><a href='/n/aaa'>A</a>"
    started = time.monotonic()
    listed = parse_list(page, profile, "https://x.example/news")
    assert search("(a+)+$", "a" * 100_000 + "!") is None
    assert time.monotonic() - started < 1
    assert [item.key for item in listed] == ["https://x.example/n/aaa"]


@pytest.mark.parametrize(
    "command",
    [
        ["sites", "--db", "{tmp}/a.db"],
        ["crawl", "--all", "--db", "{tmp}/a.db"],
        ["check", "x"],
        ["dispatch", "--all", "--nodes", "{tmp}/page.html"],
        ["extract", "{tmp}/page.html", "--site", "x"],
        ["reextract", "x", "--db", "{tmp}/a.db"],
    ],
)
def test_every_command_refuses_a_broken_profile_with_one_error_line(tmp_path, command):
    (tmp_path / "x.toml").write_text(MINIMAL + "encoding = 'rot13'\n")
    (tmp_path / "page.html").write_text("<html></html>")
    args = [arg.format(tmp=tmp_path) for arg in command]
    result = run_presswatch(*args, env={"PRESSWATCH_SITES_DIR": str(tmp_path)})
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {tmp_path / 'x.toml'}: 'encoding' must be a text encoding, not 'rot13'"]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "a.db").exists()


# alerts.toml ------------------------------------------------------------------

ALERT = '[[alert]]\nname = "desk"\nurls = ["json://127.0.0.1:9/hook"]\n'


@pytest.mark.parametrize(
    "text, message",
    [
        (ALERT + 'site = ["mofa_en"]\n', "[[alert]] 'desk': unknown key 'site'; did you mean 'sites'?"),
        (ALERT + 'sites = ["mofa_eng"]\n', "[[alert]] 'desk': unknown site 'mofa_eng'; did you mean 'mofa_en'?"),
        (ALERT + 'sites = ["mofa_en", 3]\n', "[[alert]] 'desk': sites must be a list of site ids"),
        (ALERT + "name = 'again'\n", ""),  # a TOML error: the file and the line
        ('[[alerts]]\nurls = ["json://127.0.0.1:9/hook"]\n', "unknown key 'alerts'; did you mean 'alert'?"),
        (ALERT.replace('name = "desk"', "name = 7"), "[[alert]] 7: name must be a string, not int"),
    ],
)
def test_a_broken_alerts_file_is_refused_naming_file_and_key(tmp_path, text, message):
    from crawler.readers.alerts import load_config

    path = tmp_path / "alerts.toml"
    path.write_text(text)
    with pytest.raises(AlertConfigError) as error:
        load_config(path, known_sites={"mofa_en", "mofa_ko"})
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)


@pytest.mark.parametrize("command", [["notify"], ["crawl", "mofa_en", "--base-url", "http://127.0.0.1:9"]])
def test_notify_and_crawl_refuse_a_broken_alerts_file_before_anything_else(tmp_path, command):
    (tmp_path / "alerts.toml").write_text(ALERT + 'site = ["mofa_ko"]\n')
    result = run_presswatch(*command, "--db", str(tmp_path / "a.db"), env={"PRESSWATCH_SITES_DIR": str(tmp_path)})
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {tmp_path / 'alerts.toml'}: [[alert]] 'desk': unknown key 'site'; did you mean 'sites'?"]
    assert "Traceback" not in result.stderr and not (tmp_path / "a.db").exists()


# A run's health -----------------------------------------------------------------


def crawl_with_fault(board, db, target: str, *extra: str) -> subprocess.CompletedProcess:
    """`presswatch crawl mofa_en` with ``target`` (module.function, in
    crawler.spiders.walk or the page verdict) replaced by a function that
    raises: a reader bug no profile check catches."""
    module, function = target.rsplit(".", 1)
    script = (
        f"import sys, importlib; module = importlib.import_module({module!r})\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('the reader broke')\n"
        f"module.{function} = broken\n"
        "from crawler.commands import cli\n"
        "cli(sys.argv[1:], prog_name='presswatch')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script, "crawl", "mofa_en", "--db", db, "--base-url", board.url, *extra],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **FAST_ENV},
    )


@pytest.mark.parametrize(
    "target, where",
    [("crawler.spiders.walk.parse_list", "list page"), ("crawler.policy.verdict.observe", "release page")],
)
def test_an_exception_in_a_callback_fails_the_site(board, db, target, where):
    result = crawl_with_fault(board, db, target)
    assert result.returncode == 1, result.stdout + result.stderr
    [summary] = [line for line in result.stdout.splitlines() if line.startswith("mofa_en:")]
    assert summary.startswith("mofa_en: failed:")
    assert f"{where}" in summary and "RuntimeError: the reader broke" in summary
    sites = run_presswatch("sites", "--db", db, "--json")
    assert '"status": "failed"' in sites.stdout and "RuntimeError: the reader broke" in sites.stdout


def test_a_catastrophic_link_pattern_cannot_stall_a_crawl(board, db, tmp_path):
    # On a row's href the first alternative backtracks exponentially before
    # failing (the href does not end in '.'): Python's re took 0.03 s over
    # 20 characters after the key, doubling with each one more, and never
    # reached the second alternative on the board's 33.
    profile = MOFA.replace('id = "mofa_en"', 'id = "stall"').replace(
        """pattern = '''(?:[?&]seq=|f_view\\(\\s*['"])(\\d+)'''""",
        "pattern = '''(?:seq=|f_view\\(')(\\d+)(?:(?:[^#]+)+\\.$|\\D)'''",
    )
    assert "(?:[^#]+)+" in profile
    (tmp_path / "stall.toml").write_text(profile)
    started = time.monotonic()
    result = run_presswatch(
        "crawl", "stall", "--db", db, "--base-url", board.url, "--site-file", str(tmp_path / "stall.toml"), timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "new 12" in result.stdout and time.monotonic() - started < 45


def test_sigterm_stops_a_crawl_within_seconds_and_the_next_run_completes(board, db):
    # Pages answer after 60 s: a stop that waited for the pages in flight
    # would take a minute (the downloads' timeout, raised above the delay).
    board.set({"releases": [release(900 - i, days_ago=i + 1, delay=60) for i in range(6)]})
    command = [sys.executable, "-m", "crawler", "crawl", "mofa_en", "--db", db, "--base-url", board.url]
    env = {**os.environ, **FAST_ENV, "PRESSWATCH_DOWNLOAD_TIMEOUT": "120"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while len(set(board.paths("view.do"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    stopped = time.monotonic()
    try:
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert time.monotonic() - stopped < 8, err
    assert process.returncode == 1, out + err
    assert "mofa_en: interrupted" in out or "mofa_en: failed" in out, out + err
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT status FROM crawls").fetchall() != [("finished",)]

    board.set({"releases": [release(900 - i, days_ago=i + 1) for i in range(6)]})
    again = run_presswatch("crawl", "mofa_en", "--db", db, "--base-url", board.url)
    assert again.returncode == 0 and "new 6" in again.stdout, again.stdout + again.stderr
