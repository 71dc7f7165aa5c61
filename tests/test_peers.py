"""The peer extractors the benchmark scores presswatch against (bench/peers.py).

They run in their own environment, .venv/peers, which `make test` builds:
every one of them must be there and find a real release's lead, offline.
"""

import json

import pytest

from bench import peers

from .helpers import ROOT

BOARD = ROOT / "tests" / "files" / "corpus" / "texas_ag"
URL = "https://www.texasattorneygeneral.gov/news/releases/"


def test_every_peer_finds_the_lead_of_a_real_release_without_the_network():
    if not (peers.PEERS_ENV / "bin" / "python").exists():
        pytest.fail(f"no peers environment at {peers.PEERS_ENV}: run `make test`, which builds it")
    file, record = next(iter(json.loads((BOARD / "expected.json").read_text("utf-8")).items()))
    lead = record["body"][0].split(". ")[0]
    results = peers.run_isolated([{"html": (BOARD / file).read_text("utf-8"), "url": URL + file}])
    assert sorted(results) == sorted(peers.PEERS)
    for name, result in results.items():
        assert (result.failed, result.network) == ([], 0), name
        assert any(lead in paragraph for paragraph in result.paragraphs[0]), name


def test_a_failing_peer_gives_no_paragraphs_and_the_others_go_on(monkeypatch):
    def broken(html: str, url: str) -> list[str]:
        raise ValueError("no")

    monkeypatch.setitem(peers.PEERS, "broken", broken)
    page = {
        "html": "<html><body><article><p>" + "A release's own words, " * 30 + "</p></article></body></html>",
        "url": URL,
    }
    assert peers.peer_paragraphs("broken", page["html"], page["url"]) == []
    results = peers.run([page, page], ["broken", "trafilatura"])  # trafilatura is presswatch's own dependency
    assert (results["broken"].paragraphs, results["broken"].failed) == ([[], []], [0, 1])
    assert results["trafilatura"].paragraphs[1] and results["trafilatura"].failed == []


def test_readability_summary_blocks_are_paragraphs():
    html = (
        "<div><p>One <b>bold</b>\n word</p><ul><li>item<p>inner</p>tail</li></ul>loose<br>line"
        "<table><tr><td>cell</td><td>other</td></tr></table><blockquote>said</blockquote></div>"
    )
    assert peers.block_paragraphs(html) == [
        "One bold word",
        "item",
        "inner",
        "tail",
        "loose",
        "line",
        "cell",
        "other",
        "said",
    ]
