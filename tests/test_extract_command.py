"""presswatch extract: the records a crawl would store from saved pages."""

import json

from .helpers import FILES, run_presswatch

CORPUS = FILES / "corpus"


def test_saved_pages_give_the_records_a_crawl_would_store(tmp_path):
    board = CORPUS / "texas_ag"
    expected = json.loads((board / "expected.json").read_text("utf-8"))
    profile = (board / "profile.toml").read_text("utf-8").split("[detail]")[0]  # no selectors: learned
    (tmp_path / "texas.toml").write_text(profile)
    pages = sorted(expected)
    result = run_presswatch(
        "extract",
        *(str(board / name) for name in pages),
        "--list",
        str(board / "list.html"),
        "--site-file",
        str(tmp_path / "texas.toml"),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [record["file"] for record in records] == [str(board / name) for name in pages]
    for record, name in zip(records, pages):
        want = expected[name]
        assert record["error"] is None
        assert record["title"] == want["title"]
        assert record["published"][:10] == want["published"]
        assert record["body"] == want["body"]
        assert [a["url"] for a in record["attachments"]] == want["attachments"]
        assert record["url"].startswith("https://www.texasattorneygeneral.gov/news/releases/")
        assert set(record) == {"file", "url", "title", "published", "updated", "body", "attachments", "error"}


def test_a_page_a_crawl_would_refuse_says_why(tmp_path):
    maintenance = tmp_path / "down.html"
    maintenance.write_text("<html><body><p>Down for maintenance.</p></body></html>")
    result = run_presswatch(
        "extract", f"{maintenance}=https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=1", "--site", "mofa_en", "--json"
    )
    assert result.returncode == 0, result.stderr
    [record] = json.loads(result.stdout)
    assert record["url"] == "https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=1"
    assert record["title"] is None and record["body"] == []
    assert record["error"] == "no title at '.board_detail h2' (maintenance or error page?)"


def test_the_profile_is_required_once(tmp_path):
    page = FILES / "mofa_en_318874_old.html"
    result = run_presswatch("extract", str(page))
    assert result.returncode == 2
    assert "Error: give the site's profile: --site SITE or --site-file FILE (one of them)" in result.stderr
    result = run_presswatch("extract", str(page), "--site", "mofa_en", "--list", "missing.html")
    assert result.returncode == 2 and "cannot read missing.html" in result.stderr


def test_a_saved_mofa_page_reads_as_the_example_record():
    page = FILES / "mofa_en_318874_old.html"
    result = run_presswatch(
        "extract", f"{page}=https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=318874", "--site", "mofa_en"
    )
    assert result.returncode == 0, result.stderr
    assert "  title: " in result.stdout and "published: 2017-08-06T18:00:00+09:00" in result.stdout


def test_a_page_showing_a_later_updated_day_gives_both(tmp_path):
    board = CORPUS / "govuk_2014"
    expected = json.loads((board / "expected.json").read_text("utf-8"))
    (tmp_path / "govuk.toml").write_text((board / "profile.toml").read_text("utf-8").split("[detail]")[0])
    pages = sorted(expected)
    result = run_presswatch(
        "extract", *(str(board / name) for name in pages), "--site-file", str(tmp_path / "govuk.toml"), "--json"
    )
    assert result.returncode == 0, result.stderr
    found = {record["file"].rsplit("/", 1)[-1]: record for record in json.loads(result.stdout)}
    for name in pages:  # "Published: 28 May 2010", "Updated: 4 August 2014": the first is the publication
        assert (found[name]["published"][:10], found[name]["updated"]) == (
            expected[name]["published"],
            expected[name]["updated"],
        ), name
    assert any(record["updated"] for record in found.values())


def test_pages_saved_without_their_address_find_their_list_entry_by_the_title_they_show(tmp_path):
    """HTTrack's PCLOB pages name no address: each finds its entry in the
    list by its heading (an <h2> led by zero-width spaces) or the first part
    of its <title> ("Title - PCLOB"), and reads as its record."""
    board = CORPUS / "us_pclob_newsroom"
    expected = json.loads((board / "expected.json").read_text("utf-8"))
    (tmp_path / "pclob.toml").write_text((board / "profile.toml").read_text("utf-8").split("[detail]")[0])
    names = ["agenda_2014.html", "assessment_2015.html", "https_2015.html"]
    result = run_presswatch(
        "extract",
        *(str(board / name) for name in names),
        "--list",
        f"{board / 'list.html'}=https://www.pclob.gov/newsroom.html",
        "--site-file",
        str(tmp_path / "pclob.toml"),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    for record, name in zip(json.loads(result.stdout), names):
        assert (record["error"], record["title"]) == (None, expected[name]["title"])
        assert record["body"] == expected[name]["body"]
