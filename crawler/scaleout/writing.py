"""`presswatch writer`'s work: the archive's one writer, applying what
crawl jobs on other machines send through Redis until it is stopped."""

from __future__ import annotations

import signal
from collections.abc import Callable

from crawler.settings import DOWNLOAD_MAXSIZE
from storage import ArchiveWriter, apply_stream, largest_message, load_key


def write_from_redis(redis_url: str, db: str, key_file: str, say: Callable[[str], None]) -> int:
    """Apply the stream to the archive at ``db`` until SIGTERM or Ctrl-C;
    how many messages were applied.  Raises PresswatchError (a busy archive,
    a missing key, Redis out of reach)."""
    stopping: list[bool] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.append(True))
    relay_key = load_key(key_file)
    with ArchiveWriter(db) as archive:
        say(f"writer: applying outcomes from Redis to {db}")
        return apply_stream(
            redis_url, archive, relay_key, max_bytes=largest_message(DOWNLOAD_MAXSIZE), stop=lambda: bool(stopping)
        )
