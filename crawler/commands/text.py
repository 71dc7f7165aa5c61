"""Printing scraped text to a terminal: safely, and in columns."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

# C0/C1 controls except newline and tab: a scraped title must not be able to
# move the cursor, retitle the terminal or hide text (ESC sequences).  Nor
# reorder a line with bidirectional overrides, which an archive written
# before presswatch dropped them may still hold.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    return _CONTROLS.sub("\ufffd", text)


def table(rows: list[dict], columns: list[str], width: int | None = None) -> str:
    """Left-aligned columns, none wider than 48; the last one fills the line."""
    width = width or shutil.get_terminal_size((120, 24)).columns
    cells = [[safe("" if row.get(c) is None else str(row.get(c))) for c in columns] for row in rows]
    widths = [min(48, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns[:-1])]
    lines = []
    for values in [columns, *cells]:
        head = "  ".join(_cut(v, w).ljust(w) for v, w in zip(values, widths))
        room = max(width - len(head) - 2, 24)
        lines.append(f"{head}  {_cut(values[-1], room)}" if head else _cut(values[-1], room))
    return "\n".join(line.rstrip() for line in lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def emit(rows: list[dict], columns: list[str], fmt: str) -> str:
    """Rows as a table for people, or JSON / CSV for scripts."""
    if fmt == "json":
        return json.dumps([{c: row.get(c) for c in columns} for row in rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    return table(rows, columns)
