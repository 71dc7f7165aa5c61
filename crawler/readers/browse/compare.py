"""Two versions side by side, as a reader compares them: the changed
paragraphs with one unchanged paragraph of context on each side, the
runs of unchanged ones folded ("7 unchanged paragraphs", opened without a
script by <details>), and a paragraph that moved shown as moved, not as
one removed and another added.

Every piece of text was scraped: it goes through Markup's escaping; the
only markup is written here.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from crawler.readers.browse.render import TAGS
from storage import moved_lines, word_runs

CONTEXT = 1  # unchanged paragraphs shown beside each change
HEADER = 3  # content_lines: title, published date, a blank line, then paragraphs

STYLE = Markup(
    "<style>.pw-side-by-side{font-family:Georgia,serif}"
    ".pw-side-by-side table{border-collapse:collapse;width:100%;table-layout:fixed}"
    ".pw-side-by-side td{vertical-align:top;padding:.3em .6em;border-top:1px solid #eee;width:50%}"
    ".pw-side-by-side tr.same td{color:#666}.pw-side-by-side tr.moved td{background:#f3f0fa}"
    ".pw-side-by-side del{background:#fdd;color:#900}"
    ".pw-side-by-side ins{background:#dfd;color:#060;text-decoration:none}"
    ".pw-fold summary{cursor:pointer;color:#555;font-style:italic;padding:.3em .6em;background:#f6f6f6}"
    ".pw-moved{font:italic smaller sans-serif;color:#5b3f99}</style>"
)


@dataclass(frozen=True)
class Row:
    left: Markup
    right: Markup
    kind: str  # same, changed or moved
    line: str  # the old line (or the new one, for a line only it has): what a fold counts


def side_by_side(old: list[str], new: list[str]) -> Markup:
    """Two versions' storage.content_lines as two columns, line against
    line: the words each changed line lost (left) and gained (right)
    marked, moved lines labelled, unchanged runs folded."""
    rows = _rows(old, new)
    changed = [n for n, row in enumerate(rows) if row.kind != "same"]
    shown = {n for c in changed for n in range(c - CONTEXT, c + CONTEXT + 1)}
    parts: list[Markup] = []
    block: list[Row] = []  # shown rows, one table
    run: list[Row] = []  # unchanged rows between them, folded
    for n, row in enumerate(rows):
        if n in shown:
            if run:
                parts += [_table(block), _fold(run)]
                block, run = [], []
            block.append(row)
        else:
            run.append(row)
    parts += [_table(block), _fold(run)]
    return STYLE + Markup('<div class="pw-side-by-side">') + Markup("").join(parts) + Markup("</div>")


def _rows(old: list[str], new: list[str]) -> list[Row]:
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    removed = [(n, old[n]) for op, i1, i2, _, _ in opcodes if op != "equal" for n in range(i1, i2)]
    added = [(n, new[n]) for op, _, _, j1, j2 in opcodes if op != "equal" for n in range(j1, j2)]
    moved = moved_lines([text for _, text in removed], [text for _, text in added])
    was = {text: n for n, text in reversed(removed) if text in moved}
    now = {text: n for n, text in reversed(added) if text in moved}
    rows: list[Row] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            rows += [
                Row(Markup("{}").format(line), Markup("{}").format(line), "same", line) for line in old[i1:i2] if line
            ]  # blank lines only separate the header
            continue
        away, left = _split(old[i1:i2], Counter(moved))
        here, right = _split(new[j1:j2], Counter(moved))
        rows += [
            Row(_label("moved to", now[text], text) + Markup(" {}").format(text), Markup(""), "moved", text)
            for text in away
        ]
        rows += _pairs(left, right)
        rows += [
            Row(Markup(""), _label("moved here from", was[text], text) + Markup(" {}").format(text), "moved", text)
            for text in here
        ]
    return rows


def _split(lines: list[str], moved: Counter[str]) -> tuple[list[str], list[str]]:
    """The lines of a changed block that moved, and the rest."""
    away, rest = [], []
    for line in lines:
        if moved[line] > 0:
            moved[line] -= 1
            away.append(line)
        elif line:
            rest.append(line)
    return away, rest


def _pairs(left: list[str], right: list[str]) -> list[Row]:
    rows = []
    for position in range(max(len(left), len(right))):
        before = left[position] if position < len(left) else None
        after = right[position] if position < len(right) else None
        if before is not None and after is not None:
            runs = word_runs(before, after)
            rows.append(
                Row(
                    Markup(" ").join(Markup(TAGS[o]).format(t) for o, t in runs if o != "insert"),
                    Markup(" ").join(Markup(TAGS[o]).format(t) for o, t in runs if o != "delete"),
                    "changed",
                    before,
                )
            )
        else:
            rows.append(
                Row(
                    Markup("<del>{}</del>").format(before) if before is not None else Markup(""),
                    Markup("<ins>{}</ins>").format(after) if after is not None else Markup(""),
                    "changed",
                    before if before is not None else after or "",
                )
            )
    return rows


def _label(words: str, index: int, text: str) -> Markup:
    """Where a moved paragraph went, or came from: its number in the other
    version (an attachment moved within the list)."""
    where = "elsewhere in the list" if text.startswith("Attachment: ") else f"paragraph {index - HEADER + 1}"
    return Markup('<span class="pw-moved">↕ {} {}</span>').format(words, where)


def _table(rows: list[Row]) -> Markup:
    if not rows:
        return Markup("")
    return (
        Markup("<table>")
        + Markup("").join(
            Markup('<tr class="{}"><td>{}</td><td>{}</td></tr>').format(row.kind, row.left, row.right) for row in rows
        )
        + Markup("</table>")
    )


def _fold(run: list[Row]) -> Markup:
    """A run of unchanged rows: shown as it is when one row, else folded."""
    if len(run) <= 1:
        return _table(run)
    return Markup('<details class="pw-fold"><summary>{}</summary>{}</details>').format(_summary(run), _table(run))


def _summary(run: list[Row]) -> str:
    """ "7 unchanged paragraphs"; "Unchanged title, date and 3 paragraphs" when
    the run holds more than paragraphs."""
    fields = [
        name
        for prefix, name in (("Title: ", "title"), ("Published: ", "date"))
        if any(row.line.startswith(prefix) for row in run)
    ]
    attachments = sum(row.line.startswith("Attachment: ") for row in run)
    paragraphs = len(run) - len(fields) - attachments
    counted = [
        f"{n} {noun}{'s' if n != 1 else ''}"
        for n, noun in ((paragraphs, "paragraph"), (attachments, "attachment"))
        if n
    ]
    if not fields and len(counted) == 1:
        return f"{counted[0].split(' ', 1)[0]} unchanged {counted[0].split(' ', 1)[1]}"
    items = fields + counted
    return "Unchanged " + (", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else items[0])
