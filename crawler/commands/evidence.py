"""`presswatch export warc|wacz`: the captures behind a site's versions, as evidence."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crawler import __version__
from crawler.commands.options import Since, db_option, open_archive

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
            "-o", "--output", type=click.Path(dir_okay=False),
            help=f"Write here  [default: SITE{suffix}].",
        )(command)
        return db_option(command)

    return decorate


def _captures(db: str, site: str, since: str) -> list[Capture]:
    with open_archive(db) as view:
        if site not in view.site_ids():
            raise click.UsageError(f"no site {site!r} in {db}")
        found = view.captures(site, since)
    if not found:
        raise click.ClickException(f"no versions of {site} captured since {since or 'the start'}")
    return found


def _write_atomically(target: Path, write) -> None:
    """Write through a temporary file beside ``target``: never half a file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _warc(found: list[Capture], site: str, path: Path) -> None:
    from storage import write_warc

    with open(path, "wb") as out:
        write_warc(out, iter(found), software=SOFTWARE, description=f"presswatch captures of {site}")


@export.command()
@export_options(".warc.gz")
def warc(site, since, output, db):
    """Write a site's captures as a gzipped WARC 1.1 file.

    \b
    Example:
        presswatch export warc mofa_en -o mofa_en.warc.gz
    """
    found = _captures(db, site, since or "")
    target = Path(output or f"{site}.warc.gz")
    _write_atomically(target, lambda path: _warc(found, site, path))
    click.echo(f"wrote {len(found)} captures of {site} to {target}")


@export.command()
@export_options(".wacz")
def wacz(site, since, output, db):
    """Write a site's captures as WACZ, to open in ReplayWeb.page.

    \b
    Example:
        presswatch export wacz mofa_en -o mofa_en.wacz
    """
    found = _captures(db, site, since or "")
    target = Path(output or f"{site}.wacz")
    pages = [{"url": item.url, "ts": item.warc_date, "title": f"{item.site_id}:{item.key} version {item.version}"}
             for item in found]

    def package(path: Path) -> None:
        from storage import write_wacz

        with tempfile.TemporaryDirectory() as folder:
            warc_file = Path(folder) / f"{site}.warc.gz"
            _warc(found, site, warc_file)
            write_wacz(path, warc_file, pages, title=f"presswatch: {site}", software=SOFTWARE)

    _write_atomically(target, package)
    click.echo(f"wrote {len(found)} captures of {site} to {target}")
