"""One alert message for one site: its changes, oldest first, as HTML.

Apprise sends HTML where the service shows it and turns it into plain text
where it does not (an e-mail carries both); the text keeps every link's URL
and wdiff's [-deleted-] {+inserted+} marks.  Every scraped string is
escaped: the only markup is written here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from crawler.readers.browse.render import STYLE, diff_html, web_link
from crawler.readers.feed import SUMMARY

LEAD_WORDS = 60  # of a new release's body
NOTES = {
    "removed": "The page no longer answers; the archive keeps every version.",
    "restored": "The page answers again.",
}


def compose(site_id: str, events: Sequence[dict[str, Any]]) -> tuple[str, str]:
    """Subject and HTML body for rows of storage's change_log."""
    counts = Counter(row["event"] for row in events)
    order = sorted(counts, key=lambda event: (list(SUMMARY).index(event) if event in SUMMARY else len(SUMMARY), event))
    subject = f"presswatch: {site_id}: " + ", ".join(f"{counts[event]} {_label(event).lower()}" for event in order)
    parts = [STYLE, Markup("<p>What presswatch found on <b>{}</b>:</p>").format(site_id)]
    parts += [_event(row) for row in events]
    return subject, str(Markup("").join(parts))


def _label(event: str) -> str:
    return SUMMARY.get(event, event.replace("_", " ").capitalize())


def _event(row: dict[str, Any]) -> Markup:
    title = row["title"] or row["key"] or row["site_id"]
    heading = Markup("<h3>{}: {}</h3>").format(_label(row["event"]), title)
    facts = [row["at"][:16].replace("T", " ") + " UTC"]
    if row.get("version"):
        facts.append(f"version {row['version']}")
    if row["event"] == "changed" and row.get("changed"):
        facts.append("changed: " + ", ".join(_fields(row["changed"])))
    lines = [Markup("<p>{}</p>").format(" · ".join(facts))]
    if link := web_link(row.get("url")):
        lines.append(Markup('<p><a href="{0}">{0}</a></p>').format(link))
    elif row.get("url"):
        lines.append(Markup("<p>{}</p>").format(row["url"]))
    if row["event"] == "changed" and row.get("diff"):
        lines.append(diff_html(row["diff"], marked=True).split("</style>", 1)[1])  # STYLE is sent once
    elif row["event"] == "new" and row.get("body"):
        lines.append(Markup("<p>{}</p>").format(_lead(row["body"])))
    elif note := row.get("message") or NOTES.get(row["event"]):
        lines.append(Markup("<p>{}</p>").format(note))
    return heading + Markup("").join(Markup(line) for line in lines)


def _fields(changed: str) -> list[str]:
    return [str(field) for field in json.loads(changed)]


def _lead(body: str) -> str:
    words = body.split()
    return " ".join(words[:LEAD_WORDS]) + (" …" if len(words) > LEAD_WORDS else "")


def sample() -> tuple[str, str]:
    """What ``presswatch notify --test`` sends: a message like a real one."""
    events: list[dict[str, Any]] = [
        {
            "event": "changed",
            "title": "Sample release: a paragraph was edited",
            "key": "1",
            "site_id": "sample",
            "at": "2026-01-02T03:04:05+00:00",
            "version": 2,
            "changed": '["body"]',
            "url": "https://example.org/press/1",
            "diff": "--- version 1\n+++ version 2\n@@ -1,3 +1,3 @@\n Sample release\n"
            "-The minister met the delegation on Monday.\n+The minister met the delegation on Tuesday.\n",
        },
        {
            "event": "new",
            "title": "Sample release: newly published",
            "key": "2",
            "site_id": "sample",
            "at": "2026-01-02T03:04:05+00:00",
            "version": 1,
            "url": "https://example.org/press/2",
            "body": "This is a test alert from presswatch: your alert destination works.",
        },
        {
            "event": "removed",
            "title": "Sample release: taken down",
            "key": "3",
            "site_id": "sample",
            "at": "2026-01-02T03:04:05+00:00",
            "url": "https://example.org/press/3",
            "message": "The page no longer answers; the archive keeps every version.",
        },
    ]
    subject, body = compose("sample", events)
    return "[test] " + subject, body
