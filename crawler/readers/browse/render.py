"""A stored unified diff as readable HTML: word-level, escaped, context shortened.

Everything in a diff was scraped from someone else's page, so every piece of
text goes through ``escape``; the only markup is the one written here.
"""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup

from storage import moved_lines, word_runs

CONTEXT_WORDS = 8  # of an unchanged line, keep this many words at each end

STYLE = Markup(
    "<style>.pw-diff{font-family:Georgia,serif;line-height:1.5;min-width:30em;max-width:60em}"
    ".pw-diff p{margin:.4em 0}.pw-diff .ctx{color:#666}"
    ".pw-diff del{background:#fdd;color:#900}.pw-diff ins{background:#dfd;color:#060;text-decoration:none}"
    ".pw-diff .gap{color:#999;text-align:center}.pw-diff .moved{color:#5b3f99}"
    ".pw-diff .pw-moved{font:italic smaller sans-serif}</style>"
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
    moved = moved_lines(
        [line[1:] for line in lines if line.startswith("-")], [line[1:] for line in lines if line.startswith("+")]
    )
    moves = (Counter(moved), Counter(moved))  # each side's moved lines, taken as met
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
            parts.extend(_changed(removed, added, tags, moves))
    return STYLE + Markup('<div class="pw-diff">') + Markup("").join(parts) + Markup("</div>")


def _run(lines: list[str], index: int, sign: str) -> tuple[list[str], int]:
    run = []
    while index < len(lines) and lines[index].startswith(sign):
        run.append(lines[index][1:])
        index += 1
    return run, index


def _changed(
    removed: list[str], added: list[str], tags: dict[str, str], moves: tuple[Counter[str], Counter[str]]
) -> list[Markup]:
    """Pair removed and added lines; a pair shows word edits, the rest whole;
    a moved line is shown once, where it went, and named where it was."""
    out = []
    removed, away = _without(removed, moves[0])
    added, here = _without(added, moves[1])
    out += [
        Markup('<p class="moved"><span class="pw-moved">↕ moved from here:</span> {}</p>').format(_shorten(line))
        for line in away
    ]
    for position in range(max(len(removed), len(added))):
        old = removed[position] if position < len(removed) else None
        new = added[position] if position < len(added) else None
        if old is None:
            out.append(Markup("<p>" + tags["insert"] + "</p>").format(new))
        elif new is None:
            out.append(Markup("<p>" + tags["delete"] + "</p>").format(old))
        else:
            out.append(Markup("<p>{}</p>").format(_words(old, new, tags)))
    out += [Markup('<p class="moved"><span class="pw-moved">↕ moved here:</span> {}</p>').format(line) for line in here]
    return out


def _without(lines: list[str], moved: Counter[str]) -> tuple[list[str], list[str]]:
    """``lines`` less those that moved (``moved`` counts down as they are
    met), and those."""
    kept, taken = [], []
    for line in lines:
        if moved[line] > 0:
            moved[line] -= 1
            taken.append(line)
        else:
            kept.append(line)
    return kept, taken


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


# Inline styles, not classes: Datasette's table pages show these cells
# without presswatch's stylesheet.
_KIND_COLOURS = {
    "major": "background:#fbe3d6;color:#7a2a00",
    "minor": "background:#e8eef6;color:#234",
    "cosmetic": "background:#eee;color:#666",
}


def kind_badges(labels: list[dict], significance: float | None = None) -> Markup:
    """A change's kinds (storage.read.browsing.kind_labels) as labels, each
    saying what it means in its tooltip, and its significance after them."""
    badges = Markup("").join(
        Markup(
            '<span class="pw-kind {0}" data-kind="{1}" title="{2}" style="display:inline-block;'
            'font:smaller sans-serif;padding:0 .4em;margin:0 .2em .2em 0;border-radius:.6em;{3}">{1}</span>'
        ).format(label["weight"], label["kind"], label["title"], _KIND_COLOURS[label["weight"]])
        for label in labels
    )
    if significance is not None:
        badges += Markup(
            ' <span class="pw-significance" title="0 to 1: how much the change matters">significance {:.2f}</span>'
        ).format(significance)
    return badges
