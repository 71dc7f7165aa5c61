from storage.contract.content import Attachment, Content
from storage.contract.diff import unified_diff

OLD = Content(
    "Minister meets counterpart",
    "2017-08-06T18:00:00+09:00",
    "1. The ministers met in Manila.\n\n2. They agreed to meet again.",
)


def test_one_word_edit_shows_the_paragraph_removed_and_added():
    new = Content(OLD.title, OLD.published, OLD.body.replace("met in", "met twice in"))
    assert unified_diff(OLD, new, "version 1", "version 2") == (
        "--- version 1\n"
        "+++ version 2\n"
        "@@ -3,3 +3,3 @@\n"
        " \n"
        "-1. The ministers met in Manila.\n"
        "+1. The ministers met twice in Manila.\n"
        " 2. They agreed to meet again.\n"
    )


def test_title_and_date_corrections_are_in_the_diff():
    new = Content("Minister meets Counterpart", "2017-08-07T18:00:00+09:00", OLD.body)
    assert unified_diff(OLD, new) == (
        "--- a\n"
        "+++ b\n"
        "@@ -1,3 +1,3 @@\n"
        "-Title: Minister meets counterpart\n"
        "-Published: 2017-08-06T18:00:00+09:00\n"
        "+Title: Minister meets Counterpart\n"
        "+Published: 2017-08-07T18:00:00+09:00\n"
        " \n"
    )


def test_added_attachment_is_an_added_line():
    new = Content(OLD.title, OLD.published, OLD.body, (Attachment("statement.pdf", "https://x/down.do?seq=1"),))
    diff = unified_diff(OLD, new)
    assert "+Attachment: statement.pdf <https://x/down.do?seq=1>" in diff
    assert "\n-" not in diff.split("\n", 2)[2]  # nothing removed


def test_word_runs_mark_replacements_as_delete_then_insert():
    from storage.contract.diff import word_runs

    assert word_runs("talks on the nuclear issue in Manila", "talks on denuclearization in Manila today") == [
        ("equal", "talks on"),
        ("delete", "the nuclear issue"),
        ("insert", "denuclearization"),
        ("equal", "in Manila"),
        ("insert", "today"),
    ]


def test_a_moved_paragraph_reads_as_moved_in_the_diff_people_read(tmp_path):
    from click.testing import CliRunner

    from crawler.commands.cli import cli
    from storage import ArchiveWriter, FetchKind, FetchOutcome, Observation, Site, with_moves_marked

    old = Content("T", None, "First.\n\nSecond.\n\nThird.")
    new = Content("T", None, "Second.\n\nThird.\n\nFirst, now last.\n\nFirst.")
    marked = with_moves_marked(unified_diff(old, new, "version 1", "version 2"))
    assert "↕ moved from here: First.\n" in marked and "↕ moved here: First.\n" in marked
    assert "+First, now last.\n" in marked  # a new paragraph stays an addition
    assert marked.startswith("--- version 1\n+++ version 2\n")

    db = tmp_path / "a.db"
    with ArchiveWriter(db) as writer:
        crawl = writer.begin(Site("s", "S")).crawl_id
        for content in (old, new):
            writer.apply(
                FetchOutcome(
                    "s",
                    "1",
                    FetchKind.PAGE,
                    Observation(url="https://s.example/1"),
                    content,
                    raw_html=b"<html></html>",
                    crawl_id=crawl,
                )
            )
    shown = CliRunner().invoke(cli, ["diff", "s:1", "--db", str(db)]).stdout
    assert "↕ moved here: First." in shown and "-First." not in shown.splitlines()
    raw = CliRunner().invoke(cli, ["diff", "s:1", "--db", str(db), "--json"]).stdout
    assert "-First." in raw  # --json keeps the patch a program can apply
