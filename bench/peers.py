"""Peer extractors, scored on the same real pages as presswatch's own.

Each peer gives a page's body as paragraphs: one string per paragraph or
line, whitespace collapsed, empty ones dropped.  A peer that raises on a page
gives [] for it and the others go on.  None of them may use the network:
goose3 and newspaper4k are told not to fetch images, newspaper4k's nlp() is
never called, nor its download() (the HTML is set on the article), and the
command line below refuses every connection and counts the attempts.

The peers' current releases cannot share presswatch's environment without
downgrading it (newspaper4k 0.9.6 wants python-dateutil < 3, presswatch has
4; readability-lxml 0.9 wants cssselect < 1.4, Scrapy and parsel have 1.6),
so they have one of their own, ``.venv/peers``, which ``make`` builds.  From
presswatch's environment, ``run_isolated(pages)`` runs this module there::

    .venv/peers/bin/python -m bench.peers --json < pages.json

reading ``[{"html": ..., "url": ...}, ...]`` and printing, per peer, the
paragraphs of each page, the seconds each took, the pages it failed on and
the connections it tried.  ``--corpus`` prints that summary for
tests/files/corpus.  This module imports nothing of presswatch's.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
PEERS_ENV = Path(os.environ.get("PRESSWATCH_PEERS", ROOT / ".venv" / "peers"))
CORPUS = ROOT / "tests" / "files" / "corpus"
# In readability's summary, each of these is a paragraph; the others break lines too.
PARAGRAPH_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote", "pre"}
BREAKING_TAGS = PARAGRAPH_TAGS | {
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "figure",
    "figcaption",
    "hr",
    "br",
    "body",
    "form",
}


def lines(text: str | None) -> list[str]:
    """Plain text as paragraphs: one per line, whitespace collapsed, empty ones dropped."""
    return [line for line in (" ".join(raw.split()) for raw in (text or "").splitlines()) if line]


def block_paragraphs(html: str) -> list[str]:
    """HTML as paragraphs: each block (and <br>) breaks, inline text flows."""
    import lxml.html
    from lxml import etree

    found: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buffer).split())
        buffer.clear()
        if text:
            found.append(text)

    root = lxml.html.fromstring(html)
    for event, node in etree.iterwalk(root, events=("start", "end")):
        tag = node.tag.lower() if isinstance(node.tag, str) else None
        if tag in BREAKING_TAGS:
            flush()
        if event == "start" and tag is not None and node.text:
            buffer.append(node.text)
        elif event == "end" and node is not root and node.tail:
            buffer.append(node.tail)
    flush()
    return found


_LANG = re.compile(
    r"""<html\b[^>]*?\blang\s*=\s*["']?([a-zA-Z]{2,3})|<meta\b[^>]*content-language[^>]*"""
    r"""\bcontent\s*=\s*["']?([a-zA-Z]{2,3})""",
    re.I,
)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title", re.I | re.S)
_SCRIPTS = [
    ("ja", re.compile("[\u3040-\u30ff]")),
    ("ko", re.compile("[\uac00-\ud7a3]")),
    ("zh", re.compile("[\u4e00-\u9fff]")),
]


def language(html: str) -> str | None:
    """The page's language as goose3 and newspaper4k need told: as declared
    (<html lang>, Content-Language), else from the script of its <title>
    (Han: zh, Hangul: ko, kana: ja).  goose3 scores text by English
    stopwords unless given another language's class, newspaper4k unless told
    the language or the page declares it: in Chinese text (fmprc.gov.cn
    declares none) both find no body."""
    declared = _LANG.search(html)
    if declared:
        return (declared.group(1) or declared.group(2)).lower()
    title = _TITLE.search(html)
    for code, script in _SCRIPTS:
        if title and script.search(title.group(1)):
            return code
    return None


def _trafilatura(html: str, url: str) -> list[str]:
    import trafilatura

    return lines(trafilatura.extract(html, url=url))


def _trafilatura_precision(html: str, url: str) -> list[str]:
    import trafilatura

    return lines(trafilatura.extract(html, url=url, favor_precision=True))


def _readability(html: str, url: str) -> list[str]:
    from readability import Document

    return block_paragraphs(Document(html, url=url).summary())


def _resiliparse(html: str, url: str) -> list[str]:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    # No "•" before list items: the bullet is layout, as in the other peers.
    return lines(extract_plain_text(HTMLTree.parse(html), main_content=True, list_bullets=False))


def _goose3(html: str, url: str) -> list[str]:
    from goose3 import Goose
    from goose3.text import StopWordsChinese, StopWordsKorean

    # Image fetching is off by default; said here so that it stays off.
    config: dict[str, object] = {"enable_image_fetching": False}
    stopwords = {"zh": StopWordsChinese, "ko": StopWordsKorean}.get(language(html) or "")
    if stopwords:  # its documented setting for these languages (zh needs goose3[chinese])
        config["stopwords_class"] = stopwords
    with Goose(config) as goose:
        return lines(goose.extract(url=url, raw_html=html).cleaned_text)


def _newspaper4k(html: str, url: str) -> list[str]:
    from newspaper import Article

    # It reads a declared language itself; Chinese it must be told (and needs
    # newspaper4k[zh]).  Not ko, ja and the like: their tokenizers fetch nltk data.
    article = Article(url, fetch_images=False, **({"language": "zh"} if language(html) == "zh" else {}))
    article.html = html  # what download(input_html=...) does, minus its meta-refresh and read-more fetches
    return lines(article.parse().text)


def _boilerpy3(html: str, url: str) -> list[str]:
    from boilerpy3 import extractors

    return lines(extractors.ArticleExtractor().get_content(html))


PEERS: dict[str, Callable[[str, str], list[str]]] = {
    "trafilatura": _trafilatura,
    "trafilatura precision": _trafilatura_precision,
    "readability-lxml": _readability,
    "resiliparse": _resiliparse,
    "goose3": _goose3,
    "newspaper4k": _newspaper4k,
    "boilerpy3": _boilerpy3,
}
MODULES = {
    "trafilatura": "trafilatura",
    "trafilatura precision": "trafilatura",
    "readability-lxml": "readability",
    "resiliparse": "resiliparse.extract.html2text",
    "goose3": "goose3",
    "newspaper4k": "newspaper",
    "boilerpy3": "boilerpy3.extractors",
}


def available() -> list[str]:
    """The peers whose library imports here."""
    found = []
    for name in PEERS:
        try:
            importlib.import_module(MODULES[name])
        except ImportError:
            continue
        found.append(name)
    return found


def peer_paragraphs(name: str, html: str, url: str) -> list[str]:
    """The page's body by one peer; [] when it fails on the page.  An absent
    library raises ImportError rather than scoring as empty pages."""
    try:
        return PEERS[name](html, url)
    except ImportError:
        raise
    except Exception:
        return []


@dataclasses.dataclass
class PeerRun:
    """One peer over a list of pages."""

    paragraphs: list[list[str]]
    seconds: list[float]
    failed: list[int]  # pages on which it raised (their paragraphs are [])
    network: int = 0  # connections it tried, all refused (command line only)


_connections: list[str] = []


def _refuse(*args: object, **kwargs: object) -> NoReturn:
    _connections.append(repr(args[:2]))
    raise OSError("bench.peers: the peers may not use the network")


def forbid_network() -> None:
    """Refuse (and count) every connection and name lookup from here on."""
    socket.socket.connect = _refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = _refuse  # type: ignore[method-assign]
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse


def run(pages: list[dict[str, str]], names: list[str] | None = None) -> dict[str, PeerRun]:
    """Every available peer (or those named) over the pages, in this process.
    Each peer first runs once, untimed, on the first page (its imports and
    loaded resources are not the pages' cost)."""
    found: dict[str, PeerRun] = {}
    for name in names or available():
        if pages:
            with contextlib.suppress(Exception):  # a page it fails on is counted below, not here
                PEERS[name](pages[0]["html"], pages[0]["url"])
        result, before = PeerRun([], [], []), len(_connections)
        for number, page in enumerate(pages):
            start = time.perf_counter()
            try:
                paragraphs = PEERS[name](page["html"], page["url"])
            except Exception:
                paragraphs = []
                result.failed.append(number)
            result.seconds.append(time.perf_counter() - start)
            result.paragraphs.append(paragraphs)
        result.network = len(_connections) - before
        found[name] = result
    return found


def run_isolated(pages: list[dict[str, str]], env: Path = PEERS_ENV, timeout: float = 600) -> dict[str, PeerRun]:
    """Every peer over the pages, in the peers' environment (``make`` builds it)."""
    python = env / "bin" / "python"
    if not python.exists():
        raise FileNotFoundError(f"no peers environment at {env}: `make` builds it")
    done = subprocess.run(
        [str(python), "-m", "bench.peers", "--json"],
        input=json.dumps(pages),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=timeout,
    )
    return {name: PeerRun(**fields) for name, fields in json.loads(done.stdout).items()}


def corpus_pages() -> list[tuple[str, dict[str, str]]]:
    """(board/file, page) for each page of tests/files/corpus, its URL the
    page's canonical link (or og:url, or its board's address)."""
    import tomllib

    import lxml.html

    found = []
    for expected in sorted(CORPUS.glob("*/expected.json")):
        board = expected.parent
        base_url = tomllib.loads((board / "profile.toml").read_text("utf-8"))["base_url"]
        for file in json.loads(expected.read_text("utf-8")):
            html = (board / file).read_text("utf-8")
            links = lxml.html.fromstring(html).xpath(
                "//link[@rel='canonical']/@href | //meta[@property='og:url']/@content"
            )
            found.append((f"{board.name}/{file}", {"html": html, "url": links[0] if links else base_url + "/"}))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.peers", description=(__doc__ or "").split("\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--json", action="store_true", help="pages from stdin as JSON, results to stdout as JSON")
    mode.add_argument("--corpus", action="store_true", help="per peer: empty pages and seconds per page on the corpus")
    parser.add_argument("--peer", action="append", choices=list(PEERS), help="only this peer (repeatable)")
    args = parser.parse_args(argv)
    forbid_network()
    if args.json:
        json.dump(
            {name: dataclasses.asdict(result) for name, result in run(json.load(sys.stdin), args.peer).items()},
            sys.stdout,
            ensure_ascii=False,
        )
        return
    named = corpus_pages()
    names = args.peer or list(PEERS)
    missing = [name for name in names if name not in available()]
    results = run([page for _, page in named], [name for name in names if name not in missing])
    print(f"{len(named)} pages; not installed here: {', '.join(missing) or 'none'}")
    print("| peer | empty pages | of which failed | mean s/page | connections tried |\n|---|---|---|---|---|")
    for name, result in results.items():
        empty = [named[n][0] for n, paragraphs in enumerate(result.paragraphs) if not paragraphs]
        mean = sum(result.seconds) / max(len(result.seconds), 1)
        print(
            f"| {name} | {len(empty)}{': ' + ', '.join(empty) if empty else ''} | {len(result.failed)} "
            f"| {mean:.4f} | {result.network} |"
        )


if __name__ == "__main__":
    main()
