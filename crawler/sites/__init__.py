"""Site profiles: one TOML file per board (the built-in ones live here), and
the code that loads and validates them (crawler.sites.profile).  A new board
goes here, or in a folder named by $PRESSWATCH_SITES_DIR.

Nothing is imported here: the alerts' configuration shares the checks of
checks.py without loading the profiles' parsers and the extraction code."""
