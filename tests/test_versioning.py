"""The versioning rule as a table, the outcome record, and the archive as
sqlite-utils sees it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from sqlite_utils import Database

from storage import (
    ArchiveView,
    ArchiveWriter,
    Attachment,
    Content,
    FetchKind,
    FetchOutcome,
    ListedEntry,
    ListingOutcome,
    Observation,
    Outcome,
    ReleaseState,
    Site,
    content_hash,
    decide,
    listing_events,
    normalise,
    site_event,
)
from storage.write.archive import Archive

BODY = "1. First paragraph.\n\n2. Second paragraph."
V1 = normalise(Content("Talks", "2026-08-06T18:00:00+09:00", BODY))
LIVE = ReleaseState("live", V1, content_hash(V1))
REMOVED = ReleaseState("removed", V1, content_hash(V1))
EDITED = Content("Talks", "2026-08-06T18:00:00+09:00", BODY + "\n\n3. Third.")
NOISY = Content(" Talks ", "2026-08-06", "1. First\u00a0 paragraph.\n\n\n2. Second paragraph.")

PAGE, GONE, NOT_MODIFIED, ERROR = FetchKind.PAGE, FetchKind.GONE, FetchKind.NOT_MODIFIED, FetchKind.ERROR

# (archived release, fetch, content) → (outcome, stores a version, new status, events, counted)
CASES = {
    "first capture": ((None, PAGE, EDITED), (Outcome.NEW, True, "live", ("new",), True)),
    "same content": ((LIVE, PAGE, V1), (Outcome.UNCHANGED, False, "live", (), True)),
    "whitespace, nbsp and a coarser date": ((LIVE, PAGE, NOISY), (Outcome.UNCHANGED, False, "live", (), True)),
    "edited": ((LIVE, PAGE, EDITED), (Outcome.CHANGED, True, "live", ("changed",), True)),
    "404 on a live release": ((LIVE, GONE, None), (Outcome.REMOVED, False, "removed", ("removed",), True)),
    "404 again": ((REMOVED, GONE, None), (Outcome.REMOVED, False, None, (), False)),
    "back, unchanged": ((REMOVED, PAGE, V1), (Outcome.UNCHANGED, False, "live", ("restored",), True)),
    "back, edited": ((REMOVED, PAGE, EDITED), (Outcome.CHANGED, True, "live", ("changed", "restored"), True)),
    "304": ((LIVE, NOT_MODIFIED, None), (Outcome.NOT_MODIFIED, False, "live", (), True)),
    "304 for a removed release": (
        (REMOVED, NOT_MODIFIED, None),
        (Outcome.NOT_MODIFIED, False, "live", ("restored",), True),
    ),
    "error": ((LIVE, ERROR, None), (Outcome.ERROR, False, None, (), True)),
    "error before any capture": ((None, ERROR, None), (Outcome.ERROR, False, None, (), True)),
    "404 for a release never archived": ((None, GONE, None), (Outcome.ERROR, False, None, (), True)),
    "304 for a release never archived": ((None, NOT_MODIFIED, None), (Outcome.ERROR, False, None, (), True)),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_decide(case):
    (release, kind, content), (outcome, versioned, status, events, counted) = CASES[case]
    decision = decide(release, kind, content)
    assert decision.outcome is outcome
    assert (decision.version is not None) == versioned
    assert (decision.status, decision.events, decision.counted) == (status, events, counted)


UNLISTED = ReleaseState("live", V1, content_hash(V1), unlisted=True)

# A fetch made because a complete pass over the list did not show the release.
MISSING_CASES = {
    "page answers, unchanged": ((LIVE, PAGE, V1), (Outcome.UNCHANGED, ("unlisted",))),
    "page answers, edited": ((LIVE, PAGE, EDITED), (Outcome.CHANGED, ("changed", "unlisted"))),
    "304": ((LIVE, NOT_MODIFIED, None), (Outcome.NOT_MODIFIED, ("unlisted",))),
    "already unlisted": ((UNLISTED, PAGE, V1), (Outcome.UNCHANGED, ())),
    "404: removed, not unlisted": ((LIVE, GONE, None), (Outcome.REMOVED, ("removed",))),
    "error: nothing": ((LIVE, ERROR, None), (Outcome.ERROR, ())),
    "removed, back but not listed": ((REMOVED, PAGE, V1), (Outcome.UNCHANGED, ("restored", "unlisted"))),
}


@pytest.mark.parametrize("case", MISSING_CASES, ids=list(MISSING_CASES))
def test_decide_missing_from_the_list(case):
    (release, kind, content), (outcome, events) = MISSING_CASES[case]
    decision = decide(release, kind, content, missing_from_list=True)
    assert (decision.outcome, decision.events) == (outcome, events)


# A fetch whose page answered a permanent redirect to another release URL of the board.
MOVED_CASES = {
    "moved, unchanged": ((LIVE, PAGE, V1), (Outcome.UNCHANGED, ("moved",))),
    "moved and edited": ((LIVE, PAGE, EDITED), (Outcome.CHANGED, ("changed", "moved"))),
    "moved while removed": ((REMOVED, PAGE, V1), (Outcome.UNCHANGED, ("restored", "moved"))),
    "never archived: new, no move": ((None, PAGE, V1), (Outcome.NEW, ("new",))),
    "error: nothing": ((LIVE, ERROR, None), (Outcome.ERROR, ())),
}


@pytest.mark.parametrize("case", MOVED_CASES, ids=list(MOVED_CASES))
def test_decide_moved(case):
    (release, kind, content), (outcome, events) = MOVED_CASES[case]
    decision = decide(release, kind, content, moved=True)
    assert (decision.outcome, decision.events) == (outcome, events)


@pytest.mark.parametrize(
    "listed_title, unlisted, title, events",
    [
        ("A", False, "A", ()),
        (None, False, "A", ()),
        ("A", False, "", ()),
        ("A", False, "B", ("list_retitled",)),
        ("A", True, "A", ("relisted",)),
        ("A", True, "B", ("relisted", "list_retitled")),
    ],
)
def test_listing_events(listed_title, unlisted, title, events):
    assert listing_events(listed_title, unlisted, title) == events


def test_a_listing_survives_json():
    listing = ListingOutcome(
        "mofa_en",
        "/list.do",
        3,
        [ListedEntry("1", "https://x/1", "T", "2026-01-02", 4)],
        seen_at="2026-01-03T00:00:00+00:00",
        crawl_id=9,
    )
    assert ListingOutcome.from_dict(json.loads(json.dumps(listing.to_dict()))) == listing


def test_a_coarser_date_keeps_the_precise_one():
    decision = decide(LIVE, PAGE, Content("Talks", "2026-08-06", BODY + "\n\n3. Third."))
    assert decision.version is not None
    assert decision.version.published == "2026-08-06T18:00:00+09:00"


@pytest.mark.parametrize(
    "previous, status, event",
    [
        (None, "finished", None),
        (None, "failed", "site_failing"),
        ("finished", "failed", "site_failing"),
        ("failed", "failed", None),
        ("failed", "finished", "site_recovered"),
        ("finished", "finished", None),
    ],
)
def test_site_events(previous, status, event):
    assert site_event(previous, status) == event


def test_an_outcome_survives_json():
    outcome = FetchOutcome(
        "mofa_en",
        "318874",
        FetchKind.PAGE,
        Observation(url="https://example.org/1", http_status=200, hits=12, updated="2026-02-03", etag='"x"'),
        Content("Title", "2026-01-02", "Body.", (Attachment("a.pdf", "https://example.org/a.pdf"),)),
        raw_html=b"<html>\xea\xb0\x80</html>",
        encoding="utf-8",
        crawl_id=7,
        missing_from_list=True,
        request_headers=[("User-Agent", "presswatch")],
        response_headers=[("Set-Cookie", "a"), ("Set-Cookie", "b")],
        moved_to="https://example.org/2",
        moved_key="2",
    )
    assert FetchOutcome.from_dict(json.loads(json.dumps(outcome.to_dict()))) == outcome


def test_sqlite_utils_finds_both_search_indexes(tmp_path):
    path = tmp_path / "a.db"
    with Archive.open(path) as archive:
        archive.register_site(Site("test", "Test"))
        crawl = archive.start_crawl("test")
        for words in ("Talks in Manila.", "Talks in Jakarta."):
            archive.apply(
                FetchOutcome(
                    "test",
                    "1",
                    PAGE,
                    Observation(url="u"),
                    Content("T", None, words),
                    crawl_id=crawl,
                )
            )
    db = Database(path)
    assert db["versions"].detect_fts() == "versions_fts"
    assert db["word_changes"].detect_fts() == "word_changes_fts"
    assert [row["body"] for row in db["versions"].search("manila")] == ["Talks in Manila."]
    assert [row["text"] for row in db["word_changes"].search("jakarta")] == ["Jakarta."]
    result = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "search", str(path), "versions", "jakarta", "-c", "body"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"body": "Talks in Jakarta."}]


def test_the_view_cannot_write(tmp_path):
    Archive.open(tmp_path / "a.db").close()
    with ArchiveView.open(tmp_path / "a.db") as view:
        with pytest.raises(Exception, match="readonly"):
            view.db.execute("INSERT INTO sites (id, name) VALUES ('x', 'x')")


def test_a_list_page_written_before_its_releases_still_counts(tmp_path):
    # The crawl writes a list page as soon as it is read, usually before the
    # releases it shows: what it showed must reach them all the same.
    with ArchiveWriter(tmp_path / "a.db") as writer:
        crawl = writer.begin(Site("test", "Test")).crawl_id
        seen = "2026-01-02T03:04:05+00:00"
        writer.apply_listing(
            ListingOutcome("test", "/list", 1, [ListedEntry("1", "1", "Listed title", None, 1)], seen, crawl)
        )
        writer.apply(_page("1", crawl))
        writer.apply(_page("2", crawl))
    with sqlite3.connect(tmp_path / "a.db") as conn:
        rows = conn.execute("SELECT key, listed_title, last_listed FROM releases ORDER BY key").fetchall()
    assert rows == [("1", "Listed title", seen), ("2", None, None)]


def _page(key: str, crawl_id: int) -> FetchOutcome:
    return FetchOutcome(
        "test", key, PAGE, Observation(url=key), Content(f"Title {key}", None, "Body."), crawl_id=crawl_id
    )


def _committed_keys(path) -> list[str]:
    with sqlite3.connect(path) as conn:  # another connection sees only what was committed
        return [key for (key,) in conn.execute("SELECT key FROM releases ORDER BY key")]


def test_the_writer_commits_outcomes_together_and_each_whole(tmp_path):
    path = tmp_path / "a.db"
    with ArchiveWriter(path, max_pending=2, commit_every=3600) as writer:
        crawl = writer.begin(Site("test", "Test")).crawl_id
        writer.apply(_page("1", crawl))
        assert _committed_keys(path) == []
        writer.apply(_page("2", crawl))
        assert _committed_keys(path) == ["1", "2"]
        writer.apply(_page("3", crawl))
        # An outcome that fails takes only its own effects with it; the ones
        # applied before it are committed, as if each had been alone.
        with pytest.raises(sqlite3.IntegrityError):
            writer.apply(_page("4", crawl + 99))  # no such crawl
        assert _committed_keys(path) == ["1", "2", "3"]
        writer.apply(_page("5", crawl))
        writer.commit()
        assert _committed_keys(path) == ["1", "2", "3", "5"]
        writer.apply(_page("6", crawl))
    assert _committed_keys(path) == ["1", "2", "3", "5", "6"]  # closing commits


def test_the_writer_commits_after_commit_every_seconds(tmp_path):
    path = tmp_path / "a.db"
    with ArchiveWriter(path, commit_every=0) as writer:
        crawl = writer.begin(Site("test", "Test")).crawl_id
        writer.apply(_page("1", crawl))
        assert _committed_keys(path) == ["1"]
