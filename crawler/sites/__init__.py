"""Site profiles: one TOML file per board (the built-in ones live here), and
the code that loads and validates them.  A new board goes here, or in a
folder named by $PRESSWATCH_SITES_DIR."""

from crawler.sites.profile import SiteProfile, all_profiles, builtin_profiles, load_profile

__all__ = ["SiteProfile", "all_profiles", "builtin_profiles", "load_profile"]
