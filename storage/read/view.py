"""A read-only view of an archive: what crawls and readers may know.

Crawls read the state they need (known releases, validators, whether the
whole list was ever walked) through a view and never open the archive for
writing; the one writer is the only connection that changes it.  The
connection is opened with SQLite's ``mode=ro``, so a bug here cannot write.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from ..contract.captures import COLUMNS, Captures
from ..contract.opening import READ_ERRORS, check_current, open_readonly, read_error
from ..contract.records import SWEEP_DAYS, ArchiveError, KnownRelease, now
from . import queries

if TYPE_CHECKING:
    from ..write.reextract import Extractor, Rewrite
    from .evidence import Capture


@dataclass(frozen=True)
class ListCycle:
    """The pass over a site's whole list that runs are making, a share each."""

    started_at: str
    progress: dict[str, Any]  # walk → {"next": page, "last_keys": [...], "done": bool}
    seen: frozenset[str]  # archived releases a list showed since it started, or found since


@dataclass(frozen=True)
class SiteState:
    """Everything a crawl of one site needs to know of the archive."""

    site_id: str
    known: dict[str, KnownRelease] = field(default_factory=dict)
    list_ever_completed: bool = False
    run_interval: timedelta | None = None  # typical time between this site's runs
    cycle: ListCycle | None = None  # None: the next run starts a new pass
    # The latest captures of its newest releases (decoded HTML): a
    # profile-less site's template is learned from them, not fetched again.
    recent_pages: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable: what the writer publishes to a crawl job on
        another machine (storage.relay); ``from_dict`` gives it back."""
        cycle = self.cycle
        return {
            "site_id": self.site_id,
            "known": [asdict(release) for key, release in self.known.items() if key == release.key],
            "aliases": {key: release.key for key, release in self.known.items() if key != release.key},
            "list_ever_completed": self.list_ever_completed,
            "run_interval": None if self.run_interval is None else self.run_interval.total_seconds(),
            "cycle": None
            if cycle is None
            else {
                "started_at": cycle.started_at,
                "progress": cycle.progress,
                "seen": sorted(cycle.seen),
            },
            "recent_pages": self.recent_pages,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SiteState:
        known = {release["key"]: KnownRelease(**release) for release in data["known"]}
        for alias, key in data.get("aliases", {}).items():
            known.setdefault(alias, known[key])
        cycle = data.get("cycle")
        interval = data.get("run_interval")
        return cls(
            data["site_id"],
            known,
            data["list_ever_completed"],
            None if interval is None else timedelta(seconds=interval),
            None if cycle is None else ListCycle(cycle["started_at"], cycle["progress"], frozenset(cycle["seen"])),
            data.get("recent_pages", []),
        )


class ArchiveView:
    def __init__(self, db: Database, path: Path, *, immutable: bool = False):
        self.db = db
        self.path = path
        self.immutable = immutable  # opened so, in a directory no one may write

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> ArchiveView:
        """Open an existing archive read-only (its writer creates and upgrades
        it): ArchiveOutdated if an older presswatch wrote it, ArchiveDamaged
        if SQLite finds it damaged."""
        path = Path(path)
        if not path.exists():
            raise ArchiveError(f"no archive at {path}")
        try:
            conn, immutable = open_readonly(path)
        except READ_ERRORS as error:
            raise read_error(path, error) from None
        try:
            check_current(conn, path)
        except BaseException as error:
            conn.close()
            if isinstance(error, READ_ERRORS):
                raise read_error(path, error) from None
            raise
        return cls(Database(conn), path, immutable=immutable)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ArchiveView:
        return self

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> None:
        """A read that failed on the file's contents says what is wrong with it, on one line."""
        self.close()
        if isinstance(error, READ_ERRORS):
            raise read_error(self.path, error) from error

    # What a crawl needs -----------------------------------------------

    def site_state(self, site_id: str, recent_pages: int = 0) -> SiteState:
        return SiteState(
            site_id,
            self.known_releases(site_id),
            self.list_ever_completed(site_id),
            self.run_interval(site_id),
            self.list_cycle(site_id),
            self.recent_pages(site_id, recent_pages),
        )

    def recent_pages(self, site_id: str, limit: int) -> list[str]:
        """The latest captures of the site's newest live releases, decoded."""
        rows = (
            self.db.execute(
                f"SELECT {COLUMNS}, p.encoding FROM releases r JOIN raw_pages p ON p.version_id = r.latest_version_id "
                "WHERE r.site_id = ? AND r.status = 'live' ORDER BY r.first_seen DESC, r.id DESC LIMIT ?",
                [site_id, limit],
            ).fetchall()
            if limit
            else []
        )
        stored = Captures(self.db)
        return [stored.unpack(*capture).decode(_codec(encoding), errors="replace") for *capture, encoding in rows]

    def list_cycle(self, site_id: str) -> ListCycle | None:
        row = self.db.execute(
            "SELECT started_at, progress FROM list_cycles WHERE site_id = ? AND ended IS NULL ORDER BY id DESC LIMIT 1",
            [site_id],
        ).fetchone()
        if row is None:
            return None
        started_at, progress = row
        seen = frozenset(
            key
            for (key,) in self.db.execute(
                "SELECT key FROM releases WHERE site_id = ? AND (last_listed >= ? OR first_seen >= ?)",
                [site_id, started_at, started_at],
            )
        )
        return ListCycle(started_at, json.loads(progress or "{}"), seen)

    def run_interval(self, site_id: str, runs: int = 10) -> timedelta | None:
        """The median time between the starts of the site's last runs (what
        cron does), or None before it has run twice."""
        starts = [
            datetime.fromisoformat(row[0])
            for row in self.db.execute(
                "SELECT started_at FROM crawls WHERE site_id = ? AND status != 'imported' ORDER BY id DESC LIMIT ?",
                [site_id, runs],
            )
        ]
        gaps = [later - earlier for later, earlier in zip(starts, starts[1:]) if later > earlier]
        return sorted(gaps)[len(gaps) // 2] if gaps else None

    def list_ever_completed(self, site_id: str) -> bool:
        """Has any crawl of the site walked its whole list?  Until one has,
        incremental crawls may not stop early: older releases are missing."""
        row = self.db.execute(
            "SELECT 1 FROM crawls WHERE site_id = ? AND list_complete = 1 LIMIT 1", [site_id]
        ).fetchone()
        return row is not None

    def known_releases(self, site_id: str) -> dict[str, KnownRelease]:
        rows = self.db.execute(
            "SELECT r.key, r.url, r.status, r.published, r.etag, r.last_modified, v.title, r.last_checked, "
            "r.unlisted_at, r.first_seen "
            "FROM releases r LEFT JOIN versions v ON v.id = r.latest_version_id "
            "WHERE r.site_id = ?",
            [site_id],
        )
        known = {row[0]: KnownRelease(*row) for row in rows}
        # A key a release's page moved to finds the release it always was.
        aliases = self.db.execute(
            "SELECT a.key, r.key FROM release_aliases a JOIN releases r ON r.id = a.release_id WHERE a.site_id = ?",
            [site_id],
        )
        for alias, key in aliases:
            known.setdefault(alias, known[key])
        return known

    # What readers ask ---------------------------------------------------

    def crawl(self, crawl_id: int) -> dict[str, Any]:
        return dict(self.db.table("crawls").get(crawl_id))

    def release(self, site_id: str, key: str) -> dict[str, Any]:
        return queries.release(self.db, site_id, key)

    def release_by_url(self, url: str) -> dict[str, Any]:
        return queries.release_by_url(self.db, url)

    def history(self, release_id: int) -> list[dict[str, Any]]:
        return queries.history(self.db, release_id)

    def diff(self, release: dict[str, Any], a: int | None = None, b: int | None = None) -> str:
        return queries.diff(self.db, release, a, b)

    def changes(
        self,
        since: str,
        site: str | None = None,
        *,
        with_new: bool = True,
        limit: int = 1000,
        min_significance: float | None = None,
        kinds: tuple[str, ...] = (),
        backfilled: bool = True,
        order: str = "time",
    ) -> list[dict[str, Any]]:
        return queries.changes(
            self.db,
            since,
            site,
            with_new=with_new,
            limit=limit,
            min_significance=min_significance,
            kinds=kinds,
            backfilled=backfilled,
            order=order,
        )

    def search(self, query: str, site: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        return queries.search(self.db, query, site, limit)

    def site_ids(self) -> list[str]:
        """Every site the archive holds."""
        return [row[0] for row in self.db.execute("SELECT id FROM sites ORDER BY id")]

    def captures(self, site_id: str, since: str = "") -> Iterator[Capture]:
        """The captures behind a site's versions, oldest first (for export),
        one at a time: a site's pages together need not fit in memory."""
        from .evidence import captures  # warcio: only exports pay its import

        return captures(self.db, site_id, since)

    def capture(self, site_id: str, key: str, version: int) -> Capture:
        """The capture behind one version; NotFound if there is none."""
        from .evidence import capture

        return capture(self.db, site_id, key, version)

    def reextract_plan(self, site_id: str, extract: Extractor) -> tuple[list[Rewrite], int]:
        """What re-extraction would rewrite, and how many versions it would merge."""
        from ..write.reextract import merges, plan

        rewrites = plan(self.db, site_id, extract)
        return rewrites, merges(self.db, rewrites)

    def site_health(self, sweep_days: float = SWEEP_DAYS) -> dict[str, dict[str, Any]]:
        # With no sweep (inf days) no release is ever overdue: none was checked before ''.
        due_before = (
            "" if sweep_days == float("inf") else (now() - timedelta(days=sweep_days)).isoformat(timespec="seconds")
        )
        return queries.site_health(self.db, due_before)


def _codec(encoding: str | None) -> str:
    try:
        return codecs.lookup(encoding or "utf-8").name
    except LookupError:
        return "utf-8"
