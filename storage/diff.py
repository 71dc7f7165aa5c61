"""Diffs between two versions of a release, as people and `patch` read them."""

from __future__ import annotations

import difflib

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


def unified_diff(
    old: Content, new: Content, old_label: str = "a", new_label: str = "b"
) -> str:
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
