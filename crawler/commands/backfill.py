"""`presswatch import warc` and `presswatch backfill`: history from before
presswatch watched a board, from web archives."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.commands.options import db_option, known_profiles, site_file_option
from crawler.commands.text import safe
from crawler.sites.profile import SiteProfile
from storage import PresswatchError


def board(site_id: str, site_files: tuple[str, ...]) -> SiteProfile:
    profiles = known_profiles(site_files)
    if site_id not in profiles:
        raise click.UsageError(f"unknown site {site_id!r}; known sites: {', '.join(sorted(profiles))}")
    return profiles[site_id]


@click.group(name="import")
def import_history():
    """Import a board's history from web archives' files.

    \b
    Example:
        presswatch import warc crawl-2024.warc.gz --site mofa_en
    """


@import_history.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--site", "site_id", required=True, help="The board whose pages to import (a site id).")
@db_option
@site_file_option
@click.option("-v", "--verbose", is_flag=True, help="Log every capture that is not read as a release.")
def warc(files, site_id, db, site_files, verbose):
    """History of SITE from WARC, gzipped WARC or WACZ files.

    Every response record of the board's list and release pages becomes
    history in capture-time order, read as a crawl reads the pages: a
    release's capture is a version only if its content changed; errors,
    maintenance pages and other hosts' pages never are.  Each capture is
    kept with its origin (file, record id, capture time, payload digest);
    importing the same files again changes nothing.  The changes found are
    marked backfilled: feeds and alerts do not announce them.

    \b
    Example:
        presswatch import warc crawl-2024.warc.gz archive-it.wacz --site mofa_en --db archive.db
    """
    from warcio.exceptions import ArchiveLoadFailed

    from crawler.backfill.captures import read_files
    from crawler.backfill.run import import_captures

    profile = board(site_id, site_files)
    paths = [Path(name) for name in files]
    try:
        summary, left_out = import_captures(
            db,
            profile,
            read_files(paths),
            ", ".join(path.name for path in paths),
            verbose=verbose,
        )
    except (PresswatchError, OSError) as error:
        raise click.ClickException(str(error)) from None
    except ArchiveLoadFailed as error:  # a file that is not a WARC
        raise click.ClickException(f"cannot read {error}") from None
    click.echo(safe(f"{summary.line(site_id)}, {left_out} not the board's"))
    if summary.imported + summary.held == 0:
        raise click.ClickException(f"no capture of {site_id}'s list or release pages in {', '.join(files)}")
    sys.exit(0)
