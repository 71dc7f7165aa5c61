"""`presswatch writer` and `presswatch dispatch`: crawls on several machines,
one archive (docs/scale-out.md); the work is crawler.scaleout's."""

from __future__ import annotations

import logging
import os
import sys

import click

from crawler.commands.options import (
    DAYS,
    RedisAddress,
    WebAddress,
    chosen_profiles,
    db_option,
    fractional_days,
    seconds,
    site_file_option,
)
from crawler.policy.crawlconfig import REVISIT_DAYS, SWEEP_DAYS
from storage import PresswatchError


def redis_option(command):
    return click.option(
        "--redis",
        "redis_url",
        type=RedisAddress(),
        default=lambda: os.environ.get("PRESSWATCH_REDIS", ""),
        show_default="$PRESSWATCH_REDIS",
        help="Redis URL, e.g. redis://127.0.0.1:6379/0.",
    )(command)


@click.command()
@redis_option
@db_option
@click.option(
    "--key-file",
    default=lambda: os.environ.get("PRESSWATCH_KEY_FILE", ""),
    show_default="$PRESSWATCH_KEY_FILE",
    help="The relay key's file, as nodes.toml's key_file: only messages of jobs dispatched with it are applied.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log every batch applied.")
def writer(redis_url, db, key_file, verbose):
    """Apply the outcomes crawl jobs send through Redis to the archive.

    The only process that writes the archive while `presswatch dispatch`
    runs crawls on Scrapyd nodes: it holds the archive's lock, applies each
    message exactly once, and answers jobs with what the archive knows of
    their site.  Only what a dispatched job signed is applied, to its own
    site; anything else is kept in the Redis stream presswatch:rejected
    with the reason.  Runs until stopped (SIGTERM or Ctrl-C); a writer restarted
    after a kill applies whatever it had not finished.

    \b
    Example:
        presswatch writer --redis redis://127.0.0.1:6379/0 --key-file relay.key --db archive.db
    """
    from crawler.scaleout.writing import write_from_redis

    if not redis_url:
        raise click.UsageError("pass --redis or set PRESSWATCH_REDIS")
    if not key_file:
        raise click.UsageError("pass --key-file or set PRESSWATCH_KEY_FILE: the relay key nodes.toml names too")
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        applied = write_from_redis(redis_url, db, key_file, lambda line: click.echo(line, err=True))
    except PresswatchError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"writer: stopped after applying {applied} message(s)", err=True)


@click.command()
@click.argument("sites", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Crawl every known site.")
@click.option(
    "--nodes",
    "nodes_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="nodes.toml: the Scrapyd nodes, and the Redis they reach.",
)
@click.option(
    "--redis", "redis_url", type=RedisAddress(), help="Redis URL as this machine reaches it  [default: nodes.toml's]."
)
@site_file_option
@click.option(
    "--base-url",
    type=WebAddress(),
    help="Fetch from this scheme://host instead (a mirror, a test server); one site only.",
)
@click.option("--full", is_flag=True, help="Walk the whole list and re-fetch every release, unconditionally.")
@click.option(
    "--revisit-days",
    type=DAYS,
    help=f"Re-fetch releases published this many days ago or less  [default: {REVISIT_DAYS}].",
)
@click.option(
    "--sweep-days",
    type=fractional_days(),
    help=f"Recheck every archived release at least once in this many days  [default: {SWEEP_DAYS:g}].",
)
@click.option("--poll", type=seconds(0.1), default=2.0, show_default=True, help="Seconds between looks at the nodes.")
@click.option(
    "--node-grace",
    type=seconds(),
    default=30.0,
    show_default=True,
    help="Seconds a node may not answer before its jobs count as interrupted.",
)
@click.option("--timeout", type=seconds(1), help="Give up waiting for results after this many seconds.")
def dispatch(
    sites,
    all_sites,
    nodes_file,
    redis_url,
    site_files,
    base_url,
    full,
    revisit_days,
    sweep_days,
    poll,
    node_grace,
    timeout,
):
    """Crawl sites as Scrapyd jobs, one per site, spread over the nodes.

    Each job sends its outcomes through Redis to `presswatch writer`, the
    archive's one writer.  Prints one summary line per site and exits as
    `presswatch crawl` does: 0 when every site was crawled, 1 when some site
    failed or was interrupted.  A crawl interrupted by a node going down is
    completed by the next dispatch.

    \b
    Example:
        presswatch dispatch --all --nodes nodes.toml
    """
    from crawler.scaleout.dispatch import dispatch as run
    from crawler.scaleout.dispatch import load_nodes

    chosen = chosen_profiles(site_files, sites, all_sites, base_url)
    try:
        reports = run(
            chosen,
            load_nodes(nodes_file),
            redis_url=redis_url,
            full=full,
            base_url=base_url,
            revisit_days=revisit_days,
            sweep_days=sweep_days,
            poll=poll,
            node_grace=node_grace,
            timeout=timeout,
            progress=lambda line: click.echo(line, err=True),
        )
    except PresswatchError as error:
        raise click.ClickException(str(error)) from None
    for report in reports:
        click.echo(report.summary())
    sys.exit(0 if all(report.ok for report in reports) else 1)
