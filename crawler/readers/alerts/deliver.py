"""Send each destination what changed on the sites it follows, each change once.

Runs after a crawl (the crawl's writer has closed) or on its own
(``presswatch notify``).  Nothing here can fail a crawl: a destination that
does not answer is logged and its changes go out with the next message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import apprise

from crawler.readers.alerts.config import Destination
from crawler.readers.alerts.message import compose
from storage import AlertLog, ArchiveWriter

logger = logging.getLogger("presswatch.alerts")

BATCH = 200  # changes per message at most; a larger backlog goes in several


@dataclass(frozen=True)
class Sent:
    """One message: to whom, for which site, how many changes, and any error."""

    destination: Destination
    site_id: str
    changes: int
    error: str | None = None

    def line(self) -> str:
        what = f"{self.changes} change{'s' if self.changes != 1 else ''}"
        if self.error:
            return f"{self.site_id} → {self.destination.shown}: not sent ({what}; retried next run): {self.error}"
        return f"{self.site_id} → {self.destination.shown}: sent {what}"


def send(url: str, subject: str, html: str) -> str | None:
    """Send one message through Apprise; None when it went, else why not."""
    service = apprise.Apprise()
    if not service.add(url):
        return "Apprise does not know this URL"
    with apprise.LogCapture(level=logging.WARNING) as captured:
        ok = service.notify(body=html, title=subject, body_format=apprise.NotifyFormat.HTML)
    if ok:
        return None
    reasons = [line.strip() for line in captured.getvalue().splitlines() if line.strip()]
    return reasons[-1] if reasons else "the service refused the message"


def deliver(db: str, destinations: list[Destination], site_ids: list[str]) -> list[Sent]:
    """Send every pending change of ``site_ids`` to the destinations that
    follow them; one ``Sent`` per message."""
    results = []
    with ArchiveWriter(db) as writer:
        log = writer.alert_log()
        for lost in log.abandon_in_flight():
            logger.warning(
                "%d change(s) of %s were being sent to alert destination %s when presswatch stopped: "
                "they may have arrived, and are not sent again",
                lost["changes"],
                lost["site_id"],
                lost["target"],
            )
        for destination in destinations:
            target = log.adopt(destination.url)
            followed = [site for site in site_ids if destination.follows(site)]
            log.subscribe(target, followed)
            for site_id in followed:
                results += _send_site(log, destination, target, site_id)
    return results


def _send_site(log: AlertLog, destination: Destination, target: str, site_id: str) -> list[Sent]:
    results = []
    if destination.min_significance:
        log.pass_over(target, site_id, destination.min_significance)
    while events := log.pending(target, site_id, limit=BATCH):
        ids = [row["event_id"] for row in events]
        subject, html = compose(site_id, events)
        log.sending(target, site_id, ids)
        error = send(destination.url, subject, html)
        log.sent(target, ids, error)
        result = Sent(destination, site_id, len(ids), error)
        (logger.warning if error else logger.info)("alert: %s", result.line())
        results.append(result)
        if error:
            break  # the rest waits with it for the next run
    return results
