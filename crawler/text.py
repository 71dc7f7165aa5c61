"""Printing scraped text to a terminal: safely, and in columns."""

from __future__ import annotations

import re
import shutil

# C0/C1 controls except newline and tab: a scraped title must not be able to
# move the cursor, retitle the terminal or hide text (ESC sequences).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    return _CONTROLS.sub("\ufffd", text)


def table(rows: list[dict], columns: list[str], width: int | None = None) -> str:
    """Left-aligned columns; the last column is cut to keep lines readable."""
    width = width or shutil.get_terminal_size((120, 24)).columns
    cells = [[safe(str(row.get(c) if row.get(c) is not None else "")) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns[:-1])]
    lines = []
    for values in [columns, *cells]:
        head = "  ".join(v.ljust(w) for v, w in zip(values, widths))
        last = values[-1]
        room = max(width - len(head) - 2, 20)
        if len(last) > room:
            last = last[: room - 1] + "…"
        lines.append(f"{head}  {last}" if head else last)
    return "\n".join(lines)
