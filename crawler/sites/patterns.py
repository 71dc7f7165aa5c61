"""A profile's regular expressions, run by RE2 (PyPI google-re2).

A profile is data written by whoever adds a board, and one of its patterns
runs over every link and date line of every page.  Python's backtracking
engine can take exponential time on a pattern such as ``(a+)+$``: one such
pattern over one long link ran 108 s, during which no board of the run made
progress and SIGTERM went unheard.  RE2 matches in time linear in the text,
whatever the pattern, so no profile can stall a run.  What it gives up —
look-around and back-references — is refused when the profile is loaded.

As in RE2, ``\\d``, ``\\w``, ``\\s`` and ``\\b`` are ASCII: write ``\\p{N}``,
``\\p{L}`` (or a script, ``\\p{Hangul}``) for the digits and letters of other
scripts.
"""

from __future__ import annotations

import functools
import re
from typing import Protocol, cast

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print each refused pattern to stderr; the caller says why instead


class Match(Protocol):
    def group(self, index: int = 0) -> str: ...


class Pattern(Protocol):
    groups: int

    def search(self, text: str) -> Match | None: ...


class PatternError(ValueError):
    """RE2 cannot run the pattern; the message says why, for people."""


# What RE2 says when it meets a backtracking feature, and what to tell the user.
_UNSUPPORTED = (
    (re.compile(r"\(\?<?[=!]"), "look-ahead and look-behind are not supported"),
    (re.compile(r"\(\?P=|escape sequence: \\[1-9]"), "back-references are not supported"),
    (re.compile(r"\(\?>|[*+?}]\+"), "atomic groups and possessive repeats are not supported"),
)
_WHY = (
    "presswatch runs a profile's patterns with RE2, which never backtracks so that no pattern "
    "can stall a crawl (https://github.com/google/re2/wiki/Syntax)"
)


@functools.lru_cache(maxsize=512)
def compiled(pattern: str) -> Pattern:
    """``pattern`` compiled by RE2, once per process; PatternError if RE2 cannot run it."""
    try:
        return cast(Pattern, re2.compile(pattern, _OPTIONS))
    except re2.error as error:
        reason = error.args[0].decode("utf-8", "replace") if isinstance(error.args[0], bytes) else str(error)
        if reason.endswith("(?P") and "(?P=" in pattern:  # RE2 names only the start of a named back-reference
            reason += "="
        for sign, message in _UNSUPPORTED:
            if sign.search(reason):
                raise PatternError(f"{message} ({reason}): {_WHY}") from None
        raise PatternError(f"invalid regular expression: {reason}") from None


def search(pattern: str, text: str) -> Match | None:
    """The first match of a profile's ``pattern`` in ``text``, in linear time."""
    return compiled(pattern).search(text)
