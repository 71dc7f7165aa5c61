"""`presswatch export warc|wacz`: the captures behind a site's versions, as evidence
(written by crawler.readers.warc_export)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crawler.commands.options import NewFile, Since, db_option, open_archive
from crawler.exceptions import ExportError
from crawler.readers import warc_export

if TYPE_CHECKING:
    from storage import Capture


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
            "-o",
            "--output",
            type=NewFile(),
            help=f"Write here  [default: SITE{suffix}].",
        )(command)
        return db_option(command)

    return decorate


def _export(db: str, site: str, since: str, target: Path, write: Callable[[Path, Iterator[Capture], str], int]) -> None:
    """Stream the site's captures through ``write`` into ``target``, under a
    temporary name until done: never half a file, nor an empty one."""
    with open_archive(db) as view:
        if site not in view.site_ids():
            raise click.UsageError(f"no site {site!r} in {db}")

        def written(path: Path) -> int:
            count = write(path, view.captures(site, since), site)
            if not count:
                raise click.ClickException(f"no versions of {site} captured since {since or 'the start'}")
            return count

        try:
            count = warc_export.write_atomically(target, written)
        except ExportError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"wrote {count} captures of {site} to {target}")


@export.command()
@export_options(".warc.gz")
def warc(site, since, output, db):
    """Write a site's captures as a gzipped WARC 1.1 file.

    \b
    Example:
        presswatch export warc mofa_en -o mofa_en.warc.gz
    """
    _export(db, site, since or "", Path(output or f"{site}.warc.gz"), warc_export.warc)


@export.command()
@export_options(".wacz")
def wacz(site, since, output, db):
    """Write a site's captures as WACZ, to open in ReplayWeb.page.

    \b
    Example:
        presswatch export wacz mofa_en -o mofa_en.wacz
    """
    _export(db, site, since or "", Path(output or f"{site}.wacz"), warc_export.wacz)
