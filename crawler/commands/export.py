"""`presswatch export warc|wacz`: the captures behind a site's versions, as evidence."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crawler import __version__
from crawler.commands.options import NewFile, Since, db_option, open_archive

if TYPE_CHECKING:
    from storage import Capture

SOFTWARE = f"presswatch {__version__}"


@click.group()
def export():
    """Export the captures behind a site's versions as WARC or WACZ.

    Each version's capture: the exact bytes presswatch fetched, the HTTP
    status and response headers, the request headers (cookies and
    credentials left out) and the fetch time, with SHA-256 payload digests.
    Pages archived before presswatch kept headers are exported as the bytes
    alone, marked `WARC-Presswatch-Headers: not-recorded`.

    \b
    Example:
        presswatch export warc mofa_en --since 2026-01-01 -o mofa_en.warc.gz
    """


def export_options(suffix: str):
    def decorate(command):
        command = click.argument("site")(command)
        command = click.option(
            "--since", type=Since(), help="Only versions captured since (7d, 2w, a date)  [default: all]."
        )(command)
        command = click.option(
            "-o", "--output", type=NewFile(),
            help=f"Write here  [default: SITE{suffix}].",
        )(command)
        return db_option(command)

    return decorate


def _export(db: str, site: str, since: str, target: Path, write: Callable[[Path, Iterator[Capture]], int]) -> None:
    """Stream the site's captures through ``write`` into ``target``, under a
    temporary name until done: never half a file, nor an empty one."""
    with open_archive(db) as view:
        if site not in view.site_ids():
            raise click.UsageError(f"no site {site!r} in {db}")

        def written(path: Path) -> int:
            count = write(path, view.captures(site, since))
            if not count:
                raise click.ClickException(f"no versions of {site} captured since {since or 'the start'}")
            return count

        count = _write_atomically(target, written)
    click.echo(f"wrote {count} captures of {site} to {target}")


def _write_atomically(target: Path, write: Callable[[Path], int]) -> int:
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        raise click.ClickException(f"cannot write in {target.parent}: {error.strerror}") from None
    os.close(handle)
    try:
        count = write(Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
    return count


def _warc(path: Path, found: Iterator[Capture], site: str) -> int:
    from storage import write_warc

    with open(path, "wb") as out:
        return write_warc(out, found, software=SOFTWARE, description=f"presswatch captures of {site}")


@export.command()
@export_options(".warc.gz")
def warc(site, since, output, db):
    """Write a site's captures as a gzipped WARC 1.1 file.

    \b
    Example:
        presswatch export warc mofa_en -o mofa_en.warc.gz
    """
    _export(db, site, since or "", Path(output or f"{site}.warc.gz"), lambda path, found: _warc(path, found, site))


@export.command()
@export_options(".wacz")
def wacz(site, since, output, db):
    """Write a site's captures as WACZ, to open in ReplayWeb.page.

    \b
    Example:
        presswatch export wacz mofa_en -o mofa_en.wacz
    """

    def package(path: Path, found: Iterator[Capture]) -> int:
        from storage import write_wacz

        pages: list[dict] = []

        def noted(captures: Iterator[Capture]) -> Iterator[Capture]:
            for item in captures:
                pages.append({"url": item.url, "ts": item.warc_date,
                              "title": f"{item.site_id}:{item.key} version {item.version}"})
                yield item

        with tempfile.TemporaryDirectory() as folder:
            warc_file = Path(folder) / f"{site}.warc.gz"
            count = _warc(warc_file, noted(found), site)
            if count:
                write_wacz(path, warc_file, pages, title=f"presswatch: {site}", software=SOFTWARE)
        return count

    _export(db, site, since or "", Path(output or f"{site}.wacz"), package)
