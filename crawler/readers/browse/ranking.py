"""What the landing page's "Latest changes" shows: newest or most
significant first, from a least significance, of one kind, as the reader
chose in its form (?order=significance&min=0.5&kind=number).  A value the
form could not have sent is read as no choice: a page never fails on one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from storage import CHANGES_SQL, KINDS, NO_FILTER, browsing

ORDERS = {"time": "newest first", "significance": "most significant first"}
THRESHOLDS = (0.2, 0.5, 0.7, 0.8)  # the form's choices: above cosmetic, wording, and the rest


@dataclass(frozen=True)
class Choice:
    order: str = "time"
    least: float | None = None
    kind: str | None = None

    @classmethod
    def from_args(cls, args: Any) -> Choice:
        order = args.get("order") if args.get("order") in ORDERS else "time"
        try:
            least: float | None = float(args.get("min") or "")
        except ValueError:
            least = None
        if least is not None and not 0 <= least <= 1:
            least = None
        kind = args.get("kind") if args.get("kind") in KINDS else None
        return cls(order, least, kind)

    @property
    def chosen(self) -> bool:
        """Whether anything but the default (newest first, everything) was chosen."""
        return self.order != "time" or self.least is not None or self.kind is not None

    def query(self, since: str, limit: int) -> tuple[str, dict[str, Any]]:
        """The SQL to run and its parameters.  Newest first over the whole
        archive reads only the newest events (an index); a ranking or a
        filter reads every change it considers, so it looks at the weeks
        since ``since`` alone: a kind no change of the last five years had
        took 0.9 s over 100,000 events, past a public server's time limit."""
        params = {
            "since": since if self.chosen else "",
            "site": None,
            "with_new": 0,
            "limit": limit,
            **NO_FILTER,
            "backfilled": 0,  # history found late in web archives is not the latest change
            "min_significance": self.least,
            "kinds": json.dumps([self.kind]) if self.kind else None,
        }
        return (browsing.CHANGES_BY_SIGNIFICANCE_SQL if self.order == "significance" else CHANGES_SQL), params

    def table_args(self, since: str) -> str:
        """The same choice as the changes view's query string (Datasette's
        own sort and filters), for "every change" as chosen here; bounded
        to the same weeks, for the same reason as query's."""
        args = {"_sort_desc": "significance" if self.order == "significance" else "at"}
        if self.chosen:
            args["at__gte"] = since
        if self.least is not None:
            args["significance__gte"] = str(self.least)
        if self.kind:
            args["change_kinds__arraycontains"] = self.kind
        return urlencode(args)


async def kind_clauses(database: Any, kinds: list[str]) -> tuple[list[str], dict[str, str]]:
    """For the changes view filtered by ``kinds`` (its array-contains
    filter), clauses that filter imply and SQLite answers by index
    (storage.browsing's FEW_OF_KIND, MANY_OF_KIND), and their parameters."""
    clauses, params = [], {}
    for n, kind in enumerate(dict.fromkeys(kind for kind in kinds if kind in KINDS)):
        param = f"presswatch_kind_{n}"
        counted = await database.execute(browsing.KIND_COUNT_SQL, {"kind": kind, "few": browsing.KIND_FEW})
        few = counted.first()[0] < browsing.KIND_FEW
        clauses.append((browsing.FEW_OF_KIND if few else browsing.MANY_OF_KIND).format(param=param))
        params[param] = kind
    return clauses, params
