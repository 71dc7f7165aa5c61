"""alerts.toml: where presswatch sends what changed, found beside the profiles.

    [[alert]]
    name = "newsroom"                      # shown in logs (optional)
    urls = ["mailto://user:pass@smtp.example.org?to=desk@example.org",
            "json://hooks.example.org/presswatch"]
    sites = ["mofa_en", "mofa_ko"]         # optional: every site when left out

Any URL Apprise knows works (mailto, slack, json, ntfy, matrix, …).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import apprise

from crawler.errors import AlertConfigError


@dataclass(frozen=True)
class Destination:
    name: str
    url: str
    sites: tuple[str, ...] | None  # None: every site

    @property
    def shown(self) -> str:
        """For logs: the name and the URL with its secrets masked."""
        service = apprise.Apprise.instantiate(self.url)
        return f"{self.name} ({service.url(privacy=True) if service else '?'})"

    def follows(self, site_id: str) -> bool:
        return self.sites is None or site_id in self.sites


def load_config(path: Path) -> list[Destination]:
    """Every destination in the file, each URL checked by Apprise."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise AlertConfigError(f"cannot read alerts from {path}: {error}") from None
    alerts = data.get("alert", [])
    if not isinstance(alerts, list) or not all(isinstance(alert, dict) for alert in alerts):
        raise AlertConfigError(f"{path}: write each destination as an [[alert]] table")
    destinations = []
    for number, alert in enumerate(alerts, 1):
        name = str(alert.get("name") or f"alert {number}")
        urls, sites = alert.get("urls"), alert.get("sites")
        if isinstance(urls, str):
            urls = [urls]
        if not urls or not all(isinstance(url, str) for url in urls):
            raise AlertConfigError(f"{path}: [[alert]] {name!r} needs urls = [\"…\"]")
        if sites is not None and not (isinstance(sites, list) and all(isinstance(s, str) for s in sites)):
            raise AlertConfigError(f"{path}: [[alert]] {name!r}: sites must be a list of site ids")
        for url in urls:
            if apprise.Apprise.instantiate(url) is None:
                raise AlertConfigError(f"{path}: [[alert]] {name!r}: Apprise does not know the URL {_scheme(url)}…")
            destinations.append(Destination(name, url, tuple(sites) if sites is not None else None))
    return destinations


def _scheme(url: str) -> str:
    """Enough of a URL to find it in the file, without its secrets."""
    return url.split("://", 1)[0] + "://" if "://" in url else repr(url[:12])
