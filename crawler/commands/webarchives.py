"""`presswatch import warc` and `presswatch backfill`: history from before
presswatch watched a board, from web archives."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.backfill import IA_CDX
from crawler.commands.options import COUNT, WebAddress, db_option, known_profiles, site_file_option
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

    from crawler.backfill.replay import import_captures
    from crawler.backfill.web_captures import read_files

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


@click.command()
@click.argument("site_id", metavar="SITE")
@click.option(
    "--cdx",
    "cdx_url",
    type=WebAddress(),
    default=IA_CDX,
    show_default=True,
    help="A Wayback-compatible CDX API (the Internet Archive's, or a pywb collection's /COLL/cdx).",
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only captures from this day on (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Only captures up to this day (YYYY-MM-DD).")
@click.option("--limit", type=COUNT, help="Import at most this many captures, oldest first (the rest next time).")
@db_option
@site_file_option
@click.option("-v", "--verbose", is_flag=True, help="Log every capture that is not read as a release.")
def backfill(site_id, cdx_url, since, until, limit, db, site_files, verbose):
    """History of SITE from a Wayback-compatible web archive.

    Asks the CDX API for the captures of the board's list and release
    pages, fetches each raw capture (TIMESTAMPid_/URL) one at a time with a
    crawl's delay, User-Agent and robots.txt rules, and imports them as
    `import warc` does.  Captures the archive holds are not fetched again,
    so a backfill that was stopped carries on where it was.

    \b
    Example:
        presswatch backfill mofa_en --since 2019-01-01 --db archive.db
    """
    from crawler import settings
    from crawler.backfill.replay import backfill as run
    from crawler.backfill.wayback import Wayback

    profile = board(site_id, site_files)
    if since and until and since > until:
        raise click.BadParameter("--since is after --until", param_hint="--since")
    wayback = Wayback(
        cdx_url,
        delay=settings.DOWNLOAD_DELAY,
        user_agent=settings.USER_AGENT,
        timeout=settings.DOWNLOAD_TIMEOUT,
        obey_robots=settings.ROBOTSTXT_OBEY,
    )
    try:
        summary, left_out, fetched = run(
            db,
            profile,
            wayback,
            since=since.strftime("%Y%m%d") if since else "",
            until=until.strftime("%Y%m%d") + "235959" if until else "",
            limit=limit,
            verbose=verbose,
        )
    except PresswatchError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        safe(
            f"{summary.line(site_id)}, {left_out} not the board's; "
            f"{fetched} fetched from {cdx_url} in {wayback.requests} requests"
        )
    )
    sys.exit(0)
