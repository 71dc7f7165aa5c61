"""`make demo`: crawl a local copy of the MOFA board twice, with a change between.

Serves the bundled sample board on 127.0.0.1, crawls it into demo.db, then
edits one release, withdraws another and switches the board to the site's
newer layout, and crawls again: one changed release, one removed, and no
spurious versions from the redesign or the ticking hit counters.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from crawler.demo.server import Board, sample_state, serve_in_thread

EDITED, WITHDRAWN = 0, 3  # positions on the sample board (newest first)


def presswatch(*args: str) -> int:
    env = {**os.environ, "PRESSWATCH_DOWNLOAD_DELAY": "0", "PRESSWATCH_AUTOTHROTTLE": "0"}
    return subprocess.call([sys.executable, "-m", "crawler", *args], env=env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="demo.db", help="archive to write (replaced)")
    db = parser.parse_args().db
    path = Path(db)
    for stale in path.parent.glob(f"{path.name}*"):  # the db and its -wal, -shm, .lock
        stale.unlink()

    board = Board(sample_state())
    server = serve_in_thread(board)
    crawl = ("crawl", "mofa_en", "--db", db, "--base-url", server.base_url)

    print(f"== First crawl of the sample board at {server.base_url}")
    presswatch(*crawl)

    state = board.state
    edited = state["releases"][EDITED]
    edited["paragraphs"][1] = edited["paragraphs"][1].replace(
        "exchanged views on ways to strengthen", "held in-depth talks on how to deepen"
    )
    edited["paragraphs"].append("3. The meeting was followed by a working lunch.")
    state["releases"][WITHDRAWN]["status"] = 404
    board.replace({**state, "layout": "new"})
    print("\n== The board changed: one release edited, one withdrawn, new page layout")
    status = presswatch(*crawl)

    print(f"\n== What changed in mofa_en:{edited['seq']}")
    presswatch("diff", f"mofa_en:{edited['seq']}", "--db", db)
    print(f"\nThe archive is {db}: try 'presswatch history mofa_en:{edited['seq']} --db {db}'.")
    server.shutdown()
    return status


if __name__ == "__main__":
    sys.exit(main())
