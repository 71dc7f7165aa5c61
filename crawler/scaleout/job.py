"""One site's crawl as a Scrapyd job.

``presswatch dispatch`` schedules the spider ``presswatch`` with the site's
profile (its TOML text) as an argument, so a node needs presswatch's code
(deployed with scrapyd-deploy) and no profile files of its own; the job
sends what it fetched to the archive's writer through Redis
(PRESSWATCH_REDIS, storage.relay).
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from scrapy.crawler import Crawler

from crawler.sites.profile import all_profiles, load_profile
from crawler.spiders.board import BoardSpider
from storage import RelayError

if TYPE_CHECKING:
    from storage import JobChannel


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


def job_channel(crawler: Crawler) -> JobChannel:
    """A job's channel to the one writer of an archive on another machine
    (PRESSWATCH_REDIS), signed with the key `presswatch dispatch` gave it."""
    from storage import JobChannel  # redis: only jobs on several machines import it

    settings = crawler.settings
    token = getattr(crawler.spider, "_job", None) or settings.get("PRESSWATCH_JOB") or uuid.uuid4().hex
    key = settings.get("PRESSWATCH_JOB_KEY") or ""
    if not re.fullmatch(r"[0-9a-f]{64}", key):
        # The writer would refuse every message: say so now, not after its timeout.
        raise RelayError("a crawl job needs its key from `presswatch dispatch` (the setting PRESSWATCH_JOB_KEY)")
    return JobChannel(settings.get("PRESSWATCH_REDIS"), token, bytes.fromhex(key))
