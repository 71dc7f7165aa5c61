"""Extraction: HTML in, clean fields out.  Pure functions, no network, no Scrapy.

- ``pages``: list pages, feeds and release pages read with a profile's selectors
- ``generic``: the template learned from sample pages, for profiles without selectors
- ``encoding``: bytes to text, strictly, and the checks a page must pass first
- ``urls``: canonical URLs, keys and mirrors
"""
