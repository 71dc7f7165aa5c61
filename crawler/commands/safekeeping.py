"""`presswatch backup`, `verify` and `compact`: an archive kept as evidence, for years."""

from __future__ import annotations

import sys

import click

from crawler.commands.options import NewFile, db_option
from storage import ArchiveWriter, PresswatchError, backup_archive, report_json, verify_archive


@click.command()
@db_option
@click.option(
    "-o",
    "--output",
    required=True,
    type=NewFile(),
    help="Write the copy here (replaced only once the copy is verified).",
)
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


@click.command()
@db_option
@click.option(
    "--batch",
    default=200,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Captures rewritten per transaction: a killed run keeps every finished batch.",
)
@click.option(
    "--vacuum",
    is_flag=True,
    help="Then run SQLite's VACUUM, which gives the freed space back "
    "to the file system (it rewrites the whole file: it needs that much free space, and time).",
)
def compact(db, batch, vacuum):
    """Rewrite captures stored before presswatch 0.3 (zlib) against their
    board's reference pages (zstd), a quarter to an eighth of their size.

    Each capture's bytes stay exactly as fetched: readers, exports and
    `verify` see no difference.  It holds the archive's writer lock, so it
    is refused while a crawl runs and a crawl is refused while it does;
    killed, it loses nothing, and run again it carries on.  The file only
    shrinks after VACUUM (--vacuum, or `sqlite3 archive.db VACUUM`, or
    `VACUUM INTO 'copy.db'` for a compact copy).

    \b
    Example:
        presswatch compact --db archive.db --vacuum
    """
    try:
        with ArchiveWriter(db) as writer:
            result = writer.compact(
                batch, progress=lambda done: click.echo(f"{done} captures compacted", err=True), vacuum=vacuum
            )
    except PresswatchError as error:
        raise click.ClickException(str(error)) from None
    click.echo(result.summary() + ("" if vacuum else "; run with --vacuum to give the space back"))
