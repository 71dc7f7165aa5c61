"""presswatch's own pages in Datasette: the landing page, a release's
timeline with a side-by-side diff of any two versions, and a permalink for
each version with the line that cites it.

Release and version pages are addressed by what the contract keeps stable
(site, key, version number), never by row ids, so their URLs can be cited.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from datasette.database import QueryInterrupted
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup
from sqlite_utils import Database

from crawler.readers.browse import charts
from crawler.readers.browse.compare import STYLE as COMPARE_STYLE
from crawler.readers.browse.compare import side_by_side
from crawler.readers.browse.moments import time_tag, zone
from crawler.readers.browse.ranking import ORDERS, THRESHOLDS, Choice
from crawler.readers.browse.render import STYLE, diff_html, kind_badges, web_link
from crawler.readers.feed import SUMMARY
from storage import KINDS, SITE_HEALTH_SQL, SWEEP_DAYS, Content, browsing, content_lines, now
from storage import NotFound as NoSuchRelease
from storage import capture as find_capture

WEEKS = 12
LATEST = 10

PAGE_STYLE = (
    STYLE
    + COMPARE_STYLE
    + Markup(
        "<style>.pw-cite{font-family:monospace;background:#f6f6f6;padding:.6em;word-break:break-all}"
        ".pw-health td,.pw-health th{padding:.2em .8em}.pw-failed{color:#b00}"
        ".pw-significance{font:smaller sans-serif;color:#555}.pw-note{color:#555;font-size:smaller}</style>"
    )
)


def release_path(datasette, site: str, key: str, version: int | None = None) -> str:
    path = f"/-/presswatch/release/{quote(site, safe='')}/{quote(key, safe='')}"
    return datasette.urls.path(path + (f"/v{version}" if version else ""))


async def landing(datasette, request):
    """Changes per site per week, the latest changes with their kinds and
    diffs (newest or most significant first, filtered as the reader
    chose), a search box and each site's health, in place of the list of tables."""
    database = datasette.get_database()
    today = now().date()  # the archive's clock (PRESSWATCH_NOW), as every reader's
    monday = today - timedelta(days=today.weekday())
    weeks = [(monday - timedelta(weeks=n)).isoformat() for n in range(WEEKS - 1, -1, -1)]
    weekly = await database.execute(browsing.WEEKLY_SQL, {"since": weeks[0]})
    counts = {(row["week"], row["site_id"]): row["n"] for row in weekly.rows}
    choice = Choice.from_args(request.args)
    try:
        latest, slow = (await database.execute(*choice.query(weeks[0], LATEST))).rows, False
    except QueryInterrupted:  # past the server's time limit: the rest of the page still shows
        latest, slow = [], True
    zones = {row["id"]: zone(row["timezone"]) for row in (await database.execute(browsing.SITE_ZONES_SQL)).rows}
    due_before = (now() - timedelta(days=SWEEP_DAYS)).isoformat(timespec="seconds")
    health = await database.execute(SITE_HEALTH_SQL, {"due_before": due_before})
    changes = [
        {
            **dict(row),
            "label": SUMMARY.get(row["event"], row["event"]),
            "when": time_tag(row["at"], zones.get(row["site_id"], UTC)),
            "kinds": kind_badges(browsing.kind_labels(row["change_kinds"]), row["significance"]),
            "diff_html": diff_html(row["diff"]) if row["diff"] else None,
            "link": release_path(datasette, row["site_id"], row["key"]) if row["key"] else None,
        }
        for row in latest
    ]
    sites = [
        {
            **dict(row),
            **{name: time_tag(row[name], zones.get(row["site_id"], UTC)) for name in ("last_crawl", "last_success")},
        }
        for row in health.rows
    ]
    return Response.html(
        await datasette.render_template(
            "presswatch_index.html",
            {
                "style": PAGE_STYLE,
                "chart": charts.weekly_bars(weeks, counts, f"Changes per site and week, the last {WEEKS} weeks"),
                "weeks": WEEKS,
                "changes": changes,
                "slow": slow,
                "choice": choice,
                "orders": ORDERS,
                "thresholds": THRESHOLDS,
                "kinds": KINDS,
                "every_change": datasette.urls.table(database.name, "changes") + "?" + choice.table_args(weeks[0]),
                "sites": sites,
                "database": database.name,
                "feed": datasette.urls.path("/-/presswatch/changes.atom"),
            },
            request=request,
        )
    )


async def release_page(datasette, request):
    """A release's timeline, its hit counts over time, its versions (each
    with its permalink and kinds of change) and a side-by-side diff of any two of them."""
    database = datasette.get_database()
    release = await _release(database, request)
    where = zone(release["timezone"])
    ids = {"release_id": release["id"]}
    versions = [dict(row) for row in (await database.execute(browsing.RELEASE_VERSIONS_SQL, ids)).rows]
    events = (await database.execute(browsing.RELEASE_EVENTS_SQL, ids)).rows
    hits = (await database.execute(browsing.RELEASE_HITS_SQL, ids)).rows
    marks = [
        (
            _time(row["at"]),
            row["event"],
            f"v{row['version']}" if row["version"] else row["event"],
            f"{SUMMARY.get(row['event'], row['event'])}, {time_tag(row['at'], where).striptags()}",
        )
        for row in events
    ]
    start = _time(release["first_seen"])
    end = max([_time(release["last_checked"] or release["first_seen"]), *(when for when, *_ in marks)])
    compare = None
    numbers = [v["version"] for v in versions]
    a, b = _pair(request, numbers)
    if a and b and a != b:
        old, new = (next(v for v in versions if v["version"] == n) for n in (a, b))
        compare = side_by_side(content_lines(Content.from_row(old)), content_lines(Content.from_row(new)))
    for item in versions:
        item["link"] = release_path(datasette, release["site_id"], release["key"], item["version"])
        item["changed"] = ", ".join(json.loads(item["changed"] or "[]"))
        item["kinds"] = kind_badges(browsing.kind_labels(item["change_kinds"]), item["significance"])
        item["captured"] = time_tag(item["captured_at"], where)
        item["published_tag"] = time_tag(item["published"], where, missing="(no date shown)")
    return Response.html(
        await datasette.render_template(
            "presswatch_release.html",
            {
                "style": PAGE_STYLE,
                "release": release,
                "versions": versions,
                "a": a,
                "b": b,
                "compare": compare,
                "source": web_link(release["url"]),
                "removed_at": time_tag(release["removed_at"], where),
                "first_seen": time_tag(release["first_seen"], where),
                "timeline": charts.timeline(start, end, marks, "Versions and events on a time axis", where),
                "hits": charts.line(
                    [(_time(row["fetched_at"]), row["hits"]) for row in hits], "Hit count over time", where
                ),
                "title": versions[-1]["title"] if versions else release["key"],
            },
            request=request,
        )
    )


async def version_page(datasette, request):
    """One version, as captured, with the line to cite it."""
    database = datasette.get_database()
    release = await _release(database, request)
    number = int(request.url_vars["version"])
    rows = (await database.execute(browsing.VERSION_SQL, {"release_id": release["id"], "version": number})).rows
    if not rows:
        raise NotFound(f"{release['site_id']}:{release['key']} has no version {number}")
    version = dict(rows[0])
    try:
        capture = await database.execute_fn(
            lambda conn: find_capture(Database(conn), release["site_id"], release["key"], number)
        )
    except NoSuchRelease:
        capture = None
    permalink = request.url.split("?")[0]
    where = zone(release["timezone"])
    return Response.html(
        await datasette.render_template(
            "presswatch_version.html",
            {
                "style": PAGE_STYLE,
                "release": release,
                "version": version,
                "captured": time_tag(version["captured_at"], where),
                "published": time_tag(version["published"], where, missing="(no date shown)"),
                "kinds": kind_badges(browsing.kind_labels(version["change_kinds"]), version["significance"]),
                "paragraphs": Content.from_row(version).paragraphs,
                "attachments": [
                    {**item, "href": web_link(item.get("url"))} for item in json.loads(version["attachments"] or "[]")
                ],
                "source": web_link(release["url"]),
                "cite": f"{capture.cite()}, {permalink}" if capture else None,
                "history": release_path(datasette, release["site_id"], release["key"]),
                "capture_link": permalink + "/capture" if capture else None,
                "origin": capture.origin if capture else None,
            },
            request=request,
        )
    )


async def capture_bytes(datasette, request):
    """The exact bytes of a version's capture, as text: never rendered as a
    page of this site (the markup is someone else's)."""
    database = datasette.get_database()
    release = await _release(database, request)
    number = int(request.url_vars["version"])
    try:
        capture = await database.execute_fn(
            lambda conn: find_capture(Database(conn), release["site_id"], release["key"], number)
        )
    except NoSuchRelease as error:
        raise NotFound(str(error)) from None
    return Response(
        capture.payload,
        content_type=f"text/plain; charset={capture.encoding or 'utf-8'}",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
            "X-Capture-SHA256": capture.sha256,
        },
    )


async def _release(database, request) -> dict:
    site, key = request.url_vars["site"], request.url_vars["key"]
    rows = (await database.execute(browsing.RELEASE_SQL, {"site": site, "key": key})).rows
    if not rows:
        raise NotFound(f"no release {site}:{key} in the archive")
    return dict(rows[0])


def _pair(request, numbers: list[int]) -> tuple[int | None, int | None]:
    """The two versions to compare: ?a=&b=, else the last two."""

    def number(name: str, default: int | None) -> int | None:
        value = request.args.get(name)
        return int(value) if value and value.isdigit() and int(value) in numbers else default

    return number("a", numbers[-2] if len(numbers) > 1 else None), number("b", numbers[-1] if numbers else None)


def _time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
