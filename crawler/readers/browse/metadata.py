"""Datasette metadata for an archive: descriptions, facets, canned queries."""

from __future__ import annotations

from typing import Any

from storage import TABLES, browsing

TABLE_OPTIONS: dict[str, dict[str, Any]] = {
    "releases": {"facets": ["site_id", "status"], "sort_desc": "last_seen"},
    "versions": {"sort_desc": "captured_at", "fts_table": "versions_fts", "fts_pk": "id"},
    "fetches": {"facets": ["outcome"], "sort_desc": "id"},
    "crawls": {"facets": ["site_id", "status"], "sort_desc": "id"},
    "release_events": {"sort_desc": "id"},
    "word_changes": {
        "facets": ["site_id", "year", "op"],
        "sort_desc": "id",
        "fts_table": "word_changes_fts",
        "fts_pk": "id",
    },
    # Facets on this view join every release to its latest version (343 ms
    # at 100,000 releases in make bench): site and status are faceted on
    # releases, year on word_changes; here they are one click away.
    "latest_versions": {},
    # No default facets on the changes view: on a large archive each one
    # groups every event; the facet links are one click away.  The view has
    # no ORDER BY of its own (it would stop SQLite flattening it, and make
    # counting it read every joined row): Datasette sorts it.
    "changes": {"sort_desc": "at"},
    "raw_pages": {"hidden": True},
    "capture_references": {"hidden": True},
}


def metadata(database: str) -> dict[str, Any]:
    tables = {
        name: {"description": description, "columns": columns, **TABLE_OPTIONS.get(name, {})}
        for name, (description, columns) in TABLES.items()
    }
    return {
        "title": "presswatch",
        "description_html": (
            "Government press releases as published, and every change made to them since. "
            f"See <a href='/{database}/changes'>what changed</a> or subscribe to the "
            "<a href='/-/presswatch/changes.atom'>Atom feed of changes</a>."
        ),
        "source": "Ministry press-release boards, crawled by presswatch",
        "source_url": "https://github.com/presswatch/presswatch",
        "databases": {
            database: {
                "tables": tables,
                "queries": {
                    "recent_changes": {
                        "title": "Recent changes",
                        "description": "Changes, removals and restorations since a date (e.g. 2026-11-01)",
                        "sql": browsing.RECENT_CHANGES_SQL.strip(),
                    },
                    "search": {
                        "title": "Search releases",
                        "description": "Full-text search of titles and bodies, every version, newest first",
                        "sql": browsing.CANNED_SEARCH_SQL.strip(),
                    },
                    "release_history": {
                        "title": "One release's history",
                        "description": "Every version of a release, newest first, with its diff",
                        "sql": browsing.HISTORY_SQL.strip(),
                    },
                },
            }
        },
    }
