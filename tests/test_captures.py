"""Captures compressed against their board: every byte back, whatever the
form, through redesigns, damage, old archives and a killed `compact`."""

from __future__ import annotations

import hashlib
import re
import signal
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import zstandard

from bench import capture_sizes
from storage import Content, FetchKind, FetchOutcome, Observation, Site
from storage.contract.captures import CaptureError, Captures
from storage.write import lock
from storage.write.archive import Archive

from .helpers import FILES, ROOT, run_presswatch, store_as_before_compaction, stored_capture

CORPUS = FILES / "corpus"
BOARDS = sorted(path for path in CORPUS.iterdir() if path.is_dir())


def pages(board: Path) -> list[bytes]:
    return [path.read_bytes() for path in sorted(board.glob("*.html"))]


def archive_with_sites(path: Path, *site_ids: str) -> Archive:
    archive = Archive.open(path)
    for site_id in site_ids:
        archive.register_site(Site(site_id, site_id, "XX", "en", "UTC", "https://example.org"))
    return archive


def pack_all(archive: Archive, site_id: str, raws: list[bytes]) -> list[dict]:
    captures = Captures(archive.db)
    with archive.db.atomic():
        return [captures.pack(site_id, raw) for raw in raws]


def test_every_corpus_page_comes_back_byte_for_byte_in_4_kb_a_page(tmp_path):
    archive = archive_with_sites(tmp_path / "a.db", *(board.name for board in BOARDS))
    stored, zlib_bytes, zstd_bytes = [], 0, 0
    references = []
    # Release pages first: every board's first is its reference, stored once
    # beside a capture of a few bytes.  A list page may be of another
    # template and so a reference of its own (in_pib's).
    for kind in (lambda path: path.name != "list.html", lambda path: path.name == "list.html"):
        for board in BOARDS:
            raws = [path.read_bytes() for path in sorted(board.glob("*.html")) if kind(path)]
            for raw, packed in zip(raws, pack_all(archive, board.name, raws)):
                stored.append((raw, packed))
                zlib_bytes += len(zlib.compress(raw, 1))
                zstd_bytes += len(packed["html_zstd"])
        references.append(archive.db.execute("SELECT count(*) FROM capture_references").fetchone()[0])
    per_capture = zstd_bytes / len(stored)
    zstd_bytes += archive.db.execute("SELECT sum(length(html_zstd)) FROM capture_references").fetchone()[0]
    fresh = Captures(sqlite3.connect(tmp_path / "a.db"))  # references read back from the file
    for raw, packed in stored:
        assert fresh.unpack(packed["html_zlib"], packed["html_zstd"], packed["reference_id"]) == raw
    assert references[0] == len(BOARDS)
    assert references[1] - references[0] <= 1, references  # in_pib's list
    assert per_capture <= 4096, per_capture  # the target (make bench reports it too)
    # References included, well under half of zlib's bytes: not a third, for an
    # ASP.NET board's pages carry 25 KB of __VIEWSTATE no template shares (in_pib).
    assert zstd_bytes * 5 < zlib_bytes * 2, (zstd_bytes, zlib_bytes)


def test_a_redesign_starts_a_new_reference_and_old_captures_still_decode(tmp_path):
    archive = archive_with_sites(tmp_path / "a.db", "govuk")
    before, after = pages(CORPUS / "govuk_2014"), pages(CORPUS / "govuk_2022")  # GOV.UK's own redesign
    old = pack_all(archive, "govuk", before)
    new = pack_all(archive, "govuk", after)
    references = [row[0] for row in archive.db.execute("SELECT id FROM capture_references ORDER BY id")]
    assert len(references) == 2
    assert {packed["reference_id"] for packed in old} == {references[0]}
    assert {packed["reference_id"] for packed in new} == {references[1]}
    fresh = Captures(archive.db)
    for raw, packed in zip(before + after, old + new):
        assert fresh.unpack(None, packed["html_zstd"], packed["reference_id"]) == raw
    # A capture of the old template again, after the redesign: the old
    # reference still serves it, no third one is made.
    again = pack_all(archive, "govuk", before[-1:])
    assert again[0]["reference_id"] == references[0]


def test_long_releases_mostly_their_own_text_stay_with_their_template(tmp_path):
    # FOMC minutes run to 60 KB of text: the template saves only a fifth of
    # each page, yet every page is of one design and needs one reference.
    archive = archive_with_sites(tmp_path / "a.db", "fomc")
    raws = pages(CORPUS / "us_federalreserve_minutes")
    packed = pack_all(archive, "fomc", raws)
    assert archive.db.execute("SELECT count(*) FROM capture_references").fetchone()[0] == 1
    for raw, row in zip(raws[1:], packed[1:]):
        assert row["reference_id"] is not None
        assert len(row["html_zstd"]) < 0.9 * len(zstandard.ZstdCompressor(level=3).compress(raw))


def test_a_small_page_makes_no_second_reference_and_nothing_is_lost(tmp_path):
    archive = archive_with_sites(tmp_path / "a.db", "s")
    first, stray = pages(CORPUS / "govuk_2022")[0], b"<html><body>Service unavailable</body></html>"
    packed = pack_all(archive, "s", [first, stray])
    assert archive.db.execute("SELECT count(*) FROM capture_references").fetchone()[0] == 1
    assert Captures(archive.db).unpack(None, packed[1]["html_zstd"], packed[1]["reference_id"]) == stray


@pytest.fixture
def crawled(crawl, db):
    assert crawl().returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def captures_of(db: str) -> dict[int, bytes]:
    with sqlite3.connect(db) as conn:
        return {vid: stored_capture(conn, vid) for (vid,) in conn.execute("SELECT version_id FROM raw_pages")}


def test_a_damaged_reference_is_named_with_every_capture_that_depends_on_it(crawled):
    with sqlite3.connect(crawled) as conn:
        conn.execute("UPDATE capture_references SET html_zstd = substr(html_zstd, 1, 30)")
        names = [
            f"mofa_en {key} version 1"
            for (key,) in conn.execute(
                "SELECT r.key FROM raw_pages p JOIN versions v ON v.id = p.version_id JOIN releases r ON r.id = v.release_id "
                "WHERE p.reference_id IS NOT NULL ORDER BY p.version_id"
            )
        ]
    assert len(names) == 12
    result = run_presswatch("verify", "--db", crawled)
    assert result.returncode == 1
    (problem,) = [line for line in result.stdout.splitlines() if "reference" in line]
    assert problem.startswith("problem: capture reference 1 does not decompress")
    assert problem.endswith("(site mofa_en); the captures that depend on it: " + ", ".join(names))


def _rewrite_reference(conn: sqlite3.Connection, edit, *, checksum: bool) -> None:
    (stored,) = conn.execute("SELECT html_zstd FROM capture_references WHERE id = 1").fetchone()
    raw = edit(zstandard.ZstdDecompressor().decompress(stored))
    packed = zstandard.ZstdCompressor(level=3, write_checksum=checksum).compress(raw)
    conn.execute("UPDATE capture_references SET html_zstd = ? WHERE id = 1", [packed])


def test_a_reference_is_checked_by_its_zstd_checksum_when_read_and_by_sha256_in_verify(crawled):
    with sqlite3.connect(crawled) as conn:
        (stored,) = conn.execute("SELECT html_zstd FROM capture_references WHERE id = 1").fetchone()
        assert zstandard.get_frame_parameters(stored).has_checksum
        damaged = bytearray(stored)
        damaged[len(damaged) // 2] ^= 0x10
        conn.execute("UPDATE capture_references SET html_zstd = ? WHERE id = 1", [bytes(damaged)])
        with pytest.raises(CaptureError, match="reference 1 does not decompress"):
            Captures(conn).reference(1)
        conn.execute("UPDATE capture_references SET html_zstd = ? WHERE id = 1", [stored])
        # Bytes rewritten whole, with a checksum of their own: a reader
        # trusts the frame, `verify` holds them to the SHA-256 of the page.
        _rewrite_reference(conn, lambda raw: raw.replace(b"</title>", b" (edited)</title>", 1), checksum=True)
        assert Captures(conn).reference(1)
    result = run_presswatch("verify", "--db", crawled)
    assert result.returncode == 1
    assert "problem: capture reference 1 is not the page it was made from (SHA-256 differs)" in result.stdout


def test_a_reference_written_without_a_checksum_is_held_to_its_sha256_when_read(crawled):
    with sqlite3.connect(crawled) as conn:
        _rewrite_reference(conn, lambda raw: raw, checksum=False)
        assert Captures(conn).reference(1)
        _rewrite_reference(conn, lambda raw: raw.replace(b"</title>", b" (edited)</title>", 1), checksum=False)
        with pytest.raises(CaptureError, match="SHA-256 differs"):
            Captures(conn).reference(1)


def test_an_old_archive_is_read_as_it_is_then_compacted_to_the_same_bytes(crawled, tmp_path):
    originals = captures_of(crawled)
    store_as_before_compaction(crawled)
    assert captures_of(crawled) == originals
    exported = tmp_path / "before.warc.gz"
    assert run_presswatch("export", "warc", "mofa_en", "--db", crawled, "-o", str(exported)).returncode == 0
    assert run_presswatch("verify", "--db", crawled).returncode == 0

    result = run_presswatch("compact", "--db", crawled, "--vacuum")
    assert result.returncode == 0, result.stderr
    found = re.match(r"compacted 12 captures: ([\d,]+) bytes before, ([\d,]+) after", result.stdout)
    assert found, result.stdout
    before, after = (int(n.replace(",", "")) for n in found.groups())
    assert after < before / 2, result.stdout
    assert captures_of(crawled) == originals
    with sqlite3.connect(crawled) as conn:
        assert conn.execute("SELECT count(*) FROM raw_pages WHERE html_zlib IS NOT NULL").fetchone() == (0,)
    assert run_presswatch("verify", "--db", crawled).stdout.strip() == "whole: 12 versions, 12 captures checked"
    again = tmp_path / "after.warc.gz"
    assert run_presswatch("export", "warc", "mofa_en", "--db", crawled, "-o", str(again)).returncode == 0
    assert payload_digests(again) == payload_digests(exported)
    assert run_presswatch("compact", "--db", crawled).stdout.startswith("compacted 0 captures")


def payload_digests(warc: Path) -> list[str]:
    from warcio.archiveiterator import ArchiveIterator

    with open(warc, "rb") as stream:
        return [
            record.rec_headers.get_header("WARC-Payload-Digest")
            for record in ArchiveIterator(stream)
            if record.rec_type in ("response", "resource")
        ]


def test_compact_is_refused_while_a_crawl_holds_the_archive(crawled):
    lock.acquire(crawled)
    try:
        result = run_presswatch("compact", "--db", crawled)
    finally:
        lock.release(crawled)
    assert result.returncode == 1
    assert "is writing to" in result.stderr and "Traceback" not in result.stderr


def many_captures(path: Path, count: int) -> dict[str, bytes]:
    """An archive of ``count`` releases of real corpus pages, stored as before 0.3."""
    raws = [raw for board in BOARDS[:6] for raw in pages(board)]
    with Archive.open(path) as archive:
        archive.register_site(Site("s", "s", "XX", "en", "UTC", "https://example.org"))
        crawl_id = archive.start_crawl("s")
        for n in range(count):
            raw = raws[n % len(raws)] + str(n).encode()
            archive.apply(
                FetchOutcome(
                    "s",
                    str(n),
                    FetchKind.PAGE,
                    Observation(url=f"https://example.org/{n}"),
                    Content(f"Release {n}", None, f"Body {n}."),
                    raw,
                    crawl_id=crawl_id,
                )
            )
    store_as_before_compaction(str(path))
    return {hashlib.sha256(raw).hexdigest(): raw for raw in captures_of(str(path)).values()}


def test_a_compact_killed_mid_way_loses_nothing_and_the_rerun_completes_it(tmp_path):
    db = tmp_path / "a.db"
    originals = many_captures(db, 400)
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "compact", "--db", str(db), "--batch", "5"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("20 captures compacted"):
            process.send_signal(signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL
    with sqlite3.connect(db) as conn:
        zlib_left = conn.execute("SELECT count(*) FROM raw_pages WHERE html_zlib IS NOT NULL").fetchone()[0]
    assert 0 < zlib_left <= 380  # killed part-way: some batches done, the rest not
    assert {hashlib.sha256(raw).hexdigest() for raw in captures_of(str(db)).values()} == set(originals)
    result = run_presswatch("compact", "--db", str(db))
    assert result.returncode == 0 and result.stdout.startswith(f"compacted {zlib_left} captures"), result.stdout
    assert run_presswatch("verify", "--db", str(db)).stdout.strip() == "whole: 400 versions, 400 captures checked"
    assert {hashlib.sha256(raw).hexdigest() for raw in captures_of(str(db)).values()} == set(originals)


def test_a_quick_bench_holds_captures_to_their_size_but_not_their_speed():
    # make bench QUICK=1 (CI) fails only on correctness; make bench holds the 1 ms read too
    slow = capture_sizes.Formats("real pages", zstd=[5000], unzstd_ms=[0.2], cold_ms=1.2)
    assert len(capture_sizes.problems({"formats": [slow]})) == 2
    assert capture_sizes.problems({"formats": [slow]}, timed=False) == [
        "captures of real pages average 5000 bytes (> 4 KB)"
    ]
