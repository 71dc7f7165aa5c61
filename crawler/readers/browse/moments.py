"""Dates as a reader of the site reads them: in the site's timezone, in
words ("6 August 2017, 18:00 KST"), with the stored ISO value in a
tooltip and in <time datetime>, for a citation and for machines.

The archive stores moments in UTC (captures, events) or as the site gave
them with its offset (published dates); a page shows both in the site's
timezone, so that a release's date reads as on the ministry's board.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markupsafe import Markup

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@cache
def zone(name: str | None) -> tzinfo:
    """The timezone a site's profile names; UTC for none or an unknown one."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def parse(value: str) -> datetime | date | None:
    """A stored value as a moment (UTC when it has no offset) or, for a date
    alone, a day; None for what is neither."""
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def readable(value: datetime | date, where: tzinfo = UTC) -> str:
    """ "6 August 2017, 18:00 KST"; a day alone as "6 August 2017"."""
    if not isinstance(value, datetime):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    local = value.astimezone(where)
    return f"{readable(local.date())}, {local:%H:%M} {_abbreviation(local)}"


def short(value: datetime | date, where: tzinfo = UTC) -> str:
    """ "6 Aug 2017" (a day), for a chart's axis."""
    day = value.astimezone(where).date() if isinstance(value, datetime) else value
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def time_tag(value: str | None, where: tzinfo = UTC, missing: str = "-") -> Markup:
    """``value`` (a stored ISO string) as <time>, readable, its ISO value in
    the tooltip; a value that is not a date is shown as it is."""
    if not value:
        return Markup("{}").format(missing)
    moment = parse(value)
    if moment is None:
        return Markup("{}").format(value)
    return Markup('<time datetime="{0}" title="{0}">{1}</time>').format(moment.isoformat(), readable(moment, where))


def _abbreviation(moment: datetime) -> str:
    """KST, CET, UTC; "UTC+8" where the zone has no letters of its own (the
    tz database writes those as "+08")."""
    name = moment.tzname() or ""
    if name[:1].isalpha():
        return name
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")
