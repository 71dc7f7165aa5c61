"""Crawls on several machines, one archive (docs/scale-out.md): the
dispatcher that spreads a run's sites over Scrapyd nodes (``dispatch``),
the job each node runs and its channel to the archive's writer (``job``),
the download handler that spaces their requests to one host (``handlers``),
and the writer that applies what they send (``writing``).  Storage's side
is storage.relay.

Nothing is imported here: Scrapy's spider loader imports ``job`` alone."""
