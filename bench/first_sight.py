"""Each board's score at first sight, before any change was made for it, as
tests/files/corpus/SOURCES.md records it: the measure of the next board.

The corpus report shows these beside today's scores, so that what was tuned
on a board is told apart from what presswatch read on a board it had never
seen.  Boards of the corpus's first round (before first sight was recorded)
and boards that could not be measured then have no row.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .measure import ROOT

SOURCES = ROOT / "tests" / "files" / "corpus" / "SOURCES.md"
# A cell ends at a "|" that is not inside a parenthesised comment ("(a | b)").
_CELL = re.compile(r"\|(?![^()]*\))")
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)(%?)")
_BODY = re.compile(r"^(\d\.\d+) / (\d\.\d+) / (\d\.\d+)")  # precision / recall / F1


@dataclass(frozen=True)
class FirstSight:
    f1: float
    leak_rate: float
    titles: float
    dates: float
    attachments_f1: float


def first_sight() -> dict[str, FirstSight]:
    """Per board, profile-less presswatch's scores in its first-sight row."""
    text = SOURCES.read_text("utf-8")
    found = {}
    for line in text.split("\n## First sight", 1)[1].splitlines():
        if not line.startswith("| `"):
            continue
        board, _set, body, leaking, titles, days, attachments, *_ = (
            cell.strip() for cell in _CELL.split(line.strip().strip("|"))
        )
        scores = _BODY.match(body)
        if scores is None:  # "not measured: …"
            continue
        found[board.strip("`")] = FirstSight(
            float(scores.group(3)), _value(leaking), _value(titles), _value(days), _value(attachments)
        )
    return found


def _value(cell: str) -> float:
    """ "83% (…)" is 0.83, "1.000 (none)" is 1.0, "—" is unknown."""
    match = _NUMBER.match(cell)
    if not match:
        return math.nan
    number = float(match.group(1))
    return number / 100 if match.group(2) else number
