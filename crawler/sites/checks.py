"""What every file presswatch loads (site profiles, alerts.toml) is checked
for: each key known, each value of its type (a list's items too), numbers in
range.  Each function returns the problem as words for people, or None, and
the loader raises it with the file's name, so every message reads alike."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# The kinds of value a key can take; a list is always a list of strings.
STRING_OR_LIST = "string or list"
_KIND_NAMES: dict[object, str] = {
    str: "a string",
    int: "an integer",
    list: "a list of strings",
    dict: "a table",
    STRING_OR_LIST: "a string or a list of strings",
}


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """ "; did you mean 'x'?" for the closest known word, else ""."""
    close = difflib.get_close_matches(word, sorted(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def unknown_key(key: str, known: Iterable[str], where: str = "") -> str:
    return f"unknown key {key!r}{where}{did_you_mean(key, known)}"


def kind_problem(value: object, kind: object) -> str | None:
    """Why ``value`` is not of ``kind``, to follow the key's name: " must be an
    integer, not bool" or ": each item must be a string, not int"."""
    if kind == STRING_OR_LIST and isinstance(value, str):
        return None
    if kind in (list, STRING_OR_LIST):
        if not isinstance(value, list):
            return f" must be {_KIND_NAMES[kind]}, not {type(value).__name__}"
        wrong = next((item for item in value if not isinstance(item, str)), None)
        return f": each item must be a string, not {type(wrong).__name__}" if wrong is not None else None
    # TOML's true is a Python int too: a count or an index is never a boolean
    fits = isinstance(value, int) and not isinstance(value, bool) if kind is int else isinstance(value, kind)  # type: ignore[arg-type]
    return None if fits else f" must be {_KIND_NAMES[kind]}, not {type(value).__name__}"


def range_problem(value: int, least: int) -> str | None:
    return f" must be {least} or more, not {value}" if value < least else None
