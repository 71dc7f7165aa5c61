"""The crawl policy as plain code: what to fetch, when a list walk ends, the
revisit window and the sweep's share, and a release page's verdict.  No
Scrapy here; crawler/spiders/walk.py turns its answers into requests.

- crawlconfig: a run's configuration (full, revisit_days, sweep_days) and its defaults
- plan: what to fetch (ListFetch, ReleaseFetch) and a fetch's conditional headers
- window: the revisit window, the sweep's share, the list pass's budget
- listpass: the pass over the whole list, a share each run
- listwalk: one site's walk (SiteWalk)
- redirects: moves, redirects away, the site's own URLs
- verdict: a release page's verdict (page_verdict over a FetchedPage and a Reading)

Nothing is imported here: crawler.settings reads the defaults from
crawlconfig, and every Scrapy process (a baseline's too) loads the settings.
"""
