"""`presswatch extract`: the records a crawl would store from saved pages."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crawler.commands.options import known_profiles, open_archive
from crawler.commands.text import safe
from crawler.extract.generic import SAMPLE_PAGES
from crawler.extract.saved import Record, SavedPage, reading
from crawler.sites.profile import SiteProfile, load_profile


class SavedFile(click.ParamType):
    """FILE or FILE=URL: a saved page and, optionally, where it was fetched from."""

    name = "file[=url]"

    def convert(self, value, param, ctx):
        if isinstance(value, SavedPage):
            return value
        path, _, url = value.partition("=")
        if url and not url.startswith(("http://", "https://")):
            self.fail(f"{value!r}: the address after = must be an http(s) URL", param, ctx)
        try:
            return SavedPage(path, Path(path).read_bytes(), url)
        except OSError as error:
            self.fail(f"cannot read {path}: {error.strerror}", param, ctx)


@click.command()
@click.argument("files", nargs=-1, required=True, type=SavedFile())
@click.option(
    "--list",
    "list_page",
    type=SavedFile(),
    help="The board's saved list page (FILE[=URL]): listed titles and dates, as a crawl's list gives them.",
)
@click.option("--site", "site_id", help="The site's profile, by id (built in or in $PRESSWATCH_SITES_DIR).")
@click.option(
    "--site-file",
    "site_file",
    type=click.Path(exists=True, dir_okay=False),
    help="The site's profile, from this TOML file.",
)
@click.option(
    "--db",
    type=click.Path(exists=True, dir_okay=False),
    help="Learn the template from this archive's captures of the site instead of from FILES.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per page.")
def extract(files, list_page, site_id, site_file, db, as_json):
    """What a crawl would archive from saved release pages: no server, no
    archive written.

    Each FILE is a release page as saved (any charset); FILE=URL gives the
    address it was fetched from, which links resolve against (else its
    canonical link, else the site's home).  A profile without selectors has
    its template learned from the pages given, as a crawl's first sample
    (or, with --db, from the archive's captures).  --json prints, per page:
    file, url, title, published, updated, body (paragraphs), attachments
    ({name, url}) and error (null, or why a crawl would log a failed fetch).

    \b
    Example:
        presswatch extract saved/*.html --list saved/list.html --site-file board.toml --json
    """
    profile = _profile(site_id, site_file)
    recent, titles = None, []
    if db:
        with open_archive(db) as view:
            recent = view.recent_pages(profile.id, SAMPLE_PAGES)
            titles = [title for known in view.known_releases(profile.id).values() if (title := known.title)]
    records = [reading(profile, list(files), list_page, recent, titles).read(page) for page in files]
    if as_json:
        click.echo(json.dumps([record.as_json() for record in records], ensure_ascii=False, indent=2))
    else:
        for record in records:
            _show(record)
    raise SystemExit(0)


def _profile(site_id: str | None, site_file: str | None) -> SiteProfile:
    if bool(site_id) == bool(site_file):
        raise click.UsageError("give the site's profile: --site SITE or --site-file FILE (one of them)")
    if site_file:
        return load_profile(site_file)
    profiles = known_profiles(())
    if site_id not in profiles:
        raise click.UsageError(f"unknown site {site_id!r}; known sites: {', '.join(sorted(profiles))}")
    return profiles[site_id]


def _show(record: Record) -> None:
    click.echo(safe(f"{record.name}  {record.url}"))
    if record.content is None:
        click.echo(safe(f"  error: {record.error}"))
        return
    content, sources = record.content, record.sources
    click.echo(safe(f"  title: {content.title}  [{sources.get('title', 'selector')}]"))
    click.echo(safe(f"  published: {content.published or '-'}  [{sources.get('published', 'selector')}]"))
    for number, paragraph in enumerate(part for part in content.body.split("\n\n") if part):
        click.echo(safe(f"  {number + 1:>3}. {paragraph}"))
    for attachment in content.attachments:
        click.echo(safe(f"  attachment: {attachment.name} <{attachment.url}>"))
