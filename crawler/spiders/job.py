"""One site's crawl as a Scrapyd job.

``presswatch dispatch`` schedules the spider ``presswatch`` with the site's
profile (its TOML text) as an argument, so a node needs presswatch's code
(deployed with scrapyd-deploy) and no profile files of its own; the job
sends what it fetched to the archive's writer through Redis
(PRESSWATCH_REDIS, storage.relay).
"""

from __future__ import annotations

from typing import Any

from crawler.sites.profile import all_profiles, load_profile
from crawler.spiders.board import BoardSpider


class JobSpider(BoardSpider):
    name = "presswatch"

    def __init__(self, *args: Any, profile: str = "", site: str = "", **kwargs: Any):
        if profile:
            chosen = load_profile(f"the profile of job {kwargs.get('_job', '')}".strip(), profile)
        elif site:
            chosen = all_profiles()[site]
        else:
            raise ValueError("a presswatch job needs -a profile=<the site's TOML> or -a site=<a known site id>")
        super().__init__(*args, sites=[chosen], **kwargs)
