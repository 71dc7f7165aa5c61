"""Alerts from the command line: after a crawl, and `presswatch notify`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import click

from storage import PresswatchError

if TYPE_CHECKING:  # Apprise takes 0.14 s to import: only commands that send pay it
    from crawler.alerts import Destination, Sent

logger = logging.getLogger("presswatch.alerts")


def alerts_option(command):
    return click.option(
        "--alerts", "alerts_file", type=click.Path(dir_okay=False),
        help="Alert destinations (TOML)  [default: $PRESSWATCH_ALERTS, else alerts.toml in $PRESSWATCH_SITES_DIR].",
    )(command)


def destinations(alerts_file: str | None) -> list[Destination]:
    """The configured destinations; none when no alerts.toml is found."""
    from crawler.alerts import find_config, load_config

    path = find_config(alerts_file)
    return load_config(path) if path else []


def after_crawl(db: str, site_ids: list[str], alerts_file: str | None) -> list[Sent]:
    """Send what the run found; any problem is logged, never raised: alerting
    must not fail the archiving, and what was not sent goes out next run."""
    from crawler.alerts import deliver

    try:
        chosen = destinations(alerts_file)
        return deliver(db, chosen, site_ids) if chosen else []
    except PresswatchError as error:
        logger.error("alerts not sent (they go out with the next run): %s", error)
    except Exception:
        logger.exception("alerts not sent (they go out with the next run)")
    return []
