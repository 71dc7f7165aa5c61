"""`presswatch history`, `diff`, `changes` and `search`: one release's
versions, and what the archive holds, found and shown."""

from __future__ import annotations

import json

import click

from crawler.commands.options import (
    COUNT,
    VERSION_NUMBER,
    Since,
    db_option,
    known_profiles,
    open_archive,
    output_options,
)
from crawler.commands.text import emit, safe
from crawler.extract.urls import canonical_url, host, query_value
from storage import CHANGE_ORDERS, KINDS, ArchiveView, BadQuery, NotFound, with_moves_marked


def find_release(archive: ArchiveView, ref: str, site_files=()) -> dict:
    """A release from SITE:KEY or from one of its URLs."""
    try:
        if ref.startswith(("http://", "https://")):
            for profile in known_profiles(site_files).values():
                key = query_value(ref, profile.key_query) if profile.key_query else None
                if key and host(ref) == host(profile.base_url):
                    return archive.release(profile.id, key)
            return archive.release_by_url(canonical_url(ref))
        site_id, sep, key = ref.partition(":")
        if not sep or not key:
            raise click.BadParameter(f"{ref!r} is neither SITE:KEY nor a URL", param_hint="RELEASE")
        return archive.release(site_id, key)
    except NotFound as error:
        raise click.BadParameter(str(error), param_hint="RELEASE") from None


@click.command()
@click.argument("release")
@db_option
@output_options
def history(release, db, fmt):
    """Versions of one release, given as SITE:KEY or by its URL.

    \b
    Example:
        presswatch history mofa_en:318874
    """
    with open_archive(db) as archive:
        row = find_release(archive, release)
        versions = archive.history(row["id"])
    for version in versions:
        fields = json.loads(version["changed"] or "[]")
        version["changed"] = fields if fmt == "json" else ", ".join(fields) or "-"
    if fmt == "json":
        click.echo(safe(json.dumps({"release": row, "versions": versions}, ensure_ascii=False, indent=2)))
        return
    columns = ["version", "captured_at", "published", "changed", "title"]
    if any(version["origin"] for version in versions):  # read from web archives' captures
        columns.append("origin")
    if fmt is None:
        click.echo(safe(f"{row['site_id']}:{row['key']} {row['url']} ({row['status']})"))
    click.echo(safe(emit(versions, columns + (["content_hash"] if fmt else []), fmt)))


@click.command()
@click.argument("release")
@click.argument("versions", nargs=-1, type=VERSION_NUMBER)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON: release, versions compared, diff.")
def diff(release, versions, db, as_json):
    """Diff between two versions of a release (default: the last two).

    \b
    Example:
        presswatch diff mofa_en:318874 1 3
    """
    if len(versions) not in (0, 2):
        raise click.UsageError("give two version numbers, or none for the last two")
    with open_archive(db) as archive:
        row = find_release(archive, release)
        try:
            text = archive.diff(row, *versions)
        except NotFound as error:
            raise click.BadParameter(str(error), param_hint="VERSIONS") from None
    if as_json:
        a, b = versions or (row["version_count"] - 1, row["version_count"])
        data = {"release": f"{row['site_id']}:{row['key']}", "from": a, "to": b, "diff": text}
        click.echo(safe(json.dumps(data, ensure_ascii=False, indent=2)))
    else:
        click.echo(safe(with_moves_marked(text)), nl=False)


@click.command()
@click.option(
    "--since",
    type=Since(),
    default="7d",
    show_default=True,
    help="How far back: an age (7d, 12h, 2w) or a date (2026-11-01).",
)
@click.option("--site", help="Only this site.")
@click.option(
    "--min-significance",
    type=click.FloatRange(0, 1),
    metavar="X",
    help="Only changed versions of at least this significance (0 to 1); other events stay.",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(list(KINDS)),
    help="Only changed versions with this kind of change (repeat for any of several).",
)
@click.option(
    "--sort",
    type=click.Choice(list(CHANGE_ORDERS)),
    default="time",
    show_default=True,
    help="Newest first, or most significant first (an event that is no changed version, "
    "such as a release removed, ranks as 1).",
)
@db_option
@output_options
def changes(since, site, min_significance, kinds, sort, db, fmt):
    """Recent new, changed, removed, restored, unlisted, relisted and
    retitled-in-the-list releases, and sites failing or recovering, newest
    first (or most significant first: --sort significance).

    Each changed version shows the kinds of its change and its significance
    (0 to 1): a number, name, negation, date or title changed ranks above
    any change of punctuation or spelling.

    \b
    Example:
        presswatch changes --since 30d --site mofa_en --min-significance 0.5
        presswatch changes --since 7d --sort significance
    """
    with open_archive(db) as archive:
        rows = archive.changes(since, site, min_significance=min_significance, kinds=kinds, order=sort)
    for row in rows:
        row["release"] = f"{row['site_id']}:{row['key']}"
        fields = json.loads(row["changed"] or "[]")
        row["changed"] = fields if fmt == "json" else ", ".join(fields)
        found = json.loads(row.pop("change_kinds") or "[]")
        row["kinds"] = found if fmt == "json" else ", ".join(found)
    columns = ["at", "event", "release", "version", "changed", "kinds", "significance", "title", "message"]
    columns += ["url", "diff"] if fmt else []
    if any(row["backfilled"] for row in rows):  # history found late in web archives: said so
        columns.append("backfilled")
    click.echo(safe(emit(rows, columns, fmt)))


@click.command()
@click.argument("query")
@click.option("--site", help="Only this site.")
@click.option("--limit", type=COUNT, default=50, show_default=True, help="At most this many versions.")
@db_option
@output_options
def search(query, site, limit, db, fmt):
    """Full-text search of titles and bodies (SQLite FTS5 syntax), newest first.

    \b
    Example:
        presswatch search 'denuclearization AND ASEAN'
    """
    with open_archive(db) as archive:
        try:
            rows = archive.search(query, site, limit)
        except BadQuery as error:
            raise click.BadParameter(str(error), param_hint="QUERY") from None
    for row in rows:
        row["release"] = f"{row['site_id']}:{row['key']}"
    columns = ["release", "version", "captured_at", "title", "snippet"]
    click.echo(safe(emit(rows, columns + (["url"] if fmt else []), fmt)))
