"""What every public table and column means: one source for Datasette's
metadata and the README's schema section, so the two cannot drift."""

TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "sites": ("One row per site profile.", {
        "id": "Site id, as used on the command line (e.g. mofa_en)",
        "timezone": "The site's timezone: published dates carry its UTC offset",
        "base_url": "The real site's scheme and host",
    }),
    "releases": ("One row per press release, whatever its versions.", {
        "key": "Identity of the release on its site (for MOFA boards: the seq parameter)",
        "url": "Canonical URL of the release page",
        "status": "live, or removed when the page answered 404/410 or redirected away",
        "first_seen": "When presswatch first archived it (UTC)",
        "last_seen": "When a fetch last found it online (UTC)",
        "last_checked": "When it was last fetched, whatever the answer (UTC)",
        "removed_at": "When it was found removed (UTC); cleared when it comes back",
        "version_count": "How many content versions are stored",
        "published": "Publication date of the latest version",
        "listed_title": "The title the site's list last gave it",
        "last_listed": "When a list page last showed it (UTC)",
        "unlisted_at": "When a complete pass over the list no longer showed it while its page still answered (UTC); cleared when it is listed again",
    }),
    "versions": ("One row per content version of a release; a new one only when title, date, body or attachments change.", {
        "version": "1 for the first capture, then 2, 3, … with no gaps",
        "captured_at": "When this version was fetched (UTC)",
        "published": "ISO 8601 with the site's UTC offset, or a bare date when the site shows no time",
        "body": "Paragraphs, separated by one blank line",
        "attachments": "JSON array of {name, url}",
        "content_hash": "SHA-256 of the normalised content",
        "changed": "JSON array of the fields that differ from the previous version",
        "diff": "Unified diff against the previous version (NULL for version 1)",
    }),
    "fetches": ("One row per HTTP fetch of a release page: the volatile facts, never content.", {
        "outcome": "new, changed, unchanged, not_modified, removed or error",
        "hits": "The page's hit counter, when it shows one",
        "error": "Why the fetch failed (5xx, timeout, maintenance page, …)",
        "restored": "1 when this fetch found a removed release back online",
    }),
    "crawls": ("One row per run of one site.", {
        "status": "running, finished, failed or interrupted (killed)",
        "requests": "HTTP requests made, robots.txt and redirects included",
        "list_complete": "1 when the run walked the board's whole list",
        "message": "Why the run failed",
        "swept": "Releases the rolling sweep rechecked in this run",
        "sweep_size": "Archived releases outside the revisit window, which the sweep covers",
    }),
    "release_events": ("When each release was new, changed, removed, restored, unlisted, relisted or retitled in the list, and when a site started failing or recovered.", {
        "event": "new, changed, removed, restored, unlisted, relisted, list_retitled, site_failing or site_recovered",
        "message": "What happened, in words: why a site failed, the title a list now gives, …",
    }),
    "listings": ("One row per release per list page walked: what the site listed, as evidence (only walks that ended normally).", {
        "walk": "The list's start path (or feed)",
        "page": "List page number",
        "position": "Position on that page, from 1",
        "title": "The title as the list gave it",
        "listed": "The date as the list gave it",
    }),
    "list_cycles": ("One row per pass over a site's whole list, a share each run, so that every release's absence from the list can be noticed.", {
        "started_crawl_id": "The run the pass started with",
        "ended": "complete, or restarted when the list moved too much between two runs to stitch them together; NULL while it goes on",
        "progress": "JSON: per list, the page where the last run stopped and the releases it showed there",
    }),
    "word_changes": ("One row per run of words a version deleted or inserted: which releases ever dropped a name?", {
        "field": "title, body or attachments",
        "op": "deleted or inserted",
        "text": "The words",
        "year": "Year the change was captured",
    }),
    "change_log": ("Every event with what a reader needs to see it: the one definition of a change, read by the changes command, the feeds and the changes view.", {}),
    "changes": ("Each new version after the first, and each removal or restoration (sort by at for newest first).", {}),
    "latest_versions": ("The latest version of every release, with its status and how the list shows it.", {}),
    "raw_pages": ("The HTML behind each version, zlib-compressed, to re-run extraction, and how it was fetched.", {
        "html_zlib": "The page's bytes as received (after any transfer compression was undone), zlib-compressed",
        "http_status": "The HTTP status it was answered with (NULL for pages stored before presswatch kept it)",
        "response_headers": "JSON array of [name, value] pairs, in the order received (NULL before they were kept)",
        "request_headers": "JSON array of [name, value] pairs presswatch sent, cookies and credentials left out",
    }),
}
