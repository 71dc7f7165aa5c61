"""A run's crawl configuration: the three numbers the policy is tuned by."""

from __future__ import annotations

from dataclasses import dataclass

from storage import SWEEP_DAYS as STORED_SWEEP_DAYS

# Releases listed this many days ago or less are revisited on every run.
REVISIT_DAYS = 30
# The rolling sweep's period (storage's, which the readers share): settings,
# the CLI's help and `presswatch sites` read it from here.
SWEEP_DAYS = STORED_SWEEP_DAYS


@dataclass(frozen=True, slots=True)
class CrawlConfig:
    """``full``: fetch everything, unconditionally.  ``sweep_days``: 0 or
    less sweeps everything each run, ``inf`` never sweeps."""

    full: bool = False
    revisit_days: int = REVISIT_DAYS
    sweep_days: float = SWEEP_DAYS
