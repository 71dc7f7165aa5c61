"""One lens: a version is made only when a release's content changed as read
by one and the same reader; a new reader (an upgrade, an edited profile, a
relearned template) re-reads the stored capture instead (storage.write.lens)."""

import json
import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from crawler import __version__
from crawler.sites.profile import load_profile
from storage.write.lens import why

from .helpers import FAST_ENV, FILES, ROOT, run_presswatch
from .test_generic import board_state

SITES = FILES / "sites"

# An earlier presswatch, as a real crawl runs it: another extraction code
# (its own version), which kept the page's hit counter as a closing paragraph.
OLDER_PRESSWATCH = textwrap.dedent("""
    import sys
    import crawler.extract.reader as reader
    import crawler.policy.verdict as verdict
    from dataclasses import replace

    reader.code_id = lambda: "0.0.9+older"
    read = verdict.extract_page

    def leaky(*args, **kwargs):
        found = read(*args, **kwargs)
        body = found.content.body + f"\\n\\nHit : {found.hits}"
        return replace(found, content=replace(found.content, body=body))

    verdict.extract_page = leaky
    from crawler.commands import cli
    cli(prog_name="presswatch", args=sys.argv[1:])
""")


def crawl(board, db, site, *extra, older=False, sites_dir=SITES):
    args = ("crawl", site, "--db", db, "--base-url", board.url, *extra)
    env = {"PRESSWATCH_SITES_DIR": str(sites_dir)}
    if older:
        return subprocess.run(
            [sys.executable, "-c", OLDER_PRESSWATCH, *args],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
            env={**os.environ, **FAST_ENV, **env},
        )
    return run_presswatch(*args, env=env)


def rows(db, sql, *params):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def version_count(db):
    return rows(db, "SELECT count(*) FROM versions")[0][0]


def bump_hits(board, by=9):
    state = board.state()
    for release in state["releases"]:
        release["hits"] += by
    return board.set(state)


@pytest.mark.parametrize("site, layout", [("mofa_en", "old"), ("example_press", "generic")])
def test_an_upgrade_rereads_instead_of_making_versions(board, db, site, layout):
    board.set(board_state(layout, count=12))
    older = crawl(board, db, site, older=True)
    assert older.returncode == 0, older.stdout + older.stderr
    assert version_count(db) == 12
    assert all("Hit :" in body for (body,) in rows(db, "SELECT body FROM versions"))

    bump_hits(board)  # the board is unchanged but for its counters
    result = crawl(board, db, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "new 0, changed 0" in result.stdout
    assert version_count(db) == 12
    assert not any("Hit :" in body for (body,) in rows(db, "SELECT body FROM versions"))
    audits = rows(db, "SELECT action, reason, old_record, new_record, profile FROM reextractions")
    assert len(audits) == 12
    for action, reason, old, new, reader in audits:
        assert action == "re-read"
        assert reason.startswith(f"presswatch {__version__}+") and reason.endswith("(was 0.0.9+older)")
        assert "Hit :" in json.loads(old)["body"] and "Hit :" not in json.loads(new)["body"]
        assert reader.startswith(f"presswatch {__version__}+")
    assert rows(db, "SELECT DISTINCT reader FROM versions") == [(audits[0][4],)]
    assert rows(db, "SELECT count(*) FROM release_events WHERE event != 'new'") == [(0,)]
    assert rows(db, "SELECT count(*) FROM word_changes") == [(0,)]

    state = board.state()
    state["releases"][4]["paragraphs"][0] += " One sentence was added."
    board.set(state)
    assert "changed 1" in crawl(board, db, site).stdout
    assert version_count(db) == 13


def test_an_edited_profile_rereads_instead_of_making_versions(board, db, tmp_path):
    profile = (SITES.parent.parent.parent / "crawler" / "sites" / "mofa_en.toml").read_text("utf-8")
    leaky = profile.replace('body = ".bo_con"', 'body = ".bo_head, .bo_con"')  # the date line kept as body
    assert leaky != profile
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "mofa_en_edited.toml").write_text(leaky.replace('id = "mofa_en"', 'id = "mofa_en_edited"'))
    board.set(board_state("old", count=12))
    assert crawl(board, db, "mofa_en_edited", sites_dir=sites).returncode == 0
    before = rows(db, "SELECT body FROM versions")
    assert all(body.startswith("Date :") for (body,) in before)

    (sites / "mofa_en_edited.toml").write_text(profile.replace('id = "mofa_en"', 'id = "mofa_en_edited"'))
    result = crawl(board, db, "mofa_en_edited", sites_dir=sites)
    assert "new 0, changed 0" in result.stdout, result.stdout + result.stderr
    assert version_count(db) == 12
    reasons = {reason for (reason,) in rows(db, "SELECT reason FROM reextractions")}
    assert reasons == {"profile edited"}


def test_a_relearned_template_makes_no_versions(board, db):
    state = board_state("generic", count=30)
    oldest = state["releases"][-3:]
    board.set({**state, "releases": oldest})  # a new board: three releases, a template learned from three pages
    assert "new 3" in crawl(board, db, "example_press").stdout
    first = dict(rows(db, "SELECT r.key, v.reader FROM versions v JOIN releases r ON r.id = v.release_id"))

    board.set(state)  # 27 releases later: the template is learned again from newer pages
    result = crawl(board, db, "example_press")
    assert "new 27, changed 0" in result.stdout, result.stdout + result.stderr
    assert version_count(db) == 30
    truth = {str(r["seq"]): "\n\n".join(r["paragraphs"]) for r in state["releases"]}
    bodies = dict(rows(db, "SELECT r.key, v.body FROM versions v JOIN releases r ON r.id = v.release_id"))
    assert {key.rsplit("=", 1)[-1]: body for key, body in bodies.items()} == truth
    readers = dict(rows(db, "SELECT r.key, v.reader FROM versions v JOIN releases r ON r.id = v.release_id"))
    for key, reader in first.items():
        assert reader.startswith("presswatch ") and "; template " in reader
        assert readers[key].startswith("presswatch ")

    state = board.state()
    state["releases"][-1]["paragraphs"][1] += " A correction."
    board.set(state)
    assert "changed 1" in crawl(board, db, "example_press").stdout
    assert version_count(db) == 31


def test_why_a_capture_was_read_again():
    old = "presswatch 0.1.0+aaaa; profile 1111; template 2222"
    assert why(None, old) == "read by a presswatch that did not record its reader"
    assert why(old, "presswatch 0.2.0+bbbb; profile 1111; template 2222") == "presswatch 0.2.0+bbbb (was 0.1.0+aaaa)"
    assert why(old, "presswatch 0.1.0+aaaa; profile 3333; template 2222") == "profile edited"
    assert why(old, "presswatch 0.1.0+aaaa; profile 1111; template 4444") == "template relearned"


def test_a_reader_id_names_code_profile_and_template():
    from crawler.extract.generic import Template
    from crawler.extract.reader import reader_id

    profile = load_profile(SITES / "example_press.toml")
    one = reader_id(profile, Template(frozenset({"body>nav"}), 8))
    assert one == reader_id(profile, Template(frozenset({"body>nav"}), 9))  # the same chrome: the same reader
    assert one != reader_id(profile, Template(frozenset({"body>nav", "body>footer"}), 8))
    from dataclasses import replace

    moved_list = replace(profile, start=("/elsewhere",))
    assert reader_id(moved_list, None) == reader_id(profile, None)  # lists are not how pages read
    assert reader_id(replace(profile, timezone="Asia/Seoul"), None) != reader_id(profile, None)


def test_a_small_korean_board_s_first_crawl_is_as_clean_as_its_later_ones(board, db, tmp_path):
    """Six releases, each from another office, profile-less: the office
    line and the hit counter are chrome on the first crawl already, and the
    board grown to 30 (its template learned again) adds no version."""
    profile = (ROOT / "crawler" / "sites" / "mofa_ko.toml").read_text("utf-8").split("[detail]")[0]
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "mofa_ko_generic.toml").write_text(profile.replace('id = "mofa_ko"', 'id = "mofa_ko_generic"'))
    offices = ["북미국", "아시아태평양국", "국제경제국", "개발협력국", "재외동포영사국", "문화외교국"]
    state = board_state("ko", count=30)
    for n, release in enumerate(state["releases"]):
        release["dept"], release["hits"] = offices[n % 6], 40 + 13 * n
    board.set({**state, "releases": state["releases"][-6:]})
    assert "new 6" in crawl(board, db, "mofa_ko_generic", sites_dir=sites).stdout
    truth = {str(r["seq"]): "\n\n".join(r["paragraphs"]) for r in state["releases"]}
    first = rows(db, "SELECT r.key, v.body FROM versions v JOIN releases r ON r.id = v.release_id")
    assert {key: body for key, body in first} == {key: truth[key] for key, _ in first}
    shown = sorted(hits for (hits,) in rows(db, "SELECT hits FROM fetches"))  # each view ticks the counter
    assert shown == [41 + 13 * n for n in range(24, 30)]

    board.set(state)
    bump_hits(board)
    result = crawl(board, db, "mofa_ko_generic", "--full", sites_dir=sites)
    assert "new 24, changed 0" in result.stdout, result.stdout + result.stderr
    assert version_count(db) == 30


def test_a_notice_of_the_page_s_age_makes_no_version(board, db):
    """Releases grow old and governments archive them: the notice old pages
    come to show is not a change of the release."""
    state = board_state("generic", count=8)
    board.set(state)
    assert "new 8" in crawl(board, db, "example_press").stdout
    bodies = rows(db, "SELECT release_id, body FROM versions ORDER BY release_id")

    for release, notice in zip(
        state["releases"][-3:],
        [
            "This news release is more than two years old.",
            "We have archived this page and will not be updating it.",
            "This was published under the 2022 to 2024 Conservative government",
        ],
    ):
        release["notice"] = notice
    board.set(state)
    result = crawl(board, db, "example_press")
    assert "changed 0" in result.stdout, result.stdout + result.stderr
    assert rows(db, "SELECT release_id, body FROM versions ORDER BY release_id") == bodies

    state["releases"][-1]["notice"] = "The minister's office has moved to 12 Harbour Street."
    board.set(state)
    assert "changed 1" in crawl(board, db, "example_press").stdout  # a line of the release's own


def test_a_stamp_the_site_rewrites_makes_no_version(board, db):
    """A site that touches its pages rewrites their "Last updated" line; the
    release is the same, and the stamp is not its text."""
    state = board_state("generic", count=8)
    for n, release in enumerate(state["releases"], start=1):
        release["stamp"] = f"Page last updated: {n} May 2024 at 10:15"  # each page's own
    board.set(state)
    assert "new 8" in crawl(board, db, "example_press").stdout
    assert not rows(db, "SELECT id FROM versions WHERE body LIKE '%updated%'")

    for n, release in enumerate(state["releases"], start=1):
        release["stamp"] = f"Page last updated: {n} June 2025 at 16:40"
    board.set(state)
    result = crawl(board, db, "example_press")
    assert "changed 0" in result.stdout, result.stdout + result.stderr


def test_a_file_link_signed_afresh_on_every_view_makes_no_version(board, db):
    """A board that offers its files through expiring signed links (a
    bucket's X-Amz-Signature) links the same file differently each time."""
    state = board_state("generic", count=8, signed_files=True)
    for release in state["releases"][:2]:
        release["attachments"] = [{"name": "Joint statement (PDF)"}]
    board.set(state)
    assert "new 8" in crawl(board, db, "example_press").stdout
    stored = [url for (files,) in rows(db, "SELECT attachments FROM versions") for url in json.loads(files)]
    assert stored and all(file["url"].endswith(".pdf") for file in stored)

    bump_hits(board)  # every view signs the links again
    result = crawl(board, db, "example_press")
    assert "changed 0" in result.stdout, result.stdout + result.stderr
