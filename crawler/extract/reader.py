"""What reads a page, as one id that every version records (storage.write.lens).

A reader is presswatch's extraction code, the site's profile and, for a
profile without selectors, the template learned for it:

    presswatch 0.2.0+1a2b3c4d; profile 5e6f7a8b; template 9c0d1e2f

The code part is the release and a digest of the extraction sources (this
package and storage's normalisation), so that any change to how pages are
read, released or not, is a new reader: a comment edited costs one
re-reading of each release at its next fetch, a missed change would cost
spurious versions.  The profile part covers only what a page is read by:
editing a list path or pagination reads no page differently.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from importlib.resources import files

from crawler import __version__
from crawler.extract.generic import Template
from crawler.sites.profile import SiteProfile

# The profile's fields a release page is read by (names, dates and URLs included).
_READING_FIELDS = (
    "name",
    "base_url",
    "timezone",
    "country",
    "language",
    "key_query",
    "key_segment",
    "encoding",
    "allowed_domains",
    "detail",
)


@functools.cache
def code_id() -> str:
    """presswatch's version and a digest of the code that reads pages.

    Read as package resources: on a Scrapyd node the code runs from a
    zipped egg, where there is no file path to read."""
    sources = sorted(
        (path for path in files("crawler.extract").iterdir() if path.name.endswith(".py")), key=lambda path: path.name
    )
    sources.append(files("storage.contract").joinpath("content.py"))  # the normalisation every record goes through
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:8]}"


def profile_id(profile: SiteProfile) -> str:
    fields = {name: getattr(profile, name) for name in _READING_FIELDS}
    fields["detail"] = dataclasses.asdict(profile.detail)
    return _digest(json.dumps(fields, sort_keys=True, default=list))


def template_id(template: Template | None) -> str:
    """What of a learned template decides how pages read: its chrome places,
    the texts every sample page shows (crawler.extract.notices), and whether
    its pages' <title>s differ only by their days."""
    if template is None:
        return "-"
    shared = "\n\0" + "\n".join(sorted(template.shared)) if template.shared else ""  # ids learned before stay
    dated = "\n\0dated titles" if template.dated_titles else ""
    return _digest("\n".join(sorted(template.chrome)) + shared + dated)


def reader_id(profile: SiteProfile, template: Template | None) -> str:
    part = f"; template {template_id(template)}" if profile.generic else ""
    return f"presswatch {code_id()}; profile {profile_id(profile)}{part}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]
