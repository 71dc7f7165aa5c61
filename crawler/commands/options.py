"""Options and helpers every presswatch command shares."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from crawler.errors import ProfileError
from crawler.sites.profile import SiteProfile, all_profiles
from storage import Archive, ArchiveView, PresswatchError


def db_option(command):
    return click.option(
        "--db",
        type=click.Path(dir_okay=False),
        default=lambda: os.environ.get("PRESSWATCH_DB", "archive.db"),
        show_default="$PRESSWATCH_DB or archive.db",
        help="The archive (SQLite file).",
    )(command)


def site_file_option(command):
    return click.option(
        "--site-file",
        "site_files",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False),
        help="Load a site profile from this TOML file (repeatable).",
    )(command)


def output_options(command):
    command = click.option("--csv", "fmt", flag_value="csv", help="Print CSV.")(command)
    command = click.option("--json", "fmt", flag_value="json", help="Print JSON.")(command)
    return command


class Since(click.ParamType):
    """7d, 12h, 2w (ago) or a date / ISO time, as a UTC ISO string."""

    name = "since"
    _AGO = re.compile(r"^(\d+)([hdw])$")
    _UNITS = {"h": "hours", "d": "days", "w": "weeks"}

    def convert(self, value, param, ctx):
        if isinstance(value, str) and (match := self._AGO.match(value.strip())):
            delta = timedelta(**{self._UNITS[match.group(2)]: int(match.group(1))})
            return (datetime.now(UTC) - delta).isoformat(timespec="seconds")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is neither an age like 7d / 12h / 2w nor a date", param, ctx)
        if moment.tzinfo is None and len(value) <= 10:
            return moment.date().isoformat()
        return moment.astimezone(UTC).isoformat(timespec="seconds")


def known_profiles(site_files: tuple[str, ...] = ()) -> dict[str, SiteProfile]:
    try:
        return all_profiles(site_files)
    except ProfileError as error:
        raise click.BadParameter(str(error), param_hint="--site-file") from None


def open_archive(db: str) -> ArchiveView:
    """The archive, read-only (upgraded first if an older presswatch wrote it)."""
    if not Path(db).exists():
        raise click.ClickException(f"no archive at {db}: run 'presswatch crawl' first, or pass --db")
    try:
        Archive.open(db, create=False).close()
        return ArchiveView.open(db)
    except PresswatchError as error:
        raise click.ClickException(str(error)) from None


def chosen_profiles(site_files: tuple[str, ...], sites: tuple[str, ...], all_sites: bool,
                    base_url: str | None) -> list[SiteProfile]:
    """The profiles of the sites a crawl or dispatch names (or --all), checked."""
    profiles = known_profiles(site_files)
    if all_sites == bool(sites):
        raise click.UsageError("name the sites to crawl, or pass --all (not both)")
    chosen = list(profiles) if all_sites else list(sites)
    unknown = [site for site in chosen if site not in profiles]
    if unknown:
        raise click.UsageError(f"unknown site {unknown[0]!r}; known sites: {', '.join(sorted(profiles))}")
    if base_url and len(chosen) != 1:
        raise click.UsageError("--base-url replaces the host of one site: name exactly one")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise click.BadParameter("must start with http:// or https://", param_hint="--base-url")
    return [profiles[site] for site in chosen]
