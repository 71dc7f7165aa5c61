"""How one site's crawl ended, as `presswatch crawl` and `presswatch
dispatch` print it: one line per site."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SUMMARY_FIELDS = ("requests", "new", "changed", "unchanged", "removed", "errors")


@dataclass
class CrawlReport:
    site_id: str
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    message: str | None = None
    swept: int = 0  # releases the rolling sweep rechecked
    sweep_size: int = 0  # of the archived releases outside the revisit window

    @property
    def ok(self) -> bool:
        return self.status == "finished"

    def summary(self) -> str:
        counts = dict(self.counts)
        not_modified = counts.pop("not_modified", 0)
        # A 304 is an unchanged release confirmed cheaply: count it as unchanged.
        counts["unchanged"] = counts.get("unchanged", 0) + not_modified
        parts = [f"{name} {counts.get(name, 0)}" for name in SUMMARY_FIELDS]
        if not_modified:
            parts[SUMMARY_FIELDS.index("unchanged")] += f" ({not_modified} not modified)"
        line = f"{self.site_id}: {self.status}: {', '.join(parts)}"
        if self.sweep_size:
            line += f"; swept {self.swept} of {self.sweep_size}"
        if self.message:
            line += f" — {self.message}"
        return line

    @classmethod
    def from_crawl(cls, site_id: str, row: dict[str, Any]) -> CrawlReport:
        """From the site's row in the archive's crawls table."""
        counts = {name: row.get(name) or 0 for name in (*SUMMARY_FIELDS, "not_modified")}
        return cls(
            site_id, row["status"], counts, row.get("message"), row.get("swept") or 0, row.get("sweep_size") or 0
        )
