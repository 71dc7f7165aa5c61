"""Alerts from the command line: after a crawl, and `presswatch notify`."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crawler.commands.options import db_option, known_profiles, open_archive
from crawler.commands.text import safe
from crawler.sites.profile import find_alerts_file
from storage import PresswatchError

if TYPE_CHECKING:  # Apprise takes 0.14 s to import: only commands that send pay it
    from crawler.readers.alerts import Destination, Sent

logger = logging.getLogger("presswatch.alerts")


def alerts_option(command):
    return click.option(
        "--alerts",
        "alerts_file",
        type=click.Path(dir_okay=False),
        help="Alert destinations (TOML)  [default: $PRESSWATCH_ALERTS, else alerts.toml in $PRESSWATCH_SITES_DIR].",
    )(command)


def destinations(alerts_file: str | None, known_sites: Callable[[], Collection[str]]) -> list[Destination]:
    """The configured destinations, checked whole (AlertConfigError, a
    ConfigError, when the file is broken); none when no alerts.toml is found.
    ``known_sites`` is asked only when there is a file."""
    path = find_alerts_file(alerts_file)
    if path is None:
        return []
    from crawler.readers.alerts import load_config

    return load_config(path, known_sites())


def after_crawl(db: str, site_ids: list[str], chosen: list[Destination]) -> list[Sent]:
    """Send what the run found to the destinations, loaded and checked before
    the crawl; a failure to send is logged, never raised: alerting must not
    fail the archiving, and what was not sent goes out next run."""
    if not chosen:
        return []
    try:
        from crawler.readers.alerts import deliver

        return deliver(db, chosen, site_ids)
    except PresswatchError as error:
        logger.error("alerts not sent (they go out with the next run): %s", error)
    except Exception:
        logger.exception("alerts not sent (they go out with the next run)")
    return []


def _known_sites(db: str) -> set[str]:
    """Sites an alert may name: those with a profile, and those archived
    (a board crawled with --site-file, or whose profile was retired)."""
    known = set(known_profiles())
    if Path(db).exists():
        with open_archive(db) as view:
            known.update(view.site_ids())
    return known


@click.command()
@db_option
@alerts_option
@click.option("--site", "site_ids", multiple=True, help="Only this site (repeatable)  [default: every archived site].")
@click.option(
    "--test", "test_message", is_flag=True, help="Send a sample message to every destination; the archive is not read."
)
@click.option("-v", "--verbose", is_flag=True, help="Log each message sent, not only failures.")
def notify(db, alerts_file, site_ids, test_message, verbose):
    """Send what changed to the alert destinations; one line per message.

    `crawl` does this after each run.  Destinations are Apprise URLs
    (mailto://, slack://, json://, ntfy://, …) in alerts.toml beside the
    site profiles:

    \b
        [[alert]]
        name = "newsroom"
        urls = ["mailto://user:pass@smtp.example.org?to=desk@example.org"]
        sites = ["mofa_en"]   # every site when left out

    Each change is sent once: a destination starts with the changes after it
    was configured, a failed message is sent again next run, and a message
    cut off by a kill is not sent twice.  Exits 1 when a message failed.

    \b
    Example:
        presswatch notify --test
    """
    from crawler.readers.alerts import deliver, sample, send

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    chosen = destinations(alerts_file, lambda: _known_sites(db))
    if not chosen:
        raise click.ClickException(
            "no alert destinations: write alerts.toml in $PRESSWATCH_SITES_DIR, or pass --alerts"
        )
    failed = False
    if test_message:
        subject, html = sample()
        for destination in chosen:
            reason = send(destination.url, subject, html)
            failed |= reason is not None
            click.echo(safe(f"{destination.shown}: " + (f"not sent: {reason}" if reason else "test message sent")))
        sys.exit(1 if failed else 0)
    with open_archive(db) as view:
        archived = view.site_ids()
    try:
        results = deliver(db, chosen, list(site_ids) or archived)
    except PresswatchError as error:
        raise click.ClickException(str(error)) from None
    for result in results:
        click.echo(safe(result.line()))
    if not results:
        click.echo("nothing new to send")
    sys.exit(1 if any(result.error for result in results) else 0)
