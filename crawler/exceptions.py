"""Every error the crawler raises on purpose, beside the archive's own.

All derive from storage's PresswatchError, so the command line catches one
class and prints its message; import any of them from here.
"""

from __future__ import annotations

from storage import ArchiveBusy, ArchiveError, BadQuery, NotFound, PresswatchError

__all__ = [
    "AlertConfigError",
    "ArchiveBusy",
    "ArchiveError",
    "BadQuery",
    "CheckError",
    "ConfigError",
    "DecodeError",
    "ExportError",
    "ExtractionError",
    "NotFound",
    "PresswatchError",
    "ProfileError",
]


class ConfigError(PresswatchError, ValueError):
    """A file the user wrote (a site profile, alerts.toml) is unreadable or
    says something invalid.  Found when the file is loaded, before anything
    is fetched or sent; the message starts with the file's name and names
    the key.  The command line exits 2 with it, as for a bad option."""


class ProfileError(ConfigError):
    """A profile file is unreadable or says something invalid."""


class DecodeError(PresswatchError, ValueError):
    """No charset decodes the page."""


class ExtractionError(PresswatchError, ValueError):
    """The page yielded no release: no title or no body.

    ``field`` names what was missing and ``selector`` the profile's selector
    that found nothing ("" when it was looked for generically), so a run can
    tell a redesign (every page fails the same way) from one bad page.
    """

    def __init__(self, message: str, field: str = "", selector: str = ""):
        super().__init__(message)
        self.field = field
        self.selector = selector


class CheckError(PresswatchError):
    """The site could not be checked; the message says which step failed."""


class AlertConfigError(ConfigError):
    """alerts.toml is unreadable or names a destination Apprise cannot use."""


class ExportError(PresswatchError):
    """An export could not be written where it was asked for."""
