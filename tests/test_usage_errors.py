"""A command given what it cannot use says so in one exact `Error:` line,
exit status 2 (a usage error) or 1 (nothing to work on), and no traceback:
each line pinned here, so that a message a person reads changes only on
purpose."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crawler.commands.cli import cli
from storage import ArchiveWriter

KINDS = (
    "'title', 'date', 'number', 'name', 'negation', 'quote', 'sentence_added', 'sentence_removed', "
    "'paragraph_added', 'paragraph_removed', 'moved', 'attachment_added', 'attachment_removed', "
    "'attachment_renamed', 'link', 'wording', 'spelling', 'typography'"
)

USAGE = [
    (["crawl", "nosuchsite"], "Error: unknown site 'nosuchsite'; known sites: mofa_en, mofa_ko"),
    (["crawl", "--all", "mofa_en"], "Error: name the sites to crawl, or pass --all (not both)"),
    (["crawl"], "Error: name the sites to crawl, or pass --all (not both)"),
    (
        ["crawl", "mofa_en", "--base-url", "ftp://x"],
        "Error: Invalid value for '--base-url': 'ftp://x' must start with http:// or https:// and name a host",
    ),
    (
        ["crawl", "mofa_en", "--sweep-days", "-1"],
        "Error: Invalid value for '--sweep-days': -1.0 is not in the range 0<=x<=36525.",
    ),
    (["check", "nosuchsite"], "Error: unknown site 'nosuchsite'; known sites: mofa_en, mofa_ko"),
    (["reextract", "nosuchsite"], "Error: unknown site 'nosuchsite'; known sites: mofa_en, mofa_ko"),
    (
        ["changes", "--since", "yesterday-ish"],
        "Error: Invalid value for '--since': 'yesterday-ish' is neither an age like 7d / 12h / 2w nor a date",
    ),
    (["changes", "--kind", "nosuchkind"], f"Error: Invalid value for '--kind': 'nosuchkind' is not one of {KINDS}."),
    (
        ["changes", "--min-significance", "2"],
        "Error: Invalid value for '--min-significance': 2.0 is not in the range 0<=x<=1.",
    ),
    (["search", 'a"b'], "Error: Invalid value for QUERY: cannot search for 'a\"b': unterminated string"),
    (
        ["diff", "mofa_en:700", "0", "1"],
        "Error: Invalid value for '[VERSIONS]...': 0 is not a version: versions are numbered from 1",
    ),
    (["feed", "--limit", "0"], "Error: Invalid value for '--limit': 0 is not a count: counts start at 1"),
    (
        ["feed", "--limit", "99999999999999999999"],
        "Error: Invalid value for '--limit': 99999999999999999999 is too large",
    ),
    (
        ["extract", "missing.html", "--site", "mofa_en"],
        "Error: Invalid value for 'FILES...': cannot read missing.html: No such file or directory",
    ),
    (["compact", "--batch", "0"], "Error: Invalid value for '--batch': 0 is not in the range 1<=x<=100000."),
    (["serve", "{db}", "--port", "99999"], "Error: Invalid value for '--port': 99999 is not in the range 0<=x<=65535."),
    (
        ["serve", "{db}", "--host", "999.1.1.1"],
        "Error: Invalid value for '--host': '999.1.1.1' is not an IP address or a host name",
    ),
    (
        ["serve", "{db}", "--setting", "nosuch", "1"],
        "Error: Invalid value for '--setting': nosuch is not a valid option (--help-settings to see all)",
    ),
    (
        ["writer", "--redis", "notaurl"],
        "Error: Invalid value for '--redis': 'notaurl' must start with redis://, rediss:// or unix://",
    ),
]

NOTHING_TO_WORK_ON = [
    (
        ["changes", "--db", "{tmp}/none.db"],
        "Error: no archive at {tmp}/none.db: run 'presswatch crawl' first, or pass --db",
    ),
    (["verify", "--db", "{tmp}/none.db"], "Error: no archive at {tmp}/none.db"),
    (["upgrade", "--db", "{tmp}/none.db"], "Error: no archive at {tmp}/none.db"),
]


def error_lines(args: list[str], code: int, tmp_path) -> list[str]:
    ArchiveWriter(tmp_path / "a.db").close()  # an empty archive: the arguments are what is wrong
    filled = [arg.format(tmp=tmp_path, db=tmp_path / "a.db") for arg in args]
    if "--db" not in filled and filled[0] not in ("serve", "writer", "extract", "check"):
        filled += ["--db", str(tmp_path / "a.db")]
    result = CliRunner().invoke(cli, filled)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return [line for line in result.stderr.splitlines() if line.startswith("Error")]


@pytest.mark.parametrize("args, line", USAGE, ids=[" ".join(args) for args, _ in USAGE])
def test_a_usage_error_is_one_exact_line(args, line, tmp_path):
    assert error_lines(args, 2, tmp_path) == [line.format(db=tmp_path / "a.db")]


@pytest.mark.parametrize("args, line", NOTHING_TO_WORK_ON, ids=[" ".join(args) for args, _ in NOTHING_TO_WORK_ON])
def test_nothing_to_work_on_is_one_exact_line(args, line, tmp_path):
    assert error_lines(args, 1, tmp_path) == [line.format(tmp=tmp_path)]


def test_ages_count_back_from_the_archive_s_clock(tmp_path, monkeypatch):
    """PRESSWATCH_NOW fixes the time for everything presswatch does: the
    crawl's timestamps and a reader's "7d" alike."""
    from storage import Content, FetchKind, FetchOutcome, Observation, Site

    db = tmp_path / "a.db"
    with ArchiveWriter(db) as writer:
        crawl = writer.begin(Site("s", "S")).crawl_id
        for key, day in (("1", "2026-01-01"), ("2", "2026-03-01")):
            observed = Observation(url=f"https://s.example/{key}", http_status=200, fetched_at=f"{day}T00:00:00+00:00")
            writer.apply(
                FetchOutcome(
                    "s",
                    key,
                    FetchKind.PAGE,
                    observed,
                    Content(f"T{key}", None, "Text.", ()),
                    raw_html=b"<html></html>",
                    crawl_id=crawl,
                )
            )
    monkeypatch.setenv("PRESSWATCH_NOW", "2026-03-05T00:00:00+00:00")
    result = CliRunner().invoke(cli, ["changes", "--db", str(db), "--since", "7d", "--json"])
    assert result.exit_code == 0, result.output
    assert [row["title"] for row in json.loads(result.stdout)] == ["T2"]
