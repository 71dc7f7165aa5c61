"""`presswatch backup` and `presswatch verify`: an archive kept as evidence."""

from __future__ import annotations

import sys

import click

from crawler.commands.options import db_option
from storage import PresswatchError, backup_archive, report_json, verify_archive


@click.command()
@db_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Write the copy here (replaced only once the copy is verified).")
def backup(db, output):
    """Copy the archive, consistently, even while a crawl writes to it.

    SQLite's online backup takes the copy; it is verified (as `presswatch
    verify` does) under a temporary name before it takes OUTPUT's.

    \b
    Example:
        presswatch backup --db archive.db -o /backups/archive-$(date +%F).db
    """
    try:
        report = backup_archive(db, output)
    except PresswatchError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backed up {db} to {output}: {report.summary()}")


@click.command()
@db_option
@click.option("--json", "as_json_", is_flag=True, help="Print the report as JSON.")
def verify(db, as_json_):
    """Prove the archive whole: SQLite's integrity check, every version's
    content hash and every capture's SHA-256 recomputed, the full-text
    indexes against their rows, no dangling rows, versions numbered 1..n.

    Exits 0 with a one-line summary, or 1 listing each problem.  Nothing is
    written.

    \b
    Example:
        presswatch verify --db archive.db
    """
    try:
        report = verify_archive(db)
    except PresswatchError as error:
        raise click.ClickException(str(error)) from None
    if as_json_:
        click.echo(report_json(report))
    else:
        for problem in report.problems:
            click.echo(f"problem: {problem}")
        click.echo(report.summary())
    sys.exit(0 if report.whole else 1)
