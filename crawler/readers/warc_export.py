"""A site's captures as evidence files: a gzipped WARC 1.1, or a WACZ that
ReplayWeb.page opens (``presswatch export``).

A file is written under a temporary name beside its target and takes the
name only once it is whole: a reader never finds half an export, nor an
empty one where an older export was."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from crawler import __version__
from crawler.exceptions import ExportError

if TYPE_CHECKING:
    from storage import Capture

SOFTWARE = f"presswatch {__version__}"


def write_atomically(target: Path, write: Callable[[Path], int]) -> int:
    """What ``write`` returns, after it filled a temporary file that then
    takes ``target``'s name; nothing is left behind when it raises."""
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        raise ExportError(f"cannot write in {target.parent}: {error.strerror}") from None
    os.close(handle)
    try:
        count = write(Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
    return count


def warc(path: Path, found: Iterator[Capture], site: str) -> int:
    """The captures as a gzipped WARC file; how many."""
    from storage import write_warc  # warcio: only exports load it

    with open(path, "wb") as out:
        return write_warc(out, found, software=SOFTWARE, description=f"presswatch captures of {site}")


def wacz(path: Path, found: Iterator[Capture], site: str) -> int:
    """The captures as a WACZ file, one page per version; how many."""
    from storage import write_wacz

    pages: list[dict[str, str]] = []

    def noted(captures: Iterator[Capture]) -> Iterator[Capture]:
        for item in captures:
            pages.append(
                {"url": item.url, "ts": item.warc_date, "title": f"{item.site_id}:{item.key} version {item.version}"}
            )
            yield item

    with tempfile.TemporaryDirectory() as folder:
        warc_file = Path(folder) / f"{site}.warc.gz"
        count = warc(warc_file, noted(found), site)
        if count:
            write_wacz(path, warc_file, pages, title=f"presswatch: {site}", software=SOFTWARE)
    return count
