"""Spider classes for the built-in site profiles, made from their TOML files."""

from __future__ import annotations

from crawler.sites.profile import SiteProfile, builtin_profiles
from crawler.spiders.board import BoardSpider


def spider_for(profile: SiteProfile) -> type[BoardSpider]:
    """A BoardSpider subclass named after the profile's id."""
    return type(
        f"{profile.id.title().replace('_', '')}Spider",
        (BoardSpider,),
        {"name": profile.id, "profiles": (profile,), "__module__": __name__},
    )


globals().update({spider.__name__: spider for spider in map(spider_for, builtin_profiles().values())})
