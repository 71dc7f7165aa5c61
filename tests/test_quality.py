"""The evaluation gate of profile-less extraction (bench/quality.py, bench/corpus.py)."""

import pytest

from bench import corpus, quality

GENERIC = "presswatch, no selectors"


def test_generic_extraction_holds_its_baseline_and_beats_trafilatura_alone():
    results = quality.evaluate()
    ours, theirs = results["presswatch (generic)"], results["trafilatura alone"]
    floor = quality.baseline()
    assert ours.pages >= 100
    assert ours.f1 >= floor["f1"], quality.table(results)
    assert ours.leak_rate <= floor["leak_rate"], quality.table(results)
    assert ours.f1 > theirs.f1 and ours.leak_rate < theirs.leak_rate


@pytest.fixture(scope="module")
def real():
    return corpus.results()


def test_the_corpus_has_six_real_boards_with_list_pages():
    boards = [board for board in corpus.boards() if board.list_html and len(board.pages) >= 3]
    assert len(boards) >= 6
    # The list page gives most releases their listed title and date, as in a crawl.
    assert sum(page.listed is not None for board in boards for page in board.pages) >= 15


def test_every_real_board_without_selectors_holds_the_floor(real):
    floor = quality.baseline()
    for board, row in real.items():
        ours = row[GENERIC]
        assert ours.failed == 0, (board, corpus.table(real))
        assert ours.f1 >= floor["f1"] and ours.leak_rate <= floor["leak_rate"], (board, corpus.table(real))
        assert ours.titles == 1.0, (board, corpus.table(real))


def test_dates_and_attachments_without_selectors_hold_the_floor(real):
    floor = quality.baseline()
    rows = [row[GENERIC] for row in real.values()]
    pages = sum(r.pages for r in rows)
    assert sum(r.dates * r.pages for r in rows) / pages >= floor["dates"], corpus.table(real)
    assert sum(r.attachments_f1 * r.pages for r in rows) / pages >= floor["attachments_f1"], corpus.table(real)


def test_no_error_page_becomes_a_version(real):
    """A maintenance page answering 200, or the list page, at a release's
    URL is a failed fetch: the page does not fit the learned template, its
    title is not the list's, or its main region lists other releases."""
    for board, row in real.items():
        assert row[GENERIC].errors_archived == 0, (board, corpus.table(real))
