"""The SQL views readers read, each as the migration that made it wrote it.

A view is part of the archive's contract (Datasette pages, the changes
command and the feeds read them), and a shipped migration must not change:
a new definition is a new constant here and a new migration.
"""

VIEWS_M002 = (
    """CREATE VIEW latest_versions AS
    SELECT r.id AS release_id, r.site_id, r.key, r.url, r.status, r.version_count,
           r.first_seen, r.last_seen, r.removed_at, v.version, v.captured_at,
           v.title, v.published, substr(v.published, 1, 4) AS year, v.body, v.attachments
    FROM releases r JOIN versions v ON v.id = r.latest_version_id""",
    """CREATE VIEW changes AS
    SELECT e.at, e.event, e.site_id, e.key, coalesce(v.title, lv.title) AS title,
           v.diff, v.version, v.changed, r.url, substr(e.at, 1, 4) AS year,
           e.id AS event_id, e.release_id, e.version_id
    FROM release_events e
    LEFT JOIN releases r ON r.id = e.release_id
    LEFT JOIN versions v ON v.id = e.version_id
    LEFT JOIN versions lv ON lv.id = r.latest_version_id
    WHERE e.event != 'new'""",
)


LATEST_VERSIONS_M005 = """CREATE VIEW latest_versions AS
    SELECT r.id AS release_id, r.site_id, r.key, r.url, r.status, r.version_count,
           r.first_seen, r.last_seen, r.removed_at, v.version, v.captured_at,
           v.title, v.published, substr(v.published, 1, 4) AS year, v.body, v.attachments,
           r.listed_title, r.last_listed, r.unlisted_at
    FROM releases r JOIN versions v ON v.id = r.latest_version_id"""


# Every event, with what a reader needs to see it: the CLI's `changes`, the
# Atom feeds and Datasette's canned query all read this view, so "a change"
# is defined once.  Only LEFT JOINs and no ORDER BY, so SQLite flattens it
# into the caller's query and uses release_events' indexes.
CHANGE_VIEWS_M003 = (
    """CREATE VIEW change_log AS
    SELECT e.at, e.event, e.site_id, e.key, coalesce(v.title, lv.title, e.message) AS title,
           v.diff, v.version, v.changed, r.url, substr(e.at, 1, 4) AS year,
           e.id AS event_id, e.release_id, e.version_id, v.body, e.message
    FROM release_events e
    LEFT JOIN releases r ON r.id = e.release_id
    LEFT JOIN versions v ON v.id = e.version_id
    LEFT JOIN versions lv ON lv.id = r.latest_version_id""",
    """CREATE VIEW changes AS
    SELECT at, event, site_id, key, title, diff, version, changed, url, year,
           event_id, release_id, version_id, message
    FROM change_log WHERE event != 'new'""",
)


# Each change with its kinds and significance (storage.contract.kinds).
CHANGE_VIEWS_M015 = (
    """CREATE VIEW change_log AS
    SELECT e.at, e.event, e.site_id, e.key, coalesce(v.title, lv.title, e.message) AS title,
           v.diff, v.version, v.changed, r.url, substr(e.at, 1, 4) AS year,
           e.id AS event_id, e.release_id, e.version_id, v.body, e.message,
           v.change_kinds, v.significance
    FROM release_events e
    LEFT JOIN releases r ON r.id = e.release_id
    LEFT JOIN versions v ON v.id = e.version_id
    LEFT JOIN versions lv ON lv.id = r.latest_version_id""",
    """CREATE VIEW changes AS
    SELECT at, event, site_id, key, title, diff, version, changed, url, year,
           event_id, release_id, version_id, message, change_kinds, significance
    FROM change_log WHERE event != 'new'""",
)


# Each event marked when a backfill wrote it (history from web archives):
# feeds and alerts leave those out, `changes` and Datasette show them.
CHANGE_VIEWS_M017 = (
    """CREATE VIEW change_log AS
    SELECT e.at, e.event, e.site_id, e.key, coalesce(v.title, lv.title, e.message) AS title,
           v.diff, v.version, v.changed, r.url, substr(e.at, 1, 4) AS year,
           e.id AS event_id, e.release_id, e.version_id, v.body, e.message,
           v.change_kinds, v.significance, e.backfilled
    FROM release_events e
    LEFT JOIN releases r ON r.id = e.release_id
    LEFT JOIN versions v ON v.id = e.version_id
    LEFT JOIN versions lv ON lv.id = r.latest_version_id""",
    """CREATE VIEW changes AS
    SELECT at, event, site_id, key, title, diff, version, changed, url, year,
           event_id, release_id, version_id, message, change_kinds, significance, backfilled
    FROM change_log WHERE event != 'new'""",
)
