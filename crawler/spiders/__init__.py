"""One spider class per site profile; Scrapy finds them here (`scrapy list`)."""
