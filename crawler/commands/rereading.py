"""`presswatch reextract`: the archive a fixed profile would have built."""

from __future__ import annotations

import hashlib
import sys

import click

from crawler.commands.options import db_option, known_profiles, open_archive, site_file_option
from crawler.commands.text import safe
from crawler.exceptions import ExtractionError
from crawler.sites.profile import SiteProfile
from storage import ArchiveWriter, Content, PresswatchError


@click.command()
@click.argument("site")
@db_option
@site_file_option
@click.option("--apply", "apply_changes", is_flag=True, help="Rewrite the archive; without it, only report.")
def reextract(site, db, site_files, apply_changes):
    """Re-run SITE's current profile over the raw pages the archive keeps.

    Reports each version whose clean record would change, and how many would
    merge into the version before (a leaky profile's spurious versions).
    With --apply, rewrites them, merges, rebuilds diffs, word changes and
    search, and records each rewrite in the reextractions table.  Nothing is
    fetched; old changes are not announced again.

    \b
    Example:
        presswatch reextract mofa_en --db archive.db
    """
    profiles = known_profiles(site_files)
    if site not in profiles:
        raise click.UsageError(f"unknown site {site!r}; known sites: {', '.join(sorted(profiles))}")
    profile = profiles[site]
    with open_archive(db) as view:
        if site not in view.site_ids():
            raise click.UsageError(f"no site {site!r} in {db}")
        total = view.db.execute(
            "SELECT count(*) FROM versions v JOIN releases r ON r.id = v.release_id WHERE r.site_id = ?", [site]
        ).fetchone()[0]
        extract = extractor(
            profile, view.recent_pages(site, 8), [t for k in view.known_releases(site).values() if (t := k.title)]
        )
        rewrites, merging = view.reextract_plan(site, extract)
    for rewrite in rewrites:
        click.echo(safe(f"{site}:{rewrite.key} version {rewrite.version}: {', '.join(rewrite.fields)}"))
    if not apply_changes:
        click.echo(
            f"{len(rewrites)} of {total} versions would change, {merging} of them merging into the version "
            "before" + ("; run again with --apply to rewrite them" if rewrites else "")
        )
        return
    label = f"{profile.source} (sha256 {hashlib.sha256(repr(profile).encode()).hexdigest()[:16]})"
    try:
        with ArchiveWriter(db) as writer:
            rewritten, merged = writer.reextract(rewrites, label)
    except PresswatchError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"rewrote {rewritten} of {total} versions, merged {merged} into the version before")
    sys.exit(0)


def extractor(profile: SiteProfile, recent_pages: list[str], titles: list[str]):
    """raw page → clean record by the profile as it is now (None: no release found)."""
    from crawler.extract.context import PageContext
    from crawler.extract.generic import extract_page, learn_template
    from crawler.extract.titles import TitleIndex

    template = learn_template(recent_pages) if profile.generic else None
    index = TitleIndex(titles)

    def extract(raw: bytes, encoding: str, url: str) -> Content | None:
        text = raw.decode(encoding, errors="replace")
        try:
            return extract_page(text, PageContext(profile, url, template, index)).content
        except ExtractionError:
            return None

    return extract
