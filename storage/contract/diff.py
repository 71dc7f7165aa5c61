"""Diffs between two versions of a release, as people and `patch` read them."""

from __future__ import annotations

import difflib
from collections import Counter

from .content import Content


def content_lines(content: Content) -> list[str]:
    """A release as lines: one per field value, one per paragraph, one per attachment.

    Paragraphs are whole lines so a one-word edit shows the paragraph it
    belongs to, and the diff can be applied back to rebuild a version.
    """
    lines = [f"Title: {content.title}", f"Published: {content.published or ''}", ""]
    lines.extend(content.paragraphs)
    if content.attachments:
        lines.append("")
        lines.extend(f"Attachment: {a.name} <{a.url}>" for a in content.attachments)
    return lines


def unified_diff(old: Content, new: Content, old_label: str = "a", new_label: str = "b") -> str:
    """A unified diff of every field that differs, with one line of context."""
    lines = difflib.unified_diff(
        content_lines(old),
        content_lines(new),
        fromfile=old_label,
        tofile=new_label,
        n=1,
        lineterm="",
    )
    return "\n".join(lines) + "\n"


def word_runs(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level edit of ``old`` into ``new`` as ``(op, text)`` runs.

    ``op`` is ``"equal"``, ``"delete"`` or ``"insert"``; a replacement is a
    delete followed by an insert.  Joining the equal and delete runs with
    spaces gives ``old`` back, the equal and insert runs ``new``.
    """
    a, b = old.split(), new.split()
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("insert", " ".join(b[j1:j2])))
    return runs


def _word_fields(content: Content) -> dict[str, str]:
    return {
        "title": content.title,
        "body": content.body,
        "attachments": " ".join(a.name for a in content.attachments),
    }


def word_changes(old: Content, new: Content) -> list[tuple[str, str, str]]:
    """``(field, op, text)`` for every deleted or inserted run of words."""
    before, after = _word_fields(old), _word_fields(new)
    return [
        (field, op, text)
        for field in before
        if before[field] != after[field]
        for op, text in word_runs(before[field], after[field])
        if op != "equal"
    ]


def apply_diff(old: Content, diff: str) -> list[str]:
    """The lines of the new version, from the old one and a stored diff.

    A stored diff is enough to rebuild the version it leads to: scripts can
    replay an archive's history from version 1 and the diffs alone.
    """
    source = content_lines(old)
    result: list[str] = []
    position = 0
    for line in diff.splitlines()[2:]:  # after the --- / +++ header
        if line.startswith("@@"):
            first, _, count = line.split()[1][1:].partition(",")
            # An empty old range ("-4,0") names the line *before* the insertion.
            start = int(first) if count == "0" else int(first) - 1
            result.extend(source[position:start])
            position = start
        elif line.startswith("-"):
            position += 1
        elif line.startswith("+"):
            result.append(line[1:])
        else:
            result.append(source[position])
            position += 1
    result.extend(source[position:])
    return result


MOVED_FROM, MOVED_TO = "↕ moved from here: ", "↕ moved here: "


def moved_lines(removed: list[str], added: list[str]) -> Counter[str]:
    """The lines both removed and added, unchanged: paragraphs that moved
    (as storage.contract.kinds calls them), each as often as it moved."""
    return Counter(line for line in removed if line.strip()) & Counter(line for line in added if line.strip())


def with_moves_marked(diff: str) -> str:
    """A unified diff for people: a paragraph removed in one place and added
    unchanged in another is named as moved, in the words the release page
    uses, rather than shown as deleted and inserted."""
    lines = diff.splitlines(keepends=True)
    body = [line for line in lines if not line.startswith(("---", "+++"))]
    moved = moved_lines(
        [line[1:].rstrip("\n") for line in body if line.startswith("-")],
        [line[1:].rstrip("\n") for line in body if line.startswith("+")],
    )
    away, here = Counter(moved), Counter(moved)
    out = []
    for line in lines:
        text = line[1:].rstrip("\n")
        if line.startswith("-") and not line.startswith("---") and away[text]:
            away[text] -= 1
            line = MOVED_FROM + line[1:]
        elif line.startswith("+") and not line.startswith("+++") and here[text]:
            here[text] -= 1
            line = MOVED_TO + line[1:]
        out.append(line)
    return "".join(out)
