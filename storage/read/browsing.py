"""What presswatch's pages in Datasette read: every SQL string they run is
here, in storage's read path, beside the changes command's (queries.py),
so that a change of schema meets each reader in one place.

The pages run these through Datasette's own connection (its thread and
time limit), so they are strings with named parameters, not functions.
"""

from __future__ import annotations

import json
from typing import Any

from ..contract.kinds import COSMETIC, KINDS, WEIGHTS
from .queries import CHANGES_BY_SIGNIFICANCE_SQL as CHANGES_BY_SIGNIFICANCE_SQL
from .queries import SEARCH_SQL

# The landing page's latest changes, most significant first, are `presswatch
# changes --sort significance`'s (CHANGES_BY_SIGNIFICANCE_SQL, queries.py); the
# landing page bounds them by :since (its chart's weeks), as ranking reads
# every change in the window.

# The changes view filtered by a kind (Datasette's change_kinds__arraycontains)
# reads each version's JSON in time order until a page is full: for a kind no
# recent change has, the whole history.  The plugin adds a clause the filter
# implies, which SQLite answers from version_kinds (m018): for a kind of few
# versions (fewer than KIND_FEW), those versions' events by index, then
# sorted; for a common one, each event checked against the index in time
# order before its version is read.
KIND_FEW = 5000
KIND_COUNT_SQL = "SELECT count(*) FROM (SELECT 1 FROM version_kinds WHERE kind = :kind LIMIT :few)"
FEW_OF_KIND = "version_id IN (SELECT version_id FROM version_kinds WHERE kind = :{param})"
MANY_OF_KIND = "EXISTS (SELECT 1 FROM version_kinds k WHERE k.kind = :{param} AND k.version_id = changes.version_id)"

# The search canned query: the command line's search, with the page size
# fixed, as a form has no :limit field.
CANNED_SEARCH_SQL = SEARCH_SQL.replace(":limit", "100")

# Events per site and week (Monday to Sunday, UTC), new releases and
# backfilled history left out: a board publishing is not news, a board
# editing or withdrawing is.
WEEKLY_SQL = """
SELECT date(at, 'weekday 0', '-6 days') AS week, site_id, count(*) AS n
FROM release_events WHERE event != 'new' AND backfilled IS NULL AND at >= :since
GROUP BY week, site_id
"""

# Each site's timezone: a page shows a site's dates as its board does.
SITE_ZONES_SQL = "SELECT id, timezone FROM sites"

RELEASE_SQL = """
SELECT r.*, s.timezone FROM releases r LEFT JOIN sites s ON s.id = r.site_id
WHERE r.site_id = :site AND r.key = :key
"""

RELEASE_VERSIONS_SQL = """
SELECT version, captured_at, title, published, body, attachments, changed, change_kinds, significance
FROM versions WHERE release_id = :release_id ORDER BY version
"""

RELEASE_EVENTS_SQL = """
SELECT e.at, e.event, v.version FROM release_events e LEFT JOIN versions v ON v.id = e.version_id
WHERE e.release_id = :release_id ORDER BY e.id
"""

RELEASE_HITS_SQL = """
SELECT fetched_at, hits FROM fetches WHERE release_id = :release_id AND hits IS NOT NULL ORDER BY id
"""

VERSION_SQL = "SELECT * FROM versions WHERE release_id = :release_id AND version = :version"

# Datasette's canned queries (a form has no :limit field).
RECENT_CHANGES_SQL = """
SELECT at, event, site_id, key, title, version, changed, change_kinds, significance, diff, release_id
FROM changes
WHERE at >= :since
ORDER BY at DESC LIMIT 100
"""

HISTORY_SQL = """
SELECT v.version, v.captured_at, v.title, v.published, v.changed, v.change_kinds, v.significance,
       v.diff, v.release_id
FROM versions v JOIN releases r ON r.id = v.release_id
WHERE r.site_id = :site AND r.key = :key
ORDER BY v.version DESC
"""


def kind_labels(change_kinds: str | None) -> list[dict[str, Any]]:
    """A version's ``change_kinds`` (a JSON array) as labels to show, in
    the stored order: each kind, what it means, and its weight class
    (``major``: ranks above every cosmetic change; ``cosmetic``; else ``minor``)."""
    try:
        kinds = json.loads(change_kinds or "[]")
    except ValueError:
        return []
    return [
        {"kind": kind, "title": KINDS.get(kind, kind), "weight": _weight(kind)}
        for kind in kinds
        if isinstance(kind, str)
    ]


def _weight(kind: str) -> str:
    if kind in COSMETIC:
        return "cosmetic"
    return "major" if WEIGHTS.get(kind, 0) >= 0.7 else "minor"
