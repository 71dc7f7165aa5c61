"""History from before presswatch watched a board: its captures in web
archives (WARC and WACZ files, Wayback-compatible CDX APIs), read as a
crawl reads its pages and handed to the archive's writer (storage.write.backfill)."""

# The Internet Archive's Wayback Machine: `presswatch backfill`'s default.
IA_CDX = "https://web.archive.org/cdx/search/cdx"
