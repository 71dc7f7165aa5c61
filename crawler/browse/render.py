"""A stored unified diff as readable HTML: word-level, escaped, context shortened.

Everything in a diff was scraped from someone else's page, so every piece of
text goes through ``escape``; the only markup is the one written here.
"""

from __future__ import annotations

import difflib

from markupsafe import Markup

from storage import word_runs

CONTEXT_WORDS = 8  # of an unchanged line, keep this many words at each end

STYLE = Markup(
    "<style>.pw-diff{font-family:Georgia,serif;line-height:1.5;min-width:30em;max-width:60em}"
    ".pw-diff p{margin:.4em 0}.pw-diff .ctx{color:#666}"
    ".pw-diff del{background:#fdd;color:#900}.pw-diff ins{background:#dfd;color:#060;text-decoration:none}"
    ".pw-diff .gap{color:#999;text-align:center}</style>"
)


# In a message that may be read as plain text, deletions and insertions keep
# wdiff's marks, hidden where HTML is shown (Apprise's text part keeps them).
_HIDDEN = '<span style="display:none">{}</span>'
TAGS = {"equal": "{}", "delete": "<del>{}</del>", "insert": "<ins>{}</ins>"}
MARKED_TAGS = {
    "equal": "{}",
    "delete": "<del>" + _HIDDEN.format("[-") + "{}" + _HIDDEN.format("-]") + "</del>",
    "insert": "<ins>" + _HIDDEN.format("{{+") + "{}" + _HIDDEN.format("+}}") + "</ins>",  # {{ }}: format's braces
}


def diff_html(diff: str, *, marked: bool = False) -> Markup:
    """Render a unified diff from storage.word_runs as word-level HTML
    (``marked``: with wdiff's [-deleted-] {+inserted+} marks, hidden)."""
    tags = MARKED_TAGS if marked else TAGS
    lines = [line for line in diff.splitlines() if not line.startswith(("---", "+++"))]
    parts: list[Markup] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("@@"):
            if parts:
                parts.append(Markup('<p class="gap">…</p>'))
            index += 1
        elif not line.startswith(("-", "+")):  # context, or the blank separator
            if line.strip():
                parts.append(Markup('<p class="ctx">{}</p>').format(_shorten(line[1:])))
            index += 1
        else:
            removed, index = _run(lines, index, "-")
            added, index = _run(lines, index, "+")
            parts.extend(_changed(removed, added, tags))
    return STYLE + Markup('<div class="pw-diff">') + Markup("").join(parts) + Markup("</div>")


def _run(lines: list[str], index: int, sign: str) -> tuple[list[str], int]:
    run = []
    while index < len(lines) and lines[index].startswith(sign):
        run.append(lines[index][1:])
        index += 1
    return run, index


def _changed(removed: list[str], added: list[str], tags: dict[str, str]) -> list[Markup]:
    """Pair removed and added lines; a pair shows word edits, the rest whole."""
    out = []
    for position in range(max(len(removed), len(added))):
        old = removed[position] if position < len(removed) else None
        new = added[position] if position < len(added) else None
        if old is None:
            out.append(Markup("<p>" + tags["insert"] + "</p>").format(new))
        elif new is None:
            out.append(Markup("<p>" + tags["delete"] + "</p>").format(old))
        else:
            out.append(Markup("<p>{}</p>").format(_words(old, new, tags)))
    return out


def _words(old: str, new: str, tags: dict[str, str]) -> Markup:
    return Markup(" ").join(Markup(tags[op]).format(text) for op, text in word_runs(old, new))


def _shorten(text: str) -> str:
    words = text.split()
    if len(words) <= 2 * CONTEXT_WORDS + 1:
        return text
    return " ".join(words[:CONTEXT_WORDS] + ["…"] + words[-CONTEXT_WORDS:])


def web_link(url: str | None) -> str | None:
    """``url`` if a browser may follow it as a link (http or https), else None:
    a scraped `javascript:` or `data:` URL is shown as text, never linked."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url
    return None


def side_by_side(old: list[str], new: list[str]) -> Markup:
    """Two versions as a two-column table, line against line, with the
    words each changed line lost (left) and gained (right) marked."""
    rows = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [(Markup("{}").format(line), Markup("{}").format(line), "same") for line in old[i1:i2]]
            continue
        left, right = old[i1:i2], new[j1:j2]
        for position in range(max(len(left), len(right))):
            before = left[position] if position < len(left) else None
            after = right[position] if position < len(right) else None
            if before is not None and after is not None:
                runs = word_runs(before, after)
                rows.append((
                    Markup(" ").join(Markup(TAGS[o] if o != "insert" else "").format(t) for o, t in runs if o != "insert"),
                    Markup(" ").join(Markup(TAGS[o] if o != "delete" else "").format(t) for o, t in runs if o != "delete"),
                    "changed",
                ))
            else:
                rows.append((
                    Markup("<del>{}</del>").format(before) if before is not None else Markup(""),
                    Markup("<ins>{}</ins>").format(after) if after is not None else Markup(""),
                    "changed",
                ))
    body = Markup("").join(
        Markup('<tr class="{}"><td>{}</td><td>{}</td></tr>').format(kind, left, right) for left, right, kind in rows
    )
    return Markup('<table class="pw-side-by-side">') + body + Markup("</table>")
