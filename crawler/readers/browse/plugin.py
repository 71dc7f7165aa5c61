"""presswatch's Datasette plugin: a landing page, release timelines, version
permalinks, readable diffs and Atom feeds of changes.

Registered through the ``datasette`` entry point (the crawler.readers.browse package,
so that Datasette finds its templates/ folder), so any Datasette in the same
environment shows an archive the presswatch way.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils.asgi import Response
from markupsafe import Markup

from crawler.readers.browse import ranking, routes
from crawler.readers.browse.render import diff_html, kind_badges
from crawler.readers.browse.security import with_page_headers
from crawler.readers.feed import atom_feed
from storage import CHANGES_SQL, NO_FILTER, browsing

FEED_LIMIT = 50
# Views whose row count means joining every event or release: on a million
# versions Datasette's count alone took seconds, so their pages show rows
# without a total (like Datasette's own ?_nocount=1).
UNCOUNTED_VIEWS = ("changes", "latest_versions")


@hookimpl
def render_cell(value, column, table, database, datasette, row):
    """A diff column becomes a word-level diff that links to the version
    before; a change_kinds column, the kinds as labels."""
    if column == "change_kinds" and isinstance(value, str):
        return kind_badges(browsing.kind_labels(value))
    if column != "diff" or not isinstance(value, str) or not value.startswith("--- "):
        return None
    html = diff_html(value)
    keys = row.keys()
    if "release_id" in keys and "version" in keys and row["version"]:
        release_id, version = int(_plain(row["release_id"])), int(_plain(row["version"]))
        previous = datasette.urls.table(database, "versions") + "?" + (f"release_id={release_id}&version={version - 1}")
        html += Markup('<p><a href="{}">← version {}</a></p>').format(previous, version - 1)
    return html


def _plain(value):
    """Table pages expand foreign keys to {"value": …, "label": …}."""
    return value["value"] if isinstance(value, dict) else value


@hookimpl
def filters_from_request(request, database, table, datasette):
    """The changes view filtered by a kind: the same rows, found by index
    (on a million versions a kind no recent change had read them all)."""
    kinds = request.args.getlist("change_kinds__arraycontains")
    if table != "changes" or not kinds:
        return None

    async def clauses():
        where, params = await ranking.kind_clauses(datasette.get_database(database), kinds)
        return FilterArguments(where, params) if where else None

    return clauses()


@hookimpl
def register_routes():
    release = r"^/-/presswatch/release/(?P<site>[a-z][a-z0-9_]*)/(?P<key>[^/]+)"
    return [
        (r"^/$", routes.landing),  # before Datasette's own index
        (r"^/-/presswatch/changes\.atom$", changes_feed),
        (r"^/-/presswatch/(?P<site>[a-z][a-z0-9_]*)\.atom$", changes_feed),
        (release + "$", routes.release_page),
        (release + r"/v(?P<version>\d+)$", routes.version_page),
        (release + r"/v(?P<version>\d+)/capture$", routes.capture_bytes),
    ]


async def changes_feed(datasette, request):
    site = request.url_vars.get("site")
    database = datasette.get_database()
    result = await database.execute(
        CHANGES_SQL, {"since": "", "site": site, "with_new": 1, "limit": FEED_LIMIT, **NO_FILTER, "backfilled": 0}
    )
    rows = [dict(row) for row in result.rows]
    xml = atom_feed(
        rows,
        feed_id=f"tag:presswatch,2026:{site or 'all'}",
        title=f"presswatch: changes{' on ' + site if site else ''}",
        self_url=request.url,
    )
    return Response(xml, content_type="application/atom+xml; charset=utf-8")


@hookimpl
def menu_links(datasette, actor):
    return [{"href": datasette.urls.path("/-/presswatch/changes.atom"), "label": "Feed of changes"}]


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def guarded(scope, receive, send):
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            if _is_uncounted_view(scope.get("path", "")):
                query = scope.get("query_string", b"")
                if b"_nocount" not in query:
                    scope = dict(scope, query_string=(query + b"&" if query else b"") + b"_nocount=1")

            async def send_guarded(message):
                if message["type"] == "http.response.start":
                    message = {**message, "headers": with_page_headers(list(message.get("headers", [])))}
                await send(message)

            await app(scope, receive, send_guarded)

        return guarded

    return wrap


def _is_uncounted_view(path: str) -> bool:
    parts = path.strip("/").split("/")
    return len(parts) == 2 and parts[1].split(".")[0] in UNCOUNTED_VIEWS
