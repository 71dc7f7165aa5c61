"""Browsing an archive in Datasette: the plugin's hooks (re-exported here, as
Datasette loads the plugin by this package and its templates/ beside it),
pages, charts, diffs and feeds."""

from crawler.readers.browse.plugin import asgi_wrapper, filters_from_request, menu_links, register_routes, render_cell

__all__ = ["asgi_wrapper", "filters_from_request", "menu_links", "register_routes", "render_cell"]
