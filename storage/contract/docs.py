"""What every public table and column means: one source for Datasette's
metadata and the README's schema section, so the two cannot drift."""

TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "sites": (
        "One row per site profile.",
        {
            "id": "Site id, as used on the command line (e.g. mofa_en)",
            "timezone": "The site's timezone: published dates carry its UTC offset",
            "base_url": "The real site's scheme and host",
            "key_terms": "The profile's key terms (JSON array): a change touching one ranks higher",
        },
    ),
    "releases": (
        "One row per press release, whatever its versions.",
        {
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
        },
    ),
    "versions": (
        "One row per content version of a release; a new one only when title, date, body or attachments change.",
        {
            "version": "1 for the first capture, then 2, 3, … with no gaps",
            "captured_at": "When this version was fetched (UTC)",
            "published": "ISO 8601 with the site's UTC offset, or a bare date when the site shows no time",
            "body": "Paragraphs, separated by one blank line",
            "attachments": "JSON array of {name, url}",
            "content_hash": "SHA-256 of the normalised content",
            "changed": "JSON array of the fields that differ from the previous version",
            "diff": "Unified diff against the previous version (NULL for version 1)",
            "reader": "What read the capture into this record: presswatch's extraction code, the profile, the learned template "
            "(NULL: written before readers were recorded)",
            "change_kinds": "JSON array of the kinds of change from the version before (title, date, number, name, negation, "
            "quote, sentence_added, …, spelling, typography: README); NULL for version 1",
            "significance": "How much the change matters, 0 to 1: a number, name, negation, date, title or removal ranks "
            "above every spelling or typography change (NULL for version 1)",
        },
    ),
    "fetches": (
        "One row per HTTP fetch of a release page: the volatile facts, never content.",
        {
            "outcome": "new, changed, unchanged, not_modified, removed or error",
            "hits": "The page's hit counter, when it shows one",
            "updated": "The day the page says it was last updated, when it shows one later than its publication day (an observation: it never makes a version)",
            "error": "Why the fetch failed (5xx, timeout, maintenance page, …)",
            "restored": "1 when this fetch found a removed release back online",
        },
    ),
    "crawls": (
        "One row per run of one site.",
        {
            "status": "running, finished, failed or interrupted (killed)",
            "requests": "HTTP requests made, robots.txt and redirects included",
            "list_complete": "1 when the run walked the board's whole list",
            "message": "Why the run failed",
            "swept": "Releases the rolling sweep rechecked in this run",
            "sweep_size": "Archived releases outside the revisit window, which the sweep covers",
            "list_pages": "List pages (feeds, sitemaps) walked, the share of the pass over the whole list included",
        },
    ),
    "release_events": (
        "When each release was new, changed, removed, restored, unlisted, relisted or retitled in the list, and when a site started failing or recovered.",
        {
            "event": "new, changed, removed, restored, unlisted, relisted, list_retitled, site_failing or site_recovered",
            "message": "What happened, in words: why a site failed, the title a list now gives, …",
            "backfilled": "When an import from web archives wrote it (UTC); at is then the capture time. "
            "NULL: a crawl saw it happen. Feeds and alerts leave backfilled events out",
        },
    ),
    "version_kinds": (
        "Each kind of change of each version, one row each, kept from versions.change_kinds: the changes view filtered by a kind finds them by index.",
        {
            "kind": "A kind of change (title, date, number, name, negation, …, typography)",
            "version_id": "The version",
        },
    ),
    "imported_captures": (
        "One row per capture imported from a web archive (presswatch import warc, backfill).",
        {
            "captured_at": "When the web archive captured it (UTC)",
            "digest": "Its payload digest, as the web archive gives it (sha1:…, sha256:…)",
            "source": "The WARC file's name (FILE.wacz!archive/… inside a WACZ), or the CDX API",
            "record_id": "The WARC record's id (WARC-Record-ID)",
            "page": "release or list",
            "outcome": "What it did, as in fetches (new, changed, unchanged, removed, error), or listed",
            "version_id": "The version read from it, if it made one",
        },
    ),
    "listings": (
        "How the site's list showed each release, a row whenever that changed: first listed, a new title or date, back in the list (only walks that ended normally count).",
        {
            "seen_at": "When the list showed it so (UTC)",
            "walk": "The list's start path (or feed)",
            "page": "List page number",
            "position": "Position on that page, from 1",
            "title": "The title as the list gave it",
            "listed": "The date as the list gave it",
        },
    ),
    "list_cycles": (
        "One row per pass over a site's whole list, a share each run, so that every release's absence from the list can be noticed.",
        {
            "started_crawl_id": "The run the pass started with",
            "ended": "complete, or restarted when the list moved too much between two runs to stitch them together; NULL while it goes on",
            "progress": "JSON: per list, the page where the last run stopped and the releases it showed there",
        },
    ),
    "word_changes": (
        "One row per run of words a version deleted or inserted: which releases ever dropped a name?",
        {
            "field": "title, body or attachments",
            "op": "deleted or inserted",
            "text": "The words",
            "year": "Year the change was captured",
        },
    ),
    "change_log": (
        "Every event with what a reader needs to see it: the one definition of a change, read by the changes command, the feeds and the changes view.",
        {},
    ),
    "changes": (
        "Each new version after the first, and each removal or restoration (sort by at for newest first, "
        "by significance for what matters most; filter significance ≥ 0.5, or change_kinds array contains number).",
        {
            "change_kinds": "The kinds of change from the version before, as labels (hover one for what it means)",
            "significance": "How much the change matters, 0 to 1 (NULL for a removal or restoration)",
        },
    ),
    "latest_versions": ("The latest version of every release, with its status and how the list shows it.", {}),
    "raw_pages": (
        "The HTML behind each version, compressed, to re-run extraction, and how it was fetched.",
        {
            "url": "The URL the bytes came from: the release page's, or where the board's own redirects led (in the site's terms when crawled through --base-url)",
            "html_zlib": "The page's bytes as received (after any transfer compression was undone), zlib-compressed: "
            "captures stored before presswatch 0.3 and not yet compacted (NULL otherwise)",
            "html_zstd": "The page's bytes, zstd-compressed against reference_id's page as a raw-content dictionary "
            "(or plainly when reference_id is NULL)",
            "reference_id": "The board's reference capture this one is compressed against (capture_references.id)",
            "sha256": "SHA-256 of the page's bytes, recorded when they were stored: `presswatch verify` proves them unchanged",
            "http_status": "The HTTP status it was answered with (NULL for pages stored before presswatch kept it)",
            "response_headers": "JSON array of [name, value] pairs, in the order received (NULL before they were kept)",
            "request_headers": "JSON array of [name, value] pairs presswatch sent, cookies and credentials left out",
        },
    ),
    "capture_references": (
        "Reference pages of each board, stored once: captures are compressed against one, "
        "so that only what differs from the board's template takes space.",
        {
            "site_id": "The board",
            "created_at": "When it became a reference: the board's first capture, or one that no longer resembled any (a redesign)",
            "size": "Its length in bytes",
            "sha256": "SHA-256 of its bytes: `presswatch verify` proves them unchanged",
            "html_zstd": "The page's bytes, zstd-compressed; with zstd's own checksum in the frame (references made by 0.16 on), which readers check",
        },
    ),
    "alert_subscriptions": (
        "Which alert destinations follow which sites, and from which event on (a destination is not sent what happened before it was configured).",
        {
            "target": "HMAC-SHA256 of the destination's URL, keyed by ARCHIVE.db.key beside the archive (the URL itself can hold a password)",
            "since_event_id": "Events after this one are sent",
        },
    ),
    "alert_deliveries": (
        "Each change sent (or being sent) to each alert destination: sent once, retried while failed.",
        {
            "target": "A digest of the destination's URL",
            "event_id": "The change (release_events.id)",
            "state": "sending, sent, failed (sent again with the next message), unknown (presswatch stopped while sending; never resent), "
            "or below (under the destination's min_significance: never sent)",
            "attempts": "Messages that carried it",
            "error": "Why the last attempt failed",
        },
    ),
    "release_aliases": (
        "Keys a release is also known by: the key of the URL its page moved to (a permanent redirect), so that the list's new URL finds the same release.",
        {
            "key": "The other key (of the URL the release's page moved to)",
            "release_id": "The release it names",
            "since": "When the move was seen (UTC)",
        },
    ),
    "reextractions": (
        "Every version whose record was rewritten: re-read by a new reader during a crawl, "
        "or rewritten or merged by presswatch reextract --apply.",
        {
            "action": "re-read (a crawl's new reader read the capture differently), rewritten, "
            "or merged into the version before (which then holds the content)",
            "old_hash": "The version's content hash before",
            "new_hash": "After (for a merge: the hash of the version it merged into)",
            "profile": "The reader that re-read it, or the profile file and the SHA-256 of its text",
            "reason": "Why it was re-read: presswatch upgraded, profile edited, template relearned",
            "old_record": "The version's record before (JSON: title, published, body, attachments)",
            "new_record": "After",
            "html_zlib": "The capture of a merged version (its raw_pages row is gone with the version)",
        },
    ),
    "relayed_jobs": (
        "Crawl jobs of other machines (presswatch dispatch) whose outcomes presswatch writer applied: each message once.",
        {
            "token": "The job's id (its Scrapyd job id)",
            "applied_seq": "The last of the job's messages applied; one redelivered after that changes nothing",
            "updated_at": "When the last message was applied (UTC)",
        },
    ),
    "relayed_crawls": (
        "Which crawl row each site of a relayed job writes to.",
        {
            "token": "The job's id",
            "crawl_id": "Its crawl of the site",
        },
    ),
}
