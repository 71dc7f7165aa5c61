"""Scrapy's spider loader, plus one spider per profile in $PRESSWATCH_SITES_DIR,
so `scrapy list` and `scrapy crawl` see users' own profiles too."""

from __future__ import annotations

from scrapy.spiderloader import SpiderLoader

from crawler.sites.profile import all_profiles
from crawler.spiders.sites import spider_for


class ProfileSpiderLoader(SpiderLoader):
    def __init__(self, settings, **kwargs):
        super().__init__(settings, **kwargs)
        for profile in all_profiles(folder=settings.get("PRESSWATCH_SITES_DIR")).values():
            if profile.id not in self._spiders:
                self._spiders[profile.id] = spider_for(profile)
