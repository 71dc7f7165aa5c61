"""Options and helpers every presswatch command shares."""

from __future__ import annotations

import ipaddress
import math
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import click

from crawler.exceptions import ConfigError
from crawler.sites.profile import SiteProfile, all_profiles
from storage import ArchiveView, PresswatchError, now


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


# Bounds a person could mean.  Past them a value is a slip of the keyboard,
# and Python's dates (year 9999), timedelta (a billion days) or SQLite's
# integers (2**63 - 1) would overflow deep inside a command.
MAX_DAYS = 36_525  # a century
MAX_SECONDS = 30 * 86_400  # a month
SQLITE_MAX_INT = 2**63 - 1

DAYS = click.IntRange(0, MAX_DAYS)


class Count(click.IntRange):
    """1, 2, 3 …: a number of things, or a version's number.  Says so when
    refused, rather than print SQLite's largest integer as a bound."""

    name = "count"

    def __init__(self, refusal: str = "{} is not a count: counts start at 1") -> None:
        super().__init__(1, SQLITE_MAX_INT)
        self.refusal = refusal

    def convert(self, value, param, ctx):
        number = click.INT.convert(value, param, ctx)
        if number < 1:
            self.fail(self.refusal.format(number), param, ctx)
        if number > SQLITE_MAX_INT:
            self.fail(f"{number} is too large", param, ctx)
        return number


COUNT = Count()
VERSION_NUMBER = Count("{} is not a version: versions are numbered from 1")


class Finite(click.FloatRange):
    """A FloatRange that also refuses nan (which every comparison lets through)."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


class SweepDays(Finite):
    """Days, or ``inf``: no rolling sweep at all (a weekly --full instead)."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and value.strip().lower() in ("inf", "infinity"):
            return math.inf
        return super().convert(value, param, ctx)


def fractional_days() -> Finite:
    return SweepDays(0, MAX_DAYS)


def seconds(low: float = 0) -> Finite:
    return Finite(low, MAX_SECONDS)


class WebAddress(click.ParamType):
    """An http(s) URL with a host (and a port that exists)."""

    name = "url"

    def convert(self, value, param, ctx):
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 -- raises on a port out of range
        except ValueError as error:
            self.fail(f"{value!r} is not a URL: {error}", param, ctx)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.fail(f"{value!r} must start with http:// or https:// and name a host", param, ctx)
        return value


class ListenAddress(click.ParamType):
    """An address to listen on: an IP address, or a host name spelled as one
    (not resolved here: a name the network cannot resolve is the server's
    own error to give)."""

    name = "address"
    _NAME = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?")

    def convert(self, value, param, ctx):
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            pass
        if re.fullmatch(r"[\d.]+", value) or not self._NAME.fullmatch(value) or len(value) > 253:
            self.fail(f"{value!r} is not an IP address or a host name", param, ctx)
        return value


class RedisAddress(click.ParamType):
    """redis://, rediss:// or unix:// (as redis-py reads them); empty: not given."""

    name = "url"

    def convert(self, value, param, ctx):
        if not value:
            return ""
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 -- raises on a port out of range
        except ValueError as error:
            self.fail(f"{value!r} is not a URL: {error}", param, ctx)
        if parts.scheme not in ("redis", "rediss", "unix"):
            self.fail(f"{value!r} must start with redis://, rediss:// or unix://", param, ctx)
        return value


class NewFile(click.Path):
    """A file to write, in a directory that exists (checked before any work)."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False)

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        parent = Path(os.fsdecode(path)).parent
        if not parent.is_dir():
            self.fail(f"directory {parent} does not exist", param, ctx)
        return path


class Since(click.ParamType):
    """7d, 12h, 2w (ago) or a date / ISO time, as a UTC ISO string."""

    name = "since"
    _AGO = re.compile(r"^(\d+)([hdw])$")
    _UNITS = {"h": "hours", "d": "days", "w": "weeks"}

    def convert(self, value, param, ctx):
        try:
            if isinstance(value, str) and (match := self._AGO.match(value.strip())):
                delta = timedelta(**{self._UNITS[match.group(2)]: int(match.group(1))})
                return (now() - delta).isoformat(timespec="seconds")
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None and len(value) <= 10:
                return moment.date().isoformat()
            return moment.astimezone(UTC).isoformat(timespec="seconds")
        except OverflowError:
            self.fail(f"{value!r} is further from today than a date can be (years 1 to 9999)", param, ctx)
        except ValueError:
            self.fail(f"{value!r} is neither an age like 7d / 12h / 2w nor a date", param, ctx)


def known_profiles(site_files: tuple[str, ...] = ()) -> dict[str, SiteProfile]:
    """Every profile presswatch knows; a broken one raises ProfileError, which
    the command line reports (crawler.commands.cli.Presswatch)."""
    return all_profiles(site_files)


class BadConfig(click.ClickException):
    exit_code = 2  # as for a bad option: the user's file needs fixing, nothing was tried


class Doors(click.Group):
    """presswatch's command group: an error presswatch explains is one
    `Error:` line wherever in a command it is found: a broken profile or
    alerts file (the loaders name the file and the key) exits 2, like a bad
    option; the archive's own (damaged, one it may not read) exit 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            raise BadConfig(str(error)) from None
        except PresswatchError as error:
            raise click.ClickException(" ".join(str(error).split())) from None


def open_archive(db: str) -> ArchiveView:
    """The archive, read-only: never written nor upgraded here, so it may be
    on a read-only mount or belong to another user."""
    if not Path(db).exists():
        raise click.ClickException(f"no archive at {db}: run 'presswatch crawl' first, or pass --db")
    try:
        return ArchiveView.open(db)
    except PresswatchError as error:
        raise click.ClickException(str(error)) from None


def chosen_profiles(
    site_files: tuple[str, ...], sites: tuple[str, ...], all_sites: bool, base_url: str | None
) -> list[SiteProfile]:
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
    return [profiles[site] for site in chosen]
