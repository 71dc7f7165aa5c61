"""alerts.toml: where presswatch sends what changed, found beside the profiles.

    [[alert]]
    name = "newsroom"                      # shown in logs (optional)
    urls = ["mailto://user:pass@smtp.example.org?to=desk@example.org",
            "json://hooks.example.org/presswatch"]
    sites = ["mofa_en", "mofa_ko"]         # optional: every site when left out
    min_significance = 0.5                 # optional: changes below it are never sent

Any URL Apprise knows works (mailto, slack, json, ntfy, matrix, …).
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import apprise

from crawler.exceptions import AlertConfigError
from crawler.sites.checks import STRING_OR_LIST, did_you_mean, kind_problem, unknown_key


@dataclass(frozen=True)
class Destination:
    name: str
    url: str
    sites: tuple[str, ...] | None  # None: every site
    min_significance: float = 0.0  # a changed version below it is never sent (storage.contract.kinds)

    @property
    def shown(self) -> str:
        """For logs: the name and the URL with its secrets masked."""
        service = apprise.Apprise.instantiate(self.url)
        return f"{self.name} ({service.url(privacy=True) if service else '?'})"

    def follows(self, site_id: str) -> bool:
        return self.sites is None or site_id in self.sites


_ALERT_KEYS: dict[str, object] = {"name": str, "urls": STRING_OR_LIST, "sites": list, "min_significance": float}


def load_config(path: Path, known_sites: Collection[str] | None = None) -> list[Destination]:
    """Every destination in the file, checked whole: each key known, each
    value of its type, each site one of ``known_sites`` (when given), each
    URL one Apprise can use.  AlertConfigError names the file and the key."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise AlertConfigError(f"{path}: cannot read alerts: {error}") from None
    for key in data:
        if key != "alert":
            raise AlertConfigError(f"{path}: {unknown_key(key, ['alert'])}")
    alerts = data.get("alert", [])
    if not isinstance(alerts, list) or not all(isinstance(alert, dict) for alert in alerts):
        raise AlertConfigError(f"{path}: write each destination as an [[alert]] table")
    destinations = []
    for number, alert in enumerate(alerts, 1):
        name = alert.get("name") or f"alert {number}"
        label = f"[[alert]] {name!r}"

        def fail(problem: str, label: str = label) -> AlertConfigError:
            return AlertConfigError(f"{path}: {label}{problem}")

        for key, value in alert.items():
            if key not in _ALERT_KEYS:
                raise fail(f": {unknown_key(key, _ALERT_KEYS)}")
            if key == "sites" and kind_problem(value, list):
                raise fail(": sites must be a list of site ids")
            if key == "min_significance":
                if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                    raise fail(f": min_significance must be a number from 0 to 1, not {value!r}")
                continue
            if problem := kind_problem(value, _ALERT_KEYS[key]):
                raise fail(f": {key}{problem}")
        urls, sites = alert.get("urls"), alert.get("sites")
        if isinstance(urls, str):
            urls = [urls]
        if not urls:
            raise fail(': needs urls = ["…"]')
        if known_sites is not None:
            # a typo here would quietly send a site's changes nowhere
            for site in sites or ():
                if site not in known_sites:
                    raise fail(f": unknown site {site!r}{did_you_mean(site, known_sites)}")
        for url in urls:
            if apprise.Apprise.instantiate(url) is None:
                raise fail(f": Apprise does not know the URL {_scheme(url)}…")
            destinations.append(
                Destination(
                    name, url, tuple(sites) if sites is not None else None, float(alert.get("min_significance", 0.0))
                )
            )
    return destinations


def _scheme(url: str) -> str:
    """Enough of a URL to find it in the file, without its secrets."""
    return url.split("://", 1)[0] + "://" if "://" in url else repr(url[:12])
