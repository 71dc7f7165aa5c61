"""The archive's readers: everything that reads an archive and never crawls.

The Datasette plugin (``browse``), the Atom feeds (``feed``), the alerts
(``alerts``) and the evidence exports.  A reader imports neither Scrapy nor
the extraction code (tests/test_imports.py checks it), so a server that only
shows an archive loads none of the crawler."""
