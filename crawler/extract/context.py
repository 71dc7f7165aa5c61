"""What extraction knows about a page besides its HTML: its board's
learned template, and the one object that carries it with the rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from crawler.extract.titles import TitleIndex
from crawler.sites.profile import SiteProfile


@dataclass(frozen=True)
class Template:
    """Places on a site's release pages that carry chrome, not content."""

    chrome: frozenset[str]
    pages: int
    # Files linked from two sample pages or more are the site's (a guide, a
    # logo), and so are links named the same in a chrome place ("PDF
    # version" of each page): decided by URL and name, not by place alone, so
    # that a download box the template calls chrome still gives each
    # release's files, even two named alike but for their digits.
    site_files: frozenset[str] = frozenset()
    tool_names: frozenset[str] = frozenset()
    # Block texts every sample page shows outside the chrome (crawler.extract.notices).
    shared: frozenset[str] = frozenset()
    # Every sample page's <title> is one text but for its day ("FRB: FOMC
    # Minutes, <meeting day>"): it names a series, not a release.
    dated_titles: bool = False


@dataclass(frozen=True, slots=True)
class PageContext:
    """The board a page belongs to and what its list and archive say of it.

    A crawl, an import and ``presswatch extract`` each build one per page
    (``dataclasses.replace`` on the board's) and hand it to ``extract_page``.
    """

    profile: SiteProfile
    url: str = ""  # the page's address: its links resolve against it
    template: Template | None = None  # the board's learned template (profiles without selectors)
    titles: TitleIndex = field(default_factory=TitleIndex)  # the board's releases' titles
    listed_day: date | None = None  # the day the board's list gives the release
    own_title: str | None = None  # the title the list (or the archive) gives it
