"""presswatch's command line: thin glue over the crawler and the archive."""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import click

from crawler import __version__
from crawler.commands.alerting import after_crawl, alerts_option, destinations, notify
from crawler.commands.export import export
from crawler.commands.extract import extract
from crawler.commands.lookups import changes, diff, history, search
from crawler.commands.options import (
    COUNT,
    DAYS,
    Doors,
    ListenAddress,
    WebAddress,
    chosen_profiles,
    db_option,
    fractional_days,
    known_profiles,
    open_archive,
    output_options,
    site_file_option,
)
from crawler.commands.rereading import reextract
from crawler.commands.safekeeping import backup, compact, verify
from crawler.commands.scaleout import dispatch, writer
from crawler.commands.text import emit, safe
from crawler.commands.webarchives import backfill, import_history
from crawler.policy.crawlconfig import REVISIT_DAYS, SWEEP_DAYS
from crawler.sites.profile import load_profile
from storage import PresswatchError, now, upgrade_archive


@click.group(cls=Doors)
@click.version_option(__version__, prog_name="presswatch")
def cli():
    """Archive government press releases and track every change.

    \b
    presswatch crawl mofa_en          # fetch what is new or may have changed
    presswatch history mofa_en:318874 # every version of one release
    """


@cli.command()
@click.argument("sites", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Crawl every known site.")
@db_option
@click.option(
    "--base-url",
    type=WebAddress(),
    help="Fetch from this scheme://host instead (a mirror, a test server); one site only.",
)
@site_file_option
@click.option("--full", is_flag=True, help="Walk the whole list and re-fetch every release, unconditionally.")
@click.option(
    "--revisit-days",
    type=DAYS,
    help=f"Re-fetch releases published this many days ago or less  [default: {REVISIT_DAYS}].",
)
@click.option(
    "--sweep-days",
    type=fractional_days(),
    help=f"Recheck every archived release at least once in this many days, a share each run  [default: {SWEEP_DAYS:g}].",
)
@alerts_option
@click.option("-v", "--verbose", is_flag=True, help="Log every request and outcome (INFO), not only problems.")
def crawl(sites, all_sites, db, base_url, site_files, full, revisit_days, sweep_days, alerts_file, verbose):
    """Crawl sites into the archive; print one summary line per site.

    Exits 0 when every site was crawled, 1 when some site failed.  Then
    sends what changed to the destinations in alerts.toml, if there is one
    (see `presswatch notify --help`); alerts never change the exit status.

    \b
    Example:
        presswatch crawl mofa_en --db archive.db
    """
    chosen = chosen_profiles(site_files, sites, all_sites, base_url)
    # checked before the first request, as the profiles are: a typo must not wait for the end of a run
    alert_to = destinations(alerts_file, lambda: set(known_profiles(site_files)))
    from crawler.runner import crawl as run  # imports Scrapy: keep the other commands quick

    try:
        reports = run(
            chosen,
            db,
            base_url=base_url,
            full=full,
            revisit_days=revisit_days,
            sweep_days=sweep_days,
            log_level="INFO" if verbose else "WARNING",
        )
    except PresswatchError as error:
        raise click.ClickException(str(error)) from None
    for report in reports:
        click.echo(report.summary())
    after_crawl(db, [profile.id for profile in chosen], alert_to)
    sys.exit(0 if all(report.ok for report in reports) else 1)


@cli.command()
@site_file_option
@db_option
@click.option(
    "--sweep-days",
    type=fractional_days(),
    default=lambda: os.environ.get("PRESSWATCH_SWEEP_DAYS", f"{SWEEP_DAYS:g}"),
    show_default=f"$PRESSWATCH_SWEEP_DAYS or {SWEEP_DAYS:g}",
    help="Count releases not rechecked for this many days as due.",
)
@output_options
def sites(site_files, db, sweep_days, fmt):
    """List the sites presswatch knows and, per site, how its crawls are going.

    With an archive: the last crawl's status, when one last succeeded, how
    many releases it holds, the rolling sweep's state (the oldest check, how
    many releases are due), and why the last crawl failed.

    \b
    Example:
        presswatch sites --db archive.db
    """
    profiles = known_profiles(site_files)
    health: dict = {}
    if Path(db).exists():
        with open_archive(db) as archive:
            health = archive.site_health(sweep_days)
    rows = []
    for profile in profiles.values():
        site = health.get(profile.id, {})
        rows.append(
            {
                "id": profile.id,
                "name": profile.name,
                "status": site.get("last_status") or "never crawled",
                "last_success": site.get("last_success") or "-",
                "releases": site.get("releases") or 0,
                "oldest_check": site.get("oldest_check") or "-",
                "oldest_check_age": age(site.get("oldest_check")),
                "due": site.get("due") or 0,
                "message": site.get("message") or "",
                "profile": profile.source,
            }
        )
    if not health:  # no archive yet: what is known, and where it came from
        columns = ["id", "name", "profile"]
    else:
        columns = ["id", "name", "status", "last_success", "releases", "oldest_check_age", "due", "message"]
        columns += ["oldest_check", "profile"] if fmt else []
    click.echo(safe(emit(rows, columns, fmt)))


def age(moment: str | None) -> str:
    """How long ago a UTC ISO time was, in days: '3.2 d'."""
    if not moment:
        return "-"
    return f"{(now() - datetime.fromisoformat(moment)).total_seconds() / 86400:.1f} d"


# A public server's: one query may not hold the server's threads for long.
SERVE_SETTINGS = (("suggest_facets", "off"), ("facet_time_limit_ms", "100"), ("sql_time_limit_ms", "1000"))


class DatasetteSetting(click.types.CompositeParamType):
    """NAME VALUE, checked as Datasette checks its --setting (imported only by serve)."""

    name = "setting"
    arity = 2

    def convert(self, value, param, ctx):
        from datasette.cli import Setting

        Setting().convert(value, param, ctx)
        return tuple(value)


@cli.command()
@db_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8001,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option("--host", type=ListenAddress(), default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--setting",
    "settings",
    type=DatasetteSetting(),
    multiple=True,
    help="A Datasette setting, NAME VALUE (repeatable), e.g. --setting default_allow_sql off.",
)
def serve(db, port, host, settings):
    """Browse the archive in Datasette, with presswatch's metadata and diffs.

    Read-only: the archive may be on a read-only mount.  Each SQL query may
    run for a second (--setting sql_time_limit_ms N to change it); arbitrary
    SQL is allowed unless --setting default_allow_sql off.

    \b
    Example:
        presswatch serve --db archive.db --port 8001
    """
    from datasette.cli import cli as datasette

    from crawler.readers.browse.metadata import metadata

    with open_archive(db) as view:  # creates nothing, writes nothing
        immutable = view.immutable
    # SIGTERM (systemd, docker stop, kill) ends the server as Ctrl-C does, so
    # that the metadata file below is removed either way.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(metadata(Path(db).stem), handle)
    try:
        datasette.main(
            [
                "serve",
                *(["-i", db] if immutable else [db]),
                "--metadata",
                handle.name,
                "--host",
                host,
                "--port",
                str(port),
                *(part for name, value in [*SERVE_SETTINGS, *settings] for part in ("--setting", name, value)),
            ],
            prog_name="presswatch serve",
        )
    finally:
        os.unlink(handle.name)


@cli.command()
@click.option("--site", help="Only this site.")
@click.option("--limit", type=COUNT, default=50, show_default=True, help="Newest entries to include.")
@click.option("-o", "--output", type=click.File("wb"), default="-", help="Write here instead of stdout.")
@db_option
def feed(site, limit, output, db):
    """Write an Atom feed of new, changed and removed releases.

    \b
    Example:
        presswatch feed --site mofa_en -o mofa_en.atom
    """
    from crawler.readers.feed import atom_feed

    with open_archive(db) as archive:
        rows = archive.changes("", site, limit=limit, backfilled=False)  # history found late is not news
    output.write(
        atom_feed(
            rows,
            feed_id=f"tag:presswatch,2026:{site or 'all'}",
            title=f"presswatch: changes{' on ' + site if site else ''}",
        )
    )


@cli.command()
@click.argument("site")
@click.option("--url", type=WebAddress(), help="Check this release page instead of the first one listed.")
@click.option("--base-url", type=WebAddress(), help="Fetch from this scheme://host instead (a mirror, a test server).")
@site_file_option
def check(site, url, base_url, site_files):
    """Show what a site profile would archive: one list page, one release.

    SITE is a known site id or a profile file.  Nothing is written.

    \b
    Example:
        presswatch check my_ministry.toml
    """
    from crawler.commands import check as checking  # imports Scrapy: keep the other commands quick

    if site.endswith(".toml"):
        site_files = (*site_files, site)
        site = load_profile(site).id
    profiles = known_profiles(site_files)
    if site not in profiles:
        raise click.UsageError(f"unknown site {site!r}; known sites: {', '.join(sorted(profiles))}")
    report = checking.check(profiles[site], base_url=base_url, url=url)
    for line in checking.describe_report(report):
        click.echo(safe(line))
    if not report.ok:
        sys.exit(1)


cli.add_command(history)
cli.add_command(diff)
cli.add_command(changes)
cli.add_command(search)
cli.add_command(notify)
cli.add_command(export)
cli.add_command(reextract)
cli.add_command(extract)
cli.add_command(writer)
cli.add_command(dispatch)
cli.add_command(backup)
cli.add_command(verify)
cli.add_command(compact)
cli.add_command(import_history)
cli.add_command(backfill)


@cli.command()
@db_option
def upgrade(db):
    """Upgrade an archive an older presswatch wrote, as a crawl does first.

    Read commands never write, so they refuse an archive that needs this.
    Takes the archive's lock like a crawl; a damaged archive is refused
    untouched.

    \b
    Example:
        presswatch upgrade --db archive.db
    """
    applied = upgrade_archive(db)
    click.echo(f"upgraded {db}: applied {', '.join(applied)}" if applied else f"{db} is up to date")
