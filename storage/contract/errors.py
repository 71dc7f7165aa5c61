"""Every error presswatch raises on purpose shares one base, PresswatchError,
so a command line or a script catches one class and prints its message.
The crawler's own errors (crawler/exceptions.py) derive from it too."""

from __future__ import annotations


class PresswatchError(Exception):
    """Something went wrong that the message explains to a person."""


class ArchiveError(PresswatchError):
    """The archive cannot be opened or written; the message says why."""


class ArchiveDamaged(ArchiveError):
    """SQLite finds the archive's file damaged; nothing was written to it."""


class ArchiveOutdated(ArchiveError):
    """An older presswatch wrote the archive and its writer has not upgraded it."""


class ArchiveBusy(ArchiveError):
    """Another process is writing to this archive."""


class NotFound(PresswatchError, LookupError):
    """No such release or version; the message says which."""


class BadQuery(PresswatchError, ValueError):
    """A full-text query SQLite cannot parse; the message says where."""


class RelayError(PresswatchError):
    """Redis cannot be reached, or the archive's writer did not answer (storage.relay)."""


class MessageRejected(PresswatchError, ValueError):
    """A message of the stream the writer will not apply: malformed, out of
    range or sequence, not signed by its job, or beyond what its job may
    write (storage.contract.messages).  The message says why."""
