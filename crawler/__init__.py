"""presswatch's crawler: Scrapy spiders built from site profiles."""

import os

__version__ = "0.17.0"

# Scrapy's cookie middleware asks tldextract for the public-suffix list, and
# tldextract downloads it from a third-party host on first use: a request to
# a host that is not a board, and offline a 60-line traceback.  The snapshot
# tldextract ships is what presswatch uses; this must be set before Scrapy's
# cookie middleware is imported, which is why it lives here.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
